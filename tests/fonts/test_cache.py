"""The font cache: what it reads from a font file."""


def test_numbered_glyph_names_read_the_same_map_and_advances_as_the_fonts_own():
    """_build names a TrueType font's glyphs g0, g1 … (deriving 30,000 names from the cmap
    took seconds); the character map and advances must be what fontTools reads by real name."""
    from pathlib import Path

    from fontTools.ttLib import TTFont

    from pagesetter.fonts import cache
    path = Path(__file__).resolve().parents[2] / "fonts" / "LXGWWenKai-Regular.ttf"
    data = cache._build(path, path.read_bytes(), "test", 0)
    font = TTFont(path, lazy=True)
    order = font.getGlyphOrder()
    best = font.getBestCmap()
    assert data.cmap == {cp: font.getGlyphID(name) for cp, name in best.items()}
    hmtx = font["hmtx"].metrics
    assert list(data.advances) == [hmtx[name][0] for name in order]


def test_substitutions_and_ink_are_what_fonttools_reads_by_real_name():
    """The hwid/vert substitutions (GSUB, by glyph ID) and the ink boxes read from the glyph
    headers in place are those of fontTools' own glyf table and GSUB, by the font's names."""
    from pathlib import Path

    from fontTools.ttLib import TTFont

    from pagesetter.fonts import cache
    path = Path(__file__).resolve().parents[2] / "fonts" / "NotoSansSC-Bold.ttf"
    data = cache._build(path, path.read_bytes(), "test", 0)
    font = TTFont(path, lazy=True)
    order = font.getGlyphOrder()
    for feature in cache.FEATURES:
        named = cache._single_substitutions(font, (feature,))
        assert named and data.subst[feature] == {font.getGlyphID(a): font.getGlyphID(b) for a, b in named.items()}
    glyf = font["glyf"]
    assert len(data.ink) > 80
    for g, box in data.ink.items():
        glyph = glyf[order[g]]
        assert box == ((glyph.xMin, glyph.xMax, glyph.yMin, glyph.yMax) if hasattr(glyph, "xMin") else (0, 0, 0, 0))
    assert data.ink[data.cmap[ord("，")]][1] < data.advances[data.cmap[ord("，")]] / 2  # a comma's ink sits left
