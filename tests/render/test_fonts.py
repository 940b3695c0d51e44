"""The ReportLab faces pagesetter rebuilds from its cache read exactly like ReportLab's own parse."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from pagesetter.fonts.cache import font_data
from pagesetter.fonts.metrics import FaceRef
from pagesetter.render import fonts as rfonts

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", params=["NotoSerifSC-Regular.ttf", "LXGWWenKai-Regular.ttf"])
def faces(request, tmp_path_factory, monkeypatch_module):
    path = ROOT / "fonts" / request.param
    monkeypatch_module.setenv("PAGESETTER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    data = font_data(path)
    stream = io.BytesIO(bytes(data.data))
    stream.name = "x"
    parsed = TTFont("parsed", stream, asciiReadable=0, shapable=False)
    rfonts._store_face(parsed, data, 0)
    cached = rfonts._cached_face(data, "cached", 0)
    assert cached is not None
    return data, parsed.face, cached.face


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_cached_face_has_reportlabs_character_map_widths_and_metrics(faces):
    data, parsed, cached = faces
    assert "charToGlyph" not in vars(cached) or isinstance(cached.charToGlyph, dict)
    for cp, g in parsed.charToGlyph.items():
        assert cp in cached.charToGlyph and cached.charToGlyph[cp] == g
        assert cached.getCharWidth(cp) == parsed.getCharWidth(cp)
    for cp in (0x10FFFF, 0xE000 + 1234):
        assert (cp in cached.charToGlyph) == (cp in parsed.charToGlyph)
        assert cached.getCharWidth(cp) == parsed.getCharWidth(cp)
    assert [cached.hmetrics[g] for g in range(len(parsed.hmetrics))] == parsed.hmetrics
    assert list(cached.glyphPos) == parsed.glyphPos
    assert cached.program_sha256 and cached.defaultWidth == parsed.defaultWidth


def test_cached_face_makes_the_same_subset_program(faces):
    data, parsed, cached = faces
    sample = [0] + [cp for cp in sorted(parsed.charToGlyph) if cp > 0x4E00][:200] + [ord("A"), ord("1")]
    assert cached.makeSubset(sample) == parsed.makeSubset(sample)


def test_subset_programs_are_kept_in_the_cache_folder(faces, monkeypatch):
    """A subset program made once is read back from the cache folder (with its compressed
    stream) by the next process; a damaged entry is made again, never trusted."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    from pagesetter.render import streams
    data, parsed, cached = faces
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
