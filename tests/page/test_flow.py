from pathlib import Path

import pytest

from pagesetter.errors import PagesetterError
from pagesetter.page.flow import compose_page
from pagesetter.layout.loader import load_layout
from tests.helpers import write_demo_layout

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo():
    return compose_page(load_layout(ROOT / "layouts" / "page3.yaml"))


def test_demo_has_no_overset(demo):
    assert [s.id for s in demo.overset] == []


def test_body_lines_share_one_baseline_grid(demo):
    layout = demo.layout
    body = [p for p in demo.lines if p.role == "body"]
    first = body[0].baseline - body[0].grid_line * layout.pitch
    for p in body:
        assert p.baseline == pytest.approx(first + p.grid_line * layout.pitch)


def story_text(story) -> str:
    """What a story puts on the page: its headline stack as set, then the article."""
    head = story.headline
    stack = "".join(t for t in (head.kicker, head.title, head.subtitle) if t) if head else ""
    a = story.article
    body = a.all_text()[len("".join(t for t in (a.kicker, a.title, a.subtitle) if t)):]
    return (stack + body).replace(" ", "").replace("\n", "")


def test_each_story_reads_in_order(demo):
    from pagesetter.page.headlines import BREAK_MARKS
    for story in demo.layout.stories:
        text = "".join(p.line.text for p in demo.lines if p.story == story.id).replace(" ", "")
        if story.headline and story.headline.direction == "vertical":
            # a vertical headline drops the pause or stop where it breaks, and nothing else
            vertical = sum(1 for p in demo.lines if p.story == story.id and p.vertical)
            assert 0 <= len(story_text(story)) - len(text) <= vertical - 1
            assert text.translate({ord(c): None for c in BREAK_MARKS}) == \
                story_text(story).translate({ord(c): None for c in BREAK_MARKS})
        else:
            assert text == story_text(story)


def test_lines_stay_inside_their_frames(demo):
    layout = demo.layout
    for p in demo.lines:
        if p.frame not in layout.frames or p.vertical:
            continue
        frame = layout.frames[p.frame]
        assert frame.box.x - 0.01 <= p.x
        assert p.x + p.line.width * p.size <= frame.box.right + 0.01
        if p.grid_line is not None:
            assert frame.box.y - 0.01 <= p.baseline - p.size <= frame.box.bottom


def test_subheads_are_never_last_in_a_column(demo):
    rows: dict[tuple[str, int], list] = {}
    for p in demo.lines:
        if p.grid_line is not None:
            rows.setdefault((p.frame, p.column), []).append(p)
    for column in rows.values():
        assert column[-1].role != "subhead"


def test_byline_is_right_aligned_at_the_end(demo):
    for story in demo.layout.stories:
        lines = [p for p in demo.lines if p.story == story.id]
        if story.article.byline:
            by = lines[-1]
            assert by.role == "byline"
            frame = demo.layout.frames[by.frame]
            right = frame.column_x(by.column) + frame.column_width
            assert by.x + by.line.width * by.size == pytest.approx(right)
            if by.grid_line == lines[-2].grid_line:  # shares the last text line: room is left between
                assert lines[-2].x + lines[-2].line.width * lines[-2].size < by.x - by.size


def test_overset_is_counted(tmp_path):
    layout = load_layout(ROOT / "layouts" / "page3.yaml")
    frame = layout.frames["miluo"]
    from dataclasses import replace
    frame.box = replace(frame.box, height=frame.box.height / 2)
    page = compose_page(layout)
    (result,) = page.overset
    assert result.id == "10-miluo" and result.overset_chars > 100
    story = next(s for s in layout.stories if s.id == "10-miluo")
    placed = "".join(p.line.text for p in page.lines if p.story == story.id)
    assert len(placed.replace(" ", "")) + result.overset_chars == len(story_text(story))


def test_missing_glyph_names_article_and_paragraph(tmp_path):
    art = tmp_path / "a.md"
    art.write_text("---\ntitle: 标题\n---\n\n第一段。\n\n第二段有😀。\n", encoding="utf-8")
    p = write_demo_layout(tmp_path, **{str(ROOT / "articles" / "02-lengshuitan.md"): str(art)})
    with pytest.raises(PagesetterError, match=r"a.md:7: .*U\+1F600.*paragraph 2"):
        compose_page(load_layout(p))
