"""Total-fit breaking (compose/totalfit.py): hand-worked cases and the cost of the search."""

from pathlib import Path

import pytest

from pagesetter.compose.linebreak import Breaker
from pagesetter.compose import prohibition, totalfit
from pagesetter.compose.paragraph import ParagraphSetter, compose_paragraph
from pagesetter.compose.segment import TextFonts, segment
from pagesetter.compose.style import HouseStyle
from pagesetter.compose.totalfit import TotalFit
from pagesetter.fonts.metrics import FaceRef, metrics_for

ROOT = Path(__file__).resolve().parents[2]
FONT = ROOT / "fonts" / "NotoSerifSC-Regular.ttf"
FLAT = HouseStyle(first_line_indent=0, orphan_min=0)


def texts(lines):
    return [l.text for l in lines]


def test_a_date_stays_whole_when_another_break_costs_less(fake_fonts):
    # 会议定于6月29日在长沙召开 at 8 em. First fit fills the line up to "29" (7.25 em) and
    # leaves 日 for the next line; total fit pushes 日 in: 4 + ¼+½ + ¼+1 + ¼+1 + ¼+1 = 8.5 em,
    # its four CJK–Latin spaces squeezed from ¼ to ⅛ em
    text = "会议定于6月29日在长沙召开"
    first = compose_paragraph(text, fake_fonts, FLAT.merged(breaking="first-fit"), 8)
    total = compose_paragraph(text, fake_fonts, FLAT, 8)
    assert texts(first) == ["会议定于6月29", "日在长沙召开"]
    assert texts(total) == ["会议定于6月29日", "在长沙召开"]
    assert total[0].how == "push-in" and total[0].adjust == pytest.approx(-0.5)


def test_a_short_last_line_is_avoided(fake_fonts):
    # 19 characters at 9 a line would leave 壬 alone: total fit sets 8 + 9 + 2 or 9 + 8 + 2
    text = "一二三四五六七八九十甲乙丙丁戊己庚辛壬"
    lines = compose_paragraph(text, fake_fonts, FLAT.merged(orphan_min=2), 9)
    assert len(lines) == 3 and lines[-1].text == "辛壬"
    assert max(l.max_gap for l in lines) == pytest.approx(1 / 7)


def test_prohibited_breaks_stay_prohibited(fake_fonts):
    text = "一二三四五，六七八“九十”。甲乙丙丁（戊己）庚辛"
    for m in (3, 4, 5, 6, 7):
        lines = compose_paragraph(text, fake_fonts, FLAT, m)
        assert "".join(texts(lines)) == text
        for a, b in zip(lines, lines[1:]):
            assert b.text[0] not in "，。”）" and a.text[-1] not in "“（", (m, texts(lines))


def test_total_fit_evens_out_what_first_fit_leaves_loose():
    # a paragraph of the test copy at 11 em: first fit leaves a line with 0.43 em gaps
    face = metrics_for(FaceRef(FONT))
    fonts = TextFonts(face, face)
    text = (ROOT / "bench" / "texts" / "economy.txt").read_text(encoding="utf-8").split("\n")[4]
    assert text.startswith("投资结构")
    style = HouseStyle()
    first = compose_paragraph(text, fonts, style.merged(breaking="first-fit"), 11)
    total = compose_paragraph(text, fonts, style, 11)
    assert max(l.max_gap for l in first if not l.last) > 0.4
    assert max(l.max_gap for l in total if not l.last) < 0.34
    assert "".join(texts(total)) == text


def test_a_new_measure_plans_again_from_the_current_line(fake_fonts):
    setter = ParagraphSetter("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸", fake_fonts, FLAT)
    a = setter.next_line(5)
    b = setter.next_line(8)
    rest = []
    while not setter.done:
        rest.append(setter.next_line(8))
    assert a.text == "一二三四五" and b.text == "六七八九十甲乙丙"
    assert "".join([a.text, b.text] + texts(rest)) == "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸"


def _work(text, fonts, measure):
    style = HouseStyle()
    units = segment(text, fonts, style)
    allowed = prohibition.mark(units, style.prohibition)
    fit = TotalFit(Breaker(units, allowed, style, style.first_line_indent), style)
    assert fit.plan(0, measure, True) is not None
    return fit.work


def test_the_search_grows_linearly_with_the_paragraph():
    face = metrics_for(FaceRef(FONT))
    fonts = TextFonts(face, face)
    text = (ROOT / "bench" / "texts" / "economy.txt").read_text(encoding="utf-8").replace("\n", "")
    # two long paragraphs: a short one is pruned harder (its first-fit bound is near every path's
    # cost), which would flatter the ratio; quadratic growth would give 4
    for measure in (11, 17, 22):
        five, ten = _work(text * 5, fonts, measure), _work(text * 10, fonts, measure)
        assert ten <= 2.4 * five, (measure, five, ten)


def test_fitness_jumps_between_neighbouring_lines_cost_extra(fake_fonts, monkeypatch):
    # at 5 em, 乙八五七 / 三四四九甲 puts a very loose line (⅓ em gaps) first, then a decent
    # one, then a loose one: two jumps of two classes (the paragraph starts "decent").
    # 乙八五七三 / 四四九甲 / 四，七十丙 has the same badness and one jump: it wins
    text = "乙八五七三四四九甲四，七十丙丙"
    style = FLAT.merged(push="out-only")
    assert texts(compose_paragraph(text, fake_fonts, style, 5)) == ["乙八五七三", "四四九甲", "四，七十丙", "丙"]
    import pagesetter.compose.totalfit as totalfit
    monkeypatch.setattr(totalfit, "CLASS_JUMP", 0.0)
    monkeypatch.setattr(totalfit, "ADJACENT_EXTREMES", 0.0)
    assert texts(compose_paragraph(text, fake_fonts, style, 5)) == ["乙八五七", "三四四九甲", "四，七十丙", "丙"]


def test_two_very_loose_lines_in_a_row_cost_extra(fake_fonts, monkeypatch):
    # at 5 em, 1234三一 must open its two gaps to ⅜ em (very loose). 五七丁乙 next would be
    # very loose too (⅓ em); 五七丁乙四 / 四五四乙 puts a decent line between the two
    text = "1234三一五七丁乙四四五四乙“一乙"
    style = FLAT.merged(push="out-only")
    assert texts(compose_paragraph(text, fake_fonts, style, 5)) == ["1234三一", "五七丁乙四", "四五四乙", "“一乙"]
    import pagesetter.compose.totalfit as totalfit
    monkeypatch.setattr(totalfit, "ADJACENT_EXTREMES", 0.0)
    assert texts(compose_paragraph(text, fake_fonts, style, 5))[1] == "五七丁乙"


def test_the_search_stops_early_only_where_line_ends_never_move_left(fake_fonts):
    # a unit with no width and negative letter-spacing before it: a longer line can end further
    # left, so stopping at the first line too loose to keep could skip one that fits
    plain = segment("一二三四五六七八九十", fake_fonts, FLAT)
    shrunk = segment("一二三四五六七八九十", fake_fonts, FLAT)
    shrunk[5].width, shrunk[5].glue = 0.0, -0.5
    for units, monotone in ((plain, True), (shrunk, False)):
        allowed = prohibition.mark(units, FLAT.prohibition)
        assert TotalFit(Breaker(units, allowed, FLAT, 0.0), FLAT)._monotone is monotone


# Copy with long numbers and English names, which leave few breaks in a narrow column
MARKET = ("截至当日收盘，上证指数报3,245.67点，上涨1.23%；深证成指报10,876.54点，上涨0.98%；创业板指报2,134.21点，"
          "下跌0.15%。两市成交额合计约9,876亿元，较前一交易日放量1,234亿元。北向资金净买入56.78亿元，连续第3个交易日净流入。")
NAMES = ("据美国《纽约时报》（The New York Times）报道，OpenAI、Google DeepMind和Anthropic等公司正在开发新一代"
         "大语言模型（LLM），其参数规模可达1.8万亿（1.8 trillion），训练成本超过10亿美元。分析人士认为，"
         "“scaling laws”是否继续有效仍是未知数。")
SPACED = "中文 词语 之间 有 空格，English words are separated by spaces，还有 www.gov.cn 这样的地址。"


@pytest.fixture(scope="module")
def noto():
    face = metrics_for(FaceRef(FONT))
    return TextFonts(face, face)


def _fit(text, fonts, style=HouseStyle()):
    """The search over ``text``'s units as compose_paragraph has them (long words hyphenated)."""
    return TotalFit(ParagraphSetter(text, fonts, style).breaker, style)


def test_a_line_stretched_exactly_to_a_class_boundary_keeps_its_plan(noto):
    # 截至当日收盘，上证指数报 at 16 em opens its gaps by exactly max_gap (ratio 1.0, "loose"). The
    # search once worked its slack out another way, to the last bit, found the line "very loose",
    # priced the first-fit plan over its own bound and returned no plan at all
    fit = _fit(MARKET, noto)
    plan = fit.plan(0, 16, True)
    assert plan is not None and plan[0].end == 12
    assert fit.line_cost(0, 12, 16, True, False)[:2] == (pytest.approx(100.0), 2)


def test_a_line_costs_what_justification_opens_once_the_spaces_are_full(noto):
    # a CJK–Latin space takes at most ¼ em more and a word space ½ em in all: the gaps between
    # characters take the rest, and the line is priced by them ("rated by spaces，还" at 11 em
    # was priced at an even ½ em a gap while its one gap between characters opened 1 em)
    style = HouseStyle()
    for text in (MARKET, NAMES, SPACED):
        fit = _fit(text, noto, style)
        for measure in (11, 14, 17):
            for line in compose_paragraph(text, noto, style, measure):
                i, j = line.unit_range
                if line.last or line.how != "fit" or not line.stretch_gaps:
                    continue
                cost, fit_class, opened = fit.line_cost(i, j, measure, i == 0, False)
                assert opened == pytest.approx(line.max_gap, abs=0.02), (measure, line.text)


def _cheapest(fit, n, measure):
    """The cheapest plan of all, by brute force over every legal break (lines with a gap to open)."""
    from pagesetter.compose.totalfit import ADJACENT_EXTREMES, CLASS_JUMP, DOUBLE_HYPHEN
    allowed, hyphens = fit.br.allowed, fit._hyphens
    best = {0: {1: 0.0}}
    for j in range(1, n + 1):
        if j < n and not allowed[j]:
            continue
        for i in [i for i in best if i < j]:
            cost, fitness, _ = fit.line_cost(i, j, measure, i == 0, j == n)
            if cost is None or j < n and fit._gaps[j - 1] == fit._gaps[i] and fit._joined[j - 1] == fit._joined[i]:
                continue
            line = (1 + cost) ** 2 + (DOUBLE_HYPHEN if i in hyphens and j in hyphens else 0.0)
            for before, total in best[i].items():
                t = total + line + (CLASS_JUMP if abs(fitness - before) > 1 else
                                    ADJACENT_EXTREMES if fitness == before and fitness in (0, 3) else 0.0)
                here = best.setdefault(j, {})
                here[fitness] = min(here.get(fitness, t), t)
    return min(best[n].values())


def _cost(fit, plan, measure):
    from pagesetter.compose.totalfit import ADJACENT_EXTREMES, CLASS_JUMP, DOUBLE_HYPHEN
    total, before = 0.0, 1
    for b in plan:
        cost, fitness, _ = fit.line_cost(b.start, b.end, measure, b.start == 0, b.how == "last")
        total += (1 + cost) ** 2 + (DOUBLE_HYPHEN if b.start in fit._hyphens and b.end in fit._hyphens else 0.0)
        total += CLASS_JUMP if abs(fitness - before) > 1 else \
            ADJACENT_EXTREMES if fitness == before and fitness in (0, 3) else 0.0
        before = fitness
    return total


@pytest.mark.parametrize("measure", [11, 12, 13, 14, 16, 17, 20])
def test_a_hard_paragraph_gets_the_cheapest_plan(noto, measure):
    # the search tries no line past the cut-off while a tighter one fits; where the plan has such
    # a line all the same, it searches again with lines that loose: at 14 em NAMES had a 1.24 em
    # gap ("New York Times）报道，") and at 16 em a 0.98 em one, where 0.79 and 0.52 em do
    for text in (MARKET, NAMES, SPACED):
        fit = _fit(text, noto)
        n = len(fit.br.units)
        plan = fit.plan(0, measure, True)
        assert plan is not None
        assert _cost(fit, plan, measure) <= _cheapest(fit, n, measure) * (1 + 1e-9) + 1e-6, text[:10]
    widest = {14: 0.79, 16: 0.52}.get(measure)
    if widest:
        assert max(line.max_gap for line in compose_paragraph(NAMES, noto, HouseStyle(), measure)) < widest


def test_a_line_past_the_ceiling_costs_more_than_its_stretch(monkeypatch):
    # at 20 em, by the stretch alone, the plan opens one line to 0.26 em, past max_gap (a loose line
    # in the report), where a plan with lines of 0.104 em at most does almost as well
    expo = "观众可通过官方网站www.ai-expo-example.cn或“AI博览会”微信公众号预约参观，博览会将持续至10月28日。"
    face = metrics_for(FaceRef(FONT))
    widest = lambda: max(line.max_gap for line in compose_paragraph(expo, TextFonts(face, face), HouseStyle(), 20)
                         if not line.last)  # noqa: E731
    assert widest() <= HouseStyle().max_gap
    monkeypatch.setattr(totalfit, "PAST_CEILING", 0.0)
    assert widest() > HouseStyle().max_gap
