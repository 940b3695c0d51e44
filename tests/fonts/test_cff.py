"""Fonts a newsroom has: CFF-outline .otf/.otc converted to TrueType, system fonts, synthetic bold."""

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from pagesetter.app.pipeline import render_layout
from pagesetter.fonts import registry as registry_module
from pagesetter.diskcache import cache_dir
from pagesetter.fonts.metrics import FaceRef, FontMetrics
from pagesetter.fonts.registry import FontRegistry

ROOT = Path(__file__).resolve().parents[2]
TEXT = "报道称今年全市新建道路共计一百公里，群众满意。“好”（好）ABC123"
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def make_cff_otf(source: Path, out: Path, text: str, family: str) -> None:
    """A small CFF-outline OpenType font: ``source`` cut down to ``text``, its quadratic
    outlines redrawn as CFF charstrings, features vert/hwid/halt kept."""
    from fontTools import subset
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    font = TTFont(source)
    options = subset.Options()
    options.layout_features = ["vert", "hwid", "halt"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    glyph_set = font.getGlyphSet()
    charstrings = {}
    for name in font.getGlyphOrder():
        pen = T2CharStringPen(font["hmtx"][name][0], glyph_set)
        glyph_set[name].draw(pen)
        charstrings[name] = pen.getCharString()
    for tag in ("glyf", "loca", "fpgm", "prep", "cvt ", "gasp"):
        if tag in font:
            del font[tag]
    ps = family.replace(" ", "") + "-Regular"
    FontBuilder(font=font).setupCFF(ps, {"FullName": family}, charstrings, {})
    font["maxp"].tableVersion = 0x00005000
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID in (4, 6):
            record.string = ps
    font.sfntVersion = "OTTO"
    font.save(out)


@pytest.fixture(scope="module")
def cff_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cff")
    make_cff_otf(ROOT / "fonts" / "NotoSansSC-Regular.ttf", folder / "TestCFF-Regular.otf", TEXT, "Test CFF Sans")
    return folder


LAYOUT = """\
name: cff
title: 测试
page: {{size: A4, margins: 15mm}}
grid: {{columns: 1, body: {{font: {font}, size: 10pt, leading: 15pt}}}}
fonts: {fonts}
frames:
  main: {{x: 0字, measure: 20字, line: 1, lines: 20}}
stories:
  - article: a.md
    frames: [main]
    headline: false
"""


def write_layout(folder: Path, font: str, fonts: str, text: str = TEXT) -> Path:
    (folder / "a.md").write_text(f"---\ntitle: x\n---\n\n{text}\n", encoding="utf-8")
    path = folder / "cff.yaml"
    path.write_text(LAYOUT.format(font=font, fonts=fonts), encoding="utf-8")
    return path


def pdf_widths(pdf: Path, stem: str) -> dict[str, float]:
    """Character → width (1/1000 em) in the embedded fonts whose name contains ``stem``."""
    widths: dict[str, float] = {}
    for font in PdfReader(pdf).pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        if stem not in str(font["/BaseFont"]):
            continue
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, "embedded as TrueType"
        first = font["/FirstChar"]
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        for code, uni in re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4,8})>", cmap):
            widths[chr(int(uni, 16))] = float(font["/Widths"][int(code, 16) - first])
    return widths


def test_cff_face_is_measured_like_its_source(cff_dir):
    source = FontMetrics(FaceRef(ROOT / "fonts" / "NotoSansSC-Regular.ttf"))
    cff = FontMetrics(FaceRef(cff_dir / "TestCFF-Regular.otf"))
    assert cff.data.cff and not cff.data.glyf
    for ch in set(TEXT):
        assert cff.advance(ch) == source.advance(ch), ch
    vert = FontMetrics(FaceRef(cff_dir / "TestCFF-Regular.otf", 0, ("vert",)))
    assert vert.substituted("，") and vert.substituted("（")
    hwid = FontMetrics(FaceRef(cff_dir / "TestCFF-Regular.otf", 0, ("hwid",)))
    assert hwid.advance("1") == FontMetrics(FaceRef(ROOT / "fonts" / "NotoSansSC-Regular.ttf", 0, ("hwid",))).advance("1")
    # punctuation ink comes from the CFF outlines
    assert cff.ink("，") == pytest.approx(source.ink("，"), abs=0.002)


def test_cff_font_renders_embedded_as_truetype_with_exact_advances(cff_dir, tmp_path):
    out = tmp_path / "cff.pdf"
    render_layout(write_layout(tmp_path, "Test CFF Sans", f"{{dirs: [{cff_dir}]}}"), out)
    widths = pdf_widths(out, "TestCFF")
    source = TTFont(ROOT / "fonts" / "NotoSansSC-Regular.ttf", lazy=True)
    cmap, hmtx, upm = source.getBestCmap(), source["hmtx"], source["head"].unitsPerEm
    han = [ch for ch in set(TEXT) if "\u4e00" <= ch <= "\u9fff"]
    assert set(han) <= set(widths)
    for ch in han:
        assert widths[ch] == pytest.approx(hmtx[cmap[ord(ch)]][0] * 1000 / upm, abs=0.5), ch
    text = re.sub(r"\s", "", PdfReader(out).pages[0].extract_text())
    assert "一百公里" in text
    # converted once, kept under the font's content hash
    digest = hashlib.sha256((cff_dir / "TestCFF-Regular.otf").read_bytes()).hexdigest()
    assert list(cache_dir().glob(f"ttf-{digest}-0-*.ttf"))


def test_vertical_forms_of_a_cff_font_are_drawn(cff_dir, tmp_path):
    from pagesetter.fonts.metrics import metrics_for
    from pagesetter.render.fonts import pdf_font, plan_cff
    from reportlab.pdfbase import pdfmetrics

    ref = FaceRef(cff_dir / "TestCFF-Regular.otf", 0, ("vert",))
    m = metrics_for(ref)
    plan_cff({(ref.path, 0): {m.glyph(ord("，")), m.data.cmap[ord("，")]}})
    face = pdfmetrics.getFont(pdf_font(ref)).face
    plain = pdfmetrics.getFont(pdf_font(FaceRef(ref.path))).face
    assert face.charToGlyph[ord("，")] != plain.charToGlyph[ord("，")]


def test_system_fonts_by_chinese_family_name_without_fontconfig(tmp_path, monkeypatch):
    shutil.copy(ROOT / "fonts" / "LXGWWenKai-Regular.ttf", tmp_path / "wenkai.ttf")
    (tmp_path / "broken.otf").write_bytes(b"\x00\x01\x00\x00" + b"\xff" * 200)
    monkeypatch.setattr(registry_module, "_SYSTEM", None)
    monkeypatch.setattr(registry_module, "SYSTEM_DIRS", [str(tmp_path)])
    monkeypatch.setattr(shutil, "which", lambda name: None)
    reg = FontRegistry()
    reg.add_system()
    assert reg.resolve("霞鹜文楷").path == tmp_path / "wenkai.ttf"
    assert reg.resolve("LXGW WenKai").path == tmp_path / "wenkai.ttf"
    assert any("broken.otf: cannot read font" in s for s in reg.skipped)


def test_skipped_fonts_are_reported_with_their_reason(tmp_path, monkeypatch):
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef"])
    fb.setupCharacterMap({})
    fb.setupGlyf({".notdef": TTGlyphPen(None).glyph()})
    fb.setupHorizontalMetrics({".notdef": (500, 0)})
    fb.setupHorizontalHeader()
    fb.setupNameTable({"familyName": "Bitmap Only", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    del fb.font["glyf"], fb.font["loca"]
    folder = tmp_path / "sys"
    folder.mkdir()
    fb.save(folder / "bitmap.ttf")
    monkeypatch.setattr(registry_module, "_SYSTEM", None)
    monkeypatch.setattr(registry_module, "system_font_files", lambda: [folder / "bitmap.ttf"])
    result = render_layout(write_layout(tmp_path, "书宋", "{system: true}", "正文。"), tmp_path / "s.pdf")
    warnings = result.pages[0].warnings
    assert any("font skipped" in w and "bitmap.ttf" in w and "no TrueType or CFF outlines" in w for w in warnings)


def test_synthetic_bold_strokes_the_regular_face(tmp_path):
    reg = FontRegistry.default()
    face = reg.resolve("楷体 synthetic-bold")
    assert face.path.name == "LXGWWenKai-Regular.ttf" and face.features == ("stroke",)
    assert reg.resolve("楷体 加粗") == face
    with pytest.raises(Exception, match="synthetic-bold"):
        reg.resolve("楷体 bold")
    out = tmp_path / "b.pdf"
    layout = write_layout(tmp_path, "书宋", "{}", "正文。").read_text(encoding="utf-8")
    layout = layout.replace("headline: false", "headline: {size: 18pt, title: 楷体加粗标题, font: 楷体 加粗}")
    (tmp_path / "cff.yaml").write_text(layout, encoding="utf-8")
    render_layout(tmp_path / "cff.yaml", out)
    content = PdfReader(out).pages[0].get_contents().get_data().decode("latin-1")
    assert re.search(r"2 Tr [\d.]+ w", content) and "0 Tr" in content
    # the body is not stroked
    assert content.count("2 Tr") == 1


@pytest.mark.skipif(not NOTO_CJK.is_file(), reason="Debian's fonts-noto-cjk is not installed")
def test_noto_cjk_collection_renders_embedded_with_source_advances(tmp_path):
    """NotoSerifCJK-Regular.ttc: CFF outlines in a collection; face 2 is Simplified Chinese."""
    text = "排版系统使用思源宋体，《新闻》“标题”。2021年12月"
    out = tmp_path / "noto.pdf"
    # a system folder lies outside the project root: it comes in as a trusted --font-dir
    render_layout(write_layout(tmp_path, "Noto Serif CJK SC", "{}", text), out, font_dirs=[NOTO_CJK.parent])
    widths = pdf_widths(out, "NotoSerifCJK")
    source = TTFont(NOTO_CJK, fontNumber=2, lazy=True)
    cmap, hmtx, upm = source.getBestCmap(), source["hmtx"], source["head"].unitsPerEm
    han = {ch for ch in text if "\u4e00" <= ch <= "\u9fff"}
    assert han <= set(widths)
    for ch in han:
        assert widths[ch] == pytest.approx(hmtx[cmap[ord(ch)]][0] * 1000 / upm, abs=0.5), ch
    assert "思源宋体" in re.sub(r"\s", "", PdfReader(out).pages[0].extract_text())


@pytest.mark.skipif(not NOTO_CJK.is_file(), reason="Debian's fonts-noto-cjk is not installed")
def test_noto_cjk_through_system_fonts(tmp_path):
    from click.testing import CliRunner

    from pagesetter.app.cli import main
    layout = write_layout(tmp_path, "Noto Serif CJK SC", "{}", "系统字体里的思源宋体。")
    result = CliRunner().invoke(main, ["render", str(layout), "-o", str(tmp_path / "s.pdf"), "--system-fonts"])
    assert result.exit_code == 0, result.output
    assert pdf_widths(tmp_path / "s.pdf", "NotoSerifCJK")


def test_otc_collection_face_by_index(cff_dir, tmp_path):
    from fontTools.ttLib import TTCollection
    first = TTFont(cff_dir / "TestCFF-Regular.otf")
    second = TTFont(cff_dir / "TestCFF-Regular.otf")
    for record in second["name"].names:
        if record.nameID in (1, 16):
            record.string = "Test CFF Two"
    collection = TTCollection()
    collection.fonts = [first, second]
    folder = tmp_path / "otc"
    folder.mkdir()
    collection.save(folder / "two.otc")
    reg = FontRegistry()
    reg.add_dir(folder)
    face = reg.resolve("Test CFF Two")
    assert (face.path.name, face.index) == ("two.otc", 1)
    out = tmp_path / "otc.pdf"
    render_layout(write_layout(tmp_path, "Test CFF Two", f"{{dirs: [{folder}]}}"), out)
    assert set("一百公里") <= set(pdf_widths(out, "TestCFF"))
