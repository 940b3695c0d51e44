"""The checks `render` runs on its own output before it replaces anything.

The writer knows how it builds a PDF: every object dictionary is plain text
(no object streams), and only content, font and picture data sit in compressed
streams. So the PDF/X structure can be checked by reading the object
dictionaries straight from the bytes, in a few milliseconds, without a PDF
parser. ``pagesetter check`` stays the full preflight, for PDFs from any tool.
"""

from __future__ import annotations

import re

from pagesetter.print.spec import REGISTERED_CONDITIONS

_BOX = rb"/%s\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]"


def _objects(data: bytes) -> dict[int, bytes]:
    """Each object's dictionary (never its stream data), found through the xref table."""
    start = data.rfind(b"startxref")
    try:
        xref = int(data[start + 9:start + 40].split()[0])
    except (ValueError, IndexError):
        return {}
    head = re.match(rb"xref\s+(\d+) (\d+)\s+", data[xref:xref + 64])
    if start < 0 or not head:
        return {}
    first, count = int(head.group(1)), int(head.group(2))
    table = data[xref + head.end():xref + head.end() + 20 * count]
    objects = {}
    for i, (offset, kind) in enumerate(re.findall(rb"(\d{10}) \d{5} ([nf])", table)):
        if kind == b"n":
            offset = int(offset)
            body = data[offset:data.find(b"endobj", offset)]
            cut = body.find(b"stream")
            objects[first + i] = body if cut < 0 else body[:cut]
    return objects


def _box(dictionary: bytes, name: str) -> tuple[float, ...] | None:
    m = re.search(_BOX % name.encode(), dictionary)
    return tuple(float(v) for v in m.groups()) if m else None


def _inside(inner, outer, tol=0.01) -> bool:
    return (inner[0] >= outer[0] - tol and inner[1] >= outer[1] - tol and inner[2] <= outer[2] + tol
            and inner[3] <= outer[3] + tol)


def problems(data: bytes, standard: str) -> list[str]:
    """What would make the written PDF fail the structural preflight: empty when it passes."""
    found: list[str] = []
    header = re.match(rb"%PDF-(\d)\.(\d)", data)
    if not header:
        return ["parse: no PDF header"]
    objects = _objects(data)
    if not objects:
        return ["parse: no objects"]
    trailer = data[data.rfind(b"trailer"):]
    info = next((d for d in objects.values() if b"/GTS_PDFXVersion" in d), b"")
    if not info:
        found.append("pdfx-keys: no GTS_PDFXVersion in Info")
    if standard.startswith("PDF/X-1a"):
        if b"/GTS_PDFXConformance (PDF/X-1a:2003)" not in info:
            found.append("pdfx-keys: GTS_PDFXConformance is not PDF/X-1a:2003")
        if (int(header.group(1)), int(header.group(2))) > (1, 4):
            found.append("pdfx-keys: newer than PDF 1.4, which PDF/X-1a allows")
    if not re.search(rb"/Trapped /(True|False)", info):
        found.append("pdfx-keys: Trapped is not True or False")
    for key in (b"/Title", b"/CreationDate", b"/ModDate"):
        if key not in info:
            found.append(f"pdfx-keys: no {key.decode()[1:]}")
    if b"/ID" not in trailer:
        found.append("pdfx-keys: no trailer ID")
    if standard.startswith("PDF/X-4") and not any(b"/Subtype /XML" in d and b"/Type /Metadata" in d
                                                  for d in objects.values()):
        found.append("pdfx-keys: no XMP metadata")

    intent = next((d for d in objects.values() if b"/S /GTS_PDFX" in d), None)
    if intent is None or not any(b"/OutputIntents" in d for d in objects.values()):
        found.append("output-intent: no GTS_PDFX OutputIntent in the catalog")
    else:
        ident = re.search(rb"/OutputConditionIdentifier \((.*?)\)", intent)
        if not ident:
            found.append("output-intent: no OutputConditionIdentifier")
        elif b"/DestOutputProfile" not in intent and (standard.startswith("PDF/X-4")
                                                      or ident.group(1).decode("latin-1") not in REGISTERED_CONDITIONS):
            found.append(f"output-intent: {ident.group(1).decode('latin-1')}: no ICC output profile embedded")

    pages = [d for d in objects.values() if re.search(rb"/Type /Page(?![s\w])", d)]
    if not pages:
        found.append("page-boxes: no pages")
    for n, page in enumerate(pages, 1):
        media, bleed, trim = (_box(page, k) for k in ("MediaBox", "BleedBox", "TrimBox"))
        if trim is None or bleed is None or media is None:
            found.append(f"page-boxes: page {n}: missing " + ", ".join(
                k for k, v in (("MediaBox", media), ("BleedBox", bleed), ("TrimBox", trim)) if v is None))
        elif not (_inside(trim, bleed) and _inside(bleed, media)):
            found.append(f"page-boxes: page {n}: boxes not nested (trim ⊂ bleed ⊂ media)")

    for d in objects.values():
        if b"/Type /FontDescriptor" in d and not re.search(rb"/FontFile[23]? ", d):
            name = re.search(rb"/FontName /(\S+)", d)
            found.append(f"fonts: {name.group(1).decode('latin-1') if name else '?'} not embedded")
        if b"/Type /Font" in d and b"/Type /FontDescriptor" not in d and b"/Subtype /Type3" not in d \
                and b"/ToUnicode" not in d and b"/Subtype /CIDFontType2" not in d:
            name = re.search(rb"/BaseFont /(\S+)", d)
            found.append(f"fonts: {name.group(1).decode('latin-1') if name else '?'} has no ToUnicode")
    return found
