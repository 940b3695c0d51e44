"""What a composed page holds: lines, pictures, strokes and fills placed in page coordinates.

The flow, the furniture and the galley produce it; the PDF writer, the report
and the previews read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pagesetter.compose.justify import Line
from pagesetter.print.color import BLACK, CMYK
from pagesetter.layout.model import Box, PageLayout

if TYPE_CHECKING:
    from pagesetter.layout.content import Image
    from pagesetter.source.pictures import Placement

# Where the baseline sits in a CJK em box, from its top (ideographic: 0.88 em).
EM_BOX_ASCENT = 0.88


@dataclass
class PlacedLine:
    """A composed line placed on the page: where, at what size, for which story, frame and role."""

    x: float            # left edge of the line (pt from the page's left edge)
    baseline: float     # pt from the page's top edge
    size: float
    line: Line
    story: str
    frame: str
    column: int
    role: str           # body, kicker, headline, subtitle, subhead, byline
    grid_line: int | None = None
    measure: float = 0.0  # pt
    block: int | None = None  # index of the article block (paragraph, subhead) it belongs to
    vertical: bool = False    # a column of vertical text: x is its left edge, baseline its top
    color: CMYK = BLACK       # other than black: drawn after the black text, knocking out (no overprint)


@dataclass
class StoryResult:
    """How a story fitted its frames: lines set, overset text, and the fit report."""

    id: str
    lines: int = 0
    overset_chars: int = 0
    overset_text: str = ""
    # the fit report: per frame its lines available and used (and per column)
    frames: list[dict] = field(default_factory=list)
    empty_lines: int = 0             # usable lines left after the story's end
    empty_columns: list[str] = field(default_factory=list)  # "frame:column" holding none of its text
    balanced_depth: int | None = None  # 齐底: the lines its balanced columns were cut to
    fit: dict | None = None          # auto-fit: paragraphs changed, or by how much it misses
    stop: tuple[int, int] | None = None  # (block, offset) of the first text not set here
    continues_on: int | None = None  # 转版: the page its text jumps to
    continued_from: int | None = None


@dataclass
class PlacedImage:
    """A picture and where it is placed."""

    image: Image
    placement: Placement


@dataclass
class Stroke:
    """A straight rule on the page, in pt."""

    x1: float
    y1: float
    x2: float
    y2: float
    weight: float
    color: CMYK = BLACK
    dash: tuple[float, ...] = ()
    overprint: bool | None = None  # None: overprint only when 100% K
    what: str = ""                 # names it in messages, e.g. "boxes[0].border"

    @property
    def overprints(self) -> bool:
        return self.color.is_black if self.overprint is None else self.overprint


@dataclass
class ComposedPage:
    """A page ready to draw: its placed lines, pictures, fills and rules, and what was found on the way."""

    layout: PageLayout
    lines: list[PlacedLine] = field(default_factory=list)
    stories: list[StoryResult] = field(default_factory=list)
    images: list[PlacedImage] = field(default_factory=list)
    fills: list[tuple[Box, CMYK]] = field(default_factory=list)
    strokes: list[Stroke] = field(default_factory=list)
    obstacles: list[Box] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def overset(self) -> list[StoryResult]:
        return [s for s in self.stories if s.overset_chars]


def grid_baseline(layout: PageLayout, grid_line: int, size: float, rows: int = 1) -> float:
    """The baseline of a line of type ``size`` centred in ``rows`` rows of the page's grid from ``grid_line``."""
    top = layout.type_area.y + grid_line * layout.pitch
    return top + (rows * layout.pitch - size) / 2 + EM_BOX_ASCENT * size
