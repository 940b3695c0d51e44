"""The text layer reads back as the articles: archives and web desks copy it from the printed page."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pagesetter.source.article import Subhead, load_article

ROOT = Path(__file__).resolve().parents[2]


def blocks():
    for path in sorted((ROOT / "articles").glob("*.md")):
        for block in load_article(path).blocks:
            yield from (block.lines if isinstance(block, Subhead) else [block.text])


def exact_share(text: str) -> tuple[int, list[str]]:
    joined = text.replace("\r\n", "\n").replace("\n", "")
    missing = [b for b in blocks() if b not in joined]
    return len(list(blocks())), missing


def test_pdfium_extracts_every_paragraph_exactly(demo_pdf):
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(demo_pdf))
    total, missing = exact_share(pdf[0].get_textpage().get_text_range())
    assert total > 60 and not missing, f"{len(missing)} of {total} blocks differ, e.g. {missing[:2]}"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils' pdftotext is not installed")
def test_pdftotext_raw_extracts_every_paragraph_and_no_line_is_only_punctuation(demo_pdf):
    text = subprocess.run(["pdftotext", "-raw", str(demo_pdf), "-"], capture_output=True, text=True).stdout
    total, missing = exact_share(text)
    assert not missing, f"{len(missing)} of {total} blocks differ, e.g. {missing[:2]}"
    assert not [l for l in text.splitlines() if l.strip() and re.fullmatch(r"[\s，。、；：？！“”‘’（）《》—…·]+", l)]
