"""The masthead (报头): the paper's name, and beside it the edition's details on the
baseline grid — date and weekday, the lunar date (农历), issue number (期号), page
count, serial number (国内统一连续出版物号 CN …) and web address."""

from __future__ import annotations

import math
from dataclasses import replace

from pagesetter.compose.paragraph import compose_paragraph
from pagesetter.errors import PagesetterError
from pagesetter.fonts.faces import text_fonts
from pagesetter.layout.content import Masthead
from pagesetter.layout.model import Box, PageLayout, TextSpec
from pagesetter.page.placed import EM_BOX_ASCENT, ComposedPage, PlacedImage, PlacedLine, Stroke
from pagesetter.source.pictures import place as place_image

WEEKDAYS = "一二三四五六日"
NAME_HEIGHT = 0.8   # the name's em box fills at most this share of its area's height
MIN_NAME_PPI = 300  # line art: a masthead picture wants more pixels than a photo


def lunar_date(date) -> str:
    """农历辛丑年十月廿九 — the traditional date printed under the Gregorian one."""
    from lunar_python import Solar

    lunar = Solar.fromYmd(date.year, date.month, date.day).getLunar()
    return f"农历{lunar.getYearInGanZhi()}年{lunar.getMonthInChinese()}月{lunar.getDayInChinese()}"


def details(head: Masthead, date) -> list[str]:
    """The detail lines in reading order: date, lunar date, issue and pages, serial, web."""
    out = [f"{date.year}年{date.month}月{date.day}日　星期{WEEKDAYS[date.weekday()]}"]
    if head.lunar:
        out.append(lunar_date(date))
    numbers = "　".join(t for t in (f"第{head.issue}期" if head.issue else None,
                                   f"今日{head.pages}版" if head.pages else None) if t)
    if numbers:
        out.append(numbers)
    if head.serial:
        serial = head.serial if head.serial.upper().startswith("CN") else f"CN {head.serial}"
        out.append(f"国内统一连续出版物号 {serial}")
    if head.web:
        out.append(head.web)
    return out


def _line(text: str, spec: TextSpec, layout: PageLayout):
    style = layout.style.merged(first_line_indent=0.0, orphan_min=0)
    return compose_paragraph(text, text_fonts(spec.face, style, layout), style, 10_000.0, indent=0.0, justify=False,
                             tracking=spec.tracking)[0]


def compose(layout: PageLayout, page: ComposedPage) -> None:
    head = layout.masthead
    if head is None:
        return
    box = head.box
    pitch = layout.pitch
    ta = layout.type_area
    first = math.ceil((box.y - ta.y) / pitch - 1e-6)
    rows = max(1, math.floor((box.bottom - ta.y) / pitch + 1e-6) - first)
    gap = layout.body.size
    if head.align == "left":
        name_box = Box(box.x, box.y, head.name_width, box.height)
        sides = [(box.x + head.name_width + gap, box.right, details(head, layout.print.edition_date), "left")]
    else:
        name_box = Box(box.x + (box.width - head.name_width) / 2, box.y, head.name_width, box.height)
        lines = details(head, layout.print.edition_date)
        dated = 2 if head.lunar else 1
        sides = [(box.x, name_box.x - gap, lines[:dated], "left"),
                 (name_box.right + gap, box.right, lines[dated:], "right")]
    _name(head, name_box, layout, page)
    for left, right, texts, align in sides:
        if not texts:
            continue
        if len(texts) > rows:
            raise _error(head, layout, f"the masthead has {rows} grid lines, its details need {len(texts)}")
        top_row = first + (rows - len(texts)) // 2
        for k, text in enumerate(texts):
            line = _line(text, head.spec, layout)
            width = line.width * head.spec.size
            if width > right - left + 0.01:
                raise _error(head, layout, f"{text!r} needs {width:.1f}pt, there are {right - left:.1f}pt "
                                           "beside the name (make name_width smaller)")
            g = top_row + k
            baseline = ta.y + g * pitch + (pitch - head.spec.size) / 2 + EM_BOX_ASCENT * head.spec.size
            x = left if align == "left" else right - width
            page.lines.append(PlacedLine(x, baseline, head.spec.size, line, "masthead", "masthead", 0, "masthead", g,
                                         right - left, color=head.color))
    if head.rule > 0:
        y = box.bottom - head.rule / 2
        page.strokes.append(Stroke(box.x, y, box.right, y, head.rule, head.color))


def _name(head: Masthead, area: Box, layout: PageLayout, page: ComposedPage) -> None:
    area = Box(area.x, area.y, area.width, area.height - head.rule * 2)
    if head.picture is not None:
        placement = place_image(head.picture.pixels, area.x, area.y, area.width, area.height, "fit",
                                (0.0, 0.0, 0.0, 0.0))
        if head.align == "left":
            placement = replace(placement, x=area.x)
        page.images.append(PlacedImage(head.picture, placement))
        if placement.ppi() < MIN_NAME_PPI and not head.picture.vector:
            page.warnings.append(f"the masthead picture ({head.picture.path.name}) prints at {placement.ppi():.0f} "
                                 f"ppi, under {MIN_NAME_PPI} ppi: its edges will look jagged")
        return
    spec = head.name_spec
    line = _line(head.name, replace(spec, size=1.0), layout)
    size = spec.size or min(area.height * NAME_HEIGHT, area.width / line.width)
    if line.width * size > area.width + 0.01 or size > area.height + 0.01:
        raise _error(head, layout, f"the paper's name at {size:g}pt does not fit its {area.width:.0f} × "
                                   f"{area.height:.0f}pt area (name_width, lines or size)")
    baseline = area.y + (area.height - size) / 2 + EM_BOX_ASCENT * size
    x = area.x if head.align == "left" else area.x + (area.width - line.width * size) / 2
    page.lines.append(PlacedLine(x, baseline, size, line, "masthead", "masthead", 0, "masthead_name", None,
                                 area.width, color=spec.color))


def _error(head: Masthead, layout: PageLayout, message: str) -> PagesetterError:
    line, col = head.mark if head.mark else (None, None)
    return PagesetterError(message, file=str(layout.file), line=line, column=col, field="masthead")
