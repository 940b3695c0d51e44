"""Outputs: editions write only PDFs inside their output folder, writes are atomic, signals clean up."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pagesetter.app.cli import main
from tests.helpers import SEED, SMALL
from pagesetter import outfiles

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def proj(tmp_path, monkeypatch):
    proj = tmp_path / "proj"
    proj.mkdir()
    shutil.copy(SEED, proj / "story.md")
    (proj / "page.yaml").write_text(SMALL.replace("ARTICLE", "story.md"), encoding="utf-8")
    monkeypatch.chdir(proj)
    return proj


def render(*args):
    return CliRunner().invoke(main, ["render", *map(str, args)])


def edition(proj, text):
    (proj / "ed.yaml").write_text(text, encoding="utf-8")
    return proj / "ed.yaml"


@pytest.mark.parametrize("entry, why", [
    ("{layout: page.yaml, output: ../story.md}", "ending in .pdf"),
    ("{layout: page.yaml, output: ../page.yaml}", "ending in .pdf"),
    ("{layout: page.yaml, output: ../x.pdf}", "outside the output folder"),
    ("{layout: page.yaml, output: /tmp/x.pdf}", "outside the output folder"),
])
def test_edition_outputs_stay_pdfs_inside_the_output_folder(proj, entry, why):
    before = {p: p.read_bytes() for p in proj.iterdir() if p.is_file()}
    result = render(edition(proj, f"pages:\n  - {entry}\n"), "-o", proj / "out")
    assert result.exit_code == 2 and why in result.output and "ed.yaml:2" in result.output, result.output
    assert {p: p.read_bytes() for p in proj.iterdir() if p.is_file() and p.name != "ed.yaml"} == \
        {p: b for p, b in before.items()}


def test_an_output_symlinked_out_of_the_folder_is_refused(proj):
    (proj / "out").mkdir()
    (proj / "out" / "p.pdf").symlink_to(proj / "story.md")
    result = render(edition(proj, "pages:\n  - {layout: page.yaml, output: p.pdf}\n"), "-o", proj / "out")
    assert result.exit_code == 2 and "outside the output folder" in result.output
    assert (proj / "story.md").read_bytes() == SEED.read_bytes()


def test_combined_is_inside_the_output_folder(proj):
    result = render(edition(proj, "pages: [page.yaml]\ncombined: ../page.yaml\n"), "-o", proj / "out")
    assert result.exit_code == 2 and "combined" in result.output and ".pdf" in result.output
    result = render(edition(proj, "pages: [page.yaml]\ncombined: all.pdf\n"), "-o", proj / "out")
    assert result.exit_code == 0, result.output
    assert (proj / "out" / "all.pdf").is_file() and not (proj / "all.pdf").exists()


def test_two_pages_on_one_file_is_an_error_before_anything_is_written(proj):
    text = "pages:\n  - {layout: page.yaml, output: p.pdf}\n  - {layout: page.yaml, output: ./p.pdf}\n"
    result = render(edition(proj, text), "-o", proj / "out")
    assert result.exit_code == 2 and "both be written" in result.output and "ed.yaml:3" in result.output
    assert not (proj / "out").exists()
    text = "pages:\n  - {layout: page.yaml, output: all.pdf}\ncombined: all.pdf\n"
    assert render(edition(proj, text), "-o", proj / "out").exit_code == 2
    result = render(edition(proj, "pages: [page.yaml]\n"), "-o", proj / "out", "--combined", proj / "out/page.pdf")
    assert result.exit_code == 2 and "both be written" in result.output and not (proj / "out").exists()


def test_a_pdf_as_output_of_an_edition_is_an_error(proj):
    result = render(edition(proj, "pages: [page.yaml]\n"), "-o", proj / "x.pdf")
    assert result.exit_code == 2 and "-o" in result.output and "folder" in result.output
    assert not (proj / "x.pdf").exists()


def test_a_rewritten_file_keeps_its_mode_and_is_flushed_before_the_rename(proj, monkeypatch):
    out = proj / "p.pdf"
    out.write_bytes(b"old")
    os.chmod(out, 0o640)
    calls = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(outfiles.os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    # outputs only: the cache folder's own writes (fonts, parsed articles) go through os.replace too
    monkeypatch.setattr(outfiles.os, "replace", lambda a, b: (
        calls.append("replace") if Path(b).parent == proj else None, real_replace(a, b))[1])
    assert render(proj / "page.yaml", "-o", out, "--png", "--report", proj / "r.json").exit_code == 0
    assert os.stat(out).st_mode & 0o777 == 0o640 and out.read_bytes().startswith(b"%PDF")
    assert calls[:2] == ["fsync", "replace"] and calls.count("replace") == 3  # PDF, PNG, report
    assert not [p for p in proj.iterdir() if p.name.endswith(".tmp")]


def _wait_for_temp(folder: Path, proc, timeout=60.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        if folder.is_dir() and any(p.name.endswith(".tmp") for p in folder.iterdir()):
            return True
        time.sleep(0.005)
    return False


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signals_remove_temporary_files(tmp_path, sig, code):
    out = tmp_path / "out"
    # a large preview keeps the temporary PDF on disk long enough to interrupt the write
    proc = subprocess.Popen([sys.executable, "-m", "pagesetter", "render", "layouts/page3.yaml", "-o",
                             str(out / "p.pdf"), "--png", "--png-dpi", "300"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert _wait_for_temp(out, proc), "the render finished before it could be interrupted"
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code, err
    assert "Traceback" not in err and "Aborted" not in err
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert not (out / "p.pdf").exists()


def test_concurrent_renders_never_mix_their_png_and_pdf(tmp_path, monkeypatch):
    """Two renders of different pages to one output: the PNG left is the preview of the PDF left."""
    from pagesetter.app.preview import write_previews
    from pagesetter.app.pipeline import compose_layout

    proj = tmp_path / "proj"
    proj.mkdir()
    for name, article in (("a", "02-lengshuitan.md"), ("b", "04-jiangyong.md")):
        shutil.copy(ROOT / "articles" / article, proj / f"{name}.md")
        (proj / f"{name}.yaml").write_text(SMALL.replace("ARTICLE", f"{name}.md"), encoding="utf-8")
    out = proj / "out" / "p.pdf"
    for _ in range(2):
        procs = [subprocess.Popen([sys.executable, "-m", "pagesetter", "render", f"{n}.yaml", "-o", str(out), "--png"],
                                  cwd=proj, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for n in "ab"]
        results = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], results
        png = out.with_suffix(".png").read_bytes()
        # the PDF's own preview, made again from it, is byte for byte the PNG beside it
        monkeypatch.chdir(proj)
        pages = compose_layout(proj / "a.yaml")
        again = write_previews(out, pages, 50.0, target=proj / "check" / "p.pdf")
        (tmp, _), = again
        assert tmp.read_bytes() == png
        tmp.unlink()
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_temporary_files_of_a_killed_render_are_removed_by_the_next(proj):
    out = proj / "out"
    out.mkdir()
    stale, fresh, other = out / ".p.abc123.pdf.tmp", out / ".p.def456.pdf.tmp", out / ".q.abc123.pdf.tmp"
    for f in (stale, fresh, other):
        f.write_bytes(b"%PDF-partial")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    assert render(proj / "page.yaml", "-o", out / "p.pdf").exit_code == 0
    # the killed render's file goes; one a running render may still be writing stays, as do other pages'
    assert not stale.exists() and fresh.exists() and other.exists()


def test_a_signal_a_library_swallowed_still_stops_the_commit(tmp_path, monkeypatch):
    """A SIGTERM whose exception some library's bare ``except:`` caught is raised again when the
    output would be put in place: the temporary file goes, the target is never written."""
    from pagesetter import outfiles
    target = tmp_path / "p.pdf"
    tmp = outfiles.temp_beside(target, ".pdf")
    monkeypatch.setattr(outfiles, "_SIGNALLED", [outfiles.Terminated])
    with pytest.raises(outfiles.Terminated):
        outfiles.commit(tmp, target)
    assert not target.exists() and not tmp.exists()


@pytest.mark.parametrize("args, field", [
    (["-o", "story.md"], None),                                   # an existing file that is not a PDF
    (["-o", "p.pdf", "--report", "story.md"], "--report"),        # the report over the article
    (["-o", "p.pdf", "--report", "page.yaml"], "--report"),       # over the layout
    (["-o", "p.pdf", "--report", "p.pdf"], "--report"),           # over the PDF
    (["-o", "story.png", "--png"], "-o/--output"),                # the preview over an input (here the article)
])
def test_no_output_is_written_over_an_input_or_another_output(proj, args, field):
    if args[1] == "story.png":  # a page that places story.png, rendered to story.pdf with its preview
        from PIL import Image
        Image.new("L", (40, 30), 128).save(proj / "story.png")
        (proj / "page.yaml").write_text(SMALL.replace("ARTICLE", "story.md") + "images:\n  - {id: p, file: story.png, "
                                        "column: 1, line: 1, lines: 2, span: 1, overlap: allow}\n", encoding="utf-8")
        args = ["-o", "story.pdf", "--png"]
    before = {p.name: p.read_bytes() for p in proj.iterdir() if p.is_file()}
    result = render(proj / "page.yaml", *args)
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and "error:" in result.output
    if field:
        assert field in result.output
    assert {p.name: p.read_bytes() for p in proj.iterdir() if p.is_file()} == before


def test_a_failed_render_leaves_the_previous_report_as_it_was(proj):
    (proj / "r.json").write_text('{"old": 1}', encoding="utf-8")
    (proj / "bad.yaml").write_text(SMALL.replace("ARTICLE", "story.md").replace("columns: 2", "colums: 2"),
                                   encoding="utf-8")
    result = render(proj / "bad.yaml", "-o", proj / "p.pdf", "--report", proj / "r.json")
    assert result.exit_code == 2
    assert (proj / "r.json").read_text(encoding="utf-8") == '{"old": 1}'


def test_a_galley_is_never_written_over_its_article(proj):
    before = (proj / "story.md").read_bytes()
    result = CliRunner().invoke(main, ["galley", str(proj / "story.md"), "-o", str(proj / "story.md")])
    assert result.exit_code == 2 and "is an input of this galley" in result.output
    assert (proj / "story.md").read_bytes() == before
