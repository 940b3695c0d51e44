"""The faces one kind of text is set in: CJK text, Western runs (half-width when the
house style says so), features such as ``vert``, and the fallback chain for missing glyphs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pagesetter.compose.segment import TextFonts
from pagesetter.compose.style import HouseStyle
from pagesetter.errors import PagesetterError
from pagesetter.fonts.metrics import FaceRef, metrics_for

if TYPE_CHECKING:
    from pagesetter.layout.model import PageLayout


def text_fonts(face: FaceRef, style: HouseStyle, layout: PageLayout | None = None,
               features: tuple[str, ...] = ()) -> TextFonts:
    """The faces for one kind of text; with a layout, also its fallback chain for missing glyphs."""
    features = face.features + features  # a face may carry its own (synthetic bold)
    cjk = metrics_for(FaceRef(face.path, face.index, features))
    western_features = features + (("hwid",) if style.western_glyphs == "halfwidth" else ())
    western = metrics_for(FaceRef(face.path, face.index, western_features)) if western_features != features else cjk
    if layout is None:
        return TextFonts(cjk, western)
    return TextFonts(cjk, western, _fallback(layout, features), layout.allow_missing_glyphs, layout.missing_glyphs)


def _fallback(layout: PageLayout, features: tuple[str, ...]):
    """First configured face (书宋, 黑体, 楷体, then the rest; regular before bold) that has a character."""
    faces = [f for w in ("regular", "bold") for fam in layout.fonts.families.values() for k, f in fam.items() if k == w]

    def find(ch: str):
        for ref in dict.fromkeys(faces):
            try:
                m = metrics_for(FaceRef(ref.path, ref.index, features))
            except PagesetterError:
                continue
            if m.has(ch):
                return m
        return None
    return find


class Dotted:
    """A face whose characters carry emphasis dots (着重号) under them: measured and
    drawn exactly as ``face``; the PDF writer adds the dots."""

    dots = True

    def __init__(self, face):
        self.face = face

    def __getattr__(self, name):
        return getattr(self.face, name)


def dotted(fonts: TextFonts) -> TextFonts:
    return TextFonts(Dotted(fonts.cjk), Dotted(fonts.western), fonts.fallback, fonts.missing_marker, fonts.missing)
