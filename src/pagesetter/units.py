"""Lengths in the units a Chinese layout editor uses.

Everything resolves to PostScript points. ``em``/``字`` are body ems and ``行``
is the line pitch, so they need the page's body size and leading; 字号 names
(小五, 五号 …) are type sizes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MM = 72 / 25.4
UNIT_PT = {
    "pt": 1.0,
    "mm": MM,
    "cm": 10 * MM,
    "in": 72.0,
    "q": 0.25 * MM,
    "级": 0.25 * MM,
    "h": 0.25 * MM,  # 齿 (ha) equals 1 Q in the Japanese system
    "px": 0.75,
}

# 号数制, modern DTP values (cjk-typesetting-rules §7).
SIZE_NAMES = {
    "初号": 42.0, "小初": 36.0, "一号": 26.0, "小一": 24.0, "二号": 22.0, "小二": 18.0,
    "三号": 16.0, "小三": 15.0, "四号": 14.0, "小四": 12.0, "五号": 10.5, "小五": 9.0,
    "六号": 7.5, "小六": 6.5, "七号": 5.5, "八号": 5.0,
}

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_LENGTH_RE = re.compile(rf"^\s*({_NUMBER})\s*(\S*?)\s*$")


def _unit_chars(unit: str) -> bool:
    """Latin letters and ideographs (字, 行, 级). Checked here, not in the pattern: a character class
    with the ideograph range takes 2 ms to compile, on every run."""
    return all("a" <= ch <= "z" or "A" <= ch <= "Z" or "\u4e00" <= ch <= "\u9fff" for ch in unit)


class UnitError(ValueError):
    """A length that cannot be read; the message says what was expected."""


@dataclass(frozen=True)
class UnitContext:
    """What relative units resolve against: body size (em, 字) and line pitch (行)."""

    em: float | None = None
    line: float | None = None


def parse_length(value, ctx: UnitContext = UnitContext(), *, default_unit: str | None = None) -> float:
    """Return ``value`` in points. Accepts numbers (in ``default_unit``) or strings like ``56mm``."""
    if isinstance(value, bool):
        raise UnitError(f"expected a length such as 56mm, got {value!r}")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise UnitError(f"expected a finite length, got {value!r}")
        if default_unit is None:
            raise UnitError(f"expected a length with a unit (mm, pt, 字 …), got the bare number {value!r}")
        return _scale(float(value), default_unit, ctx, value)
    if not isinstance(value, str):
        raise UnitError(f"expected a length such as 56mm, got {value!r}")
    text = value.strip()
    if text in SIZE_NAMES:
        return SIZE_NAMES[text]
    m = _LENGTH_RE.match(text)
    if not m or not _unit_chars(m.group(2)):
        raise UnitError(f"expected a length such as 56mm, 9pt, 17字 or 小五, got {value!r}")
    number, unit = float(m.group(1)), m.group(2)
    if not unit:
        if default_unit is None:
            raise UnitError(f"{value!r} has no unit; write e.g. {text}mm or {text}pt")
        unit = default_unit
    return _scale(number, unit, ctx, value)


def _scale(number: float, unit: str, ctx: UnitContext, original) -> float:
    key = unit.lower()
    if key in UNIT_PT:
        return number * UNIT_PT[key]
    if key in ("em", "字"):
        if ctx.em is None:
            raise UnitError(f"{original!r}: {unit} needs a body size, which is not known here")
        return number * ctx.em
    if key in ("行", "line", "lines"):
        if ctx.line is None:
            raise UnitError(f"{original!r}: {unit} needs a line pitch, which is not known here")
        return number * ctx.line
    raise UnitError(
        f"unknown unit {unit!r} in {original!r}; use mm, cm, pt, in, Q/级, em/字, 行 or a size name such as 小五"
    )


def parse_size(value, ctx: UnitContext = UnitContext()) -> float:
    """A type size: a 字号 name, or a length (bare numbers are points)."""
    return parse_length(value, ctx, default_unit="pt")
