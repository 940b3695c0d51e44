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
from reportlab.pdfbase.ttfonts import TTFont

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

    from pagesetter.fonts.cache import cache_dir
    folder = cache_dir()
    version = reportlab.Version.replace(".", "_")
    return folder / f"rlface-{data.digest}-{index}-rl{version}.pickle" if folder else None


def _store_face(font: TTFont, data, index: int) -> None:
    """ReportLab parses the whole character map each time; keep what it parsed (not the bytes)."""
    import pickle

    from pagesetter.fonts.cache import store
    entry = _face_entry(data, index)
    if entry is None:
        return
    # glyphToChar only serves ReportLab's own parsing; the rest is what subsetting reads
    state = {k: v for k, v in font.face.__dict__.items() if k not in ("_ttf_data", "_pdfScale", "glyphToChar")}
    try:
        payload = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
    except pickle.PicklingError:
        return
    store(entry, payload)


def _cached_face(data, name: str, index: int) -> TTFont | None:
    import pickle

    from reportlab.pdfbase.ttfonts import TTEncoding, TTFontFace
    entry = _face_entry(data, index)
    if entry is None or not entry.exists():
        return None
    try:
        state = pickle.loads(entry.read_bytes())  # our own cache folder, written above
    except Exception:
        return None
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(state)
    face._ttf_data = data.data
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
    face.charToGlyph = dict(plain.face.charToGlyph)
    face.charWidths = dict(plain.face.charWidths)
    scale = 1000 / data.upm
    remap = getattr(plain, "glyph_map", None)  # a converted CFF face numbers its glyphs anew
    current: dict[int, int] = {}  # code point → glyph in the source face, features applied so far
    for feature in ref.features:
        subst = data.subst.get(feature, {})
        if not subst:
            continue
        for cp, g in data.cmap.items():
            if feature_applies(feature, cp):
                g = current.get(cp, g)
                if g in subst:
                    target = subst[g] if remap is None else remap.get(subst[g])
                    if target is None:
                        continue  # a glyph this document does not draw
                    current[cp] = subst[g]
                    face.charToGlyph[cp] = target
                    face.charWidths[cp] = data.advances[subst[g]] * scale
    font = copy.copy(plain)
    font.face = face
    font.state = WeakKeyDictionary()
    return font
