"""Threading stories through their frames: the page model becomes placed lines.

Body lines sit on the page's one baseline grid, so lines align across every
column; headlines, subheads and bylines take whole grid lines. Text that does
not fit the last frame of its chain is overset and counted, never dropped
silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from pagesetter.article import Paragraph, Subhead
from pagesetter.compose.justify import Line
from pagesetter.compose.paragraph import ParagraphSetter, compose_paragraph
from pagesetter.compose.segment import TextFonts
from pagesetter.compose.style import HouseStyle
from pagesetter.errors import PagesetterError
from pagesetter.fonts.metrics import FaceRef, MissingGlyph, metrics_for
from pagesetter.layout.model import Frame, Headline, PageLayout, Story, TextSpec

# Where the baseline sits in a CJK em box, from its top (ideographic: 0.88 em).
EM_BOX_ASCENT = 0.88


@dataclass
class PlacedLine:
    x: float            # left edge of the line (pt from the page's left edge)
    baseline: float     # pt from the page's top edge
    size: float
    line: Line
    story: str
    frame: str
    column: int
    role: str           # body, kicker, headline, subtitle, subhead, byline
    grid_line: int | None = None
    measure: float = 0.0  # pt
    block: int | None = None  # index of the article block (paragraph, subhead) it belongs to


@dataclass
class StoryResult:
    id: str
    lines: int = 0
    overset_chars: int = 0
    overset_text: str = ""


@dataclass
class ComposedPage:
    layout: PageLayout
    lines: list[PlacedLine] = field(default_factory=list)
    stories: list[StoryResult] = field(default_factory=list)

    @property
    def overset(self) -> list[StoryResult]:
        return [s for s in self.stories if s.overset_chars]


@dataclass
class _Slot:
    frame: Frame
    column: int
    x: float
    width: float
    first: int   # first grid line
    count: int


def text_fonts(face: FaceRef, style: HouseStyle) -> TextFonts:
    cjk = metrics_for(face)
    if style.western_glyphs == "halfwidth":
        western = metrics_for(FaceRef(face.path, face.index, ("hwid",)))
    else:
        western = cjk
    return TextFonts(cjk, western)


def compose_page(layout: PageLayout) -> ComposedPage:
    page = ComposedPage(layout)
    for story in layout.stories:
        try:
            page.stories.append(_flow_story(story, layout, page))
        except PagesetterError as exc:
            if exc.file is None:
                exc.file = str(story.article.path)
            raise
    return page


class _Cursor:
    def __init__(self, slots: list[_Slot]):
        self.slots = slots
        self.index = 0
        self.row = 0

    @property
    def slot(self) -> _Slot | None:
        return self.slots[self.index] if self.index < len(self.slots) else None

    def left(self) -> int:
        s = self.slot
        return s.count - self.row if s else 0

    def next_slot(self) -> None:
        self.index += 1
        self.row = 0

    def ensure(self, n: int = 1) -> bool:
        """Move on until ``n`` lines are free in one slot; False when the chain is full."""
        while self.slot is not None and self.left() < n:
            self.next_slot()
        return self.slot is not None


def _grid_range(layout: PageLayout, frame: Frame) -> tuple[int, int]:
    ta = layout.type_area
    first = math.ceil((frame.box.y - ta.y) / layout.pitch - 1e-6)
    end = math.floor((frame.box.bottom - ta.y) / layout.pitch + 1e-6)
    return first, max(first, end)


def _baseline(layout: PageLayout, grid_line: int, size: float) -> float:
    top = layout.type_area.y + grid_line * layout.pitch
    return top + (layout.pitch - size) / 2 + EM_BOX_ASCENT * size


def _flow_story(story: Story, layout: PageLayout, page: ComposedPage) -> StoryResult:
    result = StoryResult(story.id)
    style = story.style_for("body")
    slots: list[_Slot] = []
    for n, fid in enumerate(story.frames):
        frame = layout.frames[fid]
        first, end = _grid_range(layout, frame)
        if n == 0 and story.headline and story.headline.frame is None:
            used = _place_headline(story, story.headline, layout, page, frame, first, end - first)
            first += used
        for c in range(frame.columns):
            slots.append(_Slot(frame, c, frame.column_x(c), frame.column_width, first, max(0, end - first)))
    if story.headline and story.headline.frame is not None:
        frame = layout.frames[story.headline.frame]
        first, end = _grid_range(layout, frame)
        _place_headline(story, story.headline, layout, page, frame, first, end - first, fill=True)

    body = layout.body
    fonts = text_fonts(body.face, style)
    cur = _Cursor(slots)
    blocks = story.article.blocks
    last_body: PlacedLine | None = None
    overset_parts: list[str] = []

    def place(line: Line, role: str, size: float, align: str = "left", rows: int = 1,
              block: int | None = None) -> PlacedLine:
        slot = cur.slot
        g = slot.first + cur.row
        x = slot.x + _align_offset(line, slot.width, size, align)
        top = layout.type_area.y + g * layout.pitch
        baseline = top + (rows * layout.pitch - size) / 2 + EM_BOX_ASCENT * size
        placed = PlacedLine(x, baseline, size, line, story.id, slot.frame.id, slot.column, role, g, slot.width,
                            block)
        page.lines.append(placed)
        cur.row += rows
        result.lines += 1
        return placed

    for bi, block in enumerate(blocks):
        if overset_parts:
            overset_parts.append(_block_text(block))
            continue
        if isinstance(block, Subhead):
            spec = story.subhead_spec
            rows = max(1, math.ceil(spec.size * 1.15 / layout.pitch - 1e-6))
            needed = len(block.lines) * rows + 2  # keep with the next paragraph's first two lines
            gap = 1 if cur.row > 0 else 0
            if cur.left() < needed + gap:
                cur.next_slot()
                gap = 0
            if not cur.ensure(needed):
                overset_parts.append(_block_text(block))
                continue
            cur.row += gap
            sstyle = story.style_for("subhead")
            sfonts = text_fonts(spec.face, sstyle)
            for text in block.lines:
                for line in compose_paragraph(text, sfonts, sstyle, cur.slot.width / spec.size, indent=0.0,
                                              justify=False):
                    if not cur.ensure(rows):
                        overset_parts.append(line.text)
                        continue
                    place(line, "subhead", spec.size, spec.align, rows, bi)
            continue
        try:
            setter = ParagraphSetter(block.text, fonts, style)
        except MissingGlyph as exc:
            raise PagesetterError(f"{exc.message} (paragraph {bi + 1})", file=str(story.article.path),
                                  line=block.line) from None
        while not setter.done:
            if not cur.ensure(1):
                overset_parts.append(setter.remaining_text())
                break
            line = setter.next_line(cur.slot.width / body.size)
            last_body = place(line, "body", body.size, block=bi)
    byline = story.article.byline
    if byline:
        if overset_parts:
            overset_parts.append(byline)
        else:
            _place_byline(story, byline, layout, page, cur, last_body, result, place)
            if getattr(cur, "byline_overset", False):
                overset_parts.append(byline)
    text = "".join(overset_parts)
    result.overset_text = text
    result.overset_chars = sum(1 for ch in text if not ch.isspace())
    return result


def _block_text(block) -> str:
    return "".join(block.lines) if isinstance(block, Subhead) else block.text


def _align_offset(line: Line, measure_pt: float, size: float, align: str) -> float:
    if align == "center":
        return (measure_pt - line.width * size) / 2
    if align == "right":
        return measure_pt - line.width * size
    return 0.0


def _place_byline(story: Story, byline: str, layout: PageLayout, page: ComposedPage, cur: _Cursor,
                  last_body: PlacedLine | None, result: StoryResult, place) -> None:
    """The byline goes at the right of the last line when there is room, else on a line of its own."""
    spec = story.byline_spec
    style = story.style_for("byline")
    fonts = text_fonts(spec.face, style)
    slot_width = last_body.measure if last_body else (cur.slot.width if cur.slot else 0)
    lines = compose_paragraph(byline, fonts, style, max(slot_width, spec.size) / spec.size, indent=0.0,
                              justify=False)
    if last_body is not None and len(lines) == 1:
        free = last_body.measure - last_body.line.width * last_body.size
        if last_body.line.last and free >= lines[0].width * spec.size + layout.body.size:
            x = last_body.x + last_body.measure - lines[0].width * spec.size
            page.lines.append(PlacedLine(x, last_body.baseline, spec.size, lines[0], story.id, last_body.frame,
                                         last_body.column, "byline", last_body.grid_line, last_body.measure))
            return
    for line in lines:
        if not cur.ensure(1):
            cur.byline_overset = True
            return
        place(line, "byline", spec.size, "right")


def _place_headline(story: Story, head: Headline, layout: PageLayout, page: ComposedPage, frame: Frame,
                    first: int, available: int, fill: bool = False) -> int:
    """Set the headline stack across the frame; returns the grid lines it takes."""
    parts = [(head.kicker, head.kicker_spec, "kicker"), (head.title, head.title_spec, "headline"),
             (head.subtitle, head.subtitle_spec, "subtitle")]
    width = frame.box.width
    stack: list[tuple[Line, TextSpec, str, float]] = []  # line, spec, role, line height
    height = 0.0
    for text, spec, role in parts:
        if not text:
            continue
        style = story.style_for(role).merged(orphan_min=0)
        fonts = text_fonts(spec.face, style)
        lines = compose_paragraph(text, fonts, style, width / spec.size, indent=0.0, justify=False)
        lh = spec.size * (1.25 if role == "headline" else 1.4)
        for line in lines:
            stack.append((line, spec, role, lh))
            height += lh
    if not stack:
        return 0
    needed = math.ceil(height / layout.pitch - 1e-6)
    if fill:
        lines_used = max(needed, available)
    elif head.lines is not None:
        if head.lines < needed:
            raise PagesetterError(f"the headline of story {story.id!r} needs {needed} lines, not {head.lines}",
                                  field=f"stories.{story.id}.headline.lines")
        lines_used = head.lines
    else:
        lines_used = needed + 1
    if lines_used > available:
        raise PagesetterError(
            f"the headline of story {story.id!r} needs {lines_used} lines but frame {frame.id!r} has {available}",
            field=f"stories.{story.id}.headline")
    top = layout.type_area.y + first * layout.pitch
    box = (lines_used if fill else max(needed, lines_used - 1)) * layout.pitch
    y = top + (box - height) / 2
    for line, spec, role, lh in stack:
        baseline = y + (lh - spec.size) / 2 + EM_BOX_ASCENT * spec.size
        x = frame.box.x + _align_offset(line, width, spec.size, spec.align)
        page.lines.append(PlacedLine(x, baseline, spec.size, line, story.id, frame.id, 0, role, None, width))
        y += lh
    return lines_used
