"""pagesetter benchmark: one command, several runs each, median and spread.

    make bench                 # or: .venv/bin/python bench/bench.py [--runs 5]

Measures, on this machine:
  composer     characters per second composing every body paragraph of the
               eleven demo articles at their print measures (fonts loaded);
  cold render  `pagesetter render layouts/pageN.yaml` in a new process, Python
               start-up included, with pagesetter's cache folder populated (font
               facts, subset font programs, parsed articles, word breaks, figure
               sizes and drawings) and the package's
               bytecode compiled, as pip installs it (`make bench` compiles it);
               the first render after installing builds the cache: timed
               separately, with an empty cache folder;
  edition      a 16-page edition of the demo page, `--jobs 2`, new process;
  warm         re-rendering the demo page in a running process (as `watch`
               does) after an article was edited;
  workload     the standard text workload: the body of the 娄星区 feature in
               9 pt on 13.5 pt, 17-em columns with a 1-em gutter on A3 pages
               (`pagesetter galley`), once and ten times over, new process;
  memory       peak resident memory of a cold render of the demo page (the
               target), and the largest of all the processes above (the first
               render after install, which builds the font cache, is the largest).
Each target is printed with PASS or MISS and, when missed, by how much.

    .venv/bin/python bench/bench.py --against REV [--rounds 9]

times the composer against the one at git revision REV instead, paired: the two run in turn,
each in a new process, round after round, and the ratio of their speeds is printed per round
and as a median. A ratio does not depend on how fast the machine is, or on how busy it is, as
much as a figure in characters per second does (docs/performance.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SPEED = Path(__file__).with_name("composer_speed.py")
from composer_speed import throughput  # noqa: E402 (bench/ is on the path when this runs as a script)

TARGETS = {  # seconds, or MB for memory, or characters per second (issues 10, 16, 17)
    "composer (default style, total-fit)": 300_000, "cold render of the demo page": 0.3,
    "first render after install": 0.8, "edition (16 pages, --jobs 2)": 3.0, "warm re-render after an edit": 0.06,
    "workload ×10 / ×1": 1.5, "peak memory of the demo page (MB)": 300,
}
AT_LEAST = {"composer (default style, total-fit)"}


def command() -> list[str]:
    exe = Path(sys.executable).with_name("pagesetter")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pagesetter"]


def timed(args: list[str], runs: int, env=None) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command() + args, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return times


def describe(times: list[float]) -> str:
    return (f"median {statistics.median(times):.3f}s  (min {min(times):.3f}, max {max(times):.3f}, "
            f"{len(times)} runs)")


def composer_throughput(runs: int, style_name: str = "house") -> tuple[float, float, int]:
    """This tree's composer (``composer_speed.throughput``)."""
    return throughput(ROOT, runs, style_name)


def composer_against(rev: str, rounds: int) -> None:
    """The composer of this tree against the one at ``rev``, paired (see the module's doc)."""
    with tempfile.TemporaryDirectory() as tmpname:
        other = Path(tmpname)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src", "layouts", "articles"],
                                 capture_output=True)
        if archive.returncode:
            sys.exit(f"bench: git archive {rev}: {archive.stderr.decode().strip()}")
        subprocess.run(["tar", "-x", "-C", str(other)], input=archive.stdout, check=True)
        env = dict(os.environ, PAGESETTER_FONT_DIR=str(ROOT / "fonts"))  # the same faces for both

        def speed(tree: Path, style_name: str) -> float:
            out = subprocess.run([sys.executable, str(SPEED), str(tree / "src"), str(tree), style_name, "10"],
                                 capture_output=True, text=True, env=env)
            if out.returncode:
                sys.exit(f"bench: the composer at {tree} failed:\n{out.stderr.strip()}")
            return float(out.stdout.split()[-1])

        print(f"composer of this tree against {rev}, paired: {rounds} rounds, each the median of 10 passes "
              "over the demo's body copy in a new process", flush=True)
        for ours, theirs in (("house", "house"), ("default", "default"), ("default", "house")):
            ratios, mine, old = [], [], []
            for k in range(rounds):
                if k % 2:  # alternate which goes first
                    b, a = speed(other, theirs), speed(ROOT, ours)
                else:
                    a, b = speed(ROOT, ours), speed(other, theirs)
                mine.append(a)
                old.append(b)
                ratios.append(a / b)
            ratios.sort()
            print(f"  this tree's {ours} style / {rev}'s {theirs} style: median {statistics.median(ratios):.2f} "
                  f"(rounds {ratios[0]:.2f}–{ratios[-1]:.2f}); medians {statistics.median(mine):,.0f} and "
                  f"{statistics.median(old):,.0f} characters/s", flush=True)


def warm_rerender(runs: int, tmp: Path) -> list[float]:
    """Re-render after editing an article, in one process with its story cache (what `watch` does)."""
    from pagesetter.page.flow import StoryCache
    from pagesetter.app.pipeline import render_layout

    articles = tmp / "articles"
    layouts = tmp / "layouts"
    images = tmp / "images"
    shutil.copytree(ROOT / "articles", articles)
    shutil.copytree(ROOT / "layouts", layouts)
    shutil.copytree(ROOT / "images", images)
    layout = layouts / "page3.yaml"
    out = tmp / "warm.pdf"
    cache = StoryCache()
    render_layout(layout, out, cache=cache, root_dir=tmp)  # the copies' project root
    target = articles / "10-miluo.md"
    original = target.read_text(encoding="utf-8")
    times = []
    for n in range(runs):
        target.write_text(original.replace("近日，", "近日" + "，" * (n % 2 + 1), 1), encoding="utf-8")
        start = time.perf_counter()
        render_layout(layout, out, cache=cache, root_dir=tmp)
        times.append(time.perf_counter() - start)
    return times


def verdict(name: str, value: float, unit: str = "s") -> str:
    target = TARGETS[name]
    ok = value >= target if name in AT_LEAST else value <= target
    if ok:
        gap = ""
    elif name in AT_LEAST:
        gap = f", short by {target - value:,.0f}{unit} ({target / value:.1f}× too slow)"
    else:
        gap = f", missed by {value - target:.2f}{unit} ({value / target:.1f}× the target)"
    shown = f"{value:,.0f}" if name in AT_LEAST else f"{value:.3f}"
    return f"  {'PASS' if ok else 'MISS'}  {name}: {shown}{unit} (target {'≥' if name in AT_LEAST else '≤'} {target:,}{unit}{gap})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--against", metavar="REV", help="time the composer against git revision REV, paired")
    ap.add_argument("--rounds", type=int, default=9, help="rounds of --against (default 9)")
    args = ap.parse_args()
    if args.against:
        composer_against(args.against, max(1, args.rounds))
        return
    runs = max(5, args.runs)
    results = []
    with tempfile.TemporaryDirectory() as tmpname:
        tmp = Path(tmpname)
        for name in ("house", "default"):
            cps, med, chars = composer_throughput(runs * 2, name)
            print(f"composer ({'house.yaml, first-fit' if name == 'house' else 'default style, total-fit'}): "
                  f"{chars} characters in {med * 1000:.1f} ms (median of {runs * 2}) = {cps:,.0f} characters/s")
            if name == "default":
                results.append(verdict("composer (default style, total-fit)", cps, " chars/s"))

        fresh = dict(os.environ, PAGESETTER_CACHE_DIR=str(tmp / "fresh-cache"))
        first = timed(["render", str(ROOT / "layouts" / "page3.yaml"), "-o", str(tmp / "first.pdf")], 1, fresh)
        print(f"first render after install (empty font cache): {first[0]:.3f}s")
        results.append(verdict("first render after install", first[0]))

        for layout in sorted((ROOT / "layouts").glob("page*.yaml")):
            times = timed(["render", str(layout), "-o", str(tmp / f"{layout.stem}.pdf")], runs)
            print(f"cold render {layout.name}: {describe(times)}")
            if layout.name == "page3.yaml":
                results.append(verdict("cold render of the demo page", statistics.median(times)))

        for folder in ("layouts", "articles", "images"):  # the edition's project: a copy of the demo's files
            shutil.copytree(ROOT / folder, tmp / folder)
        edition = tmp / "edition.yaml"
        edition.write_text("edition:\n  running_head: {paper: 示例日报}\npages:\n" + "".join(
            f"  - {{layout: layouts/page3.yaml, page: {n}, output: page{n:02d}.pdf}}\n"
            for n in range(1, 17)), encoding="utf-8")
        times = timed(["render", str(edition), "-o", str(tmp / "edition"), "--jobs", "2"], runs)
        print(f"edition of 16 pages, --jobs 2: {describe(times)}")
        results.append(verdict("edition (16 pages, --jobs 2)", statistics.median(times)))

        times = warm_rerender(runs, tmp / "warm")
        print(f"warm re-render after editing an article: {describe(times)}")
        results.append(verdict("warm re-render after an edit", statistics.median(times)))

        feature = str(ROOT / "articles" / "01-louxing-feature.md")
        spec = ["--page", "A3", "--columns", "4", "--measure", "17em", "--gutter", "1em", "--size", "9pt",
                "--leading", "13.5pt"]
        once = timed(["galley", feature, "-o", str(tmp / "w1.pdf"), *spec], runs)
        ten = timed(["galley", feature, "-o", str(tmp / "w10.pdf"), "--repeat", "10", *spec], runs)
        print(f"standard workload ×1:  {describe(once)}")
        print(f"standard workload ×10: {describe(ten)}")
        results.append(verdict("workload ×10 / ×1", statistics.median(ten) / statistics.median(once), "×"))

        proc = subprocess.Popen(command() + ["render", str(ROOT / "layouts" / "page3.yaml"), "-o",
                                             str(tmp / "peak.pdf")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)  # this process's own peak, not the largest child's so far
        proc.returncode = os.waitstatus_to_exitcode(status)
        demo_peak = usage.ru_maxrss / 1024
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory: demo page cold render {demo_peak:.0f} MB; largest process above {peak:.0f} MB")
        results.append(verdict("peak memory of the demo page (MB)", demo_peak, " MB"))
    print("targets:")
    print("\n".join(results))


if __name__ == "__main__":
    main()
