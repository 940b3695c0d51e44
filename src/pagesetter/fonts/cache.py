"""What pagesetter needs from a font file, computed once and cached on disk.

Reading a CJK font's character map with fontTools takes about a second; the
facts the composer and the PDF writer use — character → glyph, advances, the
single substitutions of ``hwid`` and ``vert``, the ink of punctuation — fit in
a few hundred kB. They are stored under the SHA-1 of the font file's bytes, so
an edited or replaced font is never read from a stale entry.
"""

from __future__ import annotations

import hashlib
import marshal
from dataclasses import dataclass
from pathlib import Path

from pagesetter.diskcache import cache_dir, store
from pagesetter.errors import PagesetterError

FORMAT = 4  # bump when the cached facts change
FEATURES = ("hwid", "vert")
# Characters whose ink extents the composer asks for: punctuation (trims, vertical forms), dashes, the 〓 mark.
INK_CHARS = ("“‘（《〈【〖〔［｛「『”’）》〉】〗〕］｝」』，、；：。．！？‼⁇⁈⁉·・‧～–—―⸺…⋯／/-〓％℃"
             "︐︑︒︓︔︕︖︗︘︙︵︶︷︸︹︺︻︼︽︾︿﹀﹁﹂﹃﹄")


@dataclass
class FontData:
    """One face of a font file, as pagesetter uses it (glyphs by ID, lengths in font units)."""

    digest: str
    upm: int
    ascent: int
    descent: int
    glyf: bool                        # TrueType outlines (embeddable)
    cmap: dict[int, int]              # code point → glyph ID
    advances: list[int]               # glyph ID → advance width
    subst: dict[str, dict[int, int]]  # feature → {glyph ID → glyph ID}
    ink: dict[int, tuple[int, int, int, int]]  # glyph ID → xMin, xMax, yMin, yMax (for INK_CHARS)
    data: bytes | None = None         # the file's bytes, kept for embedding
    cff: bool = False                 # PostScript outlines: converted to TrueType for embedding


_MEMORY: dict[tuple[str, int], FontData] = {}
_BY_FILE: dict[tuple, FontData] = {}


def font_data(path: Path, index: int = 0) -> FontData:
    """The face's facts, from memory, the disk cache, or (once) fontTools.

    The file's SHA-1 is remembered against its size and modification time, so a
    font that has not changed is not hashed again; its bytes are memory-mapped
    for embedding, so only the glyphs a page uses are read."""
    try:
        st = path.stat()
        stamp = (str(path.resolve()), st.st_size, st.st_mtime_ns)
        known = _BY_FILE.get(stamp + (index,))
        if known is not None:
            return known
        digest = _digest_index().get("|".join(map(str, stamp)))
        raw = None
        if digest is None:
            raw = path.read_bytes()
            digest = hashlib.sha1(raw).hexdigest()
            _remember_digest("|".join(map(str, stamp)), digest)
        key = (digest, index)
        cached = _MEMORY.get(key)
        if cached is None:
            cached = _load(digest, index)
            if cached is None:
                cached = _build(path, raw if raw is not None else path.read_bytes(), digest, index)
                _store(cached, index)
            _MEMORY[key] = cached
        if cached.data is None:
            cached.data = _map(path)
    except OSError as exc:
        raise PagesetterError(f"cannot read font: {exc.strerror}", file=str(path)) from None
    _BY_FILE[stamp + (index,)] = cached
    return cached


def _map(path: Path):
    import mmap
    with open(path, "rb") as f:
        try:
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):  # empty file or no mmap: read it
            return f.read()


_DIGESTS: dict | None = None


def _digest_index() -> dict:
    global _DIGESTS
    if _DIGESTS is None:
        _DIGESTS = {}
        folder = cache_dir()
        if folder is not None:
            try:
                import json
                _DIGESTS = json.loads((folder / "digests.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                _DIGESTS = {}
    return _DIGESTS


def _remember_digest(stamp: str, digest: str) -> None:
    index = _digest_index()
    index[stamp] = digest
    folder = cache_dir()
    if folder is None:
        return
    import json
    store(folder / "digests.json", json.dumps(index).encode("utf-8"))


def _entry(digest: str, index: int) -> Path | None:
    folder = cache_dir()
    return folder / f"font-{digest}-{index}-v{FORMAT}.marshal" if folder else None


def _load(digest: str, index: int) -> FontData | None:
    entry = _entry(digest, index)
    if entry is None or not entry.exists():
        return None
    try:
        d = marshal.loads(entry.read_bytes())
        return FontData(digest, d["upm"], d["ascent"], d["descent"], d["glyf"], d["cmap"], d["advances"],
                        d["subst"], d["ink"], cff=d["cff"])
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return None  # a damaged entry is rebuilt


def _store(data: FontData, index: int) -> None:
    entry = _entry(data.digest, index)
    if entry is None:
        return
    payload = marshal.dumps({"upm": data.upm, "ascent": data.ascent, "descent": data.descent, "glyf": data.glyf,
                             "cmap": data.cmap, "advances": data.advances, "subst": data.subst, "ink": data.ink,
                             "cff": data.cff})
    store(entry, payload)


def _build(path: Path, raw: bytes, digest: str, index: int) -> FontData:
    import io

    from fontTools.ttLib import TTFont  # only to build a cache entry: tens of ms
    try:
        font = TTFont(io.BytesIO(raw), fontNumber=index, lazy=True)
        upm = font["head"].unitsPerEm
        if "glyf" in font:
            # names are only keys here: numbered ones spare deriving 30,000 CJK names from the cmap
            # (seconds); a CFF font keeps its own, by which its charstrings are found
            font.setGlyphOrder([f"g{i}" for i in range(font["maxp"].numGlyphs)])
        order = font.getGlyphOrder()
        gid = {name: i for i, name in enumerate(order)}
        cmap = {cp: gid[name] for cp, name in (font.getBestCmap() or {}).items() if name in gid}
        metrics = font["hmtx"].metrics
        advances = [metrics[name][0] if name in metrics else 0 for name in order]
        if "OS/2" in font:
            ascent, descent = font["OS/2"].sTypoAscender, font["OS/2"].sTypoDescender
        else:
            ascent, descent = font["hhea"].ascent, font["hhea"].descent
        subst = {}
        for feature in FEATURES:
            mapping = _single_substitutions(font, (feature,))
            subst[feature] = {gid[a]: gid[b] for a, b in mapping.items() if a in gid and b in gid}
        has_glyf = "glyf" in font
        cff = not has_glyf and ("CFF " in font or "CFF2" in font)
        ink = {}
        wanted = {cmap[ord(c)] for c in INK_CHARS if ord(c) in cmap}
        wanted |= {m[g] for m in subst.values() for g in list(wanted) if g in m}
        if has_glyf:
            glyf = font["glyf"]
            for g in wanted:
                glyph = glyf[order[g]]
                if hasattr(glyph, "xMin"):
                    ink[g] = (glyph.xMin, glyph.xMax, glyph.yMin, glyph.yMax)
                else:
                    ink[g] = (0, 0, 0, 0)
        elif cff:
            from fontTools.pens.boundsPen import BoundsPen
            glyph_set = font.getGlyphSet()
            for g in wanted:
                pen = BoundsPen(glyph_set)
                glyph_set[order[g]].draw(pen)
                ink[g] = tuple(round(v) for v in (pen.bounds[0], pen.bounds[2], pen.bounds[1], pen.bounds[3])) \
                    if pen.bounds else (0, 0, 0, 0)
    except PagesetterError:
        raise
    except Exception as exc:  # fontTools raises many kinds for damaged files
        raise PagesetterError(f"cannot read font: {type(exc).__name__}: {exc}", file=str(path)) from None
    return FontData(digest, upm, ascent, descent, has_glyf, cmap, advances, subst, ink, cff=cff)


def _single_substitutions(font, features) -> dict[str, str]:
    mapping: dict[str, str] = {}
    if "GSUB" not in font:
        return mapping
    table = font["GSUB"].table
    if not table.FeatureList:
        return mapping
    for record in table.FeatureList.FeatureRecord:
        if record.FeatureTag not in features:
            continue
        for i in record.Feature.LookupListIndex:
            for sub in table.LookupList.Lookup[i].SubTable:
                sub = getattr(sub, "ExtSubTable", sub)
                if hasattr(sub, "mapping"):
                    for src, dst in sub.mapping.items():
                        mapping.setdefault(src, dst)
    return mapping
