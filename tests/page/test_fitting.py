"""Copy fitting: the fit report, balanced columns (齐底), auto-fit by tracking (撑版/缩版)."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pagesetter.app.cli import main
from pagesetter.layout.loader import load_layout
from pagesetter.page.flow import compose_page
from tests.helpers import write_test_article as _article

def _layout(folder: Path, b_lines: int, story_extra: str = "", frame_extra: str = "", style: str = "") -> Path:
    _article(folder)
    path = folder / "page.yaml"
    path.write_text(f"""page: {{size: A3, margins: 20mm}}
grid: {{columns: 6, gutter: 1字, body: {{size: 9pt, leading: 13pt}}}}
{style}
frames:
  a: {{column: 1, span: 3, columns: 3, line: 1, lines: 40}}
  b: {{column: 4, span: 3, columns: 3, line: 1, lines: {b_lines}{frame_extra}}}
stories:
  - {{id: s, article: story.md, frames: [a, b]{story_extra}}}
""", encoding="utf-8")
    return path


def _body_text(page, story="s") -> str:
    return "".join(p.line.text for p in page.lines if p.story == story and p.role in ("body", "subhead", "byline"))


def _source_text(layout) -> str:
    a = layout.stories[0].article
    return "".join(b.text if hasattr(b, "text") else "".join(b.lines) for b in a.blocks) + a.byline


def _last_rows(page, frame="b"):
    rows = {}
    for p in page.lines:
        if p.frame == frame and p.grid_line is not None:
            rows[p.column] = max(rows.get(p.column, -1), p.grid_line)
    return rows


def test_fit_report_counts_lines_per_frame_and_column_and_warns_of_empty_space(tmp_path):
    path = _layout(tmp_path, 40)
    report = tmp_path / "r.json"
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "p.pdf"), "--report", str(report)])
    assert result.exit_code == 0, result.output
    fit = json.loads(report.read_text(encoding="utf-8"))["pages"][0]["stories"][0]["fit"]
    a, b = fit["frames"]
    assert a["available"] == 3 * 37 and a["used"] == a["available"]  # three headline lines off the top
    assert [c["available"] for c in b["columns"]] == [40, 40, 40]
    assert b["used"] == sum(c["used"] for c in b["columns"])
    assert fit["empty_lines"] == b["available"] - b["used"] > 1
    assert fit["empty_columns"] == ["b:3"]
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1  # one line per story
    assert f"leaves {fit['empty_lines']} empty lines at the end of frame 'b'" in warnings[0]
    assert "column 3 of 3 of frame 'b'" in warnings[0]


def test_the_empty_line_threshold_is_a_house_setting(tmp_path):
    page = compose_page(load_layout(_layout(tmp_path, 40, style="style: {fit: {empty_lines: 200}}")))
    (story,) = page.stories
    assert story.empty_lines > 1
    assert not any("empty lines" in w for w in page.warnings)
    assert any("column 3 of 3" in w for w in page.warnings)  # an empty column is always told


def test_balanced_frame_ends_level_on_the_grid(tmp_path):
    page = compose_page(load_layout(_layout(tmp_path, 40, frame_extra=", balance: true")))
    rows = _last_rows(page)
    assert len(rows) == 3 and max(rows.values()) - min(rows.values()) <= 1
    (story,) = page.stories
    assert story.balanced_depth is not None and story.overset_chars == 0
    assert not page.warnings
    pitch = page.layout.pitch
    body = [p for p in page.lines if p.role == "body"]
    for p in body:
        assert p.baseline == pytest.approx(body[0].baseline + (p.grid_line - body[0].grid_line) * pitch)
    assert _body_text(page).replace(" ", "") == _source_text(page.layout).replace(" ", "")


def test_story_balance_applies_to_its_last_frame(tmp_path):
    page = compose_page(load_layout(_layout(tmp_path, 40, story_extra=", balance: true")))
    rows = _last_rows(page)
    assert max(rows.values()) - min(rows.values()) <= 1


@pytest.mark.parametrize("b_lines, direction", [(25, -1), (27, +1)])
def test_auto_fit_ends_the_story_on_the_last_grid_line(tmp_path, b_lines, direction):
    layout = load_layout(_layout(tmp_path, b_lines, story_extra=", fit: {tracking: [-0.05em, 0.05em]}"))
    plain = compose_page(load_layout(_layout(tmp_path, b_lines)))
    page = compose_page(layout)
    (story,) = page.stories
    assert story.fit["fitted"] and story.overset_chars == 0 and story.empty_lines == 0
    last = max(p.grid_line for p in page.lines if p.frame == "b" and p.column == 2)
    frame = layout.frames["b"]
    assert last == round((frame.box.bottom - layout.type_area.y) / layout.pitch) - 1
    changed = story.fit["paragraphs"]
    assert changed and all(-0.05 <= c["tracking_em"] <= 0.05 and c["tracking_em"] * direction > 0 for c in changed)
    assert all(c["lines"] * direction > 0 for c in changed)
    # every character still there, in order, and no prohibition broken
    assert _body_text(page).replace(" ", "") == _source_text(layout).replace(" ", "")
    assert not [p for p in page.lines if p.line.violation]
    # only the named paragraphs changed
    blocks = {c["paragraph"] - 1 for c in changed}
    for p, q in zip(sorted((p for p in plain.lines if p.block is not None and p.block < min(blocks)),
                           key=lambda p: (p.block, p.grid_line or 0)),
                    sorted((p for p in page.lines if p.block is not None and p.block < min(blocks)),
                           key=lambda p: (p.block, p.grid_line or 0))):
        assert p.line.text == q.line.text


def test_auto_fit_reports_paragraphs_in_the_json(tmp_path):
    path = _layout(tmp_path, 27, story_extra=", fit: true")
    report = tmp_path / "r.json"
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "p.pdf"), "--report", str(report)])
    assert result.exit_code == 0, result.output
    auto = json.loads(report.read_text(encoding="utf-8"))["pages"][0]["stories"][0]["fit"]["auto_fit"]
    assert auto["fitted"] and auto["paragraphs"][0]["paragraph"] >= 1
    assert {"paragraph", "line", "starts", "tracking_em", "lines"} <= set(auto["paragraphs"][0])
    assert "fit: " in result.output and "¶" in result.output


def test_impossible_fit_says_by_how_many_lines_it_misses(tmp_path):
    layout = load_layout(_layout(tmp_path, 30, story_extra=", fit: {tracking: [-0.01em, 0.01em]}"))
    page = compose_page(layout)
    (story,) = page.stories
    assert story.fit["fitted"] is False and story.fit["direction"] == "short"
    assert 1 <= story.fit["misses_lines"] <= story.empty_lines
    assert any(f"{story.fit['misses_lines']} lines short" in w or "1 line short" in w for w in page.warnings)
    # the story is left as it was
    plain = compose_page(load_layout(_layout(tmp_path, 30)))
    assert [p.line.text for p in page.lines] == [p.line.text for p in plain.lines]


def test_fit_limits_are_a_house_setting_and_checked(tmp_path):
    layout = load_layout(_layout(tmp_path, 27, story_extra=", fit: true",
                                 style="style: {fit: {tracking: [-0.02em, 0.03em]}}"))
    assert layout.stories[0].fit == (-0.02, 0.03)
    bad = _layout(tmp_path, 27, story_extra=", fit: {tracking: [0.05em, -0.05em]}")
    result = CliRunner().invoke(main, ["render", str(bad), "-o", str(tmp_path / "p.pdf")])
    assert result.exit_code == 2 and "page.yaml:" in result.output and "tracking" in result.output


def test_auto_fit_with_balance_ends_every_column_on_one_line(tmp_path):
    page = compose_page(load_layout(_layout(tmp_path, 40, frame_extra=", balance: true", story_extra=", fit: true")))
    (story,) = page.stories
    assert story.fit["fitted"] and story.balanced_depth is not None and story.empty_lines == 0
    rows = _last_rows(page)
    assert len(set(rows.values())) == 1


def test_auto_fit_of_the_demo_feature_keeps_its_subheads_in_place(tmp_path):
    from tests.helpers import write_demo_layout
    page = compose_page(load_layout(write_demo_layout(
        tmp_path, **{"    frames: [feature]\n": "    frames: [feature]\n    fit: true\n"})))
    plain = compose_page(load_layout(write_demo_layout(tmp_path)))
    story = page.stories[0]
    assert plain.stories[0].empty_lines == 2 and story.fit["fitted"] and story.empty_lines == 0
    assert [c["lines"] for c in story.fit["paragraphs"]] == [1, 1]
    subheads = lambda pg: [(p.column, p.grid_line) for p in pg.lines if p.story == story.id and p.role == "subhead"]
    assert subheads(page) == subheads(plain)
