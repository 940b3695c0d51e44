"""Faces registered with ReportLab, one per ``FaceRef``.

A face with features (``hwid``, ``vert``) is the plain face with its
character → glyph map patched from the cached substitutions, under a name of
its own (ReportLab shares one face among fonts with the same PostScript name,
which would silently draw the plain glyphs). Nothing is re-parsed or re-saved.
"""

from __future__ import annotations

import copy
import io
from weakref import WeakKeyDictionary

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from pagesetter.errors import PagesetterError
from pagesetter.fonts.cache import font_data
from pagesetter.fonts.metrics import FEATURE_RANGE, FaceRef, feature_applies

_REGISTERED: set[str] = set()
_PLAIN: dict[tuple, TTFont] = {}
# CFF faces: the glyph IDs converted to TrueType so far, per (path, index)
_CFF_GLYPHS: dict[tuple, frozenset[int]] = {}
_NAMES: dict[tuple, set[str]] = {}  # (path, index) → the names registered from it


def plan_document(pages, extra_text: str = "") -> None:
    """Note the glyphs of CFF faces the pages draw (and ``extra_text`` in the body face: the slug)."""
    import string

    from pagesetter.fonts.metrics import metrics_for
    glyphs: dict[tuple, set[int]] = {}

    def add(font, ch: str) -> None:
        data = getattr(font, "data", None)
        if data is None or not data.cff:
            return
        ids = glyphs.setdefault((font.ref.path, font.ref.index), set())
        for g in (data.cmap.get(ord(ch)), font.glyph(ord(ch))):
            if g is not None:
                ids.add(g)

    for page in pages:
        for placed in page.lines:
            for g in placed.line.glyphs:
                add(g.font, g.char)
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
        font = _cached_face(data, name, ref.index) if not data.cff else None
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
            if not data.cff:
                _store_face(font, data, ref.index)
            else:
                from pagesetter.fonts.convert import glyph_map
                font.glyph_map = glyph_map(_CFF_GLYPHS.get(key))
        _PLAIN[key] = font
    return font


def _face_entry(data, index: int):
    import reportlab

    from pagesetter.diskcache import cache_dir
    folder = cache_dir()
    version = reportlab.Version.replace(".", "_")
    return folder / f"rlface-{data.digest}-{index}-rl{version}-v2.pickle" if folder else None


class _Face(TTFontFace):
    """ReportLab's face, rebuilt from the cache without its 30,000-entry tables.

    The character map and widths are pagesetter's own (``FontData``), read lazily; the
    glyph table is sliced from the memory-mapped file glyph by glyph, never copied whole."""

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
    metrics = tuple(face.hmetrics[g] for g in key[2])
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
        return {**cmap, 0xA0: cmap[0x20]}
    if 0xA0 in cmap and 0x20 not in cmap:
        return {**cmap, 0x20: cmap[0xA0]}
    return cmap


def _store_face(font: TTFont, data, index: int) -> None:
    """ReportLab parses the whole font each time; keep what it parsed that pagesetter does not
    already have: the small header facts and, as arrays, the glyph offsets and metrics. The
    character map and widths are kept only when they differ from pagesetter's own."""
    import hashlib
    import pickle
    from array import array

    from pagesetter.diskcache import store
    entry = _face_entry(data, index)
    if entry is None:
        return
    face = font.face
    skip = ("_ttf_data", "_pdfScale", "glyphToChar", "charToGlyph", "charWidths", "hmetrics", "glyphPos")
    state = {k: v for k, v in face.__dict__.items() if k not in skip}
    try:
        state["glyphPos"] = array("L", face.glyphPos)
        state["hmetrics"] = (array("H", [m[0] for m in face.hmetrics]), array("H", [m[1] for m in face.hmetrics]))
    except OverflowError:
        return
    cmap = _char_map(data)
    if face.charToGlyph != cmap:
        state["charToGlyph"] = face.charToGlyph
    if _widths(face.charToGlyph, data.advances, data.upm) != face.charWidths:
        state["charWidths"] = face.charWidths
    state["program_sha256"] = hashlib.sha256(data.data).digest()
    try:
        payload = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
    except pickle.PicklingError:
        return
    store(entry, payload)


def _cached_face(data, name: str, index: int) -> TTFont | None:
    import pickle

    from reportlab.pdfbase.ttfonts import TTEncoding
    entry = _face_entry(data, index)
    if entry is None or not entry.exists():
        return None
    try:
        state = pickle.loads(entry.read_bytes())  # our own cache folder, written above
    except Exception:
        return None
    face = _Face.__new__(_Face)
    face.__dict__.update(state)
    face._ttf_data = data.data
    face.hmetrics = _HMetrics(*state["hmetrics"])
    if "charToGlyph" not in state:
        face.charToGlyph = _char_map(data)
    if "charWidths" not in state:
        face.charWidths = _widths(face.charToGlyph, data.advances, data.upm)
    upm = face.unitsPerEm
    face._pdfScale = (lambda x: x) if upm == 1000 else (lambda x, m=1000 / upm: x * m)
    face.filename = name
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = 0
    font.shapable = False
    return font


def _derived(plain: TTFont, ref: FaceRef, name: str) -> TTFont:
    data = font_data(ref.path, ref.index)
    face = copy.copy(plain.face)
    suffix = "-" + "-".join(ref.features)
    base = plain.face.name
    face.name = base + suffix.encode() if isinstance(base, bytes) else base + suffix
    glyphs, widths = _feature_glyphs(data, ref.features, getattr(plain, "glyph_map", None))
    face.charToGlyph = _CharMap(glyphs, plain.face.charToGlyph)
    face.charWidths = {**plain.face.charWidths, **widths}
    font = copy.copy(plain)
    font.face = face
    font.state = WeakKeyDictionary()
    return font


def _feature_glyphs(data, features: tuple[str, ...], remap: dict | None) -> tuple[dict, dict]:
    """The code points ``features`` give another glyph: code point → glyph to draw, and
    code point → its width (1/1000 em). ``remap``: a converted CFF face numbers its glyphs anew."""
    scale = 1000 / data.upm
    substs = [(f, data.subst.get(f, {})) for f in features]
    sources = set().union(*(m.keys() for _, m in substs))
    # only characters whose glyph some feature replaces: not the whole character map per feature
    cmap = data.cmap
    if all(f == "hwid" for f in features):  # half-width forms apply to ASCII only: 94 code points, not 30,000
        current = {cp: cmap[cp] for cp in FEATURE_RANGE if cmap.get(cp) in sources}
    else:
        current = {cp: g for cp, g in cmap.items() if g in sources}  # code point → glyph so far
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
