"""The project root: a render reads only files inside it, and only regular files."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from pagesetter.app.cli import main
from tests.helpers import SEED, SMALL
from pagesetter.errors import PagesetterError
from pagesetter.layout.loader import load_layout, load_style_file
from pagesetter.source.paths import default_root

ROOT = Path(__file__).resolve().parents[2]


def project(tmp_path, article="story.md", extra=""):
    """A project folder with one article; the current directory is made the project."""
    proj = tmp_path / "proj"
    proj.mkdir()
    shutil.copy(SEED, proj / "story.md")
    layout = proj / "page.yaml"
    layout.write_text(SMALL.replace("ARTICLE", str(article)) + extra, encoding="utf-8")
    return proj, layout


def render(*args):
    return CliRunner().invoke(main, ["render", *map(str, args)])


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("TOPSECRET-passw0rd\n", encoding="utf-8")
    return path


def test_the_default_root_is_the_current_directory_or_the_layouts_folder(tmp_path, monkeypatch):
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    (inner / "l.yaml").write_text("x: 1")
    assert default_root(inner / "l.yaml", cwd=tmp_path) == tmp_path.resolve()
    other = tmp_path / "elsewhere"
    other.mkdir()
    assert default_root(inner / "l.yaml", cwd=other) == inner.resolve()


@pytest.mark.parametrize("article", ["../secret.txt", "SECRET", "/proc/self/environ", "/etc/passwd"])
def test_an_article_outside_the_root_is_refused(tmp_path, monkeypatch, secret, article):
    proj, layout = project(tmp_path, article.replace("SECRET", str(secret)))
    monkeypatch.chdir(proj)
    result = render(layout, "-o", tmp_path / "out.pdf")
    assert result.exit_code == 2, result.output
    assert "stories[0].article" in result.output and "outside the project root" in result.output
    assert "TOPSECRET" not in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "out.pdf").exists()


def test_a_symlink_out_of_the_root_is_refused(tmp_path, monkeypatch, secret):
    proj, layout = project(tmp_path, "link.md")
    (proj / "link.md").symlink_to(secret)
    monkeypatch.chdir(proj)
    result = render(layout, "-o", tmp_path / "out.pdf")
    assert result.exit_code == 2 and "stories[0].article" in result.output
    assert "outside the project root" in result.output


def test_root_option_widens_the_root(tmp_path, monkeypatch):
    proj, layout = project(tmp_path, "../shared.md")
    shutil.copy(SEED, tmp_path / "shared.md")
    monkeypatch.chdir(proj)
    assert render(layout, "-o", tmp_path / "o.pdf").exit_code == 2
    result = render(layout, "--root", tmp_path, "-o", tmp_path / "o.pdf")
    assert result.exit_code == 0, result.output
    # and a --root that does not hold the layout is refused
    result = render(layout, "--root", tmp_path / "proj" / "..", "-o", tmp_path / "o.pdf")
    assert result.exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = render(layout, "--root", elsewhere, "-o", tmp_path / "o.pdf")
    assert result.exit_code == 2 and "outside the project root" in result.output


def test_picture_style_font_and_profile_outside_the_root_are_refused(tmp_path, monkeypatch, secret):
    cases = {
        "images:\n  - {file: SECRET, column: 1, line: 52, lines: 5}\n": "images[0].file",
        "style: SECRET\n": "style.include",
        "fonts: {dirs: [/usr/share]}\n": "fonts.dirs[0]",
        "fonts: {families: {x: {regular: SECRET}}}\n": "fonts.families.x.regular",
        "print: {standard: X-4, press: {identifier: X, profile: SECRET}}\n": "print.press.profile",
    }
    for extra, field in cases.items():
        base = tmp_path / field.replace(".", "_").replace("[", "").replace("]", "")
        base.mkdir()
        proj, layout = project(base, extra=extra.replace("SECRET", str(secret)))
        monkeypatch.chdir(proj)
        result = render(layout, "-o", tmp_path / "out.pdf")
        assert result.exit_code == 2, (field, result.output)
        assert field in result.output and "outside the project root" in result.output, result.output
        assert "TOPSECRET" not in result.output


def test_a_profile_that_is_not_icc_is_refused(tmp_path, monkeypatch):
    proj, layout = project(tmp_path, extra="print: {standard: X-4, press: {identifier: X, profile: p.icc}}\n")
    (proj / "p.icc").write_text("root:x:0:0:root:/root:/bin/bash\n" * 10)
    monkeypatch.chdir(proj)
    result = render(layout, "-o", tmp_path / "out.pdf")
    assert result.exit_code == 2 and "print.press.profile" in result.output and "not an ICC profile" in result.output
    assert "root:x" not in result.output


def test_a_style_file_never_has_its_content_quoted(tmp_path, secret):
    for path in (secret, tmp_path / "list.yaml"):
        if path.suffix == ".yaml":
            path.write_text("- TOPSECRET-one\n- two\n")
        with pytest.raises(PagesetterError) as err:
            load_style_file(path)
        assert "TOPSECRET" not in str(err.value)
    result = CliRunner().invoke(main, ["copyfit", str(SEED), "--measure", "14字", "--size", "9pt",
                                       "--style", str(secret)])
    assert result.exit_code == 2 and "TOPSECRET" not in result.output


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _no_hang(fn, seconds=20):
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("result", fn()), daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():  # unblock the reader, then fail
        pytest.fail("hung on a FIFO")
    return box["result"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_fifos_are_never_opened(tmp_path, monkeypatch):
    proj, layout = project(tmp_path, "pipe.md", extra="fonts: {dirs: [fonts]}\n")
    _fifo(proj / "pipe.md")
    (proj / "fonts").mkdir()
    _fifo(proj / "fonts" / "evil.ttf")
    monkeypatch.chdir(proj)
    result = _no_hang(lambda: render(layout, "-o", tmp_path / "out.pdf"))
    assert result.exit_code == 2 and "stories[0].article" in result.output and "not a regular file" in result.output
    # a FIFO named *.ttf in a font folder is passed over, also from --font-dir
    layout.write_text(SMALL.replace("ARTICLE", "story.md") + "fonts: {dirs: [fonts]}\n")
    result = _no_hang(lambda: render(layout, "--font-dir", proj / "fonts", "-o", tmp_path / "out.pdf"))
    assert result.exit_code == 0, result.output
    # a FIFO given as the layout
    result = _no_hang(lambda: render(_fifo(proj / "pipe.yaml"), "-o", tmp_path / "out.pdf"))
    assert result.exit_code == 2 and "not a regular file" in result.output


def test_edition_pages_must_lie_inside_the_root(tmp_path, monkeypatch):
    proj, layout = project(tmp_path)
    outside = tmp_path / "other.yaml"
    outside.write_text(SMALL.replace("ARTICLE", str(SEED)))
    (proj / "ed.yaml").write_text(f"pages:\n  - page.yaml\n  - {outside}\n")
    monkeypatch.chdir(proj)
    result = render(proj / "ed.yaml", "-o", tmp_path / "out")
    assert result.exit_code == 2 and "pages[1].layout" in result.output and "outside the project root" in result.output


def test_bundled_fonts_stay_trusted_and_the_seed_layout_loads(monkeypatch):
    monkeypatch.chdir(ROOT)
    layout = load_layout(ROOT / "layouts" / "page3.yaml")
    assert layout.root == ROOT.resolve() and len(layout.stories) == 11


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_galley_and_copyfit_never_open_a_fifo(tmp_path):
    pipe = _fifo(tmp_path / "pipe.md")
    for args in (["galley", str(pipe), "-o", str(tmp_path / "g.pdf")],
                 ["copyfit", str(pipe), "--measure", "14字", "--size", "9pt"]):
        result = _no_hang(lambda: CliRunner().invoke(main, args))
        assert result.exit_code == 2 and "not a regular file" in result.output, result.output


def test_check_fails_a_pdf_whose_output_profile_is_not_icc(tmp_path, monkeypatch):
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    proj, layout = project(tmp_path)
    monkeypatch.chdir(proj)
    assert render(layout, "-o", tmp_path / "good.pdf").exit_code == 0
    writer = PdfWriter(clone_from=PdfReader(tmp_path / "good.pdf"))
    stream = DecodedStreamObject()
    stream.set_data(b"root:x:0:0:root:/root:/bin/bash\n" * 8)
    intent = writer._root_object["/OutputIntents"][0].get_object()
    intent[NameObject("/DestOutputProfile")] = writer._add_object(stream)
    writer.write(tmp_path / "bad.pdf")
    result = CliRunner().invoke(main, ["check", "--no-ink", str(tmp_path / "bad.pdf")])
    assert result.exit_code == 1 and "not an ICC profile" in result.output, result.output
    assert "root:x" not in result.output


def test_a_bad_root_is_reported_before_the_layout_is_read(tmp_path, monkeypatch):
    # render tells a page layout from an edition by its YAML; the --root check still comes first
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.yaml").write_text("name: x\npage: [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["render", "broken.yaml", "--root", str(tmp_path / "nowhere"), "-o",
                                       str(tmp_path / "b.pdf")])
    assert result.exit_code == 2
    assert "project root" in result.output and "nowhere" in result.output


@pytest.mark.parametrize("extra, field", [
    ("index: {column: 1, span: 2, line: 1, lines: 4, stories: [{article: SECRET, page: 2}]}\n",
     "index.stories[0].article"),
    ("tables:\n  - {file: SECRET, frames: [a]}\n", "tables[0].file"),
    ("date: 2026-11-30\nmasthead: {column: 1, span: 2, line: 1, lines: 4, name: {picture: SECRET}}\n",
     "masthead.name.picture"),
])
def test_index_entries_tables_and_masthead_pictures_outside_the_root_are_refused(tmp_path, monkeypatch, secret,
                                                                                  extra, field):
    proj, layout = project(tmp_path, extra=extra.replace("SECRET", str(secret)))
    monkeypatch.chdir(proj)
    result = render(layout, "-o", tmp_path / "out.pdf")
    assert result.exit_code == 2, result.output
    assert field in result.output and "outside the project root" in result.output, result.output
    assert "TOPSECRET" not in result.output and len(result.output.strip().splitlines()) == 1
