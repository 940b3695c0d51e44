"""How pictures are stored and flattened for the press."""

from PIL import Image, ImageDraw
from pypdf import PdfReader

from tests.print.pressfiles import ink_at, render, separations, small_layout


def _images(pdf):
    return [x.get_object() for x in PdfReader(pdf).pages[0]["/Resources"]["/XObject"].values()]


def _place(path, x="0mm", y="100mm", w="40mm", h="30mm"):
    return f"  - {{file: {path}, x: {x}, y: {y}, width: {w}, height: {h}}}\n"


def test_transparent_png_is_flattened_against_the_tint_under_it(tmp_path):
    png = tmp_path / "dot.png"
    im = Image.new("RGBA", (120, 120), (0, 0, 0, 0))
    ImageDraw.Draw(im).ellipse((40, 40, 80, 80), fill=(0, 0, 0, 255))
    im.save(png)
    extra = ("boxes:\n  - {x: 0mm, y: 90mm, width: 100mm, height: 60mm, tint: [40, 0, 0, 0]}\n"
             "images:\n" + _place(png, "10mm", "100mm", "40mm", "40mm"))
    result, pdf = render(small_layout(tmp_path, extra))
    assert result.exit_code == 0, result.output
    (img,) = _images(pdf)
    assert "/SMask" not in img  # flattened: no transparency in PDF/X-1a
    seps = separations(pdf, dpi=150)
    assert ink_at(seps, 15 + 12, 15 + 102, dpi=150) == (40, 0, 0, 0)  # the picture's clear corner shows the tint
    assert ink_at(seps, 15 + 30, 15 + 120, dpi=150) == (0, 0, 0, 100)  # its black dot
    assert ink_at(seps, 15 + 70, 15 + 120, dpi=150) == (40, 0, 0, 0)   # the tint beside it


def test_transparent_png_on_paper_is_flattened_against_paper(tmp_path):
    png = tmp_path / "half.png"
    Image.new("RGBA", (40, 40), (0, 0, 0, 128)).save(png)
    result, pdf = render(small_layout(tmp_path, "images:\n" + _place(png)))
    assert result.exit_code == 0, result.output
    seps = separations(pdf, dpi=100)
    c, m, y, k = ink_at(seps, 15 + 20, 15 + 115, dpi=100)
    assert (c, m, y) == (0, 0, 0) and 45 <= k <= 55


def test_photos_are_stored_as_jpeg_and_line_art_losslessly(tmp_path):
    photo = tmp_path / "photo.png"
    r = Image.linear_gradient("L").resize((200, 150))
    Image.merge("RGB", (r, r.rotate(90, expand=False), r.transpose(Image.Transpose.FLIP_LEFT_RIGHT))).save(photo)
    chart = tmp_path / "chart.png"
    art = Image.new("RGB", (200, 150), "white")
    ImageDraw.Draw(art).rectangle((20, 20, 120, 100), fill=(200, 30, 30))
    art.save(chart)
    extra = "images:\n" + _place(photo) + _place(chart, y="140mm")
    result, pdf = render(small_layout(tmp_path, extra))
    assert result.exit_code == 0, result.output
    filters = sorted(str(i["/Filter"][0]) for i in _images(pdf))
    assert filters == ["/DCTDecode", "/FlateDecode"]


def test_jpeg_quality_is_a_setting(tmp_path):
    photo = tmp_path / "photo.jpg"
    r = Image.effect_noise((160, 120), 60)
    Image.merge("RGB", (r, r.transpose(Image.Transpose.FLIP_LEFT_RIGHT), r)).save(photo, quality=95)
    sizes = []
    for q in (40, 95):
        result, pdf = render(small_layout(tmp_path, "images:\n" + _place(photo), print_=f"print: {{jpeg_quality: {q}}}"))
        assert result.exit_code == 0, result.output
        sizes.append(len(_images(pdf)[0]._data))
    assert sizes[0] < sizes[1]


def test_sixteen_bit_grey_png_keeps_its_tones(tmp_path):
    from pagesetter.print.icc import to_press_cmyk
    im = Image.new("I;16", (2, 1))
    im.putpixel((0, 0), 0)
    im.putpixel((1, 0), 32896)  # mid grey in 16 bits
    png = tmp_path / "g16.png"
    im.save(png)
    with Image.open(png) as back:
        cmyk = to_press_cmyk(back)
    assert cmyk.getpixel((0, 0)) == (0, 0, 0, 255) and cmyk.getpixel((1, 0)) == (0, 0, 0, 127)


def test_a_sixteen_bit_grey_png_placed_at_full_size_renders(tmp_path):
    # not reduced on the way (placed large enough), it reached the line-art test in 16 bits, which
    # Pillow cannot count colours of: "image has wrong mode"
    im = Image.linear_gradient("L").resize((300, 200)).convert("I").point(lambda v: v * 257).convert("I;16")
    im.save(tmp_path / "g16.png")
    layout = small_layout(tmp_path, "images:\n" + _place("g16.png", w="110mm", h="75mm"))
    result, out = render(layout)
    assert result.exit_code == 0, result.output
    (image,) = _images(out)
    assert image["/ColorSpace"] in ("/DeviceCMYK", "/DeviceGray")
