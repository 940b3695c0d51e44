"""Editions, watch, previews, galleys and the font cache (issue 7's features; timings live in bench/)."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from pagesetter.app.cli import main
from tests.helpers import write_demo_layout

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "layouts" / "page3.yaml"


def test_edition_renders_every_page_in_parallel_and_combined(tmp_path):
    edition = tmp_path / "edition.yaml"
    edition.write_text(
        "edition:\n  date: 2021-12-04\n  running_head: {paper: 测试日报, editor: 甲乙}\n"
        f"pages:\n  - {{layout: {DEMO}, output: p1.pdf}}\n  - {{layout: {DEMO}, page: 5, output: p5.pdf}}\n"
        "combined: all.pdf\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(edition), "-o", str(tmp_path / "out"), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "edition edition.yaml: 2 pages" in result.output
    p5 = PdfReader(tmp_path / "out" / "p5.pdf").pages[0].extract_text()
    squashed = "".join(p5.split())
    # the edition decides date, page number and the shared running-head fields
    assert "第5版" in squashed and "2021年12月4日" in squashed and "测试日报" in squashed and "甲乙" in squashed
    assert "湖南·综合" in squashed  # a field the edition leaves alone stays the layout's
    combined = PdfReader(tmp_path / "out" / "all.pdf")  # the edition's combined PDF goes to the output folder
    assert len(combined.pages) == 2


def test_edition_reports_a_bad_page_and_fails(tmp_path):
    bad = write_demo_layout(tmp_path, **{"columns: 8": "colums: 8", "name: page3": "name: bad"})
    edition = tmp_path / "edition.yaml"
    edition.write_text(f"pages:\n  - {DEMO}\n  - {bad}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(edition), "-o", str(tmp_path / "out"), "-j", "2"])
    assert result.exit_code == 2 and "colums" in result.output
    assert (tmp_path / "out" / "page3.pdf").exists()


def test_png_preview_with_proof_overlay(tmp_path):
    from PIL import Image
    out = tmp_path / "page3.pdf"
    result = CliRunner().invoke(main, ["render", str(DEMO), "-o", str(out), "--png", "--png-dpi", "20", "--proof"])
    assert result.exit_code == 0, result.output
    image = Image.open(tmp_path / "page3.png")
    assert image.size == (round(390 / 25.4 * 20), round(545 / 25.4 * 20))  # the trimmed page
    colours = {c for _, c in image.getcolors(100000)}
    assert (0, 110, 230) in colours or any(c[2] > 200 and c[0] < 60 for c in colours)  # frame outlines


def test_watch_rerenders_after_an_edit_and_reuses_unchanged_stories(tmp_path):
    from pagesetter.app.watch import watch
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "articles", articles)
    layout = write_demo_layout(tmp_path, **{str(ROOT / "articles"): str(articles)})
    messages = []
    composed = []

    import pagesetter.page.flow as flow
    original = flow._flow_story

    def counting(story, layout_, page):
        composed.append(story.id)
        return original(story, layout_, page)

    def edit(n):
        if n == 1:
            time.sleep(0.05)
            target = articles / "10-miluo.md"
            target.write_text(target.read_text(encoding="utf-8").replace("近日，", "近日，，", 1), encoding="utf-8")

    flow._flow_story = counting
    try:
        watch(layout, tmp_path / "w.pdf", echo=messages.append, options={"allow_overset": True}, interval=0.05,
              max_renders=2, on_render=edit)
    finally:
        flow._flow_story = original
    assert len([m for m in messages if "w.pdf" in m and " ms" in m]) == 2, messages
    assert composed.count("10-miluo") == 2 and composed.count("01-louxing-feature") == 1


def test_font_cache_is_keyed_by_content_and_changes_nothing(tmp_path):
    """A render with an empty cache and one with a full cache give the same bytes; a changed font file is re-read."""
    env = dict(os.environ, PAGESETTER_CACHE_DIR=str(tmp_path / "cache"))
    outs = []
    for n in range(2):
        folder = tmp_path / f"run{n}"
        folder.mkdir()
        subprocess.run([sys.executable, "-m", "pagesetter", "render", str(DEMO), "-o", str(folder / "page3.pdf")],
                       check=True, capture_output=True, env=env)
        outs.append((folder / "page3.pdf").read_bytes())
    assert outs[0] == outs[1]
    entries = sorted(p.name for p in (tmp_path / "cache").glob("font-*.marshal"))
    assert len(entries) >= 4 and all(len(e.split("-")[1]) == 64 for e in entries)  # SHA-256 of the content

    from pagesetter.fonts import cache
    font = tmp_path / "kai.ttf"
    shutil.copy(ROOT / "fonts" / "LXGWWenKai-Regular.ttf", font)
    first = cache.font_data(font)
    from fontTools.ttLib import TTFont
    changed = TTFont(font)
    changed["hmtx"].metrics[changed.getBestCmap()[ord("字")]] = (777, 0)
    changed.save(font)
    os.utime(font, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    second = cache.font_data(font)
    assert first.digest != second.digest
    assert second.advances[second.cmap[ord("字")]] == 777

