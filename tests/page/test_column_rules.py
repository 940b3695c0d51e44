"""Column rules (栏线): in the gutters between text, clear of headlines, pictures and boxes."""

from pathlib import Path

from PIL import Image as PILImage

from pagesetter.layout.loader import load_layout
from pagesetter.page.flow import compose_page
from tests.helpers import write_test_article

LAYOUT = """page: {{size: A3, margins: 20mm}}
grid: {{columns: 6, gutter: 1字, body: {{size: 9pt, leading: 13pt}}{grid}}}
{style}
frames:
  a: {{column: 1, span: 3, columns: 3, line: 1, lines: 30}}
  b: {{column: 4, span: 3, columns: 3, line: 1, lines: 30}}
  c: {{column: 1, span: 2, columns: 2, line: 32, lines: 24}}
  d: {{column: 3, span: 4, columns: 4, line: 32, lines: 24{d}}}
  e: {{column: 1, span: 6, columns: 6, line: 57, lines: 26}}
stories:
  - {{id: s, article: story.md, frames: [a, b]}}
  - {{id: t, article: short/story.md, frames: [c]}}
  - {{id: u, article: short/story.md, frames: [d]}}
  - {{id: v, article: story.md, frames: [e], headline: {{size: 20pt}}}}
images:
  - {{file: pic.png, column: 2, span: 2, line: 10, lines: 12}}
boxes:
  - {{frames: [e], padding: 2mm}}
"""


def _page(folder: Path, grid=", column_rules: true", d=", rules: false", style=""):
    write_test_article(folder)
    (folder / "short").mkdir(exist_ok=True)
    write_test_article(folder / "short", seed=5, paragraphs=2)
    PILImage.new("RGB", (600, 400), (120, 160, 200)).save(folder / "pic.png")
    path = folder / "page.yaml"
    path.write_text(LAYOUT.format(grid=grid, d=d, style=style), encoding="utf-8")
    return compose_page(load_layout(path))


def _gutters(layout, fid):
    f = layout.frames[fid]
    return [round((f.column_x(c) + f.column_width + f.column_x(c + 1)) / 2, 2) for c in range(f.columns - 1)]


def _overlaps(stroke, box, gap=0.0):
    return box.x < stroke.x1 < box.right and stroke.y1 < box.bottom + gap and stroke.y2 > box.y - gap


def test_rules_sit_in_gutters_between_text_and_nowhere_else(tmp_path):
    page = _page(tmp_path)
    layout = page.layout
    rules = page.strokes[:]
    assert rules
    text = [p for p in page.lines if p.role in ("body", "subhead", "byline")]
    for r in rules:
        assert r.x1 == r.x2 and r.y2 > r.y1
        # both sides of the rule hold text over its whole length
        left = [p for p in text if abs(p.x + p.measure - r.x1) < layout.gutter and p.baseline > r.y1
                and p.baseline - p.size < r.y2]
        right = [p for p in text if abs(p.x - r.x1) < layout.gutter and p.baseline > r.y1
                 and p.baseline - p.size < r.y2]
        assert left and right, r
        # no text line is crossed
        for p in text:
            assert not (p.x < r.x1 < p.x + p.line.width * p.size and p.baseline - p.size < r.y1 < p.baseline), p
    xs = {round(r.x1, 2) for r in rules}
    for fid in ("a", "b", "c", "e"):
        assert set(_gutters(layout, fid)) <= xs, fid
    d = layout.frames["d"]
    for r in rules:  # frame d has rules: false: none in its gutters, none to its neighbour c
        assert not (d.box.x - layout.gutter < r.x1 < d.box.right and d.box.y < r.y2 and r.y1 < d.box.bottom)


def test_rules_stop_short_of_pictures_headlines_and_boxes(tmp_path):
    page = _page(tmp_path)
    layout = page.layout
    gap = layout.pitch / 2
    picture = layout.images[0].box
    stacks = [p for p in page.lines if p.role in ("headline", "kicker", "subtitle")]
    box = layout.boxes[0].area
    a = layout.frames["a"].box
    crossing_picture = [r for r in page.strokes if picture.x < r.x1 < picture.right and r.y1 < a.bottom]
    assert len({r.x1 for r in crossing_picture}) == 1  # the gutter under the picture: cut in two
    assert len(crossing_picture) == 2
    for r in page.strokes:
        assert not _overlaps(r, picture, gap - 0.01)
        for p in stacks:
            assert not (p.x < r.x1 < p.x + p.line.width * p.size and r.y1 < p.baseline and
                        r.y2 > p.baseline - p.size)
        for edge in (box.y, box.bottom):
            assert not (r.y1 - gap + 0.01 < edge < r.y2 + gap - 0.01 and box.x < r.x1 < box.right)


def test_rule_weight_colour_and_gap_are_house_settings(tmp_path):
    page = _page(tmp_path, style="style: {column_rules: {weight: 0.5pt, color: [0, 100, 100, 0], gap: 2mm}}")
    assert {(r.weight, (r.color.c, r.color.m, r.color.y, r.color.k)) for r in page.strokes} == {(0.5, (0, 100, 100, 0))}
    picture = page.layout.images[0].box
    from pagesetter.units import MM
    for r in page.strokes:
        assert not _overlaps(r, picture, 2 * MM - 0.01)


def test_rules_on_one_frame_only_and_off_by_default(tmp_path):
    page = _page(tmp_path, grid="", d=", rules: true")
    d = page.layout.frames["d"]
    assert page.strokes and all(d.box.x < r.x1 < d.box.right for r in page.strokes)
    assert {round(r.x1, 2) for r in page.strokes} <= set(_gutters(page.layout, "d"))
    assert not _page(_sub(tmp_path, "off"), grid="", d="").strokes


def _sub(folder: Path, name: str) -> Path:
    (folder / name).mkdir()
    return folder / name
