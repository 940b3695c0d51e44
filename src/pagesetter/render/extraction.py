"""Faces that text extractors read without invented spaces.

MuPDF (PyMuPDF's ``get_text``) adds a space wherever the next glyph starts
more than 0.15 em after the pen of a Latin letter, digit or general
punctuation mark (U+2000–U+20CF: “ ” ‘ ’ — …), whatever the ActualText says.
The house spaces between Chinese and Latin text (and justification) are such
gaps, so "11月22日" came out as "11 月22 日". Text is therefore drawn with a
copy of each face whose Latin and general-punctuation glyphs advance further
(font program ``hmtx`` and PDF ``/Widths`` alike, so the two stay consistent),
and the TJ numbers take the extra back: every glyph lands where it did, and the
pen of such a glyph now reaches past the gap that follows it.
"""

from __future__ import annotations

import copy
from weakref import WeakKeyDictionary

from reportlab.pdfbase import pdfmetrics

# Extra advance, thousandths of an em, of the narrow (proportional, half-width) glyphs of those
# characters: a house space plus stretch up to 0.15 + 0.5 em reads as no gap, and the next glyph
# of a run is not taken for a new line (MuPDF: more than 0.8 em back). Full-width marks (“ ” —
# in a Chinese face) keep their width: compressed to half, the next one starts 0.5 em back.
EXTRA = 500

_WIDE: dict[str, tuple[object, str, dict[int, float]]] = {}  # name → (its face then, wide name, extras)


def _spaced_after(cp: int) -> bool:
    """Whether MuPDF adds a space after this character at a gap (its ``may_add_space``)."""
    return cp < 0x700 or 0x2000 <= cp <= 0x20CF


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
    widened = {g for cp, g in cmap.items()
               if _spaced_after(cp) and 0 < g < len(metrics) and metrics[g][0] < 900 * units}
    face.hmetrics = list(metrics)
    for g in widened:
        aw, lsb = metrics[g]
        face.hmetrics[g] = (aw + extra, lsb)
    face.charWidths = dict(face.charWidths)
    added: dict[int, float] = {}
    for cp, g in cmap.items():  # every character drawn with a widened glyph (shared glyphs too)
        if g in widened:
            face.charWidths[cp] = face.charWidths.get(cp, face.defaultWidth) + extra / units
            added[cp] = extra / units / 1000
    base = face.name
    face.name = base + b"-x" if isinstance(base, bytes) else base + "-x"
    font = copy.copy(plain)
    font.face = face
    font.state = WeakKeyDictionary()
    font.fontName = name + "~x"
    pdfmetrics.registerFont(font)
    _WIDE[name] = (plain, font.fontName, added)
    return font.fontName, added
