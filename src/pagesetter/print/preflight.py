"""Preflight (`pagesetter check`): is this PDF ready for the press?

Every check reports PASS, WARN or FAIL with its figures. The checks read the
PDF itself (with pypdf), not pagesetter's own model, so they work on any PDF.
Total ink is measured on a CMYK rendering by Ghostscript when it is installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject, NameObject

from pagesetter.print.spec import PRESS_CONDITIONS, REGISTERED_CONDITIONS
from pagesetter.units import MM

PASS, WARN, FAIL = "PASS", "WARN", "FAIL"
INK_LIMITS = {p.identifier: p.ink_limit for p in PRESS_CONDITIONS.values()} | {"FOGRA51": 300.0}
TEXT_SHOW = {b"Tj", b"TJ", b"'", b'"'}
MIN_LINE = 0.25   # pt: strokes thinner than this break up on newsprint
MIN_PPI = 200.0
INK_DPI = 150     # total ink is measured at this resolution (50 dpi misses small rich areas)


@dataclass
class Check:
    name: str
    status: str
    detail: str

    def line(self) -> str:
        return f"{self.status}  {self.name:<16} {self.detail}"


@dataclass
class _Scan:
    """What walking the content streams found."""

    rgb_ops: int = 0
    bad_spaces: set = field(default_factory=set)
    images: int = 0
    bad_images: list = field(default_factory=list)
    black_text: int = 0
    black_text_not_overprinted: int = 0
    gray_or_rgb_black_text: int = 0
    transparency: list = field(default_factory=list)
    fonts: dict = field(default_factory=dict)  # id → font dict
    page: int = 0
    overprints: list = field(default_factory=list)   # (page, what, white?) overprinting, not 100% K
    hairlines: list = field(default_factory=list)    # (page, width pt)
    picture_ppi: list = field(default_factory=list)  # (page, effective ppi)


def preflight(path: Path, *, ink: bool = True, ink_limit: float | None = None, content: bool = True,
              ink_dpi: int = INK_DPI, min_line: float = MIN_LINE, min_ppi: float = MIN_PPI) -> list[Check]:
    """All checks; ``content=False`` skips walking the content streams (the fast
    subset ``render`` runs on its own output: fonts are then read from the page resources)."""
    import logging
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about damaged files become our FAIL lines
    checks: list[Check] = []
    try:
        reader = PdfReader(str(path))
        pages = reader.pages
        n = len(pages)
    except Exception as exc:  # anything pypdf cannot parse is not a printable PDF
        return [Check("parse", FAIL, f"cannot parse: {exc}")]
    if reader.is_encrypted:
        return [Check("parse", FAIL, "the PDF is encrypted")]
    header = reader.pdf_header
    checks.append(Check("parse", PASS, f"{n} page{'s' if n != 1 else ''}, {header.lstrip('%')}"))
    info = reader.metadata or {}
    version = str(info.get("/GTS_PDFXVersion", ""))
    standard = "PDF/X-4" if version.startswith("PDF/X-4") else "PDF/X-1a:2003"
    checks.append(_pdfx_keys(reader, info, version, header))
    checks.append(_output_intent(reader, standard))
    checks.append(_boxes(pages))
    scan = _Scan()
    if not content:
        for page in pages:
            resources = _resolve(page.get("/Resources")) or {}
            for font in (_resolve(resources.get("/Font")) or {}).values():
                scan.fonts[id(_resolve(font))] = _resolve(font)
        checks.append(_fonts(scan, read_maps=False))
        return checks
    for page in pages:
        _scan_page(page, reader, scan)
    checks.append(_fonts(scan))
    checks.append(_colour(scan, standard))
    checks.append(_overprint(scan))
    checks.append(_colour_overprint(scan))
    checks.append(_hairlines(scan, min_line))
    checks.append(_resolution(scan, min_ppi))
    if standard == "PDF/X-1a:2003":
        checks.append(Check("transparency", FAIL if scan.transparency else PASS,
                            "; ".join(sorted(set(scan.transparency))[:3]) if scan.transparency else
                            "no transparency (PDF/X-1a)"))
    checks.append(_text(pages))
    if ink:
        limit = ink_limit if ink_limit is not None else _ink_limit_for(reader)
        checks.append(total_ink(path, limit, ink_dpi))
    return checks


def _ink_limit_for(reader: PdfReader) -> float:
    try:
        intents = reader.trailer["/Root"].get("/OutputIntents")
        ident = str(intents[0].get_object().get("/OutputConditionIdentifier", ""))
    except Exception:
        ident = ""
    return INK_LIMITS.get(ident, 240.0)


def _pdfx_keys(reader, info, version, header) -> Check:
    problems = []
    if not version:
        problems.append("no GTS_PDFXVersion in Info")
    elif version == "PDF/X-1:2003" and str(info.get("/GTS_PDFXConformance", "")) != "PDF/X-1a:2003":
        problems.append("GTS_PDFXConformance is not PDF/X-1a:2003")
    if str(info.get("/Trapped", "")) not in ("/True", "/False"):
        problems.append("Trapped is not True or False")
    if not str(info.get("/Title", "")).strip():
        problems.append("no Title")
    for key in ("/CreationDate", "/ModDate"):
        if key not in info:
            problems.append(f"no {key[1:]}")
    if "/ID" not in reader.trailer:
        problems.append("no trailer ID")
    m = re.match(r"%PDF-(\d)\.(\d)", header)
    if m and version.startswith("PDF/X-1") and (int(m.group(1)), int(m.group(2))) > (1, 4):
        problems.append(f"{header[1:]} is newer than PDF/X-1a allows (1.4)")
    if version.startswith("PDF/X-4"):
        meta = reader.trailer["/Root"].get("/Metadata")
        xmp = meta.get_object().get_data() if meta is not None else b""
        if b"GTS_PDFXVersion" not in xmp:
            problems.append("no XMP metadata with GTS_PDFXVersion")
        missing = [k for k in ("DocumentID", "VersionID", "RenditionClass") if f"xmpMM:{k}".encode() not in xmp]
        if missing:
            problems.append("XMP lacks xmpMM:" + ", xmpMM:".join(missing))
    if problems:
        return Check("pdfx-keys", FAIL, "; ".join(problems))
    return Check("pdfx-keys", PASS, f"{version}, Trapped {str(info.get('/Trapped'))[1:]}, title, dates, ID")


def _is_icc(profile) -> bool:
    """An ICC profile says so in its header: 'acsp' at byte 36."""
    try:
        data = profile.get_object().get_data()
    except Exception:  # an unreadable stream is no profile
        return False
    return len(data) >= 128 and data[36:40] == b"acsp"


def _output_intent(reader, standard) -> Check:
    intents = reader.trailer["/Root"].get("/OutputIntents")
    if not intents:
        return Check("output-intent", FAIL, "no OutputIntents (press condition) in the catalog")
    for intent in intents:
        intent = intent.get_object()
        if intent.get("/S") != "/GTS_PDFX":
            continue
        ident = str(intent.get("/OutputConditionIdentifier", ""))
        profile = intent.get("/DestOutputProfile")
        if not ident:
            return Check("output-intent", FAIL, "GTS_PDFX OutputIntent without an OutputConditionIdentifier")
        if profile is None and (standard == "PDF/X-4" or ident not in REGISTERED_CONDITIONS):
            return Check("output-intent", FAIL, f"{ident}: no ICC output profile embedded"
                         + (" (PDF/X-4 needs one)" if standard == "PDF/X-4" else " and not a registered condition"))
        if profile is not None and not _is_icc(profile):
            return Check("output-intent", FAIL, f"{ident}: the embedded output profile is not an ICC profile")
        cond = str(intent.get("/OutputCondition", "") or intent.get("/Info", ""))
        return Check("output-intent", PASS, f"GTS_PDFX {ident}" + (f" ({cond})" if cond else "")
                     + (", ICC profile embedded" if profile is not None else ", registered characterization"))
    return Check("output-intent", FAIL, "no OutputIntent of subtype GTS_PDFX")


def _box(page, name):
    box = page.get(name)
    if box is None:
        return None
    return [float(v) for v in box]


def _boxes(pages) -> Check:
    problems, bleeds = [], []
    for i, page in enumerate(pages, 1):
        media = [float(v) for v in page.mediabox]
        trim, bleed = _box(page, "/TrimBox"), _box(page, "/BleedBox")
        if trim is None:
            problems.append(f"page {i}: no TrimBox")
            continue
        if bleed is None:
            problems.append(f"page {i}: no BleedBox")
            continue
        if not _inside(trim, bleed) or not _inside(bleed, media):
            problems.append(f"page {i}: boxes not nested (trim ⊂ bleed ⊂ media)")
            continue
        bleeds.append(min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]))
    if problems:
        return Check("page-boxes", FAIL, "; ".join(problems[:3]))
    least = min(bleeds) / MM
    trim = _box(pages[0], "/TrimBox")
    size = f"trim {(trim[2] - trim[0]) / MM:.1f} × {(trim[3] - trim[1]) / MM:.1f} mm"
    if least < 0.005:
        return Check("page-boxes", WARN, f"{size}, no bleed (TrimBox = BleedBox): nothing may print to the edge")
    if least < 3 - 0.05:
        return Check("page-boxes", WARN, f"{size}, bleed only {least:.1f} mm (3 mm expected)")
    return Check("page-boxes", PASS, f"{size}, bleed {least:.1f} mm, media holds marks")


def _inside(inner, outer, tol=0.01):
    return (inner[0] >= outer[0] - tol and inner[1] >= outer[1] - tol and inner[2] <= outer[2] + tol
            and inner[3] <= outer[3] + tol)


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _space_ok(space, resources, seen=0) -> tuple[bool, str]:
    """Is a colour space CMYK-safe? Returns (ok, name)."""
    space = _resolve(space)
    if isinstance(space, NameObject) or isinstance(space, str):
        name = str(space)
        if name in ("/DeviceCMYK", "/DeviceGray", "/Pattern"):
            return True, name
        if name == "/DeviceRGB":
            return False, name
        cs = _resolve(resources.get("/ColorSpace", {})) if resources else {}
        if cs and name in cs and seen < 5:
            return _space_ok(cs[name], resources, seen + 1)
        return False, name
    if isinstance(space, ArrayObject) and space:
        kind = str(space[0])
        if kind == "/ICCBased":
            n = int(_resolve(space[1]).get("/N", 0))
            return n in (1, 4), f"ICCBased N={n}"
        if kind in ("/Separation",):
            ok, alt = _space_ok(space[2], resources, seen + 1)
            return ok, f"Separation {space[1]} ({alt})"
        if kind == "/DeviceN":
            ok, alt = _space_ok(space[2], resources, seen + 1)
            return ok, f"DeviceN ({alt})"
        if kind == "/Indexed":
            ok, base = _space_ok(space[1], resources, seen + 1)
            return ok, f"Indexed ({base})"
        return False, kind
    return False, str(space)


def _scan_page(page, reader, scan: _Scan) -> None:
    resources = _resolve(page.get("/Resources")) or DictionaryObject()
    group = _resolve(page.get("/Group"))
    if group and group.get("/S") == "/Transparency":
        scan.transparency.append("page transparency group")
    scan.page += 1
    _scan_content(page.get_contents(), resources, reader, scan, depth=0, state=dict(_INITIAL))


_INITIAL = {"fill": ("/DeviceGray", (0.0,)), "stroke": ("/DeviceGray", (0.0,)), "op": False, "OP": False, "OPM": 0,
            "ctm": (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), "lw": 1.0}
_FILLS = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
_STROKES = {b"S", b"s", b"B", b"B*", b"b", b"b*"}


def _flag(value) -> bool:
    """A PDF boolean (pypdf's BooleanObject is always truthy)."""
    return getattr(value, "value", value) is True


def _concat(m, ctm):
    a, b, c, d, e, f = m
    A, B, C, D, E, F = ctm
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _is_black(colour) -> bool:
    space, values = colour
    return space == "/DeviceCMYK" and values == (0.0, 0.0, 0.0, 1.0)


def _is_white(colour) -> bool:
    space, values = colour
    return (space == "/DeviceCMYK" and values == (0.0, 0.0, 0.0, 0.0)) or (space == "/DeviceGray" and values == (1.0,))


def _colour_name(colour) -> str:
    space, values = colour
    if space == "/DeviceCMYK" and len(values) == 4:
        return "C{:g} M{:g} Y{:g} K{:g}".format(*(round(v * 100, 1) for v in values))
    return f"{space} {' '.join(f'{v:g}' for v in values)}".strip()


def _scan_content(contents, resources, reader, scan: _Scan, depth: int, state: dict) -> None:
    if contents is None or depth > 8:
        return
    for name, font in (_resolve(resources.get("/Font")) or {}).items():
        scan.fonts[id(_resolve(font))] = _resolve(font)
    extg = _resolve(resources.get("/ExtGState")) or {}
    for gs in extg.values():
        gs = _resolve(gs)
        smask = gs.get("/SMask")
        if smask is not None and str(smask) != "/None":
            scan.transparency.append("soft mask")
        for key in ("/CA", "/ca"):
            if key in gs and float(gs[key]) < 1:
                scan.transparency.append(f"{key[1:]} {float(gs[key])}")
        if str(gs.get("/BM", "/Normal")) not in ("/Normal", "/Compatible"):
            scan.transparency.append(f"blend mode {gs['/BM']}")
    xobjects = _resolve(resources.get("/XObject")) or {}
    stack = []
    stream = ContentStream(contents, reader)

    def overprinting(key: str, colour, what: str) -> None:
        if not state[key] or _is_black(colour):
            return
        if str(colour[0]).startswith("Separation") or colour[0] in ("/Pattern",):
            return  # a spot colour or varnish may overprint by design
        entry = f"{what} in {_colour_name(colour)}" + (" (white: vanishes on press)" if _is_white(colour) else "")
        scan.overprints.append((scan.page, entry, _is_white(colour)))

    def scale() -> float:
        a, b, c, d = state["ctm"][:4]
        return abs(a * d - b * c) ** 0.5

    for operands, op in stream.operations:
        if op == b"q":
            stack.append(dict(state))
        elif op == b"Q":
            if stack:
                state = stack.pop()
        elif op == b"cm":
            state["ctm"] = _concat(tuple(float(v) for v in operands), state["ctm"])
        elif op == b"w":
            state["lw"] = float(operands[0])
        elif op in (b"rg", b"RG"):
            scan.rgb_ops += 1
            state["fill" if op == b"rg" else "stroke"] = ("/DeviceRGB", tuple(float(v) for v in operands))
        elif op in (b"k", b"K"):
            state["fill" if op == b"k" else "stroke"] = ("/DeviceCMYK", tuple(float(v) for v in operands))
        elif op in (b"g", b"G"):
            state["fill" if op == b"g" else "stroke"] = ("/DeviceGray", tuple(float(v) for v in operands))
        elif op in (b"cs", b"CS"):
            ok, name = _space_ok(operands[0], resources)
            if not ok:
                scan.bad_spaces.add(name)
            state["fill" if op == b"cs" else "stroke"] = (name, ())
        elif op in (b"sc", b"scn", b"SC", b"SCN"):
            key = "fill" if op in (b"sc", b"scn") else "stroke"
            if state[key][0] not in ("/DeviceCMYK", "/DeviceGray", "/DeviceRGB"):
                state[key] = (state[key][0], tuple(float(v) for v in operands if not isinstance(v, NameObject)))
        elif op == b"gs":
            gs = _resolve(extg.get(operands[0])) or {}
            if "/OP" in gs:
                state["OP"] = _flag(gs["/OP"])
                if "/op" not in gs:
                    state["op"] = state["OP"]  # op defaults to OP
            if "/op" in gs:
                state["op"] = _flag(gs["/op"])
            if "/OPM" in gs:
                state["OPM"] = int(gs["/OPM"])
            if "/LW" in gs:
                state["lw"] = float(gs["/LW"])
        elif op in _FILLS or op in _STROKES:
            if op in _STROKES:
                width = state["lw"] * scale()
                if width < MIN_LINE - 1e-6:
                    scan.hairlines.append((scan.page, width))
                overprinting("OP", state["stroke"], "a stroke")
            if op in _FILLS:
                overprinting("op", state["fill"], "a fill")
        elif op in TEXT_SHOW:
            space, values = state["fill"]
            if space == "/DeviceCMYK" and values == (0.0, 0.0, 0.0, 1.0):
                scan.black_text += 1
                if not (state["op"] and state["OPM"] == 1):
                    scan.black_text_not_overprinted += 1
            elif (space == "/DeviceGray" and values == (0.0,)) or (space == "/DeviceRGB" and values == (0.0, 0.0, 0.0)):
                scan.black_text += 1
                scan.gray_or_rgb_black_text += 1
            overprinting("op", state["fill"], "text")
        elif op == b"Do":
            xo = _resolve(xobjects.get(operands[0]))
            if xo is None:
                continue
            if xo.get("/Subtype") == "/Image":
                scan.images += 1
                ok, name = _space_ok(xo.get("/ColorSpace", "/DeviceGray"), resources) if not xo.get("/ImageMask") \
                    else (True, "mask")
                if not ok:
                    scan.bad_images.append(name)
                if xo.get("/SMask") is not None:
                    scan.transparency.append("image soft mask")
                a, b, c, d = state["ctm"][:4]
                w_in, h_in = (a * a + b * b) ** 0.5 / 72, (c * c + d * d) ** 0.5 / 72
                if w_in > 0 and h_in > 0 and not xo.get("/ImageMask"):
                    ppi = min(int(xo.get("/Width", 0)) / w_in, int(xo.get("/Height", 0)) / h_in)
                    scan.picture_ppi.append((scan.page, ppi))
            elif xo.get("/Subtype") == "/Form":
                inner = _resolve(xo.get("/Resources")) or resources
                matrix = xo.get("/Matrix")
                sub = dict(state)
                if matrix is not None:
                    sub["ctm"] = _concat(tuple(float(v) for v in matrix), state["ctm"])
                _scan_content(xo, inner, reader, scan, depth + 1, sub)
        elif op == b"INLINE IMAGE":
            scan.images += 1
            cs = operands.get("settings", {}).get("/CS") if isinstance(operands, dict) else None
            if cs is not None:
                ok, name = _space_ok(cs, resources)
                if not ok:
                    scan.bad_images.append(name)


_TOUNICODE_ENTRY = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _fonts(scan: _Scan, read_maps: bool = True) -> Check:
    problems, subsets, count = [], 0, 0
    for font in scan.fonts.values():
        count += 1
        name = str(font.get("/BaseFont", font.get("/Subtype")))
        if font.get("/Subtype") == "/Type3":
            continue
        descriptor_holder = font
        if font.get("/Subtype") == "/Type0":
            descriptor_holder = _resolve(font["/DescendantFonts"][0])
        descriptor = _resolve(descriptor_holder.get("/FontDescriptor"))
        if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            problems.append(f"{name} not embedded")
            continue
        if re.match(r"/?[A-Z]{6}\+", name):
            subsets += 1
        tu = font.get("/ToUnicode")
        if tu is None:
            problems.append(f"{name} has no ToUnicode")
            continue
        if not read_maps:
            continue
        data = _resolve(tu).get_data()
        entries = b" ".join(re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S))
        for src, dst in _TOUNICODE_ENTRY.findall(entries):
            if len(dst) % 4:
                problems.append(f"{name}: ToUnicode entry <{src.decode()}> <{dst.decode()}> is not UTF-16")
                break
    if problems:
        return Check("fonts", FAIL, "; ".join(problems[:4]) + (f" (+{len(problems) - 4} more)" if len(problems) > 4 else ""))
    if count == 0:
        return Check("fonts", WARN, "no fonts")
    status = PASS if subsets == count else WARN
    return Check("fonts", status, f"{count} fonts embedded with ToUnicode, {subsets} as subsets")


def _colour(scan: _Scan, standard: str) -> Check:
    problems = []
    if scan.rgb_ops:
        problems.append(f"{scan.rgb_ops} RGB colour operators")
    if scan.bad_spaces:
        problems.append("colour spaces " + ", ".join(sorted(scan.bad_spaces)))
    if scan.bad_images:
        problems.append(f"{len(scan.bad_images)} images in " + ", ".join(sorted(set(scan.bad_images))))
    if problems:
        return Check("colour", FAIL, "; ".join(problems) + " (DeviceCMYK only)")
    return Check("colour", PASS, f"DeviceCMYK/Gray and CMYK separations only; {scan.images} images")


def _overprint(scan: _Scan) -> Check:
    if scan.gray_or_rgb_black_text:
        return Check("black-overprint", FAIL,
                     f"{scan.gray_or_rgb_black_text} black text runs are gray or RGB, not 0/0/0/100 CMYK")
    if scan.black_text_not_overprinted:
        return Check("black-overprint", FAIL, f"{scan.black_text_not_overprinted} of {scan.black_text} black text "
                     "runs do not overprint (need OP/op true, OPM 1)")
    if not scan.black_text:
        return Check("black-overprint", WARN, "no black text found")
    return Check("black-overprint", PASS, f"{scan.black_text} black text runs: 100% K, overprint, OPM 1")


def _colour_overprint(scan: _Scan) -> Check:
    """Only 100% K should overprint: anything else prints darker than the proof, white vanishes."""
    if not scan.overprints:
        return Check("overprint", PASS, "only 100% K overprints")
    white = [o for o in scan.overprints if o[2]]
    kinds = sorted({what for _, what, _ in scan.overprints})
    detail = (f"{len(scan.overprints)} elements overprint that are not 100% K: " + "; ".join(kinds[:4])
              + (f" (+{len(kinds) - 4} more)" if len(kinds) > 4 else "") + f" (page {scan.overprints[0][0]})")
    return Check("overprint", FAIL if white else WARN, detail)


def _hairlines(scan: _Scan, min_line: float) -> Check:
    thin = [h for h in scan.hairlines if h[1] < min_line - 1e-6]
    if thin:
        page, width = min(thin, key=lambda h: h[1])
        return Check("hairlines", FAIL, f"{len(thin)} strokes under {min_line:g} pt, the thinnest {width:.2f} pt "
                     f"(page {page}); they break up on press")
    return Check("hairlines", PASS, f"no stroke under {min_line:g} pt")


def _resolution(scan: _Scan, min_ppi: float) -> Check:
    low = [p for p in scan.picture_ppi if p[1] < min_ppi - 0.5]
    if low:
        page, ppi = min(low, key=lambda p: p[1])
        return Check("resolution", WARN, f"{len(low)} of {len(scan.picture_ppi)} pictures print under {min_ppi:g} ppi, "
                     f"the lowest at {ppi:.0f} ppi (page {page})")
    if not scan.picture_ppi:
        return Check("resolution", PASS, "no pictures")
    return Check("resolution", PASS, f"{len(scan.picture_ppi)} pictures at {min(p for _, p in scan.picture_ppi):.0f} "
                 f"ppi or more (at least {min_ppi:g})")


def _text(pages) -> Check:
    from pagesetter.source.article import count_characters
    chars, bad = 0, 0
    for page in pages:
        text = page.extract_text() or ""
        chars += count_characters(text)
        bad += text.count("\ufffd")
    if bad:
        return Check("text", FAIL, f"{bad} characters extract as U+FFFD (broken ToUnicode)")
    if not chars:
        return Check("text", WARN, "no extractable text")
    return Check("text", PASS, f"{chars} characters extract")


def total_ink(path: Path, limit: float, dpi: int = INK_DPI) -> Check:
    gs = shutil.which("gs")
    if gs is None:
        return Check("total-ink", WARN, "skipped: Ghostscript (gs) is not installed")
    from PIL import Image, ImageMath

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "page-%03d.cmyk"
        cmd = [gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=bitcmyk", "-dGrayValues=256",
               f"-r{dpi}", "-dUseBleedBox", "-dOverprint=/simulate", f"-sOutputFile={out}", str(path)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            return Check("total-ink", FAIL, f"Ghostscript could not render the PDF: {proc.stderr.strip()[:200]}")
        reader = PdfReader(str(path))
        worst, worst_page, over = 0.0, 0, 0
        threshold = int(limit * 255 / 100 + 0.5)
        files = sorted(Path(tmp).glob("page-*.cmyk"))
        for n, f in enumerate(files, 1):
            data = f.read_bytes()
            box = _box(reader.pages[n - 1], "/BleedBox") or [float(v) for v in reader.pages[n - 1].mediabox]
            width = round((box[2] - box[0]) * dpi / 72)
            height = len(data) // 4 // width if width else 0
            if not height:
                continue
            im = Image.frombytes("CMYK", (width, height), data[:width * height * 4])
            c, m, y, k = im.split()
            total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
            peak = total.getextrema()[1] * 100 / 255
            above = ImageMath.lambda_eval(lambda a: a["min"](a["max"](a["t"] - a["cap"], 0), 1), t=total, cap=threshold)
            over += int(sum(i * n for i, n in enumerate(above.convert("L").histogram()[:2])))
            if peak > worst:
                worst, worst_page = peak, n
    figures = f"max {worst:.0f}% on page {worst_page} (limit {limit:g}%, {dpi} dpi CMYK render of the bleed box)"
    if over:
        return Check("total-ink", FAIL, f"{figures}; {over} pixels over the limit")
    return Check("total-ink", PASS, figures)


def failed(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.status == FAIL]
