"""Colour management through LittleCMS (Pillow's ImageCms) and the ink limiter."""

import io
from pathlib import Path

import pytest
from PIL import Image, ImageCms
from pypdf import PdfReader

from pagesetter.print.icc import limit_ink, max_ink, naive_cmyk, rgb_color, to_press_cmyk
from tests.print.pressfiles import GS_ICC, need_swop, render, small_layout

A98 = GS_ICC / "a98.icc"  # an RGB profile other than sRGB (Debian ghostscript)


def _reference(im, source, press, intent=ImageCms.Intent.RELATIVE_COLORIMETRIC, bpc=True):
    """The same conversion made directly with ImageCms, to compare against."""
    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION if bpc else ImageCms.Flags.NONE
    t = ImageCms.buildTransform(source, ImageCms.getOpenProfile(str(press)), "RGB", "CMYK", intent, flags=flags)
    out = Image.new("CMYK", im.size)
    t.transform.apply(im.getim(), out.getim())
    return out


COLOURS = [(0, 128, 0), (0, 0, 128), (200, 30, 30), (240, 200, 40), (128, 128, 128), (20, 60, 20)]


def _swatches():
    im = Image.new("RGB", (len(COLOURS), 1))
    im.putdata(COLOURS)
    return im


def test_rgb_without_embedded_profile_is_taken_as_srgb():
    swop = need_swop()
    im = _swatches()
    got = to_press_cmyk(im, swop)
    want = _reference(im, ImageCms.createProfile("sRGB"), swop)
    assert got.tobytes() == want.tobytes()
    assert got.tobytes() != naive_cmyk(im).tobytes()


def test_the_pictures_own_profile_is_used():
    swop = need_swop()
    if not A98.is_file():
        pytest.skip(f"{A98} is absent (Debian ghostscript)")
    im = _swatches()
    im.info["icc_profile"] = A98.read_bytes()
    got = to_press_cmyk(im, swop)
    want = _reference(im, ImageCms.getOpenProfile(str(A98)), swop)
    srgb = to_press_cmyk(_swatches(), swop)
    assert got.tobytes() == want.tobytes() and got.tobytes() != srgb.tobytes()


def test_intent_and_black_point_compensation_are_house_settings():
    swop = need_swop()
    im = _swatches()
    srgb = ImageCms.createProfile("sRGB")
    no_bpc = to_press_cmyk(im, swop, "relative", False)
    assert no_bpc.tobytes() == _reference(im, srgb, swop, bpc=False).tobytes()
    assert no_bpc.tobytes() != to_press_cmyk(im, swop).tobytes()
    assert to_press_cmyk(im, swop, "perceptual", True).tobytes() == _reference(
        im, srgb, swop, ImageCms.Intent.PERCEPTUAL).tobytes()


def test_without_a_press_profile_the_formula_stays():
    im = _swatches()
    assert to_press_cmyk(im, None).tobytes() == naive_cmyk(im).tobytes()
    assert to_press_cmyk(Image.new("L", (1, 1), 0)).getpixel((0, 0)) == (0, 0, 0, 255)  # grey: black ink only


def test_limit_ink_gcr_then_scaling():
    im = Image.new("CMYK", (3, 1))
    im.putdata([(255, 255, 255, 255), (200, 180, 190, 0), (0, 0, 0, 255)])
    out = limit_ink(im, 240)
    assert max_ink(out) <= 240
    assert out.getpixel((0, 0))[3] == 255            # black stays full
    assert out.getpixel((1, 0)) == (200, 180, 190, 0)  # 224% is under the limit: untouched
    assert out.getpixel((2, 0)) == (0, 0, 0, 255)
    rich = Image.new("CMYK", (1, 1), (230, 200, 200, 60))  # 271%: grey goes to black first
    c, m, y, k = limit_ink(rich, 240).getpixel((0, 0))
    assert k > 60 and c + m + y + k <= 240 * 2.55


def test_layout_rgb_colours_go_the_same_way(tmp_path):
    swop = need_swop()
    press = f"print: {{press: {{identifier: SWOP test, profile: {swop}, ink_limit: 240%}}}}"
    from pagesetter.layout.loader import load_layout
    layout = load_layout(small_layout(tmp_path, "boxes:\n  - {x: 0mm, y: 100mm, width: 60mm, height: 30mm, "
                                                "tint: '#C81E1E', border: {color: 'rgb(0, 0, 0)'}}\n", print_=press))
    box = layout.boxes[0]
    assert (box.tint.c, box.tint.m, box.tint.y, box.tint.k) == rgb_color((200, 30, 30), swop)
    assert box.color.total <= 240  # RGB black is 296% in SWOP: brought under the limit
    plain = load_layout(small_layout(tmp_path, "boxes:\n  - {x: 0mm, y: 100mm, width: 60mm, height: 30mm, "
                                               "tint: 'rgb(200, 30, 30)'}\n"))
    assert (plain.boxes[0].tint.c, plain.boxes[0].tint.m) == (0, 66.7)  # the approximate formula


def test_press_profile_must_be_cmyk_output(tmp_path):
    srgb = tmp_path / "srgb.icc"
    srgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    result, _ = render(small_layout(tmp_path, print_=f"print: {{press: {{identifier: X, profile: {srgb}}}}}"))
    assert result.exit_code == 2 and "press.profile" in result.output and "not CMYK" in result.output


def test_pdfx4_pictures_use_the_embedded_press_profile(tmp_path):
    swop = need_swop()
    photo = tmp_path / "p.png"
    Image.linear_gradient("L").resize((64, 64)).convert("RGB").save(photo)  # many greys: stored as a photo
    rgb = Image.new("RGB", (40, 40), (0, 128, 0))
    rgb.save(tmp_path / "green.jpg", quality=95)
    press = f"print: {{standard: PDF/X-4, press: {{identifier: SWOP test, profile: {swop}, ink_limit: 300%}}}}"
    extra = f"images:\n  - {{file: {tmp_path / 'green.jpg'}, x: 0mm, y: 100mm, width: 20mm, height: 20mm}}\n"
    result, pdf = render(small_layout(tmp_path, extra, print_=press))
    assert result.exit_code == 0, result.output
    (img,) = [x.get_object() for x in PdfReader(pdf).pages[0]["/Resources"]["/XObject"].values()]
    with Image.open(io.BytesIO(img._data)) as back:
        c, m, y, k = back.getpixel((20, 20))
    want = _reference(Image.new("RGB", (1, 1), (0, 128, 0)), ImageCms.createProfile("sRGB"), swop).getpixel((0, 0))
    assert all(abs(a - b) <= 4 for a, b in zip((c, m, y, k), want))  # within JPEG's error


def test_a_broken_embedded_profile_falls_back_to_srgb():
    swop = need_swop()
    im = _swatches()
    im.info["icc_profile"] = b"not a profile" * 20
    assert to_press_cmyk(im, swop).tobytes() == to_press_cmyk(_swatches(), swop).tobytes()


def test_cmyk_over_the_limit_goes_through_the_press_profile_first(tmp_path):
    from pagesetter.print.icc import reseparate
    from pagesetter.print.separation import separate
    swop = need_swop()
    Image.new("CMYK", (8, 8), (230, 200, 200, 200)).save(tmp_path / "rich.tif")
    sep = separate(tmp_path / "rich.tif", (0, 0, 8, 8), limit=240, press=swop)
    via_profile = limit_ink(reseparate(Image.new("CMYK", (1, 1), (230, 200, 200, 200)), swop), 240).getpixel((0, 0))
    direct = limit_ink(Image.new("CMYK", (1, 1), (230, 200, 200, 200)), 240).getpixel((0, 0))
    assert sep.filter == "FlateDecode"  # one colour: line art, stored losslessly
    got = Image.frombytes("CMYK", (8, 8), sep.data).getpixel((4, 4))
    assert via_profile != direct
    assert got == via_profile
    assert sep.max_ink <= 241


def test_a_custom_press_without_its_profile_is_refused_at_the_layouts_press_field(tmp_path):
    from tests.print.pressfiles import render, small_layout
    layout = small_layout(tmp_path, print_="print: {press: {identifier: MyPress, ink_limit: 260%}}")
    result, pdf = render(layout)
    assert result.exit_code == 2, result.output
    assert "print.press: 'MyPress' is not a condition of the ICC characterization registry" in result.output
    assert not pdf.exists()
