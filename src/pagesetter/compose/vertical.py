"""Vertical setting (竖排): units for a line that runs top to bottom.

A vertical line is composed exactly like a horizontal one — the same widths,
prohibitions, breaks and trims, with "left" read as "top" — from units
adjusted here: punctuation takes the font's vertical forms (the ``vert``
feature, baked into the face the caller passes), a Latin word or number of up
to three characters stands upright side by side in one em (纵中横), longer
ones and dashes without a vertical form are turned a quarter clockwise.
"""

from __future__ import annotations

from pagesetter.compose.classes import Cls, is_alnum_western
from pagesetter.compose.segment import Glyph, TextFonts, Unit, segment
from pagesetter.compose.style import HouseStyle

TATE_CHU_YOKO_MAX = 3
EM_TOP, EM_MIDDLE = 0.88, 0.38  # the ideographic em box runs from -0.12 to 0.88 em


def vertical_units(text: str, fonts: TextFonts, style: HouseStyle) -> list[Unit]:
    """``fonts.cjk`` should be a face with the ``vert`` feature applied."""
    units = segment(text, fonts, style, frame_blanks=_vertical_blanks)
    for u in units:
        if u.cls is Cls.WESTERN:
            if len(u.text) <= TATE_CHU_YOKO_MAX and all(is_alnum_western(c) for c in u.text):
                _upright_in_one_em(u)
            else:
                _turn(u)
        elif u.cls in (Cls.DASH, Cls.CONNECTOR) and not any(g.font.substituted(g.char) for g in u.glyphs
                                                             if hasattr(g.font, "substituted")):
            _turn(u)
    return units


def _vertical_blanks(u: Unit):
    """Where a vertical form's ink sits: the blank half is above ("left") or below
    ("right") it; a mark whose ink spans the em (︓ ︕) is solid."""
    g = u.glyphs[0]
    if not hasattr(g.font, "ink_y"):
        return None
    low, high = g.font.ink_y(g.char)
    tol = 0.03
    top_blank = 0.5 if high <= EM_MIDDLE + tol else 0.0
    bottom_blank = 0.5 if low >= EM_MIDDLE - tol else 0.0
    return (top_blank, bottom_blank)


def _upright_in_one_em(u: Unit) -> None:
    """纵中横: two or three digits side by side across the column, in one em."""
    natural = u.width
    scale = min(1.0, 1.0 / natural) if natural else 1.0
    start = (1.0 - natural * scale) / 2
    u.glyphs = [Glyph(g.char, g.font, 0.0, g.hscale * scale, start + g.dx * scale, 0) for g in u.glyphs]
    u.width = 1.0


def _turn(u: Unit) -> None:
    """Turn the unit's glyphs a quarter clockwise; they keep their advance along the line."""
    u.glyphs = [Glyph(g.char, g.font, g.dx, g.hscale, 0.0, 90) for g in u.glyphs]
