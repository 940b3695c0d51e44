"""Masthead (报头), tables (表格) and index boxes (导读)."""

import textwrap
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from pagesetter.app.cli import main
from pagesetter.compose.style import HouseStyle
from pagesetter.errors import PagesetterError
from pagesetter.fonts.faces import text_fonts
from pagesetter.fonts.registry import FontRegistry
from pagesetter.layout.loader import load_layout
from pagesetter.layout.model import TextSpec
from pagesetter.page.flow import compose_page
from pagesetter.page.masthead import lunar_date
from pagesetter.page.tables import set_table

ROOT = Path(__file__).resolve().parents[2]
HOUSE = ROOT / "layouts" / "house.yaml"
ARTICLES = ROOT / "articles"

BASE = f"""\
name: t
date: 2021-12-03
page: {{size: 四开, margins: 15mm}}
grid: {{columns: 6, gutter: 1字, body: {{font: 书宋, size: 小五, leading: 13pt}}}}
style: {HOUSE}
"""


def layout_file(tmp_path: Path, body: str, name: str = "page.yaml") -> Path:
    path = tmp_path / name
    path.write_text(BASE.replace("name: t\n", f"name: {path.stem}\n") + textwrap.dedent(body), encoding="utf-8")
    return path


def texts(page, role_prefix: str) -> list[str]:
    return [p.line.text for p in page.lines if p.role.startswith(role_prefix)]


# --- masthead ---------------------------------------------------------------

def test_lunar_date_from_the_library():
    assert lunar_date(date(2021, 12, 3)) == "农历辛丑年十月廿九"
    assert lunar_date(date(2022, 2, 1)) == "农历壬寅年正月初一"   # Spring Festival 2022
    assert lunar_date(date(2023, 3, 22)) == "农历癸卯年闰二月初一"  # a leap month


MASTHEAD = """\
masthead:
  column: 1
  span: 6
  line: 1
  lines: 9
  name: {text: 示例日报, font: 书宋 bold, color: 报红}
  issue: 12345
  serial: 43-0001
  pages: 8
  web: www.example.cn
"""


def test_masthead_details_on_the_grid(tmp_path):
    layout = load_layout(layout_file(tmp_path, MASTHEAD))
    page = compose_page(layout)
    details = [p for p in page.lines if p.role == "masthead"]
    assert [p.line.text for p in details] == ["2021年12月3日　星期五", "农历辛丑年十月廿九", "第12345期　今日8版",
                                              "国内统一连续出版物号 CN 43-0001", "www.example.cn"]
    ta = layout.type_area
    for p in details:  # each detail on its own grid line, centred in it like body text
        assert p.grid_line is not None
        assert abs(p.baseline - (ta.y + p.grid_line * layout.pitch + (layout.pitch - p.size) / 2
                                 + 0.88 * p.size)) < 0.01
    assert sorted(p.grid_line for p in details) == list(range(details[0].grid_line, details[0].grid_line + 5))
    name = next(p for p in page.lines if p.role == "masthead_name")
    assert name.line.text == "示例日报"
    assert (name.color.c, name.color.m, name.color.y, name.color.k) == (0, 100, 100, 0)
    # as large as fits the name's share of the width
    assert name.line.width * name.size == pytest.approx(layout.masthead.name_width, rel=0.01) or \
        name.size == pytest.approx((layout.masthead.box.height - 3) * 0.8, rel=0.01)
    assert all(p.x >= name.x + name.line.width * name.size for p in details)


def test_coloured_type_knocks_out_in_the_pdf(tmp_path):
    out = tmp_path / "m.pdf"
    result = CliRunner().invoke(main, ["render", str(layout_file(tmp_path, MASTHEAD)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader
    content = PdfReader(out).pages[0].get_contents().get_data().decode("latin-1")
    red = content.index("0 1 1 0 k")
    assert content.rfind("BT", 0, red) < content.rfind("ET", 0, red)  # a text block of its own after the black text
    assert "gs" in content[content.rfind("ET", 0, red):red]  # with overprint switched off first


def test_masthead_date_and_page_count_come_from_the_edition(tmp_path):
    page = layout_file(tmp_path, MASTHEAD.replace("  pages: 8\n", ""), "front.yaml")
    other = layout_file(tmp_path, "", "inside.yaml")
    edition = tmp_path / "edition.yaml"
    edition.write_text(f"edition: {{date: 2022-02-01, masthead: {{issue: 777}}}}\npages: [{page.name}, {other.name}]\n",
                       encoding="utf-8")
    from pagesetter.app.edition import load_edition, page_defaults
    ed = load_edition(edition)
    layout = load_layout(page, defaults=page_defaults(ed, ed.pages[0]))
    details = texts(compose_page(layout), "masthead")
    assert "2022年2月1日　星期二" in details
    assert "农历壬寅年正月初一" in details
    assert "第777期　今日2版" in details


def test_masthead_picture_and_errors(tmp_path):
    from PIL import Image
    Image.new("L", (2400, 600), 0).save(tmp_path / "name.png")
    layout = load_layout(layout_file(tmp_path, MASTHEAD.replace(
        "{text: 示例日报, font: 书宋 bold, color: 报红}", f"{{picture: {tmp_path / 'name.png'}}}")))
    page = compose_page(layout)
    [placed] = [i for i in page.images if i.image.id == "masthead"]
    assert placed.placement.x == pytest.approx(layout.masthead.box.x)
    assert placed.placement.width <= layout.masthead.name_width + 0.01
    undated = tmp_path / "undated.yaml"
    undated.write_text((BASE + MASTHEAD).replace("date: 2021-12-03\n", ""), encoding="utf-8")
    with pytest.raises(PagesetterError, match=r"undated.yaml:\d+:\d+: masthead: .*date"):
        load_layout(undated)
    with pytest.raises(PagesetterError, match="masthead.name.txt: unknown field 'txt'"):
        load_layout(layout_file(tmp_path, MASTHEAD.replace("{text:", "{txt:")))


def test_masthead_details_too_many_for_its_lines(tmp_path):
    layout = load_layout(layout_file(tmp_path, MASTHEAD.replace("lines: 9", "lines: 3")))
    with pytest.raises(PagesetterError, match="masthead has 3 grid lines, its details need 5"):
        compose_page(layout)


# --- tables -----------------------------------------------------------------

def _fonts(spec, style):
    return text_fonts(spec.face, style)


def _specs(size=9.0):
    reg = FontRegistry.default()
    return TextSpec(reg.resolve("书宋"), size), TextSpec(reg.resolve("黑体 bold"), size, "center")


def test_set_table_keeps_every_character_and_the_prohibitions():
    spec, head = _specs()
    rows = [["地区", "说明", "数值"],
            ["娄星区", "书记、主任“一肩挑”比例达到新高，实现35周岁以下年轻干部和女性干部“村村有”。", "93.14"],
            ["道县", "电子信息企业达到80家以上、产业产值达到150亿元以上，打造湖南重要电子信息制造基地。", "150"],
            ["", "（空白单元格）", "6.1"]]
    style = HouseStyle().merged(prohibition="gb", punctuation="kaiming")
    table = set_table(rows, 200.0, _fonts, style, spec, head, aligns=["left", "left", "decimal"])
    assert sum(table.widths) == pytest.approx(200.0)
    for row, set_row in zip(rows, table.rows):
        for text, cell in zip(row, set_row):
            assert "".join(line.text for line in cell.lines) == text
            for line in cell.lines:
                assert line.violation is None
                assert line.width * cell.spec.size <= table.widths[0] + table.widths[1] + table.widths[2]
            for line in cell.lines[1:]:  # nothing a line may not start with
                assert line.text[0] not in "，。、：；！？）”》"
            for line in cell.lines[:-1]:
                assert line.text[-1] not in "（“《"
    # the number column is not wrapped and the text column takes what is left
    assert all(len(r[2].lines) <= 1 for r in table.rows)
    assert table.widths[1] > table.widths[0] and table.widths[1] > table.widths[2]


def test_decimal_points_line_up():
    spec, head = _specs()
    rows = [["项目", "数值"], ["甲", "6.1"], ["乙", "55.95"], ["丙", "1198"], ["丁", "93.14"]]
    table = set_table(rows, 150.0, _fonts, HouseStyle(), spec, head, aligns=["left", "decimal"])
    from pagesetter.page.tables import cell_x
    points = []
    for row in table.rows[1:]:
        cell = row[1]
        x = cell_x(table, 1, cell, cell.lines[0], 0.0, False, "center")
        points.append(x + cell.point)
        assert x + cell.lines[0].width * spec.size <= sum(table.widths) - table.padding + 0.01
    assert max(points) - min(points) < 0.01


def test_table_too_wide_is_a_clear_error():
    spec, head = _specs()
    rows = [["a" * 30, "b" * 30]]
    with pytest.raises(PagesetterError, match="needs at least .* the frame's column is 60.0pt"):
        set_table(rows, 60.0, _fonts, HouseStyle(), spec, head, header_rows=0)


def test_table_on_the_grid_with_header_repeated(tmp_path):
    csv = tmp_path / "t.csv"
    rows = [["指标", "数值", "单位"]] + [[f"第{k}项指标“说明”文字较长需要换行", f"{k}.{k}", "亿元"] for k in range(1, 13)]
    csv.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    layout = load_layout(layout_file(tmp_path, f"""\
        frames:
          a: {{column: 1, span: 2, line: 1, lines: 12}}
          b: {{column: 3, span: 2, line: 1, lines: 40}}
        tables:
          - id: t
            file: {csv}
            frames: [a, b]
            align: [left, decimal, center]
            header_style: {{tint: [0, 0, 0, 15]}}
            rules: ruled
        """))
    page = compose_page(layout)
    result = next(s for s in page.stories if s.id == "table:t")
    assert result.overset_chars == 0
    headers = [p for p in page.lines if p.role == "table_header"]
    assert {p.frame for p in headers} == {"a", "b"}  # the header again at the top of the second frame
    cells = [p for p in page.lines if p.role in ("table_cell", "table_header")]
    got = "".join(p.line.text for p in cells if p.frame == "a" or p.role == "table_cell")
    for row in rows[1:]:
        for text in row:
            assert text in "".join(p.line.text for p in cells)
    assert sum(len(t) for r in rows[1:] for t in r) == sum(len(p.line.text) for p in cells if p.role == "table_cell")
    ta = layout.type_area
    for p in cells:  # every cell line on the baseline grid
        assert abs(p.baseline - (ta.y + p.grid_line * layout.pitch + (layout.pitch - p.size) / 2
                                 + 0.88 * p.size)) < 0.01
    for s in page.strokes:  # rules on grid-line boundaries
        if s.y1 == s.y2:
            assert ((s.y1 - ta.y) / layout.pitch) == pytest.approx(round((s.y1 - ta.y) / layout.pitch))
    assert any(fill[1].k == 15 for fill in page.fills)
    assert got


def test_table_rows_that_do_not_fit_are_overset(tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("a,b\n" + "".join(f"{k},{k}\n" for k in range(30)), encoding="utf-8")
    path = layout_file(tmp_path, f"""\
        frames:
          a: {{column: 1, span: 2, line: 1, lines: 10}}
        tables:
          - {{file: {csv}, frames: [a]}}
        """)
    page = compose_page(load_layout(path))
    assert page.stories[0].overset_chars > 0
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "o.pdf")])
    assert result.exit_code == 3


def test_table_errors_name_the_place(tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(PagesetterError, match=r"page.yaml:\d+:\d+: tables\[0\].align\[1\]: expected one of"):
        load_layout(layout_file(tmp_path, f"""\
            frames: {{a: {{column: 1, line: 1, lines: 10}}}}
            tables: [{{file: {csv}, frames: [a], align: [left, middle]}}]
            """))
    with pytest.raises(PagesetterError, match="used by both story .* and table"):
        load_layout(layout_file(tmp_path, f"""\
            frames: {{a: {{column: 1, line: 1, lines: 10}}}}
            stories: [{{article: {ARTICLES / '10-miluo.md'}, frames: [a]}}]
            tables: [{{file: {csv}, frames: [a]}}]
            """))
    yml = tmp_path / "t.yaml"
    yml.write_text("header: [城市, 气温]\nrows:\n  - [长沙, \"12.0\"]\n  - [娄底, 11]\n", encoding="utf-8")
    layout = load_layout(layout_file(tmp_path, f"""\
        frames: {{a: {{column: 1, span: 2, line: 1, lines: 10}}}}
        tables: [{{file: {yml}, frames: [a], align: [left, decimal]}}]
        """))
    assert layout.tables[0].rows == [["城市", "气温"], ["长沙", "12.0"], ["娄底", "11"]]


# --- index box --------------------------------------------------------------

INDEX = f"""\
index:
  column: 6
  line: 1
  lines: 30
  stories:
    - {{article: {ARTICLES / '01-louxing-feature.md'}, page: 3, summary: 娄星区以高质量党建引领乡村振兴。}}
    - {{article: {ARTICLES / '11-qiyang.md'}, page: 5}}
"""


def test_index_box_lists_headline_summary_and_page(tmp_path):
    page = compose_page(load_layout(layout_file(tmp_path, INDEX)))
    heads = texts(page, "index_headline")
    assert "".join(heads).startswith("打造“红色引擎”共筑振兴之路")
    assert "".join(texts(page, "index_summary")) == "娄星区以高质量党建引领乡村振兴。"
    assert texts(page, "index_page") == ["第3版", "第5版"]
    assert texts(page, "index_title") == ["导读"]
    folio = [p for p in page.lines if p.role == "index_page"][0]
    summary = [p for p in page.lines if p.role == "index_summary"][-1]
    assert folio.grid_line == summary.grid_line and folio.x > summary.x + summary.line.width * summary.size
    with pytest.raises(PagesetterError, match="which page"):
        load_layout(layout_file(tmp_path, INDEX.replace(", page: 5", "")))


def test_index_box_pages_come_from_the_edition(tmp_path):
    front = layout_file(tmp_path, INDEX.replace(", page: 3", "").replace(", page: 5", ""), "front.yaml")
    inside = layout_file(tmp_path, f"""\
        frames: {{a: {{column: 1, line: 1, lines: 90}}, b: {{column: 2, line: 1, lines: 90}}}}
        stories:
          - {{article: {ARTICLES / '11-qiyang.md'}, frames: [a]}}
        """, "inside.yaml")
    third = layout_file(tmp_path, f"""\
        frames: {{a: {{column: 1, span: 3, line: 1, lines: 90}}}}
        stories:
          - {{article: {ARTICLES / '01-louxing-feature.md'}, frames: [a]}}
        """, "third.yaml")
    edition = tmp_path / "edition.yaml"
    edition.write_text("pages:\n  - front.yaml\n  - {layout: inside.yaml, page: 4}\n  - {layout: third.yaml, page: 7}\n",
                       encoding="utf-8")
    from pagesetter.app.edition import load_edition, page_defaults
    ed = load_edition(edition)
    layout = load_layout(front, defaults=page_defaults(ed, ed.pages[0]))
    assert texts(compose_page(layout), "index_page") == ["第7版", "第4版"]


def test_index_box_that_does_not_fit_is_an_error(tmp_path):
    layout = load_layout(layout_file(tmp_path, INDEX.replace("lines: 30", "lines: 5")))
    with pytest.raises(PagesetterError, match="index box needs"):
        compose_page(layout)


def test_centred_masthead_puts_dates_left_and_numbers_right(tmp_path):
    layout = load_layout(layout_file(tmp_path, MASTHEAD.replace("  lines: 9\n", "  lines: 9\n  align: center\n")))
    page = compose_page(layout)
    name = next(p for p in page.lines if p.role == "masthead_name")
    box = layout.masthead.box
    mid = name.x + name.line.width * name.size / 2
    assert mid == pytest.approx(box.x + box.width / 2, abs=0.5)
    details = {p.line.text: p for p in page.lines if p.role == "masthead"}
    assert details["农历辛丑年十月廿九"].x + details["农历辛丑年十月廿九"].line.width * 9 <= name.x
    web = details["www.example.cn"]
    assert web.x >= name.x + name.line.width * name.size
    assert web.x + web.line.width * web.size == pytest.approx(box.right, abs=0.01)  # flush right
