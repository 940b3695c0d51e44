"""A paragraph's faces: strong and emphasis runs, emphasis dots (着重号), quotations.

``**strong**`` is set in the ``strong`` font role (黑体 by default), ``*emphasis*``
in ``emphasis`` (楷体), a quotation in ``quote`` (楷体), indented; roles can be
changed in fonts.yaml or a layout's ``fonts: roles:``.
"""

from __future__ import annotations

from copy import copy
from typing import TYPE_CHECKING

from pagesetter.compose.paragraph import ParagraphSetter
from pagesetter.compose.segment import TextFonts, segment
from pagesetter.compose.style import HouseStyle
from pagesetter.fonts.faces import dotted, text_fonts
from pagesetter.fonts.metrics import FaceRef
from pagesetter.source.article import Paragraph

if TYPE_CHECKING:
    from pagesetter.layout.model import PageLayout

QUOTE_INDENT = 2.0  # em of the body size, on the left of a quotation


def paragraph_setter(block: Paragraph, face: FaceRef, style: HouseStyle, layout: PageLayout,
                     fonts: TextFonts | None = None, *, tracking: float = 0.0, segments: dict | None = None,
                     key=None) -> tuple[ParagraphSetter, float]:
    """The setter for one paragraph and its left inset in em (quotations).

    ``fonts`` are the body faces when the caller has them already. With ``segments``,
    the paragraph is segmented once under ``key`` and copied after (auto-fit sets a
    paragraph again at other trackings, and tracking changes the units it is given).
    A character no face has raises ``MissingGlyph`` (the caller names the paragraph)."""
    if segments is not None and key in segments:
        units, inset, base = segments[key]
        return ParagraphSetter(block.text, base, style, tracking=tracking, units=_lend(units, tracking)), inset
    inset = 0.0
    if block.role == "quote":
        face, fonts, inset = layout.fonts.resolve("quote"), None, QUOTE_INDENT
    faces: dict[tuple, TextFonts] = {}

    def of(ref: FaceRef, dots: bool = False) -> TextFonts:
        f = faces.get((ref, dots))
        if f is None:
            f = text_fonts(ref, style, layout) if not dots else dotted(of(ref))
            faces[(ref, dots)] = f
        return f

    base = fonts or of(face)
    faces[(face, False)] = base
    runs = _runs(block, face, layout, of) if block.spans else None
    units = segment(block.text, base, style, runs=runs or None)
    if segments is not None:
        segments[key] = (units, inset, base)
        units = _lend(units, tracking)
    return ParagraphSetter(block.text, base, style, tracking=tracking, units=units), inset


def _lend(units: list, tracking: float) -> list:
    """The kept units for another setting. Tracking adds to each unit's glue, so tracked settings
    get copies; otherwise the setter changes nothing in a unit that differs from one setting to
    the next (its prohibition marks come out the same), and a new list is enough."""
    return [copy(u) for u in units] if tracking else list(units)


def _runs(block: Paragraph, face: FaceRef, layout: PageLayout, of) -> list[tuple[int, int, TextFonts]]:
    """Non-overlapping (start, end, faces) runs from the paragraph's possibly nested spans."""
    cuts = sorted({0, len(block.text)} | {p for a, b, _ in block.spans for p in (a, b)})
    runs: list[tuple[int, int, TextFonts]] = []
    for a, b in zip(cuts, cuts[1:]):
        kinds = {k for s, e, k in block.spans if s <= a and b <= e}
        if not kinds:
            continue
        ref = layout.fonts.resolve("strong") if "strong" in kinds else \
            layout.fonts.resolve("emphasis") if "emphasis" in kinds else face
        f = of(ref, "dots" in kinds)
        if runs and runs[-1][2] is f and runs[-1][1] == a:
            runs[-1] = (runs[-1][0], b, f)
        else:
            runs.append((a, b, f))
    return runs
