"""Text → units: the atoms a line is built from, with their natural widths.

A unit is one Han character, one punctuation mark, one 2-em dash or ellipsis,
or one unbreakable Latin word or number. Punctuation widths follow the house
style (开明式 …), the adjacent-pair rule and, for the stop, the
``stop_beside_mark`` setting; line-start and line-end trims are left for the
line, since only the breaker knows where lines start and end.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import Protocol

from pagesetter.compose.classes import (
    DASH_SINGLE, DASH_UNITS, FIXED_WIDTHS, FRAME_BLANKS, PREFIX_SIGNS, UNIT_SUFFIXES, Cls, char_class,
    is_alnum_western, is_latin,
)
from pagesetter.compose.style import HouseStyle

PUNCT = (Cls.OPEN, Cls.CLOSE, Cls.COMMA, Cls.STOP, Cls.DOT)
# Enum members read as ``Cls.X`` go through a descriptor (a Python call each): the hot loops
# of the composer compare against these module constants instead.
HAN, OPEN, CLOSE, COMMA, STOP, DOT = Cls.HAN, Cls.OPEN, Cls.CLOSE, Cls.COMMA, Cls.STOP, Cls.DOT
WESTERN, DASH, CONNECTOR, SOLIDUS = Cls.WESTERN, Cls.DASH, Cls.CONNECTOR, Cls.SOLIDUS

# Glue kinds: the space before a unit.
GLUE_NONE, GLUE_CJK_LATIN, GLUE_WORD, GLUE_FIXED = 0, 1, 2, 3

# Ink of a 2-em dash stops this far (em) short of the unit's ends.
DASH_MARGIN = 0.04


class Metrics(Protocol):
    """What the composer needs from a font: advances and ink extents in em."""

    key: str

    def advance(self, ch: str) -> float: ...

    def ink(self, ch: str) -> tuple[float, float]: ...


@dataclass(frozen=True)
class TextFonts:
    """The faces one paragraph is set in: CJK text and Western runs.

    ``fallback(ch)`` names another face that has ``ch`` when the main one lacks
    it (body 书宋 → 黑体 → the other configured faces). With ``missing_marker``
    a character no face has is set as 〓 (the typesetter's mark for a missing
    sort) instead of stopping the render; ``missing`` collects those characters."""

    cjk: Metrics
    western: Metrics
    fallback: object = None
    missing_marker: bool = False
    missing: list | None = None


@dataclass(slots=True)
class Glyph:
    """One glyph of a unit: ``dx`` from the unit's left edge, in em; ``hscale`` 1 = natural."""

    char: str
    font: Metrics
    dx: float
    hscale: float = 1.0
    cross: float = 0.0   # offset across the line (em): side-by-side digits in vertical text
    rotate: int = 0      # 90: turned a quarter clockwise (Latin and dashes in vertical text)


@dataclass(slots=True)
class Unit:
    """One unit a line is built from (a Han character, a mark, a Latin word or number), with its widths and glue."""

    text: str
    start: int          # index of the unit's first character in the paragraph text
    cls: Cls
    width: float        # natural width (em) after style and pair rules
    glyphs: list[Glyph]
    blank_left: float = 0.0   # blank kept at the left of the face (trimmed at line start if OPEN)
    blank_right: float = 0.0  # blank kept at the right of the face (trimmed at line end)
    glue: float = 0.0         # natural space before this unit (em)
    glue_kind: int = GLUE_NONE
    src_start: int = -1       # index where the unit's text span begins, preceding spaces included
    no_start: bool = False    # set by prohibition.mark
    no_end: bool = False
    stacked: bool = False     # part of a run of ?! marks set tight
    stack_end: bool = False   # the last mark of such a run
    frame: tuple[float, float] = (0.0, 0.0)  # blank (left, right) of a mark's nominal 1-em frame
    # a later character of a web or e-mail address (no space before it, never letter-spaced): JOIN_SEPARATOR
    # before / . - _ ? & = # @, where a line may break; JOIN_INSIDE elsewhere and JOIN_NEVER in ://, where
    # a line breaks only when nothing else fits (a forced break, reported)
    joined: int = 0
    # a piece of a hyphenated word followed by the next piece: the hyphen set after it when a line
    # ends there (its width, em, and its glyph; hyphenation.py)
    hyphen: float = 0.0
    hyphen_glyph: Glyph | None = None

    def __copy__(self) -> "Unit":
        # copy.copy's generic path (reduce, then one setattr per slot) costs ten times this
        return Unit(self.text, self.start, self.cls, self.width, self.glyphs, self.blank_left, self.blank_right,
                    self.glue, self.glue_kind, self.src_start, self.no_start, self.no_end, self.stacked,
                    self.stack_end, self.frame, self.joined, self.hyphen, self.hyphen_glyph)

    @property
    def start_trim(self) -> float:
        """Width removed when the unit begins a line."""
        return self.blank_left if self.cls is OPEN else 0.0

    @property
    def end_trim(self) -> float:
        """Width removed when the unit ends a line (a mark at line end is ½ em); less than
        nothing before a hyphenation point, where the hyphen is added."""
        c = self.cls
        return self.blank_right if c is CLOSE or c is COMMA or c is STOP else -self.hyphen


class _Ideograph(Unit):
    """A plain ideograph as ``segment`` makes it, the bulk of any text: only the fields the
    composer reads for every unit are stored (making a full unit costs twice as much); the
    others, read only for marks, read as the defaults below (a read that costs more)."""


for _name in ("blank_left", "blank_right", "no_start", "no_end", "stacked", "stack_end", "frame", "hyphen",
              "hyphen_glyph"):
    setattr(_Ideograph, _name, Unit.__dataclass_fields__[_name].default)


def characters(u: Unit) -> int:
    """How many characters ``u`` counts as where a short last line is judged (孤字, rules §6): an
    ideograph one; a Latin word or number as many as the ems it fills, at least one (a telephone
    number is no lone character); a later piece of a hyphenated word, and a mark, none."""
    c = u.cls
    if c is HAN:
        return 1
    return max(1, int(u.width + 1e-9)) if c is WESTERN and u.joined != JOIN_HYPHEN else 0


# Western run: Latin words and numbers with their sign, separators and unit
# (-5, 1,200, 3.14, 85%, 30℃, ¥100, 5G), never split across lines.
_ALNUM = r"[A-Za-z0-9\u00c0-\u024f\u0370-\u04ff]"
_WESTERN_RUN = re.compile(rf"[{PREFIX_SIGNS}]?[+\-]?{_ALNUM}+(?:[.,:'’\-&/∶]{_ALNUM}+)*[{UNIT_SUFFIXES}]*")
_SPACES = " \t\u00a0"
# A web address may break after / . - _ ? & = # (not inside "//"); trailing sentence punctuation is not part of it.
_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]*[A-Za-z0-9/#=_\-~]")
# A web address without scheme or www. (read.example.cn/books/1), known by its top-level domain.
_DOMAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*(?:\.[A-Za-z0-9\-]+)*\.(?:com|cn|net|org|gov|edu|info|io|co|uk|hk|tw)"
                     r"(?![A-Za-z0-9])(?:/[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]*[A-Za-z0-9/#=_\-~])?")
# An e-mail address: set like a web address, never hyphenated, broken only before its @ or a dot.
_EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
JOIN_SEPARATOR, JOIN_INSIDE, JOIN_NEVER = 1, 2, 3
# a later piece of a hyphenated word (hyphenation.py): not part of a web address
JOIN_HYPHEN = 4
# Characters that only qualify their neighbours or the encoding — variation selectors,
# zero-width (non-)joiners, the BOM, the soft hyphen: kept in the text, set with no glyph.
_IGNORABLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad" + "".join(chr(c) for c in range(0xFE00, 0xFE10)))


def _ignorable(ch: str) -> bool:
    return ch in _IGNORABLE or 0xE0100 <= ord(ch) <= 0xE01EF


# Per CJK face: the ideographs it has, each with its advance and its glyph list (shared by every
# unit of that character, never changed), built up as text is set and kept for the face's life.
_HAN_TABLES: "weakref.WeakKeyDictionary[Metrics, dict[str, tuple[float, list[Glyph]]]]" = weakref.WeakKeyDictionary()


# Per CJK face, likewise: the punctuation marks it has, each with its class, width and glyph offset
# (a mark's glyph is its unit's own: the pair rules move it).
_MARK_TABLES: "weakref.WeakKeyDictionary[Metrics, dict[str, tuple[Cls, float, float]]]" = weakref.WeakKeyDictionary()


def _face_table(face: Metrics, tables: weakref.WeakKeyDictionary) -> dict:
    """``face``'s table in ``tables`` (_HAN_TABLES or _MARK_TABLES), made empty the first time."""
    try:
        table = tables.get(face)
        if table is None:
            table = tables[face] = {}
        return table
    except TypeError:  # a face that cannot be weakly referenced: a table for this call only
        return {}


def segment(text: str, fonts: TextFonts, style: HouseStyle, frame_blanks=None,
            runs: list[tuple[int, int, TextFonts]] | None = None) -> list[Unit]:
    """Split ``text`` into units with their natural widths under ``style``.

    ``frame_blanks(unit)`` may replace a mark's class blanks (vertical forms
    put their ink elsewhere in the em than the horizontal ones). ``runs`` —
    (start, end, faces), not overlapping — sets stretches of the text in other
    faces (strong, emphasis); no unit crosses a run's edge."""
    units: list[Unit] = []
    append = units.append
    marks: list[int] = []   # the punctuation marks
    others: list[int] = []  # every unit but the plain ideographs with no space before them
    new, ideograph = object.__new__, _Ideograph
    widths = dict(style.western_widths)
    i, n = 0, len(text)
    pending_space = -1  # index of the first space before the next unit
    base = fonts
    # where the faces change: a run's end (back to the base faces) before the next run's start
    changes = [(p, f) for p, _, f in sorted([(b, 0, base) for a, b, f in runs] + [(a, 1, f) for a, b, f in runs],
                                            key=lambda c: c[:2])] if runs else []
    next_change, k = (changes[0][0] if changes else n + 1), 0
    limit = min(next_change, n)
    cjk = fonts.cjk
    cjk_has = getattr(cjk, "has", None)
    han = _face_table(cjk, _HAN_TABLES)
    marked = _face_table(cjk, _MARK_TABLES)
    hug = style.single_quotes == "hug"
    while i < n:
        if i >= next_change:
            while k < len(changes) and changes[k][0] <= i:
                fonts = changes[k][1]
                k += 1
            next_change = limit = changes[k][0] if k < len(changes) else n
            cjk = fonts.cjk
            cjk_has = getattr(cjk, "has", None)
            han = _face_table(cjk, _HAN_TABLES)
            marked = _face_table(cjk, _MARK_TABLES)
        ch = text[i]
        known = han.get(ch)
        if known is None and "\u4e00" <= ch <= "\u9fff" and (cjk_has is None or cjk_has(ch)):
            known = han[ch] = (cjk.advance(ch), [Glyph(ch, cjk, 0.0)])
        if known is not None:
            # the common case, an ideograph of the main face: no class or run to look up
            if pending_space >= 0:
                others.append(len(units))
                append(Unit(ch, i, HAN, known[0], known[1], 0.0, 0.0, 0.0, GLUE_WORD, pending_space))
                pending_space = -1
            else:
                u = new(ideograph)
                u.text, u.start, u.cls, u.width, u.glyphs, u.src_start = ch, i, HAN, known[0], known[1], i
                u.glue, u.glue_kind, u.joined = 0.0, GLUE_NONE, 0
                append(u)
            i += 1
            continue
        if ch in _SPACES or ch == "\n":
            if pending_space < 0:
                pending_space = i
            i += 1
            continue
        if _ignorable(ch):
            i += 1
            continue
        if ch in "hHwWfF" and (m := _URL.match(text, i, limit)) is not None and ("://" in m.group(0) or ch in "wW") \
                or ch.isascii() and ch.isalnum() and ((m := _EMAIL.match(text, i, limit)) is not None
                                                      or (m := _DOMAIN.match(text, i, limit)) is not None):
            url = m.group(0)
            for j, c in enumerate(url):
                unit = _western_unit(c, i, fonts, widths)
                unit.src_start = i
                if j:
                    unit.joined = _url_join(url, j)
                elif pending_space >= 0:
                    unit.src_start, unit.glue_kind = pending_space, GLUE_WORD
                others.append(len(units))
                append(unit)
                i += 1
            pending_space = -1
            continue
        mark = marked.get(ch)
        if mark is not None:
            unit = Unit(ch, i, mark[0], mark[1], [Glyph(ch, cjk, mark[2])])
        else:
            unit = _next_unit(text, i, fonts, widths, limit)
            if unit.cls in FRAME_BLANKS and unit.text == ch and unit.glyphs[0].font is cjk:
                # a mark's unit depends on the character and the face alone (not on its neighbours)
                g = unit.glyphs[0]
                if g.char == ch and g.hscale == 1.0:
                    marked[ch] = (unit.cls, unit.width, g.dx)
        unit.src_start = pending_space if pending_space >= 0 else i
        if pending_space >= 0:
            unit.glue_kind = GLUE_WORD
        pending_space = -1
        if unit.cls in FRAME_BLANKS:
            unit.frame = (frame_blanks(unit) if frame_blanks else None) or (
                _single_quote_frame(unit) if unit.text in SINGLE_QUOTES and hug else None) or FRAME_BLANKS[unit.cls]
            marks.append(len(units))
        others.append(len(units))
        append(unit)
        i += len(unit.text)
    _set_punctuation_widths(units, style, marks)
    _set_glue(units, base, style, others)
    return units


SINGLE_QUOTES = {"‘": "“", "’": "”"}


def _single_quote_frame(u: Unit) -> tuple[float, float] | None:
    """‘ and ’ draw a narrower ink than “ and ” in the same half em, so they would stand off
    their text; their face is cut to the ink plus the white the double quote leaves outside it."""
    g = u.glyphs[0]
    try:
        left, right = g.font.ink(u.text)
        dleft, dright = g.font.ink(SINGLE_QUOTES[u.text])
    except Exception:
        return None
    dadv = g.font.advance(SINGLE_QUOTES[u.text])
    if u.cls is OPEN:
        dx = 1.0 - dadv if abs(dadv - 1.0) > 1e-3 else 0.0  # where _next_unit puts the double quote
        margin = max(0.0, dx + dleft - 0.5)
        blank = g.dx + left - margin
        return (blank, 0.0) if blank > 0.5 + 0.02 else None
    margin = max(0.0, 0.5 - dright)
    blank = 1.0 - (g.dx + right) - margin
    return (0.0, blank) if blank > 0.5 + 0.02 else None


def _url_join(url: str, k: int) -> int:
    """How a line may break before ``url[k]`` (Chicago's rule): after :// , before a single
    slash and before . , - _ ~ ? # % @ , before or after = and & ; inside a word only as a last
    resort, with three letters or digits on each side (never htt / ps, index.htm / l)."""
    c, prev = url[k], url[k - 1]
    if c == "/" and prev in ":/" or c == ":" and url.startswith("//", k + 1):
        return JOIN_NEVER
    if prev == "/" and url[k - 2:k] in ("//", ":/") or c in "/.,-_~?#%=&@" or prev in "=&":
        return JOIN_SEPARATOR
    return JOIN_INSIDE if k >= 3 and k + 3 <= len(url) and url[k - 3:k + 3].isalnum() else JOIN_NEVER


def _next_unit(text: str, i: int, fonts: TextFonts, widths: dict[str, float], end: int | None = None) -> Unit:
    ch = text[i]
    end = len(text) if end is None else end
    for dash in DASH_UNITS:
        if text.startswith(dash, i, end):
            return _dash_unit(dash, i, fonts.cjk)
    if ch in DASH_SINGLE:
        return _dash_unit(ch, i, fonts.cjk)
    if ch.isascii() or ch in PREFIX_SIGNS or is_latin(ch):
        m = _WESTERN_RUN.match(text, i, end)
        if m:
            return _western_unit(m.group(0), i, fonts, widths)
    cls = char_class(ch)
    if cls is WESTERN:
        # a unit or currency sign outside a number: the CJK face has its full-width form
        return _western_unit(ch, i, fonts if ch.isascii() else TextFonts(fonts.cjk, fonts.cjk, fonts.fallback,
                                                                       fonts.missing_marker, fonts.missing), widths)
    font = _face_for(ch, fonts.cjk, fonts)
    if font is None:
        return _marker_unit(ch, i, fonts)
    adv = font.advance(ch)
    if cls in FRAME_BLANKS:
        # Punctuation has a nominal 1-em frame. A glyph narrower than that (U+00B7
        # is 0.327 em in Noto, 楷体 fonts draw “” 0.35 em wide) goes where the mark's
        # face is: against the text it belongs to, or centred for middle dots.
        dx = 0.0
        if abs(adv - 1.0) > 1e-3:
            left, right = FRAME_BLANKS[cls]
            if cls is DOT:
                dx = (1.0 - adv) / 2
            elif left:    # opening marks: face on the right, next to what follows
                dx = 1.0 - adv
            elif right:   # closing and pause marks: face on the left, next to what precedes
                dx = 0.0
        return Unit(ch, i, cls, 1.0, [Glyph(ch, font, dx)])
    if cls in (CONNECTOR, SOLIDUS):
        return _fixed_unit(ch, i, cls, fonts.western if ch.isascii() else font)
    return Unit(ch, i, cls, adv, [Glyph(ch, font, 0.0)])


def _has(font: Metrics, ch: str) -> bool:
    has = getattr(font, "has", None)
    if has is not None:
        return has(ch)
    try:
        font.advance(ch)
        return True
    except Exception:
        return False


def _face_for(ch: str, primary: Metrics, fonts: TextFonts) -> Metrics | None:
    """The face that draws ``ch``: the primary one, else the first fallback that has it."""
    if _has(primary, ch):
        return primary
    if fonts.fallback is not None:
        face = fonts.fallback(ch)
        if face is not None:
            return face
    if fonts.missing_marker:
        return None
    primary.advance(ch)  # raises MissingGlyph naming the character and font
    raise AssertionError("unreachable")


MISSING_MARK = "〓"


def _marker_unit(ch: str, i: int, fonts: TextFonts) -> Unit:
    """A character no font has, shown as 〓 so the proof cannot hide it."""
    if fonts.missing is not None:
        fonts.missing.append(ch)
    font = fonts.cjk
    return Unit(ch, i, HAN, 1.0, [Glyph(MISSING_MARK, font, (1.0 - font.advance(MISSING_MARK)) / 2)])


def _fixed_unit(ch: str, i: int, cls: Cls, font: Metrics) -> Unit:
    """Connectors and solidi take a fixed width (§1); the glyph is centred in it,
    condensed if wider, and a long connector is drawn edge to edge."""
    width = FIXED_WIDTHS.get(ch, font.advance(ch))
    adv = font.advance(ch)
    if ch == "—":
        left, right = font.ink(ch)
        ink = right - left
        scale = (width - 2 * DASH_MARGIN) / ink if ink > 0 else 1.0
        return Unit(ch, i, cls, width, [Glyph(ch, font, DASH_MARGIN - left * scale, scale)])
    if adv > width:
        return Unit(ch, i, cls, width, [Glyph(ch, font, 0.0, width / adv)] if ch != "／" else
                    [Glyph(ch, font, (width - adv) / 2)])
    return Unit(ch, i, cls, width, [Glyph(ch, font, (width - adv) / 2)])


def _western_unit(run: str, i: int, fonts: TextFonts, widths: dict[str, float]) -> Unit:
    glyphs, x = [], 0.0
    for c in run:
        font = _face_for(c, fonts.western, fonts)
        if font is None:
            if fonts.missing is not None:
                fonts.missing.append(c)
            glyphs.append(Glyph(MISSING_MARK, fonts.cjk, x))
            x += 1.0
            continue
        fixed = widths.get(c)
        if fixed is None:
            glyphs.append(Glyph(c, font, x))
            x += font.advance(c)
            continue
        # a house width: the narrowest glyph at least that wide, condensed to
        # fit, or else the widest centred in it; the ink never spills over
        faces = sorted(dict.fromkeys((fonts.western, fonts.cjk)), key=lambda f: f.advance(c))
        wide = [f for f in faces if f.advance(c) >= fixed - 1e-9]
        face = wide[0] if wide else faces[-1]
        adv = face.advance(c)
        if adv > fixed:
            glyphs.append(Glyph(c, face, x, fixed / adv))
        else:
            glyphs.append(Glyph(c, face, x + (fixed - adv) / 2))
        x += fixed
    return Unit(run, i, WESTERN, x, glyphs)


def _dash_unit(dash: str, i: int, font: Metrics) -> Unit:
    """—— and …… as one 2-em unit; the dash is drawn as one continuous rule."""
    glyphs = []
    if len(dash) == 1:  # ⸺ two-em dash glyph
        adv = font.advance(dash)
        return Unit(dash, i, DASH, 2.0, [Glyph(dash, font, 0.0, 2.0 / adv if adv else 1.0)])
    for k, c in enumerate(dash):
        if c == "\u2014":
            left, right = font.ink(c)
            ink = right - left
            # stretch each glyph's ink over its half of the unit, meeting in the middle
            lo = k + (DASH_MARGIN if k == 0 else 0.0)
            hi = k + 1 - (DASH_MARGIN if k == len(dash) - 1 else 0.0)
            scale = (hi - lo) / ink if ink > 0 else 1.0
            glyphs.append(Glyph(c, font, lo - left * scale, scale))
        else:
            adv = font.advance(c)
            scale = 1.0 / adv if adv else 1.0
            glyphs.append(Glyph(c, font, float(k), scale))
    return Unit(dash, i, DASH, 2.0, glyphs)


def _set_punctuation_widths(units: list[Unit], style: HouseStyle, marks: list[int]) -> None:
    """Style widths, the stop-beside-mark width, then the adjacent-pair rule (rules §3).
    ``marks``: the indices of the units that are marks (in ``FRAME_BLANKS``), in order."""
    kaiming = style.punctuation == "kaiming"
    banjiao = style.punctuation == "banjiao"
    if not marks:
        return
    if any(units[k].text in STACKABLE for k in marks):
        _stack_question_exclamation(units)
    n = len(units)
    for k in marks:
        u = units[k]
        left, right = u.frame
        if banjiao or (kaiming and u.cls is not STOP) or u.stacked:
            left = right = 0.0
        u.blank_left, u.blank_right = left, right
    if style.stop_beside_mark < 1.0:
        for k in marks:
            u = units[k]
            if u.cls is STOP and not u.stacked and not u.stack_end:
                prev = units[k - 1] if k else None
                nxt = units[k + 1] if k + 1 < n else None
                beside = (prev is not None and prev.cls in PUNCT and not _spaced(u)) or (
                    nxt is not None and nxt.cls in PUNCT and not _spaced(nxt))
                if beside:
                    u.blank_right = min(u.blank_right, max(0.0, style.stop_beside_mark - 0.5))
    for k in marks:
        if k + 1 >= n:
            continue
        a, b = units[k], units[k + 1]
        if b.cls not in PUNCT or _spaced(b) or (a.stacked and (b.stacked or b.stack_end)):
            continue
        total = _frame_width(a) + _frame_width(b)
        between = a.blank_right + b.blank_left
        if total <= 1.5 + 1e-9 or between <= 0:
            continue
        cut = min(between, total - 1.5, 0.5)
        if DOT in (a.cls, b.cls):
            cut = min(cut, max(0.0, between - 0.5))
        take = min(a.blank_right, cut)
        a.blank_right -= take
        b.blank_left -= cut - take
    for k in marks:
        u = units[k]
        face_left, face_right = u.frame
        u.width = 1.0 - face_left - face_right + u.blank_left + u.blank_right
        # the glyph's frame starts left of the unit by what was trimmed on the left
        for g in u.glyphs:
            g.dx -= face_left - u.blank_left


STACKABLE = frozenset("？！")


def _stack_question_exclamation(units: list[Unit]) -> None:
    """GB sets two stacked ?! marks in 1 em and three in 2 em: all but the last
    give up their blank; the last keeps it only in a run of three or more."""
    k = 0
    while k < len(units):
        j = k
        while j < len(units) and units[j].text in STACKABLE and (j == k or units[j].glue_kind == GLUE_NONE):
            j += 1
        if j - k >= 2:
            for u in units[k:j - 1]:
                u.stacked = True
            units[j - 1].stacked = j - k == 2
            units[j - 1].stack_end = True
        k = max(j, k + 1)


def _frame_width(u: Unit) -> float:
    left, right = u.frame
    return 1.0 - left - right + u.blank_left + u.blank_right


def _spaced(u: Unit) -> bool:
    return u.glue_kind != GLUE_NONE


def _set_glue(units: list[Unit], fonts: TextFonts, style: HouseStyle, others: list[int]) -> None:
    """CJK–Latin spacing between Han and Latin letters or digits (rules §4); word spaces.
    Only pairs with one of ``others`` (every unit but the unspaced plain ideographs) can take any."""
    western = WESTERN
    n = len(units)
    for k in sorted({k for o in others for k in (o, o + 1) if 0 < k < n}):
        a, b = units[k - 1], units[k]
        if b.glue_kind == GLUE_NONE and a.cls is not western and b.cls is not western:
            continue  # most pairs: two Chinese units, nothing between them
        if _cjk_latin_pair(a, b):
            b.glue_kind = GLUE_CJK_LATIN  # a source space here is replaced, not doubled
            b.glue = style.cjk_latin_space
        elif b.glue_kind == GLUE_WORD:
            if a.cls in PUNCT or b.cls in PUNCT:
                b.glue_kind, b.glue = GLUE_NONE, 0.0  # the mark's own blank serves (§4)
            elif a.cls is WESTERN or b.cls is WESTERN:  # Latin words, or Latin text beside Chinese (e.g. 文)
                b.glue = fonts.western.advance(" ") if _has(fonts.western, " ") else 0.25
            else:
                b.glue_kind = GLUE_FIXED  # a space between Chinese words: one em
                b.glue = 1.0
    if units and units[0].glue_kind != GLUE_NONE:
        units[0].glue_kind, units[0].glue = GLUE_NONE, 0.0


def _cjk_latin_pair(a: Unit, b: Unit) -> bool:
    """Han beside a Latin word or number; a number with its sign or unit (¥100, 85%) counts as one."""
    if a.cls is HAN and b.cls is WESTERN:
        return any(is_alnum_western(c) for c in b.text)
    if a.cls is WESTERN and b.cls is HAN:
        return any(is_alnum_western(c) for c in a.text)
    return False
