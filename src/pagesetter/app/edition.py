"""Editions: many page layouts rendered together, in parallel, with shared fields.

```yaml
edition:
  date: 2021-12-03
  running_head: {paper: 示例日报, editor: 某某}
pages:
  - layouts/page3.yaml
  - {layout: layouts/page4.yaml, output: page4.pdf}
combined: edition.pdf        # optional: every page in one PDF as well
```
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pagesetter.errors import PagesetterError
from pagesetter.source.yamlsource import Node, is_edition, load_yaml_file


@dataclass
class EditionPage:
    layout: Path
    number: int
    output: str | None = None
    mark: tuple[int, int] | None = None  # where the edition lists it
    running_head: bool = True  # False: this page takes no running head from the edition


@dataclass
class Edition:
    file: Path
    pages: list[EditionPage]
    defaults: dict = field(default_factory=dict)
    combined: str | None = None  # inside the output folder
    root: Path | None = None

    @cached_property
    def story_pages(self) -> dict[str, list[int]]:
        """Which pages run which article (for index boxes); read once, shared by every page."""
        return story_pages(self)


def load_edition(path: Path, root: Path | None = None) -> Edition | None:
    """The edition in ``path``, or None when the file is a page layout. Its pages'
    layouts must lie inside the project ``root`` (default: ``paths.project_root``)."""
    from pagesetter.source.paths import inside, project_root, regular_file
    project = project_root(path, root)
    data = load_yaml_file(regular_file(Path(path), what="layout"))
    if not is_edition(data):
        return None
    root = Node(data, str(path)).mapping({"edition", "pages", "combined"})
    defaults: dict = {}
    if root.has("edition"):
        ed = root.require("edition").mapping({"date", "running_head", "print", "style", "fonts", "masthead"})
        for key, node in ed.items():
            if key == "running_head":
                node.mapping({"paper", "section", "editor", "designer", "font", "size"})
            if key == "masthead":
                node.mapping({"issue", "serial", "web"})
            defaults[key] = node.value
    pages = []
    for n, pnode in enumerate(root.require("pages").sequence(), 1):
        if isinstance(pnode.value, str):
            pnode = Node({"layout": pnode.value}, pnode.file, pnode.path, pnode.mark)
        pnode.mapping({"layout", "page", "output", "running_head"})
        layout = inside(project, pnode.require("layout").string(), path.parent, pnode.require("layout"),
                        what="page layout")
        number = pnode.require("page").integer(1, 999) if pnode.has("page") else n
        head = True
        if pnode.has("running_head"):
            if pnode.require("running_head").value is not False:
                raise pnode.require("running_head").error("a page's running_head can only be false "
                                                          "(no running head from the edition on this page)")
            head = False
        pages.append(EditionPage(layout, number, pnode.get("output").string() if pnode.has("output") else None,
                                 pnode.mark, head))
    if not pages:
        raise root.require("pages").error("an edition needs at least one page")
    for page, pnode in zip(pages, root.require("pages").sequence()):
        if page.output is not None:
            _check_output_name(page.output, pnode.require("output"))
    combined = None
    if root.has("combined"):
        combined = root.require("combined").string()
        _check_output_name(combined, root.require("combined"))
    edition = Edition(path, pages, defaults, combined, project)
    plan_outputs(edition, Path("output"))  # two pages on one file: said now, whatever the folder
    return edition


def _check_output_name(name: str, node: Node) -> None:
    """An edition's output names a PDF inside the output folder: no absolute path, no way out."""
    if "\x00" in name or not name.lower().endswith(".pdf"):
        raise node.error(f"an output is a PDF file name ending in .pdf, got {name!r}")
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise node.error(f"{name!r} would be written outside the output folder; give a name inside it")


def plan_outputs(edition: Edition, out_dir: Path, combined: Path | None = None) -> tuple[list, Path | None]:
    """Each page's PDF (in the edition's order) and the combined PDF, checked before anything is
    written: inside the output folder (symlinks followed), and no two on one file. A
    ``combined`` from the command line is the user's own choice of place."""
    from pagesetter.app.outnames import clash
    folder = Path(out_dir).resolve()
    targets: list[Path] = []
    seen: dict[Path, str] = {}
    named_by: dict[Path, object] = {}  # file → the PdfName of the page whose layout named it

    def claim(path: Path, what: str, page: EditionPage | None, named=None):
        real = path.resolve()
        where = dict(file=str(edition.file), line=page.mark[0] if page and page.mark else None,
                     field="combined" if page is None else "pages")
        if not real.is_relative_to(folder):
            raise PagesetterError(f"{what} would be written to {str(real)!r}, outside the output folder "
                                  f"{str(folder)!r}", **where)
        if real in seen:
            first = named_by.get(real)
            if named is not None and first is not None and first.layout.resolve() != named.layout.resolve():
                raise clash(path, first, named, f"give one page another name: in its layout, or an "
                                                f"output: in {edition.file.name} ({what})")
            raise PagesetterError(f"{seen[real]} and {what} would both be written to {str(path)!r}; give each "
                                  "its own output: name", **where)
        seen[real] = what
        named_by[real] = named
        return path

    for page in edition.pages:
        named = None if page.output else page_pdf_name(page)
        targets.append(claim(Path(out_dir) / (page.output or named.file), f"page {page.number}", page, named))
    target = None
    if combined is not None:
        target = Path(combined)
        if target.suffix.lower() != ".pdf":
            raise PagesetterError(f"the combined PDF must end in .pdf, got {str(combined)!r}", field="--combined")
        if target.resolve() in seen:
            raise PagesetterError(f"{seen[target.resolve()]} and the combined PDF would both be written to "
                                  f"{str(combined)!r}", field="--combined")
    elif edition.combined is not None:
        target = claim(Path(out_dir) / edition.combined, "the combined PDF", None)
    return targets, target


def page_pdf_name(page: EditionPage):
    """The name of a page's PDF when the edition gives it no output: (app/outnames.py)."""
    from pagesetter.app.outnames import pdf_name
    return pdf_name(page.layout)


def page_defaults(edition: Edition, page: EditionPage) -> dict:
    d = {k: v for k, v in edition.defaults.items()}
    if page.running_head:
        head = dict(d.get("running_head") or {})
        head["page"] = page.number
        d["running_head"] = head
    else:
        d.pop("running_head", None)
    d["_edition"] = {"pages": len(edition.pages), "page": page.number, "story_pages": edition.story_pages}
    return d


def story_pages(edition: Edition) -> dict[str, list[int]]:
    """Which pages run which article (resolved path → page numbers), for index boxes (导读)."""
    found: dict[str, list[int]] = {}
    for page in edition.pages:
        data = load_yaml_file(page.layout)
        stories = data.get("stories") if isinstance(data, dict) else None
        for story in stories if isinstance(stories, list) else []:
            if isinstance(story, dict) and isinstance(story.get("article"), str):
                found.setdefault(str((page.layout.parent / story["article"]).resolve()), []).append(page.number)
    return found


@dataclass
class PageOutcome:
    page: EditionPage
    output: Path
    pages: int = 0
    seconds: float = 0.0
    error: str | None = None
    exit_code: int = 0
    overset: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fit: list[str] = field(default_factory=list)
    report: list[dict] = field(default_factory=list)  # page_report of each page (render --report)
    trim: tuple[float, float] | None = None  # the page's trim size, pt

    @property
    def written(self) -> bool:
        return self.error is None and self.exit_code == 0


def _has_jumps(path: Path) -> bool:
    """Whether a layout threads a story into another page (a mapping in a story's frames)."""
    try:
        data = load_yaml_file(path)
    except PagesetterError:
        return False  # the page's own render reports it
    stories = data.get("stories") if isinstance(data, dict) else None
    return isinstance(stories, list) and any(
        isinstance(s, dict) and isinstance(s.get("frames"), list) and any(isinstance(f, dict) for f in s["frames"])
        for s in stories)


def thread_stories(edition: Edition, options: dict | None = None) -> dict[int, list]:
    """转版, composed before any page is drawn: for each page, the jumped stories it continues
    (page number → [Continuation]), each starting where its first part stops."""
    from pagesetter.layout.loader import load_layout
    from pagesetter.page.flow import Continuation, jump_start

    options = options or {}
    font_dirs = options.get("font_dirs", ())
    by_number = {p.number: p for p in edition.pages}
    loaded: dict[int, object] = {}

    def layout_of(page: EditionPage):
        if page.number not in loaded:
            layout = load_layout(page.layout, font_dirs=font_dirs, defaults=page_defaults(edition, page),
                                     root_dir=edition.root)
            layout.allow_missing_glyphs = options.get("allow_missing_glyphs", False)
            layout.in_edition = True
            loaded[page.number] = layout
        return loaded[page.number]

    threads: dict[int, list] = {}
    taken: dict[tuple[int, str], str] = {}
    for page in edition.pages:
        if not _has_jumps(page.layout):
            continue
        layout = layout_of(page)
        for story in layout.stories:
            if story.jump is None:
                continue
            jump = story.jump

            def fail(message: str):
                return PagesetterError(message, file=str(page.layout), line=jump.mark[0] if jump.mark else None,
                                       column=jump.mark[1] if jump.mark else None, field=f"stories.{story.id}.frames")
            target = by_number.get(jump.page)
            if target is None:
                raise fail(f"story {story.id!r} jumps to page {jump.page}, which is not in edition "
                           f"{edition.file.name} (pages {', '.join(str(n) for n in sorted(by_number))})")
            if target.number == page.number:
                raise fail(f"story {story.id!r} jumps to its own page {jump.page}")
            other = layout_of(target)
            if any(s.id == story.id for s in other.stories):
                raise fail(f"story {story.id!r} jumps to page {jump.page}, which has a story of that name too: "
                           "give one of them another id")
            own = {f for s in other.stories for f in s.frames} | \
                  {s.headline.frame for s in other.stories if s.headline and s.headline.frame}
            for fid in jump.frames:
                if fid not in other.frames:
                    raise fail(f"story {story.id!r} jumps to frame {fid!r}, which page {jump.page} "
                               f"({target.layout.name}) does not have")
                if fid in own or (jump.page, fid) in taken:
                    user = taken.get((jump.page, fid)) or next(s.id for s in other.stories if fid in s.frames or (
                        s.headline and s.headline.frame == fid))
                    raise fail(f"story {story.id!r} jumps to frame {fid!r} of page {jump.page}, "
                               f"which story {user!r} already uses")
                taken[(jump.page, fid)] = story.id
                box = other.frames[fid].box
                for s in other.stories:
                    for f in s.frames:
                        b = other.frames[f].box
                        if min(box.right, b.right) - max(box.x, b.x) > 0.5 and \
                                min(box.bottom, b.bottom) - max(box.y, b.y) > 0.5:
                            raise fail(f"story {story.id!r} jumps to frame {fid!r} of page {jump.page}, which "
                                       f"overlaps frame {f!r} of story {s.id!r}: their text would print over "
                                       "each other")
            start = jump_start(layout, story)
            if start is not None:
                threads.setdefault(target.number, []).append(Continuation(story, start, page.number))
    return threads


def _render_one(page: EditionPage, out: Path, defaults: dict, options: dict,
                continuations: list | None = None) -> PageOutcome:
    from pagesetter.app.pipeline import render_layout

    start = time.perf_counter()
    outcome = PageOutcome(page, out)
    try:
        result = render_layout(page.layout, out, defaults=defaults, continuations=continuations or [],
                               in_edition=True, **options)
    except PagesetterError as exc:
        outcome.error, outcome.exit_code = str(exc), exc.exit_code
        return outcome
    except Exception as exc:  # a bug, reported as one line
        outcome.error, outcome.exit_code = f"internal error ({type(exc).__name__}: {exc})", 70
        return outcome
    outcome.seconds = time.perf_counter() - start
    outcome.pages = result.page_count
    outcome.overset = [f"story {s.id!r}: {s.overset_chars} characters did not fit" for s in result.overset]
    outcome.warnings = [w for p in result.pages for w in p.warnings]
    from pagesetter.app.report import fit_notes, page_report
    outcome.fit = [n for p in result.pages for n in fit_notes(p)]
    outcome.report = [page_report(p, page.number) for p in result.pages]
    if result.pages:
        outcome.trim = (round(result.pages[0].layout.width, 1), round(result.pages[0].layout.height, 1))
    if result.overset and result.output is None:
        outcome.exit_code = 3
    return outcome


def _warm_fonts() -> None:
    """Load the default faces before forking, so every worker shares them."""
    from pagesetter.fonts.metrics import metrics_for
    from pagesetter.fonts.registry import FontRegistry
    from pagesetter.render.fonts import pdf_font
    try:
        registry = FontRegistry.default()
        for family in registry.families.values():
            for ref in family.values():
                metrics_for(ref)
                pdf_font(ref)
    except PagesetterError:
        pass


def render_edition(edition: Edition, out_dir: Path, *, jobs: int = 1, options: dict | None = None, report=None,
                   targets: list | None = None):
    """Render every page (in ``jobs`` processes); ``report(outcome)`` is called as each finishes."""
    options = options or {}
    threads = thread_stories(edition, options)
    if targets is None:
        targets, _ = plan_outputs(edition, out_dir)
    work = []
    for page, target in zip(edition.pages, targets):
        work.append((page, target, page_defaults(edition, page), threads.get(page.number, [])))
    outcomes: list[PageOutcome] = []
    if jobs <= 1:
        for page, out, defaults, conts in work:
            outcome = _render_one(page, out, defaults, options, conts)
            outcomes.append(outcome)
            if report:
                report(outcome)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed
        _warm_fonts()
        context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = [pool.submit(_render_one, page, out, defaults, options, conts)
                       for page, out, defaults, conts in work]
            for future in as_completed(futures):
                outcome = future.result()
                outcomes.append(outcome)
                if report:
                    report(outcome)
    outcomes.sort(key=lambda o: o.page.number)
    return outcomes


def write_combined(edition: Edition, target: Path, options: dict) -> None:
    """Every page of the edition in one PDF, in page order."""
    from pagesetter.app.pipeline import compose_layout
    from pagesetter.render.pdf import write_pdf

    pages = []
    threads = thread_stories(edition, options)
    for page in edition.pages:
        pages.extend(compose_layout(page.layout, defaults=page_defaults(edition, page),
                                    font_dirs=options.get("font_dirs", ()),
                                    allow_missing_glyphs=options.get("allow_missing_glyphs", False),
                                    continuations=threads.get(page.number, []), in_edition=True,
                                    root_dir=edition.root))
    write_pdf(pages, target, title=edition.file.stem)


def mixed_trims(outcomes: list[PageOutcome]) -> str | None:
    """A warning when the edition's pages are not all of one trim size (对开 beside 四开)."""
    from pagesetter.units import MM
    sizes = {o.trim for o in outcomes if o.trim is not None}
    if len(sizes) < 2:
        return None
    return "pages of different trim sizes: " + "; ".join(
        f"{w / MM:.0f} × {h / MM:.0f} mm (第{', '.join(str(o.page.number) for o in outcomes if o.trim == (w, h))}版)"
        for w, h in sorted(sizes)) + "; each PDF keeps its own page boxes"
