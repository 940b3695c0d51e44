"""Overprint, ink limit and hairlines, on small pages rendered end to end."""

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.print.pressfiles import ink_at, max_ink, need_swop, render, separations, small_layout

TINTED = """
boxes:
  - {x: 0mm, y: 100mm, width: 100mm, height: 40mm, tint: [40, 0, 0, 0]}
rules:
  - {from: [10mm, 110mm], to: [90mm, 110mm], weight: 3pt, color: red}
  - {from: [10mm, 120mm], to: [90mm, 120mm], weight: 3pt, color: white}
  - {from: [10mm, 130mm], to: [90mm, 130mm], weight: 3pt}
  - {from: [10mm, 135mm], to: [90mm, 135mm], weight: 3pt, color: red, overprint: true}
  - {from: [10mm, 115mm], to: [90mm, 115mm], weight: 3pt, color: yellow}
"""


def test_only_black_overprints_on_press(tmp_path):
    result, pdf = render(small_layout(tmp_path, TINTED))
    assert result.exit_code == 0, result.output
    seps = separations(pdf, dpi=150)
    at = lambda y: ink_at(seps, 15 + 50, 15 + y, dpi=150)  # noqa: E731 (15 mm margins)
    assert at(105) == (40, 0, 0, 0)         # the tint
    assert at(110) == (0, 100, 100, 0)      # red rule knocks out the cyan
    assert at(120) == (0, 0, 0, 0)          # white rule knocks out: paper shows
    assert at(130) == (40, 0, 0, 100)       # black overprints
    assert at(135) == (40, 100, 100, 0)     # asked to overprint
    assert at(115) == (0, 0, 100, 0)        # and knocking out again after it
    from pagesetter.print.preflight import preflight
    checks = {c.name: c for c in preflight(pdf, ink=False)}
    assert checks["overprint"].status == "WARN" and "1 elements" in checks["overprint"].detail  # just the one asked


def test_white_that_overprints_is_refused(tmp_path):
    layout = small_layout(tmp_path, "rules:\n  - {from: [0mm, 150mm], to: [50mm, 150mm], color: white, overprint: true}\n")
    result, _ = render(layout)
    assert result.exit_code == 2 and "rules[0].overprint" in result.output and "vanishes" in result.output


def test_text_over_a_heavy_tint_is_refused_naming_both(tmp_path):
    layout = small_layout(tmp_path, "boxes:\n  - {x: 0mm, y: 0mm, width: 60mm, height: 30mm, tint: [80, 80, 80, 0]}\n")
    result, pdf = render(layout)
    assert result.exit_code == 2, result.output
    assert "body text of story" in result.output and "boxes[0]" in result.output
    assert "340% ink" in result.output and "240%" in result.output
    assert not pdf.exists()


def test_black_rule_over_a_heavy_tint_is_refused(tmp_path):
    layout = small_layout(tmp_path, "boxes:\n  - {x: 0mm, y: 100mm, width: 60mm, height: 30mm, tint: [70, 60, 60, 0]}\n"
                                    "rules:\n  - {from: [0mm, 110mm], to: [50mm, 110mm]}\n")
    result, _ = render(layout)
    assert result.exit_code == 2 and "rules[0] overprints the tint of boxes[0]" in result.output


@pytest.mark.parametrize("rule, message", [
    ("weight: 0.01pt", "rules[0].weight: a 0.01pt rule is a hairline"),
    ("weight: 0.2pt", "under 0.25pt"),
])
def test_hairline_rules_are_refused(tmp_path, rule, message):
    layout = small_layout(tmp_path, f"rules:\n  - {{from: [0mm, 150mm], to: [50mm, 150mm], {rule}}}\n")
    result, _ = render(layout)
    assert result.exit_code == 2 and message in result.output


def test_each_line_of_a_double_border_is_held_to_the_minimum(tmp_path):
    box = "boxes:\n  - {x: 0mm, y: 100mm, width: 60mm, height: 30mm, border: {weight: %s, style: double}}\n"
    result, _ = render(small_layout(tmp_path, box % "0.3pt"))
    assert result.exit_code == 2 and "two lines of 0.18pt" in result.output and "boxes[0].border.weight" in result.output
    result, _ = render(small_layout(tmp_path, box % "0.45pt"))
    assert result.exit_code == 0, result.output
    # the house may hold thinner lines
    result, _ = render(small_layout(tmp_path, box % "0.3pt", print_="print: {min_line: 0.15pt}"))
    assert result.exit_code == 0, result.output


def test_render_refuses_a_hairline_from_anywhere(tmp_path, monkeypatch):
    """Strokes made by the page itself (not the layout) are held to the minimum too."""
    from pagesetter.page import furniture
    from pagesetter.page.placed import Stroke
    real = furniture.compose

    def thin(layout, page):
        real(layout, page)
        page.strokes.append(Stroke(0, 0, 10, 0, 0.1, what="column rule"))
    monkeypatch.setattr(furniture, "compose", thin)
    result, _ = render(small_layout(tmp_path))
    assert result.exit_code == 2 and "column rule is 0.10pt" in result.output


def _cmyk_jpeg(path, colour, size=(60, 40), **kw):
    Image.new("CMYK", size, colour).save(path, "JPEG", quality=90, **kw)
    return path


def _picture(name, y="100mm"):
    return f"images:\n  - {{file: {name}, x: 0mm, y: {y}, width: 40mm, height: 30mm}}\n"


def _image_streams(pdf):
    page = PdfReader(pdf).pages[0]
    return [x.get_object() for x in page["/Resources"]["/XObject"].values()]


def test_cmyk_jpeg_within_the_limit_passes_through_untouched(tmp_path):
    jpeg = _cmyk_jpeg(tmp_path / "p.jpg", (40, 30, 30, 100))  # 200/255 …: about 196%
    result, pdf = render(small_layout(tmp_path, _picture(jpeg)))
    assert result.exit_code == 0, result.output
    (img,) = _image_streams(pdf)
    assert img["/Filter"] == ["/DCTDecode"] and img["/ColorSpace"] == "/DeviceCMYK"
    assert img._data == jpeg.read_bytes()


def test_grey_jpeg_passes_through(tmp_path):
    jpeg = tmp_path / "g.jpg"
    Image.linear_gradient("L").resize((64, 48)).save(jpeg, "JPEG", quality=80)
    result, pdf = render(small_layout(tmp_path, _picture(jpeg)))
    assert result.exit_code == 0, result.output
    (img,) = _image_streams(pdf)
    assert img["/ColorSpace"] == "/DeviceGray" and img._data == jpeg.read_bytes()


def test_a_400_percent_cmyk_jpeg_is_brought_under_the_limit(tmp_path):
    jpeg = _cmyk_jpeg(tmp_path / "rich.jpg", (255, 255, 255, 255))
    result, pdf = render(small_layout(tmp_path, _picture(jpeg)))
    assert result.exit_code == 0, result.output
    (img,) = _image_streams(pdf)
    assert img["/Filter"] == ["/DCTDecode"]  # still a JPEG, converted down
    assert max_ink(separations(pdf, dpi=150)) <= 240 + 2


def test_ink_limit_from_the_layout(tmp_path):
    jpeg = _cmyk_jpeg(tmp_path / "rich.jpg", (200, 200, 200, 200))
    result, pdf = render(small_layout(tmp_path, _picture(jpeg), print_="print: {ink_limit: 200%}"))
    assert result.exit_code == 0, result.output
    assert max_ink(separations(pdf, dpi=150)) <= 200 + 2


def test_rgb_photo_through_the_press_profile_stays_under_the_limit(tmp_path):
    swop = need_swop()
    photo = tmp_path / "photo.jpg"
    Image.radial_gradient("L").resize((80, 60)).convert("RGB").save(photo, "JPEG", quality=90)  # black centre: 296% in SWOP
    press = f"print: {{press: {{identifier: SWOP test, profile: {swop}, ink_limit: 240%}}}}"
    result, pdf = render(small_layout(tmp_path, _picture(photo), print_=press))
    assert result.exit_code == 0, result.output
    assert max_ink(separations(pdf, dpi=150)) <= 240 + 2


def test_text_over_a_tint_within_the_limit_measures_under_it(tmp_path):
    layout = small_layout(tmp_path, "boxes:\n  - {x: 0mm, y: 0mm, width: 60mm, height: 30mm, tint: [45, 40, 40, 0]}\n")
    result, pdf = render(layout)
    assert result.exit_code == 0, result.output
    seps = separations(pdf, dpi=150)
    assert 220 <= max_ink(seps) <= 240 + 2  # 125% tint + 100% K text that overprints it


def test_black_rule_over_a_rich_picture_is_refused(tmp_path):
    jpeg = _cmyk_jpeg(tmp_path / "dark.jpg", (180, 160, 160, 0))  # about 196%: passes through as it is
    extra = _picture(jpeg) + "rules:\n  - {from: [0mm, 110mm], to: [50mm, 110mm]}\n"
    result, _ = render(small_layout(tmp_path, extra))
    assert result.exit_code == 2 and "rules[0] overprints picture 'image1'" in result.output
    light = _cmyk_jpeg(tmp_path / "light.jpg", (60, 50, 50, 0))
    result, pdf = render(small_layout(tmp_path, _picture(light) + "rules:\n  - {from: [0mm, 110mm], to: [50mm, 110mm]}\n"))
    assert result.exit_code == 0, result.output
    assert max_ink(separations(pdf, dpi=150)) <= 240 + 2


def test_black_over_a_red_rule_adds_up_and_is_refused(tmp_path):
    # the red rule knocks out what is under it, but black overprints the red: 300% where they cross
    layout = small_layout(tmp_path, "rules:\n  - {from: [30mm, 100mm], to: [30mm, 140mm], weight: 3pt, color: red}\n"
                                    "  - {from: [0mm, 120mm], to: [60mm, 120mm], weight: 1pt}\n")
    result, pdf = render(layout)
    assert result.exit_code == 2, result.output
    assert "rules[1] overprints rules[0] (C0 M100 Y100 K0): together 300% ink, the press allows 240%" in result.output
    assert not pdf.exists()
    # a red rule that nothing black crosses is fine
    fine = small_layout(tmp_path, "rules:\n  - {from: [30mm, 100mm], to: [30mm, 140mm], weight: 3pt, color: red}\n")
    assert render(fine)[0].exit_code == 0
