"""The newspaper page's furniture: headline stacks, vertical headlines, subheads and
bylines on the grid, the running head, boxes, and pictures with text wrapped round them."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pagesetter.app.cli import main
from pagesetter.compose.style import HouseStyle
from pagesetter.page.flow import compose_page
from pagesetter.page.headlines import balanced_lines
from pagesetter.layout.loader import load_layout
from tests.helpers import write_demo_layout

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "layouts" / "page3.yaml"


@pytest.fixture(scope="module")
def page():
    return compose_page(load_layout(DEMO))


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("news") / "page3.pdf"
    result = CliRunner().invoke(main, ["render", str(DEMO), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return PdfReader(out)


def sizes_of(pdf, text: str) -> set[float]:
    """Font sizes (pt, after the text matrix) at which the characters of ``text`` are drawn."""
    found: dict[str, set] = {}

    def visit(t, cm, tm, font, size):
        for ch in t:
            found.setdefault(ch, set()).add(round(size * abs(tm[0] or tm[1]), 2))
    pdf.pages[0].extract_text(visitor_text=visit)
    return set.intersection(*(found.get(ch, set()) for ch in text))


def test_headline_set_at_the_declared_size(pdf):
    assert 36.0 in sizes_of(pdf, "打造红色引擎共筑振兴之路")
    assert 16.0 in sizes_of(pdf, "娄底市娄星区以高质量党建引领乡村振兴纪实")
    assert 24.0 in sizes_of(pdf, "永州公安")


def test_headline_stacks_take_whole_grid_lines(page):
    layout = page.layout
    for story in layout.stories:
        body = [p for p in page.lines if p.story == story.id and p.role == "body"]
        pitch_offset = (body[0].baseline - layout.type_area.y) / layout.pitch
        assert pitch_offset - int(pitch_offset) == pytest.approx(
            ((layout.pitch - layout.body.size) / 2 + 0.88 * layout.body.size) / layout.pitch, abs=1e-6)


def test_balanced_headline_has_no_lone_last_character(serif_fonts):
    style = HouseStyle(first_line_indent=0, orphan_min=0)
    lines = balanced_lines("建设新祁阳挺进省十强之路", serif_fonts, style, 11)
    # as even as the words allow: 建设新祁阳 / 挺进省十强之路 or 建设新祁阳挺进 / 省十强之路, not 挺 / 进
    assert len(lines) == 2 and abs(len(lines[0].text) - len(lines[1].text)) <= 2
    assert lines[0].text in ("建设新祁阳", "建设新祁阳挺进")
    marked = balanced_lines("法治宣传进校园\n平安相伴助成长", serif_fonts, style, 30)
    assert [l.text for l in marked] == ["法治宣传进校园", "平安相伴助成长"]
    wide = balanced_lines("平安相伴", serif_fonts, style, 30, tracking=0.2)
    assert wide[0].width == pytest.approx(4 + 3 * 0.2)


def test_vertical_headline_uses_vertical_forms(page):
    vertical = [p for p in page.lines if p.vertical]
    assert vertical, "the demo has a vertical headline"
    text = "".join(p.line.text for p in vertical)
    # the comma at the break is dropped, as headlines do
    assert text == "道县：围绕“一主一特”打造湘南智能制造城"
    for p in vertical:
        for g in p.line.glyphs:
            if g.char in "：“”":
                assert "vert" in g.font.ref.features and g.font.substituted(g.char), g.char
    # columns run right to left, top to bottom
    xs = [p.x for p in vertical]
    assert xs == sorted(xs, reverse=True)


def test_vertical_forms_are_the_glyphs_embedded(page):
    from reportlab.pdfbase import pdfmetrics

    from pagesetter.render.fonts import pdf_font
    (colon,) = [g for p in page.lines if p.vertical for g in p.line.glyphs if g.char == "："]
    face = pdfmetrics.getFont(pdf_font(colon.font.ref)).face
    from fontTools.ttLib import TTFont
    ft = TTFont(colon.font.ref.path, lazy=True)
    assert ft.getGlyphOrder()[face.charToGlyph[ord("：")]] == "uniFE13"  # PRESENTATION FORM FOR VERTICAL COLON


def test_derived_faces_keep_their_own_glyphs():
    """ReportLab shares a face among fonts with one PostScript name: the hwid copy must not
    fall back to the plain face's proportional digits."""
    from fontTools.ttLib import TTFont
    from reportlab.pdfbase import pdfmetrics

    from pagesetter.fonts.metrics import FaceRef
    from pagesetter.render.fonts import pdf_font
    path = ROOT / "fonts" / "NotoSerifSC-Bold.ttf"
    plain = pdfmetrics.getFont(pdf_font(FaceRef(path))).face
    half = pdfmetrics.getFont(pdf_font(FaceRef(path, 0, ("hwid",)))).face
    order = TTFont(path, lazy=True).getGlyphOrder()
    assert order[plain.charToGlyph[ord("2")]] == "two"
    assert order[half.charToGlyph[ord("2")]] != "two" and half.getCharWidth(ord("2")) == 500


def test_tate_chu_yoko_and_turned_latin(serif_fonts):
    from pagesetter.compose.vertical import vertical_units
    units = vertical_units("第135版PPTX", serif_fonts, HouseStyle())
    tcy = next(u for u in units if u.text == "135")
    assert tcy.width == 1.0 and all(g.rotate == 0 for g in tcy.glyphs)
    assert [round(g.cross, 3) for g in tcy.glyphs] == [0.0, 0.333, 0.667]
    turned = next(u for u in units if u.text == "PPTX")
    assert all(g.rotate == 90 for g in turned.glyphs)


def test_subheads_and_bylines_sit_on_the_grid(page):
    layout = page.layout
    lines = page.lines
    for k, p in enumerate(lines):
        on_grid = p.role == "byline" or (p.role == "body" and k and lines[k - 1].role == "subhead")
        if on_grid:  # bylines, and the text after a subhead: the subhead took whole lines
            rows = (p.baseline - layout.type_area.y - ((layout.pitch - p.size) / 2 + 0.88 * p.size)) / layout.pitch
            assert rows == pytest.approx(round(rows), abs=1e-6), p.line.text


def test_running_head(pdf):
    text = re.sub(r"\s+", "", pdf.pages[0].extract_text())
    for item in ("第3版", "湖南·综合", "示例日报", "2021年12月3日", "星期五", "责任编辑：某某"):
        assert item in text


def test_police_briefs_are_boxed_with_a_label(page):
    layout = page.layout
    (box,) = layout.boxes
    assert box.label == "永州公安" and box.tint.k == 6 and box.line_style == "double"
    for fid in ("lengshuitan", "shuangpai", "jiangyong", "xintian"):
        f = layout.frames[fid].box
        a = box.area
        assert a.x <= f.x and f.right <= a.right and a.y <= f.y and f.bottom <= a.bottom
    assert len(page.strokes) >= 8  # two nested rectangles
    assert page.fills[0][1].total <= layout.print.press.ink_limit


def test_demo_figures_are_vector_forms_in_cmyk(pdf):
    """The demo's two figures are SVG drawings: Form XObjects of CMYK paths, their type as
    outlines (no text operator, no picture inside), and no raster picture on the page at all."""
    import re

    xobjects = [x.get_object() for x in pdf.pages[0]["/Resources"]["/XObject"].values()]
    assert not [x for x in xobjects if x["/Subtype"] == "/Image"]
    forms = [x for x in xobjects if x["/Subtype"] == "/Form"]
    assert len(forms) == 2
    for form in forms:
        ops = form.get_data().decode("latin-1")
        assert not re.search(r"\b(rg|RG|sc|scn|SC|SCN|cs|CS|Do|Tf|BI)\b", ops)
        assert len(re.findall(r"\bk\b", ops)) >= 5 and re.search(r"\bc\b", ops)  # CMYK fills, curved outlines


def test_no_text_under_a_picture_or_its_standoff(page):
    for placed in page.images:
        image = placed.image
        a = image.box
        keep_out = (a.x - image.standoff, a.y - image.standoff, a.right + image.standoff, a.bottom + image.standoff)
        for p in page.lines:
            if p.role == "caption" or p.vertical:
                continue
            x1, x2 = p.x, p.x + p.line.width * p.size
            y1, y2 = p.baseline - 0.88 * p.size, p.baseline + 0.12 * p.size
            overlap = x1 < keep_out[2] and x2 > keep_out[0] and y1 < keep_out[3] and y2 > keep_out[1]
            assert not overlap, (image.id, p.line.text)


def test_text_wraps_beside_a_picture(page):
    image = next(p.image for p in page.images if p.image.id == "loudi-figures")
    beside = [p for p in page.lines if p.frame == "loudi-2" and p.role == "body"
              and image.box.y <= p.baseline <= image.box.bottom]
    assert beside and all(p.measure < page.layout.frames["loudi-2"].column_width - 100 for p in beside)


def test_low_resolution_picture_warns(tmp_path):
    from PIL import Image
    small = tmp_path / "small.png"
    Image.new("RGB", (60, 60), (200, 30, 30)).save(small)
    layout = write_demo_layout(tmp_path, **{str(ROOT / "images" / "daoxian-targets.svg"): str(small)})
    result = CliRunner().invoke(main, ["render", str(layout), "-o", str(tmp_path / "o.pdf")])
    assert result.exit_code == 0, result.output
    assert re.search(r"warning: .*image 'daoxian-targets' \(small.png\) prints at \d+ ppi, under 200 ppi", result.output)


@pytest.mark.parametrize("content, message", [
    (b"not an image at all", "cannot read image"),
    (b"GIF89a" + b"\0" * 40, "cannot read image"),
])
def test_broken_images_are_clear_errors(tmp_path, content, message):
    bad = tmp_path / "bad.png"
    bad.write_bytes(content)
    layout = write_demo_layout(tmp_path, **{str(ROOT / "images" / "daoxian-targets.svg"): str(bad)})
    result = CliRunner().invoke(main, ["render", str(layout), "-o", str(tmp_path / "o.pdf")])
    assert result.exit_code == 2 and message in result.output and "images[1].file" in result.output


def test_decompression_bomb_is_refused_without_decoding(tmp_path):
    from PIL import Image
    big = tmp_path / "bomb.png"
    Image.new("1", (10000, 9000)).save(big)  # 90 megapixels, a few kB on disk
    layout = write_demo_layout(tmp_path, **{str(ROOT / "images" / "daoxian-targets.svg"): str(big)})
    result = CliRunner().invoke(main, ["render", str(layout), "-o", str(tmp_path / "o.pdf")])
    assert result.exit_code == 2 and "decompression bomb" in result.output


def test_grey_and_rgb_pictures_convert_within_the_ink_limit():
    from PIL import Image

    from pagesetter.source.pictures import to_cmyk
    rgb = Image.new("RGB", (4, 1))
    rgb.putdata([(0, 0, 0), (255, 255, 255), (120, 0, 0), (10, 200, 30)])
    cmyk = to_cmyk(rgb)
    assert cmyk.mode == "CMYK"
    assert cmyk.getpixel((0, 0)) == (0, 0, 0, 255)  # black is black ink only
    assert all(sum(cmyk.getpixel((x, 0))) <= 2 * 255 for x in range(4))
    assert to_cmyk(Image.new("L", (1, 1), 0)).getpixel((0, 0)) == (0, 0, 0, 255)


def test_headline_breaks_at_its_own_space(serif_fonts):
    style = HouseStyle(first_line_indent=0, orphan_min=0)
    lines = balanced_lines("建设新祁阳 挺进省十强", serif_fonts, style, 8)
    assert [l.text.strip() for l in lines] == ["建设新祁阳", "挺进省十强"]
