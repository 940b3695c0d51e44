"""ComposedPage → PDF with ReportLab.

Glyph positions come from the composer; this module only converts them to
PDF coordinates (origin bottom-left) and writes them out. The file is written
to a temporary name and renamed, so a failed render never leaves a partial PDF.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import zlib

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen import canvas

rl_config.useA85 = 0  # binary streams: PDF/X needs no 7-bit safety, and ASCII85 costs time and bytes


def _deflate(self, text):
    # zlib level 3 instead of 6: half the compression time for a file about 7% larger
    return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, 3)


pdfdoc.PDFStreamFilterZCompress.encode = _deflate

from pagesetter import __version__
from pagesetter.page.placed import EM_BOX_ASCENT, ComposedPage, PlacedImage
from pagesetter.source.pictures import load_cmyk
from pagesetter.render import pdfx, selfcheck
from pagesetter.render.fonts import pdf_font


def write_pdf(pages: list[ComposedPage], out: Path, *, title: str = "") -> None:
    from pagesetter.errors import PagesetterError

    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".pdf.tmp", dir=out.parent)
    except OSError as exc:
        raise PagesetterError(f"cannot write the PDF there: {exc.strerror}", file=str(out)) from None
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
                edition_page = f"第{layout.running_head.page}版  ·  " if layout.running_head and \
                    layout.running_head.page else ""
                slug = (f"{out.name}  ·  {edition_page}{layout.title}  ·  page {number}/{len(pages)}  ·  {when}"
                        f"  ·  {spec.standard}  ·  {spec.press.identifier}: {spec.press.condition}")
                pdfx.draw_marks(c, spec, layout.width, layout.height, slug, body_font)
            c.saveState()
            c.translate(offset, offset)
            draw_page(c, page)
            c.restoreState()
            c.showPage()
        c.save()
        _self_check(Path(tmp), out, spec.standard)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a PDF is for sharing
        os.replace(tmp, out)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise PagesetterError(f"cannot write the PDF: {exc.strerror or exc}", file=str(out)) from None
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _self_check(tmp: Path, out: Path, standard: str) -> None:
    """The structural preflight checks on our own output; a PDF that would fail is never written."""
    from pagesetter.errors import PagesetterError

    found = selfcheck.problems(tmp.read_bytes(), standard)
    if found:
        raise PagesetterError("the PDF would fail preflight: " + "; ".join(found), file=str(out))


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
    black = [p for p in page.lines if p.color.is_black]
    c._code.append(_text_operators(c, page, height, black))
    coloured: dict = {}
    for p in page.lines:
        if not p.color.is_black:
            coloured.setdefault(p.color, []).append(p)
    if coloured:
        # coloured and reversed (white) type knocks out what is under it: overprinting
        # would let the tint show through, or make white type vanish
        c.setFillOverprint(False)
        for color, lines in coloured.items():
            c.setFillColorCMYK(*color.fractions)
            c._code.append(_text_operators(c, page, height, lines, first=False))
        c.setFillOverprint(True)
        c.setFillColorCMYK(0, 0, 0, 1)


def _num(v: float) -> str:
    """A PDF number: at most 3 decimals, no trailing zeros."""
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _text_operators(c: canvas.Canvas, page: ComposedPage, height: float, lines: list | None = None,
                    first: bool = True) -> str:
    """All text of the page as one BT … ET block.

    Glyphs of a horizontal line that share a face and scale go out as one TJ
    whose numbers carry the justification, instead of one positioning per
    glyph; vertical and turned glyphs are placed one by one."""
    doc = c._doc
    fonts: dict[str, object] = {}
    out = ["BT"]
    state = {"tf": None, "tz": 1.0 if first else None}  # Tz carries over from an earlier block

    def face(glyph):
        key = glyph.font.key
        font = fonts.get(key)
        if font is None:
            font = fonts[key] = pdfmetrics.getFont(pdf_font(glyph.font.ref))
        return font

    def set_scale(h: float) -> None:
        if h != state["tz"]:
            out.append(f"{_num(h * 100)} Tz")
            state["tz"] = h

    names: dict = {}
    numbers: dict = {}

    def show(font, size, chars: str, adjust_before: list[float]) -> None:
        """Show ``chars`` (one face); ``adjust_before[i]`` is the TJ number before character i.
        Runs of glyphs with nothing between them share one hex string."""
        items: list[str] = []
        i = 0
        for subset, chunk in font.splitString(chars, doc):
            key = (id(font), subset)
            name = names.get(key)
            if name is None:
                name = names[key] = font.getSubsetInternalName(subset, doc)
            if (name, size) != state["tf"]:
                if items:
                    out.append(f"[{' '.join(items)}] TJ")
                    items = []
                out.append(f"{name} {_num(size)} Tf")
                state["tf"] = (name, size)
            hexes = chunk.hex()
            run_start = 0
            for k in range(len(chunk)):
                adj = adjust_before[i]
                i += 1
                if -0.0005 < adj < 0.0005:
                    continue
                if k > run_start:
                    items.append(f"<{hexes[2 * run_start:2 * k]}>")
                text = numbers.get(adj)
                if text is None:
                    text = numbers[adj] = _num(adj)
                items.append(text)
                run_start = k
            items.append(f"<{hexes[2 * run_start:]}>")
        if items:
            out.append(f"[{' '.join(items)}] TJ")

    for placed in page.lines if lines is None else lines:
        size = placed.size
        glyphs = placed.line.glyphs
        # the line's source text, so extractors neither invent spaces at justified gaps
        # nor break lines at compressed punctuation
        out.append(f"/Span <</ActualText <FEFF{placed.line.text.encode('utf-16-be').hex().upper()}>>> BDC")
        if placed.vertical:
            for g in glyphs:
                font = face(g)
                set_scale(g.hscale)
                if g.rotate:
                    # turned a quarter clockwise: the glyph's baseline runs down the column
                    out.append(f"0 -1 1 0 {_num(placed.x + 0.12 * size)} {_num(height - (placed.baseline + g.x * size))} Tm")
                else:
                    out.append(f"1 0 0 1 {_num(placed.x + g.cross * size)} "
                               f"{_num(height - (placed.baseline + (g.x + EM_BOX_ASCENT) * size))} Tm")
                show(font, size, g.char, [0.0])
            out.append("EMC")
            continue
        y = _num(height - placed.baseline)
        k = 0
        while k < len(glyphs):
            first = glyphs[k]
            font = face(first)
            run = [first]
            while k + len(run) < len(glyphs):
                nxt = glyphs[k + len(run)]
                if nxt.font.key != first.font.key or nxt.hscale != first.hscale:
                    break
                run.append(nxt)
            set_scale(first.hscale)
            out.append(f"1 0 0 1 {_num(placed.x + first.x * size)} {y} Tm")
            adjust = [0.0]
            advance = first.font.advance
            h = first.hscale
            for a, b in zip(run, run[1:]):
                # TJ numbers are thousandths of the (scaled) em, subtracted from the pen advance
                adjust.append((advance(a.char) - (b.x - a.x) / h) * 1000)
            show(font, size, "".join(g.char for g in run), adjust)
            k += len(run)
        out.append("EMC")
    out.append("ET")
    return "\n".join(out)


_PICTURES: dict[tuple, object] = {}


def _draw_image(c: canvas.Canvas, placed: PlacedImage, height: float) -> None:
    from reportlab.lib.utils import ImageReader

    p = placed.placement
    st = placed.image.path.stat()
    key = (str(placed.image.path), st.st_size, st.st_mtime_ns, p.crop)
    reader = _PICTURES.get(key)
    if reader is None:
        try:
            reader = _PICTURES[key] = ImageReader(load_cmyk(placed.image.path, p))
        except (OSError, ValueError, SyntaxError) as exc:
            from pagesetter.errors import PagesetterError
            raise PagesetterError(f"cannot read image {placed.image.id!r}: {exc}", file=str(placed.image.path)) from None
    c.drawImage(reader, p.x, height - (p.y + p.height), p.width, p.height)
