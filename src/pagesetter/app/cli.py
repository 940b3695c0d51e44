"""The ``pagesetter`` command."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from pagesetter.errors import PagesetterError

EXIT_OVERSET = 3


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pagesetter")
def main() -> None:
    """Typeset Chinese newspaper pages from YAML layouts into print-ready PDF."""


EXIT_INTERNAL = 70


def _fail(exc: PagesetterError, debug: bool):
    if debug:
        raise exc
    click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


def _internal(exc: Exception, debug: bool, what) -> None:
    if debug:
        raise exc
    if isinstance(exc, MemoryError):
        click.echo(f"error: {what}: out of memory", err=True)
    else:
        click.echo(f"error: {what}: internal error ({type(exc).__name__}: {str(exc)[:200]}); "
                   "please report it, with --debug for the traceback", err=True)
    sys.exit(EXIT_INTERNAL)


@main.command()
@click.argument("layouts", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="PDF to write (one layout), or a directory. Default: output/<layout>.pdf")
@click.option("--font-dir", "font_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Extra directory of .ttf/.ttc fonts (repeatable).")
@click.option("--allow-overset", is_flag=True, help="Write the PDF even if text does not fit (exit 0).")
@click.option("--report", "report_path", type=click.Path(path_type=Path),
              help="Write a JSON report of every line, its adjustment, and per-page checks.")
@click.option("--allow-missing-glyphs", is_flag=True,
              help="Set characters no font has as 〓 with a warning, instead of stopping.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Pages rendered in parallel (editions).")
@click.option("--combined", type=click.Path(path_type=Path), help="Also write every page of an edition into this PDF.")
@click.option("--png", "png", is_flag=True, help="Also write a preview PNG of each page.")
@click.option("--png-dpi", default=50.0, show_default=True, type=click.FloatRange(5, 600))
@click.option("--proof", is_flag=True, help="Draw the grid, frames, threading and overset on the preview PNG.")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
def render(layouts, output, font_dirs, allow_overset, report_path, allow_missing_glyphs, jobs, combined, png, png_dpi,
           proof, debug):
    """Render page layouts (or an edition file) to PDF."""
    from pagesetter.app.edition import load_edition
    from pagesetter.app.pipeline import render_layout
    from pagesetter.app.report import page_report

    options = dict(font_dirs=list(font_dirs), allow_overset=allow_overset, allow_missing_glyphs=allow_missing_glyphs,
                   png_dpi=png_dpi if png or proof else None, proof=proof)
    reports = []
    status = 0
    for layout_path in layouts:
        try:
            edition = load_edition(layout_path)
        except PagesetterError as exc:
            _fail(exc, debug)
        if edition is not None:
            status = max(status, _render_edition(edition, output, jobs, combined, options, debug))
            continue
        if output is None:
            out = Path("output") / f"{layout_path.stem}.pdf"
        elif output.suffix.lower() == ".pdf" and len(layouts) == 1:
            out = output
        else:
            out = output / f"{layout_path.stem}.pdf"
        start = time.perf_counter()
        try:
            result = render_layout(layout_path, out, **options)
        except PagesetterError as exc:
            _fail(exc, debug)
        except Exception as exc:  # a bug: still one line, the traceback on request
            _internal(exc, debug, layout_path)
        elapsed = time.perf_counter() - start
        reports.extend(page_report(p, len(reports) + 1) for p in result.pages)
        for page in result.pages:
            for note in page.notes:
                click.echo(f"note: {layout_path}: normalised {note}", err=True)
            for warning in page.warnings:
                click.echo(f"warning: {layout_path}: {warning}", err=True)
        for story in result.overset:
            click.echo(f"overset: {layout_path}: story {story.id!r}: {story.overset_chars} characters did not fit "
                       f"(starting {story.overset_text[:12]!r})", err=True)
        if result.overset and not allow_overset:
            status = EXIT_OVERSET
            click.echo(f"error: {layout_path}: overset text; no PDF written (use --allow-overset to write it anyway)",
                       err=True)
            continue
        click.echo(f"{out}  {result.page_count} page{'s' if result.page_count != 1 else ''}  {elapsed:.2f}s")
        for preview in result.previews or ():
            click.echo(f"{preview}  preview")
    if report_path is not None:
        _write_json(report_path, {"pages": reports})
    sys.exit(status)


def _render_edition(edition, output, jobs, combined, options, debug) -> int:
    from pagesetter.app.edition import render_edition, write_combined

    out_dir = output if output is not None and output.suffix.lower() != ".pdf" else Path("output")
    start = time.perf_counter()
    total = len(edition.pages)
    tty = sys.stdout.isatty()
    done = []

    def report(outcome):
        done.append(outcome)
        if tty:
            filled = round(30 * len(done) / total)
            click.echo(f"\r[{'#' * filled}{'.' * (30 - filled)}] {len(done)}/{total}", nl=False)
        elif outcome.error is None and outcome.exit_code == 0:
            click.echo(f"{outcome.output}  {outcome.pages} page  {outcome.seconds:.2f}s")

    outcomes = render_edition(edition, out_dir, jobs=jobs, options=options, report=report)
    if tty:
        click.echo()
    status = 0
    for o in outcomes:
        for w in o.warnings:
            click.echo(f"warning: {o.page.layout}: {w}", err=True)
        for line in o.overset:
            click.echo(f"overset: {o.page.layout}: {line}", err=True)
        if o.error:
            click.echo(f"error: {o.error}", err=True)
        elif tty and o.exit_code == 0:
            click.echo(f"{o.output}  {o.pages} page  {o.seconds:.2f}s")
        status = max(status, o.exit_code)
    target = combined or edition.combined
    if target is not None and status == 0:
        try:
            write_combined(edition, Path(target), options)
            click.echo(f"{target}  {total} pages (combined)")
        except PagesetterError as exc:
            _fail(exc, debug)
    click.echo(f"edition {edition.file.name}: {total} pages in {time.perf_counter() - start:.2f}s with {jobs} "
               f"job{'s' if jobs != 1 else ''}")
    return status


@main.command()
@click.argument("layout", type=click.Path(path_type=Path, exists=True))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="PDF to write (default output/<layout>.pdf).")
@click.option("--font-dir", "font_dirs", multiple=True, type=click.Path(path_type=Path))
@click.option("--allow-missing-glyphs", is_flag=True)
@click.option("--png", "png", is_flag=True, help="Also write a preview PNG after each render.")
@click.option("--png-dpi", default=50.0, show_default=True, type=click.FloatRange(5, 600))
@click.option("--proof", is_flag=True, help="Draw the grid, frames, threading and overset on the preview PNG.")
@click.option("--interval", default=0.2, show_default=True, type=click.FloatRange(0.05, 10), help="Seconds between checks.")
@click.option("--max-renders", type=int, hidden=True)
def watch(layout, output, font_dirs, allow_missing_glyphs, png, png_dpi, proof, interval, max_renders):
    """Re-render LAYOUT whenever it, a house style, an article, font or image it uses is saved."""
    from pagesetter.app.watch import watch as watch_loop

    out = output or Path("output") / f"{layout.stem}.pdf"
    options = dict(font_dirs=list(font_dirs), allow_overset=True, allow_missing_glyphs=allow_missing_glyphs,
                   png_dpi=png_dpi if png or proof else None, proof=proof)
    click.echo(f"watching {layout} (Ctrl-C to stop)")
    try:
        watch_loop(layout, out, echo=click.echo, options=options, interval=interval, max_renders=max_renders)
    except KeyboardInterrupt:
        click.echo("stopped")


@main.command()
@click.argument("layout", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but the loopback lets other machines see the pages.")
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), default=Path("output"),
              show_default=True, help="Directory for the print PDFs (written only when a page is clean).")
@click.option("--font-dir", "font_dirs", multiple=True, type=click.Path(path_type=Path))
@click.option("--allow-missing-glyphs", is_flag=True)
@click.option("--dpi", default=100.0, show_default=True, type=click.FloatRange(20, 300),
              help="Resolution of the page images.")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
def serve(layout, port, host, output, font_dirs, allow_missing_glyphs, dpi, debug):
    """Preview LAYOUT (or an edition) live in the browser: every save re-renders it."""
    from pagesetter.app.serve import serve as run_server

    try:
        run_server(layout, host=host, port=port, out_dir=output, font_dirs=list(font_dirs), dpi=dpi,
                   allow_missing_glyphs=allow_missing_glyphs, echo=click.echo)
    except PagesetterError as exc:
        _fail(exc, debug)
    except KeyboardInterrupt:
        pass
    click.echo("stopped")


def _write_json(path: Path, data) -> None:
    import json
    import os
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


@main.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("output/galley.pdf"), show_default=True)
@click.option("--page", "page_size", default="A3", show_default=True, help="Page size: A3, A4, 对开, or W x H.")
@click.option("--margin", default="20mm", show_default=True)
@click.option("--columns", default=4, show_default=True, type=click.IntRange(1, 20))
@click.option("--measure", default="17em", show_default=True)
@click.option("--gutter", default="1em", show_default=True)
@click.option("--size", default="9pt", show_default=True)
@click.option("--leading", default="13.5pt", show_default=True)
@click.option("--style", "style_path", type=click.Path(path_type=Path), help="House-style file.")
@click.option("--repeat", default=1, show_default=True, type=click.IntRange(1, 1000),
              help="Set the articles this many times over (benchmark workloads).")
@click.option("--debug", is_flag=True)
def galley(articles, output, page_size, margin, columns, measure, gutter, size, leading, style_path, repeat, debug):
    """Set articles' bodies in plain columns on as many pages as they need (galley proofs)."""
    from pagesetter.source.article import load_article
    from pagesetter.compose.style import HouseStyle
    from pagesetter.page.galley import galley_pages
    from pagesetter.layout.loader import load_style_file
    from pagesetter.layout.pagesizes import PAGE_SIZES_MM
    from pagesetter.render.pdf import write_pdf
    from pagesetter.units import MM, UnitContext, UnitError, parse_length, parse_size

    start = time.perf_counter()
    try:
        try:
            size_pt = parse_size(size)
            ctx = UnitContext(em=size_pt)
            leading_pt = parse_length(leading, ctx, default_unit="pt")
            measure_pt, gutter_pt, margin_pt = (parse_length(v, ctx) for v in (measure, gutter, margin))
            if page_size in PAGE_SIZES_MM:
                width, height = (v * MM for v in PAGE_SIZES_MM[page_size])
            else:
                w, h = page_size.lower().replace("×", "x").split("x")
                width, height = parse_length(w.strip(), ctx), parse_length(h.strip(), ctx)
        except (UnitError, ValueError) as exc:
            raise PagesetterError(str(exc)) from None
        style = load_style_file(style_path) if style_path is not None else HouseStyle()
        loaded = [load_article(a) for a in articles] * repeat
        pages = galley_pages(loaded, width=width, height=height, margin=margin_pt, columns=columns,
                             measure=measure_pt, gutter=gutter_pt, size=size_pt, leading=leading_pt, style=style,
                             title=output.stem)
        write_pdf(pages, output)
    except PagesetterError as exc:
        _fail(exc, debug)
    except ValueError as exc:
        _fail(PagesetterError(str(exc)), debug)
    click.echo(f"{output}  {len(pages)} pages  {time.perf_counter() - start:.2f}s")


@main.command()
def schema():
    """Print the JSON Schema of the layout format (for editors' completion and checks)."""
    import json

    from pagesetter.layout.schema import LAYOUT_SCHEMA
    click.echo(json.dumps(LAYOUT_SCHEMA, ensure_ascii=False, indent=1))


@main.command()
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-ink", is_flag=True, help="Skip the total-ink measurement (needs Ghostscript).")
@click.option("--ink-limit", type=float, help="Total ink limit in percent (default: from the output intent).")
def check(pdfs, no_ink, ink_limit):
    """Preflight PDF files for the press: PASS, WARN or FAIL per check.

    Exit status: 0 all passed (warnings allowed), 1 a check failed, 2 a file is missing or not a PDF."""
    from pagesetter.print.preflight import failed, preflight

    status = 0
    for pdf in pdfs:
        if len(pdfs) > 1:
            click.echo(f"{pdf}:")
        if not pdf.is_file():
            click.echo(f"error: {pdf}: file not found", err=True)
            status = 2
            continue
        checks = preflight(pdf, ink=not no_ink, ink_limit=ink_limit)
        for c in checks:
            click.echo(c.line())
        if checks and checks[0].name == "parse" and checks[0].status == "FAIL":
            status = 2  # not a PDF at all: bad input
        elif failed(checks):
            status = max(status, 1)
    sys.exit(status)


@main.command()
@click.argument("article", type=click.Path(path_type=Path))
@click.option("--measure", required=True, help="Column measure: 17.8em, 14字, 56mm …")
@click.option("--size", required=True, help="Body size: 小五, 9pt …")
@click.option("--leading", help="Line pitch (default 1.5 × size).")
@click.option("--style", "style_path", type=click.Path(path_type=Path), help="House-style file, e.g. layouts/house.yaml")
@click.option("--font", default="body", show_default=True, help="Body font family or role.")
@click.option("--font-dir", "font_dirs", multiple=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the composed lines as JSON.")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
def copyfit(article, measure, size, leading, style_path, font, font_dirs, as_json, debug):
    """Count the lines ARTICLE's body makes at a measure (算稿)."""
    import json

    from pagesetter.compose.style import HouseStyle
    from pagesetter.page.copyfit import copyfit as run_copyfit
    from pagesetter.fonts.registry import FontRegistry
    from pagesetter.layout.loader import load_style_file
    from pagesetter.units import MM, UnitContext, UnitError, parse_length, parse_size

    try:
        try:
            size_pt = parse_size(size)
        except UnitError as exc:
            raise PagesetterError(str(exc), field="--size") from None
        if not 1 <= size_pt <= 500:
            raise PagesetterError(f"a type size between 1pt and 500pt, got {size!r}", field="--size")
        ctx = UnitContext(em=size_pt)
        try:
            leading_pt = parse_length(leading, ctx, default_unit="pt") if leading else size_pt * 1.5
        except UnitError as exc:
            raise PagesetterError(str(exc), field="--leading") from None
        if not 0 < leading_pt <= 1000:
            raise PagesetterError(f"the leading must be positive, got {leading!r}", field="--leading")
        try:
            ctx = UnitContext(em=size_pt, line=leading_pt)
            measure_pt = parse_length(measure, ctx)
        except UnitError as exc:
            raise PagesetterError(str(exc), field="--measure") from None
        if measure_pt < size_pt:
            raise PagesetterError(f"the measure {measure} is narrower than one character", field="--measure")
        style = load_style_file(style_path) if style_path is not None else HouseStyle()
        fonts = FontRegistry.default()
        for d in font_dirs:
            fonts.add_dir(d)
        result = run_copyfit(article, measure=measure_pt, size=size_pt, leading=leading_pt, style=style,
                             face=fonts.resolve(font))
    except PagesetterError as exc:
        _fail(exc, debug)
    except Exception as exc:
        _internal(exc, debug, article)
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
        return
    click.echo(f"{article}: measure {result.measure_em:g}字 ({measure_pt / MM:.1f}mm), size {size_pt:g}pt, "
               f"leading {leading_pt:g}pt")
    for n, lines in enumerate(result.paragraphs, 1):
        first = lines[0].text[:14] if lines else ""
        click.echo(f"  ¶{n:<3} {len(lines):4d} lines  {first}")
    click.echo(f"  total {result.total} lines, depth {result.depth:.1f}pt ({result.depth / MM:.1f}mm)")


def run() -> None:
    """The console entry point: on exit, skip tearing down the fonts' large tables
    (a tenth of a second of a cold render); every file is closed by then."""
    import os
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
