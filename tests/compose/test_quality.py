"""Composition quality in the default style on ordinary news copy (issue 10's done-when):
at measures from 11 to 22 em no prohibition broken, no character lost, no gap opened wider
than 0.35 em, and at most 1% of the lines with a gap over 0.25 em. The copy is the quality
benchmark's (bench/texts); random copy of the same kinds is checked by property tests."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pagesetter.compose.paragraph import ParagraphSetter
from pagesetter.compose.segment import GLUE_CJK_LATIN, GLUE_WORD, TextFonts
from pagesetter.compose.style import HouseStyle
from pagesetter.compose.linebreak import stretch_gap
from pagesetter.fonts.metrics import FaceRef, metrics_for

ROOT = Path(__file__).resolve().parents[2]
FACE = metrics_for(FaceRef(ROOT / "fonts" / "NotoSerifSC-Regular.ttf"))
FONTS = TextFonts(FACE, FACE)
STYLE = HouseStyle()
MEASURES = (11, 12, 13, 14, 15, 16, 17, 17.8, 18, 19, 20, 21, 22)
NO_START = set("，。、；：？！”’）》」』·：∶")
NO_END = set("“‘（《「『")


def paragraphs():
    return [p for f in sorted((ROOT / "bench" / "texts").glob("*.txt"))
            for p in f.read_text(encoding="utf-8").split("\n") if p.strip()]


def compose(text, measure, style=STYLE):
    setter = ParagraphSetter(text, FONTS, style)
    lines = []
    while not setter.done:
        lines.append(setter.next_line(measure))
    return setter.units, lines


def test_news_copy_at_every_measure():
    for measure in MEASURES:
        justified = []
        for text in paragraphs():
            _, lines = compose(text, measure)
            assert "".join(l.text for l in lines) == text
            assert not any(l.violation for l in lines)
            for a, b in zip(lines, lines[1:]):
                assert b.text[0] not in NO_START and a.text[-1] not in NO_END, (a.text, b.text)
            justified += [l for l in lines if not l.last]
        widest = max(l.max_gap for l in justified)
        loose = [l.text for l in justified if l.max_gap > 0.25 + 1e-9]
        assert widest <= 0.35, (measure, widest)
        assert len(loose) <= 0.01 * len(justified), (measure, loose)


def unit_gaps(units, line):
    """(unit, space before it) for each unit of the line but the first, from the placed glyphs."""
    i, j = line.unit_range
    lefts, g = [], 0
    for u in units[i:j]:
        lefts.append(line.glyphs[g].x - u.glyphs[0].dx)
        g += len(u.glyphs)
    return [(units[i + k], lefts[k] - (lefts[k - 1] + units[i + k - 1].width)) for k in range(1, j - i)]


HAN_WORDS = ["发展", "经济", "群众", "项目", "建设", "服务", "企业", "社区", "今年", "全市", "记者", "介绍",
             "推进", "增长", "投资", "居民", "智能", "产业", "完成", "工作", "我们", "目前", "已经", "实现"]
tokens = st.one_of(
    st.sampled_from(HAN_WORDS), st.sampled_from(HAN_WORDS), st.sampled_from(HAN_WORDS),
    st.sampled_from(list("，。、；：")),
    st.builds(lambda w: f"“{w}”", st.sampled_from(HAN_WORDS)),
    st.builds(lambda w: f"‘{w}’", st.sampled_from(HAN_WORDS)),
    st.builds(lambda w: f"《{w}》", st.sampled_from(HAN_WORDS)),
    st.builds(lambda n, u: f"{n}{u}", st.integers(1, 99999).map(lambda n: f"{n:,}"), st.sampled_from(list("家个元人年"))),
    st.builds(lambda m, d: f"{m}月{d}日", st.integers(1, 12), st.integers(1, 31)),
    st.builds(lambda a, b: f"{a}.{b}%", st.integers(0, 99), st.integers(0, 9)),
    # Latin words and web addresses stand apart from each other, as in copy
    st.from_regex(r"[A-Z][a-z]{1,9}|[A-Z]{2,4}|[a-z]{3,12}", fullmatch=True).map(lambda w: f" {w} "),
    st.sampled_from([" https://www.example.com/news/2024/index.html ", " www.example.gov.cn "]),
)
copy = st.lists(tokens, min_size=5, max_size=120).map("".join)
measures = st.sampled_from(MEASURES)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(copy, measures)
def test_random_copy_keeps_its_rules_and_ceilings(text, measure):
    units, lines = compose(text, measure)
    assert "".join(l.text for l in lines) == text
    assert not any(l.violation for l in lines)
    for a, b in zip(lines, lines[1:]):
        assert b.text[0] not in NO_START and a.text[-1] not in NO_END
    for line in lines:
        if line.last or line.adjust <= 1e-9:
            continue
        gaps = unit_gaps(units, line)
        opened = max((gap - u.glue for u, gap in gaps), default=0.0)
        assert abs(opened - line.max_gap) < 1e-6
        assert all(gap >= u.glue - 1e-9 for u, gap in gaps)  # a stretched line squeezes nothing
        if line.max_gap >= STYLE.max_gap - 1e-9:
            assert line.loose_reason
        i = line.unit_range[0]
        han_gap = any(stretch_gap(units[i + k - 1], u) and not u.glue_kind for k, (u, _) in enumerate(gaps, 1))
        if han_gap:
            for u, gap in gaps:
                if u.glue_kind == GLUE_CJK_LATIN:
                    assert gap <= STYLE.cjk_latin_max + 1e-9
                elif u.glue_kind == GLUE_WORD:
                    assert gap <= max(0.5, u.glue) + 1e-9
