"""The index box (导读): chosen stories of the edition, each with its headline, a
one-line summary and the page it is on (第N版), on the baseline grid."""

from __future__ import annotations

import math

from pagesetter.compose.paragraph import compose_paragraph
from pagesetter.errors import PagesetterError
from pagesetter.fonts.faces import text_fonts
from pagesetter.layout.content import IndexBox
from pagesetter.layout.model import PageLayout, TextSpec
from pagesetter.page.headlines import balanced_lines
from pagesetter.page.placed import EM_BOX_ASCENT, ComposedPage, PlacedLine, Stroke


def compose(box: IndexBox, layout: PageLayout, page: ComposedPage) -> None:
    pitch = layout.pitch
    ta = layout.type_area
    area = box.box
    pad = layout.body.size * 0.5
    x, width = area.x + pad, area.width - 2 * pad
    first = math.ceil((area.y - ta.y) / pitch - 1e-6)
    end = math.floor((area.bottom - ta.y) / pitch + 1e-6)
    style = layout.style.merged(first_line_indent=0.0, orphan_min=0)
    placed: list[PlacedLine] = []
    strokes: list[Stroke] = []
    row = first

    def lines_of(text: str, spec: TextSpec, measure: float, justify: bool = False):
        return compose_paragraph(text, text_fonts(spec.face, style, layout), style, measure / spec.size, indent=0.0,
                                 justify=justify)

    def put(line, spec: TextSpec, lx: float, g: int, rows: int, role: str) -> None:
        baseline = ta.y + g * pitch + (rows * pitch - spec.size) / 2 + EM_BOX_ASCENT * spec.size
        placed.append(PlacedLine(lx, baseline, spec.size, line, "index", "index", 0, role, g, width,
                                 color=spec.color))

    if box.title:
        spec = box.title_spec
        rows = max(1, math.ceil(spec.size * 1.3 / pitch - 1e-6))
        for line in lines_of(box.title, spec, width):
            off = {"center": (width - line.width * spec.size) / 2, "right": width - line.width * spec.size}.get(
                spec.align, 0.0)
            put(line, spec, x + off, row, rows, "index_title")
            row += rows
        y = ta.y + row * pitch
        strokes.append(Stroke(area.x, y, area.right, y, 0.75))
    for n, entry in enumerate(box.entries):
        if n or box.title:
            row += 1 if n else 0
        folio = f"第{entry.page}版"
        hs, ss = box.headline_spec, box.summary_spec
        folio_line = lines_of(folio, hs, width)[0]
        folio_w = folio_line.width * hs.size
        head = balanced_lines(entry.headline, text_fonts(hs.face, style, layout), style, width / hs.size)
        for line in head:
            put(line, hs, x, row, 1, "index_headline")
            row += 1
        last_row, last_width = row - 1, head[-1].width * hs.size
        if entry.summary:
            summary = lines_of(entry.summary, ss, width, justify=True)
            for line in summary:
                put(line, ss, x, row, 1, "index_summary")
                row += 1
            last_row, last_width = row - 1, summary[-1].width * ss.size
        if last_width + folio_w + layout.body.size > width:
            last_row = row
            row += 1
        put(folio_line, hs, x + width - folio_w, last_row, 1, "index_page")
    if row > end:
        line, col = box.mark if box.mark else (None, None)
        raise PagesetterError(f"the index box needs {row - first} grid lines, it has {end - first}",
                              file=str(layout.file), line=line, column=col, field="index")
    if box.tint is not None:
        page.fills.append((area, box.tint))
    if box.border > 0:
        a = area
        for x1, y1, x2, y2 in ((a.x, a.y, a.right, a.y), (a.right, a.y, a.right, a.bottom),
                               (a.right, a.bottom, a.x, a.bottom), (a.x, a.bottom, a.x, a.y)):
            strokes.append(Stroke(x1, y1, x2, y2, box.border))
    page.lines.extend(placed)
    page.strokes.extend(strokes)
