"""What pagesetter needs from a font file, computed once and cached on disk.

The facts the composer and the PDF writer use — character → glyph, advances,
the single substitutions of ``hwid`` and ``vert``, the ink of punctuation — fit
in a few hundred kB. They are stored under the SHA-256 of the font file's bytes,
so an edited or replaced font is never read from a stale entry.

Building them reads only what they come from: the character map and metrics
from their tables' bytes, the ``GSUB`` lookups of the two features through
fontTools, and the headers of the hundred glyphs whose ink is asked for — never
the whole glyph table or 30,000 glyph names (a first render after install reads
six CJK faces).
"""

from __future__ import annotations

import hashlib
import marshal
import struct
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pagesetter.diskcache import cache_dir, read_index, store, write_index
from pagesetter.fonts.charmap import CharMap, stored_array
from pagesetter.errors import PagesetterError

FORMAT = 7  # bump when the cached facts change (5: keyed by SHA-256; 6: map and advances as arrays; 7: points)
FEATURES = ("hwid", "vert")
# Characters whose ink extents the composer asks for: punctuation (trims, vertical forms), dashes, the 〓 mark.
INK_CHARS = ("“‘（《〈【〖〔［｛「『”’）》〉】〗〕］｝」』，、；：。．！？‼⁇⁈⁉·・‧～–—―⸺…⋯／/-〓％℃"
             "︐︑︒︓︔︕︖︗︘︙︵︶︷︸︹︺︻︼︽︾︿﹀﹁﹂﹃﹄")


@dataclass
class FontData:
    """One face of a font file, as pagesetter uses it (glyphs by ID, lengths in font units)."""

    digest: str                       # SHA-256 of the file's bytes (hex)
    upm: int
    ascent: int
    descent: int
    glyf: bool                        # TrueType outlines (embeddable)
    cmap: CharMap                     # code point → glyph ID
    advances: array                   # glyph ID → advance width (unsigned 16-bit)
    subst: dict[str, dict[int, int]]  # feature → {glyph ID → glyph ID}
    ink: dict[int, tuple[int, int, int, int]]  # glyph ID → xMin, xMax, yMin, yMax (for INK_CHARS)
    data: bytes | None = None         # the file's bytes, kept for embedding
    cff: bool = False                 # PostScript outlines: converted to TrueType for embedding
    cmap_at: int = -1                 # file offset of the format 12 subtable ``cmap`` is, code for code
    points: dict[str, list[int]] = field(kw_only=True)  # feature → the code points whose glyph ``subst`` replaces


_MEMORY: dict[tuple[str, int], FontData] = {}
_BY_FILE: dict[tuple, FontData] = {}


def font_data(path: Path, index: int = 0) -> FontData:
    """The face's facts, from memory, the disk cache, or (once) fontTools.

    The file's SHA-256 is remembered against its size and modification time, so a
    font that has not changed is not hashed again; its bytes are memory-mapped
    for embedding, so only the glyphs a page uses are read."""
    try:
        st = path.stat()
        stamp = (str(path.resolve()), st.st_size, st.st_mtime_ns)
        known = _BY_FILE.get(stamp + (index,))
        if known is not None:
            return known
        digest = _digest_index().get("|".join(map(str, stamp)))
        mapped = None
        if digest is None:
            mapped = _map(path)
            digest = hashlib.sha256(mapped).hexdigest()
            _remember_digest("|".join(map(str, stamp)), digest)
        key = (digest, index)
        cached = _MEMORY.get(key)
        if cached is None:
            cached = _load(digest, index)
            if cached is None:
                if mapped is None:
                    mapped = _map(path)
                cached = _build(path, mapped, digest, index)
                _store(cached, index)
            _MEMORY[key] = cached
        if cached.data is None:
            cached.data = mapped if mapped is not None else _map(path)
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
_DIGESTS_FILE = "digests-sha256.marshal"  # stamp → SHA-256 (digests.json held SHA-1s)


def _digest_index() -> dict:
    global _DIGESTS
    if _DIGESTS is None:
        _DIGESTS = read_index(_DIGESTS_FILE)
    return _DIGESTS


def _remember_digest(stamp: str, digest: str) -> None:
    index = _digest_index()
    index[stamp] = digest
    write_index(_DIGESTS_FILE, index)


def _entry(digest: str, index: int) -> Path | None:
    folder = cache_dir()
    return folder / f"font-{digest}-{index}-v{FORMAT}.marshal" if folder else None


def _load(digest: str, index: int) -> FontData | None:
    entry = _entry(digest, index)
    if entry is None or not entry.exists():
        return None
    try:
        d = marshal.loads(entry.read_bytes())
        return FontData(digest, d["upm"], d["ascent"], d["descent"], d["glyf"], CharMap.from_stored(d["cmap"]),
                        stored_array("H", *d["advances"]), d["subst"], d["ink"], cff=d["cff"], cmap_at=d["cmap_at"], points=d["points"])
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return None  # a damaged entry is rebuilt


def _store(data: FontData, index: int) -> None:
    entry = _entry(data.digest, index)
    if entry is None:
        return
    payload = marshal.dumps({"upm": data.upm, "ascent": data.ascent, "descent": data.descent, "glyf": data.glyf,
                             "cmap": data.cmap.stored(), "advances": (data.advances.tobytes(), sys.byteorder),
                             "subst": data.subst, "ink": data.ink,
                             "cff": data.cff, "cmap_at": data.cmap_at, "points": data.points})
    store(entry, payload)


def _build(path: Path, raw, digest: str, index: int) -> FontData:
    """The facts of face ``index`` of the font file whose bytes are ``raw`` (bytes or a memory map)."""
    from fontTools.ttLib import TTFont  # only to build a cache entry

    try:
        font = TTFont(_Reader(raw), fontNumber=index, lazy=True)
        sfnt = font.reader.flavor is None  # tables stored plain (not WOFF): read in place
        upm = font["head"].unitsPerEm
        num_glyphs = font["maxp"].numGlyphs
        has_glyf = "glyf" in font
        cff = not has_glyf and ("CFF " in font or "CFF2" in font)
        if has_glyf:
            # names are only keys here: numbered ones spare deriving 30,000 CJK names from the cmap
            # (seconds); a CFF font keeps its own, by which its charstrings are found
            font.setGlyphOrder(_NumberedNames(num_glyphs))
            font._reverseGlyphOrderDict = _NumberedIds(num_glyphs)  # else fontTools builds a 30,000-name dict
            ids = _numbered_id
        else:
            ids = {name: i for i, name in enumerate(font.getGlyphOrder())}.get
        cmap, cmap_at = _unicode_cmap(font.reader["cmap"], num_glyphs) if "cmap" in font else ({}, -1)
        if cmap_at >= 0:
            cmap_at = font.reader.tables["cmap"].offset + cmap_at if sfnt else -1
        if cmap is None:  # a format read by fontTools alone
            cmap = {cp: g for cp, name in (font.getBestCmap() or {}).items() if (g := ids(name)) is not None}
        advances = _advances(font, num_glyphs)
        if "OS/2" in font:
            ascent, descent = font["OS/2"].sTypoAscender, font["OS/2"].sTypoDescender
        else:
            ascent, descent = font["hhea"].ascent, font["hhea"].descent
        subst = {}
        for feature in FEATURES:
            mapping = _single_substitutions(font, (feature,))
            subst[feature] = {a: b for src, dst in mapping.items()
                              if (a := ids(src)) is not None and (b := ids(dst)) is not None}
        wanted = {cmap[ord(c)] for c in INK_CHARS if ord(c) in cmap}
        wanted |= {m[g] for m in subst.values() for g in list(wanted) if g in m}
        ink = {}
        if has_glyf:
            ink = (_glyph_boxes(font, raw, wanted) if sfnt else None) or {}
            if len(ink) < len(wanted):  # an odd glyph table (or a WOFF): fontTools reads it
                glyf = font["glyf"]
                for g in wanted:
                    glyph = glyf[f"g{g}"]
                    ink[g] = (glyph.xMin, glyph.xMax, glyph.yMin, glyph.yMax) if hasattr(glyph, "xMin") else (0, 0, 0, 0)
        elif cff:
            from fontTools.pens.boundsPen import BoundsPen
            # the charstrings themselves: a glyph set would first read hmtx and vmtx for 65,000 glyphs
            charstrings = next(iter(font["CFF2" if "CFF2" in font else "CFF "].cff.values())).CharStrings
            order = font.getGlyphOrder()
            for g in wanted:
                pen = BoundsPen(None)
                charstrings[order[g]].draw(pen)
                ink[g] = tuple(round(v) for v in (pen.bounds[0], pen.bounds[2], pen.bounds[1], pen.bounds[3])) \
                    if pen.bounds else (0, 0, 0, 0)
    except PagesetterError:
        raise
    except Exception as exc:  # fontTools raises many kinds for damaged files
        raise PagesetterError(f"cannot read font: {type(exc).__name__}: {exc}", file=str(path)) from None
    points = {feature: [cp for cp, g in cmap.items() if g in mapping] for feature, mapping in subst.items()}
    return FontData(digest, upm, ascent, descent, has_glyf, CharMap.from_dict(cmap), advances, subst, ink, cff=cff,
                    cmap_at=cmap_at, points=points)


class _Reader:
    """A file object over bytes or a memory map, read in place (``io.BytesIO`` would copy 15 MB)."""

    def __init__(self, data):
        self.data, self.pos = data, 0

    def read(self, n: int = -1) -> bytes:
        end = len(self.data) if n is None or n < 0 else self.pos + n
        chunk = bytes(self.data[self.pos:end])
        self.pos += len(chunk)
        return chunk

    def seek(self, pos: int, whence: int = 0) -> int:
        self.pos = pos if whence == 0 else (self.pos + pos if whence == 1 else len(self.data) + pos)
        return self.pos

    def tell(self) -> int:
        return self.pos

    def close(self) -> None:
        pass


class _NumberedNames(Sequence):
    """The glyph order g0, g1 … of a TrueType face, without making the 30,000 strings."""

    def __init__(self, count: int):
        self.count = count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [f"g{k}" for k in range(*i.indices(self.count))]
        if i < 0:
            i += self.count
        if not 0 <= i < self.count:
            raise IndexError(i)
        return f"g{i}"


class _NumberedIds(dict):
    """Name → glyph ID for the numbered glyph order, worked out when asked."""

    def __init__(self, count: int):
        super().__init__()
        self.count = count

    def __missing__(self, name: str) -> int:
        g = _numbered_id(name)
        if g is None or g >= self.count:
            raise KeyError(name)
        return g


def _numbered_id(name: str) -> int | None:
    """The glyph ID of a numbered name ``g123`` (fontTools names glyphs past the end ``glyph…``)."""
    return int(name[1:]) if name[:1] == "g" and name[1:].isdigit() else None


def _words(data, signed: bool = False) -> array:
    """Big-endian 16-bit values."""
    a = array("h" if signed else "H", data)
    if sys.byteorder != "big":
        a.byteswap()
    return a


# the (platform, encoding) order of fontTools' getBestCmap (HarfBuzz's)
_CMAP_PREFERENCES = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


def _unicode_cmap(data: bytes, num_glyphs: int) -> tuple[dict[int, int] | None, int]:
    """Code point → glyph ID from the subtable fontTools' ``getBestCmap`` picks, read from the
    table's bytes as fontTools reads it when it is in format 4 or 12 (nearly every font);
    None for anything else, which fontTools then reads. With it, the subtable's offset in the
    table when the map is a format 12 subtable's every code point as listed (else -1)."""
    if len(data) < 4:
        return None, -1
    count = struct.unpack_from(">H", data, 2)[0]
    if len(data) < 4 + 8 * count:
        return None, -1
    records: dict[tuple[int, int], int] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHL", data, 4 + 8 * i)
        records.setdefault((platform, encoding), offset)
    for preference in _CMAP_PREFERENCES:
        offset = records.get(preference)
        if offset is None:
            continue
        if offset + 8 > len(data):
            return None, -1
        fmt = struct.unpack_from(">H", data, offset)[0]
        if fmt == 12:
            mapping, exact = _format_12(data, offset)
        elif fmt == 4:
            mapping, exact = _format_4(data, offset), False
        else:
            return None, -1
        if mapping is None:
            return None, -1
        # fontTools names a glyph ID past the font's end "glyphNNNNN", which is no glyph of it
        if mapping and max(mapping.values()) >= num_glyphs:
            mapping, exact = {cp: g for cp, g in mapping.items() if g < num_glyphs}, False
        return mapping, offset if exact else -1
    return {}, -1


def _format_12(data: bytes, offset: int) -> tuple[dict[int, int] | None, bool]:
    """The map, and whether it holds every code point of every group as listed."""
    _, _, length, _, groups = struct.unpack_from(">HHLLL", data, offset)
    if length == 0 or offset + length > len(data) or length != 16 + 12 * groups:
        return None, False
    values = array("I", data[offset + 16:offset + length])
    if values.itemsize != 4:
        return None, False
    if sys.byteorder != "big":
        values.byteswap()
    mapping: dict[int, int] = {}
    last_end, exact = 0, True
    it = iter(values)
    for n, (start, end, glyph) in enumerate(zip(it, it, it)):
        if end > 0x10FFFF:
            end, exact = 0x10FFFF, False
        if start > end or start < last_end:  # unsorted or overlapping: skipped, as fontTools (HarfBuzz) does
            exact = False
            continue
        if n and start == last_end:  # overrides the previous group's last code point
            exact = False
        last_end = end
        if glyph == 0:  # the missing glyph maps only the group's first code point: nothing
            start, glyph, exact = start + 1, 1, False
        mapping.update(zip(range(start, end + 1), range(glyph, glyph + end + 1 - start)))
    return mapping, exact


def _format_4(data: bytes, offset: int) -> dict[int, int] | None:
    length = struct.unpack_from(">H", data, offset + 2)[0]
    if length < 14 or offset + length > len(data) or length % 2:
        return None
    seg_count = struct.unpack_from(">H", data, offset + 6)[0] // 2
    words = _words(data[offset + 14:offset + length])
    end_code = words[:seg_count]
    rest = words[seg_count + 1:]
    start_code, rest = rest[:seg_count], rest[seg_count:]
    id_delta, rest = rest[:seg_count], rest[seg_count:]
    range_offset, glyph_index = rest[:seg_count], rest[seg_count:]
    n_index = len(glyph_index)
    mapping: dict[int, int] = {}
    for i in range(len(start_code) - 1):  # not the closing 0xFFFF segment
        start, delta, ro = start_code[i], id_delta[i], range_offset[i]
        codes = range(start, end_code[i] + 1)
        if ro == 0:
            gids = [(c + delta) & 0xFFFF for c in codes]
        else:
            partial = ro // 2 - start + i - len(range_offset)
            gids = []
            for c in codes:
                k = c + partial
                if not 0 <= k < n_index:
                    return None  # fontTools refuses the table
                g = glyph_index[k]
                gids.append((g + delta) & 0xFFFF if g else 0)
        mapping.update((c, g) for c, g in zip(codes, gids) if g)
    return mapping


def _advances(font, num_glyphs: int) -> array:
    """Glyph ID → advance width, from the ``hmtx`` bytes as fontTools reads them."""
    hhea = font["hhea"] if "hhea" in font else None
    n = min(int(hhea.numberOfHMetrics) if hhea is not None else num_glyphs, num_glyphs)
    data = font.reader["hmtx"] if "hmtx" in font else b""
    if n == 0 or len(data) < 4 * n + 2 * (num_glyphs - n):
        metrics = font["hmtx"].metrics  # fontTools says what is wrong
        return array("H", [metrics[name][0] if name in metrics else 0 for name in font.getGlyphOrder()])
    advances = _words(data[:4 * n])[0::2]
    advances.extend(array("H", advances[-1:]) * (num_glyphs - n))
    return advances


_HEADER = struct.Struct(">hhhhh")  # numberOfContours, xMin, yMin, xMax, yMax


def _glyph_boxes(font, raw, wanted) -> dict[int, tuple[int, int, int, int]] | None:
    """The bounding boxes in the headers of the ``wanted`` TrueType glyphs, read in place
    through ``loca`` (fontTools' glyf table would first split all 30,000 glyphs); (0, 0, 0, 0)
    for an empty glyph. None when the tables are not as the format says."""
    glyf = font.reader.tables["glyf"]
    loca = font.reader.tables.get("loca")
    if loca is None:
        return None
    long_offsets = font["head"].indexToLocFormat == 1
    size, fmt = (4, ">L") if long_offsets else (2, ">H")
    boxes = {}
    for g in wanted:
        if (g + 2) * size > loca.length:
            return None
        start, end = (struct.unpack_from(fmt, raw, loca.offset + (g + k) * size)[0] for k in (0, 1))
        if not long_offsets:
            start, end = start * 2, end * 2
        if end == start:
            boxes[g] = (0, 0, 0, 0)
            continue
        if end < start + _HEADER.size or end > glyf.length:
            return None
        _, x_min, y_min, x_max, y_max = _HEADER.unpack_from(raw, glyf.offset + start)
        boxes[g] = (x_min, x_max, y_min, y_max)
    return boxes


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
