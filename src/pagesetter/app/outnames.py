"""The file a page's PDF gets when nobody names it: the layout's ``name:``, made safe as a file
name, else the layout file's name. Two pages landing on one name are refused, never overwritten
(``claim``): a plate made from the wrong page is the one mistake a production desk cannot undo."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pagesetter.errors import PagesetterError

# Windows and macOS refuse these (and a share or a USB stick may be either)
_BAD = set('/\\:*?"<>|')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
MAX_STEM_BYTES = 180  # room for ".overset.pdf", "-12.png" and the atomic writer's temporary name in 255


@dataclass(frozen=True)
class PdfName:
    file: str                               # "第3版.pdf"
    layout: Path
    mark: tuple[int, int] | None = None     # where the layout's name: is, when it names the file
    name: str | None = None                 # the name: as written

    def where(self) -> str:
        return f"{self.layout}:{self.mark[0]}:{self.mark[1]}" if self.mark else str(self.layout)


def safe_stem(name: str) -> str:
    """``name`` as a file name without its folder: path separators, characters Windows refuses and
    control characters become "-", leading dots and trailing dots and spaces go, a device name
    (CON, NUL …) gets "_", and it is cut to MAX_STEM_BYTES of UTF-8. Chinese is kept as it is."""
    name = unicodedata.normalize("NFC", name)
    out = []
    for ch in name:
        if ch.isspace():
            out.append(" ")
        elif ch in _BAD or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            out.append("-")
        else:
            out.append(ch)
    stem = " ".join("".join(out).split())
    if stem.lower().endswith(".pdf"):
        stem = stem[:-4]
    stem = stem.lstrip(". ").rstrip(". ")
    while len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = stem[:-1].rstrip(". ")
    if stem.split(".")[0].upper() in _RESERVED:
        stem += "_"
    return stem


def pdf_name(layout: Path) -> PdfName:
    """The PDF file name of ``layout`` (a page layout, not an edition). A layout that cannot be
    read, or whose name: is not text, is named after its file: its render says what is wrong."""
    from pagesetter.source.paths import regular_file
    from pagesetter.source.yamlsource import YMap, load_yaml_file
    layout = Path(layout)
    fallback = PdfName(f"{layout.stem}.pdf", layout)
    try:
        data = load_yaml_file(regular_file(layout, what="layout"))
    except (PagesetterError, OSError):
        return fallback
    name = data.get("name") if isinstance(data, dict) else None
    if not isinstance(name, str):
        return fallback
    stem = safe_stem(name)
    if not stem:
        return fallback
    mark = data.marks.get("name") if isinstance(data, YMap) else None
    return PdfName(f"{stem}.pdf", layout, mark, name)


class Claims:
    """Output files taken so far in one run: a second page on a taken file is an error naming both
    layouts and how to tell them apart."""

    def __init__(self) -> None:
        self.taken: dict[Path, PdfName] = {}

    def claim(self, path: Path, named: PdfName, fix: str) -> Path:
        real = Path(path).resolve()
        first = self.taken.get(real)
        if first is not None and Path(first.layout).resolve() != Path(named.layout).resolve():
            raise clash(path, first, named, fix)
        self.taken.setdefault(real, named)
        return path


def clash(path: Path, first: PdfName, second: PdfName, fix: str) -> PagesetterError:
    """One line: where the second page's name comes from, the first page it clashes with, the fix."""
    if second.mark and first.mark:
        why = (f"{second.name!r} is also the name: of {first.where()}" if second.name == first.name else
               f"{second.name!r} and the name: {first.name!r} of {first.where()} make one file name")
    else:
        why = f"this page's PDF and that of {first.where()} have one name"
    return PagesetterError(f"{why}: both PDFs would be {Path(path).name!r}, one overwriting the other; {fix}",
                           file=str(second.layout), line=second.mark[0] if second.mark else None,
                           column=second.mark[1] if second.mark else None, field="name" if second.mark else None)
