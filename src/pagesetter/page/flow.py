"""Threading stories through their frames: the page model becomes placed lines.

Body lines sit on the page's one baseline grid, so lines align across every
column; headlines, subheads and bylines take whole grid lines. Text that does
not fit the last frame of its chain is overset and counted, never dropped
silently.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from pagesetter.source.article import Subhead
from pagesetter.compose.justify import Line
from pagesetter.compose.paragraph import ParagraphSetter, compose_paragraph
from pagesetter.errors import PagesetterError
from pagesetter.fonts.faces import text_fonts
from pagesetter.fonts.metrics import MissingGlyph
from pagesetter.page import furniture, headlines
from pagesetter.source.pictures import MIN_PPI, place as place_image
from pagesetter.layout.model import Box, Frame, Headline, Image, PageLayout, Story
from pagesetter.page.placed import (
    EM_BOX_ASCENT, ComposedPage, PlacedImage, PlacedLine, StoryResult,
)


@dataclass
class _Slot:
    frame: Frame
    column: int
    x: float
    width: float
    first: int   # first grid line
    count: int


class StoryCache:
    """Composed stories kept between renders (``watch``): a story is set again only when
    something it depends on — its article, settings, frames or the obstacles — changed."""

    def __init__(self):
        self._stories: dict[str, tuple] = {}

    def key(self, story: Story, layout: PageLayout, page: "ComposedPage") -> str:
        frames = [layout.frames[f] for f in story.frames]
        if story.headline and story.headline.frame:
            frames.append(layout.frames[story.headline.frame])
        return repr((story, frames, page.obstacles, layout.type_area, layout.pitch, layout.body, layout.style,
                     layout.allow_missing_glyphs, sorted(layout.fonts.families.items())))

    def get(self, key: str):
        return self._stories.get(key)

    def put(self, key: str, value: tuple) -> None:
        self._stories[key] = value


def compose_page(layout: PageLayout, cache: StoryCache | None = None) -> ComposedPage:
    page = ComposedPage(layout)
    layout.missing_glyphs.clear()
    for image in layout.images:
        _place_image(image, layout, page)
    for story in layout.stories:
        if story.headline and story.headline.frame is not None:
            frame = layout.frames[story.headline.frame]
            page.obstacles.append(_grow(frame.box, layout.body.size))
    furniture.compose(layout, page)
    for story in layout.stories:
        key = cache.key(story, layout, page) if cache is not None else None
        hit = cache.get(key) if cache is not None else None
        if hit is not None:
            lines, result, warnings = hit
            page.lines.extend(lines)
            page.stories.append(result)
            page.warnings.extend(warnings)
            continue
        before, warned = len(page.lines), len(page.warnings)
        try:
            page.stories.append(_flow_story(story, layout, page))
        except PagesetterError as exc:
            if exc.file is None:  # a problem of the story's settings: point at the layout's story entry
                exc.file = str(layout.file)
                exc.line = story.mark[0] if story.mark else None
                exc.column = story.mark[1] if story.mark else None
            raise
        if layout.missing_glyphs:
            chars = "".join(dict.fromkeys(layout.missing_glyphs))
            page.warnings.append(f"story {story.id!r}: {', '.join(f'{c!r} (U+{ord(c):04X})' for c in chars)} "
                                 "in no font: shown as 〓")
            layout.missing_glyphs.clear()
        if cache is not None:
            cache.put(key, (page.lines[before:], page.stories[-1], page.warnings[warned:]))
    return page


class _Cursor:
    """Where the next line of a story goes: a slot (one column of a frame) and a row in it.

    Rows covered by a picture or a headline frame (plus standoff) are narrowed
    to the widest free stretch, or skipped when too little is left (图文互斥)."""

    def __init__(self, slots: list[_Slot], layout: PageLayout, obstacles: list[Box]):
        self.slots = slots
        self.layout = layout
        self.obstacles = obstacles
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
        """Move on until ``n`` usable lines follow in one slot; False when the chain is full."""
        while self.slot is not None:
            while self.row < self.slot.count and self.free(self.row) is None:
                self.row += 1
            if self.left() >= n and all(self.free(self.row + k) is not None for k in range(n)):
                return True
            if self.left() >= n:
                self.row += 1
                continue
            self.next_slot()
        return False

    def free(self, row: int) -> tuple[float, float] | None:
        """(x, width) of the usable part of ``row`` in the current slot, or None."""
        slot = self.slot
        top = self.layout.type_area.y + (slot.first + row) * self.layout.pitch
        bottom = top + self.layout.pitch
        spans = [(slot.x, slot.x + slot.width)]
        for o in self.obstacles:
            if o.y < bottom - 0.01 and o.bottom > top + 0.01 and o.x < slot.x + slot.width and o.right > slot.x:
                cut = []
                for a, b in spans:
                    if o.x > a:
                        cut.append((a, min(b, o.x)))
                    if o.right < b:
                        cut.append((max(a, o.right), b))
                spans = [(a, b) for a, b in cut if b - a > 0.01]
        if not spans:
            return None
        a, b = max(spans, key=lambda sp: sp[1] - sp[0])
        if b - a < max(3 * self.layout.body.size, slot.width / 4):
            return None
        return a, b - a


def _grow(box: Box, by: float) -> Box:
    return Box(box.x - by, box.y - by, box.width + 2 * by, box.height + 2 * by)


def _grid_range(layout: PageLayout, frame: Frame) -> tuple[int, int]:
    return _rows_of(layout, frame.box)


def _rows_of(layout: PageLayout, box: Box) -> tuple[int, int]:
    ta = layout.type_area
    first = math.ceil((box.y - ta.y) / layout.pitch - 1e-6)
    end = math.floor((box.bottom - ta.y) / layout.pitch + 1e-6)
    return first, max(first, end)


def _baseline(layout: PageLayout, grid_line: int, size: float, rows: int = 1) -> float:
    top = layout.type_area.y + grid_line * layout.pitch
    return top + (rows * layout.pitch - size) / 2 + EM_BOX_ASCENT * size


def _flow_story(story: Story, layout: PageLayout, page: ComposedPage) -> StoryResult:
    result = StoryResult(story.id)
    style = story.style_for("body")
    slots: list[_Slot] = []
    for n, fid in enumerate(story.frames):
        frame = layout.frames[fid]
        first, end = _grid_range(layout, frame)
        if n == 0 and story.headline and story.headline.frame is None:
            first += _headline_on_top(story, story.headline, layout, page, frame, first, end - first)
        for c in range(frame.columns):
            slots.append(_Slot(frame, c, frame.column_x(c), frame.column_width, first, max(0, end - first)))
    if story.headline and story.headline.frame is not None:
        _headline_in_frame(story, story.headline, layout, page, layout.frames[story.headline.frame])

    body = layout.body
    fonts = text_fonts(body.face, style, layout)
    cur = _Cursor(slots, layout, page.obstacles)
    last_body: PlacedLine | None = None
    overset_parts: list[str] = []

    def place(line: Line, role: str, size: float, span: tuple[float, float], align: str = "left", rows: int = 1,
              block: int | None = None, drop: float = 0.0) -> PlacedLine:
        slot = cur.slot
        g = slot.first + cur.row
        x = span[0] + _align_offset(line, span[1], size, align)
        placed = PlacedLine(x, _baseline(layout, g, size, rows) + drop, size, line, story.id, slot.frame.id,
                            slot.column, role, g, span[1], block)
        page.lines.append(placed)
        cur.row += rows
        result.lines += 1
        return placed

    for bi, block in enumerate(story.article.blocks):
        if overset_parts:
            overset_parts.append(_block_text(block))
            continue
        if isinstance(block, Subhead):
            spec = story.subhead_spec
            rows = max(1, math.ceil(spec.size * 1.15 / layout.pitch - 1e-6))
            # the subhead takes its lines plus one, set half a line low: a line and a half of
            # space above it, half a line below; kept with the next paragraph's first two lines
            needed = len(block.lines) * rows + 1 + 2
            gap = 1 if cur.row > 0 else 0
            if cur.left() < needed + gap:
                cur.next_slot()
                gap = 0
            if not cur.ensure(needed):
                overset_parts.append(_block_text(block))
                continue
            cur.row += gap
            sstyle = story.style_for("subhead")
            sfonts = text_fonts(spec.face, sstyle, layout)
            for text in block.lines:
                if not cur.ensure(rows):
                    overset_parts.append(text)
                    continue
                span = cur.free(cur.row)
                # balanced like a headline, broken between words
                for line in headlines.balanced_lines(text, sfonts, sstyle,
                                                     span[1] / spec.size):
                    if not cur.ensure(rows):
                        overset_parts.append(line.text)
                        continue
                    place(line, "subhead", spec.size, cur.free(cur.row), spec.align, rows, bi, layout.pitch / 2)
            cur.row += 1
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
            span = cur.free(cur.row)
            measure = span[1] / body.size
            if (style.keep_first_lines > 1 or style.keep_last_lines > 1) and _keep_lines(setter, style, cur, span):
                span = cur.free(cur.row)
            line = setter.next_line(measure)
            last_body = place(line, "body", body.size, span, block=bi)
    byline = story.article.byline
    if byline:
        if overset_parts or not _place_byline(story, byline, layout, page, cur, last_body, place):
            overset_parts.append(byline)
    text = "".join(overset_parts)
    result.overset_text = text
    result.overset_chars = sum(1 for ch in text if not ch.isspace())
    return result


def _keep_lines(setter: ParagraphSetter, style, cur: _Cursor, span: tuple[float, float]) -> bool:
    """Orphans and widows (孤行): when the paragraph will run on into the next column, move on now if
    staying would leave fewer than ``keep_first_lines`` of it at this column's foot or fewer than
    ``keep_last_lines`` at the next one's top. True when the cursor moved."""
    left = cur.left()
    measure = span[1] / cur.layout.body.size
    if setter.rest_width() <= 0.75 * measure * (left - 1):
        return False  # plainly ends in this column
    lines = setter.lines_left(measure, left + style.keep_last_lines)
    if lines <= left:
        return False
    here = left - max(0, style.keep_last_lines - (lines - left))  # lines of it this column can keep
    if here <= 0 or (setter.count == 0 and here < style.keep_first_lines):
        return _keep_together(cur, span)
    return False


def _keep_together(cur: _Cursor, span: tuple[float, float]) -> bool:
    """Move on to the next column if it starts with two free lines of the same width; else stay."""
    index, row = cur.index, cur.row
    cur.next_slot()
    if cur.ensure(2) and abs(cur.free(cur.row)[1] - span[1]) < 0.01:
        return True
    cur.index, cur.row = index, row
    return False


def _block_text(block) -> str:
    return "".join(block.lines) if isinstance(block, Subhead) else block.text


def _align_offset(line: Line, measure_pt: float, size: float, align: str) -> float:
    if align == "center":
        return (measure_pt - line.width * size) / 2
    if align == "right":
        return measure_pt - line.width * size
    return 0.0


def _place_byline(story: Story, byline: str, layout: PageLayout, page: ComposedPage, cur: _Cursor,
                  last_body: PlacedLine | None, place) -> bool:
    """The byline goes at the right of the last line when there is room, else on lines of its own, flush
    right, never justified. It takes one line when it fits one, else breaks only between names; it never
    stands alone at the top of a column: the story's last line goes over with it."""
    spec = story.byline_spec
    style = story.style_for("byline")
    fonts = text_fonts(spec.face, style, layout)
    width = last_body.measure if last_body else (cur.slot.width if cur.slot else spec.size)
    measure = max(width, spec.size) / spec.size
    lines = compose_paragraph(byline, fonts, style, measure, indent=0.0, justify=False)
    if len(lines) > 1:
        names = frozenset(m.end() for m in re.finditer(r"[\s\u3000、，,；;]+", byline))
        by_name = compose_paragraph(byline, fonts, style, measure, indent=0.0, justify=False, words=names)
        if not any(line.violation for line in by_name):
            lines = by_name
    if last_body is not None and len(lines) == 1:
        free = last_body.measure - last_body.line.width * last_body.size
        if last_body.line.last and free >= lines[0].width * spec.size + layout.body.size:
            right = last_body.x + last_body.measure
            page.lines.append(PlacedLine(right - lines[0].width * spec.size, last_body.baseline, spec.size, lines[0],
                                         story.id, last_body.frame, last_body.column, "byline", last_body.grid_line,
                                         last_body.measure))
            return True
    if not cur.ensure(len(lines)):
        return False
    slot = cur.slot
    if last_body is not None and (slot.frame.id, slot.column) != (last_body.frame, last_body.column) \
            and last_body.line.last and cur.ensure(len(lines) + 1):
        span = cur.free(cur.row)
        if last_body.line.width * last_body.size <= span[1] + 0.01:
            _move_line(last_body, cur, layout, span)
    for line in lines:
        if not cur.ensure(1):
            return False
        place(line, "byline", spec.size, cur.free(cur.row), "right")
    return True


def _move_line(placed: PlacedLine, cur: _Cursor, layout: PageLayout, span: tuple[float, float]) -> None:
    """Set an already placed (ragged) line again at the cursor's row."""
    slot = cur.slot
    g = slot.first + cur.row
    placed.x, placed.measure = span[0], span[1]
    placed.baseline = _baseline(layout, g, placed.size)
    placed.frame, placed.column, placed.grid_line = slot.frame.id, slot.column, g
    cur.row += 1


def _fonts_for(layout: PageLayout):
    return lambda spec, style, vertical: text_fonts(spec.face, style, layout, ("vert",) if vertical else ())


def _headline_on_top(story: Story, head: Headline, layout: PageLayout, page: ComposedPage, frame: Frame,
                     first: int, available: int) -> int:
    """Set the stack across the top of the story's first frame; returns the grid lines it takes."""
    lines = headlines.stack(head, story.style_for, frame.box.width, fonts_for=_fonts_for(layout))
    if not lines:
        return 0
    needed = headlines.grid_lines_for(lines, layout.pitch)
    if head.lines is not None:
        if head.lines < needed:
            raise PagesetterError(f"the headline of story {story.id!r} needs {needed} lines, not {head.lines}",
                                  field=f"stories.{story.id}.headline.lines")
        used = head.lines
    else:
        used = needed + 1
    if used > available:
        raise PagesetterError(
            f"the headline of story {story.id!r} needs {used} lines but frame {frame.id!r} has {available}",
            field=f"stories.{story.id}.headline")
    top = layout.type_area.y + first * layout.pitch
    depth = max(needed, used - 1) * layout.pitch
    for x, baseline, s in headlines.place_horizontal(lines, frame.box, top, depth):
        page.lines.append(PlacedLine(x, baseline, s.spec.size, s.line, story.id, frame.id, 0, s.role, None,
                                     frame.box.width))
    return used


def _headline_in_frame(story: Story, head: Headline, layout: PageLayout, page: ComposedPage, frame: Frame) -> None:
    box = frame.box
    if head.direction == "vertical":
        lines = headlines.stack(head, story.style_for, box.height, vertical=True, fonts_for=_fonts_for(layout))
        for x, top, s in headlines.place_vertical(lines, box, story.id):
            page.lines.append(PlacedLine(x, top, s.spec.size, s.line, story.id, frame.id, 0, s.role, None,
                                         box.height, vertical=True))
        return
    lines = headlines.stack(head, story.style_for, box.width, fonts_for=_fonts_for(layout))
    if headlines.stack_height(lines) > box.height + 0.01:
        raise PagesetterError(f"the headline of story {story.id!r} does not fit frame {frame.id!r}",
                              field=f"stories.{story.id}.headline")
    for x, baseline, s in headlines.place_horizontal(lines, box, box.y, box.height):
        page.lines.append(PlacedLine(x, baseline, s.spec.size, s.line, story.id, frame.id, 0, s.role, None,
                                     box.width))


def _place_image(image: Image, layout: PageLayout, page: ComposedPage) -> None:
    """The picture fills its frame above the caption; the caption takes whole grid lines at
    the foot, the credit set flush right on its last line when there is room (as a byline)."""
    box = image.box
    spec = image.caption_spec
    style = layout.style.merged(first_line_indent=0.0, orphan_min=0)
    fonts = text_fonts(spec.face, style, layout)
    measure = box.width / spec.size
    rows: list[list[tuple[Line, str]]] = []  # each grid row: (line, alignment)
    if image.caption:
        # a caption is never force-justified: ragged, or centred, as its style says
        align = spec.align if spec.align in ("center", "right") else "left"
        rows = [[(line, align)] for line in compose_paragraph(image.caption, fonts, style, measure, indent=0.0,
                                                              justify=False)]
    if image.credit:
        credit = compose_paragraph(image.credit, fonts, style, measure, indent=0.0, justify=False)
        if rows and len(credit) == 1 and rows[-1][0][0].last and \
                rows[-1][0][0].width + 1 + credit[0].width <= measure:
            rows[-1].append((credit[0], "right"))
        else:
            rows.extend([[(line, "right")] for line in credit])
    first, end = _rows_of(layout, box)
    n = len(rows)
    picture_bottom = layout.type_area.y + (end - n) * layout.pitch - (0.3 * layout.pitch if n else 0)
    if picture_bottom - box.y < layout.pitch:
        raise PagesetterError(f"image {image.id!r}: its caption leaves no room for the picture",
                              line=image.mark[0] if image.mark else None, field=f"images.{image.id}")
    # a picture that touches the trim edge runs on into the bleed, so no white edge shows when the sheet is cut
    bleed, tol = layout.print.bleed, 0.5
    left = box.x - bleed if box.x <= tol else box.x
    top = box.y - bleed if box.y <= tol else box.y
    right = box.right + bleed if box.right >= layout.width - tol else box.right
    bottom = picture_bottom + bleed if picture_bottom >= layout.height - tol else picture_bottom
    fit = image.fit if (left, top, right, bottom) == (box.x, box.y, box.right, picture_bottom) else "fill"
    placement = place_image(image.pixels, left, top, right - left, bottom - top, fit, image.crop)
    page.images.append(PlacedImage(image, placement))
    ppi = placement.ppi()
    if ppi < MIN_PPI:
        page.warnings.append(f"image {image.id!r} ({image.path.name}) prints at {ppi:.0f} ppi, under {MIN_PPI} ppi")
    for k, row in enumerate(rows):
        g = end - n + k
        for line, align in row:
            page.lines.append(PlacedLine(box.x + _align_offset(line, box.width, spec.size, align),
                                         _baseline(layout, g, spec.size), spec.size, line, f"image:{image.id}",
                                         image.id, 0, "caption", g, box.width))
    page.obstacles.append(_grow(box, image.standoff))
