"""copyfit counts what render sets: headline stack, subheads and their space, byline, pictures."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pagesetter.app.cli import main
from pagesetter.layout.loader import load_layout
from pagesetter.layout.loader import load_style_file
from pagesetter.page.copyfit import copyfit, copyfit_story, frame_rows
from pagesetter.page.flow import compose_page
from tests.helpers import write_demo_layout

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "layouts" / "page3.yaml"


def rendered_lines(layout, story_id: str) -> int:
    page = compose_page(layout)
    assert not page.overset, "the story must fit to be counted on the page"
    return frame_rows(page, next(s for s in layout.stories if s.id == story_id))


FRAMES = {  # single-column stories of the demo page: their frame line, and that frame cut short
    "11-qiyang": ("qiyang:       {x: 95.7字, measure: 14.3字, line: 1,  lines: 45}", 20),
    "10-miluo": ("miluo:        {x: 94.7字, measure: 13.9字, line: 79, lines: 27}", 12),
    "09-xiangxiang": ("xiangxiang:   {x: 47.6字, measure: 14.3字, line: 47, lines: 59}", 30),
    "08-sangzhi": ("sangzhi:      {x: 19.8字, measure: 26.3字, line: 78, lines: 28}", 14),
    "02-lengshuitan": ("lengshuitan:  {x: 63.4字, measure: 14.1字, line: 56, lines: 21}", 10),
}


@pytest.mark.parametrize("story_id", sorted(FRAMES))
def test_copyfit_of_a_short_frame_predicts_the_render_in_a_long_enough_one(tmp_path, story_id):
    line, short = FRAMES[story_id]
    cut = line.rsplit("lines:", 1)[0] + f"lines: {short}}}"
    too_short = load_layout(write_demo_layout(tmp_path, **{line: cut}))
    assert compose_page(too_short).overset  # render would not fit it here
    predicted = copyfit_story(too_short, story_id)
    assert predicted.overset == 0
    assert abs(predicted.total - rendered_lines(load_layout(DEMO), story_id)) <= 1, predicted.total
    assert predicted.headline > 0


def test_picture_in_the_column_takes_its_lines():
    with_picture = copyfit_story(load_layout(DEMO), "07-daoxian")
    assert with_picture.total == rendered_lines(load_layout(DEMO), "07-daoxian")
    bare = load_layout(DEMO)
    bare.images = [i for i in bare.images if i.id != "daoxian-targets"]
    assert copyfit_story(bare, "07-daoxian").total < with_picture.total - 5
    assert with_picture.other_lines >= 5


def test_subheads_and_their_space_are_counted():
    style = load_style_file(ROOT / "layouts" / "house.yaml")
    result = copyfit(ROOT / "articles" / "01-louxing-feature.md", measure=17.8 * 9, size=9, leading=13,
                     style=style, headline=False)
    assert result.headline == 0 and result.subhead_lines == 6  # three two-line subheads
    # each subhead: a line and a half above, half below (2 grid lines of space)
    assert result.other_lines >= 3
    assert result.total == result.body_lines + result.subhead_lines + result.byline + result.other_lines


def test_standalone_copyfit_equals_the_layouts_story():
    style = load_style_file(ROOT / "layouts" / "house.yaml")
    alone = copyfit(ROOT / "articles" / "11-qiyang.md", measure=14.3 * 9, size=9, leading=13, style=style,
                    headline={"size": "18pt"})
    assert alone.total == copyfit_story(load_layout(DEMO), "11-qiyang").total


def test_cli_prints_characters_beside_lines_and_counts_everything():
    art = ROOT / "articles" / "01-louxing-feature.md"
    result = CliRunner().invoke(main, ["copyfit", str(art), "--measure", "17.8em", "--size", "小五",
                                       "--leading", "13pt", "--style", str(ROOT / "layouts" / "house.yaml")])
    assert result.exit_code == 0, result.output
    assert "headline" in result.output and "subhead" in result.output and "chars" in result.output
    data = json.loads(CliRunner().invoke(main, ["copyfit", str(art), "--measure", "17.8em", "--size", "小五",
                                                "--leading", "13pt", "--json"]).output)
    assert data["total_lines"] == (data["headline_lines"] + data["body_lines"] + data["subhead_lines"]
                                   + data["byline_lines"] + data["other_lines"])
    assert data["characters"] > sum(p["characters"] for p in data["paragraphs"])  # headline and subheads too


def test_cli_layout_mode_and_missing_glyphs(tmp_path):
    out = CliRunner().invoke(main, ["copyfit", "--layout", str(DEMO), "--story", "11-qiyang"])
    assert out.exit_code == 0 and "total 4" in out.output
    art = tmp_path / "e.md"
    art.write_text("---\ntitle: 表情\n---\n\n正文😀。\n", encoding="utf-8")
    args = ["copyfit", str(art), "--measure", "14字", "--size", "9pt"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2 and "e.md:5" in refused.output and "U+1F600" in refused.output
    allowed = CliRunner().invoke(main, args + ["--allow-missing-glyphs"])
    assert allowed.exit_code == 0 and "〓" in allowed.output


def test_galley_takes_allow_missing_glyphs(tmp_path):
    art = tmp_path / "e.md"
    art.write_text("---\ntitle: 表情\n---\n\n正文😀。\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["galley", str(art), "-o", str(tmp_path / "g.pdf")])
    assert refused.exit_code == 2 and "e.md:5" in refused.output and "U+1F600" in refused.output
    allowed = CliRunner().invoke(main, ["galley", str(art), "-o", str(tmp_path / "g.pdf"), "--allow-missing-glyphs"])
    assert allowed.exit_code == 0, allowed.output
    assert "shown as 〓" in allowed.output


def test_an_article_longer_than_4000_lines_is_counted_to_its_end(tmp_path):
    art = tmp_path / "long.md"
    art.write_text("---\ntitle: 长文\n---\n\n" + "".join(f"第{n}段" + "测" * 200 + "。\n\n" for n in range(400)),
                   encoding="utf-8")
    out = CliRunner().invoke(main, ["copyfit", str(art), "--measure", "10字", "--size", "9pt", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["body_lines"] > 4000
    assert all(p["lines"] for p in data["paragraphs"])  # the last paragraphs too (they had none)
