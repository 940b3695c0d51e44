"""Issue 10: long Latin words are hyphenated rather than letter-spacing the CJK line before them."""

import pytest

from pagesetter.compose import hyphenation
from pagesetter.compose import totalfit
from pagesetter.compose.paragraph import ParagraphSetter, compose_paragraph
from pagesetter.compose.segment import JOIN_HYPHEN, segment
from pagesetter.compose.style import HouseStyle
from pagesetter.compose.vertical import vertical_units
from pagesetter.fonts.faces import text_fonts
from pagesetter.fonts.registry import FontRegistry

DEFAULT = HouseStyle()
FIRST_FIT = DEFAULT.merged(breaking="first-fit")
OFF = DEFAULT.merged(hyphenate=False)
EXAMPLE = "本次活动由Internationalization工作组与当地高校联合主办，吸引了来自全国各地的200余名代表参加。"
HYPHENS = (hyphenation.HYPHEN, hyphenation.HYPHEN_MINUS)


@pytest.fixture(scope="module")
def fonts():
    return text_fonts(FontRegistry.default().resolve("body"), DEFAULT)


def drawn(line) -> str:
    return "".join(g.char for g in line.glyphs)


def hyphenated(line) -> bool:
    """Does the line end with a hyphen that is not in its text?"""
    return drawn(line)[-1] in HYPHENS and line.text[-1] not in HYPHENS


@pytest.mark.parametrize("style", [DEFAULT, FIRST_FIT], ids=["total-fit", "first-fit"])
@pytest.mark.parametrize("measure", [11, 14])
def test_the_issue_example_hyphenates_instead_of_spacing_out_the_first_line(fonts, style, measure):
    lines = compose_paragraph(EXAMPLE, fonts, style, measure)
    assert max(line.max_gap for line in lines) <= 0.35
    assert "".join(line.text for line in lines) == EXAMPLE
    (first, *_) = [line for line in lines if hyphenated(line)]
    # 11 em: 本次活动由Inter- / nationalization工作组; 14 em: 本次活动由Internation- / alization工作组…
    assert first.text == {11: "本次活动由Inter", 14: "本次活动由Internation"}[measure]
    assert drawn(first) == first.text + hyphenation.HYPHEN_MINUS  # Noto's U+2010 is a full-width form
    # the hyphen is set after the last letter and counts in the justified width
    hyphen, letter = first.glyphs[-1], first.glyphs[-2]
    assert hyphen.x == pytest.approx(letter.x + letter.font.advance(letter.char))
    assert hyphen.x + hyphen.font.advance(hyphen.char) == pytest.approx(measure)
    assert first.width == pytest.approx(measure)


def test_without_hyphenation_the_lines_are_todays(fonts):
    lines = compose_paragraph(EXAMPLE, fonts, OFF, 11)
    assert [line.text for line in lines] == ["本次活动由", "Internationalization工", "作组与当地高校联合主",
                                             "办，吸引了来自全国各地", "的200余名代表参加。"]
    assert lines[0].max_gap == pytest.approx(1.0)
    assert not any(hyphenated(line) for line in lines)


def test_a_word_that_fits_is_not_hyphenated(fonts):
    # 17 em and 22 em: the word fits with the line before it; a hyphen would only cost
    for style in (DEFAULT, FIRST_FIT):
        for measure in (17, 22):
            assert not any(hyphenated(line) for line in compose_paragraph(EXAMPLE, fonts, style, measure))


def test_hyphenation_points_follow_the_rules():
    assert hyphenation.run_points("Internationalization") == (2, 5, 7, 11, 13, 16)  # In-ter-na-tion-al-iza-tion
    assert hyphenation.run_points("typesetting") == (4, 7)
    assert hyphenation.run_points("Paris") == ()          # under 6 letters
    assert hyphenation.run_points("UNESCO") == ()         # capitals
    assert hyphenation.run_points("COVID-19") == ()       # a run with a digit
    assert hyphenation.run_points("e-commerce") == (5,)   # e-com-merce: in the word of 6 letters or more
    for word in ("hyphenation", "Internationalization", "computer"):
        for p in hyphenation.run_points(word):
            assert p >= 2 and len(word) - p >= 3


def test_a_camel_case_word_breaks_between_its_parts():
    # patterns read across the joint gave LiM-ing, Pow-erPoint and Mc-Don-ald
    assert hyphenation.run_points("LiMing") == ()             # a part of two letters: not broken
    assert hyphenation.run_points("ZhangWei") == (5,)         # Zhang-Wei
    assert hyphenation.run_points("PowerPoint") == (5,)       # Power-Point
    assert hyphenation.run_points("WangXiaoMing") == (4, 8)   # Wang-Xiao-Ming
    assert hyphenation.run_points("McDonald") == (5,)         # McDon-ald: inside Donald, not after Mc
    assert hyphenation.run_points("iPhone") == ()
    # a part long enough is hyphenated as a word of its own
    assert hyphenation.run_points("NatureBiotechnology") == (2, 6, 13, 16)  # Na-ture-Biotech-nol-ogy


@pytest.mark.parametrize("text", [
    "研究员在巴黎Paris与奥斯陆Oslo举办展览会议活动。",                   # short words
    "联合国教科文组织UNESCO和INTERNATIONAL机构代表出席了会议活动。",   # capitals
    "详见www.internationalization.org网站的通知和公告信息内容。",        # a web address
    "该公司营收为12345678901234元，同比增长百分之十二点五左右。",       # a number
])
def test_short_words_capitals_web_addresses_and_numbers_are_never_hyphenated(fonts, text):
    units = segment(text, fonts, DEFAULT)
    assert hyphenation.hyphenate(units, text) is units
    for measure in (6, 7, 8, 9, 10, 11):
        for line in compose_paragraph(text, fonts, DEFAULT, measure):
            assert not hyphenated(line), (measure, line.text)


def test_a_word_wider_than_the_measure_breaks_at_a_hyphenation_point(fonts):
    text = "据《NatureBiotechnology》报道，研究员张伟说。"
    for style in (DEFAULT, FIRST_FIT):
        lines = compose_paragraph(text, fonts, style, 9, tracking=-0.04)
        texts = [line.text for line in lines]
        assert "NatureBiotechnol" not in texts  # today's split, without a hyphen
        broken = [line for line in lines if hyphenated(line)]
        assert broken and all(line.violation is None and line.how != "forced" for line in broken)
        assert "".join(texts) == text
        for line in broken:  # at one of Na-ture-Biotech-nol-ogy's points
            assert line.text.split("《")[-1] in ("Na", "Nature", "NatureBiotech", "NatureBiotechnol")


H = "本次活动由当地高校联合主办，吸引了来自全国各地的代表参加。会议讨论了人工智能在新闻出版领域的应用前景，与会专家认为技术进步将带来新的机遇。"


def test_two_hyphenated_lines_in_a_row_cost_extra(fonts, monkeypatch):
    text = H[:18] + "internationalization" + H[18:24] + "standardization" + H[24:]

    def hyphens():
        return [line.text for line in compose_paragraph(text, fonts, DEFAULT, 13) if hyphenated(line)]

    # …吸引了来interna- / tionalization自全国各地的 / standardization代表参加。
    assert hyphens() == ["合主办，吸引了来interna"]
    monkeypatch.setattr(totalfit, "DOUBLE_HYPHEN", 0.0)
    # …吸引了来internation- / alization自全国各地的stan- / dardization代表参加。
    assert hyphens() == ["主办，吸引了来internation", "alization自全国各地的stan"]


def test_a_hyphenation_point_is_a_penalty_in_total_fit(fonts, monkeypatch):
    text = H[:3] + "interoperability" + H[3:13] + "biotechnology" + H[13:]
    # 13 em: interoperabil- / ity… would open a wider gap on its first line (0.34 em) than the
    # 0.33 em it saves on the second: no hyphen pays
    lines = compose_paragraph(text, fonts, DEFAULT, 13)
    assert not any(hyphenated(line) for line in lines)
    assert [line.text for line in lines[:2]] == ["本次活interoperability", "动由当地高校联合主办"]
    # 14 em: biotech- / nology saves two loose lines; taken at the usual penalty, not at a dear one
    lines = compose_paragraph(text, fonts, DEFAULT, 14)
    assert [line.text for line in lines if hyphenated(line)] == ["由当地高校联合主办biotech"]
    assert max(line.max_gap for line in lines) < 0.1
    monkeypatch.setattr(totalfit, "HYPHEN_BREAK", 1000.0)
    lines = compose_paragraph(text, fonts, DEFAULT, 14)
    assert not any(hyphenated(line) for line in lines)
    assert [line.text for line in lines[:2]] == ["本次活interoperability", "动由当地高校联合主办"]


def test_first_fit_hyphenates_only_a_line_that_would_be_loose(fonts):
    text = "研究团队在本次会议上介绍了typesetting技术与internationalization标准的最新进展情况和未来的发展方向。"
    plain = FIRST_FIT.merged(hyphenate=False)
    seen = set()
    for measure in range(9, 23):
        on = compose_paragraph(text, fonts, FIRST_FIT, measure)
        off = compose_paragraph(text, fonts, plain, measure)
        # the same lines up to the first that, unhyphenated, would be loose
        for a, b in zip(on, off):
            if a.text != b.text:
                assert hyphenated(a) and b.max_gap > FIRST_FIT.max_gap, (measure, a.text, b.text)
                seen.add(measure)
                break
            assert not hyphenated(a)
    assert 3 <= len(seen) < 14, seen


def test_headlines_bylines_captions_and_vertical_text_are_never_hyphenated(fonts):
    text = "国际化工作组Internationalization会议在京举行"
    words = frozenset({0, 6, 26, 28})
    for measure in (8, 10, 12):
        assert not any(hyphenated(line) for line in
                       compose_paragraph(text, fonts, DEFAULT, measure, indent=0.0, justify=False))
        assert not any(hyphenated(line) for line in compose_paragraph(text, fonts, DEFAULT, measure, words=words))
        units = vertical_units(text, fonts, DEFAULT)
        assert not any(hyphenated(line) for line in compose_paragraph(text, fonts, DEFAULT, measure, units=units))


def test_pieces_of_a_word_take_no_tracking_and_count_as_one_character(fonts):
    s = ParagraphSetter(EXAMPLE, fonts, DEFAULT, tracking=0.05)
    pieces = [u for u in s.units if u.joined == JOIN_HYPHEN]
    assert [u.text for u in pieces] == ["ter", "na", "tion", "al", "iza", "tion"]
    assert all(u.glue == 0.0 for u in pieces)
    (line,) = compose_paragraph("Internationalization", fonts, DEFAULT, 40)
    assert line.han_count == 1


def test_a_paragraph_resumed_mid_word_starts_at_a_piece(fonts):
    """A story continued on another page resumes at the offset where its last line ended."""
    lines = compose_paragraph(EXAMPLE, fonts, DEFAULT, 11)
    offset = len(lines[0].text)
    s = ParagraphSetter(EXAMPLE, fonts, DEFAULT)
    s.pos = next(i for i, u in enumerate(s.units) if u.start >= offset)
    s.count = 1
    assert s.next_line(11).text == lines[1].text


def test_a_word_with_soft_hyphens_breaks_at_them_alone_with_a_hyphen(fonts):
    text = "本次活动由Interna\u00adtionalization工作组与当地高校联合主办，吸引了来自全国各地的代表。"
    s = ParagraphSetter(text, fonts, DEFAULT)
    assert [u.text for u in s.units[5:7]] == ["Interna", "tionalization"]  # not pyphen's In-ter-na-tion-…
    lines = compose_paragraph(text, fonts, DEFAULT, 12)
    assert lines[0].text == "本次活动由Interna\u00ad" and hyphenated(lines[0])
    assert drawn(lines[0]) == "本次活动由Interna-"
    # set whole, the word opens no gap at its soft hyphen
    (line, *_) = compose_paragraph(text, fonts, DEFAULT, 20)
    assert "Internationalization" in drawn(line)
    k = drawn(line).index("tionalization")
    a, b = line.glyphs[k - 1], line.glyphs[k]
    assert b.x == pytest.approx(a.x + a.font.advance(a.char))
