"""Colour management: RGB and grey to the press's CMYK, and total-ink limiting.

With a press profile (``print.press.profile``) RGB goes through LittleCMS (Pillow's
ImageCms) from the picture's embedded profile, or sRGB when it has none, to the press
profile, with the house's rendering intent and black-point compensation. Without one
the conversion is the approximate formula of ``naive_cmyk``: full grey-component
replacement (black carries all the grey), which is not a press separation.
Grey goes to black ink only either way, as newspapers print greyscale.

A CMYK picture above the limit is first separated again through the press profile
(``reseparate``: CMYK → Lab → CMYK, taking the profile's own black generation), when
there is one. Anything still above the ink limit goes through ``limit_ink``: first more grey
component replacement (equal parts of C, M and Y moved into K, which lowers the total
by two parts for each part moved), then C, M and Y scaled down together until the
total is under the limit. Black is never lowered unless it alone exceeds the limit.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageCms, ImageMath, ImageOps

INTENTS = {
    "perceptual": ImageCms.Intent.PERCEPTUAL,
    "relative": ImageCms.Intent.RELATIVE_COLORIMETRIC,
    "saturation": ImageCms.Intent.SATURATION,
    "absolute": ImageCms.Intent.ABSOLUTE_COLORIMETRIC,
}


class ProfileError(ValueError):
    pass


@lru_cache(maxsize=8)
def _press_profile(path: str, size: int, mtime: int) -> ImageCms.ImageCmsProfile:
    try:
        profile = ImageCms.getOpenProfile(path)
    except (OSError, ImageCms.PyCMSError) as exc:
        raise ProfileError(f"cannot read ICC profile {Path(path).name}: {exc}") from None
    space = profile.profile.xcolor_space.strip()
    if space != "CMYK":
        raise ProfileError(f"ICC profile {Path(path).name} is for {space}, not CMYK: the press prints CMYK")
    if profile.profile.device_class.strip() != "prtr":
        raise ProfileError(f"ICC profile {Path(path).name} is a {profile.profile.device_class.strip()!r} profile, "
                           "not an output (printer) profile")
    return profile


def open_press_profile(path: Path) -> ImageCms.ImageCmsProfile:
    st = Path(path).stat()
    return _press_profile(str(path), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=1)
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@lru_cache(maxsize=16)
def _transform(source: bytes | None, press: str, size: int, mtime: int, intent: str, bpc: bool):
    src = _srgb() if source is None else ImageCms.ImageCmsProfile(io.BytesIO(source))
    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION if bpc else ImageCms.Flags.NONE
    return ImageCms.buildTransform(src, _press_profile(press, size, mtime), "RGB", "CMYK",
                                   renderingIntent=INTENTS[intent], flags=flags)


def rgb_to_press(im: Image.Image, press: Path, intent: str = "relative", bpc: bool = True) -> Image.Image:
    """An RGB picture → the press's CMYK, from its embedded profile (sRGB when none)."""
    source = im.info.get("icc_profile") or None
    if source is not None:
        try:
            if ImageCms.ImageCmsProfile(io.BytesIO(source)).profile.xcolor_space.strip() != "RGB":
                source = None  # a profile that does not describe these pixels is no guide
        except (OSError, ImageCms.PyCMSError):
            source = None
    st = Path(press).stat()
    try:
        transform = _transform(source, str(press), st.st_size, st.st_mtime_ns, intent, bpc)
    except (OSError, ImageCms.PyCMSError):
        if source is None:
            raise
        transform = _transform(None, str(press), st.st_size, st.st_mtime_ns, intent, bpc)  # a broken profile: sRGB
    rgb = im.convert("RGB")
    out = Image.new("CMYK", rgb.size)
    # the engine's own apply: ImageCmsTransform.apply also re-serializes the output profile
    # into the result, which LittleCMS cannot do for some press profiles (Ghostscript's)
    transform.transform.apply(rgb.getim(), out.getim())
    return out


@lru_cache(maxsize=8)
def _through_lab(press: str, size: int, mtime: int, intent: str, bpc: bool):
    profile = _press_profile(press, size, mtime)
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))
    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION if bpc else ImageCms.Flags.NONE
    return (ImageCms.buildTransform(profile, lab, "CMYK", "LAB", renderingIntent=INTENTS[intent], flags=flags),
            ImageCms.buildTransform(lab, profile, "LAB", "CMYK", renderingIntent=INTENTS[intent], flags=flags))


def reseparate(im: Image.Image, press: Path, intent: str = "relative", bpc: bool = True) -> Image.Image:
    """A CMYK picture separated again by the press profile (to its own black generation and
    ink limit): CMYK → Lab → CMYK."""
    st = Path(press).stat()
    to_lab, to_cmyk = _through_lab(str(press), st.st_size, st.st_mtime_ns, intent, bpc)
    lab = Image.new("LAB", im.size)
    to_lab.transform.apply(im.getim(), lab.getim())
    out = Image.new("CMYK", im.size)
    to_cmyk.transform.apply(lab.getim(), out.getim())
    return out


def naive_cmyk(im: Image.Image) -> Image.Image:
    """RGB → CMYK by formula with full grey-component replacement (approximate: no profile)."""
    rgb = im.convert("RGB")
    c, m, y = (ImageOps.invert(ch) for ch in rgb.split())
    k = ImageChops.darker(ImageChops.darker(c, m), y)
    return Image.merge("CMYK", (ImageChops.subtract(c, k), ImageChops.subtract(m, k), ImageChops.subtract(y, k), k))


def grey8(im: Image.Image) -> Image.Image:
    """A grey picture as 8-bit grey: 16-bit grey (PNG) would clip to white on a plain conversion,
    so it is scaled first."""
    if im.mode.startswith("I") and im.mode != "I":
        im = im.convert("I")
    return im.point(lambda v: v / 257).convert("L") if im.mode == "I" else im.convert("L")


def grey_to_black(im: Image.Image) -> Image.Image:
    grey = grey8(im)
    blank = Image.new("L", grey.size, 0)
    return Image.merge("CMYK", (blank, blank, blank, ImageOps.invert(grey)))


def to_press_cmyk(im: Image.Image, press: Path | None = None, intent: str = "relative",
                  bpc: bool = True) -> Image.Image:
    """Any picture without transparency → CMYK for the press."""
    if im.mode == "CMYK":
        return im
    if im.mode in ("1", "L", "F") or im.mode.startswith("I"):
        return grey_to_black(im)
    if press is not None:
        return rgb_to_press(im, press, intent, bpc)
    return naive_cmyk(im)


def rgb_color(rgb: tuple[float, float, float], press: Path | None, intent: str = "relative",
              bpc: bool = True, limit: float = 400.0) -> tuple[float, float, float, float]:
    """An RGB colour (0–255) → CMYK percentages, the way pictures go (ink limit included)."""
    pixel = Image.new("RGB", (1, 1), tuple(round(v) for v in rgb))
    cmyk = limit_ink(to_press_cmyk(pixel, press, intent, bpc), limit).getpixel((0, 0))
    return tuple(round(v * 100 / 255, 1) for v in cmyk)


BAND = 256  # rows at a time: the arithmetic works in 32-bit planes, 16 bytes a pixel


def _bands(im: Image.Image):
    for top in range(0, im.height, BAND):
        yield top, im.crop((0, top, im.width, min(top + BAND, im.height)))


def max_ink(im: Image.Image) -> float:
    """The highest total ink of any pixel of a CMYK picture, in percent."""
    worst = 0
    for _, band in _bands(im):
        c, m, y, k = band.split()
        total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
        worst = max(worst, total.getextrema()[1])
    return worst * 100 / 255


def limit_ink(im: Image.Image, limit: float) -> Image.Image:
    """A CMYK picture with no pixel above ``limit`` percent total ink (see the module's notes)."""
    if max_ink(im) <= limit:
        return im
    cap = float(int(limit * 255 / 100) - 1)  # a level under, for the rounding back to 8 bits
    out = Image.new("CMYK", im.size)
    for top, band in _bands(im):
        out.paste(_limit_band(band, cap), (0, top))
    return out


def _limit_band(im: Image.Image, cap: float) -> Image.Image:
    c, m, y, k = (ch.convert("F") for ch in im.split())

    def gcr(a):
        lo, hi = a["min"], a["max"]
        c, m, y, k = a["c"], a["m"], a["y"], a["k"]
        excess = hi(c + m + y + k - cap, 0.0)
        return lo(lo(lo(lo(c, m), y), 255.0 - k), excess / 2.0)

    moved = ImageMath.lambda_eval(gcr, c=c, m=m, y=y, k=k, cap=cap)
    c, m, y = (ImageMath.lambda_eval(lambda a: a["ch"] - a["moved"], ch=ch, moved=moved) for ch in (c, m, y))
    k = ImageMath.lambda_eval(lambda a: a["min"](a["k"] + a["moved"], a["cap"]), k=k, moved=moved, cap=cap)
    scale = ImageMath.lambda_eval(
        lambda a: a["min"](a["max"](a["cap"] - a["k"], 0.0) / a["max"](a["c"] + a["m"] + a["y"], 0.001), 1.0),
        c=c, m=m, y=y, k=k, cap=cap)
    channels = [ImageMath.lambda_eval(lambda a: a["ch"] * a["s"], ch=ch, s=scale) for ch in (c, m, y)] + [k]
    # the way back to 8 bits truncates, so no pixel goes over the cap
    return Image.merge("CMYK", [ch.point(lambda v: v + 0.001).convert("L") for ch in channels])
