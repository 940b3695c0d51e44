"""Choosing line breaks: first fit, then push-in or push-out (rules §5, steps 2–4).

The breaker works one line at a time, so each line may have its own measure
(a story that runs on into a wider frame changes measure mid-paragraph).
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import NamedTuple

from pagesetter.compose.classes import Cls
from pagesetter.compose.segment import (
    CLOSE, COMMA, DOT, GLUE_CJK_LATIN, GLUE_WORD, HAN, JOIN_HYPHEN, JOIN_INSIDE, OPEN, STOP, WESTERN, Unit,
    characters,
)
from pagesetter.compose.style import HouseStyle

EPS = 1e-6
HANGABLE = frozenset("、，。")  # §5: at most one of these may hang


class Break(NamedTuple):
    """Units ``start:end`` form one line. ``how`` says how the break was found:
    ``fit``, ``push-in``, ``push-out``, ``hang``, ``last`` or ``forced`` (no legal
    break fitted: a last-resort exception to the prohibitions, reported).
    A named tuple: one is made per line, and a frozen dataclass costs three times as much."""

    start: int
    end: int
    how: str


def shrink_capacity(u: Unit, style: HouseStyle, first: bool) -> float:
    """How much a unit (with its glue) may give up when a line is pushed in (§5.3)."""
    cap = 0.0
    if not first:
        if u.glue_kind == GLUE_WORD:
            cap += max(0.0, u.glue - 0.25)
        elif u.glue_kind == GLUE_CJK_LATIN:
            cap += max(0.0, u.glue - style.cjk_latin_min)
    c = u.cls
    if c is DOT:
        cap += max(0.0, u.width - 0.5)
    elif c is OPEN:
        cap += 0.0 if first else u.blank_left
    elif c is CLOSE or c is COMMA:
        cap += u.blank_right
    elif c is STOP and style.punctuation != "kaiming":
        cap += u.blank_right
    return cap


_NO_GAP = (Cls.CONNECTOR, Cls.SOLIDUS)
_KEEP_AFTER = (Cls.CLOSE, Cls.COMMA, Cls.STOP)
_KEEP_BEFORE = (Cls.OPEN,)


def attached(prev: Unit, u: Unit) -> bool:
    """Is ``u`` a Latin run written on to the one before, with no space (US$500, China., (really),
    "yes")? The two read as one word: justification opens no gap between them, and a line breaks
    there only when nothing else fits (``Breaker.attached``)."""
    return u.cls is WESTERN and prev.cls is WESTERN and not u.glue_kind and not u.joined


def stretch_gap(prev: Unit, u: Unit) -> bool:
    """May justification open the gap before ``u``? (Not beside a connector or
    solidus, not between a mark and the text it belongs to, not between Latin
    runs written on to each other: China. (really) US$500.)"""
    return not (u.cls in _NO_GAP or prev.cls in _NO_GAP or u.cls in _KEEP_AFTER or prev.cls in _KEEP_BEFORE
                or u.joined or attached(prev, u))


class Breaker:
    """First-fit line breaking over one paragraph's units."""

    def __init__(self, units: list[Unit], allowed: list[bool], style: HouseStyle, indent: float):
        self.units = units
        self.allowed = allowed
        self.style = style
        self.indent = indent
        # the units that are more than a plain ideograph (a mark, a Latin run, a space before,
        # letter-spacing, part of a web address): every per-unit table here and in totalfit is
        # worked out from the prefix sums alone for the others, and patched at these
        han = HAN
        self.special = special = [k for k, u in enumerate(units)
                                  if u.cls is not han or u.glue or u.glue_kind or u.joined]
        self._acc = list(accumulate([u.width + u.glue for u in units], initial=0.0))
        caps = [0.0] * len(units)
        ends = [0.0] * len(units)  # Unit.end_trim of each unit
        chars = [1] * len(units)   # segment.characters of each unit
        for k in special:
            u = units[k]
            c = u.cls
            if c is not han:
                chars[k] = characters(u)
            if c is not han or u.glue_kind:
                caps[k] = shrink_capacity(u, style, False)
            if c is CLOSE or c is COMMA or c is STOP:
                ends[k] = u.blank_right
            elif u.hyphen:
                ends[k] = -u.hyphen  # a line ending here takes a hyphen
        self._shrink = list(accumulate(caps, initial=0.0))
        self._end_trim = ends
        self.chars = list(accumulate(chars, initial=0))  # chars[j] - chars[i]: what units i:j count as (孤字)
        # opens[k - 1]: may justification open the gap before unit k (stretch_gap)? Always between
        # two plain ideographs; worked out beside the special units. ``capped``: the units k whose
        # gap opens and is a CJK–Latin or word space, which stops at a ceiling (justify._stretch)
        n = len(units)
        self.opens = opens = [True] * (n - 1 if n else 0)
        self.capped = capped = []
        for k in special:
            u = units[k]
            if k:
                opens[k - 1] = stretch_gap(units[k - 1], u)
                if opens[k - 1] and (u.glue_kind == GLUE_CJK_LATIN or u.glue_kind == GLUE_WORD):
                    capped.append(k)
            if k + 1 < n:
                opens[k] = stretch_gap(u, units[k + 1])
        # hyphenation points (breaks before a later piece of a word): first fit takes one only
        # when the line would otherwise be loose; ``plain`` is ``allowed`` without them
        # (breaks inside a word of a web address likewise: index.html before inde / x.html; between
        # Latin runs written on to each other, ``attached``, only when nothing else fits: US / $500)
        self.attached = frozenset(k for k in special if k and allowed[k] and attached(units[k - 1], units[k]))
        self.hyphens = sorted(self.attached.union(k for k in special if allowed[k] and (
            units[k].joined == JOIN_HYPHEN or units[k].joined == JOIN_INSIDE)))
        self.plain = allowed
        if self.hyphens:
            self.plain = plain = list(allowed)
            for k in self.hyphens:
                plain[k] = False
            self.next = self._next_hyphenating

    def plain_break(self, k: int) -> None:
        """Make the break before unit ``k`` an ordinary one: where a word wider than the measure was
        split (its two pieces would otherwise read as runs written on to each other)."""
        if k in self.attached:
            self.attached = self.attached - {k}
            self.hyphens.remove(k)
            if self.plain is not self.allowed:
                self.plain[k] = True

    def natural(self, i: int, j: int, first: bool = False) -> float:
        """Width of units ``i:j`` set as one line, with line-start and line-end trims."""
        u = self.units[i]
        w = self._acc[j] - self._acc[i] - u.glue - u.start_trim - self._end_trim[j - 1]
        return w + (self.indent if first else 0.0)

    def shrinkable(self, i: int, j: int) -> float:
        """What units ``i:j`` may give up by push-in; the line-end mark is already trimmed."""
        u = self.units
        total = (self._shrink[j] - self._shrink[i]
                 - shrink_capacity(u[i], self.style, False) + shrink_capacity(u[i], self.style, True))
        last = u[j - 1]
        c = last.cls
        if c is CLOSE or c is COMMA or (c is STOP and self.style.punctuation != "kaiming"):
            total -= last.blank_right
        return total

    def _next_hyphenating(self, i: int, measure: float, first: bool = False, limit: int | None = None) -> Break:
        """``next`` of a paragraph with hyphenation points: one is taken only when the line would
        otherwise be looser than the style's ``max_gap`` or could not be set at all (a word wider
        than the measure)."""
        b = Breaker.next(self, i, measure, first, limit)
        n = len(self.units) if limit is None else limit
        if b.how == "last" or b.how == "push-in" or b.how == "hang" or b.end >= n:
            return b
        if b.how != "forced" and not self._loose(i, b.end, measure, first):
            return b
        # the furthest hyphenation point past the break (any, when it was forced) that still fits
        hyphens, best = self.hyphens, None
        fits = measure + EPS
        for h in hyphens[bisect_right(hyphens, i if b.how == "forced" else b.end):]:
            if h > n:
                break
            if h in self.attached and b.how != "forced":
                continue
            if self.natural(i, h, first) <= fits:
                best = h
            elif self.natural(i, h, first) - self.units[h - 1].hyphen > fits:
                break  # the line is full: later points lie further right still
        return Break(i, best, "fit") if best is not None else b

    def _loose(self, i: int, j: int, measure: float, first: bool) -> bool:
        """Would units ``i:j``, justified, open a gap wider than the style's ``max_gap``?"""
        slack = measure - self.natural(i, j, first)
        if slack <= EPS:
            return False
        gaps = sum(self.opens[i:j - 1])
        return gaps == 0 or slack / gaps > self.style.max_gap + EPS

    def next(self, i: int, measure: float, first: bool = False, limit: int | None = None) -> Break:
        """The break for the line starting at unit ``i``; ``limit`` caps the end (orphan control).
        Hyphenation points are left to ``_next_hyphenating``."""
        n = len(self.units) if limit is None else limit
        allowed = self.plain
        # the prefix sums bound the line from above (trims only shorten it): start from there
        acc, ends = self._acc, self._end_trim
        u = self.units[i]
        # natural(i, j, first), spelt out: acc[j] - a - glue - trim - ends[j - 1] + indent
        a, glue, trim = acc[i], u.glue, u.start_trim
        indent = self.indent if first else 0.0
        fits = measure + EPS
        room = fits + a + glue + trim + 0.5 - indent
        j = max(i + 1, min(n, bisect_right(acc, room, i + 1, n + 1) - 1))
        while j > i + 1 and acc[j] - a - glue - trim - ends[j - 1] + indent > fits:
            j -= 1
        while j < n and acc[j + 1] - a - glue - trim - ends[j] + indent <= fits:
            j += 1
        if j >= n and acc[n] - a - glue - trim - ends[n - 1] + indent <= fits:
            return Break(i, n, "last" if limit is None else "fit")
        if j == i + 1 and acc[j] - a - glue - trim - ends[j - 1] + indent > fits:
            # not even one unit fits: a Latin word wider than the measure
            return Break(i, i + 1, "forced")
        if allowed[j]:
            return Break(i, j, "fit")
        style = self.style
        if style.hanging_punctuation:
            u = self.units[j]
            if (u.text in HANGABLE and j + 1 <= len(self.units) and allowed[j + 1]
                    and not self.units[j - 1].cls in (Cls.COMMA, Cls.STOP, Cls.CLOSE)):
                return Break(i, j + 1, "hang")
        if style.push == "in-first":
            k = j + 1
            while k < len(self.units) and not allowed[k]:
                k += 1
            if k <= n and self.natural(i, k, first) - self.shrinkable(i, k) <= measure + EPS:
                return Break(i, k, "last" if k == len(self.units) and limit is None else "push-in")
        k = j - 1
        while k > i and not allowed[k]:
            k -= 1
        if k > i:
            return Break(i, k, "push-out")
        return Break(i, j, "forced")
