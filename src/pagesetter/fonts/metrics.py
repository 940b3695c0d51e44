"""Glyph metrics read from the font file with fontTools (no PDF library).

A ``FontMetrics`` is one face with optional single-substitution features baked
into its character map, e.g. ``hwid`` for half-width digits and Latin letters:
the renderer draws the same remapped face, so what is measured is what is drawn.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

from pagesetter.errors import PagesetterError

# Where each feature applies. hwid only to ASCII: fonts also map full-width
# ，（） to half-width forms under hwid, which the punctuation rules handle
# themselves. vert (vertical forms of punctuation) applies everywhere.
FEATURE_RANGE = range(0x21, 0x7F)


def feature_applies(feature: str, cp: int) -> bool:
    return cp in FEATURE_RANGE if feature == "hwid" else True


@dataclass(frozen=True)
class FaceRef:
    """A face in a font file (``index`` picks a face of a .ttc collection)."""

    path: Path
    index: int = 0
    features: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """A short stable name, used as the PDF font name."""
        stem = "".join(c for c in self.path.stem if c.isascii() and (c.isalnum() or c in "-_"))
        digest = hashlib.sha1(f"{self.path.resolve()}|{self.index}|{','.join(self.features)}".encode()).hexdigest()[:6]
        suffix = "-" + "-".join(self.features) if self.features else ""
        return f"{stem or 'font'}{'-' + str(self.index) if self.index else ''}{suffix}-{digest}"


class FontMetrics:
    """Advances (in em) and ink extents of one face."""

    def __init__(self, ref: FaceRef):
        self.ref = ref
        self.key = ref.key
        try:
            font = TTFont(str(ref.path), fontNumber=ref.index, lazy=True)
            if "glyf" not in font:
                raise PagesetterError(
                    "font has PostScript (CFF) outlines; pagesetter embeds TrueType-outline fonts (.ttf/.ttc with glyf)",
                    file=str(ref.path))
            self.upm = font["head"].unitsPerEm
            self._cmap = dict(font.getBestCmap() or {})
            self._base_cmap = self._cmap
            self._hmtx = font["hmtx"].metrics
        except PagesetterError:
            raise
        except (TTLibError, OSError, KeyError, AssertionError, ValueError, IndexError) as exc:
            raise PagesetterError(f"cannot read font: {exc}", file=str(ref.path)) from None
        if ref.features:
            self._cmap = remap_cmap(font, self._cmap, ref.features)
        self._font = font
        os2 = font["OS/2"] if "OS/2" in font else None
        self.ascent = (os2.sTypoAscender if os2 else font["hhea"].ascent) / self.upm
        self.descent = (os2.sTypoDescender if os2 else font["hhea"].descent) / self.upm
        self._adv: dict[str, float] = {}

    @property
    def cmap(self) -> dict[int, str]:
        """Code point → glyph name, with the features applied."""
        return self._cmap

    def has(self, ch: str) -> bool:
        return ord(ch) in self._cmap

    def substituted(self, ch: str) -> bool:
        """Does a feature of this face replace the default glyph of ``ch``?"""
        if not self.ref.features:
            return False
        return self._cmap.get(ord(ch)) != self._base_cmap.get(ord(ch))

    def advance(self, ch: str) -> float:
        """Advance width of ``ch`` in em; a missing glyph is an error, never a silent blank."""
        adv = self._adv.get(ch)
        if adv is None:
            glyph = self._cmap.get(ord(ch))
            if glyph is None:
                raise MissingGlyph(ch, self.ref)
            adv = self._adv[ch] = self._hmtx[glyph][0] / self.upm
        return adv

    def ink_y(self, ch: str) -> tuple[float, float]:
        """Vertical ink extent (ymin, ymax) of ``ch`` in em, from the baseline."""
        glyph = self._cmap.get(ord(ch))
        if glyph is None:
            raise MissingGlyph(ch, self.ref)
        g = self._font["glyf"][glyph]
        if not hasattr(g, "yMin"):
            return (0.0, 0.0)
        return (g.yMin / self.upm, g.yMax / self.upm)

    def ink(self, ch: str) -> tuple[float, float]:
        """Horizontal ink extent (xmin, xmax) of ``ch`` in em."""
        glyph = self._cmap.get(ord(ch))
        if glyph is None:
            raise MissingGlyph(ch, self.ref)
        g = self._font["glyf"][glyph]
        if not hasattr(g, "xMin"):
            return (0.0, 0.0)
        return (g.xMin / self.upm, g.xMax / self.upm)


class MissingGlyph(PagesetterError):
    def __init__(self, ch: str, ref: FaceRef):
        super().__init__(f"character {ch!r} (U+{ord(ch):04X}) is not in font {ref.path.name}")
        self.char = ch


def remap_cmap(font: TTFont, cmap: dict[int, str], features) -> dict[int, str]:
    """The character map with each feature's single substitutions applied where it applies."""
    cmap = dict(cmap)
    for feature in features:
        mapping = single_substitutions(font, (feature,))
        for cp, glyph in cmap.items():
            if glyph in mapping and feature_applies(feature, cp):
                cmap[cp] = mapping[glyph]
    return cmap


def single_substitutions(font: TTFont, features) -> dict[str, str]:
    """Glyph → glyph for the single-substitution lookups of the given GSUB features."""
    mapping: dict[str, str] = {}
    if "GSUB" not in font:
        return mapping
    table = font["GSUB"].table
    if not table.FeatureList:
        return mapping
    for record in table.FeatureList.FeatureRecord:
        if record.FeatureTag not in features:
            continue
        for index in record.Feature.LookupListIndex:
            for sub in table.LookupList.Lookup[index].SubTable:
                sub = getattr(sub, "ExtSubTable", sub)
                if hasattr(sub, "mapping"):
                    for src, dst in sub.mapping.items():
                        mapping.setdefault(src, dst)
    return mapping


_CACHE: dict[FaceRef, FontMetrics] = {}


def metrics_for(ref: FaceRef) -> FontMetrics:
    m = _CACHE.get(ref)
    if m is None:
        m = _CACHE[ref] = FontMetrics(ref)
    return m
