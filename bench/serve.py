"""pagesetter serve benchmark: how soon an article edit shows in the browser.

    .venv/bin/python bench/serve.py [--runs 7] [--dpi 100]

On a temporary copy of the demo project, after a one-character edit to an article:
  warm re-render   the server re-rendering in its running process (compose with
                   the story cache, the PDF as `render` writes it, rasterising
                   the changed regions), with its parts;
  edit to screen   from the save until Chromium shows the new page (the watcher's
                   poll, the re-render, the event, the patch images loaded and
                   decoded, the next frame painted), read from the page's clock.
Each target is printed with PASS or MISS. Needs chromium and chromedriver for the
second figure (apt-get install chromium chromium-driver).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TARGETS = {"warm re-render": 0.100, "edit to screen": 0.300}
ARTICLE = "10-miluo.md"


def project(tmp: Path) -> Path:
    for name in ("articles", "layouts", "images"):
        shutil.copytree(ROOT / name, tmp / name)
    return tmp / "layouts" / "page3.yaml"


def edit(article: Path, original: str, n: int) -> None:
    """A one-character edit, each different from the one before: one comma more after the dateline, or one
    less. Saved as editors that replace the file do, so that each edit is one render."""
    tmp = article.with_name(f".{article.name}.tmp")
    tmp.write_text(original.replace("近日，", "近日" + "，" * (n % 2 + 2), 1), encoding="utf-8")
    os.replace(tmp, article)


def describe(times: list[float]) -> str:
    med = statistics.median(times)
    return f"median {med * 1000:.0f} ms (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, n={len(times)})"


def verdict(name: str, value: float) -> str:
    target = TARGETS[name]
    ok = value <= target
    gap = "" if ok else f", missed by {(value - target) * 1000:.0f} ms ({value / target:.1f}× the target)"
    return f"  {'PASS' if ok else 'MISS'}  {name}: {value * 1000:.0f} ms (target ≤ {target * 1000:.0f} ms{gap})"


def warm(tmp: Path, runs: int, dpi: float) -> list[float]:
    import pagesetter.app.pipeline as pipeline
    import pagesetter.render.pdf as pdf
    from pagesetter.app.serve import Previewer

    layout = project(tmp)
    article = tmp / "articles" / ARTICLE
    original = article.read_text(encoding="utf-8")
    parts: dict[str, list[float]] = {"compose": [], "PDF": []}

    def timed(name, fn):
        def wrapper(*a, **k):
            start = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                parts[name].append(time.perf_counter() - start)
        return wrapper

    compose, write = pipeline.compose_layout, pdf.write_pdf
    pipeline.compose_layout, pdf.write_pdf = timed("compose", compose), timed("PDF", write)
    previewer = Previewer(layout, tmp / "output", dpi=dpi)
    cwd = os.getcwd()
    os.chdir(tmp)  # the copy is the project root
    try:
        start = time.perf_counter()
        previewer.render_if_changed()
        print(f"first render (fonts loaded, nothing cached): {(time.perf_counter() - start) * 1000:.0f} ms")
        for v in parts.values():
            v.clear()
        times = []
        for n in range(runs):
            edit(article, original, n)
            start = time.perf_counter()
            state = previewer.render_if_changed()
            times.append(time.perf_counter() - start)
            assert state and state["status"] == "clean", state and state["error"]
    finally:
        pipeline.compose_layout, pdf.write_pdf = compose, write
        previewer.close()
        os.chdir(cwd)
    print(f"warm re-render after a one-character edit: {describe(times)}")
    raster = [t - c - p for t, c, p in zip(times, parts["compose"], parts["PDF"])]
    print(f"    compose {describe(parts['compose'])}\n    PDF     {describe(parts['PDF'])}\n"
          f"    raster+rest {describe(raster)}")
    return times


def browser(tmp: Path, runs: int, dpi: float) -> list[float] | None:
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver_path:
        print("edit to screen: skipped (chromium or chromedriver not installed)")
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    import httpx

    project(tmp)
    article = tmp / "articles" / ARTICLE
    original = article.read_text(encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "pagesetter", "serve", "layouts/page3.yaml", "--port", str(port),
                               "--dpi", str(dpi), "-o", str(tmp / "output")], cwd=tmp,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    profile = tempfile.mkdtemp(prefix="bench-chromium-")
    driver = None
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(url + "api/state", timeout=5).json()["version"] >= 1:
                    break
            except (httpx.HTTPError, ValueError):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.2)
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-quic", f"--user-data-dir={profile}", "--window-size=1400,1000"):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        driver.get(url)

        def shown():
            return driver.execute_script("return window.__shown || null")

        wait_until = time.monotonic() + 60
        while not shown() and time.monotonic() < wait_until:
            time.sleep(0.05)
        times = []
        for n in range(runs):
            time.sleep(0.5)  # let the server and the page settle between edits
            before = shown()["version"]
            assert before == httpx.get(url + "api/state", timeout=5).json()["version"]
            saved = time.time()
            edit(article, original, n)
            limit = time.monotonic() + 30
            while True:
                now = shown()
                if now and now["version"] > before:
                    break
                if time.monotonic() > limit:
                    raise SystemExit("the browser did not show the edit")
                time.sleep(0.01)
            times.append(now["at"] / 1000 - saved)
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)
    print(f"edit to screen (save → Chromium shows the new page): {describe(times)}")
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--dpi", type=float, default=100.0, help="page image resolution (serve's default: 100)")
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    results = []
    with tempfile.TemporaryDirectory() as tmpname:
        tmp = Path(tmpname)
        (tmp / "warm").mkdir()
        times = warm(tmp / "warm", args.runs, args.dpi)
        results.append(verdict("warm re-render", statistics.median(times)))
        (tmp / "browser").mkdir()
        times = browser(tmp / "browser", args.runs, args.dpi)
        if times:
            results.append(verdict("edit to screen", statistics.median(times)))
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print("\n".join(results))


if __name__ == "__main__":
    main()
