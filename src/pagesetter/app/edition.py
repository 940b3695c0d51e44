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
from pathlib import Path

from pagesetter.errors import PagesetterError
from pagesetter.source.yamlsource import Node, load_yaml_file


@dataclass
class EditionPage:
    layout: Path
    number: int
    output: str | None = None


@dataclass
class Edition:
    file: Path
    pages: list[EditionPage]
    defaults: dict = field(default_factory=dict)
    combined: Path | None = None


def load_edition(path: Path) -> Edition | None:
    """The edition in ``path``, or None when the file is a page layout."""
    data = load_yaml_file(path)
    if not isinstance(data, dict) or "pages" not in data:
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
        pnode.mapping({"layout", "page", "output"})
        layout = (path.parent / pnode.require("layout").string()).resolve()
        if not layout.is_file():
            raise pnode.require("layout").error(f"page layout {str(layout)!r} not found")
        number = pnode.require("page").integer(1, 999) if pnode.has("page") else n
        pages.append(EditionPage(layout, number, pnode.get("output").string() if pnode.has("output") else None))
    if not pages:
        raise root.require("pages").error("an edition needs at least one page")
    outputs: dict[str, int] = {}
    for page, pnode in zip(pages, root.require("pages").sequence()):
        name = page.output or f"{page.layout.stem}.pdf"
        if name in outputs:
            raise pnode.error(f"pages {outputs[name]} and {page.number} would both be written to {name}; "
                              "give each an output: name")
        outputs[name] = page.number
    combined = (path.parent / root.require("combined").string()).resolve() if root.has("combined") else None
    return Edition(path, pages, defaults, combined)


def page_defaults(edition: Edition, page: EditionPage) -> dict:
    d = {k: v for k, v in edition.defaults.items()}
    head = dict(d.get("running_head") or {})
    head["page"] = page.number
    d["running_head"] = head
    d["_edition"] = {"pages": len(edition.pages), "page": page.number, "story_pages": story_pages(edition)}
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


def _render_one(page: EditionPage, out: Path, defaults: dict, options: dict) -> PageOutcome:
    from pagesetter.app.pipeline import render_layout

    start = time.perf_counter()
    outcome = PageOutcome(page, out)
    try:
        result = render_layout(page.layout, out, defaults=defaults, **options)
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


def render_edition(edition: Edition, out_dir: Path, *, jobs: int = 1, options: dict | None = None, report=None):
    """Render every page (in ``jobs`` processes); ``report(outcome)`` is called as each finishes."""
    options = options or {}
    work = []
    for page in edition.pages:
        name = page.output or f"{page.layout.stem}.pdf"
        work.append((page, out_dir / name, page_defaults(edition, page)))
    outcomes: list[PageOutcome] = []
    if jobs <= 1:
        for page, out, defaults in work:
            outcome = _render_one(page, out, defaults, options)
            outcomes.append(outcome)
            if report:
                report(outcome)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed
        _warm_fonts()
        context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = [pool.submit(_render_one, page, out, defaults, options) for page, out, defaults in work]
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
    for page in edition.pages:
        pages.extend(compose_layout(page.layout, defaults=page_defaults(edition, page),
                                    font_dirs=options.get("font_dirs", ()),
                                    allow_missing_glyphs=options.get("allow_missing_glyphs", False)))
    write_pdf(pages, target, title=edition.file.stem)
