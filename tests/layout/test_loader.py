from pathlib import Path

import pytest

from pagesetter.errors import PagesetterError
from pagesetter.layout.loader import load_layout
from pagesetter.units import MM

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "articles" / "02-lengshuitan.md"

BASE = f"""\
page:
  size: 对开
  margins: 20mm
grid:
  columns: 8
  gutter: 1字
  body: {{font: 书宋, size: 小五, leading: 13.5pt}}
frames:
  a: {{column: 1, span: 2, line: 1, lines: 20}}
  b: {{x: 30字, width: 28字, y: 25行, height: 10行, columns: 2}}
stories:
  - article: {ARTICLE}
    frames: [a, b]
"""


def write(tmp_path, text, name="page.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_demo_layout_loads():
    layout = load_layout(ROOT / "layouts" / "page3.yaml")
    assert layout.width == pytest.approx(390 * MM) and layout.height == pytest.approx(545 * MM)
    assert len(layout.stories) == 11
    assert layout.style.push == "out-only" and layout.style.stop_beside_mark == 0.5


def test_grid_and_absolute_frames(tmp_path):
    layout = load_layout(write(tmp_path, BASE))
    ta = layout.type_area
    colw = (ta.width - 7 * 9) / 8
    a, b = layout.frames["a"], layout.frames["b"]
    assert a.box.x == pytest.approx(ta.x) and a.box.width == pytest.approx(2 * colw + 9)
    assert a.box.height == pytest.approx(20 * 13.5)
    assert b.box.x == pytest.approx(ta.x + 270) and b.box.y == pytest.approx(ta.y + 25 * 13.5)
    assert b.columns == 2 and b.column_width == pytest.approx((252 - 9) / 2)


def test_measure_sets_the_column_width(tmp_path):
    text = BASE.replace("b: {x: 30字, width: 28字,", "b: {x: 30字, measure: 13.9字,")
    layout = load_layout(write(tmp_path, text))
    assert layout.frames["b"].column_width == pytest.approx(13.9 * 9)


@pytest.mark.parametrize("size, mm", [("四开", (270, 390)), ("A3", (297, 420)), ("A4", (210, 297)),
                                      ("300mm x 400mm", (300, 400)), ("[300mm, 400mm]", (300, 400))])
def test_page_sizes(tmp_path, size, mm):
    layout = load_layout(write(tmp_path, BASE.replace("size: 对开", f"size: {size}").replace(
        "frames:\n  a: {column: 1, span: 2, line: 1, lines: 20}\n  b: {x: 30字, width: 28字, y: 25行, height: 10行, columns: 2}",
        "frames:\n  a: {column: 1, span: 2, line: 1, lines: 10}\n  b: {column: 3, span: 2, line: 1, lines: 10}")))
    assert (layout.width / MM, layout.height / MM) == pytest.approx(mm)


@pytest.mark.parametrize("change, expected", [
    (("columns: 8", "colums: 8"), r"page.yaml:5:\d+: grid.colums: unknown field 'colums'; did you mean 'columns'\?"),
    (("gutter: 1字", "gutter: 1 furlong"), r"page.yaml:6:\d+: grid.gutter: .*unit"),
    (("size: 小五", "size: huge"), r"page.yaml:7:\d+: grid.body.size"),
    (("frames: [a, b]", "frames: [a, c]"), r"page.yaml:\d+:\d+: stories\[0\].frames\[1\]: no frame called 'c'"),
    (("span: 2", "span: 12"), r"frames.a.span: must be at most 8"),
    (("x: 30字", "x: 100字"), r"frames.b: frame 'b' reaches outside the type area"),
    (("lines: 20", "lines: -3"), r"frames.a.lines: must be at least 1"),
    (("size: 对开", "size: 对开开"), r"page.size: expected a page size"),
    (("02-lengshuitan.md", "99-missing.md"), r"stories\[0\].article: article file .* not found"),
    (("font: 书宋", "font: 方正书宋"), r"grid.body.font: unknown font family '方正书宋'"),
    (("margins: 20mm", "margins: 300mm"), r"page: the margins leave no type area"),
])
def test_errors_name_file_line_and_field(tmp_path, change, expected):
    text = BASE.replace(*change)
    assert text != BASE
    with pytest.raises(PagesetterError, match=expected):
        load_layout(write(tmp_path, text))


def test_yaml_syntax_error_has_a_position(tmp_path):
    with pytest.raises(PagesetterError, match=r"page.yaml:\d+:\d+: YAML syntax error"):
        load_layout(write(tmp_path, BASE.replace("frames: [a, b]", "frames: [a, b")))


def test_frame_shared_by_two_stories_is_an_error(tmp_path):
    text = BASE + f"  - article: {ROOT / 'articles' / '03-shuangpai.md'}\n    frames: [b]\n"
    with pytest.raises(PagesetterError, match="used by both"):
        load_layout(write(tmp_path, text))


def test_style_include_and_story_override(tmp_path):
    write(tmp_path, "push: out-only\norphan_min: 0\ncjk_latin_space: 0.125em\n", "house.yaml")
    text = BASE.replace("frames:\n", "style: house.yaml\nframes:\n", 1) + "    style: {orphan_min: 3}\n"
    layout = load_layout(write(tmp_path, text))
    assert layout.style.push == "out-only" and layout.style.orphan_min == 0
    assert layout.style.cjk_latin_space == 0.125
    assert layout.stories[0].style.orphan_min == 3 and layout.stories[0].style.push == "out-only"


def test_hyphenate_is_on_by_default_and_a_house_style_turns_it_off(tmp_path):
    assert load_layout(write(tmp_path, BASE)).style.hyphenate is True
    house = load_layout(write(tmp_path, BASE.replace("frames:\n", f"style: {ROOT / 'layouts' / 'house.yaml'}\nframes:\n", 1)))
    assert house.style.hyphenate is False
    text = BASE.replace("frames:\n", "style: {hyphenate: maybe}\nframes:\n", 1)
    with pytest.raises(PagesetterError, match=r"page.yaml:\d+:\d+: style.hyphenate: expected true or false, got 'maybe'"):
        load_layout(write(tmp_path, text))


def test_bad_style_value(tmp_path):
    text = BASE.replace("frames:\n", "style: {punctuation: 开明式, prohibition: strickt}\nframes:\n", 1)
    with pytest.raises(PagesetterError, match=r"style.prohibition: expected one of .* \(did you mean 'strict'\?\)"):
        load_layout(write(tmp_path, text))
