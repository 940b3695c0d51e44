import json
from pathlib import Path

from click.testing import CliRunner

from pagesetter.app.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_render_report_on_the_demo(tmp_path):
    report = tmp_path / "r.json"
    result = CliRunner().invoke(main, ["render", str(ROOT / "layouts" / "page3.yaml"), "-o",
                                       str(tmp_path / "p.pdf"), "--report", str(report)])
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    (page,) = data["pages"]
    summary = page["summary"]
    # the demo's done-when: no violation, nothing overset, no loose justified line
    assert summary["prohibition_violations"] == []
    assert summary["overset_chars"] == 0
    assert summary["widest_gap_em"] <= 0.5 or all(l["why"] for l in summary["loose_lines"])
    assert summary["stretched_lines"] > 0
    assert len(page["stories"]) == 11
    # every justified body line with a gap opened ¼ em or more is listed as loose, and only those
    lines = [l for s in page["stories"] for f in s["frames"] for l in f["lines"]]
    justified = [l for l in lines if l["role"] == "body" and l["break"] != "last"]
    assert sorted(l["text"] for l in summary["loose_lines"]) == \
        sorted(l["text"] for l in justified if l["max_gap_em"] >= 0.25 - 1e-4)
    assert all(l["why"] for l in summary["loose_lines"])
    assert sorted(l["text"] for l in summary["tight_lines"]) == \
        sorted(l["text"] for l in lines if l["role"] == "body" and l["adjust_em"] < 0)
    line = page["stories"][0]["frames"][0]["lines"][5]
    assert {"text", "x_mm", "baseline_mm", "adjust_em", "adjustment", "max_gap_em"} <= set(line)
    texts = "".join(l["text"] for s in page["stories"] for f in s["frames"] for l in f["lines"])
    assert "乡村振兴是实现中华民族伟大复兴" in texts


def test_copyfit_json_lines_rebuild_the_paragraphs():
    from pagesetter.source.article import load_article
    art = ROOT / "articles" / "01-louxing-feature.md"
    result = CliRunner().invoke(main, ["copyfit", str(art), "--measure", "17.8em", "--size", "小五",
                                       "--style", str(ROOT / "layouts" / "house.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    paragraphs = load_article(art).paragraphs
    assert len(data["paragraphs"]) == len(paragraphs) == 26
    for got, para in zip(data["paragraphs"], paragraphs):
        assert "".join(got["lines"]) == para.text
    # 17.8 em holds 17 ideographs a line, as in print
    assert data["paragraphs"][0]["lines"][1] == "的一项重大任务。”习近平总书记的殷殷"
    assert data["body_lines"] == sum(len(p["lines"]) for p in data["paragraphs"])
    # the total also holds the headline stack and the subheads with their space
    assert data["total_lines"] > data["body_lines"] + data["subhead_lines"] > data["body_lines"]


def test_copyfit_text_output_and_units():
    art = ROOT / "articles" / "10-miluo.md"
    a = CliRunner().invoke(main, ["copyfit", str(art), "--measure", "13.9字", "--size", "9pt", "--leading", "13.5pt"])
    b = CliRunner().invoke(main, ["copyfit", str(art), "--measure", f"{13.9 * 9}pt", "--size", "小五",
                                  "--leading", "13.5pt"])
    assert a.exit_code == 0 and "total" in a.output and "depth" in a.output
    assert a.output.splitlines()[1:] == b.output.splitlines()[1:]


def test_copyfit_bad_unit_is_one_line():
    result = CliRunner().invoke(main, ["copyfit", str(ROOT / "articles" / "10-miluo.md"), "--measure", "13.9x",
                                       "--size", "小五"])
    assert result.exit_code == 2
    assert "--measure" in result.output and "Traceback" not in result.output
