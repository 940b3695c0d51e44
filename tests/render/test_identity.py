"""A PDF's identity: trailer /ID and XMP identifiers from its content, subset tags from its glyphs."""

import hashlib
import re

from pypdf import PdfReader

from tests.print.pressfiles import ARTICLE, need_swop, render, small_layout


def _render(tmp_path, name, text=ARTICLE, **kw):
    folder = tmp_path / name
    folder.mkdir()
    result, pdf = render(small_layout(folder, text=text, **kw), folder / "page.pdf")
    assert result.exit_code == 0, result.output
    return pdf


def _xmp(pdf):
    return PdfReader(pdf).trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def test_same_input_same_bytes_any_change_a_new_id(tmp_path):
    a, b = _render(tmp_path, "a"), _render(tmp_path, "b")
    assert a.read_bytes() == b.read_bytes()
    corrected = _render(tmp_path, "c", text=ARTICLE.replace("12公里", "13公里"))
    ids = [PdfReader(p).trailer["/ID"][0] for p in (a, corrected)]
    assert ids[0] != ids[1]
    doc_ids = [re.search(r"<xmpMM:DocumentID>(.*?)<", _xmp(p)).group(1) for p in (a, corrected)]
    assert doc_ids[0] != doc_ids[1] and doc_ids[0].startswith("uuid:")


def test_id_is_the_hash_of_the_content(tmp_path):
    pdf = _render(tmp_path, "a")
    data = pdf.read_bytes()
    digest = PdfReader(pdf).trailer["/ID"][0].original_bytes.hex()
    blank = data.replace(digest.encode(), b"0" * 32)
    uuid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:]}"
    blank = blank.replace(uuid.encode(), re.sub(r"[0-9a-f]", "0", uuid).encode())
    blank = blank.replace(f"VersionID>{digest[:16]}<".encode(), b"VersionID>" + b"0" * 16 + b"<")
    assert hashlib.md5(blank).hexdigest() == digest


def test_pdfx4_xmp_has_document_and_version_ids_and_rendition_class(tmp_path):
    swop = need_swop()
    pdf = _render(tmp_path, "x4", print_=f"print: {{standard: PDF/X-4, press: {{identifier: SWOP test, profile: {swop}}}}}")
    xmp = _xmp(pdf)
    digest = PdfReader(pdf).trailer["/ID"][0].original_bytes.hex()
    assert re.search(r"<xmpMM:DocumentID>uuid:[0-9a-f-]{36}</xmpMM:DocumentID>", xmp)
    assert f"<xmpMM:VersionID>{digest[:16]}</xmpMM:VersionID>" in xmp
    assert "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>" in xmp
    from pagesetter.print.preflight import failed, preflight
    assert failed(preflight(pdf, ink=False)) == []


def _subsets(pdf):
    """BaseFont → digest of the embedded font program."""
    out = {}
    for font in PdfReader(pdf).pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        program = font["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
        out[str(font["/BaseFont"])] = hashlib.sha256(program).hexdigest()
    return out


def test_a_subset_tag_never_names_two_programs(tmp_path):
    pages = [_subsets(_render(tmp_path, n, text=t)) for n, t in (
        ("a", ARTICLE), ("b", ARTICLE.replace("居民说", "市民们讲")), ("c", ARTICLE))]
    seen = {}
    for subsets in pages:
        for name, program in subsets.items():
            assert seen.setdefault(name, program) == program, f"{name} names two different font programs"
            assert re.match(r"/[A-Z]{6}\+", name)
    assert pages[0] == pages[2]  # the same glyphs: the same tags
    assert set(pages[0]) != set(pages[1])
