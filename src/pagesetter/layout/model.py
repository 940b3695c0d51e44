"""The page model: what a layout file describes, resolved to points — the page, its type
area and grid, its text frames and the specs of its text. What the page holds (stories,
pictures, rules, boxes, furniture) is in ``layout.content``.

Coordinates have their origin at the top-left corner of the trimmed page and
grow rightwards and downwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pagesetter.print.color import BLACK
from pagesetter.print.spec import PrintSpec

if TYPE_CHECKING:
    from pathlib import Path

    from pagesetter.compose.style import HouseStyle
    from pagesetter.fonts.metrics import FaceRef
    from pagesetter.fonts.registry import FontRegistry
    from pagesetter.layout.content import BoxDecoration, Image, Masthead, Rule, RunningHead, Story
    from pagesetter.print.color import CMYK


@dataclass(frozen=True)
class Box:
    """A rectangle on the page, in pt from its top-left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class TextSpec:
    """How one kind of text is set: face, size, alignment, tracking (em)."""

    face: FaceRef
    size: float
    align: str = "justify"
    tracking: float = 0.0
    color: CMYK = BLACK


@dataclass
class Frame:
    """A text frame; its text runs down each of its ``columns`` in turn (变栏 when > 1)."""

    id: str
    box: Box
    columns: int = 1
    gutter: float = 0.0
    mark: tuple[int, int] | None = None
    balance: bool = False       # 齐底: the story's text ends level across the columns
    rules: bool | None = None   # column rules in its gutters (None: the grid's column_rules)

    @property
    def column_width(self) -> float:
        return (self.box.width - (self.columns - 1) * self.gutter) / self.columns

    def column_x(self, index: int) -> float:
        return self.box.x + index * (self.column_width + self.gutter)


@dataclass(frozen=True)
class Makeup:
    """House settings of page makeup: fitting, column rules (栏线), jump lines (转版)."""

    empty_lines: int = 1                                  # more left empty at a story's end is warned
    fit_tracking: tuple[float, float] = (-0.05, 0.05)     # em, the limits of auto-fit
    rule_weight: float = 0.25                             # pt
    rule_color: CMYK = BLACK
    rule_gap: float | None = None                         # pt kept clear at a rule's ends (None: half a line)
    jump_to: str = "（下转第{page}版）"
    jump_from: str = "（上接第{page}版）"
    jump_spec: TextSpec | None = None                     # the jump lines (None: the body's face and size)
    jump_to_align: str = "right"
    jump_from_align: str = "left"
    jump_title_spec: TextSpec | None = None               # the continuation's headline (转版标题)


# Paragraph styles: each kind of text in a story can override the house style.
ROLES = ("body", "subhead", "byline", "kicker", "headline", "subtitle")


@dataclass
class PageLayout:
    """A page as its layout file describes it: size, grid, frames, and what goes where."""

    file: Path
    name: str
    width: float
    height: float
    type_area: Box
    columns: int
    gutter: float
    body: TextSpec
    pitch: float             # line pitch (leading, baseline to baseline)
    style: HouseStyle
    fonts: FontRegistry
    frames: dict[str, Frame] = field(default_factory=dict)
    stories: list[Story] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    title: str = ""
    paragraph_styles: dict = field(default_factory=dict)  # role → YAML node of overrides
    images: list[Image] = field(default_factory=list)
    boxes: list[BoxDecoration] = field(default_factory=list)
    running_head: RunningHead | None = None
    masthead: "Masthead | None" = None
    section_heads: dict = field(default_factory=dict)  # name → SectionHeadStyle
    headline_space: tuple[float, float] | None = None   # grid lines above / below every headline stack
    photo_credit: str = "本报记者 {name} 摄"              # the house credit line for images' photographer:
    tables: list = field(default_factory=list)       # TableBlock
    index_boxes: list = field(default_factory=list)  # IndexBox
    allow_missing_glyphs: bool = False
    article_encoding: str | None = None
    normalize_punctuation: bool = False
    missing_glyphs: list = field(default_factory=list)  # collected while composing
    notes: list = field(default_factory=list)  # e.g. punctuation normalised on loading
    sources: set = field(default_factory=set)  # every file the layout read (watch re-renders when one changes)
    print: PrintSpec = field(default_factory=PrintSpec)
    makeup: Makeup = field(default_factory=Makeup)
    column_rules: bool = False   # grid: {column_rules: true}
    page_number: int | None = None  # the edition's page number (第N版), when rendered in an edition
    in_edition: bool = False      # rendered as a page of an edition (its jumps are resolved)
    continuations: list = field(default_factory=list)  # jumped stories continued on this page (flow.Continuation)
    root: Path | None = None  # the project root: every file the layout names lies inside it

    @property
    def column_width(self) -> float:
        return (self.type_area.width - (self.columns - 1) * self.gutter) / self.columns

    @property
    def grid_lines(self) -> int:
        return int(self.type_area.height / self.pitch + 1e-6)
