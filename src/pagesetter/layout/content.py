"""What a page layout places: stories with their headline stacks and jumps, pictures, rules,
boxes, the running head, section heads, the masthead, tables and index boxes (the page itself,
its frames and text specs are in ``layout.model``).

Coordinates are those of ``layout.model``: points from the top-left corner of the trimmed page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pagesetter.print.color import BLACK

if TYPE_CHECKING:
    from pathlib import Path

    from pagesetter.compose.style import HouseStyle
    from pagesetter.layout.model import Box, TextSpec
    from pagesetter.print.color import CMYK
    from pagesetter.source.article import Article


@dataclass
class Headline:
    """A headline stack: kicker (引题), headline (主题), subtitle (副题)."""

    kicker: str | None
    title: str | None
    subtitle: str | None
    kicker_spec: TextSpec
    title_spec: TextSpec
    subtitle_spec: TextSpec
    frame: str | None = None  # None: at the top of the story's first frame
    lines: int | None = None  # grid lines the stack takes (None: as many as it needs, plus one)
    direction: str = "horizontal"  # or "vertical" (竖排, needs a frame)
    bar: CMYK | None = None        # a tint or solid bar behind the stack (reverse type on a dark one)
    fit: tuple[float, float, float] | None = None  # size: fit — (share of the width, min pt, max pt)
    space_above: float | None = None  # grid lines above / below the stack (None: the page's headline spacing)
    space_below: float | None = None
    section: "SectionHead | None" = None  # a 栏头 over the stack


@dataclass(frozen=True)
class Jump:
    """转版: a story's chain continues in ``frames`` of edition page ``page`` (第N版)."""

    page: int
    frames: tuple[str, ...]
    mark: tuple[int, int] | None = None


@dataclass
class Story:
    """An article set in a layout: its frames, style, headline stack and text specs."""

    id: str
    article: Article
    frames: list[str]
    style: HouseStyle
    headline: Headline | None
    subhead_spec: TextSpec
    byline_spec: TextSpec
    mark: tuple[int, int] | None = None
    role_styles: dict[str, HouseStyle] = field(default_factory=dict)
    balance: bool = False                       # balance the columns of its last frame
    fit: tuple[float, float] | None = None      # auto-fit: tracking limits (em), or None
    jump: "Jump | None" = None                  # the chain continues on another page of the edition
    jump_title: str | None = None               # the continuation's headline (None: none)
    overlap: bool = False  # ``overlap: allow``: may print over other elements (a headline over a photo)
    body_spec: TextSpec | None = None  # the story's own body type (None: the page's)
    pitch: float | None = None         # its line pitch, snapped to the page grid (None: the grid)

    def style_for(self, role: str) -> HouseStyle:
        """The house style for one paragraph style (body, subhead, byline, headline …)."""
        return self.role_styles.get(role, self.style)


@dataclass
class Rule:
    """A straight rule (line) between two points."""

    x1: float
    y1: float
    x2: float
    y2: float
    weight: float = 0.5
    color: CMYK = BLACK
    overprint: bool | None = None  # None: overprint only when 100% K
    mark: tuple[int, int] | None = None
    overlap: bool = False


@dataclass
class Image:
    """A picture in a frame, with its caption (图片说明) and credit; text keeps ``standoff`` clear."""

    id: str
    path: Path
    box: Box
    pixels: tuple[int, int]
    fit: str = "fit"             # fit (whole picture), fill (cover the frame), crop (explicit, then fill)
    crop: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # fractions off left, top, right, bottom
    caption: str | None = None
    credit: str | None = None
    caption_spec: TextSpec | None = None
    standoff: float = 0.0
    mark: tuple[int, int] | None = None
    overlap: bool = False
    focus: tuple[float, float] = (0.5, 0.5)  # fill/cover: the point kept nearest the middle (fractions)
    page: int | None = None      # the page of a PDF figure (1-based)

    @property
    def vector(self) -> bool:
        """An SVG or PDF figure: drawn as vectors, ``pixels`` are hundredths of a point."""
        return self.path.suffix.lower() in (".svg", ".pdf")


DOUBLE_LINE = 0.6  # each line of a double border, as a fraction of the border's weight


@dataclass
class BoxDecoration:
    """A border and/or tint round frames (a ruled box, 栏框), with an optional label on top."""

    area: Box
    weight: float = 0.5
    line_style: str = "solid"    # solid, double, dashed
    color: CMYK = BLACK
    tint: CMYK | None = None
    label: str | None = None
    label_spec: TextSpec | None = None
    label_frame: Box | None = None  # where the label is centred
    overprint: bool | None = None   # the border's; None: overprint only when 100% K
    mark: tuple[int, int] | None = None
    overlap: bool = False
    label_style: "SectionHeadStyle | None" = None  # set as a 栏头 (bar, reverse type, rule)


@dataclass
class RunningHead:
    """报眉: paper, date and weekday, section, page (第N版), editors; a rule beneath."""

    paper: str | None
    section: str | None
    page: str | None
    editor: str | None
    designer: str | None
    spec: TextSpec
    small: TextSpec
    mark: tuple[int, int] | None = None


@dataclass
class SectionHeadStyle:
    """栏头: a recurring section's label — type on a bar (reverse on a dark one), a rule across."""

    spec: TextSpec
    bar: CMYK | None
    rule: float                  # pt, the rule running across the rest of the width (0: none)
    rule_color: CMYK = BLACK
    lines: int = 2               # grid lines the head takes


@dataclass
class SectionHead:
    """A section head (栏目头): its text and style."""

    text: str
    style: SectionHeadStyle


@dataclass
class Masthead:
    """报头: the paper's name (a picture, or text in a chosen face) with the edition's
    date (and 农历), issue number (期号), serial number (CN …), page count and web address."""

    box: Box
    name: str | None
    name_spec: TextSpec | None
    picture: Image | None
    name_width: float            # pt across given to the name
    align: str                   # left: name left, details right; center: name centred, details both sides
    spec: TextSpec               # the details
    issue: str | None = None
    serial: str | None = None
    pages: int | None = None
    web: str | None = None
    lunar: bool = True
    rule: float = 1.5            # thick rule under the masthead (pt, 0 for none)
    color: CMYK = BLACK
    mark: tuple[int, int] | None = None


@dataclass
class TableColumn:
    """How a table column is aligned, and its width when the layout fixes one."""

    align: str = "left"          # left, center, right, decimal
    width: float | None = None   # pt, or None: fitted


@dataclass
class TableBlock:
    """A table (表格) from a .csv/.yaml file, set in whole grid lines through a chain of frames."""

    id: str
    rows: list[list[str]]
    frames: list[str]
    header_rows: int
    columns: list[TableColumn]
    spec: TextSpec
    header_spec: TextSpec
    header_tint: CMYK | None
    rules: str                   # ruled (every cell boxed) or lined (a rule under every row)
    rule_weight: float
    padding: float               # pt at each side of a cell
    title: str | None = None
    title_spec: TextSpec | None = None
    source: Path | None = None
    mark: tuple[int, int] | None = None


@dataclass
class IndexEntry:
    """An entry of an index box (导读): the article, its headline, summary and page."""

    article: Article
    headline: str
    summary: str | None
    page: int | None             # None: from the edition at render time
    path: Path | None = None
    mark: tuple[int, int] | None = None


@dataclass
class IndexBox:
    """导读: chosen stories of the edition with a one-line summary and their page (第N版)."""

    box: Box
    title: str | None
    entries: list[IndexEntry]
    headline_spec: TextSpec
    summary_spec: TextSpec
    title_spec: TextSpec
    tint: CMYK | None = None
    border: float = 0.0
    mark: tuple[int, int] | None = None
