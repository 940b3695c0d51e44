"""Galley proofs: every story's headline, body and byline in plain columns, under a slug line."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pagesetter.app.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_galley_sets_long_copy_on_as_many_pages_as_needed(tmp_path):
    out = tmp_path / "g.pdf"
    article = ROOT / "articles" / "01-louxing-feature.md"
    result = CliRunner().invoke(main, ["galley", str(article), "-o", str(out), "--repeat", "3"])
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert len(reader.pages) >= 2
    text = "".join("".join(p.extract_text().split()) for p in reader.pages)
    assert text.count("言犹在耳") == 3


def test_galley_sets_titles_bylines_and_a_slug_line_per_story(tmp_path):
    out = tmp_path / "g.pdf"
    miluo, xintian = ROOT / "articles" / "10-miluo.md", ROOT / "articles" / "05-xintian.md"
    result = CliRunner().invoke(main, ["galley", str(miluo), str(xintian), "-o", str(out), "--margin", "15mm 20mm",
                                       "--lines", "40", "--font", "黑体", "--page", "A4", "--columns", "2"])
    assert result.exit_code == 0, result.output
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(out).pages)
    from pagesetter.source.article import load_article
    for path in (miluo, xintian):
        article = load_article(path)
        squashed = "".join(article.all_text().split())
        assert "".join(article.title.split()) in text and "".join(article.byline.split()) in text
        slug = re.search(rf"\d\d{path.stem}(\d+)行(\d+)字", text)
        assert slug, text[:200]
        assert int(slug.group(2)) == len(squashed)
    assert text.index("10-miluo") < text.index("05-xintian")


def test_galley_uses_the_glyph_fallback_and_marks_missing_characters(tmp_path):
    article = tmp_path / "a.md"
    article.write_text("---\ntitle: 标题\n---\n\n当地特色面食𰻝𰻝面深受欢迎。\n\n表情😀。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["galley", str(article), "-o", str(tmp_path / "g.pdf")])
    assert result.exit_code == 2
    assert re.search(r"a.md:7: .*'😀' \(U\+1F600\).*paragraph 2", result.output), result.output
    result = CliRunner().invoke(main, ["galley", str(article), "-o", str(tmp_path / "g.pdf"), "--allow-missing-glyphs"])
    assert result.exit_code == 0, result.output
    assert "'😀' (U+1F600) in no font: shown as 〓" in result.output
    text = "".join(PdfReader(tmp_path / "g.pdf").pages[0].extract_text().split())
    assert "面食𰻝𰻝面" in text and "表情〓。" in text


@pytest.mark.parametrize("args,message", [
    (["--size", "0pt"], "--size"),
    (["--margin", "1mm 2mm 3mm 4mm 5mm"], "--margin"),
    (["--columns", "9"], "wider than the page"),
    (["--lines", "900"], "do not fit the page"),
])
def test_galley_refuses_impossible_geometry_in_one_line(tmp_path, args, message):
    result = CliRunner().invoke(main, ["galley", str(ROOT / "articles" / "10-miluo.md"), "-o", str(tmp_path / "g.pdf"),
                                       *args])
    assert result.exit_code == 2, result.output
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_galley_headlines_break_between_words_as_on_the_page(tmp_path):
    """A galley title is balanced and broken only between words (jieba), as the page sets it."""
    from pagesetter.compose.style import HouseStyle
    from pagesetter.fonts.faces import text_fonts
    from pagesetter.fonts.registry import FontRegistry
    from pagesetter.page.galley import GALLEY_SIZES
    from pagesetter.page.headlines import balanced_lines

    article = tmp_path / "a.md"
    title = "测试：数字、Latin 与“引号”混排"
    article.write_text(f"---\ntitle: {title}\n---\n\n正文一段，用来占位。\n", encoding="utf-8")
    out = tmp_path / "g.pdf"
    result = CliRunner().invoke(main, ["galley", str(article), "-o", str(out), "--page", "A4", "--columns", "1",
                                       "--measure", "22em", "--size", "10pt", "--leading", "15pt"])
    assert result.exit_code == 0, result.output
    lines = [l.strip() for l in PdfReader(out).pages[0].extract_text().splitlines()]
    expected = [l.text.strip() for l in balanced_lines(
        title, text_fonts(FontRegistry.default().resolve("headline"), HouseStyle()), HouseStyle(),
        22 / GALLEY_SIZES["headline"])]
    assert len(expected) == 2 and not any(l.endswith("引") for l in expected)
    assert all(any(e.replace(" ", "") == l.replace(" ", "") for l in lines) for e in expected), (expected, lines)


def test_galley_bylines_break_between_names_as_on_the_page(tmp_path):
    """A byline longer than the measure breaks only between names: it was （秦建华 曾冠兰 严天 / 笑 朱思琪）."""
    article = tmp_path / "a.md"
    article.write_text("---\ntitle: 测试\nbyline: （记者 刘晓燕 见习记者 王芳 通讯员 周建国 李明华）\n---\n\n"
                       "正文一段，用来测试署名的换行。\n", encoding="utf-8")
    out = tmp_path / "g.pdf"
    result = CliRunner().invoke(main, ["galley", str(article), "-o", str(out), "--page", "A4", "--columns", "2",
                                       "--measure", "11em"])
    assert result.exit_code == 0, result.output
    text = PdfReader(out).pages[0].extract_text()
    lines = [l.strip() for l in text.splitlines()]
    start = next(k for k, l in enumerate(lines) if l.startswith("（记者"))
    byline = lines[start:next(k for k in range(start, len(lines)) if "）" in lines[k]) + 1]
    assert "".join(byline).replace(" ", "") == "（记者刘晓燕见习记者王芳通讯员周建国李明华）"
    names = ("记者", "刘晓燕", "见习记者", "王芳", "通讯员", "周建国", "李明华")
    for line in byline:  # every line is whole names, and a role never ends one
        assert all(part.strip("（）") in names for part in line.split()), byline
        assert line.split()[-1].strip("（）") not in ("记者", "见习记者", "通讯员"), byline


def test_galley_reads_gbk_copy_with_encoding(tmp_path):
    article = tmp_path / "g.txt"
    article.write_bytes("第一段正文，用国标码保存。\n第二段。\n".encode("gbk"))
    out = tmp_path / "g.pdf"
    refused = CliRunner().invoke(main, ["galley", str(article), "-o", str(out)])
    assert refused.exit_code == 2 and "not valid UTF-8" in refused.output
    result = CliRunner().invoke(main, ["galley", str(article), "-o", str(out), "--encoding", "gbk"])
    assert result.exit_code == 0, result.output
    assert "第一段正文，用国标码保存。" in "".join(PdfReader(out).pages[0].extract_text().split())
