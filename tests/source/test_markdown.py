"""Markdown articles through markdown-it-py: inline faces, quotations, lists, tables, warnings."""

from pathlib import Path

import pytest

from pagesetter.errors import PagesetterError
from pagesetter.source.article import Paragraph, Subhead, Table, normalize_text, parse_article


def parse(body: str):
    return parse_article("---\ntitle: 标题\n---\n\n" + body, Path("x.md"))


def spans_text(p: Paragraph) -> list[tuple[str, str]]:
    return [(p.text[a:b], k) for a, b, k in p.spans]


def test_strong_emphasis_and_dots_become_spans_over_plain_text():
    a = parse("这是**加粗**和*强调*，还有[着重号]{.dots}。\n")
    p = a.blocks[0]
    assert p.text == "这是加粗和强调，还有着重号。"
    assert spans_text(p) == [("加粗", "strong"), ("强调", "emphasis"), ("着重号", "dots")]
    assert p.line == 5 and not a.warnings


def test_nested_spans_overlap():
    p = parse("***粗斜***与**粗[点]{.dots}**\n").blocks[0]
    assert p.text == "粗斜与粗点"
    assert ("粗斜", "strong") in spans_text(p) and ("粗斜", "emphasis") in spans_text(p)
    assert ("点", "dots") in spans_text(p) and ("粗点", "strong") in spans_text(p)


def test_topic_hashtag_is_text_not_a_heading():
    a = parse("#话题# 今天的新闻。\n")
    assert isinstance(a.blocks[0], Paragraph) and a.blocks[0].text == "#话题# 今天的新闻。"


def test_quotation_and_lists():
    a = parse("> 引用一\n> 引用二\n\n1. 第一\n2. 第二\n\n- 甲\n- 乙\n")
    assert [(b.role, b.text) for b in a.blocks] == [
        ("quote", "引用一引用二"), ("item", "1．第一"), ("item", "2．第二"), ("item", "●甲"), ("item", "●乙")]
    assert [b.line for b in a.blocks] == [5, 8, 9, 11, 12]


def test_ordered_list_keeps_its_start_number():
    a = parse("3. 三\n4. 四\n")
    assert [b.text for b in a.blocks] == ["3．三", "4．四"]


def test_subhead_lines_and_positions():
    a = parse("正文。\n\n## 第一行\n### 第二行\n\n## 另一个\n\n正文二。\n")
    assert isinstance(a.blocks[1], Subhead) and a.blocks[1].lines == ["第一行", "第二行"] and a.blocks[1].line == 7
    assert a.blocks[2].lines == ["另一个"]


def test_empty_heading_is_an_error_with_its_line():
    with pytest.raises(PagesetterError, match=r"x.md:7: a subhead needs text"):
        parse("正文。\n\n##\n")


def test_indented_copy_is_a_paragraph_not_code():
    a = parse("    缩进的段落。\n")
    assert a.blocks[0].text == "缩进的段落。" and not a.warnings


def test_table_is_kept_as_a_table_block_and_is_an_error_to_set():
    a = parse("表前。\n\n| 地区 | 数量 |\n|---|---|\n| 长沙 | 3 |\n")
    table = a.blocks[1]
    assert isinstance(table, Table) and table.rows == [["地区", "数量"], ["长沙", "3"]] and table.line == 7
    with pytest.raises(PagesetterError, match=r"x.md:7: tables are not set yet"):
        a.check_settable()


def test_unsupported_markup_warns_with_the_line_and_never_prints_raw():
    a = parse("见[网站](http://example.com)和`代码`。<b>粗</b>\n\n** 引语**后\n\n---\n\n![图](a.png)\n")
    text = "".join(b.text for b in a.blocks)
    assert "](" not in text and "`" not in text and "<b>" not in text
    assert "网站" in text and "代码" in text
    joined = "\n".join(a.warnings)
    assert "x.md:5: link to 'http://example.com'" in joined
    assert "x.md:5: `code`" in joined
    assert "x.md:5: HTML '<b>'" in joined
    assert "x.md:7: ** set as typed" in joined
    assert "x.md:9: a horizontal rule" in joined
    assert "x.md:11: a picture" in joined


def test_emphasis_beside_chinese_punctuation_is_emphasis():
    # plain CommonMark leaves these asterisks in the text: the closing * follows a mark (”) and
    # comes before a letter (改), so it cannot close
    a = parse("提出*“最多跑一次”*改革，他说**“引语”**后才走。\n")
    p = a.blocks[0]
    assert p.text == "提出“最多跑一次”改革，他说“引语”后才走。" and not a.warnings
    assert [(p.text[s:e], kind) for s, e, kind in p.spans] == [("“最多跑一次”", "emphasis"), ("“引语”", "strong")]


def test_markup_of_other_dialects_is_never_printed_silently():
    a = parse("==高亮==和[着重] {.dots}，注释[^1]。\n")
    joined = "\n".join(a.warnings)
    assert "== set as typed" in joined and "{. set as typed" in joined and "[^ set as typed" in joined


def test_wrapped_latin_lines_keep_a_space():
    assert parse("word one\nword two\n中文\n接着\n").blocks[0].text == "word one word two中文接着"


def test_straight_quotes_round_chinese_become_curly():
    assert normalize_text('他说:"你好。"')[0] == "他说：“你好。”"
    assert normalize_text("所谓'双减'政策")[0] == "所谓‘双减’政策"
    assert normalize_text('He said "hi" and it\'s fine')[0] == 'He said "hi" and it\'s fine'
    assert normalize_text("it's 中文")[0] == "it's 中文"


def test_half_width_commas_after_digits_and_brackets():
    assert normalize_text("共3,其中2人")[0] == "共3，其中2人"
    assert normalize_text("(PPT),他说")[0] == "(PPT)，他说"
    assert normalize_text("1,200人")[0] == "1,200人"
    new, changes = normalize_text('他说:"共3,其中"')
    assert new == "他说：“共3，其中”" and [c[0] for c in changes] == [2, 3, 6, 9]


def test_a_line_shaped_like_a_link_definition_is_copy_not_lost():
    a = parse("[编者按]: 本文仅代表作者个人观点。\n\n正文。\n\n[注]:本文数据来自市统计局。\n\n见注[^1]。\n\n[^1]: 注脚的内容。\n")
    assert [b.text for b in a.blocks] == ["[编者按]: 本文仅代表作者个人观点。", "正文。", "[注]:本文数据来自市统计局。",
                                          "见注[^1]。", "[^1]: 注脚的内容。"]
    assert sum("footnotes are not set" in w for w in a.warnings) == 2


def test_the_text_of_an_html_block_is_set_as_paragraphs_and_comments_are_named():
    a = parse("<div>\n网页编辑器导出的正文，\n折行接着写。\n<p>第二段。</p></div>\n\n<!-- 编辑备注：删掉 -->\n\n尾段。\n")
    assert [b.text for b in a.blocks] == ["网页编辑器导出的正文，折行接着写。", "第二段。", "尾段。"]
    joined = "\n".join(a.warnings)
    assert "x.md:5: HTML tags are not set: the text inside is set as 2 paragraphs" in joined
    assert "x.md:10: an HTML comment is not set: '<!-- 编辑备注：删掉 -->'" in joined


def test_line_separators_join_like_wrapped_lines_and_reference_links_warn(tmp_path):
    from pagesetter.source.article import load_article
    (tmp_path / "s.md").write_text("---\ntitle: t\n---\n\n第一行\u2028第二行English\u2028words。\n", encoding="utf-8")
    assert [b.text for b in load_article(tmp_path / "s.md").blocks] == ["第一行第二行English words。"]
    a = parse("见[链接][nope]。\n")
    assert a.blocks[0].text == "见[链接][nope]。"
    assert any("reference-style links are set as typed" in w for w in a.warnings)


def test_markdown_in_the_front_matter_is_set_as_typed_with_a_warning():
    a = parse_article("---\ntitle: \"*强调*标题\"\nkicker: 见[链接](http://x)\nsubtitle: 普通 * 号\n---\n\n正文。\n",
                      Path("x.md"))
    assert a.title == "*强调*标题"
    assert a.warnings == ["x.md:2: title: Markdown is not read in the front matter: set as typed",
                          "x.md:3: kicker: Markdown is not read in the front matter: set as typed"]


def test_task_list_boxes_are_set_as_typed_with_a_warning():
    a = parse("- [ ] 待办事项\n- [x] 已办事项\n")
    assert [b.text for b in a.blocks] == ["●[ ] 待办事项", "●[x] 已办事项"]
    assert sum("task-list boxes are set as typed" in w for w in a.warnings) == 2
