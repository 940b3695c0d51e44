"""Bad input never crashes and never loses text: every mistake is one clear line."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pagesetter.source.article import load_article, normalize_text
from pagesetter.app.cli import main
from pagesetter.errors import PagesetterError
from pagesetter.layout.loader import load_layout
from tests.helpers import demo_layout_text, write_demo_layout

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "articles" / "10-miluo.md"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def article_with(tmp_path, body: str, front: str = "title: 标题\n", name="a.md", encoding="utf-8", bom=False):
    path = tmp_path / name
    data = f"---\n{front}---\n\n{body}\n".encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def layout_for(tmp_path, article: Path, **extra):
    return write_demo_layout(tmp_path, **{str(ARTICLE): str(article), **extra})


# --- encodings -------------------------------------------------------------

def test_utf8_with_bom(tmp_path):
    a = load_article(article_with(tmp_path, "正文。", bom=True))
    assert a.title == "标题" and a.paragraphs[0].text == "正文。"


def test_gb18030_declared_in_front_matter(tmp_path):
    path = article_with(tmp_path, "新闻系统导出的正文，含“引号”。", front="encoding: gb18030\ntitle: 标题\n",
                        encoding="gb18030")
    assert load_article(path).paragraphs[0].text == "新闻系统导出的正文，含“引号”。"


def test_gbk_declared_in_the_layout(tmp_path):
    path = article_with(tmp_path, "汨罗市信访工作。", encoding="gbk")
    with pytest.raises(PagesetterError, match=r"a.md:2: .*not valid UTF-8.*encoding"):
        load_article(path)
    layout = write_demo_layout(tmp_path, **{f"article: {ARTICLE}": f"article: {path}\n    encoding: gbk"})
    story = next(s for s in load_layout(layout).stories if s.article.path == path)
    assert story.article.paragraphs[0].text == "汨罗市信访工作。"


def test_invalid_bytes_name_article_and_line(tmp_path):
    path = tmp_path / "bad.md"
    path.write_bytes("---\nencoding: gb18030\n---\n\n第一段。\n\n".encode("gb18030") + b"\x81\x20\x81\n")
    with pytest.raises(PagesetterError, match=r"bad.md:7: .*not valid gb18030"):
        load_article(path)


# --- punctuation normalisation ----------------------------------------------

def test_normalisation_is_off_by_default_and_reports_each_change(tmp_path):
    layout = load_layout(ROOT / "layouts" / "page3.yaml")
    xiangxiang = next(s for s in layout.stories if s.id == "09-xiangxiang")
    assert xiangxiang.article.kicker == "湘乡市档案馆:"  # the source's half-width colon, kept
    layout = write_demo_layout(tmp_path, **{"date: 2021-12-03": "date: 2021-12-03\nnormalize_punctuation: true"})
    result = run("render", layout, "-o", tmp_path / "n.pdf")
    assert result.exit_code == 0, result.output
    notes = [l for l in result.output.splitlines() if l.startswith("note:")]
    assert any("09-xiangxiang.md: kicker: ':' → '：'" in n for n in notes)
    assert any("03-shuangpai.md: byline: ')' → '）'" in n for n in notes)
    assert any("'!' → '！'" in n for n in notes) and any("'(' → '（'" in n for n in notes)


def test_normalisation_leaves_numbers_and_latin_alone():
    assert normalize_text("1,200元，3:30开始，PPT(x)")[1] == []
    assert normalize_text("党委(党组)会")[0] == "党委（党组）会"


# --- missing glyphs -------------------------------------------------------

def test_fallback_font_for_a_character_the_body_face_lacks(tmp_path):
    layout = layout_for(tmp_path, article_with(tmp_path, "当地特色面食𰻝𰻝面深受欢迎。"))
    from pagesetter.page.flow import compose_page
    page = compose_page(load_layout(layout))
    glyphs = [g for p in page.lines for g in p.line.glyphs if g.char == "𰻝"]
    assert len(glyphs) == 2 and all(g.font.ref.path.name == "NotoSansSC-Regular.ttf" for g in glyphs)


def test_character_in_no_font_is_an_error_or_a_visible_marker(tmp_path):
    layout = layout_for(tmp_path, article_with(tmp_path, "第一段。\n\n第二段有一个表情😀。"))
    result = run("render", layout, "-o", tmp_path / "e.pdf")
    assert result.exit_code == 2
    assert re.search(r"a.md:7: .*'😀' \(U\+1F600\).*paragraph 2", result.output)
    result = run("render", layout, "-o", tmp_path / "e.pdf", "--allow-missing-glyphs")
    assert result.exit_code == 0, result.output
    assert re.search(r"warning: .*'😀' \(U\+1F600\) in no font: shown as 〓", result.output)
    from pypdf import PdfReader
    assert "表情〓。" in re.sub(r"\s", "", PdfReader(tmp_path / "e.pdf").pages[0].extract_text())


# --- limits -----------------------------------------------------------------

def test_yaml_alias_bomb(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb + "page: {size: A4}\n", encoding="utf-8")
    result = run("render", path, "-o", tmp_path / "b.pdf")
    assert result.exit_code == 2 and "alias" in result.output


@pytest.mark.parametrize("old, new, message", [
    ("lines: 45}", "lines: 99999999999999999999}", "must be at most"),
    ("size: 对开", "size: 200000mm x 3mm", "larger than any page"),
    ("leading: 13pt", "leading: 1e9pt", "expected a length"),
    ("columns: 8", "columns: -3", "at least 1"),
])
def test_absurd_numbers(tmp_path, old, new, message):
    result = run("render", write_demo_layout(tmp_path, **{old: new}), "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_huge_article_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.md"
    path.write_text("---\ntitle: x\n---\n\n" + "字" * 1_200_000 + "\n", encoding="utf-8")
    result = run("render", layout_for(tmp_path, path), "-o", tmp_path / "h.pdf")
    assert result.exit_code == 2 and "limit is 2 MB" in result.output


def test_corrupt_font_file(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "broken.ttf").write_bytes(b"\x00\x01\x00\x00" + b"\xff" * 200)
    result = run("render", ROOT / "layouts" / "page3.yaml", "-o", tmp_path / "f.pdf", "--font-dir", fonts)
    assert result.exit_code == 2 and "broken.ttf" in result.output and "cannot read font" in result.output


def test_internal_errors_are_one_line_too(tmp_path, monkeypatch):
    import pagesetter.app.pipeline
    monkeypatch.setattr(pagesetter.app.pipeline, "compose_page", lambda *args: 1 / 0)
    result = run("render", ROOT / "layouts" / "page3.yaml", "-o", tmp_path / "i.pdf")
    assert result.exit_code == 70
    assert result.output.count("\n") == 1 and "internal error (ZeroDivisionError" in result.output


def test_no_traceback_from_the_real_command(tmp_path):
    layout = write_demo_layout(tmp_path, **{"frames: [feature]": "frames: [featur]"})
    proc = subprocess.run([sys.executable, "-m", "pagesetter", "render", str(layout), "-o", str(tmp_path / "x.pdf")],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "did you mean 'feature'?" in proc.stderr


# --- the schema agrees with the loader ----------------------------------------

class _NoDates(yaml.SafeLoader):
    pass


_NoDates.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))

SCHEMA_CASES = [
    ({}, True),
    ({"columns: 8": "colums: 8"}, False),
    ({"columns: 8": "columns: eight"}, False),
    ({"gutter: 1字": "gutter: 1 furlong"}, False),
    ({"gutter: 1字": "gutter: 12"}, False),
    ({"size: 小五": "size: 小五五"}, False),
    ({"size: 对开": "size: 八开"}, False),
    ({"date: 2021-12-03": "date: 2021-12-03\nparagraph_styles: {body: {prohibition: strickt}}"}, False),
    ({"date: 2021-12-03": "date: 2021-12-03\nparagraph_styles: {headline: {prohibition: strict}}"}, True),
    ({"{x: 0字,    measure: 17.8字, columns: 5, line: 1, lines: 45}":
      "{x: 0字,    measure: 17.8字, columns: 5, line: 1, lines: 45, colour: red}"}, False),
    ({"headline: {size: 36pt, align: center": "headline: {size: 36pt, align: middle"}, False),
    ({"headline: {size: 36pt, align: center": "headline: {size: 36pt, align: right"}, True),
    ({"tint: [0, 0, 0, 6]": "tint: [0, 0, 0]"}, False),
    ({"border: {weight: 0.75pt, style: double}": "border: {weight: 0.75pt, style: dotted}"}, False),
    ({"caption: 数据来源：本版报道": "caption: 数据来源：本版报道\n    fit: squash"}, False),
    ({"date: 2021-12-03": "date: 2021-12-03\nprint: {bleed: 5mm, marks: false}"}, True),
    ({"date: 2021-12-03": "date: 2021-12-03\nprint: {bleed: 5}"}, False),
    ({"measure: 18.3字, line: 47": "measure: -18.3字, line: 47"}, False),
    ({"measure: 18.3字, line: 47": "measure: 0字, line: 47"}, False),
    ({"measure: 18.3字, line: 47": "measure: 18.3字 , line: 47"}, True),
]


@pytest.mark.parametrize("changes, valid", SCHEMA_CASES)
def test_schema_and_loader_agree(tmp_path, changes, valid):
    import jsonschema

    from pagesetter.layout.schema import LAYOUT_SCHEMA
    text = demo_layout_text(**changes)
    data = yaml.load(text, Loader=_NoDates)  # noqa: S506
    schema_ok = not list(jsonschema.Draft202012Validator(LAYOUT_SCHEMA).iter_errors(data))
    path = tmp_path / "page.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_layout(path)
        loader_ok = True
    except PagesetterError:
        loader_ok = False
    assert schema_ok == loader_ok == valid


def test_schema_command_prints_json():
    result = run("schema")
    assert result.exit_code == 0 and json.loads(result.output)["title"] == "pagesetter page layout"


# --- fuzzing: random damage to the layout and an article ----------------------

LAYOUT = demo_layout_text()
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                           HealthCheck.function_scoped_fixture])


def _mutate(text: str, data) -> str:
    for _ in range(data.draw(st.integers(1, 3))):
        kind = data.draw(st.sampled_from(["delete", "insert", "replace", "swap-lines", "drop-line"]))
        i = data.draw(st.integers(0, max(0, len(text) - 1)))
        if kind == "delete":
            text = text[:i] + text[i + data.draw(st.integers(1, 8)):]
        elif kind == "insert":
            text = text[:i] + data.draw(st.sampled_from(["-", ":", "{", "]", "*x", "&y", " ", "\n", "0", "字", "𰻝",
                                                         "😀", "\t", "'", "!!binary", "1e999"])) + text[i:]
        elif kind == "replace":
            text = text[:i] + data.draw(st.characters(blacklist_categories=("Cs",))) + text[i + 1:]
        else:
            lines = text.split("\n")
            a, b = data.draw(st.integers(0, len(lines) - 1)), data.draw(st.integers(0, len(lines) - 1))
            if kind == "swap-lines":
                lines[a], lines[b] = lines[b], lines[a]
            else:
                del lines[a]
            text = "\n".join(lines)
    return text


@SETTINGS
@given(st.data())
def test_fuzzed_layouts_render_or_fail_clearly(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("fuzz")
    out = tmp / "out.pdf"
    out.write_bytes(b"earlier good output")
    (tmp / "page.yaml").write_text(_mutate(LAYOUT, data), encoding="utf-8")
    result = run("render", tmp / "page.yaml", "-o", out)
    assert result.exit_code in (0, 2, 3), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert out.read_bytes().startswith(b"%PDF")
    else:
        assert out.read_bytes() == b"earlier good output"
        assert result.output.startswith(("error:", "overset:", "warning:", "note:"))


@SETTINGS
@given(st.data())
def test_fuzzed_articles_render_or_fail_clearly(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("fuzzart")
    raw = ARTICLE.read_bytes()
    i = data.draw(st.integers(0, len(raw) - 1))
    damage = data.draw(st.sampled_from([b"", b"\xff\xfe", b"---\n", b"\n## \n", b"\x00", "😀".encode(), b"###",
                                        "𰻝".encode(), b"\r\n", "，，，。。。“（".encode()]))
    cut = data.draw(st.integers(0, 20))
    (tmp / "a.md").write_bytes(raw[:i] + damage + raw[i + cut:])
    layout = write_demo_layout(tmp, **{str(ARTICLE): str(tmp / "a.md")})
    result = run("render", layout, "-o", tmp / "out.pdf", "--allow-overset")
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output


# --- found in review ---------------------------------------------------------

def test_overlapping_text_frames_are_an_error(tmp_path):
    layout = write_demo_layout(tmp_path, **{"qiyang:       {x: 95.7字": "qiyang:       {x: 60字"})
    result = run("render", layout, "-o", tmp_path / "o.pdf")
    assert result.exit_code == 2 and "text frames 'feature' and 'qiyang' overlap" in result.output


def test_a_frame_twice_in_a_chain_is_an_error(tmp_path):
    layout = write_demo_layout(tmp_path, **{"frames: [loudi-1, loudi-2]": "frames: [loudi-1, loudi-1]"})
    result = run("render", layout, "-o", tmp_path / "o.pdf")
    assert result.exit_code == 2 and "lists frame 'loudi-1' twice" in result.output


def test_truncated_picture_names_the_field(tmp_path):
    from PIL import Image
    whole = tmp_path / "whole.png"
    Image.effect_noise((400, 400), 60).save(whole)
    bad = tmp_path / "cut.png"
    bad.write_bytes(whole.read_bytes()[:300])
    layout = write_demo_layout(tmp_path, **{str(ROOT / "images" / "daoxian-targets.svg"): str(bad)})
    result = run("render", layout, "-o", tmp_path / "o.pdf")
    assert result.exit_code == 2 and "images[1].file" in result.output and "truncated" in result.output


def test_unwritable_output_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("render", ROOT / "layouts" / "page3.yaml", "-o", blocker / "sub" / "o.pdf")
    assert result.exit_code == 2 and "cannot write the PDF" in result.output


@pytest.mark.parametrize("args, field", [(["--size", "0pt"], "--size"), (["--leading", "-3pt"], "--leading")])
def test_copyfit_rejects_impossible_sizes(args, field):
    base = ["copyfit", str(ARTICLE), "--measure", "13.9em", "--size", "小五"]
    result = run(*(base[:-2] + ["--size", "小五"] + args if args[0] == "--leading" else base[:-2] + args))
    assert result.exit_code == 2 and field in result.output


def test_check_on_a_missing_or_non_pdf_file_is_bad_input(tmp_path):
    (tmp_path / "x.pdf").write_text("not a pdf")
    assert run("check", tmp_path / "missing.pdf").exit_code == 2
    result = run("check", tmp_path / "x.pdf", "--no-ink")
    assert result.exit_code == 2 and "FAIL  parse" in result.output


def test_font_family_typo_gets_a_suggestion(tmp_path):
    result = run("render", write_demo_layout(tmp_path, **{"font: 书宋,": "font: 书松,"}), "-o", tmp_path / "o.pdf")
    assert result.exit_code == 2 and "did you mean '书宋'?" in result.output


def test_invisible_format_characters_are_kept_but_not_drawn(tmp_path):
    body = "葛\U000E0100优秀\ufeff的\u200d人才❤\ufe0f。"
    layout = layout_for(tmp_path, article_with(tmp_path, body.replace("❤", "")))
    from pagesetter.page.flow import compose_page
    page = compose_page(load_layout(layout))
    lines = [p for p in page.lines if p.story == "a"]
    assert "".join(p.line.text for p in lines if p.role == "body") == body.replace("❤", "")


def test_edition_refuses_two_pages_with_one_output(tmp_path):
    edition = tmp_path / "e.yaml"
    layout = ROOT / "layouts" / "page3.yaml"
    edition.write_text(f"pages:\n  - {layout}\n  - {layout}\n", encoding="utf-8")
    result = run("render", edition, "-o", tmp_path / "out")
    assert result.exit_code == 2 and "would both be written to 'output/page3.pdf'" in result.output
