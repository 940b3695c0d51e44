"""render's own structural preflight reads the written bytes: it passes what check passes and fails what it fails."""

import pytest

from pagesetter.print.preflight import failed, preflight
from pagesetter.render import selfcheck


@pytest.fixture(scope="module")
def good(demo_pdf):
    return demo_pdf.read_bytes()


def broken(data: bytes, old: bytes, new: bytes) -> bytes:
    assert len(old) == len(new) and old in data  # same length keeps the xref offsets right
    return data.replace(old, new)


def test_the_demo_passes_both(good, demo_pdf):
    assert selfcheck.problems(good, "PDF/X-1a:2003") == []
    assert failed(preflight(demo_pdf, ink=False, content=False)) == []


@pytest.mark.parametrize("old,new,expected", [
    (b"/TrimBox", b"/TrimXox", "page-boxes: page 1: missing TrimBox"),
    (b"/Trapped /False", b"/Trapped /Maybe", "Trapped is not True or False"),
    (b"/GTS_PDFXVersion", b"/GTS_PDFXVersiox", "no GTS_PDFXVersion"),
    (b"/S /GTS_PDFX", b"/S /GTS_PDFY", "output-intent"),
    (b"/FontFile2", b"/FontFileX", "not embedded"),
    (b"/ToUnicode", b"/ToUnicodX", "has no ToUnicode"),
])
def test_each_broken_structure_is_caught(good, tmp_path, old, new, expected):
    data = broken(good, old, new)
    found = selfcheck.problems(data, "PDF/X-1a:2003")
    assert any(expected in p for p in found), found
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    assert failed(preflight(path, ink=False, content=False)), "the full preflight should fail it too"


def test_nested_boxes(good):
    import re
    m = re.search(rb"/TrimBox \[ ([\d.]+) ", good)
    wide = b"0".rjust(len(m.group(1)))  # trim box starts left of the bleed box
    assert any("not nested" in p for p in selfcheck.problems(good.replace(m.group(0), b"/TrimBox [ " + wide + b" "),
                                                                "PDF/X-1a:2003"))


def test_not_a_pdf():
    assert selfcheck.problems(b"hello", "PDF/X-1a:2003") == ["parse: no PDF header"]
    assert selfcheck.problems(b"%PDF-1.4\nnothing", "PDF/X-1a:2003") == ["parse: no objects"]
