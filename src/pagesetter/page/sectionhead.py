"""Section heads (栏头): a recurring section's label set on a bar — reverse type on a
dark one — with a rule running across the rest of the width. Used over stories and
as the label of a box."""

from __future__ import annotations

from pagesetter.compose.paragraph import compose_paragraph
from pagesetter.fonts.faces import text_fonts
from pagesetter.layout.content import SectionHeadStyle
from pagesetter.layout.model import Box, PageLayout, TextSpec
from pagesetter.page.placed import EM_BOX_ASCENT, ComposedPage, PlacedLine, Stroke

BAR_HEIGHT = 1.5   # em of the label
BAR_SIDE = 0.5     # em of the label at each side of the text


def draw(text: str, style: SectionHeadStyle, spec: TextSpec, area: Box, layout: PageLayout, page: ComposedPage,
         owner: str = "section-head", frame: str | None = None) -> None:
    """Set ``text`` in ``area``: the bar aligned by ``spec.align``, centred down the area."""
    hstyle = layout.style.merged(first_line_indent=0.0, orphan_min=0)
    line = compose_paragraph(text, text_fonts(spec.face, hstyle, layout), hstyle, 10_000.0, indent=0.0,
                             justify=False, tracking=spec.tracking)[0]
    width = line.width * spec.size
    bar_w = width + 2 * BAR_SIDE * spec.size if style.bar is not None else width
    bar_h = min(area.height, BAR_HEIGHT * spec.size)
    left = {"center": area.x + (area.width - bar_w) / 2, "right": area.right - bar_w}.get(spec.align, area.x)
    top = area.y + (area.height - bar_h) / 2
    if style.bar is not None:
        page.fills.append((Box(left, top, bar_w, bar_h), style.bar))
    if style.rule > 0:
        y = top + bar_h - style.rule / 2
        page.strokes.append(Stroke(area.x, y, area.right, y, style.rule, style.rule_color))
    baseline = top + (bar_h - spec.size) / 2 + EM_BOX_ASCENT * spec.size
    page.lines.append(PlacedLine(left + (bar_w - width) / 2, baseline, spec.size, line, owner, frame or owner, 0,
                                 "section_head", None, area.width, color=spec.color))
