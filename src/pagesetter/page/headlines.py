"""Headline stacks: kicker (引题), headline (主题), subtitle (副题).

Each part is broken with the Chinese rules and balanced — the lines made as
even as the break rules allow, so no headline ends on a lone character — or
broken where the editor put a line break. A horizontal stack takes whole grid
lines; a vertical one (竖排) runs top to bottom in columns from right to left.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pagesetter.compose.justify import Line
from pagesetter.compose.paragraph import compose_paragraph, track
from pagesetter.compose.style import HouseStyle
from pagesetter.compose.vertical import vertical_units
from pagesetter.compose.segment import TextFonts, Unit, segment
from pagesetter.errors import PagesetterError
from pagesetter.fonts.faces import text_fonts
from pagesetter.layout.model import Box, TextSpec
from pagesetter.page.wordbreaks import word_starts

if TYPE_CHECKING:
    from pagesetter.layout.content import Headline

EM_BOX_ASCENT = 0.88
LINE_HEIGHT = {"headline": 1.15, "kicker": 1.3, "subtitle": 1.3}
PART_GAP = 0.25  # em of the larger neighbour, between kicker, headline and subtitle
BALANCE_PRECISION = 0.01  # em


@dataclass
class StackLine:
    """A line of a headline stack, with its text spec, role and advance to the next."""

    line: Line
    spec: TextSpec
    role: str
    advance: float  # pt from this line to the next (line height, or column pitch)


def _inside_wide_words(text: str, units: list[Unit], words: frozenset[int], measure: float) -> frozenset[int]:
    """The offsets inside the words of ``text`` (starting at ``words``) wider than ``measure`` em."""
    cuts = [0, *sorted(words), len(text)]
    inside = set()
    for a, b in zip(cuts, cuts[1:]):
        members = [u for u in units if a <= u.start < b]
        if sum(u.width + (u.glue if u.start > a else 0.0) for u in members) > measure + 1e-6:
            inside.update(u.start for u in members if u.start > a)
    return frozenset(inside)


def balanced_lines(text: str, fonts: TextFonts, style: HouseStyle, measure: float, *, tracking: float = 0.0,
                   vertical: bool = False) -> list[Line]:
    """Lines of a headline part at most ``measure`` em long, as even as possible;
    a newline in ``text`` is the editor's break."""
    lines: list[Line] = []
    made: dict[str, list[Unit]] = {}

    def units_of(text: str) -> list[Unit]:
        # the units of a text do not depend on the measure: made once for all the trial measures
        # (composing never changes them once tracked; the prohibition marks it sets are the same each time)
        units = made.get(text)
        if units is None:
            units = made[text] = vertical_units(text, fonts, style) if vertical else segment(text, fonts, style)
            if tracking:
                track(units, tracking)
        return units

    def compose(m: float, words: frozenset[int] | None = None, *, text: str) -> list[Line]:
        return compose_paragraph(text, fonts, style, m, indent=0.0, justify=False, units=units_of(text),
                                 words=words)

    at_measure: dict[str, list[Line]] = {}

    def full(text: str) -> list[Line]:
        """``text`` at the whole measure, broken anywhere legal (worked out once)."""
        lines = at_measure.get(text)
        if lines is None:
            lines = at_measure[text] = compose(measure, text=text)
        return lines

    parts = [p.strip() for p in text.split("\n") if p.strip()]
    if len(parts) == 1 and re.search(r"[ \u3000]", parts[0]):
        # a space in a Chinese headline separates its halves (法治宣传进校园 平安相伴助成长):
        # when the whole does not fit one line, break there rather than mid-phrase, unless
        # the halves would take more lines than the whole
        whole = full(parts[0])
        halves = re.split(r"[ \u3000]+", parts[0])
        if len(whole) > 1 and (len(halves) == len(whole) or sum(len(full(h)) for h in halves) <= len(whole)):
            parts = halves
    for part in parts:
        best = full(part)
        words = None
        if len(best) > 1:
            # more than one line: break between words, unless no such break fits
            words = word_starts(part)
            by_word = compose(measure, words, text=part)
            if any(l.violation for l in by_word):
                # a word wider than the line: break inside that word alone, still between the others
                words = words | _inside_wide_words(part, units_of(part), words, measure)
                by_word = compose(measure, words, text=part)
            if any(l.violation for l in by_word):
                words = None
            else:
                best = by_word
        if len(best) > 1:
            lo, hi = max(1.0, measure / len(best) * 0.8), measure
            # the narrowest measure that keeps the count, to a hundredth of an em: a line's
            # width changes by whole characters (a tenth of an em and more), so finer steps change nothing
            while hi - lo > BALANCE_PRECISION:
                mid = (lo + hi) / 2
                trial = compose(mid, words, text=part)
                if len(trial) == len(best) and not any(l.violation for l in trial):
                    best, hi = trial, mid
                else:
                    lo = mid
        if vertical:
            best = [_without_break_mark(line, compose) if k < len(best) - 1 else line for k, line in enumerate(best)]
        lines.extend(best)
    return lines


BREAK_MARKS = "，、；：。"


def _without_break_mark(line: Line, compose) -> Line:
    """A vertical headline drops the pause or stop at the end of a line that breaks (headline convention)."""
    text = line.text.rstrip()
    if not text or text[-1] not in BREAK_MARKS:
        return line
    bare = compose(line.measure, text=text.rstrip(BREAK_MARKS))
    return bare[0] if len(bare) == 1 else line


def stack(head: Headline, style_for, measure_pt: float, *, vertical: bool = False,
          fonts_for=None) -> list[StackLine]:
    """The stack's lines in reading order, each part at its own size. ``fonts_for(spec, style,
    vertical)`` supplies the faces (with their fallbacks); by default the spec's face alone."""
    fonts_for = fonts_for or (lambda spec, style, vertical: text_fonts(spec.face, style,
                                                                       features=("vert",) if vertical else ()))
    parts = [(head.kicker, head.kicker_spec, "kicker"), (head.title, head.title_spec, "headline"),
             (head.subtitle, head.subtitle_spec, "subtitle")]
    out: list[StackLine] = []
    for text, spec, role in parts:
        if not text:
            continue
        style = style_for(role).merged(orphan_min=0, first_line_indent=0.0)
        lines = balanced_lines(text, fonts_for(spec, style, vertical), style, measure_pt / spec.size,
                               tracking=spec.tracking, vertical=vertical)
        if out:
            out[-1].advance += PART_GAP * max(spec.size, out[-1].spec.size)
        for line in lines:
            out.append(StackLine(line, spec, role, spec.size * LINE_HEIGHT[role]))
    if out:
        out[-1].advance = out[-1].spec.size * LINE_HEIGHT[out[-1].role]
    return out


def stack_height(lines: list[StackLine]) -> float:
    return sum(s.advance for s in lines)


def grid_lines_for(lines: list[StackLine], pitch: float) -> int:
    return math.ceil(stack_height(lines) / pitch - 1e-6)


def place_horizontal(lines: list[StackLine], box: Box, top: float, depth: float):
    """(x, baseline, StackLine) for a stack centred vertically in ``depth`` pt from ``top``."""
    y = top + (depth - stack_height(lines)) / 2
    for s in lines:
        offset = 0.0
        if s.spec.align == "center":
            offset = (box.width - s.line.width * s.spec.size) / 2
        elif s.spec.align == "right":
            offset = box.width - s.line.width * s.spec.size
        line_height = s.spec.size * LINE_HEIGHT[s.role]
        yield box.x + offset, y + (line_height - s.spec.size) / 2 + EM_BOX_ASCENT * s.spec.size, s
        y += s.advance


def place_vertical(lines: list[StackLine], box: Box, story: str):
    """(column left x, column top y, StackLine): columns from the frame's right edge leftwards."""
    across = stack_height(lines) - (lines[-1].advance - lines[-1].spec.size) if lines else 0.0
    if across > box.width + 0.01:
        raise PagesetterError(f"the vertical headline of story {story!r} needs {across:.1f}pt across, "
                              f"its frame is {box.width:.1f}pt wide", field=f"stories.{story}.headline")
    right = box.right
    for s in lines:
        left = right - s.spec.size
        top = box.y
        if s.spec.align == "center":
            top = box.y + (box.height - s.line.width * s.spec.size) / 2
        elif s.spec.align == "right":  # in vertical text: flush to the foot
            top = box.bottom - s.line.width * s.spec.size
        yield left, top, s
        right = left - (s.advance - s.spec.size)


def _last_em_bottom(lines: list[StackLine]) -> float:
    """From the stack's top to the bottom of its last line's em box."""
    last = lines[-1]
    return stack_height(lines) - (last.spec.size * LINE_HEIGHT[last.role] - last.spec.size) / 2


def top_for_bottom(lines: list[StackLine], bottom: float) -> float:
    """The stack's top so that its last line's em box ends at ``bottom``."""
    return bottom - _last_em_bottom(lines)


def lines_with_space(lines: list[StackLine], pitch: float, body: float, above: float, below: float) -> int:
    """Grid lines a stack takes with ``above`` grid lines over its first line's em box and ``below``
    grid lines between its last line's em box and the em box of the text's first line."""
    first = lines[0]
    half_leading = (first.spec.size * LINE_HEIGHT[first.role] - first.spec.size) / 2  # over the first em box
    depth = above * pitch + _last_em_bottom(lines) - half_leading + below * pitch - (pitch - body) / 2
    return max(1, math.ceil(depth / pitch - 1e-6))


def fit_title(head: Headline, style_for, measure_pt: float, *, fonts_for=None) -> Headline:
    """``size: fit``: the largest title size within (min, max) whose widest line fills at most the
    chosen share of the width without adding a line."""
    from dataclasses import replace

    share, low, high = head.fit
    if not head.title:
        return head

    def widest(size: float) -> tuple[int, float]:
        trial = replace(head, kicker=None, subtitle=None, title_spec=replace(head.title_spec, size=size))
        lines = stack(trial, style_for, measure_pt * share, fonts_for=fonts_for)
        return len(lines), max(s.line.width * size for s in lines)

    parts = max(1, len([p for p in head.title.split("\n") if p.strip()]))
    best = low
    lo, hi = low, high
    if widest(high)[0] <= parts:
        best = high
    else:
        for _ in range(16):
            mid = (lo + hi) / 2
            if widest(mid)[0] <= parts:
                best, lo = mid, mid
            else:
                hi = mid
    best = math.floor(best * 4) / 4  # quarter points
    return replace(head, title_spec=replace(head.title_spec, size=max(low, best)), fit=None)
