"""A page of a PDF file as a Form XObject of the document being written.

pypdf reads the page; its objects are handed to ReportLab's writer as they are (fonts,
pictures and other streams keep their bytes and filters), shared objects once. The page's
drawing (its content stream and those of the forms it uses) is made print-ready on the
way: RGB colour operators become CMYK through the house colour management (as SVG
figures: render/figures.py), and what PDF/X-1a cannot carry — transparency, fonts that
are not embedded, RGB or other non-CMYK colour spaces and pictures — is refused with
a one-line error.
"""

from __future__ import annotations

import io

from reportlab.pdfbase import pdfdoc

from pagesetter.render.figures import FigureError
from pagesetter.source.figures import pdf_page_box

PRINTABLE_SPACES = {"/DeviceGray", "/DeviceCMYK", "/G", "/CMYK"}
# keys of a page's forms and pictures that PDF/X-1a forbids or that only transparency uses
DROPPED_KEYS = {"/Group", "/Length", "/PieceInfo", "/Metadata", "/OC", "/StructParents", "/StructParent"}


class _Raw(pdfdoc.PDFObject):
    """A PDF object written as pypdf serialises it (names, numbers, strings …)."""

    def __init__(self, data: bytes):
        self.data = data

    def format(self, document):
        return self.data


def _serial(obj) -> bytes:
    buf = io.BytesIO()
    obj.write_to_stream(buf)
    return buf.getvalue()


class _Importer:
    def __init__(self, doc, to_cmyk, ink_limit: float = 400.0):
        self.doc = doc
        self.to_cmyk = to_cmyk
        self.ink_limit = ink_limit
        self.refs: dict = {}
        self.content_streams: set = set()  # ids of the form streams whose drawing is rewritten

    # --- objects ---

    def convert(self, obj):
        from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            ref = self.refs.get(key)
            if ref is None:
                target = obj.get_object()
                placeholder = pdfdoc.PDFDictionary()  # breaks cycles (a /Parent, a font's own references)
                self.refs[key] = ref = self.doc.Reference(placeholder)
                converted = self.convert(target)
                name = ref.name
                self.doc.idToObject[name] = converted
                if isinstance(converted, pdfdoc.PDFObject):
                    converted.__InternalName__ = name
            return ref
        if isinstance(obj, StreamObject):
            return self.stream(obj)
        if isinstance(obj, DictionaryObject):
            return pdfdoc.PDFDictionary({k[1:]: self.convert(v) for k, v in obj.items() if k not in DROPPED_KEYS})
        if isinstance(obj, ArrayObject):
            return pdfdoc.PDFArray([self.convert(v) for v in obj])
        return _Raw(_serial(obj))

    def stream(self, obj):
        from pypdf.generic import NameObject

        if obj.get("/Subtype") == NameObject("/Form"):
            data, used = self.rewrite(obj.get_data(), obj.get("/Resources"))
            self.check_resources(obj.get("/Resources"), used)
            d = pdfdoc.PDFDictionary({k[1:]: self.convert(v) for k, v in obj.items()
                                      if k not in DROPPED_KEYS | {"/Filter", "/DecodeParms", "/Resources"}})
            if "/Resources" in obj:
                d["Resources"] = self.resources(obj["/Resources"], used)
            return pdfdoc.PDFStream(d, data)
        d = pdfdoc.PDFDictionary({k[1:]: self.convert(v) for k, v in obj.items() if k != "/Length"})
        # kept as stored (with its filters); unfiltered data is compressed by the writer
        return pdfdoc.PDFStream(d, obj._data if "/Filter" in obj else obj.get_data())

    def resources(self, resources, fonts_used: set):
        """A resource dictionary, with only the fonts the drawing sets (others need no embedding)."""
        from pypdf.generic import DictionaryObject

        resources = resources.get_object()
        d = self.convert(DictionaryObject({k: v for k, v in resources.items() if k != "/Font"}))
        fonts = resources.get("/Font")
        if fonts is not None:
            fonts = fonts.get_object()
            d["Font"] = pdfdoc.PDFDictionary({k[1:]: self.convert(v) for k, v in fonts.items() if k in fonts_used})
        return d

    # --- checks ---

    def check_resources(self, resources, fonts_used: set | None = None) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for name, gs in (resources.get("/ExtGState") or {}).items():
            gs = gs.get_object()
            for key in ("/CA", "/ca"):
                if key in gs and float(gs[key]) < 1:
                    raise FigureError(f"it uses transparency ({key[1:]} {float(gs[key]):g} in {name}), "
                                      "which PDF/X-1a cannot print")
            if gs.get("/SMask") not in (None, "/None"):
                raise FigureError(f"it uses a soft mask ({name}), which PDF/X-1a cannot print")
            bm = gs.get("/BM")
            if bm is not None and str(bm if not isinstance(bm, list) else bm[0]) not in ("/Normal", "/Compatible"):
                raise FigureError(f"it uses the blend mode {bm} ({name}), which PDF/X-1a cannot print")
        for name, space in (resources.get("/ColorSpace") or {}).items():
            self.check_space(space, f"colour space {name}")
        for name, shading in (resources.get("/Shading") or {}).items():
            self.check_space(shading.get_object().get("/ColorSpace"), f"shading {name}")
        for name, pattern in (resources.get("/Pattern") or {}).items():
            pattern = pattern.get_object()
            if "/Shading" in pattern:
                self.check_space(pattern["/Shading"].get_object().get("/ColorSpace"), f"pattern {name}")
            else:
                self.check_resources(pattern.get("/Resources"))
        for name, font in (resources.get("/Font") or {}).items():
            if fonts_used is None or name in fonts_used:
                self.check_font(font.get_object(), name)
        for name, xobject in (resources.get("/XObject") or {}).items():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                if xobject.get("/ImageMask"):
                    continue
                if "/SMask" in xobject:
                    raise FigureError(f"its picture {name} has a soft mask (transparency), which PDF/X-1a "
                                      "cannot print")
                self.check_space(xobject.get("/ColorSpace"), f"picture {name}")

    def check_space(self, space, what: str) -> None:
        if space is None:
            return
        space = space.get_object()
        if isinstance(space, list):
            kind = str(space[0])
            if kind in ("/Separation", "/DeviceN"):
                return self.check_space(space[2], what)
            if kind == "/Indexed":
                return self.check_space(space[1], what)
            if kind == "/Pattern" and len(space) > 1:
                return self.check_space(space[1], what)
            if kind == "/ICCBased" and int(space[1].get_object().get("/N", 0)) in (1, 4):
                return  # grey or CMYK, tagged
            raise FigureError(f"its {what} is {kind[1:]}, not CMYK or grey: export the figure in CMYK")
        if str(space) not in PRINTABLE_SPACES | {"/Pattern"}:
            raise FigureError(f"its {what} is {str(space)[1:]}, not CMYK or grey: export the figure in CMYK")

    def check_font(self, font, name) -> None:
        subtype = font.get("/Subtype")
        if subtype == "/Type3":
            self.check_resources(font.get("/Resources"))
            return
        target = font["/DescendantFonts"][0].get_object() if subtype == "/Type0" else font
        descriptor = target.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        base = str(target.get("/BaseFont", name))[1:]
        if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            raise FigureError(f"its font {base} is not embedded: embed its fonts or convert the text to outlines")
        if "/ToUnicode" not in font:
            # the house check wants every font's text extractable (render/selfcheck.py)
            raise FigureError(f"its font {base} has no ToUnicode map: export it with one, or convert the text "
                              "to outlines")

    def check_ink(self, operands) -> None:
        values = [float(v) * 100 for v in operands]
        if sum(values) > self.ink_limit + 0.5:
            c, m, y, k = (f"{v:g}" for v in values)
            raise FigureError(f"its colour C{c} M{m} Y{y} K{k} has {sum(values):g}% total ink; the press "
                              f"allows {self.ink_limit:g}%")

    # --- drawing ---

    def rewrite(self, data: bytes, resources) -> tuple[bytes, set]:
        """The content stream with RGB colour operators turned CMYK (see the module's notes),
        and the names of the fonts it sets."""
        from pypdf.generic import ContentStream, FloatObject, NameObject

        stream = ContentStream(None, None)
        stream.set_data(data)
        out = []
        rgb = {"fill": False, "stroke": False}  # whether cs/CS chose DeviceRGB, per graphics state
        stack = []

        def cmyk(values):
            return [FloatObject(round(v, 4)) for v in self.to_cmyk(tuple(float(x) for x in values))]

        fonts: set = set()
        font = None  # (name, index in out) of the Tf in force
        live: set = set()
        for operands, op in stream.operations:
            if op == b"Tf" and operands:
                font = (str(operands[0]), len(out))
            elif op in (b"Tj", b"TJ", b"'", b'"') and font is not None:
                fonts.add(font[0])
                live.add(font[1])
            elif op == b"q":
                stack.append((dict(rgb), font))
            elif op == b"Q" and stack:
                rgb, font = stack.pop()
            elif op in (b"k", b"K") and len(operands) == 4:
                self.check_ink(operands)
            elif op in (b"rg", b"RG"):
                out.append((cmyk(operands), b"k" if op == b"rg" else b"K"))
                continue
            elif op in (b"cs", b"CS"):
                which = "fill" if op == b"cs" else "stroke"
                space = str(operands[0])
                if space == "/DeviceRGB":
                    rgb[which] = True
                    out.append(([NameObject("/DeviceCMYK")], op))
                    continue
                rgb[which] = False
                if space not in PRINTABLE_SPACES and space != "/Pattern":
                    spaces = (resources.get_object().get("/ColorSpace") or {}) if resources is not None else {}
                    if space not in spaces:
                        raise FigureError(f"its drawing uses the colour space {space[1:]}, not CMYK or grey")
            elif op in (b"sc", b"scn", b"SC", b"SCN") and rgb["fill" if op in (b"sc", b"scn") else "stroke"]:
                if len(operands) == 3:
                    out.append((cmyk(operands), op))
                    continue
            elif op in (b"sc", b"scn", b"SC", b"SCN") and len(operands) == 4 and \
                    all(isinstance(v, (int, float)) for v in operands):
                self.check_ink(operands)
            elif op == b"BI":
                space = operands[0].get("/CS", operands[0].get("/ColorSpace")) if operands else None
                if space is not None and not operands[0].get("/IM", operands[0].get("/ImageMask")):
                    if str(space) not in PRINTABLE_SPACES:
                        raise FigureError(f"its inline picture is in {str(space)[1:]}, not CMYK or grey")
            out.append((operands, op))
        # a font set but never shown (as ReportLab's "BT /F1 12 Tf ET" preamble) is left out
        stream.operations = [(operands, op) for i, (operands, op) in enumerate(out) if op != b"Tf" or i in live]
        return stream.get_data(), fonts


def pdf_form(c, name: str, path, page: int | None, layout, to_cmyk) -> None:
    """Register page ``page`` of the PDF at ``path`` as the form ``name`` of canvas ``c``:
    its crop box becomes the form's box, its lower-left corner the origin."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    from pagesetter.errors import PagesetterError

    try:
        index, (left, bottom, right, top), _, _ = pdf_page_box(path, None, page)
    except PagesetterError as exc:
        raise FigureError(exc.message) from None
    try:
        reader = PdfReader(str(path), strict=False)
        source = reader.pages[index]
        importer = _Importer(c._doc, to_cmyk, layout.print.press.ink_limit)
        resources = source.get("/Resources")
        contents = source.get_contents()
        data, fonts = importer.rewrite(contents.get_data() if contents is not None else b"", resources)
        importer.check_resources(resources, fonts)
        res = importer.resources(resources, fonts) if resources is not None else pdfdoc.PDFDictionary()
    except FigureError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise FigureError(f"pypdf cannot read its page {index + 1} ({type(exc).__name__}: {exc})") from None
    form = pdfdoc.PDFStream(pdfdoc.PDFDictionary({
        "Type": _Raw(b"/XObject"), "Subtype": _Raw(b"/Form"), "FormType": 1,
        "BBox": pdfdoc.PDFArray([left, bottom, right, top]),
        "Matrix": pdfdoc.PDFArray([1, 0, 0, 1, -left, -bottom]),
        "Resources": res}), data)
    c._doc.Reference(form, pdfdoc.xObjectName(name))
