"""Galley setting: an article's body poured into uniform columns, page after page.

For proofs of long copy and for the standard benchmark workload, where the
same text is set side by side with other typesetters: no headlines or
furniture, just paragraphs and subheads in columns on as many pages as needed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pagesetter.source.article import Article, Subhead
from pagesetter.compose.paragraph import ParagraphSetter
from pagesetter.compose.style import HouseStyle
from pagesetter.errors import PagesetterError
from pagesetter.fonts.metrics import MissingGlyph
from pagesetter.page.flow import _baseline
from pagesetter.page.inline import paragraph_setter
from pagesetter.page.placed import ComposedPage, PlacedLine, StoryResult
from pagesetter.fonts.faces import text_fonts
from pagesetter.fonts.registry import FontRegistry
from pagesetter.layout.model import Box, Frame, PageLayout, TextSpec
from pagesetter.print.spec import PrintSpec
from pagesetter.units import MM


def galley_pages(articles: list[Article], *, width: float, height: float, margin: float, columns: int,
                 measure: float, gutter: float, size: float, leading: float, style: HouseStyle,
                 fonts: FontRegistry | None = None, title: str = "galley",
                 allow_missing_glyphs: bool = False) -> list[ComposedPage]:
    """Set the articles' paragraphs (subheads as plain centred lines) in ``columns`` columns per page.
    A character no font has stops the setting, as in render, unless ``allow_missing_glyphs``:
    then it is set as 〓 and named in the first page's warnings."""
    fonts = fonts or FontRegistry.default()
    body = TextSpec(fonts.resolve("body"), size)
    ta = Box(margin, margin, columns * measure + (columns - 1) * gutter, height - 2 * margin)
    if ta.right > width - margin + 0.01:
        raise ValueError("the columns are wider than the page")
    base = PageLayout(file=Path(title), name=title, width=width, height=height, type_area=ta, columns=columns,
                      gutter=gutter, body=body, pitch=leading, style=style, fonts=fonts, title=title,
                      print=PrintSpec(marks=False))
    base.frames["galley"] = Frame("galley", ta, columns, gutter)
    base.allow_missing_glyphs = allow_missing_glyphs
    rows = base.grid_lines
    tfonts = text_fonts(body.face, style, base)
    pages: list[ComposedPage] = []
    page, column, row = None, columns, rows

    def next_row():
        nonlocal page, column, row
        if row >= rows:
            column += 1
            row = 0
            if column >= columns:
                page = ComposedPage(replace(base))
                page.stories.append(StoryResult("galley"))
                pages.append(page)
                column = 0
        r = row
        row += 1
        return r

    for article in articles:
        article.check_settable()
        for bi, block in enumerate(article.blocks):
            if isinstance(block, Subhead):
                for text in block.lines:
                    try:
                        setter = ParagraphSetter(text, tfonts, style, indent=0.0, justify=False)
                    except MissingGlyph as exc:
                        raise PagesetterError(f"{exc.message} (subhead)", file=str(article.path),
                                              line=block.line) from None
                    while not setter.done:
                        r = next_row()
                        line = setter.next_line(measure / size)
                        x = ta.x + column * (measure + gutter) + (measure - line.width * size) / 2
                        page.lines.append(PlacedLine(x, _baseline(base, r, size), size, line, "galley", "galley",
                                                     column, "subhead", r, measure))
                continue
            try:
                setter, inset = paragraph_setter(block, body.face, style, base, tfonts)
            except MissingGlyph as exc:
                raise PagesetterError(f"{exc.message} (paragraph {bi + 1})", file=str(article.path),
                                      line=block.line) from None
            inset *= size
            while not setter.done:
                r = next_row()
                line = setter.next_line((measure - inset) / size)
                page.lines.append(PlacedLine(ta.x + column * (measure + gutter) + inset, _baseline(base, r, size), size,
                                             line, "galley", "galley", column, "body", r, measure - inset))
    if base.missing_glyphs and pages:
        chars = "".join(dict.fromkeys(base.missing_glyphs))
        pages[0].warnings.append(f"{', '.join(f'{c!r} (U+{ord(c):04X})' for c in chars)} in no font: shown as 〓")
    return pages


A3 = (297 * MM, 420 * MM)
