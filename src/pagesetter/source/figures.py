"""Vector figures (SVG, PDF): their size and structure, checked when the layout is read.

A vector figure is placed like a photo (fit, crop, focus, caption, credit) but drawn
as vectors (render/figures.py). Its "pixels" are hundredths of a point, so that
pictures.place() fits and crops it with the same arithmetic as a raster picture.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pagesetter.diskcache import read_index, write_index
from pagesetter.errors import PagesetterError

VECTOR_SUFFIXES = (".svg", ".pdf")
UNITS_PER_PT = 100
MAX_FILE_BYTES = 50 * 1024 * 1024
SVG_NS = "http://www.w3.org/2000/svg"
PX_TO_PT = 0.75  # CSS: 96 px to the inch
_UNIT_PT = {"": PX_TO_PT, "px": PX_TO_PT, "pt": 1.0, "pc": 12.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
_LENGTH = r"^\s*([+]?\d*\.?\d+(?:[eE][-+]?\d+)?)\s*([a-z%]*)\s*$"  # compiled on first use (re keeps it)


def is_vector(path: Path) -> bool:
    return path.suffix.lower() in VECTOR_SUFFIXES


def figure_units(path: Path, where=None, page: int | None = None) -> tuple[int, int]:
    """The figure's size in hundredths of a point (its "pixels" for pictures.place)."""
    width, height = figure_size(path, where, page)
    return max(1, round(width * UNITS_PER_PT)), max(1, round(height * UNITS_PER_PT))


def _fail(path: Path, where, msg: str) -> PagesetterError:
    return where.error(msg) if where is not None else PagesetterError(msg, file=str(path))


def figure_size(path: Path, where=None, page: int | None = None) -> tuple[float, float]:
    """Width and height in points of an SVG drawing or a PDF page; a broken, encrypted or
    ambiguous file is refused here, with ``where`` (the layout field) in the message."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _fail(path, where, f"figure {path.name} is larger than {MAX_FILE_BYTES // 2**20} MB")
    except FileNotFoundError:
        raise _fail(path, where, f"figure file {str(path)!r} not found") from None
    if path.suffix.lower() == ".svg" and page is not None:
        raise _fail(path, where, f"page: chooses a page of a PDF; {path.name} is an SVG drawing")
    try:
        key = f"{path.suffix.lower()}:{page}:" + hashlib.sha1(path.read_bytes()).hexdigest()
    except OSError:
        key = None
    known = _known_sizes().get(key)
    if known is not None:
        return known
    if path.suffix.lower() == ".svg":
        size = svg_size(parse_svg(path, where), path, where)
    else:
        size = pdf_page_box(path, where, page)[2:]
    if key is not None:
        _remember_size(key, size)
    return size


# Sizes of figures read before, by their bytes: a file that was read (and passed the checks)
# is not parsed again, so rendering an unchanged page loads neither lxml nor pypdf.
_SIZES_FILE = "figure-sizes-1.marshal"
_sizes: dict | None = None


def _known_sizes() -> dict:
    global _sizes
    if _sizes is None:
        _sizes = {k: tuple(v) for k, v in read_index(_SIZES_FILE).items()
                  if isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(x, float) for x in v)}
    return _sizes


def _remember_size(key: str, size: tuple[float, float]) -> None:
    sizes = _known_sizes()
    sizes[key] = (float(size[0]), float(size[1]))
    for old in list(sizes)[:max(0, len(sizes) - 2000)]:  # keep the newest
        del sizes[old]
    write_index(_SIZES_FILE, sizes)


def parse_svg(path: Path, where=None):
    """The SVG's root element, parsed strictly (a broken file is an error, not a guess),
    without entities or network access."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        raise _fail(path, where, f"figure {path.name} is not a readable SVG: {exc.msg} "
                                 f"(its line {exc.lineno})") from None
    except OSError as exc:
        raise _fail(path, where, f"cannot read figure {path.name}: {exc}") from None
    if root is None or root.tag not in (f"{{{SVG_NS}}}svg", "svg"):
        raise _fail(path, where, f"figure {path.name} is XML but not an SVG drawing (no <svg> root)")
    return root


def _length(text: str | None, reference: float) -> float | None:
    """An SVG length in points; percentages of ``reference`` (points)."""
    if text is None:
        return None
    m = re.match(_LENGTH, text)
    if not m:
        return None
    value, unit = float(m.group(1)), m.group(2)
    if unit == "%":
        return reference * value / 100
    if unit == "em":
        return value * 16 * PX_TO_PT
    return value * _UNIT_PT[unit] if unit in _UNIT_PT else None


def svg_size(root, path: Path, where=None) -> tuple[float, float]:
    """The drawing's size as svglib sizes it: width and height, else the viewBox (in px)."""
    box = None
    if root.get("viewBox"):
        try:
            box = [float(v) for v in re.split(r"[\s,]+", root.get("viewBox").strip())]
        except ValueError:
            box = None
        if box is None or len(box) != 4 or box[2] <= 0 or box[3] <= 0:
            raise _fail(path, where, f"figure {path.name} has a broken viewBox {root.get('viewBox')!r}")
    ref_w, ref_h = (box[2] * PX_TO_PT, box[3] * PX_TO_PT) if box else (None, None)
    width = _length(root.get("width"), ref_w or 0.0)
    height = _length(root.get("height"), ref_h or 0.0)
    width = width if width is not None and root.get("width") else ref_w
    height = height if height is not None and root.get("height") else ref_h
    if not width or not height or width <= 0 or height <= 0:
        raise _fail(path, where, f"figure {path.name} has no size: give its <svg> a width and height, or a viewBox")
    return width, height


def pdf_page_box(path: Path, where=None, page: int | None = None):
    """(index, box, width, height) of the PDF page that is the figure: ``box`` is its crop box
    (left, bottom, right, top) in the file's own coordinates."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            raise _fail(path, where, f"figure {path.name} is an encrypted PDF: export it without a password")
        count = len(reader.pages)
        if count == 0:
            raise _fail(path, where, f"figure {path.name} has no pages")
        if page is None and count > 1:
            raise _fail(path, where, f"figure {path.name} has {count} pages: choose one with page: (1 to {count})")
        index = (page or 1) - 1
        if index >= count:
            raise _fail(path, where, f"figure {path.name} has {count} page(s), there is no page {page}")
        pdf_page = reader.pages[index]
        if (pdf_page.get("/Rotate") or 0) % 360:
            raise _fail(path, where, f"page {index + 1} of figure {path.name} is rotated: export it upright")
        box = tuple(float(v) for v in pdf_page.cropbox)
    except PagesetterError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _fail(path, where, f"figure {path.name} is not a readable PDF: {exc}") from None
    left, bottom, right, top = min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])
    if right - left <= 0 or top - bottom <= 0:
        raise _fail(path, where, f"page {index + 1} of figure {path.name} has an empty crop box")
    return index, (left, bottom, right, top), right - left, top - bottom
