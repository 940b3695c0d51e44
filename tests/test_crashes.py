"""Inputs that used to crash or hang: each is now one line and exit 2."""

import shutil
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from pagesetter.app.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "articles" / "02-lengshuitan.md"

SMALL = """\
date: DATE
page: {size: A4, margins: 20mm}
grid: {columns: 2, gutter: 1字, body: {font: 书宋, size: 9pt, leading: 13.5pt}}
frames:
  a: {column: 1, span: 2, line: 1, lines: 40}
stories:
  - article: story.md
    frames: [a]
    headline: {size: 20pt}
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_error_line(result, code=2):
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    errors = [l for l in result.output.splitlines() if l.startswith("error:")]
    assert len(errors) == 1, result.output
    return errors[0]


@pytest.fixture
def proj(tmp_path, monkeypatch):
    proj = tmp_path / "proj"
    proj.mkdir()
    shutil.copy(SEED, proj / "story.md")
    (proj / "page.yaml").write_text(SMALL.replace("DATE", "2021-12-03"), encoding="utf-8")
    monkeypatch.chdir(proj)
    return proj


def test_an_impossible_date_in_a_layout(proj):
    (proj / "page.yaml").write_text(SMALL.replace("DATE", "2021-02-30"), encoding="utf-8")
    line = one_error_line(run("render", proj / "page.yaml", "-o", proj / "o.pdf"))
    assert "page.yaml:1:7" in line and "2021-02-30" in line and "not a real date" in line


def test_an_impossible_date_in_an_edition(proj):
    (proj / "ed.yaml").write_text("edition: {date: 2021-02-30}\npages: [page.yaml]\n", encoding="utf-8")
    line = one_error_line(run("render", proj / "ed.yaml", "-o", proj / "out"))
    assert "ed.yaml:1:17" in line and "not a real date" in line


def test_an_impossible_date_in_front_matter(proj):
    text = SEED.read_text(encoding="utf-8").replace("---\n", "---\nsource_note: 2021-02-30\n", 1)
    (proj / "story.md").write_text(text, encoding="utf-8")
    line = one_error_line(run("render", proj / "page.yaml", "-o", proj / "o.pdf"))
    assert "story.md:2" in line and "not a real date" in line


def _png_header(path: Path, width: int, height: int) -> Path:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))
    return path


def test_a_png_declaring_30000_by_30000_pixels(proj):
    _png_header(proj / "huge.png", 30000, 30000)
    with (proj / "page.yaml").open("a", encoding="utf-8") as f:
        f.write("images:\n  - {file: huge.png, column: 1, line: 42, lines: 5}\n")
    line = one_error_line(run("render", proj / "page.yaml", "-o", proj / "o.pdf"))
    assert "images[0].file" in line and "huge.png" in line and "pixels" in line


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "9e99"])
def test_tracking_that_is_not_a_number_is_refused(proj, value):
    text = SMALL.replace("DATE", "2021-12-03").replace("headline: {size: 20pt}",
                                                       f"headline: {{size: 20pt, tracking: {value}}}")
    (proj / "page.yaml").write_text(text, encoding="utf-8")
    line = one_error_line(run("render", proj / "page.yaml", "-o", proj / "o.pdf"))
    assert "headline.tracking" in line
    assert not (proj / "o.pdf").exists()


def test_check_on_a_damaged_pdf(proj, tmp_path):
    assert run("render", proj / "page.yaml", "-o", proj / "o.pdf").exit_code == 0
    data = (proj / "o.pdf").read_bytes()
    for n, (old, new) in enumerate([(b"/MediaBox", b"/MediaBax"), (b"/Root", b"/Rooo"), (b"", b"")]):
        damaged = tmp_path / f"d{n}.pdf"
        damaged.write_bytes(data.replace(old, new, 1) if old else data[: len(data) // 3])
        result = run("check", "--no-ink", damaged)
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output


@pytest.mark.parametrize("option, value", [("--size", "0pt"), ("--size", "-3pt"), ("--leading", "0pt"),
                                           ("--page", "1mm x 1mm"), ("--margin", "200mm"), ("--measure", "0字")])
def test_galley_with_impossible_sizes(proj, option, value):
    line = one_error_line(run("galley", proj / "story.md", option, value, "-o", proj / "g.pdf"))
    assert line.startswith("error:")
