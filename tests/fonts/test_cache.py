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
    assert data.advances == [hmtx[name][0] for name in order]
