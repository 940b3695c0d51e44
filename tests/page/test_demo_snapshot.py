"""The demo paper's line breaks, frozen: every line of the eleven seed articles as
layouts/page3.yaml sets them under layouts/house.yaml, which reproduces the printed
page. A change here must be a deliberate fix, explained in its commit.

Regenerate (only then): ``python -m tests.page.test_demo_snapshot``.
"""

import json
from pathlib import Path

from pagesetter.layout.loader import load_layout
from pagesetter.page.flow import compose_page

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "demo_line_breaks.json"


def demo_lines() -> dict[str, list[list[str]]]:
    page = compose_page(load_layout(ROOT / "layouts" / "page3.yaml"))
    out: dict[str, list[list[str]]] = {}
    for p in page.lines:
        out.setdefault(p.story, []).append([p.role, p.line.text])
    return out


def test_demo_line_breaks_match_the_snapshot():
    want = json.loads(FIXTURE.read_text(encoding="utf-8"))
    got = demo_lines()
    assert sorted(got) == sorted(want)
    for story in want:
        assert got[story] == want[story], story


if __name__ == "__main__":
    stories = demo_lines()
    body = ",\n".join(json.dumps(story, ensure_ascii=False) + ": [\n" +
                       ",\n".join("  " + json.dumps(line, ensure_ascii=False) for line in lines) + "]"
                       for story, lines in stories.items())
    FIXTURE.write_text("{\n" + body + "\n}\n", encoding="utf-8")
