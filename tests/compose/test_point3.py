"""Hand-worked cases for issue 10's fixes to everything composed."""

from pathlib import Path

import pytest

from pagesetter.compose.paragraph import compose_paragraph
from pagesetter.compose.segment import TextFonts, segment
from pagesetter.compose.style import HouseStyle
from pagesetter.fonts.metrics import FaceRef, metrics_for

ROOT = Path(__file__).resolve().parents[2]
SERIF = metrics_for(FaceRef(ROOT / "fonts" / "NotoSerifSC-Regular.ttf"))
KAI = metrics_for(FaceRef(ROOT / "fonts" / "LXGWWenKai-Regular.ttf"))
FLAT = HouseStyle(first_line_indent=0, orphan_min=0)


def white_around(face, text, mark):
    """(white before the mark's ink, white after it), em, on a line set at natural width."""
    fonts = TextFonts(face, face)
    (line,) = compose_paragraph(text, fonts, FLAT, 40)
    k = text.index(mark)
    before, g, after = line.glyphs[k - 1], line.glyphs[k], line.glyphs[k + 1]
    ink_l, ink_r = face.ink(mark)
    return (g.x + ink_l - (before.x + face.advance(before.char)), after.x - (g.x + ink_r))


@pytest.mark.parametrize("face", [SERIF, KAI], ids=["serif", "kai"])
def test_single_quotes_hug_their_text_as_double_quotes_do(face):
    # Noto Serif SC draws ‘ 0.15 em wide at the right of its em, “ 0.35 em wide: set in the same
    # half em, ‘ left 0.27 em of white on its outer side, “ 0.07 em
    outer_double = white_around(face, "推行“党员认领”，", "“")[0]
    outer_single = white_around(face, "推行‘党员认领’，", "‘")[0]
    assert outer_single == pytest.approx(outer_double, abs=0.01)
    close_double = white_around(face, "推行“党员认领”的", "”")[1]
    close_single = white_around(face, "推行‘党员认领’的", "’")[1]
    assert close_single == pytest.approx(close_double, abs=0.01)


def test_single_quotes_in_half_an_em_when_the_style_says_so():
    fonts = TextFonts(SERIF, SERIF)
    units = segment("行‘党员’的", fonts, FLAT.merged(single_quotes="half-em"))
    assert [u.width for u in units if u.text in "‘’"] == [0.5, 0.5]
    units = segment("行‘党员’的", fonts, FLAT)
    assert all(0.25 < u.width < 0.35 for u in units if u.text in "‘’")


def test_the_ratio_sign_never_starts_a_line(fake_fonts):
    # 比例为一∶二 at 5 em: first fit would end the line after 一 and start the next with ∶
    text = "比例为一二∶三四五六"
    for breaking in ("first-fit", "total-fit"):
        lines = compose_paragraph(text, fake_fonts, FLAT.merged(breaking=breaking), 5)
        assert [l.text[0] for l in lines[1:]] != ["∶"] and all(not l.text.startswith("∶") for l in lines)
        assert "".join(l.text for l in lines) == text


def test_a_ratio_between_digits_is_one_unit(fake_fonts):
    units = segment("比分3∶1领先", fake_fonts, FLAT)
    assert [u.text for u in units] == ["比", "分", "3∶1", "领", "先"]


@pytest.mark.parametrize("mark", list("々〞〟｠〙〛‐〜﹏"))
def test_more_marks_never_start_a_line(fake_fonts, mark):
    text = "一二三四五" + mark + "六七八"
    lines = compose_paragraph(text, fake_fonts, FLAT.merged(breaking="first-fit"), 5)
    assert not any(l.text.startswith(mark) for l in lines), [l.text for l in lines]


@pytest.mark.parametrize("mark", list("〝｟〘〚"))
def test_more_marks_never_end_a_line(fake_fonts, mark):
    text = "一二三四" + mark + "五六七八"
    lines = compose_paragraph(text, fake_fonts, FLAT.merged(breaking="first-fit"), 5)
    assert not any(l.text.endswith(mark) for l in lines[:-1]), [l.text for l in lines]
