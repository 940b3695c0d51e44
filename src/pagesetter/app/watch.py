"""``pagesetter watch``: re-render whenever a file the page uses is saved.

Fonts stay loaded and stories whose inputs did not change are not set again
(``StoryCache``), so a re-render after an edit takes a fraction of a cold one.
"""

from __future__ import annotations

import time
from pathlib import Path

from pagesetter.errors import PagesetterError
from pagesetter.page.flow import StoryCache


def _stamps(paths) -> dict:
    out = {}
    for p in paths:
        try:
            st = Path(p).stat()
            out[str(p)] = (st.st_size, st.st_mtime_ns)
        except OSError:
            out[str(p)] = None
    return out


def proof_path(out: Path) -> Path:
    """Where an overset page's proof goes: beside the output, which keeps the last good page."""
    return out.with_name(f"{out.stem}.overset.pdf")


def watch(layout: Path, out: Path, *, echo, options: dict, interval: float = 0.2, max_renders: int | None = None,
          on_render=None) -> None:
    """Render ``layout`` whenever a file it uses changes, until interrupted.

    The files are stamped before each render, so a save made while a render runs
    is seen and rendered at once: what is on disk and the PDF never drift apart.
    An overset page never replaces the last good PDF at ``out``; its proof goes
    to ``proof_path(out)``. Any error, even a bug, is printed and watching goes on."""
    from pagesetter.app.pipeline import RenderResult, render_layout, write_outputs
    from pagesetter.outfiles import discard

    options = dict(options, allow_overset=False)
    cache = StoryCache()
    sources = {layout.resolve()}
    seen = None
    renders = 0
    while True:
        stamps = _stamps(sources)
        if stamps != seen:
            start = time.perf_counter()
            started = time.time_ns()
            try:
                result = render_layout(layout, out, cache=cache, **options)
                page = result.pages[0]
                sources = set(page.layout.sources) | {g.font.ref.path for p in page.lines for g in p.line.glyphs}
                clock = time.strftime("%H:%M:%S")
                if result.overset:
                    proof = proof_path(out)
                    write_outputs(result.pages, proof, RenderResult(result.pages, None),
                                  png_dpi=options.get("png_dpi"), proof=options.get("proof", False))
                    echo(f"{clock}  overset: proof written to {proof}; {out} keeps the last page that fitted  "
                         f"{(time.perf_counter() - start) * 1000:.0f} ms")
                else:
                    if proof_path(out).exists():  # the page fits again: its old proof goes
                        discard(proof_path(out))
                    echo(f"{clock}  {result.output}  {(time.perf_counter() - start) * 1000:.0f} ms")
                for story in result.overset:
                    echo(f"  overset: story {story.id!r}: {story.overset_chars} characters did not fit")
                for p in result.pages:
                    for warning in p.warnings:
                        echo(f"  warning: {warning}")
            except PagesetterError as exc:
                echo(f"{time.strftime('%H:%M:%S')}  error: {exc}")
                if exc.file:  # the file at fault may not be known as a source yet: watch it for the fix
                    sources.add(Path(exc.file).resolve())
            except (KeyboardInterrupt, SystemExit):
                raise
            except MemoryError:
                echo(f"{time.strftime('%H:%M:%S')}  error: {layout}: out of memory; waiting for the next save")
            except Exception as exc:  # a bug must not end the session: say so, keep watching
                echo(f"{time.strftime('%H:%M:%S')}  error: {layout}: internal error ({type(exc).__name__}: "
                     f"{str(exc)[:200]}); please report it")
            # what the render read, as it was before it began; a file first seen in this render
            # and changed since it began counts as changed, so the next pass renders it again
            seen = {p: v for p, v in stamps.items() if p in {str(s) for s in sources}}
            for p, v in _stamps(sources).items():
                if p not in seen:
                    seen[p] = v if v is not None and v[1] < started else None
            renders += 1
            if on_render:
                on_render(renders)
            if max_renders is not None and renders >= max_renders:
                return
            continue  # check again at once: a save during the render is rendered without waiting
        time.sleep(interval)
