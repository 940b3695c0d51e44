"""A picture made ready for the press: its pixels in the press's CMYK, under the ink
limit, flattened against what lies beneath it, and stored the way that suits it.

- A CMYK or grey JPEG within the limit is embedded as it is (DCTDecode passthrough:
  the file's own bytes, cropped by a clipping path, never re-encoded).
- Anything else is converted (``print.icc``), limited (``limit_ink``) and stored as
  JPEG at the house's quality, or losslessly (Flate) when it is line art: a PNG or
  GIF with at most 256 colours. A re-encoded JPEG is decoded again and measured;
  should the compression push a pixel over the limit, the target is lowered and it
  is encoded once more.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from pagesetter.print.color import CMYK
from pagesetter.print.icc import limit_ink, max_ink, reseparate, to_press_cmyk

LINE_ART_COLOURS = 256


@dataclass(frozen=True)
class Backdrop:
    """A flat colour under part of the picture, in the cropped picture's pixel space."""

    box: tuple[float, float, float, float]  # left, top, right, bottom (pixels)
    color: CMYK


@dataclass
class Separated:
    """What the PDF writer embeds."""

    width: int
    height: int
    space: str                  # DeviceCMYK or DeviceGray
    data: bytes                 # the stream's bytes
    filter: str                 # DCTDecode or FlateDecode (data is then raw samples, not yet compressed)
    decode: tuple | None = None  # a Decode array (Adobe's inverted CMYK JPEGs)
    whole: bool = False         # the whole file, not just the crop: the writer clips to the crop
    max_ink: float = 0.0


def separate(path: Path, crop: tuple[int, int, int, int], *, limit: float, press: Path | None = None,
             intent: str = "relative", bpc: bool = True, quality: int = 85,
             backdrop: tuple[Backdrop, ...] = (), load=None) -> Separated:
    """``load(im, crop)`` → the cropped pixels of the opened, not yet decoded picture
    (source/pictures.py's loader, which reduces them while decoding); the default just crops."""
    with Image.open(path) as im:
        fmt = im.format
        if fmt == "JPEG" and im.mode in ("CMYK", "L"):
            im.load()
            ink = 100.0 if im.mode == "L" else max_ink(im)
            if ink <= limit + 1e-9:
                w, h = im.size
                decode = (1, 0) * 4 if im.mode == "CMYK" and "adobe" in im.info else None
                return Separated(w, h, "DeviceCMYK" if im.mode == "CMYK" else "DeviceGray", path.read_bytes(),
                                 "DCTDecode", decode, whole=True, max_ink=ink)
        if load is not None:  # the loader decodes, reduced as it needs
            region = load(im, crop)
        else:
            im.load()
            region = im.crop(crop)
    if region.mode.startswith("I"):  # 16-bit grey: 8 bits, as the plate takes it (getcolors cannot read it)
        from pagesetter.print.icc import grey8
        region = grey8(region)
    line_art = fmt != "JPEG" and region.getcolors(LINE_ART_COLOURS) is not None
    alpha = None
    if region.mode in ("RGBA", "LA", "PA") or (region.mode == "P" and "transparency" in region.info):
        rgba = region.convert("RGBA")
        alpha = rgba.getchannel("A")
        region = rgba.convert("RGB") if region.mode != "LA" else region.convert("L")
    elif region.mode == "P":
        region = region.convert("RGB")
    cmyk = to_press_cmyk(region, press, intent, bpc)
    if region.mode == "CMYK" and press is not None and max_ink(cmyk) > limit:
        cmyk = reseparate(cmyk, press, intent, bpc)
    if alpha is not None and alpha.getextrema()[0] < 255:
        cmyk = Image.composite(cmyk, _backdrop(cmyk.size, backdrop), alpha)
    cmyk = limit_ink(cmyk, limit)
    w, h = cmyk.size
    if line_art:
        return Separated(w, h, "DeviceCMYK", cmyk.tobytes(), "FlateDecode", max_ink=max_ink(cmyk))
    target = limit
    for _ in range(3):
        buf = io.BytesIO()
        cmyk.save(buf, "JPEG", quality=quality, subsampling=0, optimize=False, progressive=False)
        data = buf.getvalue()
        with Image.open(io.BytesIO(data)) as back:
            back.load()
            ink = max_ink(back)
            adobe = "adobe" in back.info
        if ink <= limit + 1:
            return Separated(w, h, "DeviceCMYK", data, "DCTDecode", (1, 0) * 4 if adobe else None, max_ink=ink)
        target -= ink - limit + 1
        cmyk = limit_ink(cmyk, target)
    return Separated(w, h, "DeviceCMYK", cmyk.tobytes(), "FlateDecode", max_ink=max_ink(cmyk))


def _backdrop(size: tuple[int, int], backdrop: tuple[Backdrop, ...]) -> Image.Image:
    """What lies under the picture: paper, and the tints drawn before it."""
    under = Image.new("CMYK", size, (0, 0, 0, 0))
    for b in backdrop:
        left, top, right, bottom = (round(v) for v in b.box)
        left, top = max(left, 0), max(top, 0)
        right, bottom = min(right, size[0]), min(bottom, size[1])
        if right > left and bottom > top:
            fill = tuple(round(v * 255 / 100) for v in (b.color.c, b.color.m, b.color.y, b.color.k))
            under.paste(fill, (left, top, right, bottom))
    return under
