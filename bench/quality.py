"""Composition quality benchmark: how evenly is ordinary news copy set?

    .venv/bin/python bench/quality.py [--no-typst]

The copy is bench/texts/*.txt (economy, technology and community news: numbers,
dates, Latin words, quotes, web addresses; "all" is the three together), and then
bench/texts/more/*.txt, copy written after the targets were set and printed on its
own (dialogue and quotes; stock figures and English names), set in 9 pt Noto Serif SC at several
measures in the default house style, total-fit and first-fit, and — when the
`typst` package is installed (`pip install -e '.[bench]'`) — by Typst on the same
text, font and measure with optimized line breaking and justification.

For every justified line (a paragraph's last line is not) it takes the widest
gap that justification opened, and prints per measure:
  widest   the widest gap of all lines, em
  p95      the 95th percentile of the lines' widest gaps, em
  loose    the share of lines with a gap over 0.25 em
Two gaps are reported: "han" is the space between two ideographs only, read the
same way for both programs (pagesetter from its placed lines, Typst from the
glyph origins in its PDF); "all" is pagesetter's own figure, which also counts
CJK–Latin and word spaces (the opening beyond the style's natural space).
"""

from __future__ import annotations

import argparse
import ctypes
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

MEASURES = (11, 14, 17, 20, 22)
SIZE = 9.0
LOOSE = 0.25


def paragraphs(path: Path) -> list[str]:
    return [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def han_gaps_of_line(line) -> float:
    """The widest space between two ideographs set side by side on a pagesetter line, em."""
    widest = 0.0
    glyphs = line.glyphs
    for a, b in zip(glyphs, glyphs[1:]):
        if is_han(a.char) and is_han(b.char):
            widest = max(widest, b.x - a.x - a.font.advance(a.char))
    return widest


def pagesetter_lines(texts: list[str], measure: float, breaking: str) -> list[tuple[float, float]]:
    from pagesetter.compose.paragraph import compose_paragraph
    from pagesetter.compose.segment import TextFonts
    from pagesetter.compose.style import HouseStyle
    from pagesetter.fonts.metrics import FaceRef, metrics_for

    face = metrics_for(FaceRef(ROOT / "fonts" / "NotoSerifSC-Regular.ttf"))
    fonts = TextFonts(face, face)
    style = HouseStyle(breaking=breaking)
    out = []
    for text in texts:
        for line in compose_paragraph(text, fonts, style, measure):
            if not line.last:
                out.append((han_gaps_of_line(line), line.max_gap))
    return out


def typst_lines(texts: list[str], measure: float) -> list[tuple[float, float]] | None:
    """Typst's justified lines: the widest gap between two ideographs on each, from its PDF."""
    try:
        import typst
    except ImportError:
        return None
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pitch = SIZE * 1.5
    body = "\n\n".join(t.replace("\\", "\\\\").replace("#", "\\#").replace("*", "\\*").replace("_", "\\_")
                       .replace("@", "\\@").replace("<", "\\<").replace("$", "\\$").replace("`", "\\`")
                       .replace("[", "\\[").replace("]", "\\]").replace("/", "\\/") for t in texts)
    doc = f"""#set page(width: {measure * SIZE + 20}pt, height: auto, margin: 10pt)
#set text(font: "Noto Serif SC", size: {SIZE}pt, lang: "zh", region: "cn")
#set par(justify: true, linebreaks: "optimized", leading: {pitch - SIZE}pt, spacing: {3 * pitch}pt,
         first-line-indent: (amount: 2em, all: true))
{body}
"""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "q.typ"
        src.write_text(doc, encoding="utf-8")
        data = typst.compile(str(src), font_paths=[str(ROOT / "fonts")], ignore_system_fonts=True)
    from pagesetter.fonts.metrics import FaceRef, metrics_for
    face = metrics_for(FaceRef(ROOT / "fonts" / "NotoSerifSC-Regular.ttf"))
    pdf = pdfium.PdfDocument(data)
    rows: list[list[tuple[float, str]]] = []
    last_y = None
    for page in pdf:
        tp = page.get_textpage()
        x, y = ctypes.c_double(), ctypes.c_double()
        for i in range(tp.count_chars()):
            ch = tp.get_text_range(i, 1)
            if not ch.strip():
                continue
            raw.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(x), ctypes.byref(y))
            if last_y is None or abs(y.value - last_y) > 1.0:
                rows.append([])
                rows[-1].append((y.value, ""))  # the row's baseline first
                last_y = y.value
            rows[-1].append((x.value, ch))
    out = []
    for k, row in enumerate(rows):
        y = row[0][0]
        following = rows[k + 1][0][0] if k + 1 < len(rows) else None
        if following is None or y - following > pitch * 1.5:
            continue  # a paragraph's last line: not justified
        chars = row[1:]
        widest = 0.0
        for (xa, a), (xb, b) in zip(chars, chars[1:]):
            if is_han(a) and is_han(b):
                widest = max(widest, (xb - xa) / SIZE - face.advance(a))
        out.append((widest, widest))
    return out


def summary(values: list[float]) -> str:
    if not values:
        return "  (no lines)"
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    loose = sum(1 for v in values if v > LOOSE + 1e-9) / len(values)
    return f"widest {values[-1]:.3f}  p95 {p95:.3f}  loose {100 * loose:4.1f}%"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-typst", action="store_true")
    args = ap.parse_args()
    files = sorted((ROOT / "bench" / "texts").glob("*.txt"))
    print(f"{'text':12} {'em':>4}  {'program':28} lines  gaps between ideographs (han) / all gaps")
    for path in files + [None] + sorted((ROOT / "bench" / "texts" / "more").glob("*.txt")):
        texts = paragraphs(path) if path else [p for f in files for p in paragraphs(f)]
        name = path.stem if path else "all"
        for m in MEASURES:
            for label, lines in (("pagesetter total-fit", pagesetter_lines(texts, m, "total-fit")),
                                 ("pagesetter first-fit", pagesetter_lines(texts, m, "first-fit")),
                                 ("typst " + _typst_version(), None if args.no_typst else typst_lines(texts, m))):
                if lines is None:
                    continue
                han = summary([h for h, _ in lines])
                full = summary([a for _, a in lines]) if label.startswith("pagesetter") else ""
                print(f"{name:12} {m:>4}  {label:28} {len(lines):5}  han: {han}   {('all: ' + full) if full else ''}")
        print()


def _typst_version() -> str:
    try:
        import typst
        return getattr(typst, "__version__", "")
    except ImportError:
        return "(not installed)"


if __name__ == "__main__":
    main()
