"""Galley setting: an article's body poured into uniform columns, page after page.

For proofs of long copy and for the standard benchmark workload, where the
same text is set side by side with other typesetters: each story's headline,
body, subheads and byline in columns on as many pages as needed, under a slug
line naming the story, its lines and its characters.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

from pagesetter.source.article import Article, Subhead, count_characters
from pagesetter.compose.paragraph import ParagraphSetter, compose_paragraph
from pagesetter.compose.style import HouseStyle
from pagesetter.errors import PagesetterError
from pagesetter.fonts.metrics import MissingGlyph
from pagesetter.page.bylines import byline_lines
from pagesetter.page.headlines import balanced_lines
from pagesetter.page.inline import paragraph_setter
from pagesetter.page.placed import ComposedPage, PlacedLine, StoryResult, grid_baseline
from pagesetter.fonts.faces import text_fonts
from pagesetter.fonts.registry import FontRegistry
from pagesetter.layout.model import Box, Frame, PageLayout, TextSpec
from pagesetter.print.spec import PrintSpec
from pagesetter.units import MM


GALLEY_SIZES = {"slug": 0.8, "kicker": 1.2, "headline": 2.0, "subtitle": 1.4}
HEADLINE_PARTS = ("kicker", "headline", "subtitle", "subhead")


class _Galley:
    """The cursor of a galley: the next free grid row, column after column, page after page."""

    def __init__(self, base: PageLayout, measure: float, gutter: float):
        self.base, self.measure, self.gutter = base, measure, gutter
        self.rows, self.columns = base.grid_lines, base.columns
        self.pages: list[ComposedPage] = []
        self.column, self.row = self.columns, self.rows

    def _next_column(self) -> None:
        self.column += 1
        self.row = 0
        if self.column >= self.columns:
            page = ComposedPage(replace(self.base))
            page.stories.append(StoryResult("galley"))
            self.pages.append(page)
            self.column = 0

    def place(self, line, role: str, size: float, rows: int, align: str, story: str, inset: float = 0.0) -> None:
        if self.row + rows > self.rows:
            self._next_column()
        x = self.base.type_area.x + self.column * (self.measure + self.gutter) + inset
        free = self.measure - inset - line.width * size
        x += free / 2 if align == "center" else free if align == "right" else 0.0
        self.pages[-1].lines.append(PlacedLine(x, grid_baseline(self.base, self.row, size, rows), size, line, story,
                                               "galley", self.column, role, self.row, self.measure - inset))
        self.row += rows

    def skip(self, rows: int) -> None:
        """White space between stories; never at the head of a column."""
        if 0 < self.row < self.rows:
            self.row = min(self.rows, self.row + rows)


def _set_story(article: Article, base: PageLayout, style: HouseStyle, measure: float) -> list[tuple]:
    """The story's lines as (role, line, size, rows, align, inset): headline parts, body, subheads, byline."""
    size = base.body.size
    article.check_settable()
    out = []

    def lines(text, role, face_role, scale, align, justify, block=None, index=0):
        s = size * scale
        rows = max(1, math.ceil(s * 1.2 / base.pitch - 1e-9)) if scale > 1 else 1
        inset = 0.0
        try:
            if role == "body":  # inline faces, emphasis dots and quotations, as render sets them
                setter, inset = paragraph_setter(block, base.body.face, style, base)
            else:
                fonts = text_fonts(base.fonts.resolve(face_role), style, base)
                # as on the page: headline parts balanced and broken between words, bylines between names
                set_as = balanced_lines if role in HEADLINE_PARTS else byline_lines if role == "byline" else None
                if set_as is not None:
                    for line in set_as(text, fonts, style, measure / s):
                        out.append((role, line, s, rows, align, 0.0))
                    return
                setter = ParagraphSetter(text, fonts, style, indent=0.0 if not justify else None, justify=justify)
        except MissingGlyph as exc:
            where = f"paragraph {index + 1}" if block is not None else role
            raise PagesetterError(f"{exc.message} ({where})", file=str(article.path),
                                  line=getattr(block, "line", None)) from None
        while not setter.done:
            out.append((role, setter.next_line(measure / s - inset), s, rows, align, inset * s))

    for role, text in (("kicker", article.kicker), ("headline", article.title), ("subtitle", article.subtitle)):
        if text:
            lines(text, role, role, GALLEY_SIZES[role], "center", False)
    for index, block in enumerate(article.blocks):
        if isinstance(block, Subhead):
            for text in block.lines:
                lines(text, "subhead", "subhead", 1.0, "center", False, block, index)
        else:
            lines(block.text, "body", "body", 1.0, "left", True, block, index)
    if article.byline:
        lines(article.byline, "byline", "byline", 1.0, "right", False)
    return out


def galley_pages(articles: list[Article], *, width: float, height: float, margins: tuple[float, float, float, float],
                 columns: int, measure: float, gutter: float, size: float, leading: float, style: HouseStyle,
                 fonts: FontRegistry | None = None, font: str = "body", lines: int | None = None,
                 allow_missing_glyphs: bool = False, title: str = "galley") -> list[ComposedPage]:
    """Set each article (headline, body, subheads, byline) in ``columns`` columns per page, with a slug line
    (story, lines, characters) at its head, as galley proofs have. ``margins`` are top, right, bottom, left."""
    fonts = fonts or FontRegistry.default()
    body = TextSpec(fonts.resolve(font), size)
    top, right, bottom, left = margins
    depth = lines * leading if lines else height - top - bottom
    ta = Box(left, top, columns * measure + (columns - 1) * gutter, depth)
    if ta.right > width - right + 0.01:
        raise PagesetterError(f"{columns} columns of {measure / size:g}em are wider than the page between its margins",
                              field="--columns/--measure")
    if ta.bottom > height - bottom + 0.01 or depth < leading:
        raise PagesetterError("the columns do not fit the page between its margins", field="--lines/--margin")
    base = PageLayout(file=Path(title), name=title, width=width, height=height, type_area=ta, columns=columns,
                      gutter=gutter, body=body, pitch=leading, style=style, fonts=fonts, title=title,
                      print=PrintSpec(marks=False))
    base.frames["galley"] = Frame("galley", ta, columns, gutter)
    base.allow_missing_glyphs = allow_missing_glyphs
    galley = _Galley(base, measure, gutter)
    slug_spec = TextSpec(fonts.resolve("body"), size * GALLEY_SIZES["slug"])
    slug_fonts = text_fonts(slug_spec.face, style, base)
    for n, article in enumerate(articles, 1):
        story = _set_story(article, base, style, measure)
        body_lines = sum(1 for role, *_ in story if role == "body")
        chars = count_characters(article.all_text())
        slug = f"{n:02d} {article.path.stem}  {body_lines}行  {chars}字"
        galley.skip(2)
        for line in compose_paragraph(slug, slug_fonts, style, measure / slug_spec.size, indent=0.0, justify=False):
            galley.place(line, "slug", slug_spec.size, 1, "left", article.path.stem)
        for role, line, s, rows, align, inset in story:
            galley.place(line, role, s, rows, align, article.path.stem, inset)
        if base.missing_glyphs:
            chars = "".join(dict.fromkeys(base.missing_glyphs))
            galley.pages[-1].warnings.append(f"{article.path.name}: {', '.join(f'{c!r} (U+{ord(c):04X})' for c in chars)}"
                                             " in no font: shown as 〓")
            base.missing_glyphs.clear()
    return galley.pages


A3 = (297 * MM, 420 * MM)
