import shutil
from pathlib import Path

import pytest

from pagesetter.errors import PagesetterError
from pagesetter.fonts.metrics import FaceRef, FontMetrics
from pagesetter.fonts.registry import FontRegistry

ROOT = Path(__file__).resolve().parents[2]


def test_default_families_and_roles():
    reg = FontRegistry.default()
    assert reg.resolve("书宋").path.name == "NotoSerifSC-Regular.ttf"
    assert reg.resolve("书宋 bold").path.name == "NotoSerifSC-Bold.ttf"
    assert reg.resolve("黑体 bold").path.name == "NotoSansSC-Bold.ttf"
    assert reg.resolve("楷体").path.name == "LXGWWenKai-Regular.ttf"
    assert reg.resolve("headline") == reg.resolve("黑体 bold")
    assert reg.resolve("byline") == reg.resolve("楷体")
    assert reg.resolve("Noto Serif SC") == reg.resolve("书宋")


def test_licences_are_committed_beside_the_fonts():
    fonts = ROOT / "fonts"
    for name in ("OFL-NotoSerifSC.txt", "OFL-NotoSansSC.txt", "OFL-LXGWWenKai.txt", "SOURCES.md"):
        assert (fonts / name).stat().st_size > 100


def test_unknown_family_and_weight():
    reg = FontRegistry.default()
    with pytest.raises(PagesetterError, match="unknown font family"):
        reg.resolve("方正小标宋")
    with pytest.raises(PagesetterError, match="no bold face"):
        reg.resolve("楷体 bold")


def test_user_font_directory_registers_faces_by_family_name(tmp_path):
    shutil.copy(ROOT / "fonts" / "LXGWWenKai-Regular.ttf", tmp_path / "kai.ttf")
    reg = FontRegistry()
    reg.add_dir(tmp_path)
    assert reg.resolve("LXGW WenKai").path == tmp_path / "kai.ttf"


def test_ttc_face_index(tmp_path):
    from fontTools.ttLib import TTCollection, TTFont
    coll = TTCollection()
    coll.fonts = [TTFont(ROOT / "fonts" / "LXGWWenKai-Regular.ttf"), TTFont(ROOT / "fonts" / "NotoSansSC-Bold.ttf")]
    coll.save(tmp_path / "two.ttc")
    reg = FontRegistry()
    reg.add_dir(tmp_path)
    face = reg.resolve("Noto Sans SC bold")
    assert face.index == 1
    assert FontMetrics(face).advance("字") == 1.0


def test_font_without_outlines_is_refused_with_a_clear_message(tmp_path):
    """CFF fonts are converted (tests/fonts/test_cff.py); a font with no outlines at all is refused."""
    from fontTools.fontBuilder import FontBuilder
    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder([".notdef"])
    fb.setupCharacterMap({})
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    pen = T2CharStringPen(500, None)
    fb.setupCFF("Test", {}, {".notdef": pen.getCharString()}, {})
    fb.setupHorizontalMetrics({".notdef": (500, 0)})
    fb.setupHorizontalHeader()
    fb.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    del fb.font["CFF "]
    fb.save(tmp_path / "bare.otf")
    with pytest.raises(PagesetterError, match="no outlines"):
        FontMetrics(FaceRef(tmp_path / "bare.otf"))


def test_missing_glyph_is_an_error_not_a_blank():
    m = FontMetrics(FaceRef(ROOT / "fonts" / "NotoSerifSC-Regular.ttf"))
    with pytest.raises(PagesetterError, match=r"U\+1F600"):
        m.advance("😀")
