"""Every layout error names its place: file:line:col, the field, and what is really wrong."""

import re

import pytest

from pagesetter.errors import PagesetterError
from pagesetter.layout.loader import load_layout
from pagesetter.page.flow import compose_page
from tests.helpers import write_demo_layout


def error_for(tmp_path, compose=False, **replace) -> str:
    path = write_demo_layout(tmp_path, **replace)
    with pytest.raises(PagesetterError) as exc:
        layout = load_layout(path)
        if compose:
            compose_page(layout)
    return str(exc.value)


def line_of(tmp_path, text: str) -> int:
    lines = (tmp_path / "page.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_unknown_headline_font_names_file_line_and_field(tmp_path):
    msg = error_for(tmp_path, **{"headline: {size: 15pt, lines: 4}": "headline: {size: 15pt, lines: 4, font: 方正小标宋}"})
    line = line_of(tmp_path, "方正小标宋")
    assert re.match(rf".*page.yaml:{line}:\d+: stories\[10\]\.headline\.font: unknown font family '方正小标宋'", msg)


def test_unknown_kicker_font_inside_headline(tmp_path):
    msg = error_for(tmp_path, **{"headline: {size: 15pt, lines: 4}":
                                 "headline: {size: 15pt, lines: 4, kicker: {font: 方正小标宋}}"})
    assert "stories[10].headline.kicker.font: unknown font family" in msg


def test_running_head_font_points_at_the_font_line(tmp_path):
    msg = error_for(tmp_path, **{"  designer: 某某": "  designer: 某某\n  font: 方正小标宋"})
    assert re.match(rf".*page.yaml:{line_of(tmp_path, '方正小标宋')}:3: running_head.font: unknown font family", msg)


def test_frame_overlap_names_line_and_column(tmp_path):
    msg = error_for(tmp_path, **{"qiyang:       {x: 95.7字": "qiyang:       {x: 90.7字"})
    assert re.match(rf".*page.yaml:{line_of(tmp_path, 'qiyang:       {x: 90')}:3: frames.qiyang: text frames", msg)


def test_frame_used_by_two_stories_has_a_line(tmp_path):
    msg = error_for(tmp_path, **{"frames: [miluo]": "frames: [xintian]"})
    assert re.match(r".*page.yaml:\d+:\d+: stories\[10\]\.frames: frame 'xintian' is used by both", msg)


def test_negative_grid_gutter_is_called_negative(tmp_path):
    msg = error_for(tmp_path, **{"gutter: 1字": "gutter: -1字"})
    assert re.match(rf".*page.yaml:{line_of(tmp_path, 'gutter: -1字')}:3: grid.gutter: a gutter cannot be negative", msg)


def test_short_picture_without_caption_is_not_blamed_on_its_caption(tmp_path):
    msg = error_for(tmp_path, compose=True, **{
        "    line: 47\n    lines: 13\n    caption: 数据来源：本版报道\n    credit: 本版制图\n": "    line: 47\n    height: 3mm\n"})
    assert "caption" not in msg
    assert re.match(r".*page.yaml:\d+:\d+: images.loudi-figures: .*shorter than one grid line", msg)


def test_nul_byte_in_yaml_gives_line_and_column(tmp_path):
    path = write_demo_layout(tmp_path)
    text = path.read_text(encoding="utf-8").replace("title: 示例日报", "title: 示\x00例日报")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PagesetterError) as exc:
        load_layout(path)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "\x00" in l)
    assert re.match(rf".*page.yaml:{line}:9: YAML error: character U\+0000 is not allowed", str(exc.value))
    assert "position" not in str(exc.value)


@pytest.mark.parametrize("old,new,field", [
    ("headline: {size: 15pt, lines: 4}", "headline: {size: 15pt, lines: 4}\n    byline: {align: left}", "byline.align"),
    ("headline: {size: 15pt, lines: 4}", "headline: {size: 15pt, lines: 4}\n    subhead: {tracking: 0.1em}",
     "subhead.tracking"),
    ("    caption: 数据来源：本版报道\n", "    caption: 数据来源：本版报道\n    caption_style: {align: center}\n",
     "caption_style.align"),
    ("label: {text: 永州公安, frame: police-label,", "label: {text: 永州公安, tracking: 0.2em, frame: police-label,",
     "label.tracking"),
])
def test_keys_an_element_does_not_use_are_refused_not_ignored(tmp_path, old, new, field):
    msg = error_for(tmp_path, **{old: new})
    assert f"{field}: unknown field" in msg


@pytest.mark.parametrize("old, new, field, says", [
    ("qiyang:       {x: 95.7字, measure: 14.3字, line: 1,  lines: 45}",
     "qiyang:       {x: 95.7字, measure: 14.3字, line: 1,  lines: 45, height: 100mm}",
     "frames.qiyang.height", "give either lines or height, not both"),
    ("  size: 对开", "  size: 对开\n  width: 380mm", "page.width", "give either size or width and height, not both"),
])
def test_geometry_given_twice_is_an_error_not_a_silent_choice(tmp_path, old, new, field, says):
    msg = error_for(tmp_path, **{old: new})
    assert f"{field}: {says}" in msg, msg


def test_a_frame_with_span_and_width_and_margins_inside_and_left(tmp_path):
    from tests.helpers import SMALL
    (tmp_path / "a.md").write_text("---\ntitle: 题\n---\n\n正文。\n", encoding="utf-8")
    for text, says in (
            (SMALL.replace("span: 2,", "span: 2, width: 50mm,"), "frames.a.width: give either span or width"),
            (SMALL.replace("margins: 20mm", "margins: {inside: 25mm, left: 10mm}"),
             "page.margins.inside: inside is the left margin")):
        (tmp_path / "p.yaml").write_text(text.replace("ARTICLE", "a.md"), encoding="utf-8")
        with pytest.raises(PagesetterError) as exc:
            load_layout(tmp_path / "p.yaml")
        assert says in str(exc.value), str(exc.value)


def test_two_pictures_with_one_id_are_refused(tmp_path):
    from tests.helpers import SMALL
    from PIL import Image
    Image.new("L", (40, 30), 128).save(tmp_path / "p.png")
    (tmp_path / "a.md").write_text("---\ntitle: 题\n---\n\n正文。\n", encoding="utf-8")
    pictures = "".join(f"  - {{id: p, file: p.png, x: {x}mm, y: 150mm, width: 20mm, height: 15mm}}\n" for x in (0, 40))
    (tmp_path / "p.yaml").write_text(SMALL.replace("ARTICLE", "a.md") + "images:\n" + pictures, encoding="utf-8")
    with pytest.raises(PagesetterError, match=r"images\[1\]: two pictures are called 'p'"):
        load_layout(tmp_path / "p.yaml")
