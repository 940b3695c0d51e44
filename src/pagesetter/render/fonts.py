"""Faces registered with ReportLab, one per ``FaceRef``.

A TrueType face is ReportLab's, built without ReportLab's parse of the whole
font: its header facts from ReportLab's own reading of the small tables, its
character map, metrics and glyph offsets read from the tables' bytes exactly as
ReportLab reads them (formats 4 and 12 of the character map; any other goes
through ReportLab's parse).

A face with features (``hwid``, ``vert``) is the plain face with its
character → glyph map patched from the cached substitutions, under a name of
its own (ReportLab shares one face among fonts with the same PostScript name,
which would silently draw the plain glyphs). Nothing is re-parsed or re-saved.
"""

from __future__ import annotations

import copy
import io
import struct
import sys
from array import array
from weakref import WeakKeyDictionary

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from pagesetter.errors import PagesetterError
from pagesetter.fonts.cache import font_data
from pagesetter.fonts.metrics import FaceRef, feature_applies

_REGISTERED: set[str] = set()
_PLAIN: dict[tuple, TTFont] = {}
# CFF faces: the glyph IDs converted to TrueType so far, per (path, index)
_CFF_GLYPHS: dict[tuple, frozenset[int]] = {}
_NAMES: dict[tuple, set[str]] = {}  # (path, index) → the names registered from it


def plan_document(pages, extra_text: str = "") -> None:
    """Note the glyphs of CFF faces the pages draw (and ``extra_text`` in the body face: the slug)."""
    import string

    from pagesetter.fonts.metrics import cff_measured, metrics_for
    glyphs: dict[tuple, set[int]] = {}

    def add(font, ch: str) -> None:
        data = getattr(font, "data", None)
        if data is None or not data.cff:
            return
        ids = glyphs.setdefault((font.ref.path, font.ref.index), set())
        for g in (data.cmap.get(ord(ch)), font.glyph(ord(ch))):
            if g is not None:
                ids.add(g)

    cff: dict[int, bool] = {}  # id(face) → whether a CFF face (most pages have none)
    for page in pages if cff_measured() else ():  # every face a line is set in was measured
        for placed in page.lines:
            drawn = placed.line.glyphs
            fonts = [g.font for g in drawn]
            if not fonts:
                continue
            for font in fonts[:1] if fonts.count(fonts[0]) == len(fonts) else {id(f): f for f in fonts}.values():
                known = cff.get(id(font))
                if known is None:
                    data = getattr(font, "data", None)
                    known = cff[id(font)] = data is not None and bool(data.cff)
                if known:
                    for g in drawn:
                        if g.font is font:
                            add(font, g.char)
    if pages:
        body = metrics_for(pages[0].layout.body.face)
        if body.data.cff:
            titles = "".join(p.layout.title or "" for p in pages)
            for ch in set(extra_text + string.printable + titles + "第版·〓"):
                add(body, ch)
    plan_cff(glyphs)


def plan_cff(glyphs: dict[tuple, set[int]]) -> None:
    """Before a document is drawn: the glyph IDs it uses in each CFF face, (path, index) → IDs.
    A face whose converted glyphs do not cover them is converted again (with the union)."""
    for key, ids in glyphs.items():
        have = _CFF_GLYPHS.get(key, frozenset())
        if ids <= have:
            continue
        _CFF_GLYPHS[key] = have | frozenset(ids)
        if _PLAIN.pop(key, None) is not None:
            _REGISTERED.difference_update(_NAMES.pop(key, ()))


def pdf_font(ref: FaceRef) -> str:
    """The ReportLab font name for ``ref``, registering it on first use."""
    name = ref.key
    if name in _REGISTERED:
        return name
    plain = _plain(ref)
    font = plain if not ref.features else _derived(plain, ref, name)
    font.fontName = name
    pdfmetrics.registerFont(font)
    _REGISTERED.add(name)
    _NAMES.setdefault((ref.path, ref.index), set()).add(name)
    return name


def _plain(ref: FaceRef) -> TTFont:
    key = (ref.path, ref.index)
    font = _PLAIN.get(key)
    if font is None:
        data = font_data(ref.path, ref.index)
        name = FaceRef(ref.path, ref.index).key
        font = _built_face(data, name, ref.index) if not data.cff else None
        if font is None:
            raw, index = bytes(data.data), ref.index
            if data.cff:
                from pagesetter.fonts.convert import truetype_bytes
                raw, index = truetype_bytes(raw, ref.index, data.digest, _CFF_GLYPHS.get(key)), 0
            stream = io.BytesIO(raw)
            stream.name = name  # ReportLab names the embedded file after this
            try:
                font = TTFont(name, stream, subfontIndex=index, asciiReadable=0, shapable=False)
            except Exception as exc:  # ReportLab raises bare TTFError/AssertionError for odd fonts
                raise PagesetterError(f"cannot embed font: {exc}", file=str(ref.path)) from None
            if data.cff:
                from pagesetter.fonts.convert import glyph_map
                font.glyph_map = glyph_map(_CFF_GLYPHS.get(key))
        _PLAIN[key] = font
    return font


class _Face(TTFontFace):
    """ReportLab's face of a TrueType font, built by ``_built_face``: the glyph table is
    sliced from the memory-mapped file glyph by glyph, never copied whole.

    Its ``charWidths`` (30,000 entries, ~10 ms a face) is made only when something asks
    for the dict itself (ReportLab's ``stringWidth``, whose C accelerator reads a dict);
    the PDF's width arrays ask ``getCharWidth``, for the characters a page draws."""

    _widths_from: tuple | None = None  # (base face, {code point: width}) for a copy with some widths changed

    def __getattr__(self, name):
        if name == "charWidths":
            widths = self.charWidths = self._all_widths()
            return widths
        raise AttributeError(name)

    def _all_widths(self) -> dict:
        if self._widths_from is None:
            return _widths(self.charToGlyph, self.hmetrics.aw, self.unitsPerEm)
        base, changed = self._widths_from
        return {**base.charWidths, **changed}

    def getCharWidth(self, code):
        widths = self.__dict__.get("charWidths")
        if widths is not None:
            return widths.get(code, self.defaultWidth)
        if self._widths_from is not None:
            base, changed = self._widths_from
            return changed[code] if code in changed else base.getCharWidth(code)
        g = self.charToGlyph.get(code)
        if g is None:
            return self.defaultWidth
        upm = self.unitsPerEm
        return self.hmetrics.aw[g] if upm == 1000 else self.hmetrics.aw[g] * (1000 / upm)  # as _widths

    def get_table(self, tag):
        if tag == "glyf":
            return _Window(self._ttf_data, self.get_table_pos(tag)[0])
        return super().get_table(tag)

    def makeSubset(self, subset):
        # a subset program depends on the font program, the glyphs in code order and their metrics
        # (a face's copy under another name may widen some: render/extraction.py); a warm process
        # (watch, serve) makes most of its next document's subsets again
        glyphs = self.charToGlyph
        key = (self.program_sha256, self.name, tuple(glyphs.get(code, 0) for code in subset))
        program = _SUBSETS.get(key)
        if program is None:
            if len(_SUBSETS) >= 256:
                del _SUBSETS[next(iter(_SUBSETS))]
            entry = _subset_entry(self, key)
            program = _stored_subset(entry)
            if program is None:
                program = super().makeSubset(subset)
                _store_subset(entry, program)
            _SUBSETS[key] = program
        return program


_SUBSETS: dict[tuple, bytes] = {}


def _subset_entry(face, key: tuple):
    """Where a subset program is kept between runs: keyed by the font program, the glyphs
    in code order, their metrics and ReportLab's version, so nothing stale is ever read."""
    import hashlib

    import reportlab

    from pagesetter.diskcache import cache_dir
    from pagesetter.render.streams import LEVEL
    folder = cache_dir()
    if folder is None:
        return None
    metrics = tuple(map(face.hmetrics.__getitem__, key[2]))
    digest = hashlib.sha1(repr((key, metrics, reportlab.Version, LEVEL)).encode()).hexdigest()
    return folder / f"subset-{digest}.marshal"


def _stored_subset(entry) -> bytes | None:
    """The program kept in ``entry``; its compressed stream is handed to render/streams.py."""
    import marshal

    from pagesetter.render.streams import keep
    if entry is None:
        return None
    try:
        program, packed = marshal.loads(entry.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(program, bytes) or not isinstance(packed, bytes):
        return None
    keep(program, packed)
    return program


def _store_subset(entry, program: bytes) -> None:
    import marshal

    from pagesetter.diskcache import store
    from pagesetter.render.streams import LEVEL, kept_deflate
    if entry is not None:
        store(entry, marshal.dumps((program, kept_deflate(program, LEVEL))))


class _Window:
    """``data[base + a : base + b]`` for ``window[a:b]``: a table read in place."""

    __slots__ = ("data", "base")

    def __init__(self, data, base: int):
        self.data, self.base = data, base

    def __getitem__(self, s: slice) -> bytes:
        return bytes(self.data[self.base + s.start:self.base + s.stop])


def _widths(cmap: dict, advances, upm: int) -> dict:
    """Code point → advance in 1/1000 em, as ReportLab's ``charWidths`` (a real dict: its C
    accelerator reads it directly); widths stay integers in a 1000-unit font, as ReportLab scales."""
    if upm == 1000:
        return {cp: advances[g] for cp, g in cmap.items()}
    m = 1000 / upm
    return {cp: advances[g] * m for cp, g in cmap.items()}


class _CharMap(dict):
    """A face's character map with some entries replaced (a feature's glyphs), without copying
    the other 30,000: those are looked up in ``base``."""

    __slots__ = ("base",)

    def __init__(self, changed: dict, base: dict):
        super().__init__(changed)
        self.base = base

    def __missing__(self, cp: int) -> int:
        return self.base[cp]

    def __contains__(self, cp) -> bool:
        return dict.__contains__(self, cp) or cp in self.base

    def get(self, cp, default=None):
        return dict.get(self, cp) if dict.__contains__(self, cp) else self.base.get(cp, default)


class _HMetrics:
    """Glyph → (advance, left side bearing) in font units, from two arrays."""

    __slots__ = ("aw", "lsb")

    def __init__(self, aw, lsb):
        self.aw, self.lsb = aw, lsb

    def __getitem__(self, g: int) -> tuple[int, int]:
        return self.aw[g], self.lsb[g]

    def __len__(self) -> int:
        return len(self.aw)


def _char_map(data) -> dict:
    """ReportLab's character map from ours: it also maps U+00A0 and U+0020 to each other."""
    cmap = data.cmap
    if 0x20 in cmap and cmap.get(0xA0) != cmap[0x20]:
        alias = {0xA0: cmap[0x20]}
    elif 0xA0 in cmap and 0x20 not in cmap:
        alias = {0x20: cmap[0xA0]}
    else:
        return cmap
    return cmap.with_entries(alias)


def _built_face(data, name: str, index: int) -> TTFont | None:
    """ReportLab's face of a TrueType font, as ``TTFont(name, file)`` makes it, without its
    parse of the 30,000-entry tables (a third of a second a CJK face): ReportLab reads the
    header tables (``extractInfo`` without character info); the character map, metrics and
    glyph offsets are read from their bytes as ``extractInfo`` reads them. None for a font
    ReportLab must read itself (a character map format other than 4 or 12, odd tables)."""
    from reportlab.pdfbase.pdfmetrics import TypeFace
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFontFile, TTFontParser

    face = _Face.__new__(_Face)
    TypeFace.__init__(face, None)
    face._ttf_data, face.filename = data.data, name  # as ReportLab names the file it read
    try:
        TTFontParser.__init__(face, None, validate=0, subfontIndex=index)
        TTFontFile.extractInfo(face, charInfo=0)
        tables = face.table
        head = tables["head"]["offset"]
        if face.get_ushort(head + 52) != 0 or "loca" not in tables:  # ReportLab says what is wrong
            return None
        loca_format = face.get_ushort(head + 50)
        num_glyphs = face.numGlyphs
        cmap = _reportlab_cmap(face, data.cmap_at)
        if cmap is None:
            cmap = _char_map(data)  # the format 12 subtable pagesetter's map is, as ReportLab reads it
        elif not cmap:
            return None
        elif max(cmap.values()) >= num_glyphs:
            return None
        else:
            if 0x20 in cmap:
                cmap[0xA0] = cmap[0x20]
            elif 0xA0 in cmap:
                cmap[0x20] = cmap[0xA0]
            ours = _char_map(data)
            cmap = ours if cmap == ours else cmap  # the same map: one copy
        metrics = _reportlab_hmetrics(face, num_glyphs)
        positions = _reportlab_loca(face, loca_format, num_glyphs)
    except Exception:  # ReportLab's parse gives the error (or reads what this does not)
        return None
    if metrics is None or positions is None:
        return None
    face.charToGlyph = cmap
    face.hmetrics = metrics
    face.__dict__.pop("charWidths", None)  # TypeFace sets None: the dict is made when asked for
    face.defaultWidth = face._pdfScale(metrics.aw[0])
    face.glyphPos = positions
    face.program_sha256 = bytes.fromhex(data.digest)  # the file's SHA-256: font_data hashed it
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = 0
    font.shapable = False
    return font


def _words(data, code: str = "H") -> array:
    """Big-endian 16-bit (``H``) or 32-bit (``I``) values."""
    a = array(code, data)
    if sys.byteorder != "big":
        a.byteswap()
    return a


def _reportlab_cmap(face, known: int) -> dict[int, int] | None:
    """The character map ``extractInfo`` reads: the subtable it picks (the last Windows one,
    else …), in format 4 or 12, with every code point it lists (a format 4 one's unmapped
    ones as glyph 0). None when that is the subtable at file offset ``known``, whose every
    code point pagesetter's map holds as listed; {} for formats read by ReportLab alone."""
    d = face._ttf_data
    base = face.table["cmap"]["offset"]
    version, count = struct.unpack_from(">HH", d, base)
    if count == 0 and version != 0:
        count = version
    chosen, kind = None, 0
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHL", d, base + 4 + 8 * i)
        if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
            chosen, kind = offset, 1
        elif platform == 1 and encoding == 0 and kind != 1:
            chosen, kind = offset, 2
    if chosen is None:
        return {}
    pos = base + chosen
    fmt = struct.unpack_from(">H", d, pos)[0]
    if fmt == 12 and pos == known:
        return None
    cmap: dict[int, int] = {}
    if fmt == 12:
        groups = struct.unpack_from(">L", d, pos + 12)[0]
        values = _words(bytes(d[pos + 16:pos + 16 + 12 * groups]), "I")
        if values.itemsize != 4 or len(values) != 3 * groups:
            return {}
        it = iter(values)
        for start, end, glyph in zip(it, it, it):
            if end > 0x10FFFF:
                return {}
            cmap.update(zip(range(start, end + 1), range(glyph, glyph + end + 1 - start)))
        return cmap
    if fmt != 4:
        return {}
    limit = pos + struct.unpack_from(">H", d, pos + 2)[0]
    segments = struct.unpack_from(">H", d, pos + 6)[0] // 2
    words = _words(bytes(d[pos + 14:pos + 16 + 8 * segments]))
    if len(words) != 4 * segments + 1:
        return {}
    ends, starts = words[:segments], words[segments + 1:2 * segments + 1]
    deltas, range_offsets = words[2 * segments + 1:3 * segments + 1], words[3 * segments + 1:]
    offsets_at = pos + 16 + 6 * segments
    for n in range(segments):
        start, end, delta = starts[n], ends[n], deltas[n]
        codes = range(start, end + 1)
        if range_offsets[n] == 0:
            cmap.update(zip(codes, [(c + delta) & 0xFFFF for c in codes]))
            continue
        at = offsets_at + 2 * n + range_offsets[n]
        inside = max(0, min(len(codes), (limit - at + 1) // 2))  # glyphs past the subtable's end are 0
        glyphs = _words(bytes(d[at:at + 2 * inside]))
        if len(glyphs) != inside:
            return {}
        for k, c in enumerate(codes):
            g = glyphs[k] if k < inside else 0
            cmap[c] = (g + delta) & 0xFFFF if g else 0
    return cmap


def _reportlab_hmetrics(face, num_glyphs: int):
    """Glyph → (advance, left side bearing) as ``extractInfo`` reads ``hmtx``: the long metrics,
    then the side bearings, each glyph after them with the last advance."""
    d = face._ttf_data
    count = face.get_ushort(face.table["hhea"]["offset"] + 34)
    pos = face.table["hmtx"]["offset"]
    pairs = _words(bytes(d[pos:pos + 4 * count]))
    rest = max(0, num_glyphs - count)
    bearings = _words(bytes(d[pos + 4 * count:pos + 4 * count + 2 * rest]))
    if len(pairs) != 2 * count or len(bearings) != rest:
        return None
    aw, lsb = pairs[0::2], pairs[1::2]
    aw.extend([aw[-1]] * rest)
    lsb.extend(bearings)
    return _HMetrics(aw, lsb)


def _reportlab_loca(face, loca_format: int, num_glyphs: int):
    """The glyph offsets of ``loca`` as ``extractInfo`` reads them."""
    if loca_format not in (0, 1):
        return None
    pos = face.table["loca"]["offset"]
    size = 2 if loca_format == 0 else 4
    values = _words(bytes(face._ttf_data[pos:pos + size * (num_glyphs + 1)]), "H" if size == 2 else "I")
    if values.itemsize != size or len(values) != num_glyphs + 1:
        return None
    return values if size == 4 else array("I", [v << 1 for v in values])


def _derived(plain: TTFont, ref: FaceRef, name: str) -> TTFont:
    data = font_data(ref.path, ref.index)
    face = copy.copy(plain.face)
    suffix = "-" + "-".join(ref.features)
    base = plain.face.name
    face.name = base + suffix.encode() if isinstance(base, bytes) else base + suffix
    glyphs, widths = _feature_glyphs(data, ref.features, getattr(plain, "glyph_map", None))
    face.charToGlyph = _CharMap(glyphs, plain.face.charToGlyph)
    overlay_widths(face, plain.face, widths)
    font = copy.copy(plain)
    font.face = face
    font.state = WeakKeyDictionary()
    return font


def overlay_widths(face, base, changed: dict) -> None:
    """``face``'s widths become ``base``'s with ``changed`` over them; a built face (``_Face``)
    makes the whole dict only if it is asked for."""
    if isinstance(face, _Face):
        face.__dict__.pop("charWidths", None)
        face._widths_from = (base, changed)
    else:
        face.charWidths = {**base.charWidths, **changed}


def _feature_glyphs(data, features: tuple[str, ...], remap: dict | None) -> tuple[dict, dict]:
    """The code points ``features`` give another glyph: code point → glyph to draw, and
    code point → its width (1/1000 em). ``remap``: a converted CFF face numbers its glyphs anew."""
    scale = 1000 / data.upm
    substs = [(f, data.subst.get(f, {})) for f in features]
    # only characters whose glyph some feature replaces (the font cache found them once), in
    # code point order: code point → glyph so far
    cmap = data.cmap
    current = {cp: cmap[cp] for cp in sorted({cp for f in features for cp in data.points.get(f, ())})}
    glyphs: dict[int, int] = {}
    widths: dict[int, float] = {}
    for feature, subst in substs:
        if not subst:
            continue
        for cp, g in list(current.items()):
            if g in subst and feature_applies(feature, cp):
                target = subst[g] if remap is None else remap.get(subst[g])
                if target is None:
                    continue  # a glyph this document does not draw
                current[cp] = subst[g]
                glyphs[cp] = target
                widths[cp] = data.advances[subst[g]] * scale
    return glyphs, widths
