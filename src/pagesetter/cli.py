"""The ``pagesetter`` command."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from pagesetter.errors import PagesetterError

EXIT_BAD_INPUT = 2
EXIT_OVERSET = 3


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pagesetter")
def main() -> None:
    """Typeset Chinese newspaper pages from YAML layouts into print-ready PDF."""


def _fail(exc: PagesetterError, debug: bool):
    if debug:
        raise exc
    click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


@main.command()
@click.argument("layouts", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="PDF to write (one layout), or a directory. Default: output/<layout>.pdf")
@click.option("--font-dir", "font_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Extra directory of .ttf/.ttc fonts (repeatable).")
@click.option("--allow-overset", is_flag=True, help="Write the PDF even if text does not fit (exit 0).")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
def render(layouts, output, font_dirs, allow_overset, debug):
    """Render LAYOUT.yaml files to PDF."""
    from pagesetter.pipeline import render_layout

    status = 0
    for layout_path in layouts:
        if output is None:
            out = Path("output") / f"{layout_path.stem}.pdf"
        elif output.suffix.lower() == ".pdf" and len(layouts) == 1:
            out = output
        else:
            out = output / f"{layout_path.stem}.pdf"
        start = time.perf_counter()
        try:
            result = render_layout(layout_path, out, font_dirs=list(font_dirs), allow_overset=allow_overset)
        except PagesetterError as exc:
            _fail(exc, debug)
        elapsed = time.perf_counter() - start
        for story in result.overset:
            click.echo(f"overset: {layout_path}: story {story.id!r}: {story.overset_chars} characters did not fit "
                       f"(starting {story.overset_text[:12]!r})", err=True)
        if result.overset and not allow_overset:
            status = EXIT_OVERSET
            click.echo(f"error: {layout_path}: overset text; no PDF written (use --allow-overset to write it anyway)",
                       err=True)
            continue
        click.echo(f"{out}  {result.page_count} page{'s' if result.page_count != 1 else ''}  {elapsed:.2f}s")
    sys.exit(status)


if __name__ == "__main__":
    main()
