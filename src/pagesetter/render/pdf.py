"""ComposedPage → PDF with ReportLab.

Glyph positions come from the composer; this module only converts them to
PDF coordinates (origin bottom-left) and writes them out. The file is written
to a temporary name and renamed, so a failed render never leaves a partial PDF.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reportlab.pdfgen import canvas

from pagesetter import __version__
from pagesetter.flow import ComposedPage
from pagesetter.render.fonts import pdf_font


def write_pdf(pages: list[ComposedPage], out: Path, *, title: str = "") -> None:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".pdf.tmp", dir=out.parent)
    os.close(fd)
    try:
        first = pages[0].layout
        body_font = pdf_font(first.body.face)
        c = canvas.Canvas(tmp, pagesize=(first.width, first.height), invariant=1, pageCompression=1,
                          initialFontName=body_font, initialFontSize=first.body.size)
        c.setTitle(title or first.title)
        c.setCreator(f"pagesetter {__version__}")
        c.setProducer(f"pagesetter {__version__}")
        for page in pages:
            c.setPageSize((page.layout.width, page.layout.height))
            draw_page(c, page)
            c.showPage()
        c.save()
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def draw_page(c: canvas.Canvas, page: ComposedPage) -> None:
    layout = page.layout
    height = layout.height
    c.setStrokeColorCMYK(0, 0, 0, 1)
    c.setFillColorCMYK(0, 0, 0, 1)
    for rule in layout.rules:
        c.setLineWidth(rule.weight)
        c.line(rule.x1, height - rule.y1, rule.x2, height - rule.y2)
    text = c.beginText()
    current = (None, None, None)
    for placed in page.lines:
        size = placed.size
        y = height - placed.baseline
        for g in placed.line.glyphs:
            name = pdf_font(g.font.ref)
            if current[:2] != (name, size):
                text.setFont(name, size)
            if current[2] != g.hscale:
                text.setHorizScale(g.hscale * 100)
            current = (name, size, g.hscale)
            text.setTextOrigin(placed.x + g.x * size, y)
            text.textOut(g.char)
    c.drawText(text)
