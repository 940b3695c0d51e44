"""Vector figures (SVG, PDF) drawn as vectors: each becomes one Form XObject of the document.

SVG goes through svglib (SVG → ReportLab drawing). Before it is drawn the drawing is made
print-ready: RGB fills and strokes go to CMYK the way the layout's RGB colours do
(print/icc.py; neutral greys to black ink only, as greyscale pictures print), text becomes
outlines of the project's fonts (so no font needs embedding and no fallback face can
creep in), and what PDF/X-1a cannot carry — transparency, gradients, raster images —
is refused with a one-line error naming the figure and its layout field.

PDF pages are brought in by render/pdfpage.py.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from pagesetter.errors import PagesetterError
from pagesetter.source.figures import UNITS_PER_PT

# SVG's generic families → the project's families (fonts/fonts.yaml)
GENERIC = {"sans-serif": "黑体", "serif": "书宋", "cursive": "楷体"}
STROKE_WIDTH = 0.03  # em: synthetic bold, as render/pdf.py draws it


class FigureError(ValueError):
    pass


def form_name(path: Path, page: int | None, spec) -> str:
    data = path.read_bytes()
    digest = hashlib.md5(data + repr((page, spec.press.profile and str(spec.press.profile), spec.press.ink_limit,
                                      spec.rendering_intent, spec.black_point_compensation)).encode(),
                         usedforsecurity=False).hexdigest()
    return f"PSFig{digest[:16]}"


def draw_figure(c, placed, height: float, layout) -> None:
    """Draw a placed vector figure: its Form XObject (made once per document), scaled so
    that its crop fills the placement, clipped to it."""
    image, p = placed.image, placed.placement
    name = form_name(image.path, image.page, layout.print)
    width_pt, height_pt = image.pixels[0] / UNITS_PER_PT, image.pixels[1] / UNITS_PER_PT
    if not c.hasForm(name):
        try:
            if image.path.suffix.lower() == ".svg":
                _svg_form(c, name, image.path, width_pt, height_pt, layout)
            else:
                from pagesetter.render.pdfpage import pdf_form
                pdf_form(c, name, image.path, image.page, layout, lambda rgb: cmyk_of(rgb, layout.print))
        except FigureError as exc:
            line, col = image.mark if image.mark else (None, None)
            field = "masthead.name.picture" if image.id == "masthead" else f"images.{image.id}"
            raise PagesetterError(f"figure {image.path.name}: {exc}", file=str(layout.file), line=line, column=col,
                                  field=field) from None
    left, top, right, bottom = p.crop
    sx, sy = p.width / (right - left), p.height / (bottom - top)
    y = height - (p.y + p.height)
    fx, fy = p.x - left * sx, y - (image.pixels[1] - bottom) * sy
    from pagesetter.render.pdf import _num
    c._code.append(f"q {_num(p.x)} {_num(y)} {_num(p.width)} {_num(p.height)} re W n "
                   f"{_num(sx * UNITS_PER_PT)} 0 0 {_num(sy * UNITS_PER_PT)} {_num(fx)} {_num(fy)} cm")
    c.doForm(name)
    c._code.append("Q")


def cmyk_of(rgb: tuple[float, float, float], spec) -> tuple[float, float, float, float]:
    """An RGB colour (0–1) → CMYK fractions for the press."""
    return _cmyk(tuple(round(v * 255, 3) for v in rgb), spec.press.profile and str(spec.press.profile),
                 spec.rendering_intent, spec.black_point_compensation, spec.press.ink_limit)


@lru_cache(maxsize=1024)
def _cmyk(rgb, profile, intent, bpc, limit):
    r, g, b = rgb
    if r == g == b:  # grey prints in black ink only
        return (0.0, 0.0, 0.0, round(1 - r / 255, 4))
    from pagesetter.print.icc import rgb_color
    c, m, y, k = rgb_color(rgb, Path(profile) if profile else None, intent, bpc, limit)
    return (c / 100, m / 100, y / 100, k / 100)


# --- SVG ---------------------------------------------------------------------------

CACHE_FORMAT = 1  # bump when the drawing of SVG figures changes


def _cache_entry(path: Path, width: float, height: float, layout) -> Path | None:
    """Where the finished drawing of this SVG is cached: keyed by the file's bytes, the press
    settings and every font file it could take type from, so a changed input is never stale."""
    from pagesetter.fonts.cache import cache_dir

    root = cache_dir()
    if root is None:
        return None
    spec = layout.print
    faces = sorted({(str(f.path), f.index) for family in layout.fonts.families.values() for f in family.values()})
    stamps = []
    for face_path, index in faces:
        try:
            st = Path(face_path).stat()
        except OSError:
            continue
        stamps.append((face_path, index, st.st_size, st.st_mtime_ns))
    key = hashlib.sha1(repr((CACHE_FORMAT, width, height, spec.press.profile and str(spec.press.profile),
                             spec.press.ink_limit, spec.rendering_intent, spec.black_point_compensation,
                             sorted(GENERIC.items()), stamps)).encode() + path.read_bytes()).hexdigest()
    folder = root / "figures"
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return None
    return folder / f"{key}.pdfops"


def _svg_form(c, name: str, path: Path, width: float, height: float, layout) -> None:
    from reportlab.pdfbase import pdfdoc

    entry = _cache_entry(path, width, height, layout)
    if entry is not None and entry.is_file():
        # the drawing as made before: no SVG parsing, fonts or ReportLab graphics needed
        form = pdfdoc.PDFFormXObject(0, 0, width, height)
        form.compression = c._pageCompression
        form.stream = entry.read_bytes()
        c._doc.addForm(name, form)
        return
    _draw_svg_form(c, name, path, width, height, layout)
    if entry is not None:
        from pagesetter.fonts.cache import store
        store(entry, c._doc.idToObject[pdfdoc.xObjectName(name)].stream)


def _draw_svg_form(c, name: str, path: Path, width: float, height: float, layout) -> None:
    from reportlab.graphics import renderPDF
    from reportlab.lib.colors import CMYKColor

    drawing = svg_drawing(path, layout)
    c.beginForm(name, 0, 0, width, height)
    # the drawing at the size the layout was fitted with (source/figures.py)
    c.scale(width / drawing.width, height / drawing.height)
    # the drawing has no text left; this keeps ReportLab from setting its default, unembedded font
    drawing.initialFontName, drawing.initialFontSize = c._fontname, c._fontsize
    # not ReportLab's RGB black (the renderer reads these through hasattr; Drawing's attribute check knows them not)
    drawing.__dict__.update(initialFillColor=CMYKColor(0, 0, 0, 1), initialStrokeColor=CMYKColor(0, 0, 0, 1))
    renderPDF.draw(drawing, c, 0, 0)
    c.endForm()


def _error_log():
    """A handler that keeps the errors svglib logs (an unchanged page's cached figures need no logging)."""
    import logging

    class Errors(logging.Handler):
        def __init__(self):
            super().__init__(logging.ERROR)
            self.messages: list[str] = []

        def emit(self, record):
            self.messages.append(record.getMessage())

    return Errors(), logging.getLogger("svglib.svglib")


def svg_drawing(path: Path, layout):
    """The SVG as a print-ready ReportLab drawing (see the module's notes)."""
    from svglib.svglib import SvgRenderer

    from pagesetter.source.figures import parse_svg

    try:
        root = parse_svg(path)
    except PagesetterError as exc:
        raise FigureError(exc.message if hasattr(exc, "message") else str(exc)) from None
    _refuse_what_svglib_drops(root)
    fonts = _FontResolver(layout.fonts)
    renderer = SvgRenderer(str(path), external_reference_root=str(path.parent))
    renderer.attrConverter.convertFontFamily = fonts
    errors, log = _error_log()
    log.addHandler(errors)
    try:
        drawing = renderer.render(root)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise FigureError(f"svglib cannot convert it ({type(exc).__name__}: {exc})") from None
    finally:
        log.removeHandler(errors)
    if fonts.unknown:
        known = ", ".join(sorted(set(layout.fonts.families) | set(GENERIC)))
        named = f"{fonts.unknown[0]!r}" + (" (or names no font-family)" if fonts.unknown[0] == "Helvetica" else "")
        raise FigureError(f"its text is set in {named}, not one of the project's fonts "
                          f"({known}): name one in font-family, or convert the text to outlines")
    if errors.messages:
        raise FigureError(errors.messages[0])
    if not drawing.width or not drawing.height:
        raise FigureError("it has no size")
    _print_ready(drawing, fonts, layout.print)
    return drawing


def _refuse_what_svglib_drops(root) -> None:
    """svglib leaves out group opacity, masks, filters, markers, patterns, text on a path and
    foreign objects: a figure using them would print other than drawn, so it is refused here."""
    import re

    patterns = {node.get("id") for node in root.iter() if isinstance(node.tag, str)
                and node.tag.rsplit("}", 1)[-1] == "pattern" and node.get("id")}
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        tag = node.tag.rsplit("}", 1)[-1]
        if tag in ("mask", "filter"):
            raise FigureError(f"it uses a {tag} (<{tag}>), which PDF/X-1a cannot print: flatten it")
        if tag in ("foreignObject", "textPath"):
            raise FigureError(f"it uses <{tag}>, which pagesetter cannot draw: convert it to paths")
        for attr in ("mask", "filter"):
            if node.get(attr) not in (None, "", "none"):
                raise FigureError(f"it uses a {attr} ({attr}={node.get(attr)!r}), which PDF/X-1a cannot print")
        style = node.get("style") or ""
        for attr in ("marker-start", "marker-mid", "marker-end", "marker"):
            if node.get(attr) not in (None, "", "none") or re.search(rf"(?:^|;)\s*{attr}\s*:\s*url", style):
                raise FigureError(f"it uses markers ({attr}), which pagesetter cannot draw: expand them to paths")
        for attr in ("fill", "stroke"):
            value = (node.get(attr) or "") + " " + " ".join(re.findall(rf"(?:^|;)\s*{attr}\s*:\s*([^;]+)", style))
            for ref in re.findall(r"url\(\s*['\"]?#([^)'\"]+)", value):
                if ref in patterns:
                    raise FigureError(f"it fills with a pattern (#{ref}), which pagesetter cannot draw: "
                                      "expand it to paths")
        values = [node.get("opacity")] + re.findall(r"(?:^|;)\s*opacity\s*:\s*([^;]+)", node.get("style") or "")
        for value in values:
            if value is None:
                continue
            try:
                alpha = float(value.strip().rstrip("%")) / (100 if value.strip().endswith("%") else 1)
            except ValueError:
                continue
            if alpha < 1:
                raise FigureError(f"it uses transparency (opacity {value.strip()}), which PDF/X-1a cannot print: "
                                  "make its colours opaque")


class _FontResolver:
    """svglib's font lookup, answered from the project's fonts: the name it returns is a
    metrics-only font (widths for svglib's text layout); the text is drawn as outlines."""

    def __init__(self, registry):
        self.registry = registry
        self.unknown: list[str] = []

    def __call__(self, family_attr, weight="normal", style="normal"):
        from pagesetter.errors import PagesetterError as _E

        if not family_attr:
            return ""
        bold = str(weight).strip().lower() in ("bold", "bolder") or \
            (str(weight).strip().isdigit() and int(str(weight).strip()) >= 600)
        families = [f.strip().strip("'\"").strip() for f in str(family_attr).split(",")]
        for family in families:
            name = GENERIC.get(family.lower(), family)
            for spec in ((f"{name} bold", f"{name} synthetic-bold") if bold else (name,)):
                try:
                    face = self.registry.resolve(spec)
                except _E:
                    continue
                return _metrics_font(face)
        self.unknown.append(families[0] if families else str(family_attr))
        return "Helvetica"


class _Metrics:
    """A font known to ReportLab by its widths only (from the face's hmtx table)."""

    _dynamicFont = 0
    _multiByte = 0

    def __init__(self, name: str, face):
        self.fontName = self.name = name
        self.face = face

    def stringWidth(self, text, size, encoding="utf8"):
        outlines = _outlines(self.face)
        return sum(outlines.advance(ch) for ch in text) * size / outlines.upem


@lru_cache(maxsize=32)
def _metrics_font(face) -> str:
    from reportlab.pdfbase import pdfmetrics

    name = f"PSFigureMetrics-{face.key}"
    pdfmetrics.registerFont(_Metrics(name, face))
    return name


class _Outlines:
    """A face's outlines by character. Character map and advances come from the font cache
    (fonts/cache.py); the glyphs are read one by one, by glyph ID."""

    def __init__(self, face):
        from fontTools.ttLib import TTFont

        from pagesetter.fonts.cache import font_data

        data = font_data(face.path, face.index)
        self.cmap, self.advances, self.upem = data.cmap, data.advances, data.upm
        self.font = TTFont(str(face.path), fontNumber=face.index, lazy=True)
        self.face = face
        if "glyf" in self.font:
            # TrueType: each glyph read alone, by glyph ID, through the loca table (fontTools'
            # glyf table or glyph set would first split, name or measure all 30,000 glyphs of a CJK face)
            self.glyf, self.glyphs = _GlyfView(self.font), None
        else:
            self.glyf, self.glyphs = None, self.font.getGlyphSet()
            self.order = self.font.getGlyphOrder()

    def draw(self, ch: str, pen) -> None:
        gid = self.cmap.get(ord(ch))
        if gid is None:
            raise FigureError(f"its text has {ch!r} (U+{ord(ch):04X}), which font {self.face.path.name} lacks")
        if self.glyf is not None:
            self.glyf.glyph(gid).draw(pen, self.glyf)
        else:
            self.glyphs[self.order[gid]].draw(pen)

    def advance(self, ch: str) -> float:
        gid = self.cmap.get(ord(ch))
        return self.advances[gid] if gid is not None else self.upem


class _GlyfView:
    """Just enough of fontTools' glyf table for drawing single glyphs, composites included:
    glyphs by ID, named ``g<ID>``."""

    extended = False  # not the variable-font "extended" glyph format

    def __init__(self, font):
        self.loca = font["loca"]
        self.data = font.reader["glyf"]
        self.cache: dict = {}

    def glyph(self, gid: int):
        from fontTools.ttLib.tables._g_l_y_f import Glyph

        g = self.cache.get(gid)
        if g is None:
            g = self.cache[gid] = Glyph(self.data[self.loca[gid]:self.loca[gid + 1]])
        return g

    def getGlyphName(self, gid: int) -> str:
        return f"g{gid}"

    def getGlyphID(self, name: str) -> int:
        return int(name[1:])

    def __getitem__(self, name: str):
        return self.glyph(int(name[1:]))


@lru_cache(maxsize=8)
def _outlines(face) -> _Outlines:
    return _Outlines(face)


def _outline_path(string, fonts: _FontResolver):
    """A ReportLab String as a filled path of its glyph outlines."""
    from fontTools.pens.basePen import BasePen
    from reportlab.graphics.shapes import FILL_NON_ZERO, Path as RLPath
    from reportlab.pdfbase import pdfmetrics

    metrics = pdfmetrics.getFont(string.fontName)
    if not isinstance(metrics, _Metrics):
        raise FigureError(f"its text is set in {string.fontName!r}, not one of the project's fonts")
    o = _outlines(metrics.face)
    scale = string.fontSize / o.upem
    width = sum(o.advance(ch) for ch in string.text) * scale
    anchor = getattr(string, "textAnchor", "start")
    x = string.x - {"middle": width / 2, "end": width}.get(anchor, 0.0)
    path = RLPath(fillMode=FILL_NON_ZERO)

    class Pen(BasePen):
        def __init__(self, glyphset, dx):
            super().__init__(glyphset)
            self.dx = dx

        def _pt(self, p):
            return self.dx + p[0] * scale, string.y + p[1] * scale

        def _moveTo(self, p):
            path.moveTo(*self._pt(p))

        def _lineTo(self, p):
            path.lineTo(*self._pt(p))

        def _curveToOne(self, p1, p2, p3):
            path.curveTo(*self._pt(p1), *self._pt(p2), *self._pt(p3))

        def _closePath(self):
            path.closePath()

    for ch in string.text:
        if not ch.isspace():
            o.draw(ch, Pen(None, x))
        x += o.advance(ch) * scale
    path.fillColor = string.fillColor
    path.strokeColor = None
    if "stroke" in metrics.face.features:  # synthetic bold: fill and stroke the outline
        path.strokeColor, path.strokeWidth = string.fillColor, STROKE_WIDTH * string.fontSize
    for attr in ("fillOpacity", "strokeOpacity"):
        setattr(path, attr, getattr(string, "fillOpacity", None))
    return path


def _print_ready(drawing, fonts: _FontResolver, spec) -> None:
    from reportlab.graphics.shapes import DirectDraw, Group, Image, String
    from reportlab.lib.colors import CMYKColor, Color

    def colour(node, attr: str, opacity_attr: str):
        value = getattr(node, attr, None)
        if value is None or not isinstance(value, Color):
            return
        opacity = getattr(node, opacity_attr, None)
        alpha = value.alpha if opacity is None else opacity * value.alpha
        if alpha <= 0:
            setattr(node, attr, None)
            return
        if alpha < 1 - 1e-6:
            raise FigureError(f"it uses transparency (opacity {alpha:g}), which PDF/X-1a cannot print: "
                              "make its colours opaque")
        setattr(node, opacity_attr, None)
        if isinstance(value, CMYKColor):
            setattr(node, attr, CMYKColor(value.cyan, value.magenta, value.yellow, value.black))
            return
        setattr(node, attr, CMYKColor(*cmyk_of((value.red, value.green, value.blue), spec)))

    def walk(group):
        for i, node in enumerate(list(group.contents)):
            if isinstance(node, Image):
                raise FigureError("it holds a raster image (<image>): place photos as pictures of their own")
            if isinstance(node, DirectDraw):
                raise FigureError("it uses a gradient, which pagesetter does not separate: use solid colours")
            if isinstance(node, String):
                node = group.contents[i] = _outline_path(node, fonts)
            if isinstance(node, Group):
                walk(node)
                continue
            colour(node, "fillColor", "fillOpacity")
            colour(node, "strokeColor", "strokeOpacity")

    walk(drawing)
