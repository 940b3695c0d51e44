"""watch never loses work: it catches up with every save, keeps the last good PDF, and outlives bad input."""

import shutil
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from pagesetter.app import pipeline
from pagesetter.app.watch import proof_path, watch

ROOT = Path(__file__).resolve().parents[2]

LAYOUT = """\
date: DATE
page: {size: A4, margins: 20mm}
grid: {columns: 2, gutter: 1字, body: {font: 书宋, size: 9pt, leading: 13.5pt}}
frames:
  a: {column: 1, span: 2, line: 1, lines: LINES}
stories:
  - article: story.md
    frames: [a]
"""


@pytest.fixture
def proj(tmp_path, monkeypatch):
    shutil.copy(ROOT / "articles" / "02-lengshuitan.md", tmp_path / "story.md")
    write(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(proj, date="2021-12-03", lines=40):
    (proj / "page.yaml").write_text(LAYOUT.replace("DATE", date).replace("LINES", str(lines)), encoding="utf-8")


def text_of(pdf: Path) -> str:
    return "".join(PdfReader(pdf).pages[0].extract_text().split())


def run_watch(proj, steps, renders):
    """Watch page.yaml; ``steps[n]`` (a function) runs after render n. Returns the messages."""
    messages = []

    def after(n):
        if n in steps:
            steps[n]()

    thread = threading.Thread(target=watch, args=(proj / "page.yaml", proj / "out.pdf"), daemon=True,
                              kwargs=dict(echo=messages.append, options={}, interval=0.02, max_renders=renders,
                                          on_render=after))
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), f"watch did not catch up: {messages}"
    return messages


def test_a_save_made_during_a_render_is_rendered(proj, monkeypatch):
    real = pipeline.render_layout
    calls = []

    def render_and_save_meanwhile(*args, **kwargs):
        calls.append(1)
        result = real(*args, **kwargs)
        if len(calls) == 1:  # the editor saves while the first render is still writing
            story = proj / "story.md"
            story.write_text(story.read_text(encoding="utf-8").replace("11月25日下午", "11月26日上午"),
                             encoding="utf-8")
        return result

    monkeypatch.setattr(pipeline, "render_layout", render_and_save_meanwhile)
    messages = run_watch(proj, {}, renders=2)
    assert len(calls) == 2, messages
    assert "11月26日上午" in text_of(proj / "out.pdf")


def test_an_overset_save_keeps_the_last_good_pdf(proj):
    def overset():
        write(proj, lines=5)

    def fixed():
        write(proj, lines=40)

    messages = run_watch(proj, {1: overset, 2: lambda: None}, renders=2)
    good = (proj / "out.pdf").read_bytes()
    assert "11月25日下午" in text_of(proj / "out.pdf")
    assert proof_path(proj / "out.pdf").is_file()
    assert any("overset: proof written to" in m and "out.overset.pdf" in m and "keeps the last page" in m
               for m in messages), messages
    assert (proj / "out.pdf").read_bytes() == good
    run_watch(proj, {1: fixed}, renders=2)
    assert not proof_path(proj / "out.pdf").exists()


def _png_header(path: Path, width: int, height: int) -> None:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IEND", b""))


def test_watch_outlives_bad_input_and_recovers(proj, monkeypatch):
    def bad_date():
        write(proj, date="2021-02-30")

    def huge_picture():
        write(proj)
        _png_header(proj / "huge.png", 30000, 30000)
        with (proj / "page.yaml").open("a", encoding="utf-8") as f:
            f.write("images:\n  - {file: huge.png, column: 1, line: 41, lines: 5}\n")

    def a_bug():
        write(proj)
        monkeypatch.setattr(pipeline, "compose_layout", lambda *a, **k: 1 / 0)

    def fixed():
        monkeypatch.undo()
        monkeypatch.chdir(proj)
        write(proj)
        story = proj / "story.md"
        story.write_text(story.read_text(encoding="utf-8").replace("11月25日下午", "11月27日晚"), encoding="utf-8")

    messages = run_watch(proj, {1: bad_date, 2: huge_picture, 3: a_bug, 4: fixed}, renders=5)
    errors = [m for m in messages if "error:" in m]
    assert len(errors) == 3, messages
    assert "not a real date" in errors[0] and "pixels" in errors[1] and "internal error" in errors[2]
    assert "11月27日晚" in text_of(proj / "out.pdf")
