"""Total-fit line breaking (Knuth–Plass style) over a whole paragraph.

Every legal break is a candidate; a line's cost weighs how far it must be
stretched (the opening of each gap between characters, rules §5.4) or pushed
in (within the style's squeeze limits, §5.3), plus penalties: a number split
from its unit or date (6月29 / 日), a short last line (孤字), and two very
loose or very tight lines in a row. The cheapest sequence of breaks wins.

Prohibited breaks are never candidates. A start from which no legal break
fits leaves the paragraph to the first-fit breaker (which reports the forced
break). The search keeps, per break, the best path for each fitness class;
only ends within the stretch cut-off of a line start are tried, and partial
paths dearer than the first-fit solution are dropped, so the work grows
linearly with the paragraph. A plan that needs a line past the cut-off all the
same is searched again with such lines allowed near it (``plan``).
"""

from __future__ import annotations

from bisect import bisect_right
from heapq import heappop, heappush
from itertools import accumulate
from operator import le

from pagesetter.compose.linebreak import EPS, Break, Breaker
from pagesetter.compose.segment import (
    CLOSE, COMMA, GLUE_CJK_LATIN, GLUE_WORD, HAN, JOIN_HYPHEN, OPEN, STOP, WESTERN, Unit,
)
from pagesetter.compose.style import HouseStyle

# Han characters that name the unit or part of a date after a number: a break
# between the number and them costs UNIT_SPLIT (1,500 / 家, 6月29 / 日).
UNIT_CHARS = frozenset("年月日时分秒号点元角万亿千百家个只人次名位岁台辆件项所座条种余多米克吨亩公里度倍户套张周天期届")
UNIT_SPLIT = 120.0
URL_BREAKS = (0.0, 30.0, 150.0, 0.0)  # a web address broken after a / or . ; inside a word of it
HYPHEN_BREAK = 50.0        # a line ending at a hyphenation point (TeX's hyphenpenalty)
ATTACHED_BREAK = 10000.0   # a break between Latin runs written on to each other (US / $500): when nothing else fits
DOUBLE_HYPHEN = 10000.0    # two hyphenated lines in a row (demerits: TeX's doublehyphendemerits, on the same scale)
SHORT_LAST = 1000.0        # a last line under the style's orphan_min characters
ADJACENT_EXTREMES = 3000.0  # two very loose or two very tight lines in a row (demerits)
CLASS_JUMP = 1000.0        # a decent line next to a very loose one, and so on (demerits)
# a line of nothing but a web address is letter-spaced (justify.py): its gaps count as this many
# times wider, so another break is found when there is one
LETTER_SPACING = 4.0
CUTOFF = 2.0               # stretch ratios above this are not tried (unless nothing else fits)
# a line opened past the style's max_gap (the ceiling; a loose line in the report) costs this much more, so
# another break is taken where one does almost as well
PAST_CEILING = 100.0
PUSH_IN = 5.0              # squeezing a line costs a little even when it is easy
WINDOW = 4                 # lines either side of one past the cut-off where the second search may set such lines



def number_unit(before: str, after: str) -> bool:
    """Are ``before`` and ``after`` the end of a number and the unit or date part it takes (1,500 家, 29 日)?"""
    return before[-1:].isdigit() and after[:1] in UNIT_CHARS


def unit_split(units: list[Unit], k: int) -> bool:
    """Does a break before unit ``k`` part a number from its unit or date?"""
    a, b = units[k - 1], units[k]
    return a.cls is WESTERN and number_unit(a.text, b.text)


class TotalFit:
    """Plans a paragraph's breaks at one measure from a given start."""

    def __init__(self, breaker: Breaker, style: HouseStyle):
        self.br = breaker
        self.style = style
        units = breaker.units
        acc, shr = breaker._acc, breaker._shrink
        n = len(units)
        # per break position: natural(i, j) = hi[j] - lo[i], shrinkable(i, j) = shi[j] - slo[i]
        # gaps[k]: stretchable gaps before units 1..k; han[k]: characters in units[:k].
        # A plain ideograph adds nothing to any of them but its width: the tables start as the
        # prefix sums (one gap and one character per unit) and are patched at the special units.
        kaiming = style.punctuation == "kaiming"
        cjk_min = style.cjk_latin_min
        lo = acc[:n] + [0.0]
        hi = acc[:]
        slo = shr[:n] + [0.0]
        shi = shr[:]
        gap = breaker.opens   # gap[k - 1]: may the gap before unit k open?
        joins = [0] * len(gap)
        penalty = [0.0] * max(n + 1, 2)
        # the gaps with a ceiling (CJK–Latin and word spaces, as justify._stretch has them): how many,
        # and what they can take together; the other gaps take the rest of a line's slack (line_cost)
        capped = [0] * len(gap)
        room = [0.0] * len(gap)
        cl_max = style.cjk_latin_max
        allowed = breaker.allowed
        for k in breaker.special:
            u = units[k]
            c = u.cls
            opening = c is OPEN
            trimmed = c is CLOSE or c is COMMA or c is STOP   # Unit.end_trim's classes
            lo[k] = acc[k] + u.glue + (u.blank_left if opening else 0.0)
            if c is not HAN:
                hi[k + 1] = acc[k + 1] - (u.blank_right if trimmed else -u.hyphen)
                if c is WESTERN and k + 1 < n and allowed[k + 1]:
                    joined = units[k + 1].joined
                    penalty[k + 1] = HYPHEN_BREAK if joined == JOIN_HYPHEN else \
                        UNIT_SPLIT if unit_split(units, k + 1) else \
                        ATTACHED_BREAK if k + 1 in breaker.attached else URL_BREAKS[joined]
            if c is not HAN or u.glue_kind:
                # a line's first unit keeps no glue and no opening blank to give up
                kind = u.glue_kind
                slo[k] = shr[k] + (max(0.0, u.glue - 0.25) if kind == GLUE_WORD else
                                   max(0.0, u.glue - cjk_min) if kind == GLUE_CJK_LATIN else 0.0) \
                    + (u.blank_left if opening else 0.0)
            if trimmed and not (kaiming and c is STOP):
                shi[k + 1] = shr[k + 1] - u.blank_right
            if k and u.joined and u.joined != JOIN_HYPHEN:
                joins[k - 1] = 1
        for k in breaker.capped:
            u = units[k]
            capped[k - 1] = 1
            room[k - 1] = max(0.0, (cl_max if u.glue_kind == GLUE_CJK_LATIN else 0.5) - u.glue)
        gaps = list(accumulate([0] + gap))
        gaps.append(gaps[-1] if gaps else 0)
        ncap = list(accumulate([0] + capped))
        ncap.append(ncap[-1] if ncap else 0)
        caproom = list(accumulate([0.0] + room))
        caproom.append(caproom[-1] if caproom else 0.0)
        self._ncap, self._caproom = ncap, caproom
        joined = list(accumulate([0] + joins))
        joined.append(joined[-1] if joined else 0)
        self._joined = joined
        self._lo, self._hi, self._slo, self._shi = lo, hi, slo, shi
        # line ends never move left as a line takes more units (no negative letter-spacing or widths)
        self._monotone = all(map(le, hi, hi[1:]))
        self._gaps = gaps
        self._han = breaker.chars
        self.work = 0  # candidate lines weighed so far (the search's cost, for tests and benchmarks)
        self._penalty = penalty
        self._hyphens = frozenset(breaker.hyphens)

    def line_cost(self, i: int, j: int, measure: float, first: bool, last: bool):
        """(badness + penalty, fitness class, opening of its widest gap) of units ``i:j`` as one line;
        badness is None when the line cannot be set (overfull past the squeeze limit).
        Fitness: 0 very tight, 1 decent, 2 loose, 3 very loose."""
        slack = measure - (self._hi[j] - self._lo[i] + (self.br.indent if first else 0.0))
        penalty = self._penalty[j]
        if slack < -EPS:
            shrink = self._shi[j] - self._slo[i]
            if self.style.push != "in-first" or -slack > shrink + EPS:
                return None, 0, 0.0
            r = -slack / shrink
            return 100.0 * r * r * r + penalty + PUSH_IN, (0 if r > 0.5 else 1), 0.0
        if last:
            if self.style.orphan_min and i > 0 and self._han[j] - self._han[i] < self.style.orphan_min:
                penalty += SHORT_LAST
            return penalty, 1, 0.0
        if slack <= EPS:
            return penalty, 1, 0.0
        gaps = self._gaps[j - 1] - self._gaps[i] or (self._joined[j - 1] - self._joined[i]) / LETTER_SPACING
        if gaps <= 0:
            return 100.0 * CUTOFF ** 3 + penalty, 3, slack
        e = slack / gaps
        k = self._ncap[j - 1] - self._ncap[i]
        if k and k < gaps:
            cap = self._caproom[j - 1] - self._caproom[i]
            if e * k > cap:  # the spaces with a ceiling fill up: the other gaps take the rest
                e = (slack - cap) / (gaps - k)
        r = e / self.style.max_gap
        badness = 100.0 * r * r * r + (PAST_CEILING if r > 1.0 else 0.0)
        return badness + penalty, (1 if r <= 0.5 else 2 if r <= 1.0 else 3), e

    def plan(self, start: int, measure: float, first: bool) -> list[Break] | None:
        """The breaks from ``start`` to the paragraph's end, or None when some start has no fitting legal break.

        The search tries no line looser than the cut-off while a tighter one was found. When the
        cheapest plan it finds has a line past the cut-off all the same (copy with long Latin
        words or numbers at a narrow measure), a plan with other such lines near it may be
        cheaper: the search runs again, bounded by the plan it has, with lines up to that one's
        looseness starting within ``WINDOW`` lines of it (elsewhere the cut-off stands, so a
        long paragraph costs no more than twice)."""
        found = self._search(start, measure, first, self._first_fit_cost(start, measure, first), CUTOFF)
        if found is not None and found[2]:
            breaks = found[1]
            ratios = [self._ratio(b.start, b.end, measure, first and b.start == start) for b in breaks]
            widest = max(ratios)
            if widest > CUTOFF:
                wide = bytearray(len(self.br.units) + 1)
                for q, r in enumerate(ratios):
                    if r > CUTOFF:
                        a, b = breaks[max(0, q - WINDOW)].start, breaks[min(len(breaks) - 1, q + WINDOW)].end
                        wide[a:b] = b"\x01" * (b - a)
                wider = self._search(start, measure, first, found[0] * (1 + 1e-9) + 1e-6, CUTOFF,
                                     (widest + 1e-9, wide))
                if wider is not None and wider[0] < found[0]:
                    found = wider
        return None if found is None else found[1]

    def _ratio(self, i: int, j: int, measure: float, first: bool) -> float:
        """The stretch ratio of units ``i:j`` as a justified line; 0 for a line with no gap to
        open or none to fill (a last line, a full or squeezed one)."""
        if j >= len(self.br.units):
            return 0.0
        cost, fit, e = self.line_cost(i, j, measure, first, False)
        opens = self._gaps[j - 1] - self._gaps[i] or self._joined[j - 1] - self._joined[i]
        return e / self.style.max_gap if cost is not None and opens > 0 else 0.0

    def _search(self, start: int, measure: float, first: bool, bound: float,
                cutoff: float, wide: tuple[float, bytearray] | None = None) -> tuple[float, list[Break], bool] | None:
        """The cheapest breaks within ``bound`` (demerits), their cost, and whether a line past
        ``cutoff`` (a stretch ratio) was taken; None when no path is found. ``wide``: another
        cut-off, and the starts where it applies."""
        br = self.br
        n = len(br.units)
        allowed = br.allowed
        acc = br._acc
        lo, hi, slo, shi, gaps, penalty = self._lo, self._hi, self._slo, self._shi, self._gaps, self._penalty
        joined = self._joined
        ncap, caproom = self._ncap, self._caproom
        push_in = self.style.push == "in-first"
        monotone = self._monotone
        unit = self.style.max_gap
        cutoff = narrow = cutoff * unit
        loose_cutoff, loose_starts = (wide[0] * unit, wide[1]) if wide else (cutoff, None)
        line_cost = self.line_cost
        indent = br.indent
        ceiling = 100.0 * CUTOFF ** 3
        hyphens = self._hyphens
        # best[p] = {fitness: (total, previous break, its fitness)}
        best: dict[int, dict[int, tuple[float, int, int]]] = {start: {1: (0.0, -1, 1)}}
        queue = [start]
        work = 0
        loose = False  # a line past the cut-off was taken (the only one from its start)
        while queue:
            p = heappop(queue)
            nodes = best[p].items()
            is_first = first and p == start
            start_x = lo[p]
            shift = indent if is_first else 0.0
            limit = measure + EPS + start_x - shift  # a line p:j fits unsqueezed when hi[j] <= limit
            # the longest line that may fit: end trims are at most ½ em; push-in lengthens it
            j = max(p + 1, bisect_right(acc, limit + 0.5, p + 1, n + 1) - 1)
            if push_in:
                s_p = slo[p]
                while j < n and hi[j + 1] - shi[j + 1] + s_p <= limit:
                    j += 1
            tried = False
            top = j
            g_p, joined_p = gaps[p], joined[p]
            if loose_starts is not None:
                cutoff = loose_cutoff if loose_starts[p] else narrow
            ncap_p, caproom_p = ncap[p], caproom[p]
            hyphen_p = p in hyphens  # the line before ended in a hyphen
            # below the first line too loose for any path through p to stay within the bound, every
            # shorter line is looser still (its end lies no further right, with no more gaps to
            # open, and no web address in reach to letter-space): stop there
            steady = monotone and joined[top - 1] == joined_p
            low = min(best[p].values())[0] if steady else 0.0
            while j > p:
                if j < n and not allowed[j]:
                    j -= 1
                    continue
                # worked out as line_cost does, to the last bit: a line on a class boundary (r = 1.0)
                # falls in the same fitness class as when the first-fit bound was costed
                slack = measure - (hi[j] - start_x + shift)
                if slack < -EPS or j == n:
                    cost, fit, e = line_cost(p, j, measure, is_first, j == n)
                    if cost is None:
                        j -= 1
                        continue
                elif slack <= EPS:
                    cost, fit = penalty[j], 1
                else:
                    g = gaps[j - 1] - g_p or (joined[j - 1] - joined_p) / LETTER_SPACING
                    if g <= 0:  # nothing to open: only ever the longest line from p
                        if tried:
                            break
                        cost, fit, e = ceiling + penalty[j], 3, slack
                    else:
                        e = slack / g
                        k = ncap[j - 1] - ncap_p
                        if k and k < g:
                            cap = caproom[j - 1] - caproom_p
                            if e * k > cap:
                                e = (slack - cap) / (g - k)
                        r = e / unit
                        badness = 100.0 * r * r * r + (PAST_CEILING if r > 1.0 else 0.0)
                        if steady:  # (the shorter lines have gaps to open: a line with none ends the search from p)
                            least = 1.0 + badness
                            if low + least * least > bound:
                                break
                        cost, fit = badness + penalty[j], (1 if r <= 0.5 else 2 if r <= 1.0 else 3)
                    if e > cutoff:
                        if tried:
                            break
                        loose = True
                tried = True
                line = (1.0 + cost) * (1.0 + cost)
                if hyphen_p and j in hyphens:
                    line += DOUBLE_HYPHEN
                target = best.get(j)
                for pf, node in nodes:
                    t = node[0] + line
                    if fit != pf:
                        if fit - pf > 1 or pf - fit > 1:
                            t += CLASS_JUMP
                    elif fit == 3 or fit == 0:
                        t += ADJACENT_EXTREMES
                    if t > bound:
                        continue
                    if target is None:
                        target = best[j] = {}
                        if j < n:
                            heappush(queue, j)
                    old = target.get(fit)
                    if old is None or t < old[0]:
                        target[fit] = (t, p, pf)
                j -= 1
            work += top - j
        self.work += work
        end = best.get(n)
        if not end:
            return None
        fit = min(end, key=lambda f: end[f][0])
        total = end[fit][0]
        breaks: list[Break] = []
        j = n
        while j != start:
            _, p, pf = best[j][fit]
            squeezed = hi[j] - lo[p] + (br.indent if first and p == start else 0.0) > measure + EPS
            breaks.append(Break(p, j, "last" if j == n else "push-in" if squeezed else "fit"))
            j, fit = p, pf
        breaks.reverse()
        return total, breaks, loose

    def _first_fit_cost(self, start: int, measure: float, first: bool) -> float:
        """What the first-fit breaks cost (plus a margin): an upper bound for the search."""
        br = self.br
        n = len(br.units)
        i, total, is_first, pf = start, 0.0, first, 1
        while i < n:
            b = br.next(i, measure, is_first)
            if b.how == "forced" or b.how == "hang":
                return float("inf")
            cost, fit, _ = self.line_cost(i, b.end, measure, is_first, b.end >= n)
            if cost is None:
                return float("inf")
            total += (1.0 + cost) ** 2
            if i in self._hyphens and b.end in self._hyphens:
                total += DOUBLE_HYPHEN
            if (fit == 3 and pf == 3) or (fit == 0 and pf == 0):
                total += ADJACENT_EXTREMES
            elif abs(fit - pf) > 1:
                total += CLASS_JUMP
            i, is_first, pf = b.end, False, fit
        return total * (1 + 1e-9) + 1e-6
