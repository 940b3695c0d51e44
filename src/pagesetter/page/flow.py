"""Threading stories through their frames: the page model becomes placed lines.

Body lines sit on the page's one baseline grid, so lines align across every
column; headlines, subheads and bylines take whole grid lines. Text that does
not fit the last frame of its chain is overset and counted, never dropped
silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from pagesetter.source.article import Subhead, count_characters
from pagesetter.compose.justify import Line
from pagesetter.compose.paragraph import ParagraphSetter, compose_paragraph
from pagesetter.errors import PagesetterError
from pagesetter.fonts.faces import text_fonts
from pagesetter.fonts.metrics import MissingGlyph
from pagesetter.page import furniture, headlines
from pagesetter.page.bylines import byline_lines
from pagesetter.page.columnrules import column_rules
from pagesetter.page.inline import paragraph_setter
from pagesetter.source.pictures import place as place_image
from pagesetter.layout.content import Headline, Image, Story
from pagesetter.layout.model import Box, Frame, PageLayout, TextSpec
from pagesetter.page.placed import (
    EM_BOX_ASCENT, ComposedPage, PlacedImage, PlacedLine, StoryResult, grid_baseline,
)


@dataclass
class _Slot:
    """A column of a frame that a story's lines flow into: its place and grid lines."""

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


def _prepare(layout: PageLayout) -> ComposedPage:
    """A page with its pictures and furniture: the obstacles the stories run round."""
    page = ComposedPage(layout)
    layout.missing_glyphs.clear()
    for image in layout.images:
        _place_image(image, layout, page)
    for story in layout.stories:
        if story.headline and story.headline.frame is not None:
            frame = layout.frames[story.headline.frame]
            page.obstacles.append(_grow(frame.box, layout.body.size))
    furniture.compose(layout, page)
    _compose_elements(layout, page)
    return page


def jump_start(layout: PageLayout, story: Story) -> tuple[int, int] | None:
    """Where the part of a jumped story on its first page stops: the continuation starts there."""
    return _flow_story(story, layout, _prepare(layout)).stop


def compose_page(layout: PageLayout, cache: StoryCache | None = None) -> ComposedPage:
    page = _prepare(layout)
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
        page.warnings.extend(story.article.warnings)
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
    for cont in layout.continuations:
        page.stories.append(compose_continuation(cont, layout, page))
    column_rules(layout, page)
    return page


def _compose_elements(layout: PageLayout, page: ComposedPage) -> None:
    """Masthead, index boxes and tables; stories run round the first two like round a picture."""
    if not (layout.masthead or layout.index_boxes or layout.tables):
        return
    from pagesetter.page import index_box, masthead, tables
    masthead.compose(layout, page)
    if layout.masthead is not None:
        page.obstacles.append(_grow(layout.masthead.box, layout.body.size))
    for box in layout.index_boxes:
        index_box.compose(box, layout, page)
        page.obstacles.append(_grow(box.box, layout.body.size))
    for table in layout.tables:
        page.stories.append(tables.compose(table, layout, page))


class _Cursor:
    """Where the next line of a story goes: a slot (one column of a frame) and a row in it.

    Rows covered by a picture or a headline frame (plus standoff) are narrowed
    to the widest free stretch, or skipped when too little is left (图文互斥)."""

    def __init__(self, slots: list[_Slot], layout: PageLayout, obstacles: list[Box], pitch: float | None = None):
        self.slots = slots
        self.layout = layout
        self.pitch = pitch or layout.pitch  # a story's own leading: rows of a sub-grid (or every n-th line)
        self.obstacles = obstacles
        self.index = 0
        self.row = 0
        self._free: dict[tuple[int, int, int], tuple[float, float] | None] = {}

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

    def top(self, slot: _Slot, row: int) -> float:
        """Top of ``row`` of ``slot``: rows of the story's pitch from the slot's first grid line."""
        if self.pitch == self.layout.pitch:
            return self.layout.type_area.y + (slot.first + row) * self.layout.pitch
        return self.layout.type_area.y + slot.first * self.layout.pitch + row * self.pitch

    def free(self, row: int) -> tuple[float, float] | None:
        """(x, width) of the usable part of ``row`` in the current slot, or None."""
        key = (self.index, row, len(self.obstacles))  # ensure() asks for a row more than once
        known = self._free.get(key, False)
        if known is False:
            known = self._free[key] = self._free_span(row)
        return known

    def _free_span(self, row: int) -> tuple[float, float] | None:
        slot = self.slot
        top = self.top(slot, row)
        bottom = top + self.pitch
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


@dataclass
class _Run:
    """One setting of a story's text into its slots (kept only when chosen)."""

    lines: list[PlacedLine] = field(default_factory=list)
    overset: list[str] = field(default_factory=list)
    stop: tuple[int, int] | None = None  # (block, offset) of the first text not set; None: all of it was
    extra: int = 0                       # lines set past the chain's end (measuring only)
    rows: dict[int, int] = field(default_factory=dict)  # slot index → rows down to the foot of its last line
    last_slot: int = -1
    slots: list[_Slot] = field(default_factory=list)  # the slots it was set in (balanced: capped)
    level: list[int] = field(default_factory=list)    # balanced: the slot indices of the frame's columns


@dataclass
class Continuation:
    """The rest of a jumped story (转版), set on its continuation page."""

    story: Story
    start: tuple[int, int]   # (block, offset) where the first part stopped
    from_page: int


def _flow_story(story: Story, layout: PageLayout, page: ComposedPage) -> StoryResult:
    result = StoryResult(story.id)
    story.article.check_settable()
    slots = _story_slots(story, story.frames, layout, page, story.headline)
    if story.headline and story.headline.frame is not None:
        _headline_in_frame(story, story.headline, layout, page, layout.frames[story.headline.frame])
    jump_to = story.jump.page if story.jump else None
    reserved = _reserve_last_row(slots, layout, page.obstacles) if jump_to is not None else None
    _settle(story, layout, page, slots, result, jump_to=jump_to, reserved=reserved)
    if jump_to is not None:
        result.continues_on = jump_to
        if result.stop is None:
            page.warnings.append(f"story {story.id!r} ends on this page: its jump to page {jump_to} is not needed")
        elif not layout.in_edition:
            page.warnings.append(f"story {story.id!r} continues on page {jump_to}: render the edition to set "
                                 "the rest")
    return result


def compose_continuation(cont: Continuation, layout: PageLayout, page: ComposedPage) -> StoryResult:
    """The rest of a story that jumped from another page: a jump headline, "（上接第N版）", the text."""
    story = cont.story
    result = StoryResult(story.id)
    result.continued_from = cont.from_page
    m = layout.makeup
    head = None
    if story.jump_title:
        spec = m.jump_title_spec or TextSpec(layout.fonts.resolve("headline"), layout.body.size * 1.5, "left")
        none = TextSpec(spec.face, spec.size, spec.align)
        head = Headline(None, story.jump_title, None, none, spec, none)
    slots = _story_slots(story, list(story.jump.frames), layout, page, head)
    spec = m.jump_spec or layout.body
    lead = (_jump_line(m.jump_from.format(page=cont.from_page), spec, story, layout), spec.size, m.jump_from_align)
    _settle(story, layout, page, slots, result, start=cont.start, lead=lead)
    return result


def _jump_line(text: str, spec: TextSpec, story: Story, layout: PageLayout) -> Line:
    style = story.style_for("body").merged(first_line_indent=0.0, orphan_min=0)
    return compose_paragraph(text, text_fonts(spec.face, style, layout), style, 10_000.0, indent=0.0,
                             justify=False)[0]


def _story_slots(story: Story, frames: list[str], layout: PageLayout, page: ComposedPage,
                 head: Headline | None) -> list[_Slot]:
    slots: list[_Slot] = []
    for n, fid in enumerate(frames):
        frame = layout.frames[fid]
        first, end = _grid_range(layout, frame)
        if n == 0 and head and head.frame is None:
            first += _headline_on_top(story, head, layout, page, frame, first, end - first)
        count = max(0, end - first)
        if story.pitch is not None and story.pitch != layout.pitch:
            count = math.floor(count * layout.pitch / story.pitch + 1e-6)  # rows of the story's own pitch
        for c in range(frame.columns):
            slots.append(_Slot(frame, c, frame.column_x(c), frame.column_width, first, count))
    return slots


def _reserve_last_row(slots: list[_Slot], layout: PageLayout, obstacles: list[Box]) -> tuple[int, int] | None:
    """Keep the last usable line of the chain for the jump line (下转第N版)."""
    cur = _Cursor(slots, layout, obstacles)
    for i in range(len(slots) - 1, -1, -1):
        cur.index = i
        for row in range(slots[i].count - 1, -1, -1):
            if cur.free(row) is not None:
                slots[i] = replace(slots[i], count=row)
                return i, row
    return None


def _settle(story: Story, layout: PageLayout, page: ComposedPage, slots: list[_Slot], result: StoryResult, *,
            start: tuple[int, int] = (0, 0), lead=None, jump_to: int | None = None,
            reserved: tuple[int, int] | None = None) -> None:
    """Set the text (balanced, fitted when asked), put the chosen setting on the page and report its fit."""
    obstacles = page.obstacles
    segments: dict[int, list] = {}  # block → its units, segmented once for every setting tried

    def setting(tracking: dict, measure: bool = False, chain: list[_Slot] | None = None) -> _Run:
        def run(s: list[_Slot]) -> _Run:
            return _set_text(story, layout, obstacles, s, start=start, tracking=tracking, measure=measure, lead=lead,
                             segments=segments)
        if chain is not None:  # a chain cut to a given depth: set as it is, not balanced again
            return run(chain)
        r = run(slots)
        if jump_to is None:
            r = _balance(story, slots, r, run)
        return r

    chosen = setting({})
    if story.fit is not None and jump_to is None:
        chosen = _fit(story, layout, page, slots, chosen, setting, result, start, segments)
    page.lines.extend(chosen.lines)
    result.lines += len(chosen.lines)
    result.stop = chosen.stop
    if jump_to is not None and chosen.stop is not None and reserved is not None:
        m = layout.makeup
        spec = m.jump_spec or layout.body
        i, row = reserved
        slot = slots[i]
        cur = _Cursor(slots, layout, obstacles)
        cur.index = i
        x, width = cur.free(row)
        line = _jump_line(m.jump_to.format(page=jump_to), spec, story, layout)
        g = slot.first + row
        page.lines.append(PlacedLine(x + _align_offset(line, width, spec.size, m.jump_to_align),
                                     grid_baseline(layout, g, spec.size), spec.size, line, story.id, slot.frame.id,
                                     slot.column, "jump", g, width))
        result.lines += 1
        chosen.overset = []  # the rest continues on the other page
    text = "".join(chosen.overset)
    result.overset_text = text
    result.overset_chars = count_characters(text)
    _fit_report(story, layout, page, slots, chosen, result, ends_here=jump_to is None)


def _set_text(story: Story, layout: PageLayout, obstacles: list[Box], slots: list[_Slot], *,
              start: tuple[int, int] = (0, 0), tracking: dict | None = None, measure: bool = False,
              lead=None, segments: dict | None = None) -> _Run:
    """Thread the article's text from ``start`` through ``slots``; with ``measure``, text past the
    chain goes on in a bottomless column so the lines it runs over can be counted."""
    tracking = tracking or {}
    style = story.style_for("body")
    body = story.body_spec or layout.body
    fonts = text_fonts(body.face, style, layout)
    run = _Run(slots=slots)
    if measure and slots:
        last = slots[-1]
        slots = slots + [_Slot(last.frame, -1, last.x, last.width, 10 ** 6, 10 ** 6)]
    cur = _Cursor(slots, layout, obstacles, story.pitch)
    pitch = cur.pitch
    last_body: PlacedLine | None = None
    body_foot: tuple[int, int | None] = (-1, None)  # slot of the last body line, and its foot before that line
    overset_parts = run.overset

    def stop_at(bi: int, offset: int) -> None:
        if run.stop is None:
            run.stop = (bi, offset)

    def place(line: Line, role: str, size: float, span: tuple[float, float], align: str = "left", rows: int = 1,
              block: int | None = None, drop: float = 0.0) -> PlacedLine:
        slot = cur.slot
        x = span[0] + _align_offset(line, span[1], size, align)
        if pitch == layout.pitch:
            g = slot.first + cur.row
            baseline = grid_baseline(layout, g, size, rows)
        else:  # on the story's own pitch; g is the page grid line the row starts in
            g = slot.first + math.floor(cur.row * pitch / layout.pitch + 1e-6)
            baseline = cur.top(slot, cur.row) + (rows * pitch - size) / 2 + EM_BOX_ASCENT * size
        placed = PlacedLine(x, baseline + drop, size, line, story.id, slot.frame.id, slot.column, role, g, span[1],
                            block)
        run.lines.append(placed)
        if role == "body":
            nonlocal body_foot
            body_foot = (cur.index, run.rows.get(cur.index))
        cur.row += rows
        if measure and cur.index == len(slots) - 1:
            run.extra += 1
        else:
            run.rows[cur.index] = cur.row
            run.last_slot = cur.index
        return placed

    if lead is not None and cur.ensure(1):
        line, size, align = lead
        place(line, "jump", size, cur.free(cur.row), align)
    first_block, first_offset = start
    blocks = story.article.blocks
    for bi, block in enumerate(blocks):
        if bi < first_block:
            continue
        offset = first_offset if bi == first_block else 0
        if overset_parts:
            overset_parts.append(_block_text(block)[offset:] if not isinstance(block, Subhead)
                                 else "".join(block.lines[offset:]))
            continue
        if isinstance(block, Subhead):
            spec = story.subhead_spec
            rows = max(1, math.ceil(spec.size * 1.15 / pitch - 1e-6))
            sstyle = story.style_for("subhead")
            sfonts = text_fonts(spec.face, sstyle, layout)
            balanced: dict[tuple[str, float], list] = {}

            def subhead_lines(text: str, width: float) -> list:
                """A subhead line balanced like a headline, broken between words (once per measure)."""
                lines = balanced.get((text, width))
                if lines is None:
                    lines = balanced[(text, width)] = headlines.balanced_lines(text, sfonts, sstyle,
                                                                               width / spec.size)
                return lines

            # the subhead takes its lines plus one, set half a line low: a line and a half of
            # space above it, half a line below; kept with the next paragraph's first two lines.
            # Its lines are counted as set at this column's measure (a long one takes two or three)
            span = cur.free(cur.row) if cur.slot is not None and cur.left() > 0 else None
            count = sum(len(subhead_lines(text, span[1])) for text in block.lines[offset:]) if span else \
                len(block.lines[offset:])
            needed = count * rows + 1 + 2
            gap = 1 if cur.row > 0 else 0
            if cur.left() < needed + gap:
                cur.next_slot()
                gap = 0
            if not cur.ensure(needed):
                stop_at(bi, offset)
                overset_parts.append("".join(block.lines[offset:]))
                continue
            cur.row += gap
            for k, text in enumerate(block.lines[offset:], offset):
                if not cur.ensure(rows):
                    stop_at(bi, k)
                    overset_parts.append(text)
                    continue
                for line in subhead_lines(text, cur.free(cur.row)[1]):
                    if not cur.ensure(rows):
                        stop_at(bi, k)
                        overset_parts.append(line.text)
                        continue
                    place(line, "subhead", spec.size, cur.free(cur.row), spec.align, rows, bi, pitch / 2)
            cur.row += 1
            continue
        try:
            setter, inset = paragraph_setter(block, body.face, style, layout, fonts, tracking=tracking.get(bi, 0.0),
                                             segments=segments, key=bi)
        except MissingGlyph as exc:
            raise PagesetterError(f"{exc.message} (paragraph {bi + 1})", file=str(story.article.path),
                                  line=block.line) from None
        if offset:
            # a paragraph continued from another page: no indent on its first line here
            setter.pos = next((i for i, u in enumerate(setter.units) if u.start >= offset), len(setter.units))
            setter.count = 1
        while not setter.done:
            if not cur.ensure(1):
                stop_at(bi, setter.units[setter.pos].start if setter.pos else 0)
                overset_parts.append(setter.remaining_text())
                break
            span = cur.free(cur.row)
            if (style.keep_first_lines > 1 or style.keep_last_lines > 1) and _keep_lines(setter, style, cur, span):
                span = cur.free(cur.row)
            if inset:
                span = (span[0] + inset * body.size, span[1] - inset * body.size)
            line = setter.next_line(span[1] / body.size)
            last_body = place(line, "body", body.size, span, block=bi)
    byline = story.article.byline
    if byline:
        moved = None if overset_parts else _place_byline(story, byline, layout, run.lines, cur, last_body, place)
        if moved is None:
            stop_at(len(blocks), 0)
            overset_parts.append(byline)
        elif moved:
            # the last lines went over with the byline: their column now ends that much higher, which
            # the balance's depth and the fit's count of empty lines must see
            i, foot = body_foot
            foot = None if foot is None else foot - (moved - 1)
            if not foot:
                run.rows.pop(i, None)
            else:
                run.rows[i] = foot
    return run


def _balance(story: Story, slots: list[_Slot], r: _Run, run) -> _Run:
    """齐底: when the story ends in a frame to be balanced, set it again with the frame's columns
    cut to the least depth that still holds the text, so the columns end level."""
    if r.stop is not None or r.extra or r.last_slot < 0:
        return r
    idx = _level_columns(story, slots, r.last_slot)
    if not idx:
        return r
    frame = slots[idx[0]].frame
    used = sum(r.rows.get(i, 0) for i in idx)
    full = max(slots[i].count for i in idx)
    best = None

    def attempt(caps: list[int]):
        capped = list(slots)
        for n, i in enumerate(idx):
            capped[i] = replace(slots[i], count=min(slots[i].count, caps[n]))
        t = run(capped)
        if t.stop is not None or t.extra or t.last_slot < 0 or capped[t.last_slot].frame is not frame:
            return None
        t.slots, t.level = capped, idx
        ends = [t.rows[i] for i in idx if i in t.rows]
        return (max(ends) - min(ends) if len(ends) == len(idx) else full), t

    # the least depth that holds the text; when a subhead kept with its text leaves a column
    # short, earlier columns end a line higher (or the depth grows) until all end within a line
    for depth in range(max(1, math.ceil(used / len(idx))), full):
        caps = [depth] * len(idx)
        got = attempt(caps)
        if got is None:
            continue
        if best is None or got[0] < best[0]:
            best = got
        for k in range(len(idx) - 1):
            if best[0] <= 1:
                break
            trial = caps[:k] + [depth - 1] + caps[k + 1:]
            got = attempt(trial)
            if got is not None and got[0] < best[0]:
                best, caps = got, trial
        if best[0] <= 1:
            break
    return best[1] if best is not None else r


def _level_columns(story: Story, slots: list[_Slot], last: int) -> list[int]:
    """The slots of the frame the story ends in (slot ``last``) when that frame is to be balanced."""
    frame = slots[last].frame
    if frame.columns < 2 or not (frame.balance or (story.balance and frame.id == slots[-1].frame.id)):
        return []
    return [i for i, s in enumerate(slots) if s.frame is frame]


def _available(slots: list[_Slot], i: int, rows: range, layout: PageLayout, obstacles: list[Box]) -> int:
    cur = _Cursor(slots, layout, obstacles)
    cur.index = i
    return sum(1 for row in rows if cur.free(row) is not None)


def _empty_after(r: _Run, layout: PageLayout, obstacles: list[Box]) -> int:
    """Usable lines left after the story's last line, to the end of its chain (of a balanced
    frame, to the line its deepest column ends on)."""
    slots = r.slots
    total = 0
    for i, s in enumerate(slots):
        if i < r.last_slot:
            continue
        begin = r.rows.get(i, 0) if i == r.last_slot else 0
        end = min(s.count, max(r.rows.get(j, 0) for j in r.level)) if i in r.level else s.count
        total += _available(slots, i, range(begin, end), layout, obstacles)
    return total


def _miss(r: _Run, layout: PageLayout, obstacles: list[Box], level: list[int] = ()) -> int:
    """Lines a (measuring) setting runs over (+) or falls short (−) of its space's last line; with
    ``level`` columns, the lines a column of them left empty at its foot before the story's last
    column count as short too."""
    if r.extra:
        return r.extra
    gaps = sum(_available(r.slots, i, range(r.rows.get(i, 0), r.slots[i].count), layout, obstacles)
               for i in level if i < r.last_slot)
    return -gaps - _empty_after(r, layout, obstacles)


@dataclass
class _Search:
    """What one fitting search found: the tracking per paragraph (None: no fit), and for the report the
    paragraphs it could change, the first miss and the miss with every paragraph at the limit."""

    tracking: dict[int, float] | None
    candidates: list[dict]
    d0: int
    sign: int
    d_lim: int


def _fit(story: Story, layout: PageLayout, page: ComposedPage, slots: list[_Slot], r0: _Run, setting,
         result: StoryResult, start: tuple[int, int], segments: dict) -> _Run:
    """撑版/缩版: change the tracking of as few paragraphs as possible, within the story's limits, so
    the story ends on the last line of its space. In balanced columns (齐底) that last line is the one
    every column ends on: the depths nearest the balanced one are tried, each as the frame's columns
    cut to it, until the text fills one of them to the line."""
    obstacles = page.obstacles
    measured = setting({}, measure=True)
    last = len(slots) - 1 if measured.extra else measured.last_slot
    idx = measured.level or (_level_columns(story, slots, last) if last >= 0 else [])
    if not idx:
        found = _fit_search(story, layout, obstacles, setting, start, segments, measured)
        if found.tracking is None:
            _fit_failed(story, page, result, found)
            return r0
        final = setting(found.tracking) if found.tracking else r0
        _fit_done(story, result, found)
        return final
    if not measured.extra and len({measured.rows.get(i, 0) for i in idx}) == 1:
        result.fit = {"fitted": True, "paragraphs": []}
        return r0
    n = len(idx)
    used = sum(measured.rows.get(i, 0) for i in idx) + measured.extra
    full = max(slots[i].count for i in idx)
    depths = sorted(range(max(1, used // n - 2), min(full, -(-used // n) + 2) + 1),
                    key=lambda depth: (abs(n * depth - used), depth))
    first = None
    for depth in depths or [full]:
        chain = slots[:idx[-1] + 1]
        for i in idx:
            chain[i] = replace(slots[i], count=min(slots[i].count, depth))

        def cut(tracking: dict, measure: bool = False, chain=chain) -> _Run:
            return setting(tracking, measure, chain=chain)
        found = _fit_search(story, layout, obstacles, cut, start, segments, level=idx)
        if found.tracking is not None:
            final = cut(found.tracking)
            if final.stop is None and all(final.rows.get(i, 0) == depth for i in idx):
                _fit_done(story, result, found)
                return final
        first = first or (found if found.tracking is None else None)
    _fit_failed(story, page, result, first or found)
    return r0


def _fit_search(story: Story, layout: PageLayout, obstacles: list[Box], setting, start: tuple[int, int],
                segments: dict, measured: _Run | None = None, level: list[int] = ()) -> _Search:
    """The tracking that ends the story on the last line of the space ``setting`` sets it in (and
    every one of the ``level`` columns on theirs)."""
    lo, hi = story.fit
    measured = measured or setting({}, measure=True)
    d0 = _miss(measured, layout, obstacles, level)
    if d0 == 0:
        return _Search({}, [], d0, 0, 0)
    sign = 1 if d0 > 0 else -1
    limit = lo if sign > 0 else hi
    style = story.style_for("body")
    fonts = text_fonts(layout.body.face, style, layout)
    blocks = story.article.blocks
    by_block: dict[int, list[PlacedLine]] = {}
    for p in measured.lines:
        if p.role == "body" and p.block is not None:
            by_block.setdefault(p.block, []).append(p)
    candidates = []
    for bi, lines in by_block.items():
        if (bi == start[0] and start[1]) or (sign > 0 and len(lines) < 2) or not limit:
            continue
        measures = [p.measure / p.size for p in lines]
        n0 = len(lines)

        def count(t: float, block=blocks[bi], measures=measures, n0=n0, bi=bi) -> int:
            setter, _ = paragraph_setter(block, layout.body.face, style, layout, fonts, tracking=t,
                                         segments=segments, key=bi)
            n = 0
            while not setter.done and n < n0 + 4:
                setter.next_line(measures[min(n, len(measures) - 1)])
                n += 1
            return n
        k_max = (n0 - count(limit)) * sign
        if k_max <= 0:
            continue
        last = lines[-1].line
        fullness = last.width / last.measure if last.measure else 1.0
        candidates.append({"block": bi, "count": count, "n0": n0, "k_max": k_max, "fullness": fullness,
                           "text": blocks[bi].text})
    # paragraphs after the last subhead first (a line more or less before a subhead can move it to
    # the next column, and many lines with it); then nearly empty last lines to lose a line,
    # nearly full ones to gain one
    last_subhead = max((bi for bi, b in enumerate(blocks) if isinstance(b, Subhead)), default=-1)
    candidates.sort(key=lambda c: (c["block"] < last_subhead, c["fullness"] if sign > 0 else -c["fullness"]))

    def least(c, k: int) -> float:
        """The smallest tracking change (a multiple of 0.001em) that moves ``c`` by ``k`` lines."""
        lo_m, hi_m = 1, max(1, round(abs(limit) * 1000))
        while lo_m < hi_m:
            mid = (lo_m + hi_m) // 2
            if (c["n0"] - c["count"](-sign * mid / 1000)) * sign >= k:
                hi_m = mid
            else:
                lo_m = mid + 1
        return -sign * lo_m / 1000

    tracking: dict[int, float] = {}
    picked: list[dict] = []
    excluded: set[int] = set()
    need = abs(d0)
    best = None
    for _ in range(16):
        while need > 0:
            pool = [c for c in candidates if c["block"] not in tracking and c["block"] not in excluded]
            if not pool:
                break
            k = max(min(c["k_max"], need) for c in pool)  # fewest paragraphs first
            able = [c for c in pool if c["k_max"] >= k]
            # then the least change among the likeliest few of the first group
            likely = [c for c in able if (c["block"] < last_subhead) == (able[0]["block"] < last_subhead)][:6]
            _, _, t, c = min(((abs(t), n, t, c) for n, c in enumerate(likely) for t in (least(c, k),)),
                             key=lambda e: e[:2])
            tracking[c["block"]] = t
            picked.append(c)
            need -= k
        d = _miss(setting(tracking, measure=True), layout, obstacles, level)
        # overshot: give picks up, the latest first, until it no longer does
        while picked and d * sign < 0:
            c = picked.pop()
            del tracking[c["block"]]
            excluded.add(c["block"])
            d = _miss(setting(tracking, measure=True), layout, obstacles, level)
        if d == 0:
            best = tracking
            break
        need = abs(d)
        if not [c for c in candidates if c["block"] not in tracking and c["block"] not in excluded]:
            break
    if best is None:
        # one paragraph at a time, each kept only when it brings the end nearer: where keeps and subheads
        # move lines between columns, a paragraph's line shows up elsewhere, or not at all
        tracking, d = {}, d0
        for c in candidates:
            trial = {**tracking, c["block"]: least(c, min(c["k_max"], abs(d)))}
            d_trial = _miss(setting(trial, measure=True), layout, obstacles, level)
            if 0 <= d_trial * sign < d * sign:
                tracking, d = trial, d_trial
                if d == 0:
                    best = tracking
                    break
    if best is None:
        at_limit = {c["block"]: limit for c in candidates}
        d_lim = _miss(setting(at_limit, measure=True), layout, obstacles, level) if at_limit else d0
        return _Search(None, candidates, d0, sign, d_lim)
    return _Search(best, candidates, d0, sign, 0)


def _fit_failed(story: Story, page: ComposedPage, result: StoryResult, found: _Search) -> None:
    lo, hi = story.fit
    d0, sign, d_lim = found.d0, found.sign, found.d_lim
    miss = max(1, abs(d_lim) if d_lim * sign > 0 else abs(d0))
    way = "over" if sign > 0 else "short"
    result.fit = {"fitted": False, "misses_lines": miss, "direction": way, "limits_em": [lo, hi], "paragraphs": []}
    page.warnings.append(f"story {story.id!r}: no fit within tracking {lo:+g}em…{hi:+g}em: "
                         f"{miss} line{'s' if miss != 1 else ''} {way}" +
                         ("" if d_lim * sign > 0 else " (no combination of paragraphs ends it exactly)"))


def _fit_done(story: Story, result: StoryResult, found: _Search) -> None:
    blocks = story.article.blocks
    by_id = {c["block"]: c for c in found.candidates}
    result.fit = {"fitted": True, "paragraphs": [
        {"paragraph": bi + 1, "line": blocks[bi].line, "starts": blocks[bi].text[:16], "tracking_em": t,
         "lines": by_id[bi]["count"](t) - by_id[bi]["n0"]}
        for bi, t in sorted(found.tracking.items())]}


def _fit_report(story: Story, layout: PageLayout, page: ComposedPage, slots: list[_Slot], r: _Run,
                result: StoryResult, *, ends_here: bool) -> None:
    """Per frame and column: lines available and used; the empty lines after the story's end."""
    obstacles = page.obstacles
    frames: dict[str, dict] = {}
    empty_columns = []
    for i, s in enumerate(slots):
        available = _available(slots, i, range(s.count), layout, obstacles)
        used = _available(slots, i, range(r.rows.get(i, 0)), layout, obstacles)
        entry = frames.setdefault(s.frame.id, {"frame": s.frame.id, "available": 0, "used": 0, "columns": []})
        entry["columns"].append({"column": s.column + 1, "available": available, "used": used})
        entry["available"] += available
        entry["used"] += used
        if used == 0 and available > 0:
            empty_columns.append((s.frame.id, s.column + 1, s.frame.columns))
    result.frames = list(frames.values())
    result.empty_lines = _empty_after(r, layout, obstacles) if ends_here and not r.overset else 0
    if r.slots is not slots and r.last_slot >= 0:
        result.balanced_depth = r.slots[r.last_slot].count
    result.empty_columns = [f"{fid}:{c}" for fid, c, _ in empty_columns]
    if result.overset_chars or not ends_here:
        return
    last = slots[-1].frame.id if slots else None
    problems = []
    if result.empty_lines > layout.makeup.empty_lines:
        problems.append(f"leaves {result.empty_lines} empty lines at the end of frame {last!r}")
    if empty_columns:
        problems.append("leaves " + ", ".join(f"column {c} of {n} of frame {fid!r}" if n > 1 else f"frame {fid!r}"
                                              for fid, c, n in empty_columns) + " empty")
    if problems:
        page.warnings.append(f"story {story.id!r} " + "; ".join(problems))


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


def _place_byline(story: Story, byline: str, layout: PageLayout, out: list[PlacedLine], cur: _Cursor,
                  last_body: PlacedLine | None, place) -> int | None:
    """The byline goes at the right of the last line when there is room, else on lines of its own, flush
    right, never justified. It takes one line when it fits one, else breaks only between names; it never
    stands alone at the top of a column: the story's last lines go over with it (``_lines_over``).
    Returns how many lines went over, or None when the byline does not fit."""
    spec = story.byline_spec
    style = story.style_for("byline")
    fonts = text_fonts(spec.face, style, layout)
    width = last_body.measure if last_body else (cur.slot.width if cur.slot else spec.size)
    measure = max(width, spec.size) / spec.size
    lines = byline_lines(byline, fonts, style, measure)
    if last_body is not None and len(lines) == 1:
        free = last_body.measure - last_body.line.width * last_body.size
        if last_body.line.last and free >= lines[0].width * spec.size + layout.body.size:
            right = last_body.x + last_body.measure
            out.append(PlacedLine(right - lines[0].width * spec.size, last_body.baseline, spec.size, lines[0],
                                  story.id, last_body.frame, last_body.column, "byline", last_body.grid_line,
                                  last_body.measure))
            return 0
    if not cur.ensure(len(lines)):
        return None
    slot = cur.slot
    moving = []
    if last_body is not None and (slot.frame.id, slot.column) != (last_body.frame, last_body.column) \
            and last_body.line.last:
        moving = _lines_over(story, out, last_body, cur, len(lines))
        for placed in moving:
            _move_line(placed, cur, layout, cur.free(cur.row))
    for line in lines:
        if not cur.ensure(1):
            return None
        place(line, "byline", spec.size, cur.free(cur.row), "right")
    return len(moving)


def _lines_over(story: Story, out: list[PlacedLine], last_body: PlacedLine, cur: _Cursor, byline: int) -> list:
    """The lines of the story's last paragraph that go over to the byline's column with it: the last
    line, or the house's keep_last_lines of them, or the whole paragraph where fewer than
    keep_first_lines would stay behind (orphans and widows, as in the text). Lines justified at
    another measure than the new column's stay where they are; none go when they do not fit."""
    style = story.style_for("body")
    para = [p for p in out if p.role == "body" and p.block == last_body.block
            and (p.frame, p.column) == (last_body.frame, last_body.column)]
    count = min(len(para), max(1, style.keep_last_lines))
    starts_here = para and para[0].line.unit_range[0] == 0
    if starts_here and 0 < len(para) - count < style.keep_first_lines:
        count = len(para)
    while count > 0:
        moving = para[-count:]
        # room in this column for them and the byline (asked without moving on: ensure would)
        room = cur.slot is not None and cur.left() >= byline + count and \
            all(cur.free(cur.row + k) is not None for k in range(byline + count))
        span = cur.free(cur.row) if room else None
        if span is not None and all(p.line.width * p.size <= span[1] + 0.01 if p.line.last else
                                    abs(p.measure - span[1]) < 0.01 for p in moving):
            return moving
        count = 1 if count > 1 else 0  # else as before: the last line alone, if it fits
    return []


def _move_line(placed: PlacedLine, cur: _Cursor, layout: PageLayout, span: tuple[float, float]) -> None:
    """Set an already placed (ragged) line again at the cursor's row."""
    slot = cur.slot
    g = slot.first + cur.row
    placed.x, placed.measure = span[0], span[1]
    placed.baseline = grid_baseline(layout, g, placed.size)
    placed.frame, placed.column, placed.grid_line = slot.frame.id, slot.column, g
    cur.row += 1


def _fonts_for(layout: PageLayout):
    return lambda spec, style, vertical: text_fonts(spec.face, style, layout, ("vert",) if vertical else ())


def _headline_on_top(story: Story, head: Headline, layout: PageLayout, page: ComposedPage, frame: Frame,
                     first: int, available: int) -> int:
    """Set the stack across the top of the story's first frame; returns the grid lines it takes."""
    taken = 0
    if head.section is not None:  # the 栏头 over the stack
        from pagesetter.page import sectionhead
        n = head.section.style.lines
        if n >= available:
            raise PagesetterError(f"the section head of story {story.id!r} needs {n} lines, frame {frame.id!r} has "
                                  f"{available}", field=f"stories.{story.id}.section_head")
        area = Box(frame.box.x, layout.type_area.y + first * layout.pitch, frame.box.width, n * layout.pitch)
        sectionhead.draw(head.section.text, head.section.style, head.section.style.spec, area, layout, page,
                         story.id, frame.id)
        first, available, taken = first + n, available - n, n
    inner = frame.box
    if head.bar is not None:  # type on a bar keeps clear of its ends
        inset = 0.5 * layout.body.size
        inner = Box(inner.x + inset, inner.y, inner.width - 2 * inset, inner.height)
    if head.fit is not None:
        head = headlines.fit_title(head, story.style_for, inner.width, fonts_for=_fonts_for(layout))
    lines = headlines.stack(head, story.style_for, inner.width, fonts_for=_fonts_for(layout))
    if not lines:
        return taken
    pitch = layout.pitch
    needed = headlines.grid_lines_for(lines, pitch)
    space = (head.space_above, head.space_below) if head.space_above is not None or head.space_below is not None \
        else None
    if space is not None or layout.headline_space is not None:
        house = layout.headline_space or (0.0, 1.0)
        above = space[0] if space and space[0] is not None else house[0]
        below = space[1] if space and space[1] is not None else house[1]
        needed = headlines.lines_with_space(lines, pitch, layout.body.size, above, below)
        if head.bar is not None:  # the bar holds the stack with a little air round it
            bar_depth = headlines.stack_height(lines) + 0.4 * max(s.spec.size for s in lines)
            needed = max(1, math.ceil(above + (bar_depth - (pitch - layout.body.size) / 2) / pitch + below - 1e-6))
    else:
        above = below = None
        if head.bar is not None:
            needed = math.ceil((headlines.stack_height(lines) + 0.4 * max(s.spec.size for s in lines)) / pitch - 1e-6)
    if head.lines is not None:
        if head.lines < needed:
            raise PagesetterError(f"the headline of story {story.id!r} needs {needed} lines, not {head.lines}",
                                  field=f"stories.{story.id}.headline.lines")
        used = head.lines
    else:
        used = needed + 1 if below is None else needed
    if used > available:
        raise PagesetterError(
            f"the headline of story {story.id!r} needs {used} lines but frame {frame.id!r} has {available}",
            field=f"stories.{story.id}.headline")
    top = layout.type_area.y + first * pitch
    if below is None:
        depth = max(needed, used - 1) * pitch
        placed = headlines.place_horizontal(lines, inner, top, depth)
    elif head.bar is not None:  # centred in its bar; the bar ends `below` grid lines above the text's em box
        top += above * pitch
        depth = (used - above - below) * pitch + (pitch - layout.body.size) / 2
        placed = headlines.place_horizontal(lines, inner, top, depth)
    else:  # the last line's em box `below` grid lines above the text's first line, whatever the sizes
        text_top = top + used * pitch + (pitch - layout.body.size) / 2
        depth = used * pitch
        placed = headlines.place_horizontal(lines, frame.box, headlines.top_for_bottom(lines, text_top - below * pitch),
                                            headlines.stack_height(lines))
    if head.bar is not None:
        page.fills.append((Box(frame.box.x, top, frame.box.width, depth), head.bar))
    for x, baseline, s in placed:
        page.lines.append(PlacedLine(x, baseline, s.spec.size, s.line, story.id, frame.id, 0, s.role, None,
                                     frame.box.width, color=s.spec.color))
    return used + taken


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
        why = "its caption and credit leave no room for the picture" if n else \
            f"it is shorter than one grid line ({layout.pitch:.1f}pt)"
        line, col = image.mark if image.mark else (None, None)
        raise PagesetterError(f"image {image.id!r}: {why}", file=str(layout.file), line=line, column=col,
                              field=f"images.{image.id}")
    # a picture that touches the trim edge runs on into the bleed, so no white edge shows when the sheet is cut
    bleed, tol = layout.print.bleed, 0.5
    left = box.x - bleed if box.x <= tol else box.x
    top = box.y - bleed if box.y <= tol else box.y
    right = box.right + bleed if box.right >= layout.width - tol else box.right
    bottom = picture_bottom + bleed if picture_bottom >= layout.height - tol else picture_bottom
    fit = image.fit if (left, top, right, bottom) == (box.x, box.y, box.right, picture_bottom) else "fill"
    placement = place_image(image.pixels, left, top, right - left, bottom - top, fit, image.crop, image.focus)
    page.images.append(PlacedImage(image, placement))
    ppi = placement.ppi()
    min_ppi = layout.print.min_ppi
    if ppi < min_ppi and not image.vector:
        page.warnings.append(f"image {image.id!r} ({image.path.name}) prints at {ppi:.0f} ppi, under {min_ppi:g} ppi")
    for k, row in enumerate(rows):
        g = end - n + k
        for line, align in row:
            page.lines.append(PlacedLine(box.x + _align_offset(line, box.width, spec.size, align),
                                         grid_baseline(layout, g, spec.size), spec.size, line, f"image:{image.id}",
                                         image.id, 0, "caption", g, box.width))
    page.obstacles.append(_grow(box, image.standoff))
