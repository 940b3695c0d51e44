import pytest

from pagesetter.compose.classes import Cls
from pagesetter.compose.segment import GLUE_CJK_LATIN, segment
from pagesetter.compose.style import HouseStyle


def widths(text, fonts, style=HouseStyle()):
    return [(u.text, u.width) for u in segment(text, fonts, style)]


def test_kaiming_widths(fake_fonts):
    # 开明式: 。！？ keep 1 em mid-line, every other mark is ½ em
    assert widths("我，你。他“好”", fake_fonts) == [
        ("我", 1), ("，", 0.5), ("你", 1), ("。", 1), ("他", 1), ("“", 0.5), ("好", 1), ("”", 0.5)]


def test_quanjiao_pairs_come_to_one_and_a_half_em(fake_fonts):
    style = HouseStyle(punctuation="quanjiao")
    for pair in ("（“", "）”", "）（", "。”", "：“", "）。"):
        total = sum(w for _, w in widths("字" + pair + "字", fake_fonts, style)[1:3])
        assert total == pytest.approx(1.5), pair


def test_blank_removed_between_the_marks_keeps_brackets_hugging_text(fake_fonts):
    units = segment("字）（字", fake_fonts, HouseStyle(punctuation="quanjiao"))
    close, open_ = units[1], units[2]
    assert close.blank_right == 0 and open_.blank_left == 0.5


def test_stop_beside_mark_setting(fake_fonts):
    default = widths("好。”", fake_fonts)
    house = widths("好。”", fake_fonts, HouseStyle(stop_beside_mark=0.5))
    assert default[1][1] + default[2][1] == pytest.approx(1.5)
    assert house[1][1] + house[2][1] == pytest.approx(1.0)


def test_banjiao_sets_every_mark_half(fake_fonts):
    assert {w for t, w in widths("，。！？“”", fake_fonts, HouseStyle(punctuation="banjiao"))} == {0.5}


def test_dash_and_ellipsis_are_single_two_em_units(fake_fonts):
    units = segment("好——好……", fake_fonts, HouseStyle())
    assert [(u.text, u.cls, u.width) for u in units] == [
        ("好", Cls.HAN, 1), ("——", Cls.DASH, 2.0), ("好", Cls.HAN, 1), ("……", Cls.DASH, 2.0)]


def test_dash_ink_is_one_continuous_rule(serif_fonts):
    # Noto Serif SC's U+2014 is 0.89 em with side bearings; the two glyphs must meet.
    (dash,) = segment("——", serif_fonts, HouseStyle())
    font = serif_fonts.cjk
    left, right = font.ink("—")
    ends = [(g.dx + left * g.hscale, g.dx + right * g.hscale) for g in dash.glyphs]
    assert ends[0][1] == pytest.approx(ends[1][0])
    assert 0 <= ends[0][0] < 0.1 and 1.9 < ends[1][1] <= 2.0


@pytest.mark.parametrize("run", ["29422", "55.95%", "1,200", "-5", "PPT", "30℃", "¥100", "5G"])
def test_numbers_and_words_are_one_unit(fake_fonts, run):
    units = segment("有" + run + "个", fake_fonts, HouseStyle())
    assert [u.text for u in units] == ["有", run, "个"]


def test_cjk_latin_spacing_replaces_a_source_space(fake_fonts):
    with_space = segment("通过 PPT 与", fake_fonts, HouseStyle())
    without = segment("通过PPT与", fake_fonts, HouseStyle())
    for units in (with_space, without):
        assert [u.glue for u in units] == [0, 0, 0.25, 0.25]
        assert units[2].glue_kind == GLUE_CJK_LATIN


def test_no_cjk_latin_spacing_beside_punctuation(fake_fonts):
    units = segment("（PPT）", fake_fonts, HouseStyle())
    assert [u.glue for u in units] == [0, 0, 0]


def test_halfwidth_digits_from_the_fonts_hwid_glyphs(serif_fonts):
    (unit,) = segment("2021", serif_fonts, HouseStyle())
    assert unit.width == pytest.approx(2.0)  # ½ em each; the default glyphs are 0.557 em


def test_every_character_is_in_exactly_one_unit(fake_fonts):
    text = "他说：“2021年，GDP增长8.5%——好！”（完）"
    units = segment(text, fake_fonts, HouseStyle())
    assert "".join(u.text for u in units) == text


def test_copying_a_unit_keeps_every_field():
    """Unit.__copy__ lists the fields by hand (for speed): a field added later must be copied too."""
    import copy
    import dataclasses

    from pagesetter.compose.segment import Glyph, Unit
    values = {"text": "字", "start": 3, "cls": Cls.CLOSE, "width": 0.5, "glyphs": [], "blank_left": 0.1,
              "blank_right": 0.2, "glue": 0.3, "glue_kind": 2, "src_start": 1, "no_start": True, "no_end": True,
              "stacked": True, "stack_end": True, "frame": (0.25, 0.5), "joined": 2, "hyphen": 0.33,
              "hyphen_glyph": Glyph("-", None, 0.5)}
    assert set(values) == {f.name for f in dataclasses.fields(Unit)}
    unit = Unit(**values)
    twin = copy.copy(unit)
    assert twin is not unit and dataclasses.astuple(twin) == dataclasses.astuple(unit)
    twin.glue = 9.0
    assert unit.glue == 0.3


def test_a_faces_ideograph_and_mark_tables_change_nothing(serif_fonts):
    """Ideographs and marks are looked up in tables kept per face across paragraphs: the units
    set from warm tables are those set from cold ones, field by field."""
    import dataclasses

    from pagesetter.compose import segment as stage
    from pagesetter.compose.segment import Unit
    text = "“他说：‘好。’”——今天（周一）天气晴，气温18℃……你好！？《报》、「书」·第3版。" * 2
    for style in (HouseStyle(), HouseStyle(punctuation="quanjiao", single_quotes="half-em")):
        stage._HAN_TABLES.clear()
        stage._MARK_TABLES.clear()
        cold = segment(text, serif_fonts, style)
        warm = segment(text, serif_fonts, style)
        assert stage._HAN_TABLES and stage._MARK_TABLES
        fields = [f.name for f in dataclasses.fields(Unit)]
        assert [[getattr(u, f) for f in fields] for u in warm] == [[getattr(u, f) for f in fields] for u in cold]
        assert all(a.glyphs[0] is not b.glyphs[0] for a, b in zip(warm, cold) if a.cls in FRAME_MARKS)


FRAME_MARKS = (Cls.OPEN, Cls.CLOSE, Cls.COMMA, Cls.STOP, Cls.DOT)
