"""Preview PNGs of rendered pages, optionally with a proof overlay.

The PNG is rasterised from the PDF itself (pdfium), so it shows exactly what
prints; the overlay — baseline grid, columns, frames, story threading arrows,
overset markers — is drawn from the page model on top, in screen colours.
"""

from __future__ import annotations

from pathlib import Path

from pagesetter.page.placed import ComposedPage

GRID = (120, 190, 255)
FRAME = (0, 110, 230)
THREAD = (230, 60, 160)
OVERSET = (230, 0, 0)


def preview_paths(out: Path, count: int) -> list[Path]:
    """The preview PNGs of a PDF at ``out`` with ``count`` pages: ``out`` as .png, or -1.png, -2.png …"""
    out = Path(out)
    return [out.with_suffix(".png")] if count == 1 else [out.with_name(f"{out.stem}-{n + 1}.png")
                                                          for n in range(count)]


MAX_PREVIEW_PIXELS = 60_000_000  # a 600 dpi 对开 page; each pixel costs ~12 bytes while rendering


def check_preview_size(pages: list[ComposedPage], dpi: float) -> None:
    """Refuse, before anything is written, a preview too large to rasterise in bounded memory."""
    from pagesetter.errors import PagesetterError

    for page in pages:
        layout = page.layout
        edge = 2 * (layout.print.bleed + layout.print.slug_space)
        pixels = (layout.width + edge) * (layout.height + edge) * (dpi / 72) ** 2
        if pixels > MAX_PREVIEW_PIXELS:
            most = int((MAX_PREVIEW_PIXELS / ((layout.width + edge) * (layout.height + edge))) ** 0.5 * 72)
            raise PagesetterError(f"a {dpi:g} dpi preview of this page would be {pixels / 1e6:,.0f} megapixels; the "
                                  f"limit is {MAX_PREVIEW_PIXELS // 1_000_000}: use --png-dpi {most} or less",
                                  file=str(layout.file), field="--png-dpi")


def write_previews(pdf: Path, pages: list[ComposedPage], dpi: float, *, proof: bool = False,
                   target: Path | None = None) -> list:
    """PNGs of ``pdf``'s pages, named after ``pdf``. With ``target`` (the PDF's final name, ``pdf``
    being its temporary file) they are named after the target and left in temporary files: the
    result is then [(temporary, final)], for the caller to put in place with the PDF."""
    import pypdfium2 as pdfium

    from pagesetter.outfiles import commit, discard, temp_beside

    named = Path(target) if target is not None else pdf
    paths = preview_paths(named, len(pages))
    out = []
    document = pdfium.PdfDocument(str(pdf))
    try:
        for n, page in enumerate(pages):
            layout = page.layout
            offset = layout.print.bleed + layout.print.slug_space
            scale = dpi / 72
            bitmap = document[n].render(scale=scale)
            image = bitmap.to_pil()
            left, top = round(offset * scale), round(offset * scale)
            image = image.crop((left, top, left + round(layout.width * scale), top + round(layout.height * scale)))
            if proof:
                _overlay(image, page, scale)
            path = paths[n]
            tmp = temp_beside(path, ".png")
            out.append((tmp, path))
            image.save(tmp, format="PNG")
    except BaseException:
        discard(*(t for t, _ in out))
        raise
    finally:
        document.close()
    if target is not None:
        return out
    for tmp, path in out:
        commit(tmp, path)
    return [path for _, path in out]


def _overlay(image, page: ComposedPage, scale: float) -> None:
    from PIL import ImageDraw

    layout = page.layout
    draw = ImageDraw.Draw(image, "RGBA")
    ta = layout.type_area

    def px(v: float) -> float:
        return v * scale

    for k in range(layout.grid_lines + 1):  # baseline grid
        y = px(ta.y + k * layout.pitch)
        draw.line([(px(ta.x), y), (px(ta.right), y)], fill=GRID + (60,), width=1)
    for c in range(layout.columns):  # the basic column grid
        x = ta.x + c * (layout.column_width + layout.gutter)
        draw.rectangle([px(x), px(ta.y), px(x + layout.column_width), px(ta.bottom)], outline=GRID + (110,))
    for frame in layout.frames.values():
        b = frame.box
        draw.rectangle([px(b.x), px(b.y), px(b.right), px(b.bottom)], outline=FRAME + (220,), width=2)
        for c in range(1, frame.columns):
            x = frame.column_x(c)
            draw.line([(px(x), px(b.y)), (px(x), px(b.bottom))], fill=FRAME + (120,), width=1)
    overset = {s.id for s in page.overset}
    for story in layout.stories:
        boxes = [layout.frames[f].box for f in story.frames]
        for a, b in zip(boxes, boxes[1:]):  # threading: from the foot of one frame to the head of the next
            start, end = (px(a.right - 6), px(a.bottom - 6)), (px(b.x + 6), px(b.y + 6))
            draw.line([start, end], fill=THREAD + (230,), width=2)
            draw.ellipse([end[0] - 4, end[1] - 4, end[0] + 4, end[1] + 4], fill=THREAD + (230,))
        if story.id in overset:
            last = boxes[-1]
            x, y = px(last.right), px(last.bottom)
            draw.rectangle([x - 14, y - 14, x, y], fill=OVERSET + (230,))
            draw.line([(x - 11, y - 7), (x - 3, y - 7)], fill=(255, 255, 255, 255), width=2)
            draw.line([(x - 7, y - 11), (x - 7, y - 3)], fill=(255, 255, 255, 255), width=2)
