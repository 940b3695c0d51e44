"""Glyphs that text extractors read without invented spaces.

MuPDF (PyMuPDF's ``get_text``) adds a space wherever the next glyph starts
more than 0.15 em after the pen of a Latin letter, digit or general
punctuation mark (U+2000–U+20CF: “ ” ‘ ’ — …), whatever the ActualText says.
The house spaces between Chinese and Latin text, and justification, are such
gaps, so "11月22日" came out as "11 月22 日". Such a glyph, when a gap follows
it, is drawn from a copy of its face in which it advances further (font
program ``hmtx`` and PDF ``/Widths`` alike, so the two stay consistent), and
the TJ numbers take the extra back: every glyph lands where it did, and the
pen reaches past the gap. Glyphs followed by no gap (or set closer, as
compressed punctuation is) keep the plain face, so the next glyph is never so
far behind the pen that MuPDF starts a new line (0.8 em).
"""

from __future__ import annotations

import copy
import re
from itertools import repeat
from weakref import WeakKeyDictionary

from reportlab.pdfbase import pdfmetrics

from pagesetter.render.fonts import overlay_widths

# Extra advance, thousandths of an em: a gap of GAP to GAP + 0.8 em after the glyph reads as at
# most 0.15 em (no space), and as more than -0.8 em (the same line)
EXTRA = 750
GAP = 0.1  # em: a smaller gap MuPDF takes for none (under 0.15 em, whatever the horizontal scale)

_WIDE: dict[str, tuple[object, str, dict[int, float]]] = {}  # name → (its face then, wide name, extras)


# the characters after which MuPDF adds a space at a gap (its ``may_add_space``): the only ones
# drawn from a wide copy, where more than GAP em follows them
_SPACED_RANGES = ((0, 0x700), (0x2000, 0x20D0))
SPACED_AFTER = re.compile("[" + "".join(f"{chr(a)}-{chr(b - 1)}" for a, b in _SPACED_RANGES) + "]")


class _Widened:
    """A face's horizontal metrics (glyph → advance, side bearing) with some glyphs' replaced."""

    def __init__(self, base, changed: dict):
        self.base, self.changed = base, changed

    def __getitem__(self, glyph):
        return self.changed.get(glyph) or self.base[glyph]

    def __len__(self):
        return len(self.base)


_WIDENED = tuple(cp for a, b in _SPACED_RANGES for cp in range(a, b))


def wide_face(name: str) -> tuple[str, dict[int, float]]:
    """The registered name of ``name``'s wide copy, and each widened character's extra advance (em)."""
    plain = pdfmetrics.getFont(name)
    found = _WIDE.get(name)
    if found is not None and found[0] is plain:  # a CFF face converted anew is another font
        return found[1:]
    face = copy.copy(plain.face)
    cmap = face.charToGlyph
    units = face.unitsPerEm / 1000
    extra = round(EXTRA * units)
    metrics = face.hmetrics
    # only these characters are ever drawn from the wide copy (SPACED_AFTER), so only their
    # /Widths and glyphs (a subset holds the glyphs of the characters drawn) need agree
    count = len(metrics)
    chars = {cp: g for cp, g in zip(_WIDENED, map(cmap.get, _WIDENED, repeat(0))) if 0 < g < count}
    glyphs = list(chars.values())
    face.hmetrics = _Widened(metrics, {g: (m[0] + extra, m[1]) for g, m in zip(glyphs, map(metrics.__getitem__, glyphs))})
    # the plain face's tables stay shared: only the widened entries are new
    overlay_widths(face, plain.face, {cp: w + extra / units for cp, w in zip(chars, map(plain.face.getCharWidth, chars))})
    added = dict.fromkeys(chars, extra / units / 1000)
    base = face.name
    face.name = base + b"-x" if isinstance(base, bytes) else base + "-x"
    font = copy.copy(plain)
    font.face = face
    font.state = WeakKeyDictionary()
    font.fontName = name + "~x"
    pdfmetrics.registerFont(font)
    _WIDE[name] = (plain, font.fontName, added)
    return font.fontName, added
