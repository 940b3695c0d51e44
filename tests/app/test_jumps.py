"""转版: a story that starts on one page of an edition and continues on another."""

import re
from pathlib import Path

import pypdfium2 as pdfium
from click.testing import CliRunner

from pagesetter.app.cli import main
from pagesetter.app.edition import load_edition, page_defaults, thread_stories
from pagesetter.app.pipeline import compose_layout
from tests.helpers import write_test_article

PAGE = """page: {{size: A3, margins: 20mm}}
grid: {{columns: 6, gutter: 1字, body: {{size: 9pt, leading: 13pt}}}}
frames:
{frames}
stories:
{stories}
"""


def _edition(folder: Path, *, jump="{page: 4, frame: j}", p1_lines=30, j_lines=41, extra="",
             numbers=(1, 4)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_test_article(folder)
    (folder / "other").mkdir(parents=True, exist_ok=True)
    write_test_article(folder / "other", seed=5, paragraphs=3)
    (folder / "p1.yaml").write_text(PAGE.format(
        frames=f"  a: {{column: 1, span: 3, columns: 3, line: 1, lines: {p1_lines}}}",
        stories=f"  - {{id: s, article: story.md, frames: [a, {jump}]{extra}}}"), encoding="utf-8")
    (folder / "p4.yaml").write_text(PAGE.format(
        frames=f"  j: {{column: 4, span: 3, columns: 3, line: 10, lines: {j_lines}}}\n"
               "  b: {column: 1, span: 3, columns: 3, line: 1, lines: 40}",
        stories="  - {id: other, article: other/story.md, frames: [b]}"), encoding="utf-8")
    ed = folder / "ed.yaml"
    ed.write_text(f"edition: {{date: 2021-12-03}}\npages:\n  - {{layout: p1.yaml, page: {numbers[0]}}}\n"
                  f"  - {{layout: p4.yaml, page: {numbers[1]}}}\n", encoding="utf-8")
    return ed


def _pdf_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return re.sub(r"\s+", "", pdf[0].get_textpage().get_text_range())
    finally:
        pdf.close()


def _composed(ed: Path):
    edition = load_edition(ed)
    threads = thread_stories(edition)
    return [compose_layout(p.layout, defaults=page_defaults(edition, p), continuations=threads.get(p.number, []),
                           in_edition=True)[0] for p in edition.pages]


def test_jumped_story_appears_once_in_order_across_the_pages(tmp_path):
    pages = _composed(_edition(tmp_path))
    parts = ["".join(p.line.text for p in page.lines if p.story == "s" and p.role in ("body", "subhead", "byline"))
             for page in pages]
    assert all(parts)
    story = pages[0].layout.stories[0]
    a = story.article
    source = "".join(b.text if hasattr(b, "text") else "".join(b.lines) for b in a.blocks) + a.byline
    assert (parts[0] + parts[1]).replace(" ", "") == source.replace(" ", "")
    first, second = pages[0].stories[0], pages[1].stories[-1]
    assert first.continues_on == 4 and first.overset_chars == 0
    assert second.continued_from == 1 and second.overset_chars == 0
    jumps = [[p for p in page.lines if p.role == "jump"] for page in pages]
    assert [p.line.text for p in jumps[0]] == ["（下转第4版）"]
    assert [p.line.text for p in jumps[1]] == ["（上接第1版）"]
    # the jump line takes the last line of the first part; the continuation opens with its headline
    last = max((p for p in pages[0].lines if p.story == "s"), key=lambda p: (p.column, p.grid_line or 0))
    assert last.role == "jump"
    head = [p for p in pages[1].lines if p.story == "s" and p.role == "headline"]
    assert head and head[0].line.text == a.title
    # a paragraph cut at the jump goes on without a first-line indent
    block, offset = first.stop
    body = [p for p in pages[1].lines if p.story == "s" and p.role in ("body", "subhead")]
    assert body[0].block == block
    if offset:
        assert body[0].line.indent == 0
        before = [p for p in pages[0].lines if p.story == "s" and p.block == block]
        assert before and not before[-1].line.last  # the line before the jump is a justified, full line


def test_edition_pdfs_carry_the_jump_lines_and_render_in_parallel(tmp_path):
    ed = _edition(tmp_path)
    out1, out2 = tmp_path / "o1", tmp_path / "o2"
    r1 = CliRunner().invoke(main, ["render", str(ed), "-o", str(out1), "--report", str(tmp_path / "r.json")])
    assert r1.exit_code == 0, r1.output
    r2 = CliRunner().invoke(main, ["render", str(ed), "-o", str(out2), "--jobs", "2"])
    assert r2.exit_code == 0, r2.output
    assert "（下转第4版）" in _pdf_text(out1 / "p1.pdf")
    assert "（上接第1版）" in _pdf_text(out1 / "p4.pdf")
    for name in ("p1.pdf", "p4.pdf"):
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes()
    import json
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    fits = {(p["page"], s["id"]): s["fit"] for p in report["pages"] for s in p["stories"]}
    assert fits[(1, "s")]["continues_on_page"] == 4 and fits[(4, "s")]["continued_from_page"] == 1


def test_jump_wording_is_a_house_template(tmp_path):
    ed = _edition(tmp_path)
    for name in ("p1.yaml", "p4.yaml"):
        path = tmp_path / name
        path.write_text(path.read_text(encoding="utf-8").replace(
            "frames:\n", "style: {jump: {to: '（转{page}版）', from: '（接{page}版）', align_from: center}}\nframes:\n", 1),
            encoding="utf-8")
    pages = _composed(ed)
    assert [p.line.text for p in pages[0].lines if p.role == "jump"] == ["（转4版）"]
    (lead,) = [p for p in pages[1].lines if p.role == "jump"]
    assert lead.line.text == "（接1版）"
    frame = pages[1].layout.frames["j"]
    assert abs((lead.x - frame.box.x) - (frame.column_width - lead.line.width * lead.size) / 2) < 0.01


def test_jump_title_and_no_title(tmp_path):
    pages = _composed(_edition(tmp_path, extra=", jump_title: 转版标题"))
    assert [p.line.text for p in pages[1].lines if p.role == "headline" and p.story == "s"] == ["转版标题"]
    pages = _composed(_edition(tmp_path / "b", extra=", jump_title: false"))
    assert not [p for p in pages[1].lines if p.role == "headline" and p.story == "s"]


def test_one_page_alone_renders_with_its_jump_line_and_says_so(tmp_path):
    _edition(tmp_path)
    result = CliRunner().invoke(main, ["render", str(tmp_path / "p1.yaml"), "-o", str(tmp_path / "p1.pdf")])
    assert result.exit_code == 0, result.output
    assert "story 's' continues on page 4: render the edition" in result.output
    assert "（下转第4版）" in _pdf_text(tmp_path / "p1.pdf")


def test_jump_to_a_page_outside_the_edition_is_a_clear_error(tmp_path):
    ed = _edition(tmp_path, jump="{page: 7, frame: j}")
    result = CliRunner().invoke(main, ["render", str(ed), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert re.search(r"p1\.yaml:6:44: stories\.s\.frames: story 's' jumps to page 7, which is not in edition "
                     r"ed\.yaml", result.output)


def test_jump_to_a_missing_or_taken_frame_is_an_error(tmp_path):
    ed = _edition(tmp_path, jump="{page: 4, frame: nope}")
    result = CliRunner().invoke(main, ["render", str(ed), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "frame 'nope', which page 4" in result.output
    ed = _edition(tmp_path / "t", jump="{page: 4, frame: b}")
    result = CliRunner().invoke(main, ["render", str(ed), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "which story 'other' already uses" in result.output


def test_continuation_overset_is_reported_on_its_page(tmp_path):
    ed = _edition(tmp_path, j_lines=20)
    result = CliRunner().invoke(main, ["render", str(ed), "-o", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert re.search(r"overset: .*p4\.yaml: story 's'", result.output)


def test_jump_templates_need_the_page_number(tmp_path):
    ed = _edition(tmp_path)
    path = tmp_path / "p1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "frames:\n", "style: {jump: {to: '（下转）', font: 楷体, size: 小五}}\nframes:\n", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(ed), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert re.search(r"p1\.yaml:3:\d+: style\.jump\.to: the jump line needs \{page\}", result.output), result.output


def test_a_story_that_fits_its_first_page_does_not_jump(tmp_path):
    pages = _composed(_edition(tmp_path, p1_lines=82))
    assert not [p for page in pages for p in page.lines if p.role == "jump"]
    assert not [p for p in pages[1].lines if p.story == "s"]
    assert any("its jump to page 4 is not needed" in w for w in pages[0].warnings)


def test_a_chain_starts_on_its_own_page(tmp_path):
    ed = _edition(tmp_path, jump="{page: 4, frame: j}, a")
    result = CliRunner().invoke(main, ["render", str(ed), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "the chain continues only on that page" in result.output
    path = tmp_path / "p1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("[a, {page: 4, frame: j}, a]", "[{page: 4, frame: j}]"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "p.pdf")])
    assert result.exit_code == 2 and "p1.yaml:6:" in result.output and "a story starts on its own page" in result.output
