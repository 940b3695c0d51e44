"""A paragraph's lines: first-line indent, breaks, justification, last line, orphans (rules §5–6).

``ParagraphSetter`` hands out one line at a time for whatever measure the
caller has at that point, so text can thread from a narrow column into a wide
one in the middle of a paragraph. ``compose_paragraph`` is the one-measure
shortcut used by copyfit and the tests.
"""

from __future__ import annotations

from pagesetter.compose import hyphenation, prohibition
from pagesetter.compose.classes import Cls
from pagesetter.compose.justify import Line, set_line
from pagesetter.compose.linebreak import EPS, Break, Breaker
from pagesetter.compose.segment import JOIN_HYPHEN, Glyph, TextFonts, Unit, characters, segment
from pagesetter.compose.totalfit import TotalFit
from pagesetter.compose.style import HouseStyle


class ParagraphSetter:
    def __init__(self, text: str, fonts: TextFonts, style: HouseStyle, *, indent: float | None = None,
                 justify: bool = True, tracking: float = 0.0, units: list[Unit] | None = None,
                 words: frozenset[int] | None = None):
        self.text = text
        self.style = style
        self.units: list[Unit] = segment(text, fonts, style) if units is None else units
        # only justified body text is hyphenated: not headlines (``words``), bylines, captions
        if style.hyphenate and justify and words is None and hyphenation.may_hyphenate(text):
            self.units = hyphenation.hyphenate(self.units, text)
        if tracking:
            track(self.units, tracking)
        self.allowed = prohibition.mark(self.units, style.prohibition)
        if words is not None:
            # headlines break only between words: ``words`` holds the offsets where one begins
            for k in range(1, len(self.units)):
                if self.allowed[k] and self.units[k].start not in words:
                    self.allowed[k] = False
        self.indent = style.first_line_indent if indent is None else indent
        self.justify = justify
        self.breaker = Breaker(self.units, self.allowed, style, self.indent)
        self.pos = 0
        self.count = 0
        # total-fit: breaks planned for the rest of the paragraph at one measure, kept while
        # the caller asks for that measure (a new measure plans again from where it is)
        self.total_fit = justify and style.breaking == "total-fit" and not style.hanging_punctuation
        self._plan: dict[int, Break] = {}
        self._plan_measure = -1.0
        self._fitter: TotalFit | None = None

    @property
    def done(self) -> bool:
        return self.pos >= len(self.units)

    def rest_width(self) -> float:
        """The natural width (em) of what is not yet set, as one line."""
        return 0.0 if self.done else self.breaker.natural(self.pos, len(self.units), self.count == 0)

    def lines_left(self, measure: float, at_most: int) -> int:
        """How many lines the rest of the paragraph takes at ``measure`` em; counting stops past ``at_most``."""
        n = len(self.units)
        if self.done:
            return 0
        br, first = self.breaker, self.count == 0
        if self.total_fit and self._planned(self.pos, measure, first) is not None:
            count, i = 0, self.pos
            while i < n and count <= at_most:
                b = self._plan.get(i)
                if b is None:
                    break
                i, count = b.end, count + 1
            if i >= n or count > at_most:
                return count
        count, i = 0, self.pos
        while i < n and count <= at_most:
            i, first, count = br.next(i, measure, first).end, False, count + 1
        return count

    def remaining_text(self) -> str:
        """The source text not yet set (for overset reports)."""
        if self.done:
            return ""
        u = self.units[self.pos]
        return self.text[(0 if self.pos == 0 else u.start):]

    def next_line(self, measure: float) -> Line:
        """Set the next line at ``measure`` em."""
        i = self.pos
        first = self.count == 0
        b = self._planned(i, measure, first) if self.total_fit else None
        split = None
        if b is None:
            b = self.breaker.next(i, measure, first)
            if b.how == "forced" or b.how == "push-out":
                split = self._split_unbreakable(i, b, measure, first)
                if split:
                    b = self.breaker.next(i, measure, first)
            b = self._avoid_orphan(b, measure, first)
        n = len(self.units)
        last = b.end >= n
        violation = None
        if split:
            violation = split
        elif b.how == "forced" and b.end < n and not self.allowed[b.end]:
            violation = (f"line ends with {self.units[b.end - 1].text!r} before {self.units[b.end].text!r}: "
                         "no legal break fitted")
        # a space at a break ends the line it follows, so no line's text starts with one
        text_start = 0 if i == 0 else self.units[i].start
        text_end = len(self.text) if last else self.units[b.end].start
        br = self.breaker
        line = set_line(self.units, i, b.end, self.text[text_start:text_end], measure, self.style,
                        how=b.how, indent=self.indent if first else 0.0,
                        last=last or not self.justify, violation=violation, opens=br.opens, capped=br.capped,
                        chars=br.chars)
        line.last = last
        self.pos = b.end
        self.count += 1
        return line

    def _planned(self, i: int, measure: float, first: bool) -> Break | None:
        """The total-fit break for the line at unit ``i``; None leaves this line to first fit."""
        if measure != self._plan_measure or i not in self._plan:
            if self.breaker.natural(i, len(self.units), first) <= measure + EPS:
                return None  # the rest fits one line: nothing to weigh
            if self._fitter is None:
                self._fitter = TotalFit(self.breaker, self.style)
            plan = self._fitter.plan(i, measure, first)
            self._plan = {b.start: b for b in plan} if plan else {}
            self._plan_measure = measure
        return self._plan.get(i)

    def _split_unbreakable(self, i: int, b: Break, measure: float, first: bool) -> str | None:
        """Split a Latin word or number that no line can hold whole — the only case where an
        unbreakable run is broken — and say so (the line's violation); None when there is none.

        A word wider than the measure is split where this line ends, the marks that open it
        (《 “ （) staying before it, never alone at a line's end. A word that starts a line and
        fits it, but not with the mark that may not start the next (”》）), is as wide: it gives
        that mark its last letter."""
        units, br, n = self.units, self.breaker, len(self.units)
        fits = measure + EPS
        m = i  # the first unit that does not fit on this line
        while m < n and br.natural(i, m + 1, first) <= fits:
            m += 1
        if m >= n:
            return None
        u = units[m]
        if u.cls is Cls.WESTERN and len(u.text) > 1:
            s = m  # where the word starts, with the marks that open it
            while s > i and units[s - 1].no_end:
                s -= 1
            if br.natural(s, m + 1, first and s == i) > fits:  # too wide for any line
                used = (self.indent if first else 0.0) if m == i else \
                    br.natural(i, m, first) + units[m - 1].end_trim  # the line goes on past unit m - 1
                room = measure - used
                if s > i and room < u.glue + u.glyphs[min(2, len(u.glyphs) - 1)].dx:
                    return None  # no room here for two letters: the word starts the next line, its marks with it
                return self._overwide(m, room)
        if b.how == "forced" and m == i + 1 and units[m].no_start:
            w = units[i]
            if w.cls is Cls.WESTERN and len(w.text) > 1:
                text = self._split_overwide(i, w.glue + w.glyphs[-1].dx)
                return (f"{text!r} with the {units[m + 1].text!r} after it is wider than the measure: "
                        "split as a last resort")
        return None

    def _overwide(self, i: int, room: float) -> str | None:
        text = self._split_overwide(i, room)
        return f"{text!r} is wider than the measure: split as a last resort" if text else None

    def _split_overwide(self, i: int, room: float) -> str | None:
        """Split a Latin word or number wider than the whole measure (the only
        case where an unbreakable run is broken); returns the run, or None."""
        u = self.units[i]
        if u.cls is not Cls.WESTERN or len(u.text) < 2:
            return None
        room -= u.glue
        k = 1
        while k < len(u.glyphs) - 1 and u.glyphs[k + 1].dx <= room + 1e-9:
            k += 1
        cut = u.glyphs[k].dx
        head = Unit(u.text[:k], u.start, Cls.WESTERN, cut, u.glyphs[:k], glue=u.glue, glue_kind=u.glue_kind,
                    src_start=u.src_start, joined=u.joined)
        tail_glyphs = [Glyph(g.char, g.font, g.dx - cut, g.hscale) for g in u.glyphs[k:]]
        tail = Unit(u.text[k:], u.start + k, Cls.WESTERN, u.width - cut, tail_glyphs, src_start=u.start + k)
        if u.hyphen_glyph is not None:  # a piece of a hyphenated word: the hyphen stays after it
            g = u.hyphen_glyph
            tail.hyphen, tail.hyphen_glyph = u.hyphen, Glyph(g.char, g.font, g.dx - cut, g.hscale)
        self.units[i:i + 1] = [head, tail]
        self.allowed = prohibition.mark(self.units, self.style.prohibition)
        self.allowed[i + 1] = True
        self.breaker = Breaker(self.units, self.allowed, self.style, self.indent)
        self.breaker.plain_break(i + 1)  # the split, a break like any other (not one of attached runs)
        self._plan, self._fitter = {}, None
        return u.text

    def _avoid_orphan(self, b: Break, measure: float, first: bool) -> Break:
        """If what follows this line would end the paragraph as an orphan, push one unit down (§6)."""
        need = self.style.orphan_min
        n = len(self.units)
        if not need or b.end >= n or b.how == "forced":
            return b
        br = self.breaker
        if br.natural(b.end, n) > measure + EPS or _han(self.units[b.end:n]) >= need:
            return b
        k = b.end - 1
        while k > b.start and br.natural(k, n) <= measure + EPS:
            if br.plain[k] and _han(self.units[k:n]) >= need:
                return Break(b.start, k, "push-out")
            k -= 1
        return b


def track(units: list[Unit], tracking: float) -> None:
    """Letter-space ``units`` by ``tracking`` em: space between units (not inside a word),
    which vanishes at line ends like any glue."""
    for u in units[1:]:
        if u.joined != JOIN_HYPHEN:
            u.glue += tracking


def _han(units: list[Unit]) -> int:
    return sum(map(characters, units))


def compose_paragraph(text: str, fonts: TextFonts, style: HouseStyle, measure: float, *,
                      indent: float | None = None, justify: bool = True, tracking: float = 0.0,
                      units: list[Unit] | None = None, words: frozenset[int] | None = None) -> list[Line]:
    """All lines of ``text`` at one measure (em); with ``words``, breaks only where a word begins."""
    setter = ParagraphSetter(text, fonts, style, indent=indent, justify=justify, tracking=tracking, units=units,
                             words=words)
    lines = []
    while not setter.done:
        lines.append(setter.next_line(measure))
    return lines
