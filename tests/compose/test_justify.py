"""Hand-worked cases for justification (rules §5) and mixed text (§4)."""

import pytest

from pagesetter.compose.paragraph import compose_paragraph
from pagesetter.compose.segment import segment
from pagesetter.compose.style import HouseStyle

FLAT = HouseStyle(first_line_indent=0, orphan_min=0)


def gaps(line):
    xs = [g.x for g in line.glyphs]
    return [b - a for a, b in zip(xs, xs[1:])]


def test_slack_spread_evenly_between_characters(fake_fonts):
    # 5 Han in 5.4 em after push-out: 0.4 em over 4 gaps
    lines = compose_paragraph("一二三四五六，七", fake_fonts, FLAT.merged(push="out-only"), 5.4)
    first = lines[0]
    assert first.text == "一二三四五"
    assert gaps(first) == pytest.approx([1.1] * 4)
    assert first.max_gap == pytest.approx(0.1)


def test_no_stretch_inside_a_number_or_word(fake_fonts):
    lines = compose_paragraph("一二三45678四五六七八", fake_fonts, FLAT.merged(cjk_latin_max=0.25), 8.5)
    first = lines[0]
    assert first.text == "一二三45678四五" and first.adjust == pytest.approx(0.5)
    digits = [g.x for g in first.glyphs if g.char.isdigit()]
    assert [b - a for a, b in zip(digits, digits[1:])] == pytest.approx([0.5] * 4)


def test_cjk_latin_spaces_and_character_gaps_open_together(fake_fonts):
    # 一二 PPT 三: natural 1+1+.25+1.5+.25+1 = 5; measure 5.5 → ½ em over 3 gaps, ⅙ em each
    style = FLAT.merged(cjk_latin_space=0.25, cjk_latin_max=0.5, push="out-only", breaking="first-fit")
    first = compose_paragraph("一二PPT三四五六七", fake_fonts, style, 5.5)[0]
    assert first.text == "一二PPT三"
    xs = [g.x for g in first.glyphs]
    assert xs[1] - xs[0] == pytest.approx(1 + 1 / 6)
    assert xs[2] - (xs[1] + 1) == pytest.approx(0.25 + 1 / 6)
    assert xs[5] - (xs[4] + 0.5) == pytest.approx(0.25 + 1 / 6)
    assert first.max_gap == pytest.approx(1 / 6)  # the opening beyond the style's own spacing


def test_a_cjk_latin_space_stops_at_its_ceiling(fake_fonts):
    # the same line with cjk_latin_max 0.3: each space takes 0.05 em, the one Han gap the rest (0.4)
    style = FLAT.merged(cjk_latin_space=0.25, cjk_latin_max=0.3, push="out-only", breaking="first-fit")
    first = compose_paragraph("一二PPT三四五六七", fake_fonts, style, 5.5)[0]
    xs = [g.x for g in first.glyphs]
    assert xs[1] - xs[0] == pytest.approx(1.4)
    assert xs[2] - (xs[1] + 1) == pytest.approx(0.3)
    assert first.max_gap == pytest.approx(0.4) and first.loose_reason


def test_connector_keeps_its_neighbours(fake_fonts):
    lines = compose_paragraph("一二～三四五六七八", fake_fonts, FLAT.merged(push="out-only"), 5.5)
    first = lines[0]
    xs = [g.x for g in first.glyphs]
    assert xs[2] - xs[1] == pytest.approx(1.0) and xs[3] - xs[2] == pytest.approx(1.0)


def test_last_line_is_ragged_with_mark_at_half_em(fake_fonts):
    lines = compose_paragraph("一二三四五六七。", fake_fonts, FLAT, 5)
    assert lines[-1].text == "六七。" and lines[-1].width == pytest.approx(2.5) and lines[-1].adjust == 0


def test_hanging_punctuation(fake_fonts):
    style = FLAT.merged(hanging_punctuation=True, punctuation="quanjiao")
    lines = compose_paragraph("一二三四五，六七", fake_fonts, style, 5)
    assert lines[0].text == "一二三四五，" and lines[0].how == "hang"
    assert lines[0].width == pytest.approx(5) and lines[0].hang == pytest.approx(0.5)
    off = compose_paragraph("一二三四五，六七", fake_fonts, FLAT.merged(punctuation="quanjiao"), 5)
    assert off[0].text != "一二三四五，"


def test_stacked_question_exclamation(fake_fonts):
    two = segment("真的？！", fake_fonts, HouseStyle())
    three = segment("真的？！！", fake_fonts, HouseStyle())
    assert sum(u.width for u in two[2:]) == pytest.approx(1.0)
    assert sum(u.width for u in three[2:]) == pytest.approx(2.0)


def test_house_widths_for_point_and_percent(serif_fonts):
    style = HouseStyle(western_widths=(("%", 0.83), (".", 0.25)))
    (unit,) = segment("55.95%", serif_fonts, style)
    assert unit.width == pytest.approx(4 * 0.5 + 0.25 + 0.83)
    percent = unit.glyphs[-1]
    assert percent.hscale < 1  # the proportional % condensed into 0.83 em, not overlapping


def test_strict_keeps_a_dash_off_the_line_start_except_at_paragraph_start(fake_fonts):
    text = "一二三四——五六"
    gb = compose_paragraph(text, fake_fonts, FLAT, 5)
    strict = compose_paragraph(text, fake_fonts, FLAT.merged(prohibition="strict", push="out-only"), 5)
    assert gb[1].text.startswith("——")
    assert not strict[1].text.startswith("——")
    assert compose_paragraph("——一二", fake_fonts, FLAT.merged(prohibition="strict"), 5)[0].text == "——一二"


def test_every_line_end_mark_is_half_em(fake_fonts):
    style = FLAT.merged(punctuation="quanjiao")
    for mark in "，、；：。！？）”》":
        lines = compose_paragraph("一二三四" + mark + "五六七八九", fake_fonts, style, 4.5)
        assert lines[0].text == "一二三四" + mark, mark
        assert lines[0].natural == pytest.approx(4.5), mark


def test_overwide_word_is_split_and_reported(fake_fonts):
    lines = compose_paragraph("ABCDEFGHIJKLMNOPQRSTUVWXYZ", fake_fonts, FLAT, 6)
    assert "".join(l.text for l in lines) == "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    assert all(l.width <= 6 + 1e-9 for l in lines)
    assert "wider than the measure" in lines[0].violation


@pytest.mark.parametrize("style", [FLAT, HouseStyle(), FLAT.merged(breaking="first-fit")])
@pytest.mark.parametrize("text, opening", [("一二三《ABCDEFGHIJKLMNOPQRSTUVWXYZ》四五六", "《"),
                                           ("一二三“ABCDEFGHIJKLMNOPQRSTUVWXYZ”四五六", "“"),
                                           ("一二（ABCDEFGHIJKLMNOPQRSTUVWXYZ）四五六七", "（")])
def test_an_overwide_word_keeps_its_opening_mark_and_fills_the_line(fake_fonts, style, text, opening):
    """The mark that opens a word wider than the measure stays before it: never alone at a line's
    end (a prohibition broken), and the line before it is filled by the word's head, not left loose."""
    for measure in (6, 8, 11):
        lines = compose_paragraph(text, fake_fonts, style, measure)
        assert "".join(l.text for l in lines) == text
        for line in lines:
            assert not line.text.endswith(opening), (measure, line.text)
            assert line.violation is None or "wider than the measure" in line.violation, line.violation
            assert line.width <= measure + 1e-9
        word = next(l for l in lines if opening in l.text)
        assert word.text.split(opening)[1][:1] == "A" and word.how == "fit"
        if measure >= 8:  # room for the word's first letters after the first line's indent
            assert all(l.max_gap < 0.5 for l in lines if not l.last), [(l.text, l.max_gap) for l in lines]


def test_a_word_that_fits_but_not_with_the_closing_mark_after_it_gives_the_mark_a_letter(fake_fonts):
    # twelve letters fill 6 em; the ” after them may not start a line: the last letter goes with it
    lines = compose_paragraph("ABCDEFGHIJKL”一二三四五", fake_fonts, FLAT, 6)
    assert [l.text for l in lines] == ["ABCDEFGHIJK", "L”一二三四五"]
    assert "wider than the measure" in lines[0].violation and lines[1].violation is None


# Regression cases from the review against the rules (cjk-typesetting-rules §1–§6).

def test_unit_and_currency_signs_stay_with_their_number(fake_fonts):
    from pagesetter.compose import prohibition
    for text, sign in (("三十℃", "℃"), ("增长12％", "％"), ("约￥100元", "￥")):
        units = segment(text, fake_fonts, HouseStyle())
        ok = prohibition.mark(units, "gb")
        for k, u in enumerate(units):
            if sign in u.text and len(u.text) == 1:
                assert not (ok[k] if sign != "￥" else ok[k + 1]), text
    assert [u.text for u in segment("约￥100元", fake_fonts, HouseStyle())] == ["约", "￥100", "元"]


def test_connectors_and_solidi_have_fixed_widths(serif_fonts):
    assert [round(u.width, 3) for u in segment("北京—上海", serif_fonts, HouseStyle())] == [1, 1, 1, 1, 1]
    assert segment("甲／乙", serif_fonts, HouseStyle())[1].width == 0.5
    assert segment("甲–乙", serif_fonts, HouseStyle())[1].width == 0.5


def test_three_stacked_marks_take_two_em_in_the_house_style(fake_fonts, house):
    units = segment("真的？？？", fake_fonts, house)
    assert sum(u.width for u in units[2:]) == pytest.approx(2.0)


def test_orphan_control_looks_past_a_prohibited_break(fake_fonts):
    lines = compose_paragraph("一二三四五六“七八”。", fake_fonts, HouseStyle(first_line_indent=0), 8)
    assert lines[-1].han_count >= 2, [l.text for l in lines]


def test_space_beside_chinese_punctuation_takes_no_width(fake_fonts):
    units = segment("他说， PPT好", fake_fonts, HouseStyle())
    assert units[3].text == "PPT" and units[3].glue == 0


def test_number_with_unit_takes_cjk_latin_spacing_on_both_sides(fake_fonts):
    units = segment("约50%以上", fake_fonts, HouseStyle())
    assert [u.glue for u in units] == [0, 0.25, 0.25, 0]


def test_no_stretch_between_a_mark_and_its_text(fake_fonts):
    style = FLAT.merged(push="out-only")
    lines = compose_paragraph("一二“三四”五，六七八九十", fake_fonts, style, 9)
    first = lines[0]
    xs = {g.char: g.x for g in first.glyphs}
    assert first.adjust > 0
    assert xs["三"] - xs["“"] == pytest.approx(1.0)      # the quote (its frame starts ½ em left) hugs what it opens
    assert xs["”"] - xs["四"] == pytest.approx(1.0)      # and what it closes
    assert xs["，"] - xs["五"] == pytest.approx(1.0)      # a pause stays against its word


def test_narrow_punctuation_glyphs_hug_their_text():
    from pathlib import Path

    from pagesetter.compose.segment import TextFonts
    from pagesetter.fonts.metrics import FaceRef, metrics_for
    kai = metrics_for(FaceRef(Path(__file__).resolve().parents[2] / "fonts" / "LXGWWenKai-Regular.ttf"))
    assert kai.advance("“") < 0.5  # 楷体 draws curly quotes narrow
    units = segment("道县“一主一特”产业", TextFonts(kai, kai), HouseStyle())
    open_, close = units[2], units[7]
    assert open_.glyphs[0].dx + kai.advance("“") == pytest.approx(open_.width)  # ends where 一 begins
    assert close.glyphs[0].dx == pytest.approx(0.0)                             # starts where 特 ends


def test_copyfit_lines_never_start_with_a_space(fake_fonts):
    text = "通过 PPT 讲清楚 English sentence 的道理"
    lines = compose_paragraph(text, fake_fonts, FLAT, 5)
    assert "".join(l.text for l in lines) == text
    assert not any(l.text.startswith(" ") for l in lines[1:])
