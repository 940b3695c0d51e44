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
                   defaults: dict | None = None, cache: StoryCache | None = None,
                   root_dir: Path | None = None) -> list[ComposedPage]:
    layout = load_layout(Path(layout_path), font_dirs=font_dirs, defaults=defaults, root_dir=root_dir)
    layout.allow_missing_glyphs = allow_missing_glyphs
    page = compose_page(layout, cache)
    page.notes = list(layout.notes)
    return [page]


def render_layout(layout_path: Path, out: Path, *, font_dirs=(), allow_overset: bool = False,
                  allow_missing_glyphs: bool = False, defaults: dict | None = None,
                  cache: StoryCache | None = None, png_dpi: float | None = None, proof: bool = False,
                  root_dir: Path | None = None) -> RenderResult:
    """Compose and, unless text is overset (and not allowed), write the PDF (and a preview PNG)."""
    from pagesetter.render.pdf import write_pdf

    pages = compose_layout(layout_path, font_dirs=font_dirs, allow_missing_glyphs=allow_missing_glyphs,
                           defaults=defaults, cache=cache, root_dir=root_dir)
    result = RenderResult(pages, None)
    if result.overset and not allow_overset:
        return result
    write_pdf(pages, out)
    result.output = out
    if png_dpi:
        from pagesetter.app.preview import write_previews
        result.previews = write_previews(out, pages, png_dpi, proof=proof)
    return result
