"""A face's character map, code point → glyph ID, kept as arrays.

A CJK face maps 30,000–45,000 code points. As a dict, reading it back from the
cache costs 6–12 ms a face (one Python object per entry); as a glyph ID per
code point of the Basic Multilingual Plane it is one 256 kB copy, and a
lookup is one index. The few code points of the other planes stay in a dict.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterator, Mapping

BMP = 0x10000
NONE = -1  # no glyph for that code point


class CharMap(Mapping):
    """Code point → glyph ID, read like a dict."""

    __slots__ = ("_bmp", "_astral", "_len")

    def __init__(self, bmp: array, astral: dict[int, int]):
        self._bmp, self._astral = bmp, astral
        self._len = -1  # counted when asked

    @classmethod
    def from_dict(cls, mapping: Mapping[int, int]) -> "CharMap":
        return _filled(array("i", [NONE]) * BMP, {}, mapping)

    @classmethod
    def from_stored(cls, stored: tuple) -> "CharMap":
        """The map from what ``stored`` gave (bytes in this machine's order, then the other planes)."""
        raw, astral, order = stored
        bmp = stored_array("i", raw, order)
        if len(bmp) != BMP:
            raise ValueError("character map of the wrong size")
        return cls(bmp, astral)

    def stored(self) -> tuple:
        """A form ``marshal`` writes and ``from_stored`` reads back."""
        return self._bmp.tobytes(), self._astral, sys.byteorder

    def with_entries(self, entries: dict[int, int]) -> "CharMap":
        """A copy with ``entries`` added or replaced."""
        return _filled(array("i", self._bmp), dict(self._astral), entries)

    def __getitem__(self, cp: int) -> int:
        if 0 <= cp < BMP:
            g = self._bmp[cp]
            if g == NONE:
                raise KeyError(cp)
            return g
        return self._astral[cp]

    def get(self, cp: int, default=None):
        if 0 <= cp < BMP:
            g = self._bmp[cp]
            return default if g == NONE else g
        return self._astral.get(cp, default)

    def __contains__(self, cp) -> bool:
        if isinstance(cp, int) and 0 <= cp < BMP:
            return self._bmp[cp] != NONE
        return cp in self._astral

    def __len__(self) -> int:
        if self._len < 0:
            self._len = BMP - self._bmp.count(NONE) + len(self._astral)
        return self._len

    def __iter__(self) -> Iterator[int]:
        yield from (cp for cp, g in enumerate(self._bmp) if g != NONE)
        yield from self._astral

    def items(self):
        """(code point, glyph ID) pairs, as a list (made in one pass, not one call per entry)."""
        return [(cp, g) for cp, g in enumerate(self._bmp) if g != NONE] + list(self._astral.items())

    def values(self):
        return [g for g in self._bmp if g != NONE] + list(self._astral.values())


def stored_array(code: str, raw: bytes, order: str) -> array:
    """An array of type ``code`` from ``raw``, bytes stored in ``order`` ("little" or "big")."""
    values = array(code)
    values.frombytes(raw)
    if order != sys.byteorder:
        values.byteswap()
    return values


def _filled(bmp: array, astral: dict[int, int], entries: Mapping[int, int]) -> CharMap:
    """A map of ``bmp`` and ``astral`` with ``entries`` written into them."""
    for cp, g in entries.items():
        if cp < BMP:
            bmp[cp] = g
        else:
            astral[cp] = g
    return CharMap(bmp, astral)
