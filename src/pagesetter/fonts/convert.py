"""PostScript (CFF) outlines → TrueType outlines, so ReportLab can embed the face.

Most CJK fonts a newsroom has (思源宋体 / Source Han, Noto CJK, commercial
.otf) draw their glyphs in CFF. fontTools converts each glyph's cubic curves to
quadratic ones (cu2qu, within 1 font unit, as fontTools' otf2ttf snippet does);
advances are copied unchanged, so what the composer measured is what is drawn.
The features (vert, hwid) are read from the source font (fonts.cache) and
applied by the PDF writer through ``glyph_map``; the embedded font needs no GSUB.

A 65,000-glyph CJK face takes minutes to convert whole (bench/cff.py: about
2 ms of CPU a glyph, some 140 s for Noto Serif CJK SC), so the face is first cut
down to the glyphs a document uses (fontTools' subsetter, which keeps their
order), then converted: a page of 750 different characters takes about 2.5 s
once, and the result is cached under the font's content hash and the glyph set.
"""

from __future__ import annotations

import hashlib
import io

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

MAX_ERR = 1.0  # font units

_MEMORY: dict[str, bytes] = {}


def is_cff(font: TTFont) -> bool:
    return "glyf" not in font and ("CFF " in font or "CFF2" in font)


def glyph_map(glyph_ids: frozenset[int] | None) -> dict[int, int] | None:
    """Glyph ID in the source face → glyph ID in the converted font (None: the same)."""
    return None if glyph_ids is None else {old: new for new, old in enumerate(sorted(glyph_ids | {0}))}


def truetype_bytes(raw: bytes, index: int, digest: str, glyph_ids: frozenset[int] | None) -> bytes:
    """The face ``index`` of the CFF font ``raw`` as a single TrueType font with the glyphs
    ``glyph_ids`` (numbered as ``glyph_map`` says), or all glyphs when None.
    Cached on disk by content hash and glyph set."""
    from pagesetter.diskcache import cache_dir, store

    ids = "all" if glyph_ids is None else hashlib.sha1(",".join(map(str, sorted(glyph_ids))).encode()).hexdigest()[:16]
    key = f"ttf-{digest}-{index}-{ids}"
    known = _MEMORY.get(key)
    if known is not None:
        return known
    folder = cache_dir()
    entry = folder / f"{key}.ttf" if folder else None
    if entry is not None and entry.exists():
        try:
            data = entry.read_bytes()
            _MEMORY[key] = data
            return data
        except OSError:
            pass
    font = TTFont(io.BytesIO(raw), fontNumber=index, lazy=False)
    if glyph_ids is not None:
        _subset(font, frozenset(glyph_ids | {0}))
    convert(font)
    out = io.BytesIO()
    font.save(out)
    data = out.getvalue()
    _MEMORY[key] = data
    if entry is not None:
        store(entry, data)
    return data


def _subset(font: TTFont, glyph_ids: frozenset[int]) -> None:
    """Keep ``glyph_ids`` only, in their order (so ``glyph_map`` numbers them)."""
    from fontTools import subset

    from pagesetter.errors import PagesetterError
    order = font.getGlyphOrder()
    kept = [order[g] for g in sorted(glyph_ids) if g < len(order)]
    # features are applied by pagesetter (fonts.cache), not by the PDF viewer
    for tag in ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "VORG", "vhea", "vmtx", "DSIG"):
        if tag in font:
            del font[tag]
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=sorted(glyph_ids))
    subsetter.subset(font)
    if font.getGlyphOrder() != kept:
        raise PagesetterError("converting the CFF font changed its glyph order")


def convert(font: TTFont) -> None:
    """Replace the CFF table of ``font`` by glyf/loca, in place."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    for tag in ("CFF ", "CFF2", "VORG"):
        if tag in font:
            del font[tag]
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)  # the advance stays exactly as it was
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    maxp.compile(font)
    font["post"].formatType = 3.0  # no glyph names: nothing reads them, and CJK fonts have tens of thousands
    font.sfntVersion = "\000\001\000\000"
