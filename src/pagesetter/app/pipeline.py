"""Layout file → page model → composition → PDF, as one call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pagesetter.page.flow import ComposedPage, StoryCache, StoryResult, compose_page
from pagesetter.layout.loader import load_layout


@dataclass
class RenderResult:
    pages: list[ComposedPage]
    output: Path | None
    previews: list[Path] | None = None

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def overset(self) -> list[StoryResult]:
        return [s for p in self.pages for s in p.overset]


def compose_layout(layout_path: Path, *, font_dirs=(), allow_missing_glyphs: bool = False,
                   defaults: dict | None = None, cache: StoryCache | None = None, continuations=(),
                   in_edition: bool = False) -> list[ComposedPage]:
    """``continuations``: jumped stories from other pages of the edition to set on this one."""
    layout = load_layout(Path(layout_path), font_dirs=font_dirs, defaults=defaults)
    layout.allow_missing_glyphs = allow_missing_glyphs
    layout.in_edition = in_edition
    layout.continuations = list(continuations)
    page = compose_page(layout, cache)
    page.notes = list(layout.notes)
    page.warnings[:0] = [f"font skipped: {reason}" for reason in layout.fonts.skipped]
    return [page]


def render_layout(layout_path: Path, out: Path, *, font_dirs=(), allow_overset: bool = False,
                  allow_missing_glyphs: bool = False, defaults: dict | None = None,
                  cache: StoryCache | None = None, png_dpi: float | None = None, proof: bool = False,
                  continuations=(), in_edition: bool = False) -> RenderResult:
    """Compose and, unless text is overset (and not allowed), write the PDF (and a preview PNG)."""
    from pagesetter.render.pdf import write_pdf

    pages = compose_layout(layout_path, font_dirs=font_dirs, allow_missing_glyphs=allow_missing_glyphs,
                           defaults=defaults, cache=cache, continuations=continuations, in_edition=in_edition)
    result = RenderResult(pages, None)
    if result.overset and not allow_overset:
        return result
    write_pdf(pages, out)
    result.output = out
    if png_dpi:
        from pagesetter.app.preview import write_previews
        result.previews = write_previews(out, pages, png_dpi, proof=proof)
    return result
