"""Format characters — joiners, zero-width spaces, variation selectors, soft hyphens — have no glyph
of their own, but stay in the PDF's text layer (as ActualText), so copying the text loses nothing."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pagesetter.app.cli import main

ROOT = Path(__file__).resolve().parents[2]

LAYOUT = """\
page: {size: A4, margins: 20mm}
grid: {columns: 2, gutter: 1字, body: {font: 书宋, size: 9pt, leading: 13.5pt}}
frames:
  a: {column: 1, span: 2, line: 1, lines: 20}
  h: {column: 2, line: 22, lines: 10}
  bb: {column: 2, line: 34, lines: 10}
stories:
  - article: a.md
    frames: [a]
  - article: b.md
    frames: [bb]
    headline: {title: "竖\u200d排", frame: h, direction: vertical}
"""

TEXT = "中\u200d文\u200b测\ufe0f试\u00adword Soft\u00adhyphen 字\U000E0100。"


@pytest.mark.parametrize("where", ["body", "headline", "caption"])
def test_format_characters_stay_in_the_text_layer(tmp_path, monkeypatch, where):
    import pypdfium2 as pdfium
    monkeypatch.chdir(tmp_path)
    body = TEXT if where == "body" else "正文。"
    title = TEXT if where == "headline" else "标题"
    (tmp_path / "a.md").write_text(f"---\ntitle: \"{title}\"\n---\n\n{body}\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: 乙\n---\n\n正文。\n", encoding="utf-8")
    layout = LAYOUT
    if where == "caption":
        from PIL import Image
        Image.new("L", (450, 517), 128).save(tmp_path / "p.png")
        layout += f"images:\n  - {{file: p.png, column: 1, line: 22, lines: 14, caption: \"{TEXT}\"}}\n"
    (tmp_path / "p.yaml").write_text(layout, encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(tmp_path / "p.yaml"), "-o", str(tmp_path / "p.pdf")])
    assert result.exit_code == 0, result.output
    document = pdfium.PdfDocument(str(tmp_path / "p.pdf"))
    text = document[0].get_textpage().get_text_range()
    document.close()
    # what a reader copies (pdfium drops the supplementary variation selector itself; poppler keeps it)
    assert TEXT.replace("\U000E0100", "") in text.replace("\r\n", "")
    assert "竖\u200d排" in text.replace("\r\n", "")
    # the ActualText holds every character, the supplementary plane's too
    from pypdf import PdfReader
    stream = PdfReader(tmp_path / "p.pdf").pages[0].get_contents().get_data().decode("latin-1")
    actual = [bytes.fromhex(h).decode("utf-16") for h in re.findall(r"/ActualText <([0-9A-F]+)>", stream)]
    assert TEXT in "".join(actual) or any(TEXT.startswith(a) for a in actual)
