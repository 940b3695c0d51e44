"""Benchmark: composer throughput and full render time of each demo page.

    make bench            (or: .venv/bin/python bench/bench.py [--runs N])

Composer throughput composes every body paragraph of the eleven demo articles
at their print measures (fonts loaded beforehand), and reports characters per
second, median of the runs. Render time runs `pagesetter render` in a new
process per run (Python start-up, font loading and PDF writing included).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pagesetter.article import load_article  # noqa: E402
from pagesetter.compose.paragraph import compose_paragraph  # noqa: E402
from pagesetter.flow import text_fonts  # noqa: E402
from pagesetter.fonts.registry import FontRegistry  # noqa: E402
from pagesetter.layout.loader import load_style  # noqa: E402
from pagesetter.compose.style import HouseStyle  # noqa: E402
from pagesetter.yamlsource import Node, load_yaml_file  # noqa: E402

# Print measures of the seed articles (em), from shared/seed-articles/README.md.
MEASURES = {"01": 17.8, "02": 14.1, "03": 26.3, "04": 13.9, "05": 13.9, "06": 18.3, "07": 14.3, "08": 26.3,
            "09": 14.3, "10": 13.9, "11": 14.3}


def composer_throughput(runs: int) -> tuple[float, float, int]:
    house = ROOT / "layouts" / "house.yaml"
    style = load_style(Node(load_yaml_file(house), str(house)), HouseStyle(), house.parent)
    fonts = text_fonts(FontRegistry.default().resolve("body"), style)
    work = []
    for path in sorted((ROOT / "articles").glob("*.md")):
        for p in load_article(path).paragraphs:
            work.append((p.text, MEASURES[path.name[:2]]))
    chars = sum(len(t) for t, _ in work)
    for text, m in work[:3]:  # warm the glyph-advance caches
        compose_paragraph(text, fonts, style, m)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for text, m in work:
            compose_paragraph(text, fonts, style, m)
        times.append(time.perf_counter() - start)
    med = statistics.median(times)
    return chars / med, med, chars


def render_times(layout: Path, runs: int) -> list[float]:
    exe = Path(sys.executable).with_name("pagesetter")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pagesetter"]
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(cmd + ["render", str(layout), "-o", str(Path(tmp) / "out.pdf")], check=True,
                           capture_output=True)
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    cps, med, chars = composer_throughput(args.runs * 2)
    print(f"composer: {chars} characters in {med * 1000:.1f} ms (median of {args.runs * 2}) "
          f"= {cps:,.0f} characters/s")
    for layout in sorted((ROOT / "layouts").glob("page*.yaml")):
        times = render_times(layout, args.runs)
        print(f"render {layout.name}: median {statistics.median(times):.2f}s, "
              f"min {min(times):.2f}s, max {max(times):.2f}s ({args.runs} runs, new process each)")


if __name__ == "__main__":
    main()
