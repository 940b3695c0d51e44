"""Copy as newsrooms send it, rendered: Markdown with inline faces, Word files, plain text."""

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from pagesetter.app.pipeline import compose_layout, render_layout
from pagesetter.errors import PagesetterError

LAYOUT = """\
name: copy
title: 测试版
page: {{size: A4, margins: 20mm}}
grid: {{columns: 2, gutter: 1字, body: {{font: 书宋, size: 10pt, leading: 15pt}}}}
{extra}
frames:
  main: {{x: 0字, measure: 20字, columns: 2, line: 1, lines: 40}}
stories:
  - article: {article}
    frames: [main]
    headline: {headline}
"""

MARKDOWN = """\
---
title: 格式测试
---

正文开头**加粗字样**接着*强调词语*再有[着重标记]{.dots}结束。

> 引用的话语在这里。

1. 第一条目
2. 第二条目
"""


def layout(folder: Path, article: str, headline: str = "{size: 18pt}", extra: str = "") -> Path:
    path = folder / "copy.yaml"
    path.write_text(LAYOUT.format(article=article, headline=headline, extra=extra), encoding="utf-8")
    return path


def faces_of(pdf: Path) -> dict[str, set[str]]:
    """Character → the base font names it is drawn in."""
    found: dict[str, set[str]] = {}

    def visit(text, cm, tm, font, size):
        if font is None:
            return
        name = str(font.get("/BaseFont", ""))
        for ch in text:
            found.setdefault(ch, set()).add(name)
    PdfReader(pdf).pages[0].extract_text(visitor_text=visit)
    return found


def only(found: dict[str, set[str]], text: str) -> set[str]:
    faces = set()
    for ch in text:
        faces |= found.get(ch, {"<missing>"})
    return faces


def test_inline_faces_quotation_list_and_dots_in_the_pdf(tmp_path):
    (tmp_path / "a.md").write_text(MARKDOWN, encoding="utf-8")
    out = tmp_path / "out.pdf"
    result = render_layout(layout(tmp_path, "a.md"), out)
    found = faces_of(out)
    assert all("NotoSansSC-Regular" in f for f in only(found, "加粗字样")), only(found, "加粗字样")
    assert all("LXGWWenKai" in f for f in only(found, "强调词语")), only(found, "强调词语")
    assert all("LXGWWenKai" in f for f in only(found, "引用话语这里")), only(found, "引用话语这里")
    assert all("NotoSerifSC-Regular" in f for f in only(found, "正文开头接着再有结束第一二条目着重标记")), \
        only(found, "正文开头接着再有结束第一二条目着重标记")
    text = re.sub(r"\s", "", PdfReader(out).pages[0].extract_text())
    assert "1．第一条目" in text.replace(".", "．") and "**" not in text and ">" not in text
    # one dot under each of 着重文字, nothing else dotted
    page = result.pages[0]
    dotted = [g.char for p in page.lines for g in p.line.glyphs if getattr(g.font, "dots", False)]
    assert dotted == list("着重标记")
    content = PdfReader(out).pages[0].get_contents().get_data().decode("latin-1")
    assert content.count("f*\nn") >= 4
    # the quotation is indented two characters from the column edge
    body = [p for p in page.lines if p.role == "body"]
    quote = next(p for p in body if p.line.text.startswith("引用"))
    first = next(p for p in body if p.line.text.startswith("正文"))
    assert quote.x == pytest.approx(first.x + 2 * 10)
    assert quote.measure == pytest.approx(first.measure - 2 * 10)


def test_a_table_is_a_clear_error(tmp_path):
    (tmp_path / "t.md").write_text("---\ntitle: 表\n---\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    with pytest.raises(PagesetterError, match=r"t.md:5: tables are not set yet"):
        compose_layout(layout(tmp_path, "t.md"))


def test_markup_warnings_reach_the_page(tmp_path):
    (tmp_path / "w.md").write_text("---\ntitle: 警告\n---\n\n见[网站](http://x.cn)。\n", encoding="utf-8")
    page = compose_layout(layout(tmp_path, "w.md"))[0]
    assert any("w.md:5: link to 'http://x.cn'" in w for w in page.warnings)


def _all_set(page, text: str) -> None:
    drawn = "".join(p.line.text for p in page.lines)
    for ch in re.sub(r"\s", "", text):
        assert ch in drawn, ch
    assert not page.overset


def test_plain_text_one_paragraph_per_line_in_gb18030(tmp_path):
    text = "政府工作报告提出，今年要做好八项工作。\n会议强调，要坚持稳中求进。\n（本报记者 张三）\n"
    (tmp_path / "s.txt").write_bytes(text.encode("gb18030"))
    lay = layout(tmp_path, "s.txt", headline="{title: 稳中求进, size: 18pt}", extra="encoding: gb18030")
    page = compose_layout(lay)[0]
    story = page.layout.stories[0].article
    assert [b.text for b in story.blocks] == ["政府工作报告提出，今年要做好八项工作。", "会议强调，要坚持稳中求进。"]
    assert story.byline == "（本报记者 张三）"
    _all_set(page, text)
    render_layout(lay, tmp_path / "s.pdf")


def test_plain_text_blank_line_separated_paragraphs_join_wrapped_lines(tmp_path):
    (tmp_path / "w.txt").write_text("第一段的前半\n和后半。\n\n第二段\n也折行了。\n", encoding="utf-8")
    from pagesetter.source.article import load_article
    assert [b.text for b in load_article(tmp_path / "w.txt").blocks] == ["第一段的前半和后半。", "第二段也折行了。"]


def make_docx(path: Path) -> str:
    docx = pytest.importorskip("docx")
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.add_paragraph("乡村振兴", style="Title")
    d.add_paragraph("——记某县的变化", style="Subtitle")
    p = d.add_paragraph("全县今年新建道路")
    p.add_run("一百公里").bold = True
    p.add_run("，")
    p.add_run("群众满意").italic = True
    run = p.add_run("着重处")
    em = OxmlElement("w:em")
    em.set(qn("w:val"), "dot")
    run._element.get_or_add_rPr().append(em)
    p.add_run("。")
    d.add_heading("产业兴旺", level=2)
    d.add_paragraph("合作社带动农户增收。")
    d.add_paragraph("（记者 李四）")
    d.save(path)
    return "全县今年新建道路一百公里，群众满意着重处。产业兴旺合作社带动农户增收。（记者李四）乡村振兴记某县的变化"


def test_word_file_renders_every_character_with_its_faces(tmp_path):
    from pagesetter.source.article import Subhead, load_article

    expected = make_docx(tmp_path / "w.docx")
    a = load_article(tmp_path / "w.docx")
    assert (a.title, a.subtitle, a.byline) == ("乡村振兴", "——记某县的变化", "（记者 李四）")
    assert isinstance(a.blocks[1], Subhead) and a.blocks[1].lines == ["产业兴旺"]
    p = a.blocks[0]
    assert [(p.text[s:e], k) for s, e, k in p.spans] == [("一百公里", "strong"), ("群众满意", "emphasis"),
                                                           ("着重处", "dots")]
    out = tmp_path / "w.pdf"
    result = render_layout(layout(tmp_path, "w.docx"), out)
    _all_set(result.pages[0], expected)
    found = faces_of(out)
    assert all("NotoSansSC-Regular" in f for f in only(found, "一百公里")), only(found, "一百公里")


def test_damaged_word_file_is_a_clear_error(tmp_path):
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    from pagesetter.source.article import load_article
    with pytest.raises(PagesetterError, match=r"bad.docx: not a readable Word"):
        load_article(tmp_path / "bad.docx")
