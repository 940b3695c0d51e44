"""The PDF as a print shop receives it: PDF/X keys, boxes, marks, colour, dates, safe writes."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pagesetter.app.cli import main
from pagesetter.layout.loader import load_layout
from pagesetter.units import MM
from tests.helpers import demo_layout_text

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "layouts" / "page3.yaml"


def layout_text(**replace):
    return demo_layout_text(**replace)


def render(tmp_path, text, name="page3.pdf", *extra):
    layout = tmp_path / "page.yaml"
    layout.write_text(text, encoding="utf-8")
    out = tmp_path / name
    result = CliRunner().invoke(main, ["render", str(layout), "-o", str(out), *extra])
    return result, out


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "page3.pdf"
    assert CliRunner().invoke(main, ["render", str(DEMO), "-o", str(out)]).exit_code == 0
    return PdfReader(out)


def test_pdfx1a_identification(demo):
    info = demo.metadata
    assert info["/GTS_PDFXVersion"] == "PDF/X-1:2003"
    assert info["/GTS_PDFXConformance"] == "PDF/X-1a:2003"
    assert info["/Trapped"] == "/False"
    assert info["/Title"] == "示例日报 第3版 湖南·综合"
    assert info["/CreationDate"].startswith("D:20211203")
    assert demo.pdf_header == "%PDF-1.4"
    assert "/ID" in demo.trailer


def test_output_intent_is_coldset_newsprint(demo):
    (intent,) = demo.trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/OutputConditionIdentifier"] == "IFRA26"
    assert "12647-3" in intent["/OutputCondition"]


def test_page_boxes(demo):
    page = demo.pages[0]
    trim = [float(v) for v in page["/TrimBox"]]
    bleed = [float(v) for v in page["/BleedBox"]]
    media = [float(v) for v in page.mediabox]
    assert (trim[2] - trim[0]) / MM == pytest.approx(390, abs=0.01)
    assert (trim[3] - trim[1]) / MM == pytest.approx(545, abs=0.01)
    assert [(t - b) / MM for t, b in zip(trim[:2], bleed[:2])] == pytest.approx([3, 3])
    assert media[0] < bleed[0] - 5 * MM and media[2] > bleed[2] + 5 * MM  # room for marks and slug


def test_marks_in_registration_colour(demo):
    spaces = demo.pages[0]["/Resources"]["/ColorSpace"]
    sep = spaces["/All"].get_object() if hasattr(spaces["/All"], "get_object") else spaces["/All"]
    assert sep[0] == "/Separation" and sep[1] == "/All"
    assert "page3.pdf" in demo.pages[0].extract_text()  # the slug line names the file


def test_no_base14_font_anywhere(demo):
    for font in demo.pages[0]["/Resources"]["/Font"].values():
        assert "Helvetica" not in str(font.get_object()["/BaseFont"])


def test_bleed_setting(tmp_path):
    result, out = render(tmp_path, layout_text(**{"date: 2021-12-03": "date: 2021-12-03\nprint: {bleed: 5mm}"}))
    assert result.exit_code == 0, result.output
    page = PdfReader(out).pages[0]
    assert (float(page["/TrimBox"][0]) - float(page["/BleedBox"][0])) / MM == pytest.approx(5)


def test_dates_come_from_source_date_epoch_without_an_edition_date(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1638489600")  # 2021-12-03 00:00 UTC
    text = layout_text().replace("date: 2021-12-03", "")
    result, out = render(tmp_path, text)
    assert result.exit_code == 0, result.output
    assert PdfReader(out).metadata["/CreationDate"].startswith("D:20211203000000")


def test_ink_limit_names_the_element(tmp_path):
    text = layout_text(**{"- {from: [0字, 45.5行], to: [61.9字, 45.5行]}":
                          "- {from: [0字, 45.5行], to: [61.9字, 45.5行], color: [100, 100, 100, 0]}"})
    result, out = render(tmp_path, text)
    assert result.exit_code == 2
    assert "rules[0].color" in result.output and "300% total ink" in result.output and "240%" in result.output


def test_pdfx4_needs_an_icc_profile(tmp_path):
    result, _ = render(tmp_path, layout_text(**{"date: 2021-12-03": "date: 2021-12-03\nprint: {standard: PDF/X-4}"}))
    assert result.exit_code == 2 and "ICC output profile" in result.output


def test_failed_render_keeps_the_previous_pdf(tmp_path):
    good, out = render(tmp_path, layout_text())
    assert good.exit_code == 0
    before = out.read_bytes()
    bad, _ = render(tmp_path, layout_text(**{"columns: 8": "columns: eight"}))
    assert bad.exit_code == 2
    overset, _ = render(tmp_path, layout_text(**{"line: 47, lines: 59}": "line: 47, lines: 20}"}))
    assert overset.exit_code == 3
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.yaml", "page3.pdf"]  # no partial files


def test_characters_outside_the_bmp_copy_and_paste(tmp_path):
    article = tmp_path / "a.md"
    article.write_text("---\ntitle: 标题\n---\n\n他叫王𠂇，住在𡎚村。\n", encoding="utf-8")
    text = layout_text(**{str(ROOT / "articles" / "02-lengshuitan.md"): str(article)})
    result, out = render(tmp_path, text)
    assert result.exit_code == 0, result.output
    extracted = PdfReader(out).pages[0].extract_text()
    assert "王𠂇" in extracted and "𡎚村" in extracted


def test_render_refuses_a_pdf_that_would_fail_preflight(tmp_path, monkeypatch):
    from pagesetter.render import pdfx
    monkeypatch.setattr(pdfx, "_output_intent", lambda doc, spec, title: None)
    result, out = render(tmp_path, layout_text())
    assert result.exit_code == 2
    assert "would fail preflight" in result.output and "output-intent" in result.output
    assert not out.exists()


def test_pdfx4_with_an_output_profile(tmp_path):
    profile = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
    if not profile.is_file():
        pytest.skip("no CMYK ICC profile on this machine to stand for the press's")
    profile = Path(shutil.copy(profile, tmp_path / "press.icc"))  # inside the project root
    text = layout_text(**{"date: 2021-12-03": f"date: 2021-12-03\nprint: {{standard: PDF/X-4, press: {{identifier: "
                                              f"Custom newsprint, profile: {profile}, ink_limit: 240%}}}}"})
    result, out = render(tmp_path, text)
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert reader.pdf_header == "%PDF-1.6"
    assert reader.metadata["/GTS_PDFXVersion"] == "PDF/X-4"
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/DestOutputProfile"].get_object().get_data() == profile.read_bytes()
    assert b"pdfxid:GTS_PDFXVersion>PDF/X-4" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    from pagesetter.print.preflight import failed, preflight
    assert failed(preflight(out, ink=False)) == []


def test_picture_at_the_trim_edge_runs_into_the_bleed(tmp_path):
    from pagesetter.page.flow import compose_page
    # the 道县 chart moved to the page's right-hand trim edge (type area right edge + right margin)
    text = layout_text(**{"    x: 63.4字\n    width: 14.3字\n    line: 93": "    x: 97字\n    width: 19.5354字\n    line: 93"})
    layout = tmp_path / "page.yaml"
    layout.write_text(text, encoding="utf-8")
    page = compose_page(load_layout(layout))
    placed = next(p for p in page.images if p.image.id == "daoxian-targets")
    lay = page.layout
    assert placed.image.box.right == pytest.approx(lay.width, abs=0.5)
    assert placed.placement.x + placed.placement.width == pytest.approx(lay.width + lay.print.bleed, abs=0.01)


def test_pictures_may_not_leave_the_page(tmp_path):
    text = layout_text(**{"    x: 63.4字\n    width: 14.3字\n    line: 93": "    x: 97字\n    width: 25字\n    line: 93"})
    result, _ = render(tmp_path, text)
    assert result.exit_code == 2 and "reaches outside the page" in result.output


def test_a_warm_process_writes_the_same_bytes_as_a_cold_one(tmp_path):
    """watch and serve keep subset programs, compressed streams and line extents between
    documents: after an edit and its undo, the page must come out byte for byte as before,
    and as a new process writes it."""
    import subprocess
    import sys

    from pagesetter.app.pipeline import render_layout
    from pagesetter.page.flow import StoryCache
    from tests.helpers import demo_project
    layout = demo_project(tmp_path)
    article = tmp_path / "articles" / "10-miluo.md"
    original = article.read_text(encoding="utf-8")
    cache = StoryCache()
    out = tmp_path / "warm.pdf"
    render_layout(layout, out, cache=cache, root_dir=tmp_path)
    first = out.read_bytes()
    article.write_text(original.replace("近日，汨罗市民", "昨日，Latin 24", 1), encoding="utf-8")
    render_layout(layout, out, cache=cache, root_dir=tmp_path)
    assert out.read_bytes() != first
    article.write_text(original, encoding="utf-8")
    render_layout(layout, out, cache=cache, root_dir=tmp_path)
    assert out.read_bytes() == first
    cold = tmp_path / "cold" / "warm.pdf"
    cold.parent.mkdir()
    subprocess.run([sys.executable, "-m", "pagesetter", "render", str(layout), "-o", str(cold), "--root",
                    str(tmp_path)], check=True, capture_output=True)
    assert cold.read_bytes() == first
