"""The example edition (layouts/edition.yaml): a jump, a fitted story, balanced frames, column rules."""

import json
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner

from pagesetter.app.cli import main

ROOT = Path(__file__).resolve().parents[2]
EDITION = ROOT / "layouts" / "edition.yaml"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("edition")
    result = CliRunner().invoke(main, ["render", str(EDITION), "-o", str(out), "--jobs", "2",
                                       "--report", str(out / "report.json")])
    assert result.exit_code == 0, result.output
    return out, result.output, json.loads((out / "report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def composed():
    from pagesetter.app.edition import load_edition, page_defaults, thread_stories
    from pagesetter.app.pipeline import compose_layout
    edition = load_edition(EDITION)
    threads = thread_stories(edition)
    return {p.number: compose_layout(p.layout, defaults=page_defaults(edition, p),
                                     continuations=threads.get(p.number, []), in_edition=True)[0]
            for p in edition.pages}


def _text(pdf_path: Path) -> str:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return re.sub(r"\s+", "", pdf[0].get_textpage().get_text_range())
    finally:
        pdf.close()


def test_the_edition_renders_with_jump_lines_and_page_numbers(rendered):
    out, output, _ = rendered
    front, back = _text(out / "front.pdf"), _text(out / "page4.pdf")
    assert "（下转第4版）" in front and "第1版" in front
    assert "（上接第1版）" in back and "第4版" in back
    assert "warning" not in output and "overset" not in output


def test_the_jumped_story_appears_once_in_order(composed):
    story = next(s for s in composed[1].layout.stories if s.jump)
    parts = ["".join(p.line.text for p in composed[n].lines if p.story == story.id and p.role in ("body", "subhead"))
             for n in (1, 4)]
    source = "".join(b.text if hasattr(b, "text") else "".join(b.lines) for b in story.article.blocks)
    assert parts[0] and parts[1]
    assert parts[0] + parts[1] == source


def test_the_fitted_story_ends_on_its_frames_last_grid_line(composed, rendered):
    page = composed[1]
    layout = page.layout
    story = next(s for s in layout.stories if s.fit)
    result = next(r for r in page.stories if r.id == story.id)
    assert result.fit["fitted"] and result.fit["paragraphs"]
    frame = layout.frames[story.frames[-1]]
    last = max(p.grid_line for p in page.lines if p.story == story.id and p.grid_line is not None
               and p.column == frame.columns - 1)
    assert last == round((frame.box.bottom - layout.type_area.y) / layout.pitch) - 1
    assert f"fit: {EDITION}: story {story.id!r}: ¶" in rendered[1] or "fit: " in rendered[1]


def test_the_balanced_frames_end_within_one_line(composed):
    seen = 0
    for page in composed.values():
        for fid, frame in page.layout.frames.items():
            if not frame.balance:
                continue
            ends = {}
            for p in page.lines:
                if p.frame == fid and p.grid_line is not None:
                    ends[p.column] = max(ends.get(p.column, -1), p.grid_line)
            assert len(ends) == frame.columns and max(ends.values()) - min(ends.values()) <= 1, fid
            seen += 1
    assert seen >= 1


def test_the_report_shows_empty_lines_per_story(rendered):
    report = rendered[2]
    stories = [s for p in report["pages"] for s in p["stories"]]
    assert len({p["page"] for p in report["pages"]}) == 2
    for s in stories:
        assert isinstance(s["fit"]["empty_lines"], int) and s["fit"]["frames"]


def test_column_rules_run_only_in_gutters_between_text(composed):
    for page in composed.values():
        assert page.strokes
        layout = page.layout
        lines = [p for p in page.lines if p.role in ("body", "subhead", "byline", "jump") and p.grid_line is not None]
        for r in page.strokes:
            if r.y1 == r.y2:
                continue  # the running head's rules
            gutter_left = [p for p in lines if 0 < r.x1 - (p.x + p.measure) < layout.gutter
                           and r.y1 - layout.pitch < p.baseline < r.y2 + layout.pitch]
            gutter_right = [p for p in lines if 0 < p.x - r.x1 < layout.gutter
                            and r.y1 - layout.pitch < p.baseline < r.y2 + layout.pitch]
            assert gutter_left and gutter_right, r


def test_the_demo_layouts_follow_the_schema():
    import jsonschema
    import yaml

    from pagesetter.layout.schema import LAYOUT_SCHEMA
    for name in ("front.yaml", "page4.yaml"):
        data = yaml.safe_load((ROOT / "layouts" / name).read_text(encoding="utf-8"))
        assert not list(jsonschema.Draft202012Validator(LAYOUT_SCHEMA).iter_errors(data)), name
