"""Copyfitting (算稿): how many lines a story takes in a column of a given measure.

The story is set by the page's own flow, in one column as wide as the measure
and as deep as it needs, so the count is what ``render`` sets: the headline
stack, subheads with their space, the byline, quotations and lists, lines run
round pictures in the column — with the same fonts, fallbacks and messages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from pagesetter.compose.justify import Line
from pagesetter.compose.style import HouseStyle
from pagesetter.errors import PagesetterError
from pagesetter.fonts.registry import FontRegistry
from pagesetter.layout.content import Story
from pagesetter.layout.model import Box, Frame, Makeup, PageLayout, TextSpec
from pagesetter.page.flow import _rows_of, compose_page
from pagesetter.page.placed import ComposedPage
from pagesetter.print.spec import PrintSpec
from pagesetter.source.article import Paragraph, Subhead, count_characters

DEPTH = 4000  # grid lines in the copyfitting column: deeper than any story
FRAME = "copyfit"


@dataclass
class CopyfitResult:
    article: Path
    measure_em: float
    size: float
    leading: float
    total: int                    # grid lines from the top of the column to the story's last line
    headline: int = 0             # lines the headline stack takes on top
    byline: int = 0               # lines of its own the byline takes (0: beside the last line)
    blocks: list[tuple[str, list[Line], int]] = field(default_factory=list)  # (body|subhead, lines, characters)
    characters: int = 0           # every character that is set, headline and byline too (no spaces)
    overset: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[list[Line]]:
        return [lines for kind, lines, _ in self.blocks if kind == "body"]

    @property
    def body_lines(self) -> int:
        return sum(len(p) for p in self.paragraphs)

    @property
    def subhead_lines(self) -> int:
        return sum(len(lines) for kind, lines, _ in self.blocks if kind == "subhead")

    @property
    def other_lines(self) -> int:
        """Space round subheads, rows skipped beside pictures, a subhead's second row."""
        return self.total - self.headline - self.body_lines - self.subhead_lines - self.byline

    @property
    def depth(self) -> float:
        return self.total * self.leading

    def as_json(self) -> dict:
        return {
            "paragraphs": [{"lines": [line.text for line in lines], "characters": chars}
                           for kind, lines, chars in self.blocks if kind == "body"],
            "subheads": [{"lines": [line.text for line in lines]} for kind, lines, _ in self.blocks
                         if kind == "subhead"],
            "headline_lines": self.headline,
            "body_lines": self.body_lines,
            "subhead_lines": self.subhead_lines,
            "byline_lines": self.byline,
            "other_lines": self.other_lines,
            "total_lines": self.total,
            "characters": self.characters,
            "overset_characters": self.overset,
            "depth_pt": round(self.depth, 3),
        }


def _depth(blocks) -> int:
    """Grid lines enough for any article: a line holds at least one character (a subhead line,
    two grid lines at most)."""
    return max(DEPTH, 2 * sum(len(getattr(b, "text", "")) + len("".join(getattr(b, "lines", ()))) + 1
                              for b in blocks))


# copyfit's frame runs on far past the story: the space it leaves empty is no fault to warn of
NO_FIT_WARNINGS = Makeup(empty_lines=10**9)

def copyfit(article_path: Path, *, measure: float, size: float, leading: float, style: HouseStyle,
            fonts: FontRegistry | None = None, font: str = "body", headline: dict | None = None,
            allow_missing_glyphs: bool = False, root: Path | None = None) -> CopyfitResult:
    """The lines ARTICLE takes at ``measure`` pt, ``size``/``leading``, with its headline
    (``headline``: the layout's headline entry, e.g. ``{"size": "18pt"}``; ``False`` for none).
    ``root``: the project root (``--root``; default as for a layout)."""
    from pagesetter.layout.loader import _story
    from pagesetter.source.paths import project_root
    from pagesetter.source.yamlsource import Node
    from pagesetter.units import UnitContext

    fonts = fonts or FontRegistry.default()
    from pagesetter.source.article import load_article
    try:
        depth = _depth(load_article(Path(article_path)).blocks)
    except PagesetterError:
        depth = DEPTH  # the story says what is wrong with the file, below
    height = depth * leading
    area = Box(0.0, 0.0, measure, height)
    layout = PageLayout(file=Path(article_path), name=FRAME, width=measure, height=height, type_area=area,
                        columns=1, gutter=0.0, body=TextSpec(fonts.resolve(font), size), pitch=leading,
                        style=style, fonts=fonts, title=FRAME, print=PrintSpec(marks=False))
    layout.frames[FRAME] = Frame(FRAME, area)
    layout.makeup = NO_FIT_WARNINGS
    layout.root = project_root(Path(article_path), root)
    entry = {"article": str(Path(article_path).resolve()), "frames": [FRAME]}
    if headline is not None:
        entry["headline"] = headline
    story = _story(Node(entry, str(article_path), "copyfit"), layout, UnitContext(em=size, line=leading),
                   Path(article_path).parent)
    layout.stories = [story]
    layout.allow_missing_glyphs = allow_missing_glyphs
    page = compose_page(layout)
    return _result(page, layout, story, story_rows(page, story.id, 0), measure / size)


def copyfit_story(layout: PageLayout, story_id: str) -> CopyfitResult:
    """The lines a layout's story takes in its frames, as render sets it — pictures, other
    headlines beside it and all — with one more column of its last frame's measure running
    on below the page for what does not fit: the frames must hold that many lines."""
    story = next((s for s in layout.stories if s.id == story_id or s.article.path.stem == story_id), None)
    if story is None:
        raise PagesetterError(f"no story {story_id!r} in the layout; stories: "
                              f"{', '.join(s.id for s in layout.stories)}", file=str(layout.file))
    last = layout.frames[story.frames[-1]]
    below = math.ceil((layout.height - layout.type_area.y) / layout.pitch) + 2
    overflow = Box(last.column_x(last.columns - 1), layout.type_area.y + below * layout.pitch, last.column_width,
                   _depth(story.article.blocks) * layout.pitch)
    frames = dict(layout.frames)
    frames[FRAME] = Frame(FRAME, overflow)
    runs_on = replace(story, frames=story.frames + [FRAME])
    whole = replace(layout, frames=frames, stories=[runs_on if s is story else s for s in layout.stories],
                    missing_glyphs=[], notes=[], makeup=replace(layout.makeup, empty_lines=NO_FIT_WARNINGS.empty_lines))
    page = compose_page(whole)
    total = frame_rows(page, runs_on)
    return _result(page, whole, runs_on, total, layout.frames[story.frames[0]].column_width / layout.body.size)


def frame_rows(page: ComposedPage, story: Story) -> int:
    """Grid lines the story takes in its frames: every column it ran on from in full, the
    last one down to the bottom of its last line (headline, pictures and space included)."""
    layout = page.layout
    pitch = layout.pitch
    slots: list[tuple[int, int | None]] = []  # (capacity, rows down to the last line) per column
    for fid in story.frames:
        frame = layout.frames[fid]
        first, end = _rows_of(layout, frame.box)
        for column in range(frame.columns):
            ends = [_line_end(p, pitch) for p in page.lines if p.story == story.id and p.frame == fid
                    and p.column == column and p.grid_line is not None]
            slots.append((end - first, max(ends) - first if ends else None))
    last = max((k for k, (_, used) in enumerate(slots) if used is not None), default=-1)
    return sum(capacity for capacity, _ in slots[:last]) + (slots[last][1] if last >= 0 else 0)


def story_rows(page: ComposedPage, story_id: str, first_row: int) -> int:
    """Grid lines from ``first_row`` to the bottom of the story's last line (one column)."""
    ends = [_line_end(p, page.layout.pitch) for p in page.lines if p.story == story_id and p.grid_line is not None]
    return max(ends, default=first_row) - first_row


def _line_end(p, pitch: float) -> int:
    return p.grid_line + (max(1, math.ceil(p.size * 1.15 / pitch - 1e-6)) if p.role == "subhead" else 1)


def _overlap(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def _result(page: ComposedPage, layout: PageLayout, story: Story, total: int, measure_em: float) -> CopyfitResult:
    mine = [p for p in page.lines if p.story == story.id]
    frame = layout.frames[story.frames[0]]
    first = _rows_of(layout, frame.box)[0]
    rows = [p for p in mine if p.grid_line is not None and p.frame == frame.id and p.column == 0
            and p.role in ("body", "subhead", "byline")]
    top = min((p.grid_line for p in rows), default=first)
    result = CopyfitResult(story.article.path, measure_em, layout.body.size, layout.pitch, total,
                           headline=top - first, warnings=list(page.warnings))
    body_rows = {p.grid_line for p in mine if p.role == "body"}
    result.byline = len({p.grid_line for p in mine if p.role == "byline"} - body_rows)
    for bi, block in enumerate(story.article.blocks):
        lines = [p.line for p in mine if p.block == bi]
        if isinstance(block, Subhead):
            result.blocks.append(("subhead", lines, count_characters("".join(block.lines))))
        elif isinstance(block, Paragraph):
            result.blocks.append(("body", lines, count_characters(block.text)))
    result.characters = count_characters("".join(p.line.text for p in mine))
    mine_result = next((r for r in page.stories if r.id == story.id), None)
    result.overset = mine_result.overset_chars if mine_result else 0
    result.characters += result.overset
    return result
