"""The ``pagesetter`` command."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from pagesetter.errors import PagesetterError

EXIT_OVERSET = 3


GC_THRESHOLDS = (20_000, 50, 100)  # gc.set_threshold: the defaults are (700, 10, 10)
EXIT_INTERRUPTED = 130  # SIGINT (Ctrl-C)
EXIT_TERMINATED = 143   # SIGTERM


class _Group(click.Group):
    """Ctrl-C and SIGTERM end a command with 130 / 143 and one line, not click's "Aborted!" and 1;
    the writes they interrupt have removed their temporary files on the way out."""

    def invoke(self, ctx):
        import gc

        from pagesetter.outfiles import Terminated, discard_pending
        # A command makes hundreds of thousands of objects (units, glyphs, lines) that hold next
        # to no reference cycles; at the default thresholds the cycle collector walks them again
        # and again (a tenth of a ten-page galley). Collections come rarer, not never: a long
        # watch or serve session still frees its cycles.
        gc.set_threshold(*GC_THRESHOLDS)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            discard_pending()
            click.echo("\ninterrupted; nothing half-written was left behind", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Terminated:
            discard_pending()
            click.echo("terminated; nothing half-written was left behind", err=True)
            sys.exit(EXIT_TERMINATED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pagesetter")
def main() -> None:
    """Typeset Chinese newspaper pages from YAML layouts into print-ready PDF."""


EXIT_INTERNAL = 70


def _font_dirs(font_dirs, system_fonts: bool) -> list:
    from pagesetter.fonts.registry import SYSTEM_FONTS
    return list(font_dirs) + ([SYSTEM_FONTS] if system_fonts else [])


def _fail(exc: PagesetterError, debug: bool):
    sys.exit(_report_failure(exc, debug))


def _report_failure(exc: PagesetterError, debug: bool) -> int:
    """Print a bad input's one line and go on; returns its exit status."""
    if debug:
        raise exc
    click.echo(f"error: {exc}", err=True)
    return exc.exit_code


def _report_internal(exc: Exception, debug: bool, what) -> int:
    if debug:
        raise exc
    if isinstance(exc, MemoryError):
        click.echo(f"error: {what}: out of memory", err=True)
    else:
        click.echo(f"error: {what}: internal error ({type(exc).__name__}: {str(exc)[:200]}); "
                   "please report it, with --debug for the traceback", err=True)
    return EXIT_INTERNAL


def _internal(exc: Exception, debug: bool, what) -> None:
    sys.exit(_report_internal(exc, debug, what))


@main.command()
@click.argument("layouts", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="PDF to write (one layout), or a directory. Default: output/<name>.pdf, the layout's "
                   "name: (else its file name)")
@click.option("--font-dir", "font_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Extra directory of .ttf/.ttc/.otf/.otc fonts (repeatable).")
@click.option("--system-fonts", is_flag=True, help="Also use the fonts installed on this machine, by family name.")
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
@click.option("--root", "root", type=click.Path(path_type=Path, file_okay=False),
              help="Project root: only files inside it are read (default: the current directory when the "
                   "layout lies inside it, else the layout's folder).")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
def render(layouts, output, font_dirs, system_fonts, allow_overset, report_path, allow_missing_glyphs, jobs, combined,
           png, png_dpi, proof, root, debug):
    """Render page layouts (or an edition file) to PDF."""
    from pagesetter.app.pipeline import render_layout
    from pagesetter.app.report import fit_notes, page_report

    options = dict(font_dirs=_font_dirs(font_dirs, system_fonts), allow_overset=allow_overset,
                   allow_missing_glyphs=allow_missing_glyphs, png_dpi=png_dpi if png or proof else None, proof=proof,
                   root_dir=root)
    if output is not None and output.suffix.lower() == ".pdf" and len(layouts) > 1:
        _fail(PagesetterError(f"with {len(layouts)} layouts, -o must be a folder, not a PDF file",
                              field="-o/--output"), debug)
    if output is not None and output.suffix.lower() != ".pdf" and output.exists() and not output.is_dir():
        _fail(PagesetterError(f"{str(output)!r} is a file: -o takes a folder, or a file name ending .pdf",
                              field="-o/--output"), debug)
    if report_path is not None and (output is not None and Path(report_path).resolve() == output.resolve()
                                    or any(Path(report_path).resolve() == Path(p).resolve() for p in layouts)):
        _fail(PagesetterError(f"{str(report_path)!r} is the PDF or a layout of this render: the report would "
                              "overwrite it", field="--report"), debug)
    from pagesetter.app.outnames import Claims, pdf_name
    claims = Claims()  # no two layouts of this run on one PDF
    reports = []
    written = set()  # for --report: never over one of this run's PDFs or previews
    status = 0
    for layout_path in layouts:
        try:
            edition = _edition(layout_path, root)
        except PagesetterError as exc:
            status = max(status, _report_failure(exc, debug))
            continue
        except Exception as exc:
            status = max(status, _report_internal(exc, debug, layout_path))
            continue
        if edition is not None:
            if output is not None and output.suffix.lower() == ".pdf":
                _fail(PagesetterError("an edition writes one PDF per page: give -o a folder, and --combined "
                                      "FILE.pdf for one PDF of every page", file=str(layout_path), field="-o"), debug)
            status = max(status, _render_edition(edition, output, jobs, combined, dict(options, root_dir=edition.root),
                                                 debug, reports, claims))
            continue
        start = time.perf_counter()
        try:
            if output is not None and output.suffix.lower() == ".pdf" and len(layouts) == 1:
                out = output
            else:  # the layout's name: names its PDF
                named = pdf_name(layout_path)
                out = claims.claim((output if output is not None else Path("output")) / named.file, named,
                                   "give one layout another name:, or render it on its own with -o FILE.pdf")
            result = render_layout(layout_path, out, report=report_path, **options)
        except PagesetterError as exc:  # one bad layout does not stop the others
            status = max(status, _report_failure(exc, debug))
            continue
        except Exception as exc:  # a bug: still one line, the traceback on request
            status = max(status, _report_internal(exc, debug, layout_path))
            continue
        elapsed = time.perf_counter() - start
        if report_path is not None:
            reports.extend(page_report(p, len(reports) + 1) for p in result.pages)
            written |= {Path(p).resolve() for p in [out, *(result.previews or ())]}
        for page in result.pages:
            for note in page.notes:
                click.echo(f"note: {layout_path}: normalised {note}", err=True)
            for warning in page.warnings:
                click.echo(f"warning: {layout_path}: {warning}", err=True)
            for line in fit_notes(page):
                click.echo(f"fit: {layout_path}: {line}", err=True)
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
    if report_path is not None and status == 0:  # a failed run leaves the previous report as it was
        # (over a layout or the -o PDF it was refused before rendering; over an input, by render_layout)
        if Path(report_path).resolve() in written:
            _fail(PagesetterError(f"{str(report_path)!r} is an output of this render: the report would overwrite it",
                                  field="--report"), debug)
        try:
            _write_json(report_path, {"pages": reports})
        except PagesetterError as exc:
            _fail(exc, debug)
    from pagesetter.diskcache import prune
    prune()  # after the PDFs are in place: at most once an hour
    sys.exit(status)


def _edition(layout_path: Path, root: Path | None):
    """The edition in ``layout_path``, or None for a page layout: the edition module is loaded
    only for an edition (its parsed YAML is cached, so reading the file twice costs little).
    The checks come in ``load_edition``'s order, so a file gets the same error either way."""
    from pagesetter.source.paths import project_root, regular_file
    from pagesetter.source.yamlsource import is_edition, load_yaml_file
    project_root(layout_path, root)
    if not is_edition(load_yaml_file(regular_file(Path(layout_path), what="layout"))):
        return None
    from pagesetter.app.edition import load_edition
    return load_edition(layout_path, root)


def _render_edition(edition, output, jobs, combined, options, debug, reports: list, claims=None) -> int:
    from pagesetter.app.edition import mixed_trims, page_pdf_name, plan_outputs, render_edition, write_combined
    from pagesetter.app.outnames import PdfName

    out_dir = output if output is not None else Path("output")
    try:
        targets, combined_target = plan_outputs(edition, out_dir, combined)
        for page, target in zip(edition.pages, targets) if claims is not None else ():
            named = page_pdf_name(page) if page.output is None else PdfName(page.output, page.layout)
            claims.claim(target, named, f"give it another name: or output: in {edition.file.name}")
    except PagesetterError as exc:
        _fail(exc, debug)
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

    try:
        outcomes = render_edition(edition, out_dir, jobs=jobs, options=options, report=report, targets=targets)
    except PagesetterError as exc:
        _fail(exc, debug)
    if tty:
        click.echo()
    status = 0
    for o in outcomes:
        for w in o.warnings:
            click.echo(f"warning: {o.page.layout}: {w}", err=True)
        for n in o.fit:
            click.echo(f"fit: {o.page.layout}: {n}", err=True)
        reports.extend(o.report)
        for line in o.overset:
            click.echo(f"overset: {o.page.layout}: {line}", err=True)
        if o.error:
            click.echo(f"error: {o.error}", err=True)
        elif tty and o.exit_code == 0:
            click.echo(f"{o.output}  {o.pages} page  {o.seconds:.2f}s")
        status = max(status, o.exit_code)
    mixed = mixed_trims(outcomes)
    if mixed:
        click.echo(f"warning: {edition.file}: {mixed}", err=True)
    failed = [o for o in outcomes if not o.written]
    target = combined_target
    if target is not None and not failed:
        try:
            write_combined(edition, Path(target), options)
            click.echo(f"{target}  {total} pages (combined)")
        except PagesetterError as exc:
            _fail(exc, debug)
        except Exception as exc:
            _internal(exc, debug, target)
    elif target is not None:
        click.echo(f"error: {edition.file}: combined PDF {target} not written: {len(failed)} of {total} pages "
                   "failed", err=True)
    summary = f"{total - len(failed)} of {total} pages written" if failed else f"{total} pages"
    if failed:
        summary += ", failed: " + ", ".join(f"第{o.page.number}版 ({o.page.layout.name})" for o in failed)
    click.echo(f"edition {edition.file.name}: {summary} in {time.perf_counter() - start:.2f}s with {jobs} "
               f"job{'s' if jobs != 1 else ''}")
    return status


@main.command()
@click.argument("layout", type=click.Path(path_type=Path, exists=True))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="PDF to write (default output/<name>.pdf, as render).")
@click.option("--font-dir", "font_dirs", multiple=True, type=click.Path(path_type=Path))
@click.option("--system-fonts", is_flag=True, help="Also use the fonts installed on this machine.")
@click.option("--allow-missing-glyphs", is_flag=True)
@click.option("--png", "png", is_flag=True, help="Also write a preview PNG after each render.")
@click.option("--png-dpi", default=50.0, show_default=True, type=click.FloatRange(5, 600))
@click.option("--proof", is_flag=True, help="Draw the grid, frames, threading and overset on the preview PNG.")
@click.option("--interval", default=0.2, show_default=True, type=click.FloatRange(0.05, 10), help="Seconds between checks.")
@click.option("--max-renders", type=int, hidden=True)
@click.option("--root", "root", type=click.Path(path_type=Path, file_okay=False),
              help="Project root: only files inside it are read (default: the current directory when the "
                   "layout lies inside it, else the layout's folder).")
def watch(layout, output, font_dirs, system_fonts, allow_missing_glyphs, png, png_dpi, proof, interval, max_renders,
          root):
    """Re-render LAYOUT whenever it, a house style, an article, font or image it uses is saved."""
    from pagesetter.app.watch import watch as watch_loop

    from pagesetter.app.outnames import pdf_name
    out = output or Path("output") / pdf_name(layout).file
    options = dict(font_dirs=_font_dirs(font_dirs, system_fonts), allow_missing_glyphs=allow_missing_glyphs,
                   png_dpi=png_dpi if png or proof else None, proof=proof, root_dir=root)
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
@click.option("--root", "root", type=click.Path(path_type=Path, file_okay=False),
              help="Project root: only files inside it are read (default: the current directory when the "
                   "layout lies inside it, else the layout's folder).")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
def serve(layout, port, host, output, font_dirs, allow_missing_glyphs, dpi, root, debug):
    """Preview LAYOUT (or an edition) live in the browser: every save re-renders it."""
    from pagesetter.app.serve import serve as run_server

    try:
        run_server(layout, host=host, port=port, out_dir=output, font_dirs=list(font_dirs), dpi=dpi,
                   allow_missing_glyphs=allow_missing_glyphs, root=root, echo=click.echo)
    except PagesetterError as exc:
        _fail(exc, debug)
    except KeyboardInterrupt:
        pass
    click.echo("stopped")


def _write_json(path: Path, data) -> None:
    import json

    from pagesetter.outfiles import write_atomically
    write_atomically(path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


@main.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("output/galley.pdf"), show_default=True)
@click.option("--page", "page_size", default="A3", show_default=True, help="Page size: A3, A4, 对开, or W x H.")
@click.option("--margin", default="20mm", show_default=True,
              help="One length for every side, or 'top right bottom left' (two or three values as in CSS).")
@click.option("--columns", default=4, show_default=True, type=click.IntRange(1, 20))
@click.option("--measure", default="17em", show_default=True)
@click.option("--gutter", default="1em", show_default=True)
@click.option("--lines", type=click.IntRange(1, 1000), help="Lines per column (default: as many as the page holds).")
@click.option("--font", default="body", show_default=True, help="Body face: a family (书宋, 黑体 bold) or a role.")
@click.option("--font-dir", "font_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Extra directory of .ttf/.ttc fonts (repeatable).")
@click.option("--size", default="9pt", show_default=True)
@click.option("--leading", default="13.5pt", show_default=True)
@click.option("--style", "style_path", type=click.Path(path_type=Path), help="House-style file.")
@click.option("--repeat", default=1, show_default=True, type=click.IntRange(1, 1000),
              help="Set the articles this many times over (benchmark workloads).")
@click.option("--system-fonts", is_flag=True, help="Also use the fonts installed on this machine.")
@click.option("--allow-missing-glyphs", is_flag=True,
              help="Set characters no font has as 〓 with a warning, instead of stopping.")
@click.option("--encoding", help="The articles' encoding when not UTF-8 (gb18030, gbk), as a layout's encoding:.")
@click.option("--root", "root", type=click.Path(path_type=Path, file_okay=False),
              help="Project root: only files inside it are read (default: the current directory when the "
                   "first article lies inside it, else the article's folder).")
@click.option("--debug", is_flag=True)
def galley(articles, output, page_size, margin, columns, measure, gutter, lines, font, font_dirs, size, leading,
           style_path, repeat, system_fonts, allow_missing_glyphs, encoding, root, debug):
    """Set articles in plain columns on as many pages as they need (galley proofs): headline, body, byline,
    and a slug line per story."""
    from pagesetter.source.article import load_article
    from pagesetter.compose.style import HouseStyle
    from pagesetter.fonts.registry import FontRegistry
    from pagesetter.page.galley import galley_pages
    from pagesetter.layout.pagesizes import PAGE_SIZES_MM
    from pagesetter.render.pdf import write_pdf
    from pagesetter.units import MM, UnitContext, UnitError, parse_length, parse_size

    start = time.perf_counter()
    try:
        try:
            size_pt = parse_size(size)
            if not 1 <= size_pt <= 500:
                raise PagesetterError(f"a type size between 1pt and 500pt, got {size!r}", field="--size")
            ctx = UnitContext(em=size_pt)
            leading_pt = parse_length(leading, ctx, default_unit="pt")
            if not size_pt * 0.8 <= leading_pt <= 1000:
                raise PagesetterError(f"the leading must be at least 0.8 of the size, got {leading!r}",
                                      field="--leading")
            measure_pt, gutter_pt = (parse_length(v, ctx) for v in (measure, gutter))
            sides = [parse_length(v, ctx) for v in margin.split()]
            if not 1 <= len(sides) <= 4:
                raise PagesetterError("--margin takes one to four lengths", field="--margin")
            top, right, bottom, left = (sides * 4)[:4] if len(sides) == 1 else \
                (sides[0], sides[1], sides[0], sides[1]) if len(sides) == 2 else \
                (sides[0], sides[1], sides[2], sides[1]) if len(sides) == 3 else sides
            if page_size in PAGE_SIZES_MM:
                width, height = (v * MM for v in PAGE_SIZES_MM[page_size])
            else:
                w, h = page_size.lower().replace("×", "x").split("x")
                width, height = parse_length(w.strip(), ctx), parse_length(h.strip(), ctx)
        except (UnitError, ValueError) as exc:
            raise PagesetterError(str(exc)) from None
        if not (10 * MM <= width <= 2000 * MM and 10 * MM <= height <= 2000 * MM):
            raise PagesetterError(f"a page between 10mm and 2000mm each way, got {page_size!r}", field="--page")
        if measure_pt < size_pt:
            raise PagesetterError("the measure must hold a character", field="--measure")
        if min(gutter_pt, top, right, bottom, left) < 0:
            raise PagesetterError("margins and gutter cannot be negative", field="--margin/--gutter")
        if height - top - bottom < leading_pt:
            raise PagesetterError("the margins leave no room for one line", field="--margin")
        fonts = FontRegistry.default()
        for d in font_dirs:
            if not Path(d).is_dir():
                raise PagesetterError(f"font directory {str(d)!r} not found", field="--font-dir")
            fonts.add_dir(Path(d))
        if style_path is not None:
            from pagesetter.layout.loader import load_style_file  # YAML: only for a style file
            style = load_style_file(style_path, root=root)
        else:
            style = HouseStyle()
        from pagesetter.source.paths import regular_file
        inputs = {Path(a).resolve() for a in articles} | ({Path(style_path).resolve()} if style_path else set())
        if Path(output).resolve() in inputs:
            raise PagesetterError(f"{str(output)!r} is an input of this galley: writing there would destroy it",
                                  field="-o/--output")
        loaded = [load_article(regular_file(a, what="article"), encoding) for a in articles] * repeat
        if system_fonts:
            fonts.add_system()
        pages = galley_pages(loaded, width=width, height=height, margins=(top, right, bottom, left), columns=columns,
                             measure=measure_pt, gutter=gutter_pt, size=size_pt, leading=leading_pt, style=style,
                             fonts=fonts, font=font, lines=lines, allow_missing_glyphs=allow_missing_glyphs,
                             title=output.stem)
        for article in loaded[:len(articles)]:
            for warning in article.warnings:
                click.echo(f"warning: {warning}", err=True)
        for reason in fonts.skipped:
            click.echo(f"warning: font skipped: {reason}", err=True)
        write_pdf(pages, output)
    except PagesetterError as exc:
        _fail(exc, debug)
    except ValueError as exc:
        _fail(PagesetterError(str(exc)), debug)
    except Exception as exc:
        _internal(exc, debug, output)
    for page in pages:
        for warning in page.warnings:
            click.echo(f"warning: {warning}", err=True)
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
@click.option("--ink-dpi", type=click.IntRange(150, 1200), default=150, show_default=True,
              help="Resolution of the CMYK rendering total ink is measured on.")
@click.option("--min-ppi", type=click.FloatRange(1, 2400), default=200, show_default=True,
              help="Pictures printing at a lower resolution are reported.")
@click.option("--min-line", type=click.FloatRange(0.01, 2), default=0.25, show_default=True,
              help="Strokes thinner than this (pt) fail as hairlines.")
def check(pdfs, no_ink, ink_limit, ink_dpi, min_ppi, min_line):
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
        try:
            checks = preflight(pdf, ink=not no_ink, ink_limit=ink_limit, ink_dpi=ink_dpi, min_ppi=min_ppi,
                               min_line=min_line)
        except Exception as exc:  # a damaged PDF the checks did not foresee: one line, not a traceback
            click.echo(f"error: {pdf}: damaged PDF: cannot check it ({type(exc).__name__}: {str(exc)[:120]})",
                       err=True)
            status = 2
            continue
        for c in checks:
            click.echo(c.line())
        if checks and checks[0].name == "parse" and checks[0].status == "FAIL":
            status = 2  # not a PDF at all: bad input
        elif failed(checks):
            status = max(status, 1)
    sys.exit(status)


@main.command()
@click.argument("article", required=False, type=click.Path(path_type=Path))
@click.option("--measure", help="Column measure: 17.8em, 14字, 56mm …")
@click.option("--size", help="Body size: 小五, 9pt …")
@click.option("--leading", help="Line pitch (default 1.5 × size).")
@click.option("--style", "style_path", type=click.Path(path_type=Path), help="House-style file, e.g. layouts/house.yaml")
@click.option("--font", default="body", show_default=True, help="Body font family or role.")
@click.option("--headline-size", help="Headline size (default 2.5 × body, as in a layout); 0 for no headline.")
@click.option("--layout", "layout_path", type=click.Path(path_type=Path),
              help="Take the story, measure, size, style and headline from this layout (with --story).")
@click.option("--story", "story_id", help="The layout's story to count (its id or article file name).")
@click.option("--font-dir", "font_dirs", multiple=True, type=click.Path(path_type=Path))
@click.option("--system-fonts", is_flag=True, help="Also use the fonts installed on this machine.")
@click.option("--allow-missing-glyphs", is_flag=True,
              help="Count characters no font has as 〓 with a warning, instead of stopping.")
@click.option("--json", "as_json", is_flag=True, help="Print the composed lines as JSON.")
@click.option("--root", "root", type=click.Path(path_type=Path, file_okay=False),
              help="Project root: only files inside it are read (default: the current directory when the "
                   "layout lies inside it, else the layout's folder).")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
def copyfit(article, measure, size, leading, style_path, font, headline_size, layout_path, story_id, font_dirs,
            system_fonts, allow_missing_glyphs, as_json, root, debug):
    """Count the lines ARTICLE takes in a column (算稿): headline, body, subheads, byline.

    Either ARTICLE with --measure and --size, or --layout and --story for a story of a layout."""
    import json

    from pagesetter.compose.style import HouseStyle
    from pagesetter.fonts.registry import FontRegistry
    from pagesetter.layout.loader import load_layout, load_style_file
    from pagesetter.page.copyfit import copyfit as run_copyfit, copyfit_story
    from pagesetter.units import MM, UnitContext, UnitError, parse_length, parse_size

    try:
        if layout_path is not None:
            if not story_id:
                raise PagesetterError("--layout needs --story (a story id, or its article's file name)",
                                      field="--story")
            layout = load_layout(layout_path, font_dirs=_font_dirs(font_dirs, system_fonts), root_dir=root)
            layout.allow_missing_glyphs = allow_missing_glyphs
            result = copyfit_story(layout, story_id)
            size_pt, leading_pt = layout.body.size, layout.pitch
            measure_pt = result.measure_em * size_pt
            article = result.article
        else:
            if article is None or measure is None or size is None:
                raise PagesetterError("give ARTICLE with --measure and --size, or --layout with --story")
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
            if not 0 < leading_pt <= 1000 or leading_pt < size_pt * 0.8:
                raise PagesetterError(f"the leading must be positive and at least 0.8 × the size, got {leading!r}",
                                      field="--leading")
            try:
                ctx = UnitContext(em=size_pt, line=leading_pt)
                measure_pt = parse_length(measure, ctx)
            except UnitError as exc:
                raise PagesetterError(str(exc), field="--measure") from None
            if measure_pt < size_pt:
                raise PagesetterError(f"the measure {measure} is narrower than one character", field="--measure")
            headline = None
            if headline_size is not None:
                try:
                    headline = False if headline_size.strip() in ("0", "none", "false") else \
                        {"size": f"{parse_size(headline_size)}pt"}
                except UnitError as exc:
                    raise PagesetterError(str(exc), field="--headline-size") from None
            style = load_style_file(style_path, root=root) if style_path is not None else HouseStyle()
            fonts = FontRegistry.default()
            for d in font_dirs:
                fonts.add_dir(Path(d))
            if system_fonts:
                fonts.add_system()
            from pagesetter.source.paths import regular_file
            regular_file(article, what="article")
            result = run_copyfit(article, measure=measure_pt, size=size_pt, leading=leading_pt, style=style,
                                 fonts=fonts, font=font, headline=headline, allow_missing_glyphs=allow_missing_glyphs,
                                 root=root)
    except PagesetterError as exc:
        _fail(exc, debug)
    except Exception as exc:
        _internal(exc, debug, article or layout_path)
    skipped = (layout.fonts if layout_path is not None else fonts).skipped
    for warning in [f"font skipped: {reason}" for reason in skipped] + result.warnings:
        click.echo(f"warning: {article}: {warning}", err=True)
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
        return
    click.echo(f"{article}: measure {result.measure_em:g}字 ({measure_pt / MM:.1f}mm), size {size_pt:g}pt, "
               f"leading {leading_pt:g}pt")
    if result.headline:
        click.echo(f"  headline {result.headline:4d} lines")
    n = 0
    for kind, lines, chars in result.blocks:
        first = lines[0].text[:14] if lines else ""
        if kind == "body":
            n += 1
            click.echo(f"  ¶{n:<7} {len(lines):4d} lines {chars:5d} chars  {first}")
        else:
            click.echo(f"  subhead  {len(lines):4d} lines {chars:5d} chars  {first}")
    if result.byline:
        click.echo(f"  byline   {result.byline:4d} lines")
    if result.other_lines:
        click.echo(f"  space    {result.other_lines:4d} lines  (round subheads, beside pictures)")
    overset = f", {result.overset} characters did not fit" if result.overset else ""
    click.echo(f"  total {result.total} lines, {result.characters} characters{overset}, "
               f"depth {result.depth:.1f}pt ({result.depth / MM:.1f}mm)")


def run() -> None:
    """The console entry point: on exit, skip tearing down the fonts' large tables
    (a tenth of a second of a cold render); every file is closed by then."""
    import os

    from pagesetter.outfiles import raise_on_sigterm
    raise_on_sigterm()
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
