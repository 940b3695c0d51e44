"""Pictures: reading them safely, converting to CMYK, fitting them in frames.

Pillow reads JPEG and PNG; print/separation.py converts them for the press
(colour management, ink limit, passthrough of press-ready JPEGs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pagesetter.errors import PagesetterError

MAX_PIXELS = 80_000_000   # ~ a 9000 × 9000 picture; larger files are refused, not decoded
MAX_FILE_BYTES = 200 * 1024 * 1024
MIN_PPI = 200
PRESS_PPI = 240           # above MIN_PPI, more than a newspaper screen resolves: pictures are reduced to it on load


def image_size(path: Path, where=None) -> tuple[int, int]:
    """Pixel size of a JPEG or PNG, checked without decoding the pixels."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS

    def fail(msg):
        return where.error(msg) if where is not None else PagesetterError(msg, file=str(path))

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise fail(f"image {path.name} is larger than {MAX_FILE_BYTES // 2**20} MB")
        with Image.open(path) as im:
            if im.format not in ("JPEG", "PNG"):
                raise fail(f"image {path.name} is {im.format}; pagesetter places JPEG and PNG")
            w, h = im.size
        if w * h <= MAX_PIXELS:
            with Image.open(path) as im:  # check the file's structure: a truncated one fails here, not mid-render
                im.verify()
    except FileNotFoundError:
        raise fail(f"image file {str(path)!r} not found") from None
    except Image.DecompressionBombError:
        raise fail(f"image {path.name} declares more than {MAX_PIXELS:,} pixels (a decompression bomb?)") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise fail(f"cannot read image {path.name}: {exc}") from None
    if w * h > MAX_PIXELS:
        raise fail(f"image {path.name} is {w} × {h} pixels, more than {MAX_PIXELS:,} (a decompression bomb?)")
    if w < 1 or h < 1:
        raise fail(f"image {path.name} has no pixels")
    return w, h


def picture_size(path: Path, where=None, page: int | None = None) -> tuple[int, int]:
    """A raster picture's pixels, or a vector figure's size in its units (source/figures.py)."""
    from pagesetter.source.figures import figure_units, is_vector

    if is_vector(path):
        return figure_units(path, where, page)
    if page is not None:
        msg = f"page: chooses a page of a PDF figure; {path.name} is a raster picture"
        raise where.error(msg) if where is not None else PagesetterError(msg, file=str(path))
    return image_size(path, where)


def to_cmyk(im):
    """RGB/grey → CMYK without a press profile: the approximate formula (print/icc.py)."""
    from pagesetter.print.icc import to_press_cmyk

    if im.mode in ("RGBA", "LA", "P", "PA"):  # on paper; the renderer flattens against the page instead
        from PIL import Image
        rgba = im.convert("RGBA")
        im = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("RGB")
    return to_press_cmyk(im)


@dataclass(frozen=True)
class Placement:
    """Where the picture goes (pt, page coordinates, y down) and which pixels show."""

    x: float
    y: float
    width: float
    height: float
    crop: tuple[int, int, int, int]  # pixel box left, top, right, bottom

    def ppi(self) -> float:
        left, top, right, bottom = self.crop
        return min((right - left) / (self.width / 72), (bottom - top) / (self.height / 72))


def place(pixels: tuple[int, int], x: float, y: float, width: float, height: float, fit: str,
          crop: tuple[float, float, float, float], focus: tuple[float, float] = (0.5, 0.5)) -> Placement:
    w, h = pixels
    left, top = round(w * crop[0]), round(h * crop[1])
    right, bottom = w - round(w * crop[2]), h - round(h * crop[3])
    cw, ch = right - left, bottom - top
    if fit == "fit":
        scale = min(width / cw, height / ch)
        dw, dh = cw * scale, ch * scale
        return Placement(x + (width - dw) / 2, y + (height - dh) / 2, dw, dh, (left, top, right, bottom))
    # fill (and crop): cover the frame, cutting the overhang so that the focus point (fractions of
    # the cropped picture; the middle by default) comes as near the frame's middle as the picture allows
    scale = max(width / cw, height / ch)
    vw, vh = width / scale, height / scale
    cx = left + min(max(focus[0] * cw - vw / 2, 0.0), cw - vw)
    cy = top + min(max(focus[1] * ch - vh / 2, 0.0), ch - vh)
    return Placement(x, y, width, height, (round(cx), round(cy), round(cx + vw), round(cy + vh)))


def load_separated(path: Path, placement: Placement, spec, backdrop=()):
    """The picture as the press gets it (print/separation.py), with the print spec's settings;
    its pixels reduced while loading to what the press needs (``reduce_for_press``)."""
    from PIL import Image

    from pagesetter.print.separation import separate

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    need = _press_pixels(placement, PRESS_PPI)
    return separate(path, placement.crop, limit=spec.press.ink_limit, press=spec.press.profile,
                    intent=spec.rendering_intent, bpc=spec.black_point_compensation, quality=spec.jpeg_quality,
                    backdrop=tuple(backdrop), load=lambda im, crop: reduce_for_press(im, crop, need))


def _press_pixels(placement: Placement, ppi: float) -> tuple[int, int]:
    import math
    return max(1, math.ceil(placement.width / 72 * ppi)), max(1, math.ceil(placement.height / 72 * ppi))


def load_for_press(path: Path, placement: Placement, ppi: float = PRESS_PPI):
    """The pixels of the placement's crop, reduced while loading (``reduce_for_press``)."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with Image.open(path) as im:
        return reduce_for_press(im, placement.crop, _press_pixels(placement, ppi))


def reduce_for_press(im, crop: tuple[int, int, int, int], need: tuple[int, int]):
    """The pixels of an opened, not yet decoded picture's ``crop``, reduced while loading to
    no fewer than ``need``: a JPEG is decoded at 1/2, 1/4 or 1/8 scale (``draft``), any picture
    is cropped and reduced by a whole factor in one step (``reduce`` with a box), so a large
    picture never sits in memory more than once at full size, nor is converted at it."""
    import math

    left, top, right, bottom = crop
    need_w, need_h = need
    factor = max(1, min((right - left) // need_w, (bottom - top) // need_h))
    full_w, full_h = im.size
    if factor > 1 and im.format == "JPEG":
        im.draft(im.mode, (math.ceil(full_w / factor), math.ceil(full_h / factor)))
    sx, sy = im.size[0] / full_w, im.size[1] / full_h
    box = (math.floor(left * sx), math.floor(top * sy), math.ceil(right * sx), math.ceil(bottom * sy))
    rest = max(1, min((box[2] - box[0]) // need_w, (box[3] - box[1]) // need_h))
    if rest > 1:
        if im.mode not in ("L", "LA", "RGB", "RGBA", "CMYK", "I", "F"):
            # palette indices and bits cannot be averaged: expand them first
            im = im.convert({"1": "L", "I;16": "I"}.get(im.mode, "RGBA"))
        return im.reduce(rest, box=box)
    im.load()
    return im.crop(box)
