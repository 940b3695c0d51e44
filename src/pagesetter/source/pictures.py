"""Pictures: reading them safely, converting to CMYK, fitting them in frames.

Pillow reads JPEG and PNG; every picture is converted to CMYK with full grey
component replacement (black ink carries the grey), so no pixel carries more
than 200% ink — under any newsprint limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pagesetter.errors import PagesetterError

MAX_PIXELS = 80_000_000   # ~ a 9000 × 9000 picture; larger files are refused, not decoded
MAX_FILE_BYTES = 200 * 1024 * 1024
MIN_PPI = 200


def image_size(path: Path, where=None) -> tuple[int, int]:
    """Pixel size of a JPEG or PNG, checked without decoding the pixels."""
    from PIL import Image, UnidentifiedImageError

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
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise fail(f"cannot read image {path.name}: {exc}") from None
    if w * h > MAX_PIXELS:
        raise fail(f"image {path.name} is {w} × {h} pixels, more than {MAX_PIXELS:,} (a decompression bomb?)")
    if w < 1 or h < 1:
        raise fail(f"image {path.name} has no pixels")
    return w, h


def to_cmyk(im):
    """RGB/grey → CMYK with full grey component replacement."""
    from PIL import Image, ImageChops, ImageOps

    if im.mode == "CMYK":
        return im
    if im.mode in ("1", "L", "LA", "I", "I;16", "F"):
        grey = im.convert("L")
        blank = Image.new("L", grey.size, 0)
        return Image.merge("CMYK", (blank, blank, blank, ImageOps.invert(grey)))
    if im.mode in ("RGBA", "LA", "P", "PA"):
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(white, rgba)
    rgb = im.convert("RGB")
    c, m, y = (ImageOps.invert(ch) for ch in rgb.split())
    k = ImageChops.darker(ImageChops.darker(c, m), y)
    return Image.merge("CMYK", (ImageChops.subtract(c, k), ImageChops.subtract(m, k), ImageChops.subtract(y, k), k))


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


def load_cmyk(path: Path, placement: Placement):
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with Image.open(path) as im:
        im.load()
        region = im.crop(placement.crop)
    return to_cmyk(region)
