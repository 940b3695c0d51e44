"""End to end: the pagesetter command on the demo layout and on bad input."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pagesetter.source.article import load_article
from pagesetter.app.cli import main
from tests.helpers import write_demo_layout

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "layouts" / "page3.yaml"


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "page3.pdf"
    result = CliRunner().invoke(main, ["render", str(DEMO), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert re.search(r"page3.pdf\s+1 page\s+\d+\.\d+s", result.output)
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_character_of_every_article_in_order(demo_pdf):
    text = _squash("".join(page.extract_text() for page in PdfReader(demo_pdf).pages))
    from pagesetter.page.headlines import BREAK_MARKS
    for path in sorted((ROOT / "articles").glob("*.md")):
        a = load_article(path)
        article = _squash(a.all_text())
        stack = _squash("".join(t for t in (a.kicker, a.title, a.subtitle) if t))
        assert article.startswith(stack)
        assert article[len(stack):] in text, path.name
        # a vertical headline drops the pause or stop where it breaks
        marks = {ord(c): None for c in BREAK_MARKS}
        assert stack in text or stack.translate(marks) in text.translate(marks), path.name


def test_pdftotext_raw_round_trip(demo_pdf):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    raw = _squash(subprocess.run(["pdftotext", "-raw", str(demo_pdf), "-"], capture_output=True, text=True,
                                 check=True).stdout)
    from pagesetter.page.headlines import BREAK_MARKS
    marks = {ord(c): None for c in BREAK_MARKS}
    for path in sorted((ROOT / "articles").glob("*.md")):
        a = load_article(path)
        article = _squash(a.all_text())
        stack = _squash("".join(t for t in (a.kicker, a.title, a.subtitle) if t))
        assert article[len(stack):] in raw, path.name
        assert stack in raw or stack.translate(marks) in raw.translate(marks), path.name  # vertical: see above


def test_every_font_is_embedded(demo_pdf):
    reader = PdfReader(demo_pdf)
    seen = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None, f"{font['/BaseFont']} has no descriptor (a base-14 font)"
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            assert "/ToUnicode" in font
            seen += 1
    assert seen >= 3


def test_same_input_gives_identical_bytes(demo_pdf, tmp_path):
    again = tmp_path / "page3.pdf"  # same name: the slug line names the file
    assert CliRunner().invoke(main, ["render", str(DEMO), "-o", str(again)]).exit_code == 0
    assert again.read_bytes() == demo_pdf.read_bytes()


def _layout_with(tmp_path, old, new):
    return write_demo_layout(tmp_path, **{old: new})


def test_overset_names_story_and_fails(tmp_path):
    layout = _layout_with(tmp_path, "miluo:        {x: 94.7字, measure: 13.9字, line: 79, lines: 27}",
                          "miluo:        {x: 94.7字, measure: 13.9字, line: 79, lines: 15}")
    out = tmp_path / "o.pdf"
    result = CliRunner().invoke(main, ["render", str(layout), "-o", str(out)])
    assert result.exit_code == 3
    assert re.search(r"story '10-miluo': \d+ characters did not fit", result.output)
    assert not out.exists()
    result = CliRunner().invoke(main, ["render", str(layout), "-o", str(out), "--allow-overset"])
    assert result.exit_code == 0 and out.exists()


def test_bad_input_is_one_line_without_traceback(tmp_path):
    layout = _layout_with(tmp_path, "columns: 8", "colums: 8")
    proc = subprocess.run([sys.executable, "-m", "pagesetter", "render", str(layout), "-o", str(tmp_path / "x.pdf")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0
    assert re.match(r"error: .*page.yaml:\d+:\d+: grid.colums: unknown field 'colums'; did you mean 'columns'\?",
                    proc.stderr)


def test_font_dir_option(tmp_path):
    from fontTools.ttLib import TTFont
    fonts = tmp_path / "myfonts"
    fonts.mkdir()
    font = TTFont(ROOT / "fonts" / "LXGWWenKai-Regular.ttf")
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = "Test Kai"
    font.save(fonts / "testkai.ttf")
    layout = _layout_with(tmp_path, "body: {font: 书宋,", "body: {font: Test Kai,")
    assert CliRunner().invoke(main, ["render", str(layout), "-o", str(tmp_path / "no.pdf")]).exit_code == 2
    out = tmp_path / "kai.pdf"
    result = CliRunner().invoke(main, ["render", str(layout), "-o", str(out), "--font-dir", str(fonts),
                                       "--allow-overset"])
    assert result.exit_code == 0, result.output
    names = {str(f.get_object()["/BaseFont"]) for f in PdfReader(out).pages[0]["/Resources"]["/Font"].values()}
    assert any("testkai" in n.lower() or "LXGWWenKai" in n for n in names)


def test_output_pdf_with_several_layouts_is_an_error_and_creates_nothing(tmp_path):
    out = tmp_path / "x.pdf"
    result = CliRunner().invoke(main, ["render", str(DEMO), str(DEMO), "-o", str(out)])
    assert result.exit_code == 2
    assert "-o must be a folder" in result.output
    assert not out.exists()


def test_several_layouts_go_on_past_a_bad_one(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("page: {size: 对开}\n", encoding="utf-8")
    missing = tmp_path / "missing.yaml"
    result = CliRunner().invoke(main, ["render", str(bad), str(missing), str(DEMO), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "bad.yaml" in result.output and "missing.yaml" in result.output
    assert (tmp_path / "out" / "page3.pdf").exists()


def test_a_command_makes_cycle_collections_rarer():
    """The collector's thresholds are raised for a command (its objects hold next to no cycles),
    not switched off: a watch or serve session still collects."""
    import gc

    from click.testing import CliRunner

    from pagesetter.app.cli import GC_THRESHOLDS, main
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        CliRunner().invoke(main, ["render", "no-such-layout.yaml"])
        assert gc.get_threshold() == GC_THRESHOLDS and gc.isenabled()
        assert GC_THRESHOLDS[0] > 700
    finally:
        gc.set_threshold(*before)
