"""Body type per story: its own face, size and leading, snapped to the page's grid."""

import textwrap
from pathlib import Path

import pytest

from pagesetter.errors import PagesetterError
from pagesetter.layout.loader import load_layout, snap_leading
from pagesetter.page.flow import compose_page

ROOT = Path(__file__).resolve().parents[2]
A = ROOT / "articles"


def test_snap_leading():
    assert snap_leading(13, 13) == (13, 1, 1)
    assert snap_leading(26.5, 13) == (26, 1, 2)          # every second grid line
    p, lines, grid = snap_leading(8.6, 13)
    assert (lines, grid) == (3, 2) and p == pytest.approx(26 / 3)  # three lines in two grid lines
    assert snap_leading(9.75, 13)[1:] == (4, 3)


def page_of(tmp_path, body: str):
    path = tmp_path / "t.yaml"
    path.write_text(textwrap.dedent(f"""\
        name: t
        page: {{size: 四开, margins: 15mm}}
        grid: {{columns: 6, body: {{font: 书宋, size: 小五, leading: 13pt}}}}
        style: {ROOT / 'layouts' / 'house.yaml'}
        frames:
          a: {{column: 1, span: 2, line: 1, lines: 60}}
          b: {{column: 3, span: 2, line: 1, lines: 60}}
        stories:
          - {{article: {A / '01-louxing-feature.md'}, frames: [a], headline: false}}
          - {{article: {A / '02-lengshuitan.md'}, frames: [b], body: {body}}}
        """), encoding="utf-8")
    return compose_page(load_layout(path))


def test_kai_commentary_on_the_page_grid(tmp_path):
    page = page_of(tmp_path, "{font: 楷体, size: 9pt}")
    body = [p for p in page.lines if p.story == "02-lengshuitan" and p.role == "body"]
    assert body and all("WenKai" in str(p.line.glyphs[0].font.ref.path) for p in body)
    lay = page.layout
    for p in body:  # on the page's baselines
        g = (p.baseline - 0.88 * 9 - (lay.pitch - 9) / 2 - lay.type_area.y) / lay.pitch
        assert g == pytest.approx(round(g), abs=1e-6)


def test_smaller_briefs_on_a_sub_grid(tmp_path):
    page = page_of(tmp_path, "{size: 7.5pt, leading: 8.6pt}")
    lay = page.layout
    body = [p for p in page.lines if p.story == "02-lengshuitan" and p.role == "body"]
    assert all(p.size == 7.5 for p in body)
    steps = {round(b.baseline - a.baseline, 3) for a, b in zip(body, body[1:])}
    assert steps == {round(26 / 3, 3)}
    # rows of 26/3 pt from the text's first grid line: every third row starts on a page grid line again
    for p in body[::3]:
        row_top = p.baseline - 0.88 * 7.5 - (26 / 3 - 7.5) / 2
        g = (row_top - lay.type_area.y) / lay.pitch
        assert g == pytest.approx(round(g), abs=1e-6)
    assert len(body) > 3
    assert "".join(p.line.text for p in page.lines if p.story == "02-lengshuitan" and p.role in ("body", "byline"))


def test_story_body_errors(tmp_path):
    with pytest.raises(PagesetterError, match=r"t.yaml:\d+:\d+: stories\[1\].body.leading: .*needs at least"):
        page_of(tmp_path, "{size: 12pt, leading: 6pt}")
    with pytest.raises(PagesetterError, match="unknown field 'lead'"):
        page_of(tmp_path, "{size: 9pt, lead: 6pt}")
