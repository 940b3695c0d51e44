"""Layout file → page model → composition → PDF, as one call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pagesetter.page.flow import ComposedPage, StoryCache, StoryResult, compose_page
from pagesetter.layout.loader import load_layout
from pagesetter.errors import PagesetterError
from pagesetter.page import collisions


@dataclass
class RenderResult:
    """What a render produced: the composed pages, the PDF and any previews."""

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
                   in_edition: bool = False, root_dir: Path | None = None) -> list[ComposedPage]:
    """``continuations``: jumped stories from other pages of the edition to set on this one."""
    layout = load_layout(Path(layout_path), font_dirs=font_dirs, defaults=defaults, root_dir=root_dir)
    layout.allow_missing_glyphs = allow_missing_glyphs
    layout.in_edition = in_edition
    layout.continuations = list(continuations)
    page = compose_page(layout, cache)
    page.notes = list(layout.notes)
    page.warnings[:0] = [f"font skipped: {reason}" for reason in layout.fonts.skipped]
    collisions.check(page)
    return [page]


def render_layout(layout_path: Path, out: Path, *, font_dirs=(), allow_overset: bool = False,
                  allow_missing_glyphs: bool = False, defaults: dict | None = None,
                  cache: StoryCache | None = None, png_dpi: float | None = None, proof: bool = False,
                  continuations=(), in_edition: bool = False, root_dir: Path | None = None,
                  report: Path | None = None) -> RenderResult:
    """Compose and, unless text is overset (and not allowed), write the PDF (and a preview PNG).
    ``report``: where the caller will write its JSON report, refused (with the PDF) over an input."""
    pages = compose_layout(layout_path, font_dirs=font_dirs, allow_missing_glyphs=allow_missing_glyphs,
                           defaults=defaults, cache=cache, continuations=continuations, in_edition=in_edition,
                           root_dir=root_dir)
    if png_dpi:
        from pagesetter.app.preview import check_preview_size
        check_preview_size(pages, png_dpi)
    result = RenderResult(pages, None)
    if result.overset and not allow_overset:
        return result
    outputs = [(out, "-o/--output")]
    if png_dpi:
        from pagesetter.app.preview import preview_paths
        outputs += [(png, "-o/--output") for png in preview_paths(out, len(pages))]
    if report is not None:
        outputs.append((report, "--report"))
    refuse_overwriting_inputs(pages, outputs)
    write_outputs(pages, out, result, png_dpi=png_dpi, proof=proof)
    return result


def refuse_overwriting_inputs(pages: list[ComposedPage], outputs: list[tuple[Path, str]]) -> None:
    """A render never writes over a file it reads (-o images/photo.pdf, --report the-layout.yaml):
    ``outputs`` are (path, the option that named it); the inputs are every file the pages were
    made from (layouts, style files, articles, pictures, tables)."""
    inputs = {Path(p).resolve() for page in pages for p in page.layout.sources}
    for path, field in outputs:
        if Path(path).resolve() in inputs:
            raise PagesetterError(f"{str(path)!r} is an input of this page: writing there would destroy it",
                                  field=field)


def write_outputs(pages: list[ComposedPage], out: Path, result: RenderResult, *, png_dpi: float | None = None,
                  proof: bool = False) -> None:
    """The PDF and its previews, renamed into place together (under the folder's lock), so a
    concurrent render of the same page never leaves its PNG beside this one's PDF."""
    from pagesetter.outfiles import commit, discard, folder_lock
    from pagesetter.render.pdf import write_pdf

    def finish(tmp_pdf: Path) -> None:
        previews = []
        try:
            if png_dpi:
                from pagesetter.app.preview import write_previews
                previews = write_previews(tmp_pdf, pages, png_dpi, proof=proof, target=out)
            with folder_lock(Path(out).parent):
                commit(tmp_pdf, out)
                for tmp, path in previews:
                    commit(tmp, path)
        except BaseException:
            discard(*(t for t, _ in previews))
            raise
        result.previews = [p for _, p in previews] if png_dpi else None

    write_pdf(pages, out, finish=finish)
    result.output = out
