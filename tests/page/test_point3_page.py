"""Hand-worked page cases for issue 10: captions, bylines, subheads, headlines."""

from pathlib import Path

from PIL import Image

from pagesetter.layout.loader import load_layout
from pagesetter.page.flow import compose_page

ROOT = Path(__file__).resolve().parents[2]


def page_with(tmp_path, body: str, *, byline: str = "", lines: int = 20, measure: str = "10字", columns: int = 1,
              extra: str = "", head: str = "") -> object:
    art = tmp_path / "a.md"
    front = f"title: {head or '标题'}\n" + (f"byline: \"{byline}\"\n" if byline else "")
    art.write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")
    layout = tmp_path / "p.yaml"
    layout.write_text(f"""page: {{size: A4, margins: {{top: 20mm, bottom: 20mm, left: 20mm, right: 20mm}}}}
grid: {{columns: 4, gutter: 1字, body: {{font: 书宋, size: 10pt, leading: 15pt}}}}
frames:
  main: {{x: 0字, measure: {measure}, columns: {columns}, gutter: 1字, line: 1, lines: {lines}}}
{extra}stories:
  - article: a.md
    frames: [main]
    headline: {{size: 20pt}}
""", encoding="utf-8")
    return compose_page(load_layout(layout))


def test_a_caption_is_never_force_justified(tmp_path):
    Image.new("RGB", (400, 300), (128, 128, 128)).save(tmp_path / "pic.png")
    caption = "这是一张图片的说明文字，它很长，要排成好几行，而每一行都不应被拉开字距两端对齐。"
    extra = f"""images:
  - {{id: pic, file: pic.png, x: 12字, width: 10字, line: 1, lines: 12, caption: "{caption}"}}
"""
    page = page_with(tmp_path, "正文一段。", extra=extra)
    lines = [p for p in page.lines if p.role == "caption"]
    assert len(lines) > 1
    assert "".join(p.line.text for p in lines) == caption
    for p in lines:
        assert p.line.adjust == 0 and p.line.max_gap == 0  # set at natural width, ragged


def test_a_byline_that_fits_one_line_takes_one(tmp_path):
    page = page_with(tmp_path, "正文" * 14 + "。", byline="（张三 李四 王五）")
    by = [p for p in page.lines if p.role == "byline"]
    assert [p.line.text for p in by] == ["（张三 李四 王五）"]


def test_a_long_byline_breaks_only_between_names(tmp_path):
    names = "（欧阳晓明 司马相如 诸葛孔明 上官婉儿）"
    page = page_with(tmp_path, "正文" * 14 + "。", byline=names)
    by = [p for p in page.lines if p.role == "byline"]
    assert len(by) > 1 and "".join(p.line.text for p in by) == names
    for p in by:
        text = p.line.text.strip("（） ")
        assert all(len(name) == 4 for name in text.split()), p.line.text  # no name cut
        assert p.line.adjust == 0


def test_a_byline_never_stands_alone_at_the_top_of_a_column(tmp_path):
    # two columns of five lines under the headline; for some length the body fills the first
    # column exactly and the byline would open the second alone: the paragraph's last lines go over
    # with it, two of them (keep_last_lines), so no widow is left there either
    moved = 0
    for n in range(36, 52):
        page = page_with(tmp_path, "十" * n + "。",
                         byline="（张三 李四）", lines=8, columns=2)
        by = [p for p in page.lines if p.role == "byline"]
        assert by and page.stories[0].overset_chars == 0
        column = [p for p in page.lines if p.column == by[0].column and p.role in ("body", "byline")]
        beside = [p for p in column if p.role == "body" and p.grid_line == by[0].grid_line]
        assert beside or min(p.grid_line for p in column) != by[0].grid_line, n
        moved += by[0].column == 1 and not beside and len(column) == 3
    assert moved, "no length made the byline open a column"


def test_headlines_break_between_words(tmp_path):
    from pagesetter.compose.style import HouseStyle
    from pagesetter.page.headlines import balanced_lines
    from pagesetter.compose.segment import TextFonts
    from pagesetter.fonts.metrics import FaceRef, metrics_for
    face = metrics_for(FaceRef(ROOT / "fonts" / "NotoSerifSC-Regular.ttf"))
    fonts = TextFonts(face, face)
    style = HouseStyle(first_line_indent=0, orphan_min=0)
    # 民警/接力/护送/走失/男子/回家 at 8 em: not 民警接力护送走 / 失男子回家
    lines = balanced_lines("民警接力护送走失男子回家", fonts, style, 8)
    assert [l.text for l in lines] == ["民警接力护送", "走失男子回家"]
    # 全面推进乡村振兴战略 at 6 em: the balance never cuts 振兴 or 战略
    lines = balanced_lines("全面推进乡村振兴战略", fonts, style, 6)
    assert all(not l.text.endswith(("振", "战")) for l in lines), [l.text for l in lines]


def test_a_headline_keeps_a_number_with_its_unit_and_breaks_at_its_space():
    from pagesetter.compose.style import HouseStyle
    from pagesetter.page.headlines import balanced_lines
    from pagesetter.compose.segment import TextFonts
    from pagesetter.fonts.metrics import FaceRef, metrics_for
    face = metrics_for(FaceRef(ROOT / "fonts" / "NotoSansSC-Bold.ttf"))
    fonts = TextFonts(face, face)
    style = HouseStyle(first_line_indent=0, orphan_min=0)
    # jieba parts 56.78 from 亿元: it was 净流入56.78 / 亿元 at 7 em
    lines = balanced_lines("两市成交额放量 北向资金连续净流入56.78亿元", fonts, style, 7)
    assert [l.text for l in lines][-1] == "56.78亿元"
    # the space between the halves is where it breaks when the halves take no more lines:
    # it was OpenAI发布 / 新一代大模型 (with the space) / 参数规模达 / 1.8万亿 at 7 em
    lines = balanced_lines("OpenAI发布新一代大模型 参数规模达1.8万亿", fonts, style, 7)
    assert [l.text for l in lines] == ["OpenAI发布", "新一代大模型", "参数规模", "达1.8万亿"]


def test_a_vertical_headline_drops_the_comma_where_it_breaks():
    from pagesetter.compose.style import HouseStyle
    from pagesetter.compose.segment import TextFonts
    from pagesetter.fonts.metrics import FaceRef, metrics_for
    from pagesetter.page.headlines import balanced_lines
    path = ROOT / "fonts" / "NotoSerifSC-Regular.ttf"
    fonts = TextFonts(metrics_for(FaceRef(path, 0, ("vert",))), metrics_for(FaceRef(path)))
    style = HouseStyle(first_line_indent=0, orphan_min=0)
    lines = balanced_lines("围绕一主一特，打造智能制造城", fonts, style, 8, vertical=True)
    assert [l.text for l in lines] == ["围绕一主一特", "打造智能制造城"]
    # horizontal headlines keep it
    flat = balanced_lines("围绕一主一特，打造智能制造城", TextFonts(metrics_for(FaceRef(path)),
                                                                metrics_for(FaceRef(path))), style, 8)
    assert flat[0].text.endswith("，")


def test_subheads_are_balanced(tmp_path):
    body = "## 坚持党建引领推动乡村全面振兴发展\n\n正文一段。"
    page = page_with(tmp_path, body, measure="12字")
    subs = [p.line.text for p in page.lines if p.role == "subhead"]
    assert len(subs) == 2 and abs(len(subs[0]) - len(subs[1])) <= 2, subs


def _lone_lines(page):
    """(widows, orphans): a paragraph's last line opening a column, its first line ending one."""
    body = [p for p in page.lines if p.role == "body"]
    widows = orphans = 0
    for k, p in enumerate(body):
        same = [q for q in body if q.block == p.block]
        if len(same) < 2:
            continue
        prev = body[k - 1] if k else None
        nxt = body[k + 1] if k + 1 < len(body) else None
        if p is same[-1] and prev is not None and prev.block == p.block and prev.column != p.column:
            widows += 1
        if p is same[0] and nxt is not None and nxt.block == p.block and nxt.column != p.column:
            orphans += 1
    return widows, orphans


def test_no_paragraph_line_stands_alone_at_the_top_or_foot_of_a_column(tmp_path):
    seen = [0, 0]
    for n in range(10, 60, 3):
        body = "十" * 26 + "。\n\n" + "十" * n + "。\n\n" + "十" * 20 + "。"
        page = page_with(tmp_path, body, lines=10, columns=2)
        assert _lone_lines(page) == (0, 0), n
        assert page.stories[0].overset_chars == 0
        loose = page_with(tmp_path, body, lines=10, columns=2,
                          extra="style: {keep_first_lines: 1, keep_last_lines: 1}\n")
        widows, orphans = _lone_lines(loose)
        seen[0] += widows
        seen[1] += orphans
    assert seen[0] and seen[1], "the copy never puts a lone line at a column's top or foot"


def test_a_headline_word_wider_than_the_line_breaks_inside_itself_only(tmp_path):
    # 人工智能 is wider than 3.2 em: it may break, the other words still break between themselves
    # (the whole headline fell back to breaks between any characters: 产业规 / 模突破)
    from pagesetter.compose.style import HouseStyle
    from pagesetter.page.headlines import balanced_lines
    from pagesetter.compose.segment import TextFonts
    from pagesetter.fonts.metrics import FaceRef, metrics_for
    face = metrics_for(FaceRef(ROOT / "fonts" / "NotoSerifSC-Regular.ttf"))
    lines = [l.text for l in balanced_lines("长沙人工智能产业规模突破千亿元", TextFonts(face, face),
                                             HouseStyle(first_line_indent=0, orphan_min=0), 3.2)]
    assert "".join(lines) == "长沙人工智能产业规模突破千亿元"
    assert "产业" in lines and "规模" in lines and "突破" in lines and "千亿元" in lines, lines
