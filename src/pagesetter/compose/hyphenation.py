"""Hyphenation of long Latin words in body text (pyphen, LibreOffice's en_US patterns).

A word of ``MIN_LETTERS`` letters or more — not in capitals, not in a run with a digit, not
part of a web address (whose characters are units of their own) — is cut into pieces at
its hyphenation points, at least ``LEFT`` letters from its start and ``RIGHT`` from its end.
Each later piece is ``joined`` (``JOIN_HYPHEN``): no space before it and none opened by
justification; a line that breaks before it costs the breakers a penalty, and the piece
before carries the hyphen (``Unit.hyphen``, its width; ``Unit.hyphen_glyph``) set at the
line's end. The text is untouched: the hyphen is a glyph only.
"""

from __future__ import annotations

import re
import weakref
from functools import lru_cache

from pagesetter.compose.segment import JOIN_HYPHEN, WESTERN, Glyph, Unit, _has

LANGUAGE = "en_US"
MIN_LETTERS = 6
LEFT, RIGHT = 2, 3
HYPHEN, HYPHEN_MINUS = "\u2010", "-"

# a paragraph is looked at only when its text holds this many letters in a row
_LATIN = "A-Za-z\u00c0-\u024f\u0370-\u04ff"  # as segment's Western runs
_LONG_WORD = re.compile(rf"[{_LATIN}]{{{MIN_LETTERS},}}")
_LETTERS = re.compile(rf"[{_LATIN}]+")
_dictionary = None


def _pyphen():
    global _dictionary
    if _dictionary is None:
        import pyphen  # lazy: only paragraphs with a long Latin word load the patterns
        _dictionary = pyphen.Pyphen(lang=LANGUAGE, left=LEFT, right=RIGHT)
    return _dictionary


# a camel-case word breaks where a capital follows a small letter, with this many letters on each side
HUMP_LETTERS = 3


@lru_cache(maxsize=8192)
def word_points(word: str) -> tuple[int, ...]:
    """Where a run of letters may break (offsets into it); none for short words and capitals.

    A camel-case word (PowerPoint, ZhangWei) is a compound: it breaks between its parts, and
    inside a part long enough to hyphenate alone, never by patterns read across the joint
    (LiM-ing, Pow-erPoint)."""
    if len(word) < MIN_LETTERS or word.isupper():
        return ()
    humps = [k for k in range(1, len(word)) if word[k].isupper() and word[k - 1].islower()]
    if not humps:
        return tuple(int(p) for p in _pyphen().positions(word))
    cuts = [0, *humps, len(word)]
    points = []
    for k, (a, b) in enumerate(zip(cuts, cuts[1:])):
        if k and a - cuts[k - 1] >= HUMP_LETTERS and b - a >= HUMP_LETTERS:
            points.append(a)
        points.extend(a + p for p in word_points(word[a:b]))
    return tuple(points)


@lru_cache(maxsize=8192)
def run_points(run: str) -> tuple[int, ...]:
    """Hyphenation points (offsets) of a Western run: of each of its words (``e-commerce``
    breaks in ``commerce``); none in a run with a digit (a number, a model name) or with
    . / @ : between its words (an address, a file name, a ratio)."""
    if any(c.isdigit() or c in "./@:" for c in run):
        return ()
    return tuple(m.start() + p for m in _LETTERS.finditer(run) for p in word_points(m.group(0)))


SOFT_HYPHEN = "\u00ad"


def may_hyphenate(text: str) -> bool:
    """Might ``text`` hold a word to hyphenate? (A cheap test that spares most Chinese paragraphs.)"""
    return _LONG_WORD.search(text) is not None or SOFT_HYPHEN in text


def hyphen_for(unit: Unit) -> tuple[float, Glyph]:
    """The hyphen set after ``unit`` at a line's end, in the face of its last letter:
    its width (em) and its glyph (``dx`` from the unit's left edge)."""
    font = unit.glyphs[-1].font
    ch, width = _hyphen_of(font)
    return width, Glyph(ch, font, unit.width)


_HYPHENS: "weakref.WeakKeyDictionary[object, tuple[str, float]]" = weakref.WeakKeyDictionary()


def _hyphen_of(font) -> tuple[str, float]:
    """U+2010 when the face has it as a Latin hyphen; a CJK face's U+2010 is a full-width
    form (1 em in Noto Serif SC), so then U+002D."""
    try:
        kept = _HYPHENS.get(font)
    except TypeError:  # a face that cannot be weakly referenced
        kept = None
    if kept is not None:
        return kept
    minus = font.advance(HYPHEN_MINUS)
    kept = (HYPHEN_MINUS, minus)
    if _has(font, HYPHEN) and font.advance(HYPHEN) <= minus + 1e-6:
        kept = (HYPHEN, font.advance(HYPHEN))
    try:
        _HYPHENS[font] = kept
    except TypeError:
        pass
    return kept


def piece(unit: Unit, a: int, b: int, *, hyphen: bool = False, joined: bool = False) -> Unit:
    """Characters ``a:b`` of a Western unit as a unit of their own (one glyph per character);
    ``hyphen`` and ``joined`` make the whole unit a piece of a word with a soft hyphen after or before it."""
    glyphs = unit.glyphs
    left = glyphs[a].dx
    right = glyphs[b].dx if b < len(glyphs) else unit.width
    part = Unit(unit.text[a:b], unit.start + a, WESTERN, right - left,
                [Glyph(g.char, g.font, g.dx - left, g.hscale) for g in glyphs[a:b]])
    if a == 0:
        part.glue, part.glue_kind, part.src_start, part.joined = unit.glue, unit.glue_kind, unit.src_start, unit.joined
        if joined:
            part.joined = JOIN_HYPHEN
    else:
        part.src_start, part.joined = unit.start + a, JOIN_HYPHEN
    if b == len(glyphs) and not hyphen:
        part.hyphen, part.hyphen_glyph = unit.hyphen, unit.hyphen_glyph
        if part.hyphen_glyph is not None:
            g = part.hyphen_glyph
            part.hyphen_glyph = Glyph(g.char, g.font, g.dx - left, g.hscale)
    else:
        part.hyphen, part.hyphen_glyph = hyphen_for(part)
    return part


def hyphenate(units: list[Unit], text: str) -> list[Unit]:
    """``units`` (of ``text``) with each hyphenatable word cut into pieces at its hyphenation
    points — a word with soft hyphens (U+00AD) at those alone, as its author placed them — (the
    units given are not changed; the same list when there is nothing to cut)."""
    out = None
    soft = SOFT_HYPHEN in text
    for k, u in enumerate(units):
        points = None
        if u.cls is WESTERN and not u.joined and not u.hyphen:
            if soft and k and _after_soft_hyphen(units[k - 1], u, text):
                if out is None:
                    out = units[:k]
                out[-1] = piece(out[-1], 0, len(out[-1].text), hyphen=True)
                out.append(piece(u, 0, len(u.text), joined=True))
                continue
            if len(u.text) >= MIN_LETTERS and not (soft and _soft_hyphen_beside(u, text)):
                glyphs = u.glyphs
                # one upright glyph per character (not vertical text)
                if len(glyphs) == len(u.text) and not any(g.rotate or g.cross for g in glyphs):
                    points = run_points(u.text)
        if points:
            if out is None:
                out = units[:k]
            cuts = (0, *points, len(u.text))
            out.extend(piece(u, a, b) for a, b in zip(cuts, cuts[1:]))
        elif out is not None:
            out.append(u)
    return units if out is None else out


def _after_soft_hyphen(prev: Unit, u: Unit, text: str) -> bool:
    """Do ``prev`` and ``u`` make one word, parted by soft hyphens only?"""
    end = prev.start + len(prev.text)
    return (prev.cls is WESTERN and not u.glue_kind and end < u.start
            and text[end:u.start].strip(SOFT_HYPHEN) == "" and prev.text[-1].isalpha() and u.text[0].isalpha())


def _soft_hyphen_beside(u: Unit, text: str) -> bool:
    end = u.start + len(u.text)
    return (u.start and text[u.start - 1] == SOFT_HYPHEN) or (end < len(text) and text[end] == SOFT_HYPHEN)
