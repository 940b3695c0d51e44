"""Bounded resources: pictures reduced on load, and inputs past the documented limits refused up front."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pagesetter.app.cli import main
from pagesetter.layout.loader import LIMITS, MAX_HEADLINE_CHARS, MAX_PARAGRAPH_CHARS
from pagesetter.source.pictures import PRESS_PPI, load_for_press, place

ROOT = Path(__file__).resolve().parents[1]

PAGE = """\
page: {size: A4, margins: 20mm}
grid: {columns: 2, gutter: 1字, body: {font: 书宋, size: 9pt, leading: 13.5pt}}
"""
STORY = "frames:\n  a: {column: 1, span: 2, line: 1, lines: 40}\nstories:\n  - article: a.md\n    frames: [a]\n"


@pytest.fixture
def proj(tmp_path, monkeypatch):
    shutil.copy(ROOT / "articles" / "02-lengshuitan.md", tmp_path / "a.md")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def render(proj, text, *extra):
    (proj / "page.yaml").write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["render", str(proj / "page.yaml"), "-o", str(proj / "o.pdf"), *extra])


def refused(result, *words):
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    for w in words:
        assert w in result.output, result.output
    return result.output


@pytest.mark.parametrize("mode, fmt", [("RGBA", "PNG"), ("RGB", "JPEG"), ("L", "JPEG"), ("P", "PNG"),
                                       ("CMYK", "JPEG")])
def test_pictures_are_reduced_on_load_to_what_the_press_needs(tmp_path, mode, fmt):
    from PIL import Image
    path = tmp_path / f"p.{fmt.lower()}"
    Image.new(mode, (4000, 3000), (90, 120, 200, 255)[: len(mode)] if mode != "P" else 7).save(path, fmt)
    # 1 inch × 0.75 inch on the page: the press needs PRESS_PPI pixels an inch
    placement = place((4000, 3000), 0, 0, 72, 54, "fit", (0.0, 0.0, 0.0, 0.0))
    region = load_for_press(path, placement)
    assert PRESS_PPI <= region.size[0] < 2 * PRESS_PPI and 0.75 * PRESS_PPI <= region.size[1] < 1.5 * PRESS_PPI
    # a crop keeps its part of the picture, reduced as well
    placement = place((4000, 3000), 0, 0, 72, 72, "crop", (0.5, 0.0, 0.0, 0.5))
    region = load_for_press(path, placement)
    assert PRESS_PPI <= min(region.size) < 2 * PRESS_PPI
    # a picture with no more pixels than needed is untouched
    small = place((4000, 3000), 0, 0, 4000 * 72 / PRESS_PPI, 3000 * 72 / PRESS_PPI, "fit", (0, 0, 0, 0))
    assert load_for_press(path, small).size == (4000, 3000)


def test_a_headline_past_the_limit(proj):
    title = "标" * (MAX_HEADLINE_CHARS + 1)
    refused(render(proj, PAGE + STORY + f"    headline: {{title: {title}}}\n"), "stories[0].headline.title",
            f"the limit is {MAX_HEADLINE_CHARS}")
    (proj / "a.md").write_text(f"---\ntitle: {title}\n---\n\n正文。\n", encoding="utf-8")
    refused(render(proj, PAGE + STORY), "a.md", "title", f"the limit is {MAX_HEADLINE_CHARS}")


def test_a_chain_past_the_frame_limit(proj):
    n = LIMITS["frames"] + 1
    frames = "".join(f"  f{k}: {{column: 1, line: 1, lines: 1}}\n" for k in range(n))
    refused(render(proj, PAGE + "frames:\n" + frames), "frames", f"the limit is {LIMITS['frames']}")


def test_a_paragraph_past_the_limit(proj):
    (proj / "a.md").write_text("---\ntitle: 标题\n---\n\n" + "字" * (MAX_PARAGRAPH_CHARS + 1) + "\n", encoding="utf-8")
    refused(render(proj, PAGE + STORY), "a.md:5", "paragraph breaks")


def test_a_preview_past_the_pixel_limit_writes_nothing(proj):
    big = PAGE.replace("A4", "1999mm x 1999mm")
    out = refused(render(proj, big + STORY, "--png", "--png-dpi", "600"), "--png-dpi", "megapixels")
    assert "use --png-dpi" in out and not (proj / "o.pdf").exists() and not (proj / "o.png").exists()
