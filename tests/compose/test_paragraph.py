from pathlib import Path

import pytest

from pagesetter.compose.paragraph import compose_paragraph
from pagesetter.compose.segment import TextFonts, segment
from pagesetter.compose.style import HouseStyle
from pagesetter.fonts.metrics import FaceRef, metrics_for

NO_START = set("，。、；：？！”’）》」』")
NO_END = set("“‘（《「『")


def test_first_line_indent_and_justification(fake_fonts):
    lines = compose_paragraph("一二三四五六七八九十甲乙丙", fake_fonts, HouseStyle(orphan_min=0), 6)
    assert [l.text for l in lines] == ["一二三四", "五六七八九十", "甲乙丙"]
    assert lines[0].glyphs[0].x == pytest.approx(2.0)
    assert lines[1].width == pytest.approx(6) and lines[1].adjust == 0
    assert lines[-1].last and lines[-1].width == pytest.approx(3)


def test_mark_at_line_end_is_half_em(fake_fonts):
    # 。 is 1 em mid-line under 开明式, ½ em at the end of a line
    lines = compose_paragraph("一二三四五。六", fake_fonts, HouseStyle(first_line_indent=0, orphan_min=0), 5.5)
    assert lines[0].text == "一二三四五。"
    assert lines[0].natural == pytest.approx(5.5)


def test_push_out_moves_the_previous_character_down(fake_fonts):
    style = HouseStyle(first_line_indent=0, push="out-only", orphan_min=0, breaking="first-fit")
    lines = compose_paragraph("一二三四五，六七", fake_fonts, style, 5)
    assert [l.text for l in lines] == ["一二三四", "五，六七"]
    assert lines[0].how == "push-out" and lines[0].width == pytest.approx(5)
    gaps = [b.x - a.x for a, b in zip(lines[0].glyphs, lines[0].glyphs[1:])]
    assert gaps == pytest.approx([5 / 4 + 0] * 3, abs=1e-9) or max(gaps) - min(gaps) < 1e-9


def test_push_in_shrinks_punctuation_first(fake_fonts):
    style = HouseStyle(first_line_indent=0, punctuation="quanjiao", push="in-first", orphan_min=0)
    lines = compose_paragraph("一，二三四五。六", fake_fonts, style, 6)
    assert lines[0].text == "一，二三四五。"
    assert lines[0].how == "push-in"
    assert lines[0].width == pytest.approx(6)


def test_opening_bracket_at_line_start_loses_its_blank_and_moves_left(fake_fonts):
    style = HouseStyle(first_line_indent=0, punctuation="quanjiao", orphan_min=0)
    lines = compose_paragraph("一二三四“五六”", fake_fonts, style, 4)
    second = lines[1]
    assert second.text.startswith("“")
    # the quote's glyph frame starts ½ em left of the line so its ink sits at the edge
    assert second.glyphs[0].x == pytest.approx(-0.5)


def test_unbreakable_runs_stay_whole(fake_fonts):
    style = HouseStyle(first_line_indent=0, orphan_min=0)
    text = "一二三四——五六七29422名八九十PPT与"
    for measure in (3, 4, 5, 6, 7):
        lines = compose_paragraph(text, fake_fonts, style, measure)
        assert "".join(l.text for l in lines) == text
        for l in lines:
            for run in ("——", "29422", "PPT"):
                if run[0] in l.text[-1:] and not l.text.endswith(run):
                    pytest.fail(f"{run} split at {l.text!r}")
            assert not l.text.endswith("—") or l.text.endswith("——")


def test_no_prohibited_breaks_in_seed_text(serif_fonts, house):
    from pathlib import Path

    from pagesetter.source.article import load_article
    root = Path(__file__).resolve().parents[2]
    for path in sorted((root / "articles").glob("*.md")):
        for para in load_article(path).paragraphs:
            for measure in (13.9, 17.8, 26.3):
                lines = compose_paragraph(para.text, serif_fonts, house, measure)
                assert "".join(l.text for l in lines) == para.text
                for l in lines:
                    assert l.violation is None
                    assert l.text[0] not in NO_START or l is lines[0], l.text
                    assert l.text[-1] not in NO_END, l.text
                    assert l.width <= measure + 1e-6
                    if not l.last:
                        assert l.width == pytest.approx(measure, abs=0.01 / 9)


def test_orphan_control_pulls_a_character_down(fake_fonts):
    text = "一二三四五六七八九十甲乙丙丁戊己庚辛壬"  # 19 characters at 9 a line
    style = HouseStyle(first_line_indent=0, orphan_min=2, breaking="first-fit")
    off = compose_paragraph(text, fake_fonts, style.merged(orphan_min=0), 9)
    assert off[-1].text == "壬"
    lines = compose_paragraph(text, fake_fonts, style, 9)
    assert [l.text for l in lines] == ["一二三四五六七八九", "十甲乙丙丁戊己庚", "辛壬"]
    assert lines[1].how == "push-out" and lines[1].width == pytest.approx(9)


def test_a_latin_word_or_number_counts_as_the_characters_it_fills():
    from pagesetter.compose.segment import characters
    style = HouseStyle()
    face = metrics_for(FaceRef(Path(__file__).resolve().parents[2] / "fonts" / "NotoSerifSC-Regular.ttf"))
    units = {u.text: u for u in segment("据说2023年5G电话0731-84326666。", TextFonts(face, face), style)}
    assert characters(units["据"]) == 1 and characters(units["。"]) == 0
    assert characters(units["5G"]) == 1           # about one em
    assert characters(units["2023"]) == 2         # two ems
    assert characters(units["0731-84326666"]) == 6   # 6.9 em


def test_a_telephone_number_on_the_last_line_is_no_lone_character():
    # at 15 em the number alone on the last line was taken for a 孤字 and avoided, at the price of
    # two lines opened past max_gap (0.31 and 0.27 em)
    text = ("——编者按：本版刊发的《乡村振兴的“湘西样本”》一文，记录了十八洞村十年来的变化。"
            "欢迎读者来信来电，热线电话：0731-84326666。")
    face = metrics_for(FaceRef(Path(__file__).resolve().parents[2] / "fonts" / "NotoSerifSC-Regular.ttf"))
    lines = compose_paragraph(text, TextFonts(face, face), HouseStyle(), 15)
    assert lines[-1].text == "0731-84326666。" and lines[-1].han_count == 6
    assert max(line.max_gap for line in lines) <= HouseStyle().max_gap
