"""Nothing prints over anything else, or off its frame or the page, unless the layout says overlap: allow."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pagesetter.app.cli import main

ROOT = Path(__file__).resolve().parents[2]

BASE = """\
page: {size: A4, margins: 20mm}
grid: {columns: 4, gutter: 1字, body: {font: 书宋, size: 9pt, leading: 13.5pt}}
frames:
  a: {column: 1, span: 2, line: 1, lines: 30}
  b: {column: 3, span: 2, line: 1, lines: 30}
stories:
  - article: a.md
    frames: [a]
    headline: {size: 20pt}
  - article: b.md
    frames: [b]
    headline: {size: 20pt}
"""


@pytest.fixture
def proj(tmp_path, monkeypatch):
    shutil.copy(ROOT / "articles" / "02-lengshuitan.md", tmp_path / "a.md")
    shutil.copy(ROOT / "articles" / "04-jiangyong.md", tmp_path / "b.md")
    from PIL import Image
    Image.new("L", (450, 517), 128).save(tmp_path / "p.png")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def render(proj, text):
    (proj / "page.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(proj / "page.yaml"), "-o", str(proj / "o.pdf"),
                                       "--allow-overset"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = [l for l in result.output.splitlines() if l.startswith("error:")]
    assert len(lines) == 1, result.output
    return lines[0]


def test_the_base_page_and_the_demo_are_clean(proj):
    assert render(proj, BASE).exit_code == 0
    result = CliRunner().invoke(main, ["render", str(ROOT / "layouts" / "page3.yaml"), "--root", str(ROOT),
                                       "-o", str(proj / "d.pdf")])
    assert result.exit_code == 0, result.output


def test_a_picture_over_a_headline(proj):
    text = BASE + "images:\n  - {id: photo, file: p.png, column: 1, span: 2, line: 1, lines: 12}\n"
    line = error(render(proj, text))
    assert "of story 'a'" in line and "picture 'photo'" in line
    assert "page.yaml:7" in line and "page.yaml:14" in line and "overlap: allow" in line
    # a deliberate headline over the photo
    allowed = text.replace("{id: photo,", "{id: photo, overlap: allow,")
    assert render(proj, allowed).exit_code == 0
    allowed = text.replace("    headline: {size: 20pt}\n  - article: b.md",
                           "    headline: {size: 20pt}\n    overlap: allow\n  - article: b.md")
    assert render(proj, allowed).exit_code == 0


def test_a_vertical_headline_over_a_photo_and_its_caption(proj):
    text = BASE.replace("  b: {column: 3", "  h: {column: 2, line: 2, lines: 20}\n  b: {column: 3").replace(
        "    frames: [b]\n    headline: {size: 20pt}",
        "    frames: [b]\n    headline: {size: 20pt, frame: h, direction: vertical}").replace(
        "  a: {column: 1, span: 2,", "  a: {column: 1, span: 1,")
    text += "images:\n  - {id: photo, file: p.png, column: 2, line: 1, lines: 30, caption: 图片说明文字}\n"
    line = error(render(proj, text))
    assert "story 'b'" in line and "picture 'photo'" in line


def test_text_over_another_elements_text(proj):
    text = BASE.replace("  b: {column 3", "  lab: {column: 1, span: 2, line: 8, lines: 4}\n  b: {column 3")
    text = text.replace("  b: {column: 3", "  lab: {column: 1, span: 2, line: 8, lines: 4}\n  b: {column: 3")
    text += "boxes:\n  - {frames: [b], border: false, label: {text: 专栏标签, frame: lab, size: 30pt}}\n"
    line = error(render(proj, text))
    assert "box label" in line and "story 'a'" in line


def test_a_rule_crossing_text(proj):
    line = error(render(proj, BASE + "rules:\n  - {from: [0字, 2行], to: [20字, 2行]}\n"))
    assert "rule 1 crosses" in line and "headline of story 'a'" in line and "page.yaml:14" in line
    # in the gutter it is a column rule, as meant
    assert render(proj, BASE + "rules:\n  - {from: [27.1字, 0行], to: [27.1字, 30行]}\n").exit_code == 0
    assert render(proj, BASE + "rules:\n  - {from: [0字, 2行], to: [20字, 2行], overlap: allow}\n").exit_code == 0


def test_a_rule_off_the_page(proj):
    line = error(render(proj, BASE + "rules:\n  - {from: [0字, 0行], to: [0字, 200行]}\n"))
    assert "rule 1 runs off the page" in line


def test_an_overlong_box_label(proj):
    text = BASE.replace("  a: {column: 1, span: 2, line: 1, lines: 30}",
                        "  a: {column: 1, span: 2, line: 5, lines: 26}\n  lab: {column: 1, span: 2, line: 1, lines: 3}")
    line = error(render(proj, text + f"boxes:\n  - {{frames: [a], label: {{text: {'标' * 60}, frame: lab}}}}\n"))
    assert "box label" in line and "page.yaml:15" in line and ("outside" in line or "off the page" in line)
    line = error(render(proj, text + f"boxes:\n  - {{frames: [a], label: {{text: {'标' * 300}, frame: lab}}}}\n"))
    assert "label.text" in line and "the limit is 100" in line
    assert render(proj, text + "boxes:\n  - {frames: [a], label: {text: 专栏, frame: lab}}\n").exit_code == 0


def test_an_overlong_running_head(proj):
    paper = "示例日报" * 20
    line = error(render(proj, BASE + f"date: 2021-12-03\nrunning_head: {{paper: {paper}, page: 3, editor: 某某}}\n"))
    assert "running head" in line and "page.yaml:14" in line
    line = error(render(proj, BASE + f"running_head: {{paper: {paper * 4}}}\n"))
    assert "running_head.paper" in line and "the limit is 100" in line
    assert render(proj, BASE + "date: 2021-12-03\nrunning_head: {paper: 示例日报, page: 3}\n").exit_code == 0
    # on an A4 page the paper's name, centred, runs into the date and the editor's credit
    line = error(render(proj, BASE + "date: 2021-12-03\nrunning_head: {paper: 示例日报, page: 3, editor: 某某}\n"))
    assert "running head '示例日报' prints over the running head" in line


@pytest.mark.parametrize("tracking", ["-3", "-1.5em"])
def test_negative_tracking_cannot_push_a_headline_off_its_frame(proj, tracking):
    text = BASE.replace("headline: {size: 20pt}\n  - article: b.md",
                        f"headline: {{size: 20pt, tracking: {tracking}}}\n  - article: b.md")
    assert "headline.tracking" in error(render(proj, text))


def test_tight_tracking_within_the_limit_stays_in_the_frame(proj):
    for align in ("left", "center", "right"):
        text = BASE.replace("headline: {size: 20pt}\n  - article: b.md",
                            f"headline: {{size: 20pt, tracking: -0.5, align: {align}}}\n  - article: b.md")
        assert render(proj, text).exit_code == 0


def test_a_box_border_through_text(proj):
    # padding pushes the border out into the next story's column
    line = error(render(proj, BASE + "boxes:\n  - {frames: [a], border: {weight: 0.5pt}, padding: 6mm}\n"))
    assert "border of box 1 runs through" in line and "story 'b'" in line and "page.yaml:14" in line
    # round its own text, at no padding or a little, as designed
    assert render(proj, BASE + "boxes:\n  - {frames: [a], border: {weight: 0.5pt}}\n").exit_code == 0
    assert render(proj, BASE + "boxes:\n  - {frames: [a], border: {weight: 0.5pt}, padding: 2pt}\n").exit_code == 0
    assert render(proj, BASE + "boxes:\n  - {frames: [a], border: {weight: 0.5pt}, padding: 6mm, "
                               "overlap: allow}\n").exit_code == 0
    line = error(render(proj, BASE + "boxes:\n  - {frames: [a], border: {weight: 0.5pt}, padding: -1mm}\n"))
    assert "padding cannot be negative" in line


def test_collision_messages_show_text_as_typed_and_suggest_overlap_only_where_it_is_taken(proj):
    head = ("date: 2021-12-03\nrunning_head: {page: 5, section: 这是一个特别特别长的版面名称用来测试, "
            "paper: 测试日报测试日报测试日报测试日报}\n")
    line = error(render(proj, BASE + head))
    assert "the running head '2021年12月3日　星' prints over the running head" in line  # not \u3000
    assert "overlap: allow" not in line  # a running head takes no overlap:
