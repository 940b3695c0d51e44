"""Vector figures (SVG, PDF) go into the PDF as vector Form XObjects, print-ready, fitted and clipped."""

import re
import shutil

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pagesetter.app.cli import main
from tests.helpers import SEED

# A page whose masthead name is a picture: %s stands for the name: entry
MASTHEAD_LAYOUT = """\
page: {size: A4, margins: 20mm}
grid: {columns: 2, gutter: 1字, body: {font: 书宋, size: 9pt, leading: 13.5pt}}
date: 2021-12-03
masthead: {column: 1, span: 2, line: 1, lines: 6, name: %s, name_width: 90mm}
frames:
  a: {column: 1, span: 2, line: 8, lines: 30}
stories:
  - article: a.md
    frames: [a]
"""

LAYOUT = """\
page: {size: A4, margins: 20mm}
grid: {columns: 2, gutter: 1字, body: {font: 书宋, size: 9pt, leading: 13.5pt}}
frames:
  a: {column: 1, span: 2, line: 1, lines: 20}
stories:
  - article: a.md
    frames: [a]
images:
  - id: chart
    file: FILE
    column: 1
    line: 22
    lines: 14
    caption: 图表说明
    credit: 本版制图
EXTRA
"""

# 200 × 100 px = 150 × 75 pt: a red bar, a grey rule, a blue outline, a label in 黑体
CHART = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
  <rect x="10" y="40" width="60" height="50" fill="#ff0000"/>
  <line x1="0" y1="90" x2="200" y2="90" stroke="#808080" stroke-width="1"/>
  <rect x="100" y="20" width="80" height="70" fill="none" stroke="rgb(0,0,255)" stroke-width="2"/>
  <text x="100" y="15" font-family="Noto Sans SC, sans-serif" font-weight="bold" font-size="12"
        text-anchor="middle">产值150亿元</text>
  BODY
</svg>
"""


def project(tmp_path, svg_body: str = "", extra: str = "", file: str = "chart.svg", svg: str | None = None):
    shutil.copy(SEED, tmp_path / "a.md")
    if file == "chart.svg":
        (tmp_path / file).write_text(svg if svg is not None else CHART.replace("BODY", svg_body), encoding="utf-8")
    (tmp_path / "page.yaml").write_text(LAYOUT.replace("FILE", file).replace("EXTRA", extra), encoding="utf-8")
    return tmp_path / "page.yaml"


def render(layout, out):
    return CliRunner().invoke(main, ["render", str(layout), "-o", str(out), "--allow-overset"])


def forms_and_images(pdf_path):
    page = PdfReader(str(pdf_path)).pages[0]
    xobjects = {k: v.get_object() for k, v in page["/Resources"]["/XObject"].items()}
    forms = {k: x for k, x in xobjects.items() if x["/Subtype"] == "/Form"}
    images = {k: x for k, x in xobjects.items() if x["/Subtype"] == "/Image"}
    return page, forms, images


def test_svg_figure_is_a_cmyk_vector_form_with_outlined_type(tmp_path):
    out = tmp_path / "o.pdf"
    result = render(project(tmp_path), out)
    assert result.exit_code == 0, result.output
    page, forms, images = forms_and_images(out)
    assert not images and len(forms) == 1
    (form,) = forms.values()
    assert [float(v) for v in form["/BBox"]] == [0, 0, 150, 75]
    ops = form.get_data().decode("latin-1")
    assert not re.search(r"\b(rg|RG|g|G|sc|scn|SC|SCN|cs|CS|BT|Tf|Tj|TJ|Do|BI|gs)\b", ops)
    fills = {tuple(float(v) for v in m) for m in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) k\b", ops)}
    strokes = {tuple(float(v) for v in m) for m in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) K\b", ops)}
    red = [c for c in fills if c[1] > 0.9 and c[2] > 0.9 and c[0] < 0.1]
    assert red, fills                                    # #ff0000 → magenta + yellow
    assert (0, 0, 0, round(1 - 128 / 255, 4)) in strokes  # a neutral grey → black ink only
    assert any(c[0] > 0.5 and c[3] < 0.5 for c in strokes)  # the blue outline → cyan-led CMYK
    assert (0, 0, 0, 1) in fills                         # the label: black outlines …
    assert len(re.findall(r"\bc\b", ops)) > 20           # … drawn with curves
    # the page draws the form clipped to its placement
    content = page.get_contents().get_data().decode("latin-1")
    assert re.search(r"re W n [-\d. ]+ cm\s*/FormXob\.PSFig\w+ Do", content)
    assert "本版制图" in page.extract_text()
    check = CliRunner().invoke(main, ["check", str(out)])
    assert check.exit_code == 0, check.output


def test_svg_figure_renders_byte_identical_drawn_or_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGESETTER_CACHE_DIR", str(tmp_path / "cache"))
    layout = project(tmp_path)
    assert render(layout, tmp_path / "o.pdf").exit_code == 0
    first = (tmp_path / "o.pdf").read_bytes()
    assert len(list((tmp_path / "cache" / "figures").glob("*.pdfops"))) == 1
    assert render(layout, tmp_path / "o.pdf").exit_code == 0
    assert (tmp_path / "o.pdf").read_bytes() == first
    # a changed drawing is drawn anew, never taken from the cache
    (tmp_path / "chart.svg").write_text(CHART.replace("BODY", "").replace("#ff0000", "#00ff00"), encoding="utf-8")
    assert render(layout, tmp_path / "o.pdf").exit_code == 0
    assert (tmp_path / "o.pdf").read_bytes() != first
    assert len(list((tmp_path / "cache" / "figures").glob("*.pdfops"))) == 2


def _placement(pdf_path):
    page, forms, _ = forms_and_images(pdf_path)
    content = page.get_contents().get_data().decode("latin-1")
    m = re.search(r"q ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re W n ([-\d.]+) 0 0 ([-\d.]+) ([-\d.]+) ([-\d.]+) cm", content)
    return [float(v) for v in m.groups()]


def test_contain_shows_the_whole_figure_and_cover_fills_the_frame_round_the_focus(tmp_path):
    contain = project(tmp_path)
    assert render(contain, tmp_path / "contain.pdf").exit_code == 0
    cx, cy, cw, ch, sx, sy, fx, fy = _placement(tmp_path / "contain.pdf")
    assert sx == pytest.approx(sy, rel=1e-3)
    assert 150 * sx == pytest.approx(cw, abs=0.05)             # the whole width shows …
    assert 75 * sy <= ch + 0.05 and fx == pytest.approx(cx, abs=0.05)  # … the height fits inside

    (tmp_path / "page.yaml").write_text(contain.read_text(encoding="utf-8").replace(
        "    credit: 本版制图\n", "    credit: 本版制图\n    fit: cover\n    focus: [100%, 50%]\n"), encoding="utf-8")
    assert render(tmp_path / "page.yaml", tmp_path / "cover.pdf").exit_code == 0
    kx, ky, kw, kh, sx, sy, fx, fy = _placement(tmp_path / "cover.pdf")
    assert kw == pytest.approx(cw, abs=0.05) and kh > ch       # the frame's full height, not the figure's
    assert 75 * sy == pytest.approx(kh, abs=0.05)               # scaled to the height, wider than the frame
    assert 150 * sx > kw
    assert fx + 150 * sx == pytest.approx(kx + kw, abs=0.05)    # focus on the right edge: the right end shows
    assert fx < kx                                              # the left part is clipped off


def test_masthead_name_from_an_svg_is_a_vector_form(tmp_path):
    shutil.copy(SEED, tmp_path / "a.md")
    (tmp_path / "name.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80">'
        '<text x="0" y="64" font-family="书宋" font-weight="bold" font-size="64" fill="#cc0000">示例日报</text>'
        '</svg>', encoding="utf-8")
    (tmp_path / "page.yaml").write_text(MASTHEAD_LAYOUT % "{picture: name.svg}", encoding="utf-8")
    result = render(tmp_path / "page.yaml", tmp_path / "o.pdf")
    assert result.exit_code == 0, result.output
    _, forms, images = forms_and_images(tmp_path / "o.pdf")
    assert len(forms) == 1 and not images
    ops = next(iter(forms.values())).get_data().decode("latin-1")
    assert re.search(r"\b0 \.[89]\d* \.[89]\d* [.\d]+ k", ops) and not re.search(r"\b(rg|BT)\b", ops)


@pytest.mark.parametrize("body, svg, message", [
    ("", "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect", "is not a readable SVG"),
    ("", "<html><body/></html>", "not an SVG drawing"),
    ("", "<svg xmlns='http://www.w3.org/2000/svg'><rect width='5' height='5'/></svg>", "has no size"),
    ('<rect width="5" height="5" fill="#ff0000" fill-opacity="0.5"/>', None, "transparency"),
    ('<rect width="5" height="5" fill="#000000" opacity="0.3"/>', None, "transparency"),
    ('<g style="opacity: 0.5"><rect width="5" height="5"/></g>', None, "transparency"),
    ('<defs><filter id="f"><feGaussianBlur stdDeviation="2"/></filter></defs><rect width="5" height="5" '
     'filter="url(#f)"/>', None, "filter"),
    ('<text x="1" y="9" font-family="Arial">Hi</text>', None, "'Arial', not one of the project's fonts"),
    ('<defs><marker id="m"><path d="M0 0 L5 5"/></marker></defs><line x2="9" y2="9" stroke="#000" '
     'marker-end="url(#m)"/>', None, "markers"),
    ('<defs><pattern id="p" width="4" height="4"><rect width="2" height="2"/></pattern></defs>'
     '<rect width="50" height="50" style="fill: url(#p)"/>', None, "pattern"),
    ('<foreignObject width="9" height="9"><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>', None,
     "foreignObject"),
    ('<defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/><stop offset="1" stop-color="#00f"/>'
     '</linearGradient></defs><rect width="50" height="50" fill="url(#g)"/>', None, "gradient"),
    ('<image x="0" y="0" width="10" height="10" href="data:image/png;base64,'
     'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="/>',
     None, "raster image"),
])
def test_bad_svg_figures_are_one_line_errors_naming_the_field(tmp_path, body, svg, message):
    result = render(project(tmp_path, body, svg=svg), tmp_path / "o.pdf")
    assert result.exit_code == 2, result.output
    (line,) = [x for x in result.output.splitlines() if x.startswith("error")]
    assert "page.yaml:" in line and message in line, line
    assert re.search(r"page\.yaml:\d+:\d+: images(\[0\]\.file|\.chart): ", line), line
    assert "Traceback" not in result.output and not (tmp_path / "o.pdf").exists()


def test_page_is_only_for_pdf_figures(tmp_path):
    result = render(project(tmp_path, extra="").parent / "page.yaml", tmp_path / "o.pdf")
    assert result.exit_code == 0
    text = (tmp_path / "page.yaml").read_text(encoding="utf-8").replace("    credit: 本版制图\n",
                                                                          "    credit: 本版制图\n    page: 2\n")
    (tmp_path / "page.yaml").write_text(text, encoding="utf-8")
    result = render(tmp_path / "page.yaml", tmp_path / "o.pdf")
    assert result.exit_code == 2 and "page: chooses a page of a PDF; chart.svg is an SVG drawing" in result.output


def test_missing_figure_file_is_a_one_line_error(tmp_path):
    layout = project(tmp_path, file="nowhere.svg")
    result = render(layout, tmp_path / "o.pdf")
    assert result.exit_code == 2
    assert re.search(r"page\.yaml:\d+:\d+: images\[0\]\.file: .*not found", result.output), result.output


def make_pdf(path, pages=1, text=False, alpha=None, heavy=False):
    """A small PDF drawn by ReportLab: a red (RGB) bar and a cyan (CMYK) frame; page 2 is blue."""
    from reportlab.lib.colors import CMYKColor
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(200, 100), invariant=1)
    for n in range(pages):
        if n == 0:
            c.setFillColorRGB(1, 0, 0)
            if alpha is not None:
                c.setFillAlpha(alpha)
            c.rect(10, 10, 60, 50, stroke=0, fill=1)
            c.setStrokeColor(CMYKColor(1, 0, 0, 0) if not heavy else CMYKColor(1, 1, 1, 1))
            c.rect(100, 10, 80, 70, stroke=1, fill=0)
            if text:
                c.setFont("Helvetica", 12)
                c.drawString(10, 70, "Hello")
        else:
            c.setFillColorRGB(0, 0, 1)
            c.rect(0, 0, 200, 100, stroke=0, fill=1)
        c.showPage()
    c.save()


def pdf_project(tmp_path, extra=""):
    shutil.copy(SEED, tmp_path / "a.md")
    layout = LAYOUT.replace("FILE", "fig.pdf").replace("EXTRA", "").replace("    credit: 本版制图\n",
                                                                             "    credit: 本版制图\n" + extra)
    (tmp_path / "page.yaml").write_text(layout, encoding="utf-8")
    return tmp_path / "page.yaml"


def test_pdf_figure_page_is_a_cmyk_vector_form(tmp_path):
    make_pdf(tmp_path / "fig.pdf", pages=2)
    out = tmp_path / "o.pdf"
    result = render(pdf_project(tmp_path, "    page: 1\n"), out)
    assert result.exit_code == 0, result.output
    page, forms, images = forms_and_images(out)
    assert not images and len(forms) == 1
    (form,) = forms.values()
    assert [float(v) for v in form["/BBox"]] == [0, 0, 200, 100]
    ops = form.get_data().decode("latin-1")
    assert not re.search(r"\b(rg|RG|Tf)\b", ops)
    assert re.search(r"\b0(\.0)? 1 1 0(\.0)? k", ops) and re.search(r"\b1 0 0 0 K", ops)
    assert check_passes(out)

    result = render(pdf_project(tmp_path, "    page: 2\n"), out)
    assert result.exit_code == 0, result.output
    (form,) = forms_and_images(out)[1].values()
    assert re.search(r"\b1 (1|\.[5-9]\d*) 0(\.0)? 0(\.0)? k", form.get_data().decode("latin-1"))  # blue → C + M


def check_passes(pdf) -> bool:
    check = CliRunner().invoke(main, ["check", str(pdf)])
    assert check.exit_code == 0, check.output
    return True


@pytest.mark.parametrize("make, extra, message", [
    (lambda p: make_pdf(p, pages=3), "", "has 3 pages: choose one with page: (1 to 3)"),
    (lambda p: make_pdf(p, pages=2), "    page: 5\n", "there is no page 5"),
    (lambda p: p.write_bytes(b"%PDF-1.4\n this is not a PDF"), "", "not a readable PDF"),
    (lambda p: make_pdf(p, text=True), "", "font Helvetica is not embedded"),
    (lambda p: make_pdf(p, alpha=0.5), "", "transparency"),
    (lambda p: make_pdf(p, heavy=True), "", "colour C100 M100 Y100 K100 has 400% total ink; the press allows"),
    ("encrypted", "", "encrypted PDF"),
])
def test_bad_pdf_figures_are_one_line_errors_naming_the_field(tmp_path, make, extra, message):
    if make == "encrypted":
        from pypdf import PdfReader, PdfWriter
        make_pdf(tmp_path / "plain.pdf")
        writer = PdfWriter(clone_from=PdfReader(str(tmp_path / "plain.pdf")))
        writer.encrypt("secret", algorithm="RC4-128")
        writer.write(str(tmp_path / "fig.pdf"))
    else:
        make(tmp_path / "fig.pdf")
    result = render(pdf_project(tmp_path, extra), tmp_path / "o.pdf")
    assert result.exit_code == 2, result.output
    (line,) = [x for x in result.output.splitlines() if x.startswith("error")]
    assert message in line and re.search(r"page\.yaml:\d+:\d+: images(\[0\]\.(file|page)|\.chart): ", line), line
    assert not (tmp_path / "o.pdf").exists()


def test_masthead_name_from_a_pdf_page(tmp_path):
    shutil.copy(SEED, tmp_path / "a.md")
    make_pdf(tmp_path / "name.pdf", pages=2)
    (tmp_path / "page.yaml").write_text(MASTHEAD_LAYOUT % "{picture: name.pdf, page: 1}", encoding="utf-8")
    result = render(tmp_path / "page.yaml", tmp_path / "o.pdf")
    assert result.exit_code == 0, result.output
    _, forms, images = forms_and_images(tmp_path / "o.pdf")
    assert len(forms) == 1 and not images
    assert check_passes(tmp_path / "o.pdf")
    (tmp_path / "page.yaml").write_text((tmp_path / "page.yaml").read_text(encoding="utf-8").replace(", page: 1", ""),
                                        encoding="utf-8")
    result = render(tmp_path / "page.yaml", tmp_path / "o.pdf")
    assert result.exit_code == 2 and "masthead.name.picture: figure name.pdf has 2 pages" in result.output
