"""What an edition does with running heads, failed pages and mixed sizes (issue 18)."""

import re

from click.testing import CliRunner

from pagesetter.app.cli import main
from pagesetter.app.edition import load_edition, page_defaults
from pagesetter.layout.loader import load_layout
from tests.helpers import demo_project


def edition(folder, pages: str, extra: str = ""):
    path = folder / "layouts" / "ed.yaml"
    path.write_text(f"edition:\n  date: 2021-12-03\n  running_head: {{paper: 示例日报}}\n{extra}pages:\n{pages}",
                    encoding="utf-8")
    return path


def test_a_page_may_opt_out_of_the_running_head_and_a_front_page_takes_none(tmp_path, monkeypatch):
    demo_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    ed = load_edition(edition(tmp_path, "  - page3.yaml\n  - {layout: page3.yaml, output: b.pdf, running_head: false}\n"
                                        "  - page1.yaml\n"))
    first, second, front = (load_layout(p.layout, defaults=page_defaults(ed, p)) for p in ed.pages)
    assert first.running_head is not None and first.running_head.paper == "示例日报"
    # page3 has a running head of its own: without the edition's it keeps its own fields
    assert second.running_head is not None and second.running_head.page != 2
    assert front.running_head is None  # page1 has a masthead and no running_head


def test_running_head_true_is_refused(tmp_path, monkeypatch):
    demo_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["render", str(edition(tmp_path, "  - {layout: page3.yaml, running_head: yes}\n"))])
    assert result.exit_code == 2 and "running_head can only be false" in result.output


def test_failed_pages_are_counted_and_the_combined_pdf_is_said_to_be_skipped(tmp_path, monkeypatch):
    demo_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "layouts" / "bad.yaml"
    bad.write_text((tmp_path / "layouts" / "page3.yaml").read_text(encoding="utf-8")
                   .replace("columns: 8", "columns: eight").replace("name: page3", "name: bad"), encoding="utf-8")
    path = edition(tmp_path, "  - page3.yaml\n  - bad.yaml\n", )
    path.write_text(path.read_text(encoding="utf-8") + "combined: all.pdf\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "1 of 2 pages written, failed: 第2版 (bad.yaml)" in result.output
    assert re.search(r"combined PDF .*all.pdf not written: 1 of 2 pages failed", result.output)
    assert (tmp_path / "out" / "page3.pdf").exists() and not (tmp_path / "out" / "all.pdf").exists()


def test_mixed_trim_sizes_are_warned_of(tmp_path, monkeypatch):
    demo_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    small = tmp_path / "layouts" / "small.yaml"
    small.write_text("name: small\npage: {size: A4, margins: 15mm}\ngrid: {columns: 4, body: {size: 小五}}\n"
                     "frames:\n  a: {column: 1, span: 4, line: 1, lines: 20}\n"
                     "stories:\n  - {article: ../articles/10-miluo.md, frames: [a], headline: false}\n",
                     encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(edition(tmp_path, "  - page3.yaml\n  - small.yaml\n")),
                                       "-o", str(tmp_path / "out"), "--allow-overset"])
    assert "warning: " in result.output and "pages of different trim sizes" in result.output, result.output

