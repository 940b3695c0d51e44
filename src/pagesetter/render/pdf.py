"""ComposedPage → PDF with ReportLab.

Glyph positions come from the composer; this module only converts them to
PDF coordinates (origin bottom-left) and writes them out. The file is written
to a temporary name and renamed, so a failed render never leaves a partial PDF.
"""

from __future__ import annotations

import os
from itertools import repeat
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen import canvas

from pagesetter.render.streams import deflate, kept_deflate

rl_config.useA85 = 0  # binary streams: PDF/X needs no 7-bit safety, and ASCII85 costs time and bytes
pdfdoc.PDFStreamFilterZCompress.encode = lambda self, text: deflate(text)

from pagesetter import __version__
from pagesetter.page.placed import EM_BOX_ASCENT, ComposedPage, PlacedImage
from pagesetter.render import pdfx, selfcheck
from pagesetter.fonts.registry import STROKE
from pagesetter.render.extraction import GAP as WIDE_GAP, SPACED_AFTER, wide_face
from pagesetter.render.fonts import pdf_font, plan_document
from pagesetter.render.press import check_page, check_pictures, page_strokes

STROKE_WIDTH = 0.03  # em: the outline stroke of synthetic bold

def write_pdf(pages: list[ComposedPage], out: Path, *, title: str = "", finish=None) -> None:
    """``finish(tmp)``, when given, puts the checked temporary PDF in place (with its previews);
    by default it is flushed and renamed over ``out``, keeping ``out``'s mode."""
    from pagesetter.errors import PagesetterError
    from pagesetter.outfiles import commit, temp_beside

    out = Path(out)
    tmp = str(temp_beside(out, ".pdf"))
    try:
        for page in pages:
            check_page(page)
        first = pages[0].layout
        spec = first.print
        plan_document(pages, out.name)
        body_font = pdf_font(first.body.face)
        c = pdfx.new_canvas(tmp, spec, (first.width, first.height), body_font, first.body.size,
                            title or first.title, f"pagesetter {__version__}")
        when = pdfx.document_time(spec).strftime("%Y-%m-%d")
        for number, page in enumerate(pages, 1):
            layout = page.layout
            offset = pdfx.set_boxes(c, spec, layout.width, layout.height)
            if spec.marks:
                edition_page = f"第{layout.running_head.page}版  ·  " if layout.running_head and \
                    layout.running_head.page else ""
                slug = (f"{out.name}  ·  {edition_page}{layout.title}  ·  page {number}/{len(pages)}  ·  {when}"
                        f"  ·  {spec.standard}  ·  {spec.press.identifier}: {spec.press.condition}")
                pdfx.draw_marks(c, spec, layout.width, layout.height, slug, body_font)
            c.saveState()
            c.translate(offset, offset)
            draw_page(c, page)
            c.restoreState()
            c.showPage()
        c.save()
        pdfx.stamp_identity(tmp)
        _self_check(Path(tmp), out, spec.standard)
        if finish is not None:
            finish(Path(tmp))
        else:
            commit(Path(tmp), out)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise PagesetterError(f"cannot write the PDF: {exc.strerror or exc}", file=str(out)) from None
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _self_check(tmp: Path, out: Path, standard: str) -> None:
    """The structural preflight checks on our own output; a PDF that would fail is never written."""
    from pagesetter.errors import PagesetterError

    found = selfcheck.problems(tmp.read_bytes(), standard)
    if found:
        raise PagesetterError("the PDF would fail preflight: " + "; ".join(found), file=str(out))


def _bleed(v: float, edge: float, bleed: float) -> float:
    """Anything that touches the trim edge runs on into the bleed."""
    if abs(v) < 0.01:
        return -bleed
    if abs(v - edge) < 0.01:
        return edge + bleed
    return v


def draw_page(c: canvas.Canvas, page: ComposedPage) -> None:
    layout = page.layout
    height = layout.height
    bleed = layout.print.bleed
    # tints and pictures knock out what lies under them
    c.setFillOverprint(False)
    c.setStrokeOverprint(False)
    for box, color in page.fills:
        c.setFillColorCMYK(*color.fractions)
        x1, x2 = _bleed(box.x, layout.width, bleed), _bleed(box.right, layout.width, bleed)
        y1, y2 = _bleed(box.y, layout.height, bleed), _bleed(box.bottom, layout.height, bleed)
        c.rect(x1, height - y2, x2 - x1, y2 - y1, stroke=0, fill=1)
    pictures = []
    for placed in page.images:
        if placed.image.vector:
            from pagesetter.render.figures import draw_figure
            draw_figure(c, placed, height, layout)
        else:
            pictures.append((placed, _draw_image(c, placed, height, page.fills, layout.print)))
    check_pictures(page, [(placed, _LazyPixels(sep), sep.whole) for placed, sep in pictures])
    # only 100% K text and rules overprint (OPM 1), so no white gap opens round them on press;
    # every other colour knocks out unless the layout asks otherwise
    c.setOverprintMask(True)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setStrokeColorCMYK(0, 0, 0, 1)
    for s in page_strokes(page):
        c.setStrokeOverprint(s.overprints)
        c.setStrokeColorCMYK(*s.color.fractions)
        c.setLineWidth(s.weight)
        c.setDash(list(s.dash)) if s.dash else c.setDash()
        x1, x2 = _bleed(s.x1, layout.width, bleed), _bleed(s.x2, layout.width, bleed)
        y1, y2 = _bleed(s.y1, layout.height, bleed), _bleed(s.y2, layout.height, bleed)
        c.line(x1, height - y1, x2, height - y2)
    c.setDash()
    c.setStrokeColorCMYK(0, 0, 0, 1)
    c.setStrokeOverprint(True)
    c.setFillOverprint(True)  # black text: 100% K, overprinting
    black = [p for p in page.lines if p.color.is_black]
    c._code.append(_text_operators(c, page, height, black))
    coloured: dict = {}
    for p in page.lines:
        if not p.color.is_black:
            coloured.setdefault(p.color, []).append(p)
    if coloured:
        # coloured and reversed (white) type knocks out what is under it: overprinting
        # would let the tint show through, or make white type vanish
        c.setFillOverprint(False)
        for color, lines in coloured.items():
            c.setFillColorCMYK(*color.fractions)
            c._code.append(_text_operators(c, page, height, lines, first=False))
        c.setFillOverprint(True)
        c.setFillColorCMYK(0, 0, 0, 1)
    _emphasis_dots(c, page, height)


# Emphasis dots (着重号): centred under each character, below the em box.
DOT_DROP = 0.22    # em below the baseline
DOT_RADIUS = 0.065  # em


def _emphasis_dots(c: canvas.Canvas, page: ComposedPage, height: float) -> None:
    dotted: dict[int, bool] = {}  # id(face) → whether it carries dots
    for placed in page.lines:
        if placed.vertical:
            continue
        faces = {id(f) for f in _faces(placed.line.glyphs) if _dotted(f, dotted)}
        if not faces:
            continue
        size = placed.size
        for g in placed.line.glyphs:
            if id(g.font) in faces and g.char.isalnum():
                x = placed.x + (g.x + g.font.advance(g.char) * g.hscale / 2) * size
                c.circle(x, height - (placed.baseline + DOT_DROP * size), DOT_RADIUS * size, stroke=0, fill=1)


def _faces(glyphs: list) -> list:
    """The faces of ``glyphs``, each once (most lines are set in one)."""
    fonts = [g.font for g in glyphs]
    if not fonts or fonts.count(fonts[0]) == len(fonts):
        return fonts[:1]
    return list({id(f): f for f in fonts}.values())


def _dotted(font, known: dict[int, bool]) -> bool:
    found = known.get(id(font))
    if found is None:
        found = known[id(font)] = getattr(font, "dots", False)
    return found


def _actual_text(text: str) -> str:
    """The line's text as a PDF ActualText string (UTF-16BE hex)."""
    return "FEFF" + text.encode("utf-16-be").hex().upper()


def _num(v: float) -> str:
    """A PDF number: at most 3 decimals, no trailing zeros."""
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _with_spaces(text: str, glyphs: list) -> list:
    """The line's glyphs with the word spaces of its text drawn as space glyphs, where the
    justified gap is: the glyphs then spell the ActualText, so an extractor that maps the one
    onto the other glyph by glyph (MuPDF) does not shift the characters after a space."""
    if " " not in text:
        return glyphs
    out = []
    t = 0
    for k, g in enumerate(glyphs):
        j = text.find(g.char, t)
        if j < 0 or text[t:j].strip(" \u00ad\u200b\u200c\u200d\u2060"):
            out.append(g)  # not the text's next character (a stand-in glyph): leave the text alone
            continue
        if k and " " in text[t:j]:
            a = glyphs[k - 1]
            x = a.x + a.font.advance(a.char) * a.hscale
            step = a.font.advance(" ") * a.hscale
            out.extend(a._replace(char=" ", x=x + n * step) for n in range(text.count(" ", t, j)))
        out.append(g)
        t = j + 1
    return out


_RUNS: dict[int, tuple] = {}  # id(line) → (line, its runs, its span): a warm process draws a kept line again
_STROKED: dict[str, bool] = {}  # face key → whether drawn as synthetic bold


def _stroked(font) -> bool:
    """Is ``font`` (metrics) drawn as synthetic bold, its outlines filled and stroked?"""
    found = _STROKED.get(font.key)
    if found is None:
        found = _STROKED[font.key] = STROKE in getattr(getattr(font, "ref", None), "features", ())
    return found


def _line_runs(line, face, extras) -> tuple[list[tuple], str]:
    """A horizontal line as runs of glyphs that share a face, a scale and widening, and the
    line's marked-content span. For each run its face key, first glyph, whether widened,
    whether stroked (synthetic bold), its x (em), its characters and its TJ pattern: a
    ``%s`` for each character's code, with the TJ number (``> -38.462 <``) between two
    where the next character is not where the pen leaves it. It depends on the line alone,
    so it is worked out once per line and kept for the next render of the same line.

    A page has tens of thousands of glyphs: the work goes a line or a run at a time, in
    comprehensions, ``map``, ``%`` and ``str.replace``, not a glyph at a time in Python."""
    kept = _RUNS.get(id(line))
    if kept is not None and kept[0] is line:
        return kept[1], kept[2]
    # the line's source text, so extractors neither invent spaces at justified gaps nor break
    # lines at compressed punctuation, and format characters set with no glyph stay in the text
    span = f"/Span <</ActualText <{_actual_text(line.text)}>>> BDC"
    glyphs = _with_spaces(line.text, line.glyphs)
    n = len(glyphs)
    runs = []
    if n:
        chars = "".join([g.char for g in glyphs])
        xs = [g.x for g in glyphs]
        fonts = [g.font for g in glyphs]
        scales = [g.hscale for g in glyphs]
        cuts = [] if fonts.count(fonts[0]) == n and scales.count(scales[0]) == n else \
            [k for k in range(1, n) if scales[k] != scales[k - 1] or
             (fonts[k] is not fonts[k - 1] and fonts[k].key != fonts[k - 1].key)]
        advances: list[float] = []
        for a, b in zip([0, *cuts], [*cuts, n]):
            advances += _advances(fonts[a], chars[a:b])
        wide = set()
        for m in SPACED_AFTER.finditer(chars, 0, n - 1):  # the few characters that may be drawn wide
            k = m.start()
            gap = (xs[k + 1] - xs[k]) - advances[k] * scales[k]
            if gap > WIDE_GAP:
                wide.add(k)
        if wide:  # a run of wide glyphs is a run of its own
            cuts = sorted({*cuts, *(k for k in wide if k and k - 1 not in wide),
                           *(k + 1 for k in wide if k + 1 not in wide)})
        starts = [0, *cuts]
        for a in starts:
            face(glyphs[a], a in wide)
        for k in wide:  # a wide glyph advances further: its TJ number takes it back
            advances[k] = advances[k] + extras[fonts[k].key].get(ord(chars[k]), 0.0)
        # TJ numbers are thousandths of the (scaled) em, subtracted from the pen advance; worked
        # out for the whole line (the number after a run's last glyph is not used)
        if scales.count(1.0) == n:
            numbers = [(v - (x1 - x0)) * 1000 for v, x0, x1 in zip(advances, xs, xs[1:])]
        else:
            numbers = [(v - (x1 - x0) / h) * 1000 for v, x0, x1, h in zip(advances, xs, xs[1:], scales)]
        pattern = ("%%s> %.3f <" * (n - 1) + "%%s") % tuple(numbers)
        if "0 <" in pattern:
            # as _num writes them: no trailing zeros (three decimals, so at most three), and a
            # number that rounds to 0 is left out (the pen is where it should be)
            pattern = pattern.replace("0 <", " <").replace("0 <", " <").replace("0 <", " <")
            pattern = pattern.replace(". <", " <").replace("> 0 <", "").replace("> -0 <", "")
        between = pattern.split("%s")[1:-1] if cuts else None
        for a, b in zip(starts, [*cuts, n]):
            first = glyphs[a]
            key = first.font.key
            stroked = _stroked(first.font)
            runs.append((key, first, a in wide, stroked, first.x, chars[a:b],
                         pattern if between is None else "%s".join(["", *between[a:b - 1], ""])))
    if len(_RUNS) >= 50_000:
        _RUNS.clear()
    _RUNS[id(line)] = (line, runs, span)
    return runs, span


def _advances(font, chars: str) -> list[float]:
    """The advances of ``chars`` in ``font`` (em), in one call where the face can."""
    many = getattr(font, "advances", None)
    return many(chars) if callable(many) else list(map(font.advance, chars))


_HEX = [f"{code:02x}" for code in range(256)]


_CODES: WeakKeyDictionary = WeakKeyDictionary()  # document → {font: its codes there}


def _codes(font, doc) -> tuple[dict, dict, list]:
    """The codes the document ``doc`` gave characters of ``font``: character → its code as
    two hex digits, and character → its subset (filled by ``_learn``); and ReportLab's list
    of the face's subsets in the document."""
    fonts = _CODES.get(doc)
    if fonts is None:
        fonts = _CODES[doc] = {}
    codes = fonts.get(font)
    if codes is None:
        codes = fonts[font] = ({}, {}, font._assignState(doc).subsets)
    return codes


class _FontSet(dict):
    """Subset → the ``Tf`` that sets it (one face, one size), and the same as a switch inside
    a run's TJ text (the TJ ends, the next opens)."""

    def __init__(self, font, doc, size: float):
        super().__init__()
        self.font, self.doc, self.size = font, doc, size

    def __missing__(self, subset: int) -> tuple[str, str]:
        tf = f"{self.font.getSubsetInternalName(subset, self.doc)} {_num(self.size)} Tf"
        texts = self[subset] = (tf, f">] TJ\n{tf}\n[")
        return texts


def _learn(font, chars: str, doc, codes: tuple[dict, dict, list]) -> None:
    """Have ReportLab give the characters of ``chars`` not yet in ``codes`` their codes (its
    ``splitString``, which gives each new character the next code, in the order they come)
    and note them in ``codes``."""
    hexes, subsets, _ = codes
    chars = "".join(dict.fromkeys([c for c in chars if c not in hexes]))
    i = 0
    for subset, chunk in font.splitString(chars, doc):
        part = chars[i:i + len(chunk)]
        hexes.update(zip(part, map(_HEX.__getitem__, chunk)))
        subsets.update(zip(part, repeat(subset)))
        i += len(chunk)


def _text_operators(c: canvas.Canvas, page: ComposedPage, height: float, lines: list | None = None,
                    first: bool = True) -> str:
    """All text of the page as one BT … ET block.

    Glyphs of a horizontal line that share a face and scale go out as one TJ
    whose numbers carry the justification, instead of one positioning per
    glyph; vertical and turned glyphs are placed one by one."""
    doc = c._doc
    fonts: dict[str, object] = {}
    out = ["BT"]
    state = {"tz": 1.0 if first else None}  # Tz carries over from an earlier block

    extras: dict[str, dict[int, float]] = {}

    def face(glyph, wide: bool = False):
        key = (glyph.font.key, wide)
        font = fonts.get(key)
        if font is None:
            name = pdf_font(glyph.font.ref)
            if wide:  # glyphs that advance further, the TJ numbers take it back (render/extraction.py)
                name, extras[glyph.font.key] = wide_face(name)
            font = fonts[key] = pdfmetrics.getFont(name)
        return font

    def set_scale(h: float) -> None:
        if h != state["tz"]:
            out.append(f"{_num(h * 100)} Tz")
            state["tz"] = h

    def set_stroke(stroked: bool, size: float) -> None:
        # synthetic bold: the outline is filled and stroked (text render mode 2)
        width = STROKE_WIDTH * size if stroked else 0.0
        if width != state.get("stroke", 0.0):
            out.append(f"2 Tr {_num(width)} w" if stroked else "0 Tr")
            state["stroke"] = width

    drawing: dict[tuple, tuple] = {}  # (font, size) → its codes in the document (_codes), its Tf texts
    tf = [None, -1]  # the Tf in force: its _FontSet and subset

    def show_run(font, size, chars: str, pattern: str) -> None:
        """Show a run of one face: its pattern (``_line_runs``) filled with the characters'
        codes; a TJ for each subset of the face the codes fall in, in turn."""
        known = drawing.get((font, size))
        if known is None:
            known = drawing[font, size] = (_codes(font, doc), _FontSet(font, doc, size))
        codes, font_set = known
        hexes, subsets, in_doc = codes
        hx = list(map(hexes.get, chars))  # every code is known: the block's characters were coded first
        subs = None if len(in_doc) == 1 else list(map(subsets.__getitem__, chars))  # one subset so far: 0
        first = 0 if subs is None else subs[0]
        if tf[0] is not font_set or tf[1] != first:
            out.append(font_set[first][0])
        n = len(chars)
        if subs is None or subs.count(first) == n:
            tf[0], tf[1] = font_set, first
            out.append("[<" + pattern % tuple(hx) + ">] TJ")
            return
        # where the subset changes, the TJ ends and the next subset's opens, with the number
        # that stood between the two characters
        tokens = [""] * (2 * n - 1)
        tokens[0::2] = hx
        tokens[1::2] = pattern.split("%s")[1:-1]
        for k in [k for k in range(1, n) if subs[k] != subs[k - 1]]:
            between = tokens[2 * k - 1]
            tokens[2 * k - 1] = font_set[subs[k]][1] + (between[2:] if between else "<")
        tf[0], tf[1] = font_set, subs[-1]
        out.append("[<" + "".join(tokens) + ">] TJ")

    # each line's runs with their faces, and each face's characters in the order the runs show
    # them, coded in one call per face: ReportLab gives each new character of a face the next
    # code, so the codes are the same as when each run asked for its own
    shown: dict[object, list[str]] = {}
    drawn = []
    for placed in page.lines if lines is None else lines:
        if placed.vertical:
            faces = [face(g) for g in placed.line.glyphs]
            for font, g in zip(faces, placed.line.glyphs):
                shown.setdefault(font, []).append(g.char)
            drawn.append((placed, faces, None, None))
            continue
        runs, span = _line_runs(placed.line, face, extras)
        faces = [fonts.get((key, wide)) or face(glyph, wide) for key, glyph, wide, *_ in runs]
        for font, run in zip(faces, runs):
            shown.setdefault(font, []).append(run[5])
        drawn.append((placed, faces, runs, span))
    for font, chunks in shown.items():
        _learn(font, "".join(chunks), doc, _codes(font, doc))

    for placed, faces, runs, span in drawn:
        size = placed.size
        if runs is None:  # vertical
            out.append(f"/Span <</ActualText <{_actual_text(placed.line.text)}>>> BDC")
            for font, g in zip(faces, placed.line.glyphs):
                set_scale(g.hscale)
                set_stroke(_stroked(g.font), size)
                if g.rotate:
                    # turned a quarter clockwise: the glyph's baseline runs down the column
                    out.append(f"0 -1 1 0 {_num(placed.x + 0.12 * size)} {_num(height - (placed.baseline + g.x * size))} Tm")
                else:
                    out.append(f"1 0 0 1 {_num(placed.x + g.cross * size)} "
                               f"{_num(height - (placed.baseline + (g.x + EM_BOX_ASCENT) * size))} Tm")
                show_run(font, size, g.char, "%s")
            out.append("EMC")
            continue
        out.append(span)
        y = _num(height - placed.baseline)
        for font, (key, glyph, wide, stroked, x, chars, pattern) in zip(faces, runs):
            if glyph.hscale != state["tz"]:
                set_scale(glyph.hscale)
            if stroked or state.get("stroke"):
                set_stroke(stroked, size)
            out.append(f"1 0 0 1 {_num(placed.x + x * size)} {y} Tm")
            show_run(font, size, chars, pattern)
        out.append("EMC")
    if state.get("stroke"):
        out.append("0 Tr")
    out.append("ET")
    return "\n".join(out)


_PICTURES: dict[tuple, object] = {}


def _backdrop(placed: PlacedImage, fills) -> tuple:
    """The tints under a picture, in the cropped picture's pixels (a transparent PNG is
    flattened against them, not against white)."""
    from pagesetter.print.separation import Backdrop

    p = placed.placement
    left, top, right, bottom = p.crop
    sx, sy = (right - left) / p.width, (bottom - top) / p.height
    out = []
    for box, color in fills:
        if min(box.right, p.x + p.width) > max(box.x, p.x) and min(box.bottom, p.y + p.height) > max(box.y, p.y):
            out.append(Backdrop(((box.x - p.x) * sx, (box.y - p.y) * sy, (box.right - p.x) * sx,
                                 (box.bottom - p.y) * sy), color))
    return tuple(out)


def _draw_image(c: canvas.Canvas, placed: PlacedImage, height: float, fills, spec):
    """Draw the picture; returns its separation (print/separation.py)."""
    p = placed.placement
    st = placed.image.path.stat()
    backdrop = _backdrop(placed, fills)
    key = (str(placed.image.path), st.st_size, st.st_mtime_ns, p.crop, backdrop, spec)
    xobject = _PICTURES.get(key)
    if xobject is None:
        from pagesetter.source.pictures import load_separated
        try:
            sep = load_separated(placed.image.path, p, spec, backdrop)
        except (OSError, ValueError, SyntaxError) as exc:
            from pagesetter.errors import PagesetterError
            raise PagesetterError(f"cannot read image {placed.image.id!r}: {exc}", file=str(placed.image.path)) from None
        _PICTURES[key] = xobject = sep
    name = _register_image(c, xobject)
    c._currentPageHasImages = 1
    y = height - (p.y + p.height)
    if xobject.whole:
        # the file as it is, scaled so that its crop fills the placement, clipped to it
        left, top, right, bottom = p.crop
        sx, sy = p.width / (right - left), p.height / (bottom - top)
        fx, fy = p.x - left * sx, y - (xobject.height - bottom) * sy
        c._code.append(f"q {_num(p.x)} {_num(y)} {_num(p.width)} {_num(p.height)} re W n "
                       f"{_num(xobject.width * sx)} 0 0 {_num(xobject.height * sy)} {_num(fx)} {_num(fy)} cm /{name} Do Q")
    else:
        c._code.append(f"q {_num(p.width)} 0 0 {_num(p.height)} {_num(p.x)} {_num(y)} cm /{name} Do Q")
    return xobject


class _LazyPixels:
    """A separated picture's CMYK pixels, decoded only if something overprints it."""

    def __init__(self, sep):
        self.sep = sep
        self._im = None

    def crop(self, box):
        if self._im is None:
            import io

            from PIL import Image
            sep = self.sep
            if sep.filter == "DCTDecode":
                from pagesetter.print.icc import grey_to_black
                with Image.open(io.BytesIO(sep.data)) as im:
                    im.load()
                    self._im = grey_to_black(im) if im.mode == "L" else im.convert("CMYK")
            else:
                self._im = Image.frombytes("CMYK", (sep.width, sep.height), sep.data)
        return self._im.crop(box)


def _register_image(c: canvas.Canvas, sep) -> str:
    """An image XObject for ``sep`` (print/separation.py), once per document."""
    import hashlib

    digest = hashlib.md5(sep.data, usedforsecurity=False).hexdigest()
    name = f"PSImg{digest[:16]}"
    doc = c._doc
    reg = doc.getXObjectName(name)
    if reg not in doc.idToObject:
        img = pdfdoc.PDFImageXObject(name)
        img.width, img.height, img.bitsPerComponent = sep.width, sep.height, 8
        img.colorSpace = sep.space
        img.mask = None
        if sep.filter == "DCTDecode":
            img.streamContent, img._filters = sep.data, ("DCTDecode",)
        else:
            img.streamContent, img._filters = kept_deflate(sep.data, 6), ("FlateDecode",)
        if sep.decode:
            img._decode = list(sep.decode)
        c._setXObjects(img)
        doc.Reference(img, reg)
        doc.addForm(name, img)
    c._formsinuse.append(name)
    return reg
