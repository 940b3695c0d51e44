"""PDF/X plumbing for ReportLab: page boxes, printer's marks, OutputIntent,
Info and XMP keys, reproducible dates, and a ToUnicode fix for characters
outside the Basic Multilingual Plane."""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from datetime import datetime, timezone

import reportlab.pdfbase.ttfonts as rl_ttfonts
from reportlab.lib.colors import CMYKColorSep
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas

from pagesetter.print.spec import PrintSpec
from pagesetter.units import MM

REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All")
MARK_WEIGHT = 0.25
MARK_LENGTH = 6 * MM
MARK_GAP = 2 * MM  # between the bleed edge and the marks


def _to_unicode_cmap(fontname, subset):
    """ReportLab's ToUnicode CMap writes code points; PDF wants UTF-16BE, so a
    character outside the BMP needs its surrogate pair (ReportLab emits 5 hex digits)."""
    def utf16(cp: int) -> str:
        return chr(cp).encode("utf-16-be", "surrogatepass").hex().upper()

    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1), "endcodespacerange", f"{len(subset)} beginbfchar",
    ]
    if max(subset, default=0) <= 0xFFFF:  # one UTF-16 unit each: encoded all at once
        units = "".join(map(chr, subset)).encode("utf-16-be", "surrogatepass").hex().upper()
        lines += [f"{code}{units[4 * i:4 * i + 4]}>" for i, code in enumerate(_CODES[:len(subset)])]
    else:
        lines += ["<%02X> <%s>" % (i, utf16(v)) for i, v in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


_CODES = ["<%02X> <" % i for i in range(256)]
rl_ttfonts.makeToUnicodeCMap = _to_unicode_cmap

# Subset tags (the ``ABCDEF+`` of a subset font's name) from the glyph set, not from the
# subset's number: ReportLab names the first subset of every font AAAAAA+, so different
# programs in different files would share a name, and a RIP that caches fonts by name
# would print the wrong glyphs.
_ttf_subset_number = rl_ttfonts.SUBSETN
_ttf_add_objects = rl_ttfonts.TTFont.addObjects
_tagging = threading.local()
_FILE_DIGESTS: dict[int, tuple[object, bytes]] = {}


def _file_digest(face) -> bytes:
    known = getattr(face, "program_sha256", None)  # kept with the face in the cache
    if known is not None:
        return known
    data = getattr(face, "_ttf_data", b"")
    held = _FILE_DIGESTS.get(id(data))
    if held is None or held[0] is not data:
        held = _FILE_DIGESTS[id(data)] = (data, hashlib.sha256(data).digest())
    return held[1]


def subset_tag(face, subset) -> bytes:
    """Six capital letters from the font program and the glyphs (in code order) of the subset."""
    h = hashlib.sha256(_file_digest(face))
    h.update(face.name + getattr(face, "subfontNameX", b""))
    glyphs = getattr(face, "charToGlyph", {})
    h.update(",".join(f"{cp}:{glyphs.get(cp, 0)}" for cp in subset).encode())
    n = int.from_bytes(h.digest()[:8], "big")
    letters = []
    for _ in range(6):
        n, r = divmod(n, 26)
        letters.append(65 + r)
    return bytes(letters)


def _tagged_subset_number(n, *args):
    current = getattr(_tagging, "font", None)
    if current is None:
        return _ttf_subset_number(n, *args)
    font, state = current
    return subset_tag(font.face, state.subsets[n])


def _add_objects(self, doc):
    _tagging.font = (self, self.state[doc]) if doc in self.state else None
    try:
        return _ttf_add_objects(self, doc)
    finally:
        _tagging.font = None


rl_ttfonts.SUBSETN = _tagged_subset_number
rl_ttfonts.TTFont.addObjects = _add_objects


def document_time(spec: PrintSpec) -> datetime:
    """The date written into the PDF: the edition date, else SOURCE_DATE_EPOCH, else a fixed epoch —
    never the clock, so the same input always gives the same bytes."""
    if spec.edition_date is not None:
        return spec.edition_date.astimezone(timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime(2000, 1, 1, tzinfo=timezone.utc)


def _timestamp(when: datetime) -> TimeStamp:
    ts = TimeStamp.__new__(TimeStamp)
    ts.t = when.timestamp()
    ts.lt = time.gmtime(ts.t)
    ts.YMDhms = tuple(ts.lt)[:6]
    ts.dhh = ts.dmm = 0
    ts.tzname = "UTC"
    return ts


class _Info(pdfdoc.PDFInfo):
    """The document Info dictionary with the PDF/X identification keys."""

    def __init__(self, spec: PrintSpec, title: str, creator: str):
        super().__init__()
        self.spec = spec
        self.title = title
        self.creator = creator
        self.producer = creator

    def format(self, document):
        d = {
            "Title": pdfdoc.PDFString(self.title),
            "Creator": pdfdoc.PDFString(self.creator),
            "Producer": pdfdoc.PDFString(self.producer),
            "CreationDate": pdfdoc.PDFDate(ts=document._timeStamp),
            "ModDate": pdfdoc.PDFDate(ts=document._timeStamp),
            "Trapped": pdfdoc.PDFName("False"),
        }
        if self.spec.standard == "PDF/X-1a:2003":
            d["GTS_PDFXVersion"] = pdfdoc.PDFString("PDF/X-1:2003")
            d["GTS_PDFXConformance"] = pdfdoc.PDFString("PDF/X-1a:2003")
        else:
            d["GTS_PDFXVersion"] = pdfdoc.PDFString("PDF/X-4")
        return pdfdoc.PDFDictionary(d).format(document)


def new_canvas(path: str, spec: PrintSpec, media: tuple[float, float], font: str, size: float,
               title: str, creator: str) -> rl_canvas.Canvas:
    version = (1, 6) if spec.standard == "PDF/X-4" else (1, 4)
    c = rl_canvas.Canvas(path, pagesize=media, invariant=1, pageCompression=1, initialFontName=font,
                         initialFontSize=size, pdfVersion=version)
    doc = c._doc
    doc._timeStamp = _timestamp(document_time(spec))
    doc.info = _Info(spec, title, creator)
    _output_intent(doc, spec, title)
    return c


def _output_intent(doc, spec: PrintSpec, title: str) -> None:
    press = spec.press
    intent = {
        "Type": pdfdoc.PDFName("OutputIntent"),
        "S": pdfdoc.PDFName("GTS_PDFX"),
        "OutputConditionIdentifier": pdfdoc.PDFString(press.identifier),
        "OutputCondition": pdfdoc.PDFString(press.condition),
        "Info": pdfdoc.PDFString(press.condition),
    }
    if press.registry:  # only a registered condition names the ICC registry
        intent["RegistryName"] = pdfdoc.PDFString(press.registry)
    if press.profile is not None:
        stream = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"N": 4}), press.profile.read_bytes(), filters=[pdfdoc.PDFZCompress])
        intent["DestOutputProfile"] = doc.Reference(stream)
    catalog = doc.Catalog
    catalog.__NoDefault__ = list(catalog.__NoDefault__) + ["OutputIntents"]
    catalog.OutputIntents = pdfdoc.PDFArray([pdfdoc.PDFDictionary(intent)])
    catalog.Metadata = _xmp(doc, spec, title)
    catalog.__Refs__ = list(catalog.__Refs__)


def _xml_text(text: str) -> str:
    """``text`` as XML character data: what ``html.escape(text, quote=False)`` gives, without
    importing ``html`` and its entity table (3 ms of every render)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xmp(doc, spec: PrintSpec, title: str):
    when = document_time(spec).strftime("%Y-%m-%dT%H:%M:%SZ")
    version = "PDF/X-1:2003" if spec.standard == "PDF/X-1a:2003" else "PDF/X-4"
    conformance = "<pdfxid:GTS_PDFXConformance>PDF/X-1a:2003</pdfxid:GTS_PDFXConformance>" \
        if spec.standard == "PDF/X-1a:2003" else ""
    xml = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml_text(title)}</rdf:li></rdf:Alt></dc:title>
   <xmp:CreateDate>{when}</xmp:CreateDate>
   <xmp:ModifyDate>{when}</xmp:ModifyDate>
   <xmp:MetadataDate>{when}</xmp:MetadataDate>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>{_UUID_SLOT}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{_UUID_SLOT}</xmpMM:InstanceID>
   <xmpMM:VersionID>{_VERSION_SLOT}</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfx:GTS_PDFXVersion>{version}</pdfx:GTS_PDFXVersion>
   <pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>
   {conformance}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    stream = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"),
                                                    "Subtype": pdfdoc.PDFName("XML")}), xml.encode("utf-8"),
                              filters=[])
    return doc.Reference(stream)


# Identity is stamped into the finished file: the trailer /ID and the XMP's document and
# version identifiers come from a hash of the file's own bytes (with these slots blank),
# so identical input gives identical bytes and any change gives a new identity. The
# slots keep their length, so no offset moves.
_UUID_SLOT = "uuid:" + "0" * 8 + "-" + "0" * 4 + "-" + "0" * 4 + "-" + "0" * 4 + "-" + "0" * 12
_VERSION_SLOT = "0" * 16
_TRAILER_ID = re.compile(rb"/ID\s*\[<([0-9a-fA-F]{32})><([0-9a-fA-F]{32})>\]")
_XMP_SLOT = re.compile(rb"<xmpMM:(?:DocumentID|InstanceID|VersionID)>(?:uuid:)?([0-9a-f-]+)<")


def stamp_identity(path) -> str:
    """Write the content hash into the trailer /ID and the XMP; returns it (hex)."""
    data = bytearray(open(path, "rb").read())
    ids = list(_TRAILER_ID.finditer(data))
    if len(ids) != 1:
        raise ValueError("the PDF has no single trailer /ID to stamp")
    slots = list(_XMP_SLOT.finditer(data))
    for m in ids:
        for g in (1, 2):
            data[m.start(g):m.end(g)] = b"0" * 32
    for m in slots:
        data[m.start(1):m.end(1)] = re.sub(rb"[0-9a-f]", b"0", m.group(1))
    digest = hashlib.md5(bytes(data), usedforsecurity=False).hexdigest()
    for g in (1, 2):
        data[ids[0].start(g):ids[0].end(g)] = digest.encode()
    uuid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}".encode()
    for m in slots:
        value = uuid if len(m.group(1)) == len(uuid) else digest[:len(m.group(1))].encode()
        data[m.start(1):m.end(1)] = value
    with open(path, "r+b") as f:
        f.write(data)
    return digest


def set_boxes(c: rl_canvas.Canvas, spec: PrintSpec, width: float, height: float) -> float:
    """Set the page's media, bleed and trim boxes; returns the offset of the trim origin."""
    offset = spec.bleed + spec.slug_space
    c.setPageSize((width + 2 * offset, height + 2 * offset))
    c.setTrimBox([offset, offset, offset + width, offset + height])
    b = spec.bleed
    c.setBleedBox([offset - b, offset - b, offset + width + b, offset + height + b])
    return offset


TARGET_RADIUS = 2.2 * MM
SLUG_SIZES = (6.0, 5.5, 5.0, 4.5)  # the slug shrinks to this before it is cut short
SLUG_CLEAR = 2 * MM                # between the slug and any mark


def mark_shapes(spec: PrintSpec, width: float, height: float) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every crop mark and registration target as (kind, (x1, y1, x2, y2)) in media coordinates."""
    o = spec.bleed + spec.slug_space
    start = spec.bleed + MARK_GAP
    half = MARK_WEIGHT / 2
    shapes = []
    for x in (o, o + width):
        for y in (o, o + height):
            sx = -1 if x == o else 1
            sy = -1 if y == o else 1
            xs = sorted((x + sx * start, x + sx * (start + MARK_LENGTH)))
            ys = sorted((y + sy * start, y + sy * (start + MARK_LENGTH)))
            shapes.append(("crop", (xs[0], y - half, xs[1], y + half)))
            shapes.append(("crop", (x - half, ys[0], x + half, ys[1])))
    r = TARGET_RADIUS * 1.5 + half
    for cx, cy in _target_centres(spec, width, height):
        shapes.append(("target", (cx - r, cy - r, cx + r, cy + r)))
    return shapes


def _target_centres(spec: PrintSpec, width: float, height: float):
    o = spec.bleed + spec.slug_space
    centre = spec.bleed + MARK_GAP + TARGET_RADIUS + 1 * MM
    return ((o + width / 2, o - centre), (o + width / 2, o + height + centre),
            (o - centre, o + height / 2), (o + width + centre, o + height / 2))


def _text_width(text: str, font: str, size: float) -> float:
    """ReportLab's ``stringWidth`` of a TrueType face, read glyph by glyph: ReportLab's own
    (its C accelerator) needs the face's whole widths dict, 30,000 entries made for one line."""
    face = pdfmetrics.getFont(font).face
    width = face.getCharWidth
    return 0.001 * size * sum(width(ord(u)) for u in text)


def slug_lines(spec: PrintSpec, width: float, slug: str, font: str) -> list[tuple[float, float, float, str]]:
    """Where the slug goes: (x, baseline, size, text) pieces in the bottom margin, left of the bottom
    registration target and, when it is too long, on to its right; it shrinks, then is cut short,
    rather than touch a mark."""
    o = spec.bleed + spec.slug_space
    baseline = o - spec.bleed - MARK_GAP - MARK_LENGTH
    target = TARGET_RADIUS * 1.5 + MARK_WEIGHT / 2 + SLUG_CLEAR
    spans = [(o + SLUG_CLEAR, o + width / 2 - target), (o + width / 2 + target, o + width - SLUG_CLEAR)]
    spans = [(a, b) for a, b in spans if b - a > 5 * MM]
    parts = slug.split("  ·  ")
    if not spans:
        return []
    for size in SLUG_SIZES:
        placed, rest = [], list(parts)
        for i, (a, b) in enumerate(spans):
            taken = []
            while rest and _text_width("  ·  ".join(taken + rest[:1]), font, size) <= b - a:
                taken.append(rest.pop(0))
            if i == len(spans) - 1 and rest and size == SLUG_SIZES[-1]:
                # even the smallest size holds not all of it: the last span's text is cut short
                text = "  ·  ".join(taken + rest)
                while text and _text_width(text + "…", font, size) > b - a:
                    text = text[:-1]
                taken, rest = [text.rstrip() + "…"], []
            if taken:
                placed.append((a, baseline, size, "  ·  ".join(taken)))
        if not rest:
            return placed
    return []


def draw_marks(c: rl_canvas.Canvas, spec: PrintSpec, width: float, height: float, slug: str, font: str) -> None:
    """Crop marks, registration targets and the slug line, in registration colour outside the bleed."""
    c.saveState()
    c.setStrokeColor(REGISTRATION)
    c.setFillColor(REGISTRATION)
    c.setLineWidth(MARK_WEIGHT)
    for kind, (x1, y1, x2, y2) in mark_shapes(spec, width, height):
        if kind == "crop":
            if x2 - x1 > y2 - y1:
                c.line(x1, (y1 + y2) / 2, x2, (y1 + y2) / 2)
            else:
                c.line((x1 + x2) / 2, y1, (x1 + x2) / 2, y2)
    r = TARGET_RADIUS
    for cx, cy in _target_centres(spec, width, height):
        c.circle(cx, cy, r, stroke=1, fill=0)
        c.circle(cx, cy, r / 2, stroke=0, fill=1)
        c.line(cx - r * 1.5, cy, cx + r * 1.5, cy)
        c.line(cx, cy - r * 1.5, cx, cy + r * 1.5)
    for x, y, size, text in slug_lines(spec, width, slug, font):
        c.setFont(font, size)
        # drawString's own text object, without the width drawString works out and drops: ReportLab
        # reads it from the face's whole widths dict (30,000 entries, made for this one line)
        t = c.beginText(x, y)
        t.textLine(text)
        c.drawText(t)
    c.restoreState()
