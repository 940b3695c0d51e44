"""Glyph metrics for the composer (no PDF library): advances and ink, in em.

A ``FontMetrics`` is one face with optional single-substitution features
applied to its character map, e.g. ``hwid`` for half-width digits and Latin
letters or ``vert`` for vertical punctuation: the renderer draws the same
remapped face, so what is measured is what is drawn. The facts come from
``fonts.cache`` (fontTools once, then a disk cache).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pagesetter.errors import PagesetterError
from pagesetter.fonts.cache import FontData, font_data

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

    @cached_property
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
        self.data: FontData = font_data(ref.path, ref.index)
        if not self.data.glyf and not self.data.cff:
            raise PagesetterError("font has no outlines pagesetter can embed (neither TrueType nor CFF)",
                                  file=str(ref.path))
        self.upm = self.data.upm
        self.ascent = self.data.ascent / self.upm
        self.descent = self.data.descent / self.upm
        self._adv: dict[str, float] = {}

    def glyph(self, cp: int) -> int | None:
        """Glyph ID for a code point, with this face's features applied."""
        g = self.data.cmap.get(cp)
        if g is None:
            return None
        for feature in self.ref.features:
            if feature_applies(feature, cp):
                g = self.data.subst.get(feature, {}).get(g, g)
        return g

    def has(self, ch: str) -> bool:
        return ord(ch) in self.data.cmap

    def substituted(self, ch: str) -> bool:
        """Does a feature of this face replace the default glyph of ``ch``?"""
        return self.glyph(ord(ch)) != self.data.cmap.get(ord(ch))

    def advance(self, ch: str) -> float:
        """Advance width of ``ch`` in em; a missing glyph is an error, never a silent blank."""
        adv = self._adv.get(ch)
        if adv is None:
            g = self.glyph(ord(ch))
            if g is None:
                raise MissingGlyph(ch, self.ref)
            adv = self._adv[ch] = self.data.advances[g] / self.upm
        return adv

    def advances(self, text: str) -> list[float]:
        """``advance`` of each character of ``text``: one look-up each where the composer has
        measured them all already (the PDF writer asks for a whole line's)."""
        try:
            return list(map(self._adv.__getitem__, text))
        except KeyError:
            return [self.advance(ch) for ch in text]

    def _ink(self, ch: str) -> tuple[int, int, int, int]:
        g = self.glyph(ord(ch))
        if g is None:
            raise MissingGlyph(ch, self.ref)
        box = self.data.ink.get(g)
        if box is None:  # not a punctuation mark: assume ink across the advance
            return (0, self.data.advances[g], round(self.descent * self.upm), round(self.ascent * self.upm))
        return box

    def ink(self, ch: str) -> tuple[float, float]:
        """Horizontal ink extent (xmin, xmax) of ``ch`` in em."""
        box = self._ink(ch)
        return (box[0] / self.upm, box[1] / self.upm)

    def ink_y(self, ch: str) -> tuple[float, float]:
        """Vertical ink extent (ymin, ymax) of ``ch`` in em, from the baseline."""
        box = self._ink(ch)
        return (box[2] / self.upm, box[3] / self.upm)


class MissingGlyph(PagesetterError):
    def __init__(self, ch: str, ref: FaceRef):
        super().__init__(f"character {ch!r} (U+{ord(ch):04X}) is not in font {ref.path.name}")
        self.char = ch


_CACHE: dict[FaceRef, FontMetrics] = {}


def metrics_for(ref: FaceRef) -> FontMetrics:
    m = _CACHE.get(ref)
    if m is None:
        m = _CACHE[ref] = FontMetrics(ref)
    return m


def cff_measured() -> bool:
    """Whether any face measured so far (``metrics_for``) is a CFF font."""
    return any(m.data.cff for m in _CACHE.values())
