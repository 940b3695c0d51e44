"""pdftotext, pdfium and PyMuPDF each read back every paragraph exactly (issue 18): no space
invented between Chinese and Latin or digits, none at a justified gap, no line split at a
compressed mark; and the widened advances that make MuPDF do so keep the PDF consistent."""

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pagesetter.app.cli import main
from pagesetter.source.article import Subhead, load_article

ROOT = Path(__file__).resolve().parents[2]

pymupdf = pytest.importorskip("pymupdf", reason="PyMuPDF is a test extra (pip install -e '.[test]')")


def paragraphs(paths) -> list[str]:
    out = []
    for path in paths:
        for block in load_article(path).blocks:
            out.extend(block.lines if isinstance(block, Subhead) else [block.text])
    return out


def missing(text: str, blocks: list[str]) -> list[str]:
    joined = text.replace("\r\n", "\n").replace("\n", "")
    return [b for b in blocks if b not in joined]


def extracted(pdf: Path) -> dict[str, str]:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    texts = {"pdfium": "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))}
    with pymupdf.open(str(pdf)) as mu:
        texts["PyMuPDF"] = "".join(page.get_text() for page in mu)  # default flags
    if shutil.which("pdftotext"):
        texts["pdftotext -raw"] = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                                                 text=True, check=True).stdout
    return texts


def test_pdfium_and_pymupdf_read_every_demo_paragraph_exactly(demo_pdf):
    blocks = paragraphs(sorted((ROOT / "articles").glob("*.md")))
    assert len(blocks) == 66
    for tool, text in extracted(demo_pdf).items():
        lost = missing(text, blocks)
        assert not lost, f"{tool}: {len(blocks) - len(lost)} of {len(blocks)} exact; e.g. {lost[:2]}"


COPY = """\
---
title: 混排测试
---

11月22日，娄星区召开2021年第3次会议，GDP增长8.1%，达到114.4万亿元。

据Reuters报道，Apple公司的iPhone 13在“双11”期间售出2300万台，同比增长17%。

他说：“我们要‘先行先试’，把5G、AI和IoT用到田间地头。”……这是第2个试点。

第1版到第24版共有36篇稿件，其中A股上市公司12家，www.gov.cn/zwgk转载了其中3篇。

Tim Cook said the results were “better than expected” on 28 October.
"""



def render_copy(folder, text: str, measure: str):
    """``text`` as copy.md, set in one frame ``measure`` wide on an A4 page (default house style)."""
    (folder / "copy.md").write_text(text, encoding="utf-8")
    layout = folder / "page.yaml"
    layout.write_text(f"""\
page: {{size: A4, margins: 20mm}}
grid: {{columns: 2, gutter: 1字, body: {{font: 书宋, size: 9pt, leading: 13.5pt}}}}
frames:
  a: {{x: 0字, measure: {measure}, line: 1, lines: 53}}
stories:
  - article: copy.md
    frames: [a]
""", encoding="utf-8")
    out = folder / "page.pdf"
    result = CliRunner().invoke(main, ["render", str(layout), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out

@pytest.mark.parametrize("measure", ["9字", "23字"])
def test_own_copy_at_two_measures_reads_back_exactly(tmp_path, measure):
    out = render_copy(tmp_path, COPY, measure)
    blocks = paragraphs([tmp_path / "copy.md"])
    for tool, text in extracted(out).items():
        lost = missing(text, blocks)
        assert not lost, f"{tool} at {measure}: {lost}"


def test_widened_advances_agree_with_the_embedded_fonts(demo_pdf):
    """Each embedded subset's /Widths are its font program's advances, so any renderer places
    the glyphs alike; Latin glyphs advance further than the plain face's."""
    import io

    from fontTools.ttLib import TTFont
    widened = 0
    with pymupdf.open(str(demo_pdf)) as doc:
        for xref in range(1, doc.xref_length()):
            if doc.xref_get_key(xref, "Subtype") != ("name", "/TrueType"):
                continue
            widths = [int(float(w)) for w in doc.xref_get_key(xref, "Widths")[1].strip("[]").split()]
            descriptor = int(doc.xref_get_key(xref, "FontDescriptor")[1].split()[0])
            program = int(doc.xref_get_key(descriptor, "FontFile2")[1].split()[0])
            font = TTFont(io.BytesIO(doc.xref_stream(program)))
            scale = 1000 / font["head"].unitsPerEm
            codes = font["cmap"].getcmap(1, 0).cmap  # ReportLab's subsets: code → glyph
            assert codes
            for code, glyph in codes.items():
                assert widths[code] == round(font["hmtx"][glyph][0] * scale), (doc.xref_get_key(xref, "BaseFont"), code)
            widened += "-x" in doc.xref_get_key(xref, "BaseFont")[1]
    assert widened > 0


HYPHENATED = "本次活动由Internationalization工作组与当地高校联合主办。据《NatureBiotechnology》报道，typesetting与hyphenation的研究取得了新的进展。"


def test_hyphenated_words_read_back_whole(tmp_path):
    """A hyphen set at a line's end is a glyph only: every extractor reads the words whole."""
    from pagesetter.compose.paragraph import compose_paragraph
    from pagesetter.compose.style import HouseStyle
    from pagesetter.fonts.faces import text_fonts
    from pagesetter.fonts.registry import FontRegistry

    lines = compose_paragraph(HYPHENATED, text_fonts(FontRegistry.default().resolve("body"), HouseStyle()),
                              HouseStyle(), 11)
    assert sum(line.glyphs[-1].char == "-" and line.text[-1].isalpha() for line in lines) >= 2
    out = render_copy(tmp_path, f"---\ntitle: 断词\n---\n\n{HYPHENATED}\n", "11字")
    for tool, text in extracted(out).items():
        assert not missing(text, [HYPHENATED]), f"{tool}: {text!r}"
