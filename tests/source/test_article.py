from pathlib import Path

import pytest

from pagesetter.source.article import Paragraph, Subhead, load_article, parse_article
from pagesetter.errors import PagesetterError

ROOT = Path(__file__).resolve().parents[2]


def test_seed_feature_structure():
    a = load_article(ROOT / "articles" / "01-louxing-feature.md")
    assert a.title == "打造“红色引擎”共筑振兴之路"
    assert a.subtitle.startswith("——娄底市")
    assert a.byline is None
    subheads = [b for b in a.blocks if isinstance(b, Subhead)]
    assert len(subheads) == 3
    assert subheads[0].lines == ["“党建红”勾勒“乡村美”", "——筑牢基层党组织的战斗堡垒"]
    assert len(a.paragraphs) == 26


def test_null_title_and_byline():
    a = load_article(ROOT / "articles" / "06-loudi-trading-center.md")
    assert a.title is None
    assert a.byline == "（秦建华 曾冠兰 严天笑 朱思琪）"
    assert len(a.paragraphs) == 9


def test_all_seed_articles_parse_with_54_paragraphs():
    total = sum(len(load_article(p).paragraphs) for p in sorted((ROOT / "articles").glob("*.md")))
    assert total == 54


def test_articles_are_the_seed_files_unchanged():
    seed = ROOT.parent / "shared" / "seed-articles"
    if not seed.is_dir():
        pytest.skip("shared/seed-articles is not beside this checkout")
    for p in sorted((ROOT / "articles").glob("*.md")):
        assert p.read_bytes() == (seed / p.name).read_bytes(), p.name


def test_wrapped_lines_join_without_spaces_between_chinese():
    a = parse_article("第一行\n第二行\n\nword one\nword two\n", Path("x.md"))
    assert [b.text for b in a.blocks] == ["第一行第二行", "word one word two"]


def test_subhead_second_line_joins_first():
    a = parse_article("## 数字赋能\n### 打造高效透明平台\n\n正文。\n", Path("x.md"))
    assert isinstance(a.blocks[0], Subhead) and a.blocks[0].lines == ["数字赋能", "打造高效透明平台"]
    assert isinstance(a.blocks[1], Paragraph)


def test_unclosed_front_matter_is_an_error():
    with pytest.raises(PagesetterError, match="never closed"):
        parse_article("---\ntitle: x\n\ntext\n", Path("x.md"))


def test_front_matter_typo_is_named_with_a_suggestion():
    with pytest.raises(PagesetterError) as err:
        parse_article("---\ntitle: 标题\nbylne: 作者\n---\n\n正文\n", Path("x.md"))
    msg = str(err.value)
    assert "x.md:3" in msg and "bylne" in msg and "byline" in msg


def test_invalid_utf8_names_the_line(tmp_path):
    p = tmp_path / "bad.md"
    p.write_bytes("---\ntitle: x\n---\n\n".encode() + b"\xff\xfe bad\n")
    with pytest.raises(PagesetterError, match=r"bad.md:5.*UTF-8"):
        load_article(p)


def test_parsed_articles_are_kept_by_content_and_read_back_identical(tmp_path, monkeypatch):
    """A cold render reads unchanged copy from the cache folder; an edit, or a damaged entry,
    parses the text again."""
    import pagesetter.source.article as article_module
    monkeypatch.setenv("PAGESETTER_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: 标题\n---\n\n第一段**重点**文字。\n\n## 小标题\n\n- 一\n- 二\n", encoding="utf-8")
    parsed = []
    real = article_module.parse_article
    monkeypatch.setattr(article_module, "parse_article", lambda t, p: parsed.append(t) or real(t, p))
    first = article_module._read_article(path, None)
    again = article_module._read_article(path, None)
    assert len(parsed) == 1 and again == first and again.blocks and again.title == "标题"
    (entry,) = (tmp_path / "cache").glob("article-*.pickle")
    entry.write_bytes(b"damaged")
    assert article_module._read_article(path, None) == first and len(parsed) == 2
    path.write_text(path.read_text(encoding="utf-8").replace("第一段", "第1段"), encoding="utf-8")
    edited = article_module._read_article(path, None)
    assert len(parsed) == 3 and edited.paragraphs[0].text.startswith("第1段")


def test_an_edited_article_keeps_only_its_latest_text_cached(tmp_path):
    import os

    from pagesetter.source import article as module

    path = tmp_path / "a.md"
    for n, text in enumerate(("第一稿。", "第二稿，长一些。", "第三稿。")):
        path.write_text(text + "\n", encoding="utf-8")
        os.utime(path, ns=(n * 10**9, n * 10**9))
        assert load_article(path).blocks[0].text == text
    assert [k for k in module._ARTICLES if k[0] == str(path)] == [(str(path), path.stat().st_size, 2 * 10**9, None)]


def test_plain_text_indented_lines_start_paragraphs_even_inside_a_block(tmp_path):
    from pagesetter.source.article import load_article
    (tmp_path / "i.txt").write_text("　　第一段甲乙。\n　　第二段丙丁。\n\n第三段\n接着写完。\n", encoding="utf-8")
    assert [b.text for b in load_article(tmp_path / "i.txt").blocks] == ["第一段甲乙。", "第二段丙丁。", "第三段接着写完。"]


def test_plain_text_byline_is_names_only_not_a_sentence_starting_with_the_reporter(tmp_path):
    from pagesetter.source.article import load_article
    (tmp_path / "b.txt").write_text("第一段。\n本报记者日前从市教育局获悉，全市中小学推迟开学。\n本报记者 张三 李四\n", encoding="utf-8")
    a = load_article(tmp_path / "b.txt")
    assert [b.text for b in a.blocks] == ["第一段。", "本报记者日前从市教育局获悉，全市中小学推迟开学。"]
    assert a.byline == "本报记者 张三 李四"


@pytest.mark.parametrize("name, what", [("a.rtf", "an RTF file"), ("a.doc", "a Word 97–2003 .doc file"),
                                        ("a.html", "an HTML page")])
def test_copy_in_a_format_not_read_is_a_one_line_error_not_typeset_markup(tmp_path, name, what):
    from pagesetter.source.article import load_article
    (tmp_path / name).write_text("{\\rtf1 <p>正文</p>}", encoding="utf-8")
    with pytest.raises(PagesetterError) as caught:
        load_article(tmp_path / name)
    assert str(caught.value) == f"{tmp_path / name}: {what} is not read: save the copy as .docx, .md or .txt"


def test_a_byte_order_mark_says_utf8_whatever_the_layouts_encoding(tmp_path):
    from pagesetter.source.article import load_article
    (tmp_path / "b.md").write_bytes("\ufeff---\ntitle: 标题\n---\n\n正文。\n".encode("utf-8"))
    assert load_article(tmp_path / "b.md", "gb18030").blocks[0].text == "正文。"


@pytest.mark.parametrize("text, paragraphs", [
    ("  Hello world\n  this is wrapped\n  copy.\n", ["Hello world this is wrapped copy."]),
    ("　　今天上午，市里召开\n　　了大会，会议强调\n　　要抓好落实。\n", ["今天上午，市里召开了大会，会议强调要抓好落实。"]),
])
def test_copy_indented_throughout_is_still_wrapped_copy(tmp_path, text, paragraphs):
    from pagesetter.source.article import load_article
    (tmp_path / "w.txt").write_text(text, encoding="utf-8")
    assert [b.text for b in load_article(tmp_path / "w.txt").blocks] == paragraphs


@pytest.mark.parametrize("byline", ["本报记者 张三，通讯员 李四", "【本报记者 张三，李四】", "本报记者 张三；实习生 李四",
                                    "（本报记者 欧阳晓明 司马相如 通讯员 迈克尔·乔丹）"])
def test_bylines_with_commas_and_many_names_are_bylines(tmp_path, byline):
    from pagesetter.source.article import load_article
    (tmp_path / "b.txt").write_text(f"第一段正文。\n\n{byline}\n", encoding="utf-8")
    assert load_article(tmp_path / "b.txt").byline == byline


def test_an_unindented_line_before_indented_ones_stays_in_its_own_block(tmp_path):
    from pagesetter.source.article import load_article
    (tmp_path / "m.txt").write_text("第一段。\n\n第二段开头\n　　第三段。\n　　第四段。\n", encoding="utf-8")
    assert [b.text for b in load_article(tmp_path / "m.txt").blocks] == ["第一段。", "第二段开头", "第三段。", "第四段。"]
