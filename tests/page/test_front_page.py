"""The demo front page (layouts/page1.yaml): masthead, 导读 with the right pages, a table, a credited photo."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from pagesetter.app.cli import main
from pagesetter.app.edition import load_edition, page_defaults
from pagesetter.layout.loader import load_layout
from pagesetter.page.flow import compose_page

ROOT = Path(__file__).resolve().parents[2]
FRONT = ROOT / "layouts" / "page1.yaml"


@pytest.fixture(scope="module")
def front():
    return compose_page(load_layout(FRONT))


def test_front_page_has_its_elements(front):
    roles = {p.role for p in front.lines}
    assert {"masthead_name", "masthead", "index_headline", "index_page", "table_header", "table_cell",
            "caption", "section_head"} <= roles
    assert "农历辛丑年十月廿九" in [p.line.text for p in front.lines if p.role == "masthead"]
    assert [p.line.text for p in front.lines if p.role == "index_page"] == ["第3版"] * 5
    assert "本报记者 某某 摄" in [p.line.text for p in front.lines if p.role == "caption"]
    # every story ends on the last line of its frame: no warning, not even of empty lines
    assert not front.overset and not front.warnings
    assert [(s.id, s.empty_lines) for s in front.stories if s.empty_lines] == []
    # every character of the table is on the page
    table = front.layout.tables[0]
    set_text = "".join(p.line.text for p in front.lines if p.story == "table:figures")
    assert sorted(set_text) == sorted("".join("".join(r) for r in table.rows))


def test_front_page_headline_gaps_are_the_same(front):
    gaps = []
    for story in front.layout.stories:
        head = [p for p in front.lines if p.story == story.id and p.role in ("kicker", "headline", "subtitle")]
        body = [p for p in front.lines if p.story == story.id and p.role == "body"]
        last, first = max(head, key=lambda p: p.baseline), min(body, key=lambda p: p.baseline)
        bottom = last.baseline + 0.12 * last.size
        if story.headline.bar is not None:  # a stack on a bar: from the bar's foot
            bottom = max(b.bottom for b, _ in front.fills if b.x <= last.x <= b.right and b.y <= last.baseline <= b.bottom)
        gaps.append((first.baseline - 0.88 * first.size) - bottom)
    assert max(gaps) - min(gaps) < 0.01


def test_front_page_index_follows_the_edition(tmp_path):
    edition = tmp_path / "edition.yaml"
    edition.write_text(f"edition: {{date: 2021-12-04}}\npages:\n  - {FRONT}\n  - {ROOT / 'layouts' / 'page3.yaml'}\n",
                       encoding="utf-8")
    ed = load_edition(edition)
    page = compose_page(load_layout(FRONT, defaults=page_defaults(ed, ed.pages[0])))
    assert [p.line.text for p in page.lines if p.role == "index_page"] == ["第2版"] * 5
    details = [p.line.text for p in page.lines if p.role == "masthead"]
    assert "2021年12月4日　星期六" in details and "第12345期　今日2版" in details


def test_front_page_renders(tmp_path):
    out = tmp_path / "page1.pdf"
    result = CliRunner().invoke(main, ["render", str(FRONT), "-o", str(out)])
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader
    text = "".join(PdfReader(out).pages[0].extract_text().split())
    for needle in ("示例日报", "导读", "第3版", "数字里的基层", "本报记者", "国内统一连续出版物号"):
        assert needle in text


def test_demo_page3_headline_gaps_from_the_report():
    """The 1.5–10.7 mm swing of the demo's headline-to-text gaps is gone: every stack at the top of a
    frame ends half a grid line above its text (headline_space), measured from the composition report."""
    from pagesetter.app.report import render_report
    from pagesetter.units import MM
    page = compose_page(load_layout(ROOT / "layouts" / "page3.yaml"))
    report = render_report([page])["pages"][0]
    gaps = {}
    for story in report["stories"]:
        first = story["frames"][0]["lines"]
        head = [l for l in first if l["role"] in ("kicker", "headline", "subtitle")]
        body = [l for l in first if l["role"] == "body"]
        if not head or not body:
            continue  # the vertical headline sits beside its text
        last = max(head, key=lambda l: l["baseline_mm"])
        text = min(body, key=lambda l: l["baseline_mm"])
        gaps[story["id"]] = (text["baseline_mm"] - 0.88 * text["size_pt"] / 72 * 25.4) - \
            (last["baseline_mm"] + 0.12 * last["size_pt"] / 72 * 25.4)
    assert len(gaps) == 10
    for sid, gap in gaps.items():
        assert gap == pytest.approx(page.layout.pitch / 2 / MM, abs=0.005), sid
