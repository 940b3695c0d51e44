import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pagesetter.app.cli import main
from pagesetter.print.preflight import FAIL, PASS, WARN, preflight

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def plain_pdf(tmp_path):
    """A PDF made with plain ReportLab defaults."""
    from reportlab.lib import colors
    from reportlab.pdfgen import canvas
    path = tmp_path / "plain.pdf"
    c = canvas.Canvas(str(path))
    c.setFillColor(colors.black)
    c.drawString(100, 700, "Hello, press")
    c.save()
    return path


def test_demo_passes_every_check(demo_pdf):
    checks = {c.name: c for c in preflight(demo_pdf)}
    for name in ("parse", "pdfx-keys", "output-intent", "page-boxes", "fonts", "colour", "black-overprint",
                 "overprint", "hairlines", "resolution", "transparency", "text"):
        assert checks[name].status == PASS, checks[name].line()
    if shutil.which("gs"):
        # 200%: the 报红 (M100 Y100) bar of the 永州公安 section head
        assert checks["total-ink"].status == PASS and "max 200%" in checks["total-ink"].detail
    else:
        assert checks["total-ink"].status == WARN and "not installed" in checks["total-ink"].detail


def test_plain_reportlab_pdf_fails_and_names_each_problem(plain_pdf):
    checks = {c.name: c for c in preflight(plain_pdf, ink=False)}
    assert checks["pdfx-keys"].status == FAIL and "GTS_PDFXVersion" in checks["pdfx-keys"].detail
    assert checks["output-intent"].status == FAIL
    assert checks["page-boxes"].status == FAIL and "TrimBox" in checks["page-boxes"].detail
    assert checks["fonts"].status == FAIL and "Helvetica not embedded" in checks["fonts"].detail
    assert checks["colour"].status == FAIL and "RGB" in checks["colour"].detail
    assert checks["black-overprint"].status == FAIL


def test_check_command_exit_status(demo_pdf, plain_pdf):
    ok = CliRunner().invoke(main, ["check", str(demo_pdf), "--no-ink"])
    assert ok.exit_code == 0 and "FAIL" not in ok.output
    bad = CliRunner().invoke(main, ["check", str(plain_pdf), "--no-ink"])
    assert bad.exit_code == 1
    assert all(line.split()[0] in (PASS, WARN, FAIL) for line in bad.output.splitlines())


def test_total_ink_over_the_limit_fails(tmp_path):
    if not shutil.which("gs"):
        pytest.skip("Ghostscript is not installed: total ink is measured with it")
    from reportlab.pdfgen import canvas

    from pagesetter.print.preflight import total_ink
    path = tmp_path / "rich.pdf"
    c = canvas.Canvas(str(path))
    c.setFillColorCMYK(1, 1, 1, 1)
    c.rect(100, 100, 200, 200, fill=1, stroke=0)
    c.save()
    check = total_ink(path, 240)
    assert check.status == FAIL and "max 400%" in check.detail


def test_broken_tounicode_is_caught(tmp_path):
    """ReportLab's own ToUnicode writes 5 hex digits for U+20087; the check must notice."""
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from pagesetter.render import pdfx  # noqa: F401 (installs the fix)
    fixed = ttfonts.makeToUnicodeCMap
    broken = lambda name, subset: "\n".join(
        ["/CIDInit /ProcSet findresource begin", "begincmap", f"{len(subset)} beginbfchar"]
        + ["<%02X> <%04X>" % (i, v) for i, v in enumerate(subset)] + ["endbfchar", "endcmap"])
    ttfonts.makeToUnicodeCMap = broken
    try:
        pdfmetrics.registerFont(TTFont("NotoTest", str(ROOT / "fonts" / "NotoSerifSC-Regular.ttf")))
        path = tmp_path / "ext.pdf"
        c = canvas.Canvas(str(path))
        c.setFont("NotoTest", 12)
        c.drawString(100, 700, "王𠂇")
        c.save()
    finally:
        ttfonts.makeToUnicodeCMap = fixed
    checks = {c.name: c for c in preflight(path, ink=False)}
    assert checks["fonts"].status == FAIL and "not UTF-16" in checks["fonts"].detail


@pytest.fixture
def careless_pdf(tmp_path):
    """A PDF from another tool: a hairline, colours that overprint, a low-resolution picture."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    path = tmp_path / "careless.pdf"
    c = canvas.Canvas(str(path))
    c.setLineWidth(0.1)
    c.line(100, 100, 300, 100)
    c.setFillOverprint(True)
    c.setOverprintMask(True)
    c.setFillColorCMYK(0, 1, 1, 0)
    c.rect(100, 200, 50, 50, fill=1, stroke=0)
    c.setFillColorCMYK(0, 0, 0, 0)
    c.rect(200, 200, 50, 50, fill=1, stroke=0)
    c.drawImage(ImageReader(Image.new("CMYK", (30, 30), (0, 0, 0, 128))), 100, 400, 144, 144)  # 15 ppi
    c.save()
    return path


def test_check_reports_hairlines_colour_overprint_and_low_resolution(careless_pdf):
    checks = {c.name: c for c in preflight(careless_pdf, ink=False)}
    assert checks["hairlines"].status == FAIL and "0.10 pt" in checks["hairlines"].detail
    assert checks["overprint"].status == FAIL  # white that overprints vanishes
    assert "C0 M100 Y100 K0" in checks["overprint"].detail and "white" in checks["overprint"].detail
    assert checks["resolution"].status == WARN and "15 ppi" in checks["resolution"].detail
    relaxed = {c.name: c for c in preflight(careless_pdf, ink=False, min_line=0.05, min_ppi=10)}
    assert relaxed["hairlines"].status == PASS and relaxed["resolution"].status == PASS


def test_check_measures_ink_at_150_dpi_at_least(plain_pdf):
    if not shutil.which("gs"):
        pytest.skip("Ghostscript is not installed: total ink is measured with it")
    result = CliRunner().invoke(main, ["check", str(plain_pdf)])
    assert "total-ink" in result.output and "150 dpi" in result.output
    assert CliRunner().invoke(main, ["check", str(plain_pdf), "--ink-dpi", "50"]).exit_code == 2  # below 150: refused
