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
from pagesetter.flow import EM_BOX_ASCENT, ComposedPage, PlacedImage
from pagesetter.images import load_cmyk
from pagesetter.render import pdfx
from pagesetter.render.fonts import pdf_font


def write_pdf(pages: list[ComposedPage], out: Path, *, title: str = "") -> None:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".pdf.tmp", dir=out.parent)
    os.close(fd)
    try:
        first = pages[0].layout
        spec = first.print
        body_font = pdf_font(first.body.face)
        c = pdfx.new_canvas(tmp, spec, (first.width, first.height), body_font, first.body.size,
                            title or first.title, f"pagesetter {__version__}")
        when = pdfx.document_time(spec).strftime("%Y-%m-%d")
        for number, page in enumerate(pages, 1):
            layout = page.layout
            offset = pdfx.set_boxes(c, spec, layout.width, layout.height)
            if spec.marks:
                slug = (f"{out.name}  ·  {layout.title}  ·  page {number}/{len(pages)}  ·  {when}  ·  {spec.standard}"
                        f"  ·  {spec.press.identifier}: {spec.press.condition}")
                pdfx.draw_marks(c, spec, layout.width, layout.height, slug, body_font)
            c.saveState()
            c.translate(offset, offset)
            draw_page(c, page)
            c.restoreState()
            c.showPage()
        c.save()
        _self_check(Path(tmp), out)
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _self_check(tmp: Path, out: Path) -> None:
    """The fast preflight checks on our own output; a PDF that would fail is never written."""
    from pagesetter.errors import PagesetterError
    from pagesetter.preflight import failed, preflight

    problems = failed(preflight(tmp, ink=False, content=False))
    if problems:
        raise PagesetterError("the PDF would fail preflight: " + "; ".join(f"{c.name}: {c.detail}" for c in problems),
                              file=str(out))


def _bleed(v: float, edge: float, bleed: float) -> float:
    """Anything that touches the trim edge runs on into the bleed."""
    if abs(v) < 0.01:
        return -bleed
    if abs(v - edge) < 0.01:
        return edge + bleed
    return v


def draw_page(c: canvas.Canvas, page: ComposedPage) -> None:
    layout = page.layout
    height = layout.height
    bleed = layout.print.bleed
    for box, color in page.fills:
        c.setFillColorCMYK(*color.fractions)
        x1, x2 = _bleed(box.x, layout.width, bleed), _bleed(box.right, layout.width, bleed)
        y1, y2 = _bleed(box.y, layout.height, bleed), _bleed(box.bottom, layout.height, bleed)
        c.rect(x1, height - y2, x2 - x1, y2 - y1, stroke=0, fill=1)
    for placed in page.images:
        _draw_image(c, placed, height)
    # black text and rules print 100% K and overprint, so no white gap opens round them on press
    c.setFillOverprint(True)
    c.setStrokeOverprint(True)
    c.setOverprintMask(True)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setStrokeColorCMYK(0, 0, 0, 1)
    strokes = [(r.x1, r.y1, r.x2, r.y2, r.weight, r.color, ()) for r in layout.rules]
    strokes += [(s.x1, s.y1, s.x2, s.y2, s.weight, s.color, s.dash) for s in page.strokes]
    for x1, y1, x2, y2, weight, color, dash in strokes:
        c.setStrokeColorCMYK(*color.fractions)
        c.setLineWidth(weight)
        c.setDash(list(dash)) if dash else c.setDash()
        x1, x2 = _bleed(x1, layout.width, bleed), _bleed(x2, layout.width, bleed)
        y1, y2 = _bleed(y1, layout.height, bleed), _bleed(y2, layout.height, bleed)
        c.line(x1, height - y1, x2, height - y2)
    c.setDash()
    c.setStrokeColorCMYK(0, 0, 0, 1)
    text = c.beginText()
    current = (None, None, None)
    for placed in page.lines:
        size = placed.size
        for g in placed.line.glyphs:
            name = pdf_font(g.font.ref)
            if current[:2] != (name, size):
                text.setFont(name, size)
            if current[2] != g.hscale:
                text.setHorizScale(g.hscale * 100)
            current = (name, size, g.hscale)
            if not placed.vertical:
                text.setTextOrigin(placed.x + g.x * size, height - placed.baseline)
            elif g.rotate:
                # turned a quarter clockwise: the glyph's baseline runs down the column
                text.setTextTransform(0, -1, 1, 0, placed.x + 0.12 * size, height - (placed.baseline + g.x * size))
            else:
                text.setTextOrigin(placed.x + g.cross * size,
                                   height - (placed.baseline + (g.x + EM_BOX_ASCENT) * size))
            text.textOut(g.char)
    c.drawText(text)


def _draw_image(c: canvas.Canvas, placed: PlacedImage, height: float) -> None:
    from reportlab.lib.utils import ImageReader

    p = placed.placement
    picture = load_cmyk(placed.image.path, p)
    c.drawImage(ImageReader(picture), p.x, height - (p.y + p.height), p.width, p.height)
