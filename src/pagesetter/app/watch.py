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


def watch(layout: Path, out: Path, *, echo, options: dict, interval: float = 0.2, max_renders: int | None = None,
          on_render=None) -> None:
    from pagesetter.app.pipeline import render_layout

    cache = StoryCache()
    sources = {layout.resolve()}
    seen = None
    renders = 0
    while True:
        stamps = _stamps(sources)
        if stamps != seen:
            start = time.perf_counter()
            try:
                result = render_layout(layout, out, cache=cache, **options)
                elapsed = time.perf_counter() - start
                page = result.pages[0]
                sources = set(page.layout.sources) | {g.font.ref.path for p in page.lines for g in p.line.glyphs}
                stamp = time.strftime("%H:%M:%S")
                written = str(result.output) if result.output else "not written (overset)"
                echo(f"{stamp}  {written}  {elapsed * 1000:.0f} ms")
                for story in result.overset:
                    echo(f"  overset: story {story.id!r}: {story.overset_chars} characters did not fit")
                for p in result.pages:
                    for warning in p.warnings:
                        echo(f"  warning: {warning}")
            except PagesetterError as exc:
                echo(f"{time.strftime('%H:%M:%S')}  error: {exc}")
            seen = _stamps(sources)
            renders += 1
            if on_render:
                on_render(renders)
            if max_renders is not None and renders >= max_renders:
                return
        time.sleep(interval)
