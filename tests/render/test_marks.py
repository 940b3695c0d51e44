"""Printer's marks: the slug line never touches a crop mark or registration target; bleed 0 works."""

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from pagesetter.layout.pagesizes import PAGE_SIZES_MM
from pagesetter.print.spec import PrintSpec
from pagesetter.render.fonts import pdf_font
from pagesetter.render.pdfx import mark_shapes, slug_lines
from pagesetter.units import MM
from tests.print.pressfiles import need_swop, render, small_layout

SLUG = ("page3.pdf  ·  第3版  ·  示例日报 第3版 湖南·综合  ·  page 1/1  ·  2021-12-03  ·  PDF/X-1a:2003  ·  "
        "IFRA26: Coldset offset lithography on newsprint (ISO 12647-3:2004), 26% TVI")
SIZES = dict(PAGE_SIZES_MM, A5=(148, 210), small=(100, 140), wide=(600, 200))


@pytest.fixture(scope="module")
def font():
    from pagesetter.fonts.registry import FontRegistry
    return pdf_font(FontRegistry.default().resolve("body"))


def _touch(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("bleed", [0.0, 3.0, 5.0])
def test_slug_never_touches_a_mark(font, size, bleed):
    w, h = (v * MM for v in SIZES[size])
    spec = PrintSpec(bleed=bleed * MM)
    lines = slug_lines(spec, w, SLUG, font)
    assert lines
    media = (0, 0, w + 2 * (spec.bleed + spec.slug_space), h + 2 * (spec.bleed + spec.slug_space))
    shown = []
    for x, y, s, text in lines:
        box = (x, y - 0.3 * s, x + stringWidth(text, font, s), y + 0.9 * s)
        assert box[0] >= media[0] and box[1] >= media[1] and box[2] <= media[2]
        assert box[3] <= spec.slug_space  # below the bleed
        for kind, mark in mark_shapes(spec, w, h):
            assert not _touch(box, mark), f"{size}: slug {text!r} touches a {kind} mark"
        shown.append(text)
    joined = "  ·  ".join(shown)
    if size in ("A3", "A4", "broadsheet", "对开"):
        assert joined == SLUG  # on newspaper sizes the whole slug is there
    else:
        assert joined.rstrip("…") and SLUG.startswith(joined.rstrip("…"))


def test_a3_page_renders_with_marks_clear(tmp_path):
    result, pdf = render(small_layout(tmp_path, page="size: A3"))
    assert result.exit_code == 0, result.output


def test_bleed_zero_works_with_trim_equal_to_bleed(tmp_path):
    result, pdf = render(small_layout(tmp_path, print_="print: {bleed: 0mm}"))
    assert result.exit_code == 0, result.output
    page = PdfReader(pdf).pages[0]
    assert [float(v) for v in page["/TrimBox"]] == [float(v) for v in page["/BleedBox"]]
    from pagesetter.print.preflight import WARN, preflight
    boxes = {c.name: c for c in preflight(pdf, ink=False)}["page-boxes"]
    assert boxes.status == WARN and "TrimBox = BleedBox" in boxes.detail


def test_press_condition_labels_and_registry(tmp_path):
    from pagesetter.print.spec import PRESS_CONDITIONS
    assert "ISO 12647-3:2004" in PRESS_CONDITIONS["coldset-newsprint"].condition
    fogra40 = next(p for p in PRESS_CONDITIONS.values() if p.identifier == "FOGRA40")
    assert "SC paper" in fogra40.condition and "newsprint" not in fogra40.condition
    result, pdf = render(small_layout(tmp_path))
    intent = PdfReader(pdf).trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/RegistryName"] == "http://www.color.org" and intent["/OutputConditionIdentifier"] == "IFRA26"
    swop = need_swop()  # a custom condition must embed its profile
    for ident, registry in (("Our press 2021", None), ("FOGRA39", "http://www.color.org")):
        folder = tmp_path / ident.replace(" ", "_")
        folder.mkdir()
        result, pdf = render(small_layout(folder, print_=f"print: {{press: {{identifier: {ident}, profile: {swop}}}}}"))
        assert result.exit_code == 0, result.output
        intent = PdfReader(pdf).trailer["/Root"]["/OutputIntents"][0].get_object()
        assert intent.get("/RegistryName") == registry


def test_slug_width_is_reportlabs_string_width():
    """The slug is measured glyph by glyph, as ReportLab's stringWidth measures it."""
    from pathlib import Path

    from reportlab.pdfbase import pdfmetrics

    from pagesetter.fonts.metrics import FaceRef
    from pagesetter.render.fonts import pdf_font
    from pagesetter.render.pdfx import _text_width

    name = pdf_font(FaceRef(Path(__file__).resolve().parents[2] / "fonts" / "NotoSerifSC-Regular.ttf"))
    for text in ("page3.pdf  ·  第3版  ·  PDF/X-1a:2003", "示例日报\u00a0A1 “引号” 2026-11-29", "\U0010ffff"):
        assert _text_width(text, name, 7.5) == pdfmetrics.getFont(name).stringWidth(text, 7.5)
