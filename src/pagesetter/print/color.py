"""CMYK colours as a layout names them, and the press's total-ink limit."""

from __future__ import annotations

import re
from dataclasses import dataclass

NAMED = {
    "black": (0, 0, 0, 100), "黑": (0, 0, 0, 100),
    "white": (0, 0, 0, 0), "paper": (0, 0, 0, 0),
    "red": (0, 100, 100, 0), "报红": (0, 100, 100, 0),
    "cyan": (100, 0, 0, 0), "magenta": (0, 100, 0, 0), "yellow": (0, 0, 100, 0),
}


@dataclass(frozen=True)
class CMYK:
    """Percentages 0–100 of cyan, magenta, yellow and black ink."""

    c: float
    m: float
    y: float
    k: float

    @property
    def total(self) -> float:
        return self.c + self.m + self.y + self.k

    @property
    def fractions(self) -> tuple[float, float, float, float]:
        return (self.c / 100, self.m / 100, self.y / 100, self.k / 100)

    @property
    def is_black(self) -> bool:
        return (self.c, self.m, self.y, self.k) == (0, 0, 0, 100)


BLACK = CMYK(0, 0, 0, 100)

# patterns compiled on first use (re keeps them): most runs parse no colour text
_CMYK_TEXT = r"^\s*(?:cmyk\s*\(\s*)?([\d.]+)%?\s*[, /]\s*([\d.]+)%?\s*[, /]\s*([\d.]+)%?\s*[, /]\s*([\d.]+)%?\s*\)?\s*$"


class ColorError(ValueError):
    pass


_RGB_TEXT = r"^\s*rgb\s*\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*\)\s*$"
_HEX = r"^\s*#([0-9a-fA-F]{6})\s*$"


def parse_rgb(value) -> tuple[float, float, float] | None:
    """``"rgb(0, 128, 0)"`` or ``"#008000"`` → 0–255 components; None when not RGB."""
    if not isinstance(value, str):
        return None
    m = re.match(_HEX, value)
    if m:
        h = m.group(1)
        return tuple(float(int(h[i:i + 2], 16)) for i in (0, 2, 4))
    m = re.match(_RGB_TEXT, value, re.IGNORECASE)
    if m:
        parts = tuple(float(g) for g in m.groups())
        if any(p > 255 for p in parts):
            raise ColorError(f"RGB values go from 0 to 255, got {value!r}")
        return parts
    return None


def parse_cmyk(value) -> CMYK:
    """``[0, 0, 0, 100]``, ``"cmyk(0,0,0,100)"``, ``"0/0/0/100"`` or a name (black, 报红 …)."""
    if isinstance(value, str) and value.strip().lower() in NAMED:
        return CMYK(*NAMED[value.strip().lower()])
    if isinstance(value, str):
        m = re.match(_CMYK_TEXT, value, re.IGNORECASE)
        if not m:
            raise ColorError(f"expected a CMYK colour such as [0, 0, 0, 100] or 'cmyk(0,0,0,100)', got {value!r}")
        parts = [float(g) for g in m.groups()]
    elif isinstance(value, (list, tuple)) and len(value) == 4 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        parts = [float(v) for v in value]
    else:
        raise ColorError(f"expected a CMYK colour such as [0, 0, 0, 100] (percent), got {value!r}")
    if any(not 0 <= p <= 100 for p in parts):
        raise ColorError(f"CMYK values are percentages from 0 to 100, got {value!r}")
    return CMYK(*parts)


def check_ink(color: CMYK, limit: float) -> str | None:
    """A message if ``color`` carries more ink than the press allows."""
    if color.total > limit + 1e-9:
        return (f"colour C{color.c:g} M{color.m:g} Y{color.y:g} K{color.k:g} has {color.total:g}% total ink; "
                f"the press allows {limit:g}%")
    return None
