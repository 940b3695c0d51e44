"""Tables (表格) set as a newspaper sets them.

Every cell is composed by the paragraph setter, so the line-breaking and
prohibition rules hold inside cells; each cell line takes one grid line, so a
row takes a whole number of grid lines and the table sits on the page's
baseline grid. Column widths are fitted to the frame: each column gets at
least its widest unbreakable piece and shares the rest in proportion to its
text. Numbers in a ``decimal`` column line up on the decimal point. When the
table runs on into the next column or frame, its header rows are repeated.

``set_table(rows, …)`` takes plain rows of cell strings, so any source of
tables (a .csv/.yaml file, a Markdown table in an article) can use it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from pagesetter.compose import prohibition
from pagesetter.compose.justify import Line
from pagesetter.compose.paragraph import compose_paragraph
from pagesetter.compose.segment import segment
from pagesetter.compose.style import HouseStyle
from pagesetter.errors import PagesetterError
from pagesetter.fonts.faces import text_fonts
from pagesetter.layout.content import TableBlock
from pagesetter.layout.model import Box, PageLayout, TextSpec
from pagesetter.page.placed import EM_BOX_ASCENT, ComposedPage, PlacedLine, StoryResult, Stroke
from pagesetter.source.article import count_characters

ALIGNS = ("left", "center", "right", "decimal")


@dataclass
class SetCell:
    text: str
    lines: list[Line]
    spec: TextSpec
    point: float = 0.0  # decimal columns: pt from the cell's text start to the decimal point


@dataclass
class SetTable:
    """A table composed for one width: column widths (pt) and rows of set cells."""

    widths: list[float]
    rows: list[list[SetCell]]
    header_rows: int
    aligns: list[str]
    padding: float
    points: list[float] = field(default_factory=list)  # decimal columns: widest integer part, pt

    def row_lines(self, r: int) -> int:
        return max(1, max(len(c.lines) for c in self.rows[r]))

    @property
    def width(self) -> float:
        return sum(self.widths)


def set_table(rows: list[list[str]], width: float, fonts_for, style: HouseStyle, spec: TextSpec,
              header_spec: TextSpec, *, header_rows: int = 1, aligns: list[str] | None = None,
              fixed: list[float | None] | None = None, padding: float = 4.5, what: str = "table") -> SetTable:
    """Compose ``rows`` (cell strings; the first ``header_rows`` are the header) in ``width`` pt.
    ``fonts_for(spec, style)`` gives the faces for a text spec; ``fixed`` widths (pt) win over fitting."""
    ncols = max(len(r) for r in rows)
    rows = [list(r) + [""] * (ncols - len(r)) for r in rows]
    aligns = list(aligns or ["left"] * ncols)
    fixed = list(fixed or [None] * ncols)
    style = style.merged(first_line_indent=0.0, orphan_min=0)
    specs = [header_spec if r < header_rows else spec for r in range(len(rows))]
    fonts = {id(s): fonts_for(s, style) for s in (spec, header_spec)}

    def natural(text: str, s: TextSpec) -> float:
        if not text:
            return 0.0
        return sum(line.width for line in compose_paragraph(text, fonts[id(s)], style, 1e6, indent=0.0,
                                                            justify=False)) * s.size

    def unbreakable(text: str, s: TextSpec) -> float:
        """The widest piece no line may be broken inside (a word, a number, a character with its marks)."""
        if not text:
            return 0.0
        units = segment(text, fonts[id(s)], style)
        allowed = prohibition.mark(units, style.prohibition)
        widest, run = 0.0, 0.0
        for k, u in enumerate(units):
            run = u.width if k == 0 or allowed[k] else run + u.glue + u.width
            widest = max(widest, run - u.end_trim)
        return widest * s.size

    nat = [0.0] * ncols
    low = [0.0] * ncols
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            n = natural(text, specs[r])
            nat[c] = max(nat[c], n)
            # numbers in a decimal column, and short header labels, are never wrapped
            keep = (aligns[c] == "decimal" and r >= header_rows) or (r < header_rows and n <= 6 * specs[r].size)
            low[c] = max(low[c], n if keep else unbreakable(text, specs[r]))
    points = [0.0] * ncols
    fracs = [0.0] * ncols
    for c in range(ncols):
        if aligns[c] == "decimal":
            for r in range(header_rows, len(rows)):
                w = natural(rows[r][c], spec)
                p = _point(rows[r][c], fonts[id(spec)], style, spec)
                points[c], fracs[c] = max(points[c], p), max(fracs[c], w - p)
            nat[c] = max(nat[c], points[c] + fracs[c])
            low[c] = max(low[c], points[c] + fracs[c])
    pad = 2 * padding
    nat = [n + pad for n in nat]
    low = [max(m + pad, spec.size + pad) for m in low]
    for c, f in enumerate(fixed):
        if f is not None:
            nat[c] = low[c] = f
    free = [c for c in range(ncols) if fixed[c] is None]
    need = sum(low)
    if need > width + 0.01:
        raise PagesetterError(f"{what} needs at least {need:.1f}pt across ({ncols} columns), the frame's column is "
                              f"{width:.1f}pt: use fewer columns, a smaller size or a wider frame")
    widths = list(low)
    if free:
        widths = _fit(nat, low, free, width - sum(low[c] for c in range(ncols) if c not in free), widths)
    elif abs(sum(widths) - width) > 0.5:
        raise PagesetterError(f"{what}: the column widths add up to {sum(widths):.1f}pt, the frame's column is "
                              f"{width:.1f}pt")
    out_rows = []
    for r, row in enumerate(rows):
        s = specs[r]
        cells = []
        for c, text in enumerate(row):
            measure = (widths[c] - pad) / s.size
            justify = aligns[c] == "left" and r >= header_rows
            lines = compose_paragraph(text, fonts[id(s)], style, measure, indent=0.0, justify=justify) \
                if text else []
            point = _point(text, fonts[id(s)], style, s) if aligns[c] == "decimal" and r >= header_rows else 0.0
            cells.append(SetCell(text, lines, s, point))
        out_rows.append(cells)
    return SetTable(widths, out_rows, header_rows, aligns, padding, points)


def _fit(nat: list[float], low: list[float], free: list[int], room: float, widths: list[float]) -> list[float]:
    """Share ``room`` pt among the ``free`` columns: a column whose text fits its share on one line
    gets just that; the rest share what is left in proportion to their text, never under their minimum.
    When every column fits, the spare width is shared in proportion to the text."""
    widths = list(widths)
    todo = list(free)
    if sum(nat[c] for c in todo) <= room:
        total = sum(nat[c] for c in todo)
        for c in todo:
            widths[c] = nat[c] + (room - total) * nat[c] / total
        return widths
    while todo:
        share = room / len(todo)
        narrow = [c for c in todo if nat[c] <= share]
        rest = [c for c in todo if c not in narrow]
        if not narrow or room - sum(nat[c] for c in narrow) < sum(low[c] for c in rest):
            break
        for c in narrow:
            widths[c] = nat[c]
            room -= nat[c]
            todo.remove(c)
    # the wide columns: proportional to their text, at least their minimum
    while todo:
        total = sum(nat[c] for c in todo)
        under = [c for c in todo if room * nat[c] / total < low[c]]
        if not under:
            for c in todo:
                widths[c] = room * nat[c] / total
            break
        for c in under:
            widths[c] = low[c]
            room -= low[c]
            todo.remove(c)
    return widths


def _point(text: str, fonts, style: HouseStyle, spec: TextSpec) -> float:
    """pt from the start of a number to its decimal point (its whole width when it has none)."""
    if not text:
        return 0.0
    line = compose_paragraph(text, fonts, style, 1e6, indent=0.0, justify=False)[0]
    for g in line.glyphs:
        if g.char in ".．":
            return g.x * spec.size
    return line.width * spec.size


def cell_x(table: SetTable, c: int, cell: SetCell, line: Line, left: float, header: bool, header_align: str) -> float:
    """Where a cell line starts: by the column's alignment, or on the decimal point."""
    inner = table.widths[c] - 2 * table.padding
    x0 = left + table.padding
    width = line.width * cell.spec.size
    align = header_align if header else table.aligns[c]
    if align == "decimal":
        block = table.points[c] + _frac(table, c)
        return x0 + inner - block + (table.points[c] - cell.point)
    if align == "center":
        return x0 + (inner - width) / 2
    if align == "right":
        return x0 + inner - width
    return x0


def _frac(table: SetTable, c: int) -> float:
    """The widest part after the decimal point in column ``c``, pt."""
    widest = 0.0
    for row in table.rows[table.header_rows:]:
        cell = row[c]
        if cell.lines:
            widest = max(widest, cell.lines[0].width * cell.spec.size - cell.point)
    return widest


def compose(table: TableBlock, layout: PageLayout, page: ComposedPage) -> StoryResult:
    """Set ``table`` through its frames on the grid; rows that do not fit are overset."""
    sid = f"table:{table.id}"
    result = StoryResult(sid)
    slots = []
    for fid in table.frames:
        frame = layout.frames[fid]
        first = math.ceil((frame.box.y - layout.type_area.y) / layout.pitch - 1e-6)
        end = math.floor((frame.box.bottom - layout.type_area.y) / layout.pitch + 1e-6)
        for c in range(frame.columns):
            slots.append((frame, c, frame.column_x(c), frame.column_width, first, max(0, end - first)))
    width = min(s[3] for s in slots)

    def fonts_for(spec, style):
        return text_fonts(spec.face, style, layout)

    try:
        set_ = set_table(table.rows, width, fonts_for, layout.style, table.spec, table.header_spec,
                         header_rows=table.header_rows, aligns=[c.align for c in table.columns],
                         fixed=[c.width for c in table.columns], padding=table.padding, what=f"table {table.id!r}")
    except PagesetterError as exc:
        line, col = table.mark if table.mark else (None, None)
        raise PagesetterError(exc.message, file=str(layout.file), line=line, column=col,
                              field=f"tables.{table.id}") from None
    place_table(set_, table, slots, layout, page, result)
    return result


def _row_text(row: list[SetCell]) -> str:
    return "".join(c.text for c in row)


def place_table(t: SetTable, table: TableBlock, slots, layout: PageLayout, page: ComposedPage,
                result: StoryResult) -> None:
    sid = f"table:{table.id}"
    pitch = layout.pitch
    ta_y = layout.type_area.y
    header_lines = sum(t.row_lines(r) for r in range(t.header_rows))
    title_lines = []
    if table.title:
        style = layout.style.merged(first_line_indent=0.0, orphan_min=0)
        title_lines = compose_paragraph(table.title, text_fonts(table.title_spec.face, style, layout), style,
                                        t.width / table.title_spec.size, indent=0.0, justify=False)
    title_rows = max(1, math.ceil(table.title_spec.size * 1.2 / pitch - 1e-6)) if table.title else 0
    weight = table.rule_weight
    r = t.header_rows
    overset: list[str] = []
    for si, (frame, col, x, _, first, count) in enumerate(slots):
        row = first
        end = first + count
        if si == 0 and title_lines:
            for line in title_lines:
                if row + title_rows > end:
                    break
                size = table.title_spec.size
                off = {"center": (t.width - line.width * size) / 2, "right": t.width - line.width * size}.get(
                    table.title_spec.align, 0.0)
                page.lines.append(_placed(line, x + off, row, size, title_rows, layout, sid, frame.id, col,
                                          "table_title", t.width, table.title_spec))
                row += title_rows
                result.lines += 1
            if len(title_lines) * title_rows > count:
                overset.append(table.title)
        if r >= len(t.rows):
            break
        if end - row < header_lines + t.row_lines(r):
            continue  # not even the header and one row fit here
        top = row
        if table.header_tint is not None:
            page.fills.append((Box(x, ta_y + row * pitch, t.width, header_lines * pitch), table.header_tint))
        boundaries = [row]
        for h in range(t.header_rows):
            row = _place_row(t, h, x, row, layout, page, sid, frame.id, col, result, table, True)
            boundaries.append(row)
        while r < len(t.rows) and row + t.row_lines(r) <= end:
            row = _place_row(t, r, x, row, layout, page, sid, frame.id, col, result, table, False)
            boundaries.append(row)
            r += 1
        _rules(t, table, x, top, boundaries, ta_y, pitch, page, weight)
    if r < len(t.rows):
        overset.extend(_row_text(row) for row in t.rows[r:])
    text = "".join(overset)
    result.overset_text = text
    result.overset_chars = count_characters(text)


def _placed(line, x, row, size, rows, layout, sid, fid, col, role, measure, spec) -> PlacedLine:
    top = layout.type_area.y + row * layout.pitch
    baseline = top + (rows * layout.pitch - size) / 2 + EM_BOX_ASCENT * size
    return PlacedLine(x, baseline, size, line, sid, fid, col, role, row, measure, color=spec.color)


def _place_row(t: SetTable, r: int, x: float, row: int, layout: PageLayout, page: ComposedPage, sid: str, fid: str,
               col: int, result: StoryResult, table: TableBlock, header: bool) -> int:
    left = x
    for c, cell in enumerate(t.rows[r]):
        for k, line in enumerate(cell.lines):
            lx = cell_x(t, c, cell, line, left, header, table.header_spec.align)
            page.lines.append(_placed(line, lx, row + k, cell.spec.size, 1, layout, sid, fid, col,
                                      "table_header" if header else "table_cell", t.widths[c], cell.spec))
            result.lines += 1
        left += t.widths[c]
    return row + t.row_lines(r)


def _rules(t: SetTable, table: TableBlock, x: float, top: int, boundaries: list[int], ta_y: float, pitch: float,
           page: ComposedPage, weight: float) -> None:
    """Lined: a heavy rule above and below, one under the header, a hairline between rows.
    Ruled: every cell boxed."""
    y = [ta_y + b * pitch for b in boundaries]
    right = x + t.width
    heavy = weight * 2
    for k, yy in enumerate(y):
        if table.rules == "ruled":
            w = weight
        elif k == 0 or k == len(y) - 1:
            w = heavy
        elif k == t.header_rows:
            w = weight
        else:
            w = weight / 2
        page.strokes.append(Stroke(x, yy, right, yy, w))
    if table.rules == "ruled":
        left = x
        for c in range(len(t.widths) + 1):
            page.strokes.append(Stroke(left, y[0], left, y[-1], weight))
            if c < len(t.widths):
                left += t.widths[c]
