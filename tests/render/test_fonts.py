"""The ReportLab faces pagesetter builds read exactly like ReportLab's own parse of the font."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from pagesetter.fonts.cache import font_data
from pagesetter.fonts.metrics import FaceRef
from pagesetter.render import fonts as rfonts

ROOT = Path(__file__).resolve().parents[2]
# the face state that is ReportLab's reading position or only used for shaping (off in pagesetter)
NOT_STATE = {"_pos", "glyphToChar", "_pdfScale", "_ttf_data", "program_sha256"}


def small_font(path: Path, family: str, cmap: dict[int, int], glyphs: int = 40, mac_cmap: bool = False,
               upm: int = 1000) -> None:
    """A small TrueType font whose character map (code point → glyph ID) fontTools writes in
    format 4 (and format 12 past the BMP): scattered glyph IDs make segments with glyph index
    arrays; short ``loca`` offsets; fewer long metrics than glyphs."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    order = [".notdef"] + [f"gl{i}" for i in range(1, glyphs)]
    fb = FontBuilder(upm, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({cp: order[g] for cp, g in cmap.items()})
    outlines = {}
    for i, name in enumerate(order):
        pen = TTGlyphPen(None)
        pen.moveTo((50, -100 + i))
        pen.lineTo((50, 700))
        pen.lineTo((400 + 10 * i, 700))
        pen.closePath()
        outlines[name] = pen.glyph()
    fb.setupGlyf(outlines)
    # the last ten glyphs share one advance: hmtx keeps only their side bearings
    fb.setupHorizontalMetrics({name: (500 + 10 * min(i, glyphs - 10), 50) for i, name in enumerate(order)})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": family, "styleName": "Regular", "psName": family.replace(" ", "") + "-Regular"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    font = fb.font
    if mac_cmap:  # a Macintosh Roman subtable as well, listed last
        from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
        sub = CmapSubtable.newSubtable(6)
        sub.platformID, sub.platEncID, sub.language = 1, 0, 0
        sub.cmap = {cp: order[g] for cp, g in cmap.items() if cp < 256}
        font["cmap"].tables.append(sub)
    font.save(str(path))


def reportlab_and_built(path: Path, index: int = 0):
    data = font_data(path, index)
    stream = io.BytesIO(bytes(data.data))
    stream.name = "x"  # both faces named as the file ReportLab read
    parsed = TTFont("parsed", stream, subfontIndex=index, asciiReadable=0, shapable=False)
    built = rfonts._built_face(data, "x", index)
    assert built is not None
    return data, parsed.face, built.face


def assert_same_face(parsed, built) -> None:
    state = set(vars(parsed)) - NOT_STATE
    assert state - {"charWidths"} <= set(vars(built))  # the widths dict is made when asked for
    for cp in list(parsed.charWidths)[::97] + [0x10FFFF, 0x20, 0xA0]:
        assert built.getCharWidth(cp) == parsed.getCharWidth(cp)  # before the dict is made
    assert "charWidths" not in vars(built)
    for key in sorted(state - {"charToGlyph", "charWidths", "hmetrics", "glyphPos"}):
        assert getattr(built, key) == getattr(parsed, key), key
    assert dict(built.charToGlyph) == parsed.charToGlyph
    assert built.charWidths == parsed.charWidths and type(built.charWidths) is dict  # rl_accel reads a dict
    assert [built.hmetrics[g] for g in range(len(parsed.hmetrics))] == parsed.hmetrics
    assert len(built.hmetrics) == len(parsed.hmetrics)
    assert list(built.glyphPos) == parsed.glyphPos
    for cp in (0x10FFFF, 0xE000 + 1234, 0x20, 0xA0, 0x41):
        assert built.getCharWidth(cp) == parsed.getCharWidth(cp)
    decoded = rfonts._reportlab_cmap(built, -1)  # read from the bytes even where pagesetter's map is the same
    assert {**decoded, 0xA0: decoded[0x20]} == parsed.charToGlyph
    codes = sorted(parsed.charToGlyph)
    sample = [0] + [cp for cp in codes if cp > 0x4E00][:200] + codes[:60] + [ord("A"), ord("1")]
    assert built.makeSubset(sample) == parsed.makeSubset(sample)


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGESETTER_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize("name", ["NotoSerifSC-Regular.ttf", "LXGWWenKai-Regular.ttf"])
def test_built_face_is_reportlabs_face(name):
    data, parsed, built = reportlab_and_built(ROOT / "fonts" / name)
    assert_same_face(parsed, built)
    assert built.charToGlyph == {**data.cmap, 0xA0: data.cmap[0x20]}  # ReportLab's map is pagesetter's, with nbsp


def test_built_face_of_a_format_4_font_with_glyph_arrays_and_a_collection(tmp_path):
    """A BMP-only font: ReportLab's map has what the format 4 subtable lists, glyph 0 included;
    one with plane 2 characters (format 12 as well); the faces of a .ttc at their own offsets."""
    import random
    rng = random.Random(7)
    cmap = {cp: rng.randrange(1, 40) for cp in [*range(0x20, 0x7F), *rng.sample(range(0x4E00, 0x9FA5), 60)]}
    plane_2 = {cp: rng.randrange(1, 40) for cp in rng.sample(range(0x20000, 0x2A6D0), 30)}
    one, two = tmp_path / "one.ttf", tmp_path / "two.ttf"
    small_font(one, "Test One", cmap)
    small_font(two, "Test Two", {cp: 40 - g for cp, g in {**cmap, **plane_2}.items()}, mac_cmap=True)
    for path in (one, two):
        assert_same_face(*reportlab_and_built(path)[1:])
    from fontTools.ttLib import TTCollection
    from fontTools.ttLib import TTFont as FTFont
    collection = TTCollection()
    collection.fonts = [FTFont(str(one)), FTFont(str(two))]
    ttc = tmp_path / "both.ttc"
    collection.save(str(ttc))
    for index in (0, 1):
        assert_same_face(*reportlab_and_built(ttc, index)[1:])


def test_built_face_of_a_2048_unit_font_keeps_the_fonts_own_advances(tmp_path):
    """ReportLab's parse gives the glyphs after the long metrics their advance in 1/1000 em, not
    in font units (its last advance, already scaled), which its subset programs then carry
    (and which made caching its face fail); the built face has the font's own, in the subset too."""
    from fontTools.ttLib import TTFont as FTFont
    path = tmp_path / "units.ttf"
    small_font(path, "Test Units", {cp: 1 + cp % 39 for cp in range(0x20, 0x7F)}, upm=2048)
    data, parsed, built = reportlab_and_built(path)
    assert built.charToGlyph == parsed.charToGlyph and built.charWidths == parsed.charWidths
    assert built.defaultWidth == parsed.defaultWidth and built.unitsPerEm == 2048
    font = FTFont(str(path))
    hmtx, order = font["hmtx"], font.getGlyphOrder()
    assert [built.hmetrics[g] for g in range(len(order))] == [hmtx[name] for name in order]
    codes = [0] + [cp for cp in sorted(built.charToGlyph) if built.charToGlyph[cp]][-20:]
    subset = FTFont(io.BytesIO(built.makeSubset(codes)))
    cmap = subset["cmap"].getcmap(1, 0).cmap  # subset code (position in the list) → glyph
    for code, cp in enumerate(codes[1:], 1):
        assert subset["hmtx"][cmap[code]][0] == hmtx[order[built.charToGlyph[cp]]][0]


def test_a_font_reportlab_must_read_itself_still_renders(tmp_path):
    """ReportLab picks the Macintosh subtable (format 6) when it is the only one it takes:
    no built face; ReportLab's own parse makes it."""
    path = tmp_path / "mac.ttf"
    small_font(path, "Test Mac", {cp: 1 + cp % 30 for cp in range(0x41, 0x5B)}, mac_cmap=True)
    from fontTools.ttLib import TTFont as FTFont
    font = FTFont(str(path))
    font["cmap"].tables = [t for t in font["cmap"].tables if t.platformID == 1]
    font.save(str(path))
    data = font_data(path)
    assert rfonts._built_face(data, "x", 0) is None
    plain = rfonts._plain(FaceRef(path))
    parsed = TTFont("parsed", io.BytesIO(path.read_bytes()), asciiReadable=0, shapable=False)
    assert not isinstance(plain.face, rfonts._Face) and plain.face.charToGlyph == parsed.face.charToGlyph


def test_subset_programs_are_kept_in_the_cache_folder(monkeypatch):
    """A subset program made once is read back from the cache folder (with its compressed
    stream) by the next process; a damaged entry is made again, never trusted."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    from pagesetter.render import streams
    data, parsed, cached = reportlab_and_built(ROOT / "fonts" / "NotoSerifSC-Regular.ttf")
    sample = [0] + [cp for cp in sorted(parsed.charToGlyph) if cp > 0x4E00][300:500]
    want = parsed.makeSubset(sample)
    rfonts._SUBSETS.clear()
    assert cached.makeSubset(sample) == want
    rfonts._SUBSETS.clear()  # as a new process
    streams._KEPT.clear()
    made = []
    monkeypatch.setattr(TTFontFace, "makeSubset", lambda self, subset: made.append(subset) or want)
    assert cached.makeSubset(sample) == want and not made
    assert streams.deflate(want) == __import__("zlib").compress(want, streams.LEVEL)
    assert want in streams._KEPT  # its compressed form came from the cache
    key = (cached.program_sha256, cached.name, tuple(cached.charToGlyph.get(c, 0) for c in sample))
    entry = rfonts._subset_entry(cached, key)
    entry.write_bytes(b"damaged")
    rfonts._SUBSETS.clear()
    assert cached.makeSubset(sample) == want and len(made) == 1


def test_derived_face_replaces_only_the_features_glyphs():
    """hwid: the derived face's digits are the half-width forms; every other character is the plain face's."""
    path = ROOT / "fonts" / "NotoSerifSC-Regular.ttf"
    data = font_data(path)
    subst = data.subst.get("hwid", {})
    if not subst:
        pytest.skip("the font has no hwid forms")
    plain = rfonts._plain(FaceRef(path))
    derived = rfonts._derived(plain, FaceRef(path, 0, ("hwid",)), "derived-test")
    expected = {cp: subst[g] for cp, g in data.cmap.items() if g in subst and rfonts.feature_applies("hwid", cp)}
    assert expected
    for cp, g in data.cmap.items():
        want = expected.get(cp, plain.face.charToGlyph.get(cp))
        assert derived.face.charToGlyph[cp] == want and derived.face.charToGlyph.get(cp) == want
        if cp in expected:
            assert derived.face.getCharWidth(cp) == data.advances[want] * 1000 / data.upm
    assert plain.face.charToGlyph[ord("2")] == data.cmap[ord("2")]  # the plain face is untouched


def test_a_format_12_map_pagesetter_reads_differently_is_read_reportlabs_way(tmp_path):
    """A format 12 group starting at glyph 0: fontTools (so pagesetter) maps none of its first
    code point, ReportLab maps it to .notdef; pagesetter's map is then not taken for ReportLab's."""
    path = tmp_path / "notdef.ttf"
    cmap = {cp: 1 + cp % 30 for cp in [*range(0x20, 0x5B), *range(0x20000, 0x20010)]}
    cmap[0x20100] = 0
    small_font(path, "Test Notdef", cmap)
    data, parsed, built = reportlab_and_built(path)
    assert data.cmap_at == -1 and 0x20100 not in data.cmap and parsed.charToGlyph[0x20100] == 0
    assert_same_face(parsed, built)
    exact = tmp_path / "exact.ttf"
    del cmap[0x20100]
    small_font(exact, "Test Exact", cmap)
    data, parsed, built = reportlab_and_built(exact)
    assert data.cmap_at > 0 and built.charToGlyph == {**data.cmap, 0xA0: data.cmap[0x20]}
    assert_same_face(parsed, built)
