"""Fitting one line to its measure (rules §5): trims, push-in shrink, push-out stretch.

Shrink and stretch go class by class in the priority order of §5, each class
applied equally to all its instances in the line before the next is touched;
what stretch remains is spread evenly over the inter-character gaps (均排),
never inside a unit (a Latin word, a number, a 2-em dash), never beside a
connector or solidus, and never between a mark and the text it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

from pagesetter.compose.classes import Cls
from pagesetter.compose.segment import GLUE_CJK_LATIN, GLUE_WORD, Metrics, Unit
from pagesetter.compose.style import HouseStyle

_NO_GAP = (Cls.CONNECTOR, Cls.SOLIDUS)
# Punctuation stays against the text it belongs to: no stretch before a closing
# bracket, pause or stop, nor after an opening bracket.
_KEEP_AFTER = (Cls.CLOSE, Cls.COMMA, Cls.STOP)
_KEEP_BEFORE = (Cls.OPEN,)


@dataclass(slots=True)
class PlacedGlyph:
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
    max_gap: float                # widest space between two units, em
    how: str                      # fit, push-in, push-out, hang, last, forced
    last: bool
    indent: float = 0.0
    violation: str | None = None  # a prohibition broken as a last resort
    loose_reason: str | None = None
    unit_range: tuple[int, int] = (0, 0)
    han_count: int = 0
    hang: float = 0.0             # width set past the measure (hanging punctuation)
    stretch_gaps: int = 0


def set_line(units: list[Unit], i: int, j: int, text: str, measure: float, style: HouseStyle, *,
             how: str, indent: float = 0.0, last: bool = False, violation: str | None = None) -> Line:
    """Place units ``i:j`` on a line of ``measure`` em."""
    seg = units[i:j]
    widths = [u.width for u in seg]
    shift = [0.0] * len(seg)           # glyph shift inside each unit (left blank removed)
    glue = [u.glue for u in seg]
    glue[0] = 0.0
    first = seg[0]
    if first.start_trim:
        widths[0] -= first.start_trim
        shift[0] -= first.start_trim
    end = seg[-1]
    widths[-1] -= end.end_trim
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
        adjust, gaps, loose_reason = _stretch(seg, glue, extra, slack, style, body)
    x = indent
    glyphs: list[PlacedGlyph] = []
    append = glyphs.append
    max_gap = 0.0
    for k, u in enumerate(seg):
        if k:
            gap = glue[k] + extra[k]
            x += gap
            if gap > max_gap:
                max_gap = gap
        base = x + shift[k]
        for g in u.glyphs:
            append(PlacedGlyph(g.char, g.font, base + g.dx, g.hscale, g.cross, g.rotate))
        x += widths[k]
    width = x - hang
    if loose_reason is None and not last and max_gap > style.max_gap + 1e-9:
        runs = [u.text for u in seg if u.cls in (Cls.WESTERN, Cls.DASH) and len(u.text) > 1]
        loose_reason = f"{slack:.2f} em spread over {gaps} gaps"
        if runs:
            loose_reason += f"; unbreakable {', '.join(repr(r) for r in runs[:3])} leaves too few"
    han = 0
    for u in seg:
        if u.cls is Cls.HAN or u.cls is Cls.WESTERN:
            han += 1
    return Line(text=text, glyphs=glyphs, measure=measure, width=width, natural=natural, adjust=adjust,
                max_gap=max_gap, how=how, last=last, indent=indent, violation=violation,
                loose_reason=loose_reason, unit_range=(i, j), han_count=han, hang=hang, stretch_gaps=gaps)


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


def _stretch(seg, glue, extra, slack, style: HouseStyle, body: int):
    """Spread ``slack`` em: word spaces, then CJK–Latin spacing, then every gap (§5.4)."""
    given = 0.0
    kinds = {u.glue_kind for u in seg[1:body]}
    for kind, cap in ((GLUE_WORD, 0.5), (GLUE_CJK_LATIN, style.cjk_latin_max)):
        if kind not in kinds:
            continue
        caps = [(k, cap - glue[k]) for k in range(1, body) if seg[k].glue_kind == kind and glue[k] < cap]
        for k, amount in _share(slack - given, caps):
            glue[k] += amount
            given += amount
    rest = slack - given
    classes = [u.cls for u in seg[:body]]
    if any(c in _KEEP_AFTER or c in _KEEP_BEFORE or c in _NO_GAP for c in classes):
        gaps = [k for k in range(1, body)
                if classes[k] not in _NO_GAP and classes[k - 1] not in _NO_GAP
                and classes[k] not in _KEEP_AFTER and classes[k - 1] not in _KEEP_BEFORE]
    else:
        gaps = range(1, body)
    reason = None
    if rest > 1e-9:
        if gaps:
            each = rest / len(gaps)
            for k in gaps:
                extra[k] += each
            given += rest
        else:
            reason = "no gap to stretch (one unbreakable unit)"
    return given, len(gaps), reason
