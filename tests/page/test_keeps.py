"""Keeps across columns, on copy and depths the demo never had: a subhead is never left at a
column's foot, and the lines that go over with a byline leave no widow or orphan behind."""

from pathlib import Path

import pytest

from pagesetter.app.pipeline import compose_layout

ARTICLE = Path(__file__).resolve().parents[1] / "fixtures" / "keeps-winter.md"
LAYOUT = """\
page: {{size: A3, margins: 20mm}}
grid: {{columns: 1, body: {{font: 书宋, size: 9pt, leading: 13.5pt}}}}
frames:
  f: {{x: 0mm, measure: {measure}字, columns: 4, line: 1, lines: {lines}}}
stories:
  - article: {article}
    frames: [f]
"""


@pytest.mark.parametrize("measure, lines", [(11, 26), (14, 19), (17, 26), (11, 24), (14, 21), (17, 19)])
def test_no_subhead_at_a_column_foot_and_no_widow_before_the_byline(tmp_path, measure, lines):
    path = tmp_path / "k.yaml"
    path.write_text(LAYOUT.format(measure=measure, lines=lines, article=ARTICLE), encoding="utf-8")
    (page,) = compose_layout(path, root_dir=ARTICLE.parents[2])
    assert not page.overset
    columns: dict[int, list] = {}
    for p in page.lines:
        if p.frame == "f" and p.grid_line is not None:
            columns.setdefault(p.column, []).append(p)
    for k, col in sorted(columns.items()):
        col.sort(key=lambda p: p.grid_line)
        assert col[-1].role != "subhead", (k, col[-1].line.text)
        first = col[0]
        if k and first.role == "body":
            # a paragraph's last line alone at the top (a widow): not with keep_last_lines 2
            assert not (first.line.last and first.line.unit_range[0] > 0
                        and (len(col) == 1 or col[1].block != first.block)), (k, first.line.text)
        last = col[-1]
        if last.role == "body" and not last.line.last:
            # a paragraph's first line alone at the foot (an orphan)
            assert last.line.unit_range[0] > 0 or (len(col) > 1 and col[-2].block == last.block), (k, last.line.text)


def test_when_two_lines_and_the_byline_do_not_fit_the_last_line_goes_alone(tmp_path):
    # room for the byline and one line in the last frame, not two: keep_last_lines gives way
    # (asking for two lines moved the cursor past the frame and set the byline overset)
    (tmp_path / "a.txt").write_text("新闻出版印刷排版编辑记者报道城市乡村经济发展建设项目工作会议群众服务社会文化教育科技创新产业市场\n\n"
                                    "本报记者 张三\n", encoding="utf-8")
    (tmp_path / "k.yaml").write_text("""page: {size: A3, margins: 20mm}
grid: {columns: 1, body: {font: 书宋, size: 9pt, leading: 13.5pt}}
frames:
  f: {x: 0mm, measure: 10字, columns: 1, line: 1, lines: 5}
  g: {x: 100mm, measure: 10字, columns: 1, line: 1, lines: 2}
stories:
  - article: a.txt
    frames: [f, g]
""", encoding="utf-8")
    (page,) = compose_layout(tmp_path / "k.yaml", root_dir=tmp_path)
    assert not page.overset
    g = sorted((p for p in page.lines if p.frame == "g"), key=lambda p: p.grid_line)
    assert [p.role for p in g] == ["body", "byline"]
