"""A byline's lines (rules §6 and issue 10): one line when it fits one; else broken only
between names (at a space, a 、 or a comma), never inside one; never justified."""

from __future__ import annotations

import re

from pagesetter.compose.justify import Line
from pagesetter.compose.paragraph import compose_paragraph
from pagesetter.compose.segment import TextFonts
from pagesetter.compose.style import HouseStyle

_BETWEEN_NAMES = re.compile(r"[\s\u3000、，,；;]+")


def byline_lines(byline: str, fonts: TextFonts, style: HouseStyle, measure: float) -> list[Line]:
    """The lines of ``byline`` at ``measure`` em, ragged; broken between names where it needs more
    than one (inside a name only when a name alone is wider than the measure)."""
    lines = compose_paragraph(byline, fonts, style, measure, indent=0.0, justify=False)
    if len(lines) > 1:
        names = frozenset(m.end() for m in _BETWEEN_NAMES.finditer(byline))
        by_name = compose_paragraph(byline, fonts, style, measure, indent=0.0, justify=False, words=names)
        if not any(line.violation for line in by_name):
            lines = by_name
    return lines
