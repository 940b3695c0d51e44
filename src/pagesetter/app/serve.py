"""``pagesetter serve``: a live preview of a layout or an edition in the browser.

The server holds a warm renderer (fonts loaded, a ``StoryCache`` per page, as
``watch`` does), renders the same PDF that ``render`` writes and rasterises it
with pdfium. A watcher thread re-renders on every save of a file the pages use;
each update goes to every open browser as a server-sent event. When only some
lines changed, just the regions they cover are rasterised again and sent as
patches over the last image, which keeps an edit's round trip short.

Nothing is served but the routes below; nothing is written but the PDFs in the
output directory (only clean ones) and a private cache directory.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import functools
import io
import json
import math
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from pagesetter.errors import PagesetterError
from pagesetter.page.flow import StoryCache

STATIC = Path(__file__).with_name("static")
ASSETS = {"/app.js": ("app.js", "text/javascript; charset=utf-8"),
          "/app.css": ("app.css", "text/css; charset=utf-8")}
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
INLINE_PATCH = 48_000  # bytes of PNG
SHORT_LINES = 2  # a story leaving this many grid lines or more empty is short


def _stamps(paths) -> dict:
    out = {}
    for p in paths:
        try:
            st = os.stat(p)
            out[str(p)] = (st.st_size, st.st_mtime_ns)
        except OSError:
            out[str(p)] = None
    return out


def _shown(path) -> str:
    """A path as the designer typed it: relative to the working directory when inside it."""
    try:
        cwd = os.getcwd()
    except OSError:
        return str(path)
    return _shown_from(str(path), cwd)


@functools.lru_cache(maxsize=1024)
def _shown_from(path: str, cwd: str) -> str:
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path(cwd).resolve()))
    except (ValueError, OSError):
        return str(p)


def _line_key(p) -> tuple:
    line = p.line
    fonts = tuple(dict.fromkeys(id(g.font) for g in line.glyphs))
    return (p.role, p.story, p.frame, p.column, round(p.x, 3), round(p.baseline, 3), p.size, p.vertical, line.text,
            round(line.adjust, 5), round(line.width, 5), round(line.indent, 5), round(line.hang, 5), len(line.glyphs),
            fonts)


def _line_box(p) -> tuple[float, float, float, float]:
    """What a line's ink can cover, generously (hanging punctuation, descenders, tracking)."""
    s = p.size
    extent = max(p.measure, p.line.width * s) + 2 * s
    if p.vertical:
        return p.x - s, p.baseline - s, p.x + 2 * s, p.baseline + extent
    return p.x - s, p.baseline - 1.3 * s, p.x + extent, p.baseline + 0.6 * s


def _rest_key(page) -> str:
    """Everything on a page besides its lines: a change here repaints the whole page."""
    layout = page.layout
    return repr((layout.width, layout.height, layout.title, layout.name, layout.print, page.images, page.fills,
                 page.strokes))


def dirty_regions(old, new) -> list[tuple[float, float, float, float]] | None:
    """Boxes (pt, from the trim's top left) covering every line that differs between two composed
    pages, one per frame; [] when nothing differs; None when something else changed and the page
    must be drawn again whole."""
    if old is None or _rest_key(old) != _rest_key(new):
        return None
    # lines of stories the cache kept are the very same objects: only the others need comparing
    kept = {id(p) for p in old.lines} & {id(p) for p in new.lines}
    before: dict[tuple, list] = {}
    for p in old.lines:
        if id(p) not in kept:
            before.setdefault(_line_key(p), []).append(p)
    after: dict[tuple, list] = {}
    for p in new.lines:
        if id(p) not in kept:
            after.setdefault(_line_key(p), []).append(p)
    changed = [p for k, ps in before.items() if len(after.get(k, ())) != len(ps) for p in ps]
    changed += [p for k, ps in after.items() if len(before.get(k, ())) != len(ps) for p in ps]
    boxes: dict[str, list[float]] = {}
    for p in changed:
        x0, y0, x1, y1 = _line_box(p)
        b = boxes.get(p.frame)
        boxes[p.frame] = [x0, y0, x1, y1] if b is None else [min(b[0], x0), min(b[1], y0), max(b[2], x1),
                                                              max(b[3], y1)]
    return [tuple(b) for b in boxes.values()]


def _chains(layout) -> list[tuple]:
    """(story, its frames on this page) of the page's own stories, then of those jumped onto it."""
    return [(s, list(s.frames)) for s in layout.stories] + \
        [(c.story, list(c.story.jump.frames)) for c in layout.continuations]


def story_report(page, number: int, error_files: set[str]) -> list[dict]:
    """Per story: where its copy is, how it fills its frames, and what went wrong.

    Every field of the flow's story result is passed on, so figures the flow adds later show up
    in the browser without changes here."""
    layout = page.layout
    results = {r.id: r for r in page.stories}
    by_story: dict[str, list] = {}
    for p in page.lines:
        if p.grid_line is not None:
            by_story.setdefault(p.story, []).append(p)
    ta = layout.type_area
    out = []
    for story, chain in _chains(layout):
        result = results.get(story.id)
        slots = []  # (frame, column, first grid line, end) of each column of the chain, in reading order
        for fid in chain:
            frame = layout.frames[fid]
            first = math.ceil((frame.box.y - ta.y) / layout.pitch - 1e-6)
            end = max(first, math.floor((frame.box.bottom - ta.y) / layout.pitch + 1e-6))
            slots.extend((fid, c, first, end) for c in range(frame.columns))
        available = sum(end - first for _, _, first, end in slots)
        # the last grid line the story reached: its empty lines are the rest of the chain after it
        index = {(fid, c): i for i, (fid, c, _, _) in enumerate(slots)}
        last = max(((index[(p.frame, p.column)], p.grid_line) for p in by_story.get(story.id, ())
                    if (p.frame, p.column) in index), default=(-1, -1))
        empty = 0
        for i, (_, _, first, end) in enumerate(slots):
            if i > last[0]:
                empty += end - first
            elif i == last[0]:
                empty += max(0, end - last[1] - 1)
        entry = {
            "page": number,
            "id": story.id,
            "article": _shown(story.article.path),
            "frames": list(chain),
            "lines_used": available - empty,
            "lines_available": available,
            "empty_lines": empty,
        }
        if result is not None:
            extra = dataclasses.asdict(result)
            extra.pop("id", None)
            entry["lines_set"] = extra.pop("lines", 0)
            entry["frame_fill"] = extra.pop("frames", [])  # the fit report's lines per frame and column
            entry.update(extra)
        entry["warnings"] = [w for w in page.warnings if w.startswith(f"story {story.id!r}")]
        if str(Path(story.article.path).resolve()) in error_files:
            entry["status"] = "error"
        elif entry.get("overset_chars"):
            entry["status"] = "overset"
        elif entry["empty_lines"] >= SHORT_LINES:
            entry["status"] = "short"
        else:
            entry["status"] = "fits"
        out.append(entry)
    return out


def page_geometry(page) -> dict:
    """What the browser draws the proof overlay from, in pt from the trim's top left."""
    layout = page.layout
    ta = layout.type_area
    frames = []
    for frame in layout.frames.values():
        b = frame.box
        frames.append({"id": frame.id, "x": b.x, "y": b.y, "w": b.width, "h": b.height,
                       "columns": [[frame.column_x(c), frame.column_width] for c in range(frame.columns)]})
    stories = {}
    for story, chain in _chains(layout):
        for fid in chain:
            stories.setdefault(fid, story.id)
        if story.headline and story.headline.frame:
            stories.setdefault(story.headline.frame, story.id)
    for f in frames:
        f["story"] = stories.get(f["id"])
    return {
        "width": layout.width, "height": layout.height,
        "grid": {"x": ta.x, "y": ta.y, "w": ta.width, "h": ta.height, "pitch": layout.pitch,
                 "lines": layout.grid_lines,
                 "columns": [ta.x + c * (layout.column_width + layout.gutter) for c in range(layout.columns)],
                 "column_width": layout.column_width},
        "frames": frames,
        "threads": [{"story": s.id, "frames": chain} for s, chain in _chains(layout) if len(chain) > 1],
    }


def proof_page(page, regions):
    """The page with only what may draw in ``regions``: the lines, tints and pictures that meet
    them (rules and anything else kept whole), in the page's own order."""
    def meets(x0, y0, x1, y1):
        return any(min(x1, r[2]) > max(x0, r[0]) and min(y1, r[3]) > max(y0, r[1]) for r in regions)

    return dataclasses.replace(
        page, lines=[p for p in page.lines if meets(*_line_box(p))],
        fills=[(b, c) for b, c in page.fills if meets(b.x, b.y, b.right, b.bottom)],
        images=[i for i in page.images if meets(i.placement.x, i.placement.y, i.placement.x + i.placement.width,
                                                 i.placement.y + i.placement.height)],
        stories=list(page.stories), warnings=list(page.warnings), notes=list(page.notes))


def _render_regions(pdfpage, layout, regions, scale: float) -> list:
    """(x, y, PIL image) of each region (pt, from the trim's top left) rasterised, in pixels of the trim."""
    off = layout.print.bleed + layout.print.slug_space
    src_w, src_h = math.ceil(pdfpage.get_width() * scale), math.ceil(pdfpage.get_height() * scale)
    left = top = round(off * scale)
    right, bottom = left + round(layout.width * scale), top + round(layout.height * scale)
    parts = []
    for x0, y0, x1, y1 in regions:
        px0 = max(left, math.floor((off + x0) * scale))
        py0 = max(top, math.floor((off + y0) * scale))
        px1 = min(right, math.ceil((off + x1) * scale))
        py1 = min(bottom, math.ceil((off + y1) * scale))
        if px1 <= px0 or py1 <= py0:
            continue
        # crop on pdfium's own pixel grid, so the patch lands exactly on the whole page's pixels
        crop = [(c - 0.5) / scale if c > 0 else 0 for c in (px0, src_h - py1, src_w - px1, py0)]
        parts.append((px0 - left, py0 - top, pdfpage.render(scale=scale, crop=crop).to_pil()))
    return parts


def _into_cache(target: Path):
    """``write_pdf``'s finish for the private cache: renamed into place, not flushed to disk."""
    def finish(tmp: Path) -> None:
        from pagesetter.outfiles import discard
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
        discard(tmp)
    return finish


class _LastStories(StoryCache):
    """A story cache that keeps, when pruned, only the stories the last render used: an editing
    session would otherwise hold every text each story ever had."""

    def __init__(self):
        super().__init__()
        self._used: set = set()

    def get(self, key):
        self._used.add(key)
        return super().get(key)

    def put(self, key, value):
        self._used.add(key)
        super().put(key, value)

    def prune(self) -> None:
        self._stories = {k: v for k, v in self._stories.items() if k in self._used}
        self._used = set()


@dataclass
class PageView:
    """One page as the browsers see it: its last good raster and the patches of the last update."""
    number: int
    name: str                 # the PDF's file name
    composed: object = None   # the ComposedPage drawn
    image: object = None      # PIL image of the trim area
    version: int = 0
    png: bytes | None = None  # the whole image, encoded on first request
    patches: list = field(default_factory=list)  # (version, x, y, w, h, png bytes) of the last update
    base: int = 0             # the version the patches apply to
    pdf: Path | None = None   # the clean print PDF in the output directory
    geometry: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    redraw: bool = False      # its pixels were put back after a failed print: draw it whole next time


class Previewer:
    """Renders a layout or an edition, keeps the last good pages and reports each update."""

    def __init__(self, target: Path, out_dir: Path, *, font_dirs=(), dpi: float = 100.0,
                 allow_missing_glyphs: bool = False, root: Path | None = None):
        self.target = Path(target)
        self.root = root  # the project root (--root); None: as render decides it
        self.out_dir = Path(out_dir)
        self.font_dirs = list(font_dirs)
        self.dpi = dpi
        self.allow_missing_glyphs = allow_missing_glyphs
        self.cache_dir = Path(tempfile.mkdtemp(prefix="pagesetter-serve-"))
        self.caches: dict = {}
        self.pages: list[PageView] = []
        self.version = 0
        self.sources: set = {self.target.resolve()}
        self.state: dict = {"version": 0, "status": "starting", "pages": [], "stories": []}
        self._render_lock = threading.Lock()
        self._seen: dict | None = None
        self._line_fonts: dict = {}  # id(placed line) → (the line, its font files)
        self.session = os.urandom(6).hex()  # a restarted server's versions start again: browsers redraw all

    def close(self) -> None:
        shutil.rmtree(self.cache_dir, ignore_errors=True)

    # --- rendering -------------------------------------------------------

    def _plan(self):
        """(layout path, compose options, PDF name) for every page: one for a layout, each of an
        edition's, with what ``render`` passes it (the edition's fields, the stories jumped onto
        the page (转版) in the same order, the edition's project root)."""
        from pagesetter.app.edition import load_edition, page_defaults, page_pdf_name, thread_stories
        from pagesetter.app.outnames import pdf_name

        edition = load_edition(self.target, self.root)
        if edition is None:
            return [(self.target, {"root_dir": self.root}, pdf_name(self.target).file)]
        options = {"font_dirs": self.font_dirs, "allow_missing_glyphs": self.allow_missing_glyphs,
                   "root_dir": edition.root}
        threads = thread_stories(edition, options)
        return [(p.layout, {"defaults": page_defaults(edition, p), "continuations": threads.get(p.number, []),
                            "in_edition": True, "root_dir": edition.root}, p.output or page_pdf_name(p).file)
                for p in edition.pages]

    def _font_files(self, page, fresh: dict) -> set:
        """The font files a page's lines use; a line the story cache kept is not looked through again
        (``fresh`` collects this render's lines, to be kept for the next)."""
        found, known = set(), self._line_fonts
        for p in page.lines:
            hit = known.get(id(p))
            if hit is None or hit[0] is not p:
                hit = (p, frozenset(g.font.ref.path for g in p.line.glyphs))
            fresh[id(p)] = hit
            found |= hit[1]
        return found

    def render(self, early=None) -> dict:
        """Render everything once; returns the update event (also kept as ``state``).

        ``early(event)``, when given, is handed the proof first: the changed regions drawn from a
        PDF of just what they hold, before the print PDF is written. The event returned then
        confirms them from the print PDF (patching any pixel that came out otherwise)."""
        with self._render_lock:
            return self._render(early)

    def _render(self, early=None) -> dict:
        from pagesetter.app.pipeline import compose_layout
        from pagesetter.render.pdf import write_pdf

        start = time.perf_counter()
        error = None
        update = {}
        proofs: dict = {}
        try:
            plan = self._plan()
            sources = {self.target.resolve()}
            composed = []
            line_fonts: dict = {}
            for layout_path, options, name in plan:
                cache = self.caches.setdefault((str(layout_path), name), _LastStories())
                pages = compose_layout(layout_path, font_dirs=self.font_dirs, cache=cache,
                                       allow_missing_glyphs=self.allow_missing_glyphs, **options)
                for page in pages:
                    sources |= set(page.layout.sources)
                    sources |= self._font_files(page, line_fonts)
                composed.append((pages, name))
            self._line_fonts = line_fonts
            for cache in self.caches.values():
                cache.prune()
            flat = [(page, name, i) for pages, name in composed for i, page in enumerate(pages)]
            if len(flat) != len(self.pages) or any(v.name != n for v, (_, n, _) in zip(self.pages, flat)):
                self.pages = [PageView(n, name) for n, (_, name, _) in enumerate(flat)]
            regions = [dirty_regions(view.composed, page) if view.image is not None and not view.redraw else None
                       for view, (page, _, _) in zip(self.pages, flat)]
            if early is not None and any(regions):
                proofs = self._proof(flat, regions)
                if proofs:
                    self.version += 1
                    self.state = self._state(None, time.perf_counter() - start,
                                             {n: u for n, (u, _, _) in proofs.items()},
                                             {view.number: page for view, (page, _, _) in zip(self.pages, flat)})
                    early(self.state)
            # a PDF whose pages did not change is not written again (an edition's other pages)
            stale = {name for (_, name, _), r in zip(flat, regions) if r != []}
            for pages, name in composed:
                if name in stale:
                    write_pdf(pages, self.cache_dir / name, finish=_into_cache(self.cache_dir / name))
            self.sources = sources
            update = self._raster(flat, regions, proofs)
            proofs = {}
        except PagesetterError as exc:
            error = {"message": str(exc), "file": _shown(exc.file) if exc.file else None, "line": exc.line,
                     "column": exc.column, "field": exc.field, "text": f"error: {exc}"}
            if exc.file:
                self.sources.add(Path(exc.file).resolve())
        except Exception as exc:  # a bug: reported in the page as one line, the server keeps going
            text = f"internal error ({type(exc).__name__}: {str(exc)[:200]}); please report it"
            error = {"message": text, "file": None, "line": None, "column": None, "field": None,
                     "text": f"error: {self.target}: {text}"}
        if proofs:  # the print failed after its proof was shown: the last good pixels go back
            update = {n: self._patch(self.pages[n], under) for n, (_, _, under) in proofs.items()}
            for n in proofs:
                self.pages[n].redraw = True
        self.version += 1
        elapsed = time.perf_counter() - start
        self.state = self._state(error, elapsed, update)
        return self.state

    def _proof(self, flat, regions) -> dict:
        """The changed regions of each page rasterised from a small PDF holding only what lies in
        them (drawn by the same ``write_pdf``): number → (update, the parts, the pixels they covered).
        A page drawn whole, or a proof that fails, is left to the print PDF."""
        import pypdfium2 as pdfium
        from pagesetter.render.pdf import write_pdf

        scale = self.dpi / 72
        proofs = {}
        for view, (page, name, _), dirty in zip(self.pages, flat, regions):
            if not dirty:
                continue
            path = self.cache_dir / ".proof" / name
            try:
                write_pdf([proof_page(page, dirty)], path, finish=_into_cache(path))
                doc = pdfium.PdfDocument(str(path))
                try:
                    parts = _render_regions(doc[0], page.layout, dirty, scale)
                finally:
                    doc.close()
            except Exception:  # the print PDF reports whatever went wrong
                continue
            under = [(x, y, view.image.crop((x, y, x + part.width, y + part.height))) for x, y, part in parts]
            proofs[view.number] = (self._patch(view, parts), parts, under)
        return proofs

    def _raster(self, flat, regions, proofs=None) -> dict:
        import pypdfium2 as pdfium

        scale = self.dpi / 72
        updates = {}
        documents = {}
        try:
            for view, (page, name, index), dirty in zip(self.pages, flat, regions):
                if dirty == []:
                    updates[view.number] = {"same": True}
                else:
                    if name not in documents:
                        documents[name] = pdfium.PdfDocument(str(self.cache_dir / name))
                    proof = (proofs or {}).get(view.number)
                    updates[view.number] = self._raster_page(view, documents[name][index], page, dirty, scale,
                                                             proof[1] if proof else None)
                view.composed = page
                view.geometry = page_geometry(page)
            for view, (page, name, index) in zip(self.pages, flat):
                view.pdf = None
            for name in dict.fromkeys(name for _, name, _ in flat):
                if not any(page.overset for page, n, _ in flat if n == name):
                    published = self._publish(name)
                    for view, (_, n, _) in zip(self.pages, flat):
                        if n == name:
                            view.pdf = published
        finally:
            for doc in documents.values():
                doc.close()
        return updates

    def _raster_page(self, view: PageView, pdfpage, page, regions, scale: float, proof=None) -> dict:
        if regions is None:
            layout = page.layout
            off = layout.print.bleed + layout.print.slug_space
            left = top = round(off * scale)
            right, bottom = left + round(layout.width * scale), top + round(layout.height * scale)
            image = pdfpage.render(scale=scale).to_pil().crop((left, top, right, bottom))
            with view.lock:
                view.image, view.png, view.patches = image, None, []
                view.base = view.version = view.version + 1
            view.redraw = False
            return {"full": True}
        parts = _render_regions(pdfpage, page.layout, regions, scale)
        if proof is not None:  # the browsers show the proof already: only pixels the print has otherwise
            parts = [new for old, new in zip(proof, parts) if old[2].tobytes() != new[2].tobytes()]
            if not parts:
                return {"same": True}
        return self._patch(view, parts)

    def _patch(self, view: PageView, parts) -> dict:
        """Paste ``parts`` (x, y, PIL image) into the page's image as its next version; the update event."""
        patches = []
        for x, y, part in parts:
            buf = io.BytesIO()
            part.save(buf, format="PNG", compress_level=1)
            patches.append((x, y, part, buf.getvalue()))
        new_version = view.version + 1
        with view.lock:
            for x, y, part, _ in patches:
                view.image.paste(part, (x, y))
            view.base, view.version, view.png = view.version, new_version, None
            view.patches = [(new_version, x, y, part.width, part.height, data) for x, y, part, data in patches]
        out = []
        for i, (x, y, part, data) in enumerate(patches):
            patch = {"url": f"/page/{view.number}/patch/{new_version}/{i}.png", "x": x, "y": y, "w": part.width,
                     "h": part.height}
            if len(data) <= INLINE_PATCH:  # small ones ride in the event: no second request
                patch["data"] = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
            out.append(patch)
        return {"base": view.base, "patches": out}

    def _publish(self, name: str) -> Path:
        """Copy a clean PDF to the output directory, atomically (a half-written print PDF is never seen)."""
        target = self.out_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.serve.tmp")
        shutil.copyfile(self.cache_dir / name, tmp)
        os.replace(tmp, target)
        return target

    def _state(self, error: dict | None, elapsed: float, update: dict, proofing: dict | None = None) -> dict:
        """The event; ``proofing`` (number → composed page) while the print PDFs are still being written."""
        error_files = set()
        if error and error.get("file"):
            error_files.add(str(Path(error["file"]).resolve()))
        pages, stories = [], []
        for view in self.pages:
            page = proofing[view.number] if proofing else view.composed
            if page is None:
                continue
            pages.append({
                "number": view.number,
                "layout": _shown(page.layout.file),
                "title": page.layout.title,
                "running_page": page.layout.running_head.page if page.layout.running_head else None,
                "image": f"/page/{view.number}.png?v={view.version}",
                "version": view.version,
                "size_px": list(view.image.size),
                "pdf": f"/pdf/{view.number}" if view.pdf and error is None and not proofing else None,
                "pdf_name": view.name,
                "warnings": list(page.warnings),
                "notes": list(page.notes),
                "update": update.get(view.number, {"same": True}),
                **(page_geometry(page) if proofing else view.geometry),
            })
            stories.extend(story_report(page, view.number, error_files))
        if error:
            status = "error"
        elif any(s["status"] == "overset" for s in stories):
            status = "overset"
        else:
            status = "clean"
        return {
            "version": self.version,
            "session": self.session,
            "target": _shown(self.target),
            "status": status,
            "error": error,
            "render_ms": round(elapsed * 1000, 1),
            "rendered_at": time.strftime("%H:%M:%S"),
            "stale": error is not None and bool(pages),
            "proof": bool(proofing),  # the print PDF follows in the next event
            "pages": pages,
            "stories": stories,
        }

    # --- what the routes hand out ------------------------------------------

    # the routes read ``self.pages`` once: a render may replace the list meanwhile

    def page_png(self, number: int) -> tuple[bytes, int] | None:
        pages = self.pages
        if not 0 <= number < len(pages) or pages[number].image is None:
            return None
        view = pages[number]
        with view.lock:
            if view.png is None:
                buf = io.BytesIO()
                view.image.save(buf, format="PNG", compress_level=1)
                view.png = buf.getvalue()
            return view.png, view.version

    def patch_png(self, number: int, version: int, index: int) -> bytes | None:
        pages = self.pages
        if not 0 <= number < len(pages):
            return None
        view = pages[number]
        with view.lock:
            for n, (v, *_, data) in enumerate(view.patches):
                if v == version and n == index:
                    return data
        return None

    def pdf(self, number: int) -> Path | None:
        pages = self.pages
        if self.state.get("error") or not 0 <= number < len(pages):
            return None
        return pages[number].pdf

    def folders(self) -> list[str]:
        """The folders of the files the pages use (those that exist), to be watched."""
        return sorted({str(p.parent) for p in map(Path, self.sources) if p.parent.is_dir()})

    def changed(self) -> bool:
        return _stamps(self.sources) != self._seen

    def render_if_changed(self, settle: float = 0.0, early=None) -> dict | None:
        """Render when a source changed since the last render, once its files stop changing for
        ``settle`` seconds (an editor's save can take two writes). A file saved while rendering is
        seen as changed next time: its stamp from before the render is the one remembered."""
        before = _stamps(self.sources)
        if before == self._seen:
            return None
        deadline = time.monotonic() + 0.25
        while settle and time.monotonic() < deadline:
            time.sleep(settle)
            now = _stamps(self.sources)
            if now == before:
                break
            before = now
        event = self.render(early)
        seen = _stamps(self.sources)
        seen.update({k: v for k, v in before.items() if k in seen})
        self._seen = seen
        return event


class Hub:
    """Fans each update out to every open event stream."""

    def __init__(self):
        self.queues: set[asyncio.Queue] = set()
        self.loop: asyncio.AbstractEventLoop | None = None

    def publish(self, event: dict) -> None:
        if self.loop is None:
            return
        data = json.dumps(event, ensure_ascii=False)
        self.loop.call_soon_threadsafe(self._put, data)

    def _put(self, data: str) -> None:
        for q in list(self.queues):
            q.put_nowait(data)


def create_app(previewer: Previewer, *, interval: float = 0.02, allowed_hosts=None, watch: bool = True):
    """The Starlette application: only the routes below, GET only."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
    from starlette.routing import Route
    import contextlib

    hub = Hub()
    stop = threading.Event()

    def render() -> None:
        event = previewer.render_if_changed(early=hub.publish)
        if event is not None:
            hub.publish(event)

    def watcher() -> None:
        """Told of each save by the kernel (inotify, through watchfiles) in the folders of the files the
        pages use; the files' stamps decide whether to render. Where the kernel cannot tell, polled."""
        try:
            from watchfiles import watch
            while not stop.is_set():
                folders = previewer.folders()
                render()  # what changed while the watch on these folders was not yet set up
                for _ in watch(*folders, watch_filter=None, debounce=1000, step=5, stop_event=stop,
                               rust_timeout=1000, yield_on_timeout=True, recursive=False):
                    render()
                    if previewer.folders() != folders:
                        break
        except (ImportError, OSError, RuntimeError):  # no inotify (or its limits reached): poll
            while not stop.is_set():
                event = previewer.render_if_changed(settle=0.01, early=hub.publish)
                if event is not None:
                    hub.publish(event)
                stop.wait(interval)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        hub.loop = asyncio.get_running_loop()
        thread = None
        if previewer.version == 0:
            await asyncio.to_thread(previewer.render_if_changed)
        if watch:
            thread = threading.Thread(target=watcher, name="pagesetter-serve-watch", daemon=True)
            thread.start()
        try:
            yield
        finally:
            stop.set()
            for q in list(hub.queues):
                q.put_nowait(None)
            if thread is not None:
                thread.join(timeout=5)

    async def index(request):
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    async def asset(request):
        name, media = ASSETS[request.url.path]
        return FileResponse(STATIC / name, media_type=media, headers={"Cache-Control": "no-cache"})

    async def state(request):
        return JSONResponse(previewer.state, headers={"Cache-Control": "no-store"})

    def page_image(request):
        found = previewer.page_png(request.path_params["number"])
        if found is None:
            return Response("no such page", status_code=404)
        data, version = found
        return Response(data, media_type="image/png",
                        headers={"Cache-Control": "no-store", "X-Page-Version": str(version)})

    def patch_image(request):
        p = request.path_params
        data = previewer.patch_png(p["number"], p["version"], p["index"])
        if data is None:
            return Response("no such patch (a newer update replaced it)", status_code=404)
        return Response(data, media_type="image/png", headers={"Cache-Control": "no-store"})

    def pdf(request):
        path = previewer.pdf(request.path_params["number"])
        if path is None or not path.is_file():
            return Response("no clean print PDF: the page has errors or overset text", status_code=409)
        return FileResponse(path, media_type="application/pdf", filename=path.name)

    async def events(request):
        queue: asyncio.Queue = asyncio.Queue()
        hub.queues.add(queue)

        async def stream():
            try:
                yield f"event: update\ndata: {json.dumps(previewer.state, ensure_ascii=False)}\n\n"
                while True:
                    try:
                        data = await asyncio.wait_for(queue.get(), timeout=15)
                    except asyncio.TimeoutError:
                        yield ": keep-alive\n\n"
                        continue
                    if data is None:
                        return
                    yield f"event: update\ndata: {data}\n\n"
            finally:
                hub.queues.discard(queue)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    routes = [
        Route("/", index),
        *(Route(path, asset) for path in ASSETS),
        Route("/api/state", state),
        Route("/events", events),
        Route("/page/{number:int}.png", page_image),
        Route("/page/{number:int}/patch/{version:int}/{index:int}.png", patch_image),
        Route("/pdf/{number:int}", pdf),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))] if allowed_hosts else []
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.hub = hub
    app.state.previewer = previewer
    return app


def listen(host: str, port: int):
    """The listening socket, bound here so that a taken port is one clear line (and port 0 works)."""
    import socket

    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        raise PagesetterError(f"cannot resolve {host!r}: {exc.strerror}", field="--host") from None
    sock = socket.socket(info[0], socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(info[4])
    except OSError as exc:
        sock.close()
        raise PagesetterError(f"cannot listen on {host}:{port}: {exc.strerror}", field="--port") from None
    sock.listen(128)
    return sock


def serve(target: Path, *, host: str, port: int, out_dir: Path, font_dirs=(), dpi: float = 100.0,
          allow_missing_glyphs: bool = False, root: Path | None = None, echo=print) -> None:
    import uvicorn

    sock = listen(host, port)
    previewer = Previewer(target, out_dir, font_dirs=font_dirs, dpi=dpi, allow_missing_glyphs=allow_missing_glyphs,
                          root=root)
    # a page bound to the loopback answers only to loopback names (no DNS rebinding)
    allowed = sorted(LOOPBACK) if host in LOOPBACK else None
    app = create_app(previewer, allowed_hosts=allowed)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1, access_log=False)
    server = uvicorn.Server(config)
    shown = f"[{host}]" if ":" in host else host
    echo(f"serving {target} at http://{shown}:{sock.getsockname()[1]}/ (Ctrl-C to stop)")
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        previewer.close()
