"""Fitting one line to its measure (rules §5): trims, push-in shrink, push-out stretch.

Shrink goes class by class in the priority order of §5.3, each class applied
equally to all its instances in the line before the next is touched. Stretch
is spread evenly (均排) over the gaps between characters, CJK–Latin spaces and
Latin word spaces together, each space stopping at its ceiling; never inside a
unit (a Latin word, a number, a 2-em dash), never beside a connector or
solidus, and never between a mark and the text it belongs to.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import compress
from typing import NamedTuple

from pagesetter.compose.classes import Cls
from pagesetter.compose.segment import (
    CLOSE, COMMA, DASH, GLUE_CJK_LATIN, GLUE_WORD, JOIN_HYPHEN, OPEN, STOP, WESTERN,
    Metrics, Unit,
)
from pagesetter.compose.style import HouseStyle


class PlacedGlyph(NamedTuple):
    """A glyph set on a line: its character, face, position (em) and scale. A named tuple:
    ``set_line`` makes one per character, with ``tuple.__new__`` (a third of a dataclass's cost)."""

    char: str
    font: Metrics
    x: float          # em from the line's start
    hscale: float = 1.0
    cross: float = 0.0
    rotate: int = 0


@dataclass
class Line:
    """One composed line. Lengths in em of the paragraph's size."""

    text: str                     # the exact source text of the line
    glyphs: list[PlacedGlyph]
    measure: float
    width: float                  # set width (= measure when justified)
    natural: float                # width before justification
    adjust: float                 # + stretch / − shrink applied, em
    max_gap: float                # widest opening between two units (space beyond what the style sets there), em
    how: str                      # fit, push-in, push-out, hang, last, forced
    last: bool
    indent: float = 0.0
    violation: str | None = None  # a prohibition broken as a last resort
    loose_reason: str | None = None
    unit_range: tuple[int, int] = (0, 0)
    han_count: int = 0
    hang: float = 0.0             # width set past the measure (hanging punctuation)
    stretch_gaps: int = 0
    min_gap: float = 0.0          # the most a space was squeezed (≤ 0), em
    ink_extent: tuple[float, float] | None = field(default=None, compare=False, repr=False)  # set by page.collisions


def set_line(units: list[Unit], i: int, j: int, text: str, measure: float, style: HouseStyle, *,
             how: str, opens: list[bool], capped: list[int], chars: list[int], indent: float = 0.0,
             last: bool = False, violation: str | None = None) -> Line:
    """Place units ``i:j`` on a line of ``measure`` em. ``opens``, ``capped`` and ``chars``: the
    paragraph's gaps that may open, its capped spaces and its running count of characters
    (``linebreak.Breaker``)."""
    seg = units[i:j]
    widths = [u.width for u in seg]
    shift = [0.0] * len(seg)           # glyph shift inside each unit (left blank removed)
    glue = [u.glue for u in seg]
    glue[0] = 0.0
    first = seg[0]
    if first.cls is OPEN and first.blank_left:
        widths[0] -= first.blank_left
        shift[0] -= first.blank_left
    end = seg[-1]
    c = end.cls
    if c is CLOSE or c is COMMA or c is STOP:
        widths[-1] -= end.blank_right
    elif end.hyphen and how != "hang":
        widths[-1] += end.hyphen  # a hyphenated word: the hyphen is set after its first part
    hang = 0.0
    body = len(seg)
    if how == "hang":
        hang = widths[-1]
        body -= 1
    natural = indent + sum(widths[:body]) + sum(glue[:body])
    slack = measure - natural
    extra = [0.0] * len(seg)  # space added before unit k
    adjust = 0.0
    loose_reason = None
    gaps = 0
    if slack < -1e-9:
        adjust = -_shrink(seg, widths, shift, glue, -slack, style, body)
    elif slack > 1e-9 and not last:
        # the paragraph's tables, for this line's units
        first_cap = bisect_right(capped, i)
        adjust, gaps, loose_reason = _stretch(
            seg, glue, extra, slack, style, body, list(compress(range(1, body), opens[i:i + body - 1])),
            [k - i for k in capped[first_cap:bisect_left(capped, i + body, first_cap)]])
    glyphs: list[PlacedGlyph] = []
    append = glyphs.append
    placed, new = PlacedGlyph, tuple.__new__
    max_gap = min_gap = 0.0
    base = indent + shift[0]
    for g in first.glyphs:
        append(new(placed, (g.char, g.font, base + g.dx, g.hscale, g.cross, g.rotate)))
    x = indent + widths[0]
    for u, w, gl, ex, sh in zip(seg[1:], widths[1:], glue[1:], extra[1:], shift[1:]):
        gap = gl + ex
        x += gap
        opened = gap - u.glue  # beyond the space the style sets there
        if opened > max_gap:
            max_gap = opened
        elif opened < min_gap:
            min_gap = opened
        base = x + sh
        for g in u.glyphs:
            append(new(placed, (g.char, g.font, base + g.dx, g.hscale, g.cross, g.rotate)))
        x += w
    if end.hyphen and how != "hang":
        g = end.hyphen_glyph
        append(placed(g.char, g.font, x - end.hyphen, g.hscale))
    width = x - hang
    han = chars[j] - chars[i]
    if loose_reason is None and not last and max_gap >= style.max_gap - 1e-9:
        runs = []
        for k, u in enumerate(seg):
            if u.joined == JOIN_HYPHEN and runs and seg[k - 1].hyphen:
                runs[-1] += u.text  # the pieces of a hyphenated word, named as the word
            elif (u.cls is WESTERN or u.cls is DASH) and len(u.text) > 1:
                runs.append(u.text)
        loose_reason = f"{slack:.2f} em spread over {gaps} gaps"
        if runs:
            loose_reason += f"; unbreakable {', '.join(repr(r) for r in runs[:3])} leaves too few"
    # in the order of Line's fields (positional: the keywords cost more than the line's glyphs)
    return Line(text, glyphs, measure, width, natural, adjust, max_gap, how, last, indent, violation,
                loose_reason, (i, j), han, hang, gaps, min_gap)


def _share(amount: float, caps: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Split ``amount`` over instances in proportion to their capacities."""
    total = sum(c for _, c in caps)
    if total <= 0:
        return []
    f = min(1.0, amount / total)
    return [(k, c * f) for k, c in caps]


def _shrink(seg, widths, shift, glue, need, style: HouseStyle, body: int) -> float:
    """Take ``need`` em out of the line, in the order of §5.3; returns what was taken."""
    taken = 0.0
    last = body - 1
    order = [
        [(k, glue[k] - 0.25) for k in range(1, body) if seg[k].glue_kind == GLUE_WORD and glue[k] > 0.25],
        [(k, widths[k] - 0.5) for k in range(body) if seg[k].cls is Cls.DOT and widths[k] > 0.5],
        [(k, seg[k].blank_left) for k in range(1, body) if seg[k].cls is Cls.OPEN and seg[k].blank_left > 0]
        + [(k, seg[k].blank_right) for k in range(last) if seg[k].cls is Cls.CLOSE and seg[k].blank_right > 0],
        [(k, seg[k].blank_right) for k in range(last) if seg[k].cls is Cls.COMMA and seg[k].blank_right > 0],
        [(k, glue[k] - style.cjk_latin_min) for k in range(1, body)
         if seg[k].glue_kind == GLUE_CJK_LATIN and glue[k] > style.cjk_latin_min],
    ]
    if style.punctuation != "kaiming":
        order.append([(k, seg[k].blank_right) for k in range(last) if seg[k].cls is Cls.STOP and seg[k].blank_right > 0])
    for level, caps in enumerate(order):
        if taken >= need - 1e-12:
            break
        for k, amount in _share(need - taken, caps):
            if level in (0, 4):
                glue[k] -= amount
            else:
                widths[k] -= amount
                if seg[k].cls is Cls.OPEN or (seg[k].cls is Cls.DOT):
                    shift[k] -= amount if seg[k].cls is Cls.OPEN else amount / 2
            taken += amount
    return taken


def _stretch(seg, glue, extra, slack, style: HouseStyle, body: int, gaps: list[int], capped: list[int]):
    """Spread ``slack`` em evenly (§5.4): every gap that may open — between characters, a
    CJK–Latin space, a Latin word space — takes the same share; a CJK–Latin space stops at
    ``cjk_latin_max`` and a word space at ½ em, and what they cannot take goes to the others.
    Only when every gap is at its ceiling do the gaps between characters open further.
    ``gaps``: the line's gaps that may open (``linebreak.stretch_gap``); ``capped``: those that
    are CJK–Latin or word spaces."""
    caps = {}
    for k in capped:
        kind = seg[k].glue_kind
        caps[k] = max(0.0, (style.cjk_latin_max if kind == GLUE_CJK_LATIN else 0.5) - glue[k])
    if not gaps:  # a line of nothing but a web address: it is letter-spaced
        gaps = [k for k in range(1, body) if seg[k].joined and seg[k].joined != JOIN_HYPHEN]
        for k in gaps:
            kind = seg[k].glue_kind
            if kind == GLUE_CJK_LATIN:
                caps[k] = max(0.0, style.cjk_latin_max - glue[k])
            elif kind == GLUE_WORD:
                caps[k] = max(0.0, 0.5 - glue[k])
    if not gaps:
        return 0.0, 0, "no gap to stretch (one unbreakable unit)"
    if not caps:  # every gap takes the same share
        each = slack / len(gaps)
        for k in gaps:
            extra[k] += each
        return slack, len(gaps), None
    rest = slack
    open_ = len(gaps)
    filled = set()
    # water-fill: a capped gap that cannot take an even share takes its cap
    for k in sorted(caps, key=caps.get):
        if caps[k] >= rest / open_:
            break
        extra[k] += caps[k]
        rest -= caps[k]
        open_ -= 1
        filled.add(k)
    free = [k for k in gaps if k not in filled] or gaps  # all at their ceilings: all open further
    each = rest / len(free)
    for k in free:
        extra[k] += each
    return slack, len(gaps), None
