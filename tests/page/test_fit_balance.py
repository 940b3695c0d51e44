"""Auto-fit (撑版/缩版) in balanced columns (齐底), with and without a byline at the story's end."""

from pathlib import Path

import pytest

from pagesetter.layout.loader import load_layout
from pagesetter.page.flow import compose_page
from tests.helpers import write_test_article

ONE_LINE = "（记者 某某）"
TWO_LINES = "（记者 欧阳明月 司马长风 Zhang Wei）"  # two lines at a 13-em measure
LONG = "（记者 欧阳明月 司马长风 诸葛孔明 上官婉儿 慕容复 令狐冲 Zhang Wei 东方不败）"


def _page(folder: Path, *, columns: int, span: int, lines: int, byline: str | None, seed: int, paragraphs: int,
          story: str = ", fit: true", frame: str = ", balance: true"):
    article = write_test_article(folder, seed=seed, paragraphs=paragraphs)
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("byline: （记者 某某）\n", f"byline: {byline}\n" if byline else ""),
                       encoding="utf-8")
    path = folder / "page.yaml"
    path.write_text(f"""page: {{size: A3, margins: 20mm}}
grid: {{columns: 6, gutter: 1字, body: {{size: 9pt, leading: 13pt}}}}
frames:
  b: {{column: 1, span: {span}, columns: {columns}, line: 1, lines: {lines}{frame}}}
stories:
  - {{id: s, article: story.md, frames: [b]{story}}}
""", encoding="utf-8")
    return compose_page(load_layout(path))


def _ends(page) -> dict[int, int]:
    """The grid line each column's last line of text sits on."""
    ends: dict[int, int] = {}
    for p in page.lines:
        if p.story == "s" and p.grid_line is not None:
            ends[p.column] = max(ends.get(p.column, -1), p.grid_line)
    return ends


def _check_text_and_byline(page, byline: str | None) -> None:
    article = page.layout.stories[0].article
    source = "".join(b.text if hasattr(b, "text") else "".join(b.lines) for b in article.blocks) + (byline or "")
    set_text = "".join(p.line.text for p in page.lines if p.story == "s" and p.role in ("body", "subhead", "byline"))
    assert set_text.replace(" ", "") == source.replace(" ", "")  # every character, in order
    assert page.stories[0].overset_chars == 0
    assert not [p for p in page.lines if p.line.violation]
    by = [p for p in page.lines if p.role == "byline"]
    assert bool(by) == bool(byline)
    for p in by:  # never alone at a column's top: a body line of the story sits above it or beside it
        assert any(q.role == "body" and q.column == p.column and q.grid_line <= by[0].grid_line
                   for q in page.lines if q.story == "s"), p.line.text
    if byline == ONE_LINE:
        assert len(by) == 1
    elif byline == TWO_LINES:
        assert len(by) == 2
    elif byline == LONG:
        assert len(by) >= 2


@pytest.mark.parametrize("columns, span, lines, byline, seed, paragraphs", [
    (3, 3, 60, ONE_LINE, 3, 8),
    (3, 3, 60, TWO_LINES, 3, 8),
    (3, 3, 60, None, 3, 8),
    (4, 4, 50, LONG, 3, 8),
    (3, 6, 60, ONE_LINE, 3, 8),
    (2, 5, 40, LONG, 9, 7),
], ids=["3cols-byline", "3cols-two-line-byline", "3cols-no-byline", "4cols-long-byline", "3wide-cols-byline",
        "2cols-long-byline"])
def test_fit_with_balance_ends_every_column_on_one_grid_line(tmp_path, columns, span, lines, byline, seed, paragraphs):
    page = _page(tmp_path, columns=columns, span=span, lines=lines, byline=byline, seed=seed, paragraphs=paragraphs)
    (story,) = page.stories
    assert story.fit["fitted"], page.warnings
    ends = _ends(page)
    assert len(ends) == columns and len(set(ends.values())) == 1, ends
    assert story.empty_lines == 0 and story.balanced_depth is not None
    assert all(-0.05 <= c["tracking_em"] <= 0.05 for c in story.fit["paragraphs"])
    _check_text_and_byline(page, byline)
    assert not [w for w in page.warnings if "empty" in w]


def test_balance_alone_is_left_as_it_was(tmp_path):
    # a case whose balanced columns end a line apart: without fit: the balance keeps them so
    plain = _page(tmp_path, columns=3, span=3, lines=60, byline=LONG, seed=3, paragraphs=8, story="")
    ends = _ends(plain)
    assert max(ends.values()) - min(ends.values()) == 1
    assert plain.stories[0].fit is None or not plain.stories[0].fit.get("paragraphs")
    _check_text_and_byline(plain, LONG)


def test_a_line_gone_over_with_the_byline_no_longer_counts_in_its_old_column(tmp_path):
    # two columns of six lines; for some lengths the body fills the first column to its foot and
    # the byline takes the story's last lines over to the second (two: keep_last_lines): the first then
    # ends two lines higher
    (tmp_path / "p.yaml").write_text("""page: {size: A4, margins: 20mm}
grid: {columns: 4, gutter: 1字, body: {font: 书宋, size: 10pt, leading: 15pt}}
frames:
  main: {x: 0字, measure: 10字, columns: 2, gutter: 1字, line: 1, lines: 6}
stories:
  - {id: s, article: a.md, frames: [main]}
""", encoding="utf-8")
    moved = 0
    for n in range(40, 56):
        (tmp_path / "a.md").write_text(f"---\nbyline: （张三 李四）\n---\n\n{'十' * n}。\n", encoding="utf-8")
        page = compose_page(load_layout(tmp_path / "p.yaml"))
        (story,) = page.stories
        assert story.overset_chars == 0
        rows: dict[int, set] = {}
        for p in page.lines:
            rows.setdefault(p.column, set()).add(p.grid_line)
        used = {c["column"] - 1: c["used"] for c in story.frames[0]["columns"]}
        assert used == {c: len(rows.get(c, ())) for c in used}, n
        by = [p for p in page.lines if p.role == "byline"]
        moved += by[0].column == 1 and len(rows[1]) == 3 and len(rows[0]) == 4
    assert moved, "no length took the last line over with the byline"


def test_a_balanced_story_that_cannot_be_fitted_is_left_balanced_and_says_so(tmp_path):
    # no tracking allowed: the balanced columns end a line apart and no depth levels them
    plain = _page(tmp_path, columns=3, span=3, lines=60, byline=ONE_LINE, seed=3, paragraphs=8, story="")
    ends = _ends(plain)
    assert max(ends.values()) - min(ends.values()) == 1
    page = _page(tmp_path, columns=3, span=3, lines=60, byline=ONE_LINE, seed=3, paragraphs=8,
                 story=", fit: {tracking: [0em, 0em]}")
    (story,) = page.stories
    assert story.fit["fitted"] is False and story.fit["misses_lines"] >= 1
    assert [w for w in page.warnings if "no fit within tracking" in w]
    assert [(p.line.text, p.column, p.grid_line) for p in page.lines] == \
        [(p.line.text, p.column, p.grid_line) for p in plain.lines]
