"""Cold renders of the standard workload, pagesetter against Typst, paired.

    .venv/bin/pip install -e '.[bench]'        # Typst from PyPI, for the benchmark only
    .venv/bin/python bench/typst_compare.py [--runs 9]

The standard workload: the 娄星区 feature (articles/01-louxing-feature.md) in
five 17-em columns on A3, 9 pt Noto Serif SC on 13.5 pt, justified; once and
ten times over. Both sides get the same font file and the same geometry, and
each render is a new process (Python start-up included on both sides: Typst
runs through its Python binding). Runs alternate, pagesetter then Typst, and
the figure is the median of the per-pair ratios, which cancels most of the
machine's drift.
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

SIZE, LEADING, MEASURE_EM, COLUMNS = 9.0, 13.5, 17, 5
A3 = (841.89, 1190.55)  # pt
MARGIN_Y = 42.52        # 15 mm


def margin_x() -> float:
    width = COLUMNS * MEASURE_EM * SIZE + (COLUMNS - 1) * SIZE
    return (A3[0] - width) / 2


def typst_source(article: Path, repeat: int) -> str:
    from pagesetter.source.article import Subhead, load_article

    a = load_article(article)

    def esc(text: str) -> str:
        return "".join("\\" + ch if ch in "\\#*_`$@<>[]~=-+/" else ch for ch in text)

    story = [f"#align(center, text(size: 18pt, weight: \"bold\")[{esc(a.title)}])", ""]
    for block in a.blocks:
        if isinstance(block, Subhead):
            story += [f"#align(center, strong[{esc(' '.join(block.lines))}])", ""]
        else:
            story += [esc(block.text), ""]
    if a.byline:
        story += [f"#align(right)[{esc(a.byline)}]", ""]
    return "\n".join([
        f"#set page(width: {A3[0]}pt, height: {A3[1]}pt, margin: (x: {margin_x():.2f}pt, y: {MARGIN_Y}pt),"
        f" columns: {COLUMNS})",
        f"#set columns(gutter: {SIZE}pt)",
        # a 1-em line box, so that leading + box = the 13.5 pt pitch pagesetter sets on its grid
        f"#set text(font: \"Noto Serif SC\", size: {SIZE}pt, lang: \"zh\", region: \"cn\","
        f" top-edge: 0.88em, bottom-edge: -0.12em)",
        f"#set par(justify: true, leading: {LEADING - SIZE}pt, spacing: {LEADING - SIZE}pt,"
        f" first-line-indent: (amount: 2em, all: true))",
        "",
    ] + story * repeat)


def commands(tmp: Path, repeat: int) -> tuple[list[str], list[str]]:
    article = ROOT / "articles" / "01-louxing-feature.md"
    exe = Path(sys.executable).with_name("pagesetter")
    ours = [str(exe) if exe.exists() else sys.executable] + ([] if exe.exists() else ["-m", "pagesetter"])
    ours += ["galley", str(article), "-o", str(tmp / f"p{repeat}.pdf"), "--page", "A3", "--columns", str(COLUMNS),
             "--measure", f"{MEASURE_EM}em", "--gutter", "1em", "--size", f"{SIZE}pt", "--leading", f"{LEADING}pt",
             "--margin", f"{MARGIN_Y}pt {margin_x():.2f}pt", "--font", "书宋", "--repeat", str(repeat)]
    source = tmp / f"w{repeat}.typ"
    source.write_text(typst_source(article, repeat), encoding="utf-8")
    theirs = [sys.executable, "-c", "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], "
              "font_paths=[sys.argv[3]], ignore_system_fonts=True)",
              str(source), str(tmp / f"t{repeat}.pdf"), str(ROOT / "fonts")]
    return ours, theirs


def run(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    try:
        import typst  # noqa: F401
    except ImportError:
        sys.exit("Typst is not installed: .venv/bin/pip install -e '.[bench]'")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for repeat in (1, 10):
            ours, theirs = commands(tmp, repeat)
            run(ours), run(theirs)  # warm the font caches and the OS's file cache
            pairs = [(run(ours), run(theirs)) for _ in range(args.runs)]
            mine, other = [p[0] for p in pairs], [p[1] for p in pairs]
            ratio = statistics.median(a / b for a, b in pairs)
            print(f"workload ×{repeat:<2}  pagesetter median {statistics.median(mine):.3f}s "
                  f"(min {min(mine):.3f}, max {max(mine):.3f})   Typst median {statistics.median(other):.3f}s "
                  f"(min {min(other):.3f}, max {max(other):.3f})   paired ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
