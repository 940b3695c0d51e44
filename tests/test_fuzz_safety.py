"""Adversarial fuzzing: random damage to a layout, an edition and an article's front matter never
gives a traceback or an internal error, and never leaves a temporary file; a render that says it
wrote a PDF did."""

import copy
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pagesetter.app.cli import main

ROOT = Path(__file__).resolve().parents[1]

LAYOUT = {
    "date": "@DATE@",
    "page": {"size": "A4", "margins": "20mm"},
    "grid": {"columns": 2, "gutter": "1字", "body": {"font": "书宋", "size": "9pt", "leading": "13.5pt"}},
    "style": {"punctuation": "kaiming"},
    "frames": {"a": {"column": 1, "span": 2, "line": 1, "lines": 30},
               "h": {"column": 2, "line": 32, "lines": 12}},
    "stories": [{"article": "a.md", "frames": ["a"], "headline": {"size": "20pt", "tracking": 0.1}}],
    "images": [{"file": "p.png", "column": 1, "line": 32, "lines": 12, "caption": "说明"}],
    "rules": [{"from": ["0字", "31行"], "to": ["10字", "31行"]}],
    "boxes": [{"frames": ["a"], "label": {"text": "专栏", "frame": "h"}}],
    "running_head": {"paper": "日报", "page": 3},
    "print": {"bleed": "3mm"},
}

PATHS = [("date",), ("page", "size"), ("page", "margins"), ("grid", "columns"), ("grid", "gutter"),
         ("grid", "body", "size"), ("grid", "body", "leading"), ("grid", "body", "font"), ("style",),
         ("style", "punctuation"), ("frames", "a", "line"), ("frames", "a", "lines"), ("frames", "a", "column"),
         ("frames", "a", "span"), ("frames", "h"), ("stories", 0, "article"), ("stories", 0, "frames"),
         ("stories", 0, "headline"), ("stories", 0, "headline", "size"), ("stories", 0, "headline", "tracking"),
         ("stories", 0, "overlap"), ("images", 0, "file"), ("images", 0, "line"), ("images", 0, "caption"),
         ("rules", 0, "from"), ("rules", 0, "to"), ("boxes", 0, "label"), ("running_head", "paper"),
         ("print", "bleed"), ("print", "press"), ("fonts",)]

NASTY = st.one_of(
    st.none(), st.booleans(), st.integers(-10**9, 10**9), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["../../../../etc/passwd", "/proc/self/environ", "/dev/zero", "@DATE@", "0pt", "-5mm",
                     "1e308mm", "nan", "9999字", "..", ".", "a.md", "p.png", "x" * 300, "标" * 250,
                     "A4", "1mm x 1mm", "{{", "allow", "overlap", "../a.md"]),
    st.lists(st.sampled_from(["a", "h", "0字", 1, None, "../../etc/passwd"]), max_size=3),
    st.dictionaries(st.sampled_from(["file", "dirs", "text", "frame", "size", "profile", "identifier"]),
                    st.sampled_from(["/etc", "/etc/passwd", "p.png", "1pt", "a", "x", 0]), max_size=3),
)

DATES = st.sampled_from(["2021-12-03", "2021-02-30", "0000-01-01", "2021-13-01", "9999-12-31"])


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    proj = tmp_path_factory.mktemp("fuzz")
    shutil.copy(ROOT / "articles" / "02-lengshuitan.md", proj / "a.md")
    from PIL import Image
    Image.new("L", (450, 517), 128).save(proj / "p.png")
    return proj


def _set(tree, path, value):
    node = tree
    for key in path[:-1]:
        if isinstance(node, dict) and key in node and isinstance(node[key], (dict, list)):
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return
    if isinstance(node, dict):
        node[path[-1]] = value
    elif isinstance(node, list) and isinstance(path[-1], int) and path[-1] < len(node):
        node[path[-1]] = value


def _render(proj: Path, name: str, text: str, *extra):
    (proj / name).write_text(text, encoding="utf-8")
    out = proj / "out"
    result = CliRunner().invoke(main, ["render", str(proj / name), "-o", str(out), "--root", str(proj), *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in (0, 2, 3), result.output  # never 70: every bad input has its own message
    errors = [l for l in result.output.splitlines() if l.startswith("error:")]
    if result.exit_code == 2:
        assert len(errors) >= 1 and all(len(l) < 2000 for l in errors), result.output
    if out.is_dir():
        assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    return result


def _dump(tree, date) -> str:
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False).replace("'@DATE@'", date).replace(
        "@DATE@", date)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(changes=st.lists(st.tuples(st.sampled_from(PATHS), NASTY), min_size=1, max_size=3), date=DATES)
def test_damaged_layouts_never_crash(project, changes, date):
    tree = copy.deepcopy(LAYOUT)
    for path, value in changes:
        _set(tree, path, value)
    result = _render(project, "page.yaml", _dump(tree, date), "--allow-overset")
    if result.exit_code == 0:
        assert (project / "out" / "page.pdf").is_file()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(pages=st.lists(st.one_of(st.just("page0.yaml"), st.fixed_dictionaries(
    {"layout": st.sampled_from(["page0.yaml", "../page0.yaml", "/etc/passwd", "a.md"]),
     "output": st.one_of(st.sampled_from(["p.pdf", "./p.pdf", "../p.pdf", "/tmp/p.pdf", "a.md", "sub/q.pdf"]),
                         st.text(max_size=8))}), NASTY), max_size=3),
    combined=st.one_of(st.none(), st.sampled_from(["all.pdf", "../all.pdf", "a.md", "p.pdf"]), NASTY),
    date=DATES)
def test_damaged_editions_never_crash(project, pages, combined, date):
    (project / "page0.yaml").write_text(_dump(LAYOUT, "2021-12-03"), encoding="utf-8")
    tree = {"edition": {"date": "@DATE@"}, "pages": pages}
    if combined is not None:
        tree["combined"] = combined
    before = (project / "a.md").read_bytes()
    _render(project, "ed.yaml", _dump(tree, date), "--allow-overset")
    assert (project / "a.md").read_bytes() == before  # an edition never writes over its own inputs


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(front=st.dictionaries(st.sampled_from(["title", "kicker", "subtitle", "byline", "source_note", "encoding",
                                              "date", "other"]), NASTY, max_size=4),
       raw=st.sampled_from(["", "title: 2021-02-30\n", "title: [\n", "encoding: klingon\n", "title: *x\n",
                            "title: \"\u200d\u00ad\ufe0f\"\n"]),
       body=st.text(alphabet=st.sampled_from(list("中文，。# \n\u200b\u00ad\ufe0f*_`>-1a")), max_size=60))
def test_damaged_front_matter_never_crashes(project, front, raw, body):
    (project / "fm.md").write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + raw + "---\n\n"
                                   + body + "\n正文。\n", encoding="utf-8")
    tree = copy.deepcopy(LAYOUT)
    tree["stories"][0]["article"] = "fm.md"
    _render(project, "fm.yaml", _dump(tree, "2021-12-03"), "--allow-overset")


def test_the_undamaged_inputs_render(project):
    assert _render(project, "page.yaml", _dump(LAYOUT, "2021-12-03")).exit_code == 0
    (project / "page0.yaml").write_text(_dump(LAYOUT, "2021-12-03"), encoding="utf-8")
    assert _render(project, "ed.yaml", "pages: [page0.yaml, {layout: page0.yaml, output: sub/q.pdf}]\n"
                                       "combined: all.pdf\n").exit_code == 0


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(delay=st.floats(0.0, 2.5), sig=st.sampled_from(["SIGINT", "SIGTERM"]))
def test_a_signal_at_any_moment_loses_no_pdf(project, delay, sig):
    """Interrupted anywhere, a render leaves the previous PDF or the new one, whole, and no temporary file."""
    import signal
    import subprocess
    import sys
    import time

    from pypdf import PdfReader

    out = project / "sig" / "page.pdf"
    (project / "page.yaml").write_text(_dump(LAYOUT, "2021-12-03"), encoding="utf-8")
    if not out.exists():
        assert _render(project, "page.yaml", _dump(LAYOUT, "2021-12-03")).exit_code == 0
        out.parent.mkdir(exist_ok=True)
        shutil.copy(project / "out" / "page.pdf", out)
    before = out.read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "pagesetter", "render", "page.yaml", "-o", str(out), "--png"],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    proc.send_signal(getattr(signal, sig))
    _, err = proc.communicate(timeout=60)
    # a signal in the interpreter's own start-up (site, or runpy for -m, before any of pagesetter runs)
    # is Python's to report
    in_startup = "Fatal Python error: init_import_site" in err or "Could not import runpy module" in err
    assert in_startup or proc.returncode in (0, 130, 143, -getattr(signal, sig)), err
    assert in_startup or "Traceback" not in err
    assert not [p.name for p in out.parent.iterdir() if p.name.endswith(".tmp")]
    data = out.read_bytes()
    assert data == before or len(PdfReader(out).pages) == 1
