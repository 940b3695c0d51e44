"""A layout's name: names its PDF, made a safe file name; two pages never land on one file (issue 18)."""

import shutil

import pytest
from click.testing import CliRunner

from pagesetter.app.cli import main
from pagesetter.app.outnames import MAX_STEM_BYTES, pdf_name, safe_stem
from tests.helpers import SEED, SMALL


def page(folder, file="page.yaml", name=None):
    shutil.copy(SEED, folder / "story.md")
    path = folder / file
    path.write_text((f"name: {name}\n" if name is not None else "") + SMALL.replace("ARTICLE", "story.md"),
                    encoding="utf-8")
    return path


def render(*args):
    return CliRunner().invoke(main, ["render", *map(str, args)])


@pytest.mark.parametrize("name, stem", [
    ("第3版 要闻", "第3版 要闻"),
    ("要闻/第3版", "要闻-第3版"),
    ("..\\..\\evil", "-..-evil"),
    ("../../etc/passwd", "-..-etc-passwd"),
    ("a\x00b\x07c\u202ed", "a-b-c-d"),
    ("tab\tand\nnewline", "tab and newline"),
    ("page3.PDF", "page3"),
    ("CON", "CON_"),
    ("版面: 要闻?", "版面- 要闻-"),
    (".hidden. ", "hidden"),
])
def test_a_name_becomes_a_safe_file_name(name, stem):
    assert safe_stem(name) == stem


def test_a_long_name_is_cut_on_a_character():
    stem = safe_stem("要闻" * 200)
    assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES and set(stem) == {"要", "闻"}


def test_render_names_the_pdf_after_name_else_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    named = page(tmp_path, "page-copy.yaml", name="第3版 要闻")
    plain = page(tmp_path, "plain.yaml")
    result = render(named, plain)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == ["plain.pdf", "第3版 要闻.pdf"]
    assert "output/第3版 要闻.pdf" in result.output


def test_a_name_with_path_separators_stays_in_the_output_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = render(page(tmp_path, name="'../要闻/第3版'"), "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["-要闻-第3版.pdf"]
    assert not (tmp_path / "要闻").exists()


def test_an_empty_or_odd_name_falls_back_to_the_file_name(tmp_path):
    assert pdf_name(page(tmp_path, "a.yaml", name="'  '")).file == "a.pdf"
    assert pdf_name(page(tmp_path, "b.yaml", name="[1, 2]")).file == "b.pdf"


def test_o_file_wins_over_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = render(page(tmp_path, name="要闻"), "-o", tmp_path / "mine.pdf")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mine.pdf").exists() and not (tmp_path / "output").exists()


def test_two_layouts_with_one_name_do_not_overwrite_each_other(tmp_path, monkeypatch):
    """A page copied to make another keeps its name: the second is refused, naming both."""
    monkeypatch.chdir(tmp_path)
    first = page(tmp_path, "page3.yaml", name="第3版")
    second = page(tmp_path, "page5.yaml", name="第3版")
    result = render(first, second, "-o", tmp_path / "out")
    assert result.exit_code == 2
    errors = [l for l in result.output.splitlines() if l.startswith("error:")]
    assert errors == [f"error: {second}:1:1: name: '第3版' is also the name: of {first}:1:1: both PDFs would be "
                      "'第3版.pdf', one overwriting the other; give one layout another "
                      "name:, or render it on its own with -o FILE.pdf"], result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["第3版.pdf"]  # the first page's, written once


def edition_file(folder, pages: str):
    path = folder / "ed.yaml"
    path.write_text(f"edition:\n  date: 2021-12-03\npages:\n{pages}", encoding="utf-8")
    return path


def test_edition_pages_are_named_by_name_and_output_wins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    page(tmp_path, "a.yaml", name="第1版")
    page(tmp_path, "b.yaml", name="第2版")
    ed = edition_file(tmp_path, "  - a.yaml\n  - {layout: b.yaml, output: two.pdf}\n")
    result = render(ed, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["two.pdf", "第1版.pdf"]


def test_edition_pages_named_alike_are_refused_before_anything_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    page(tmp_path, "page3.yaml", name="page3")
    page(tmp_path, "page5.yaml", name="page3")  # copied, name: kept
    ed = edition_file(tmp_path, "  - page3.yaml\n  - {layout: page5.yaml, page: 5}\n")
    result = render(ed, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"error: {tmp_path / 'page5.yaml'}:1:1: name: 'page3' is also the name: of {tmp_path / 'page3.yaml'}:1:1: "
        "both PDFs would be 'page3.pdf', one overwriting the other; give one page another "
        "name: in its layout, or an output: in ed.yaml (page 5)")
    assert not (tmp_path / "out").exists()
    # the fix the message gives
    ed.write_text(ed.read_text(encoding="utf-8").replace("page: 5}", "page: 5, output: page5.pdf}"), encoding="utf-8")
    result = render(ed, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["page3.pdf", "page5.pdf"]
