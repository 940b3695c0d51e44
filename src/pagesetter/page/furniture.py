"""Page furniture that is not a story: the running head (报眉) and ruled or tinted boxes."""

from __future__ import annotations

from pagesetter.compose.paragraph import compose_paragraph
from pagesetter.page.placed import EM_BOX_ASCENT, ComposedPage, PlacedLine, Stroke
from pagesetter.fonts.faces import text_fonts
from pagesetter.layout.content import DOUBLE_LINE, BoxDecoration
from pagesetter.layout.model import Box, PageLayout, TextSpec
from pagesetter.units import MM

WEEKDAYS = "一二三四五六日"


def compose(layout: PageLayout, page: ComposedPage) -> None:
    for i, box in enumerate(layout.boxes):
        _box(box, layout, page, f"boxes[{i}]")
    if layout.running_head is not None:
        _running_head(layout, page)


def _line(text: str, spec: TextSpec, layout: PageLayout):
    style = layout.style.merged(first_line_indent=0.0, orphan_min=0)
    lines = compose_paragraph(text, text_fonts(spec.face, style, layout), style, 10_000.0, indent=0.0, justify=False)
    return lines[0]


def _running_head(layout: PageLayout, page: ComposedPage) -> None:
    head = layout.running_head
    ta = layout.type_area
    rule_y = ta.y - 3 * MM
    baseline = rule_y - 2.5 * MM
    items = []  # (text, spec, where)
    left = "　".join(t for t in (f"第{head.page}版" if head.page else None, head.section) if t)
    if left:
        items.append((left, head.spec, "left"))
    if head.paper:
        items.append((head.paper, head.spec, "center"))
    date = layout.print.edition_date
    right = []
    credits = "　".join(t for t in (f"责任编辑：{head.editor}" if head.editor else None,
                                   f"美术编辑：{head.designer}" if head.designer else None) if t)
    if date is not None:
        right.append(f"{date.year}年{date.month}月{date.day}日　星期{WEEKDAYS[date.weekday()]}")
    x_right = ta.right
    if right:
        line = _line(right[0], head.spec, layout)
        x_right -= line.width * head.spec.size
        page.lines.append(PlacedLine(x_right, baseline, head.spec.size, line, "running-head", "running-head", 0,
                                     "running_head"))
        x_right -= 2 * head.spec.size
    if credits:
        line = _line(credits, head.small, layout)
        x_right -= line.width * head.small.size
        page.lines.append(PlacedLine(x_right, baseline, head.small.size, line, "running-head", "running-head", 0,
                                     "running_head"))
    for text, spec, where in items:
        line = _line(text, spec, layout)
        width = line.width * spec.size
        x = ta.x if where == "left" else ta.x + (ta.width - width) / 2
        page.lines.append(PlacedLine(x, baseline, spec.size, line, "running-head", "running-head", 0, "running_head"))
    page.strokes.append(Stroke(ta.x, rule_y, ta.right, rule_y, 1.2, what="running_head rule"))
    page.strokes.append(Stroke(ta.x, rule_y + 0.9 * MM, ta.right, rule_y + 0.9 * MM, 0.3, what="running_head rule"))


def _box(box: BoxDecoration, layout: PageLayout, page: ComposedPage, what: str = "box") -> None:
    a = box.area
    if box.tint is not None:
        page.fills.append((a, box.tint))
    if box.weight > 0:
        _border(a, box.weight, box.line_style, box.color, page, box.overprint, f"{what}.border")
    if box.label and box.label_style is not None:
        from pagesetter.page import sectionhead
        sectionhead.draw(box.label, box.label_style, box.label_spec, box.label_frame, layout, page, "box-label")
    elif box.label:
        spec = box.label_spec
        line = _line(box.label, spec, layout)
        f = box.label_frame
        width = line.width * spec.size
        baseline = f.y + (f.height - spec.size) / 2 + EM_BOX_ASCENT * spec.size
        x = f.x + {"left": 0.0, "right": f.width - width}.get(spec.align, (f.width - width) / 2)
        page.lines.append(PlacedLine(x, baseline, spec.size, line, "box-label", "box", 0, "box_label"))


def _border(a: Box, weight: float, style: str, color, page: ComposedPage, overprint=None, what="border") -> None:
    dash = (3 * weight + 2, 2 * weight + 1.5) if style == "dashed" else ()
    rects = [a]
    if style == "double":
        gap = 1.5 * weight + 1
        rects.append(Box(a.x + gap, a.y + gap, a.width - 2 * gap, a.height - 2 * gap))
    for r in rects:
        for x1, y1, x2, y2 in ((r.x, r.y, r.right, r.y), (r.right, r.y, r.right, r.bottom),
                               (r.right, r.bottom, r.x, r.bottom), (r.x, r.bottom, r.x, r.y)):
            page.strokes.append(Stroke(x1, y1, x2, y2, weight if style != "double" else weight * DOUBLE_LINE, color,
                                       dash, overprint, what))
