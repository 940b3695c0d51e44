"""pagesetter serve benchmark: how soon an article edit shows in the browser.

    .venv/bin/python bench/serve.py [--runs 7] [--dpi 100]

On a temporary copy of the demo project, after a one-character edit to an article:
  warm re-render   the server re-rendering in its running process until its proof
                   event (compose with the story cache, a PDF of the changed
                   regions, rasterised), then until the print PDF's event (the
                   PDF as `render` writes it, its regions rasterised and compared
                   with the proof), with the parts of each;
  edit to screen   from the save until Chromium shows the new page (the watcher's
                   poll, the re-render, the event, the patch images loaded and
                   decoded, the next frame painted), read from the page's clock;
                   then until it shows the print PDF's confirming event.
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
EDITS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"


def project(tmp: Path) -> Path:
    for name in ("articles", "layouts", "images"):
        shutil.copytree(ROOT / name, tmp / name)
    return tmp / "layouts" / "page3.yaml"


def edit(article: Path, original: str, n: int) -> None:
    """A one-character edit, each a text the server has not set before (so its story cache cannot
    hold it): one character after the dateline, another each time. Saved as editors that replace
    the file do, so that each edit is one render."""
    tmp = article.with_name(f".{article.name}.tmp")
    tmp.write_text(original.replace("近日，", f"近日{EDITS[n % len(EDITS)]}，", 1), encoding="utf-8")
    os.replace(tmp, article)


def describe(times: list[float]) -> str:
    med = statistics.median(times)
    return f"median {med * 1000:.0f} ms (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, n={len(times)})"


def verdict(name: str, value: float) -> str:
    target = TARGETS[name]
    ok = value <= target
    gap = "" if ok else f", missed by {(value - target) * 1000:.0f} ms ({value / target:.1f}× the target)"
    return f"  {'PASS' if ok else 'MISS'}  {name}: {value * 1000:.0f} ms (target ≤ {target * 1000:.0f} ms{gap})"


def warm(tmp: Path, runs: int, dpi: float) -> tuple[list[float], list[float]]:
    """Times to the proof event and to the print PDF's event, with the parts of each."""
    import pagesetter.app.pipeline as pipeline
    import pagesetter.page.collisions as collisions
    import pagesetter.render.pdf as pdf
    from pagesetter.app.serve import Previewer

    layout = project(tmp)
    article = tmp / "articles" / ARTICLE
    original = article.read_text(encoding="utf-8")
    parts: dict[str, list[float]] = {}

    def timed(module, attr, name=None):
        fn = getattr(module, attr)

        def wrapper(*a, **k):
            start = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                key = name(*a) if callable(name) else name or attr
                parts.setdefault(key, []).append(time.perf_counter() - start)
        setattr(module, attr, wrapper)
        return module, attr, fn

    patched = [timed(pipeline, "load_layout", "load layout"), timed(pipeline, "compose_page", "compose stories"),
               timed(collisions, "check", "collision check"),
               timed(pdf, "write_pdf", lambda pages, out: "proof PDF" if ".proof" in Path(out).parts else "print PDF")]
    previewer = Previewer(layout, tmp / "output", dpi=dpi)
    cwd = os.getcwd()
    os.chdir(tmp)  # the copy is the project root
    proof_times, print_times = [], []
    try:
        start = time.perf_counter()
        previewer.render_if_changed()
        print(f"first render (fonts loaded, nothing cached): {(time.perf_counter() - start) * 1000:.0f} ms")
        parts.clear()
        for n in range(runs):
            edit(article, original, n)
            proofs = []
            start = time.perf_counter()
            state = previewer.render_if_changed(early=lambda e: proofs.append(time.perf_counter() - start))
            print_times.append(time.perf_counter() - start)
            assert state and state["status"] == "clean", state and state["error"]
            assert len(proofs) == 1 and state["pages"][0]["update"] == {"same": True}, "no proof, or it differed"
            proof_times.append(proofs[0])
    finally:
        for module, attr, fn in patched:
            setattr(module, attr, fn)
        previewer.close()
        os.chdir(cwd)
    print(f"warm re-render after a one-character edit, to the proof event: {describe(proof_times)}")
    compose = [a + b + c for a, b, c in zip(parts["load layout"], parts["compose stories"], parts["collision check"])]
    rest = [t - c - p for t, c, p in zip(proof_times, compose, parts["proof PDF"])]
    print(f"    compose          {describe(compose)}")
    for name in ("load layout", "compose stories", "collision check"):
        print(f"      {name:15s}{describe(parts[name])}")
    print(f"    proof PDF        {describe(parts['proof PDF'])}\n    raster + event   {describe(rest)}")
    print(f"  ... to the print PDF's event (written, rasterised, compared): {describe(print_times)}")
    rest = [t - p - q for t, p, q in zip(print_times, proof_times, parts["print PDF"])]
    print(f"    print PDF        {describe(parts['print PDF'])}\n    raster + compare {describe(rest)}")
    return proof_times, print_times


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
            return driver.execute_script(
                "return window.__shown ? Object.assign({received: (window.__received || {}).at}, window.__shown) : null")

        wait_until = time.monotonic() + 60
        while not shown() and time.monotonic() < wait_until:
            time.sleep(0.05)
        times, printed, arrived = [], [], []
        for n in range(runs):
            time.sleep(0.5)  # let the server and the page settle between edits
            before = shown()["version"]
            assert before == httpx.get(url + "api/state", timeout=5).json()["version"]
            saved = time.time()
            edit(article, original, n)
            limit = time.monotonic() + 30
            first = None
            while True:
                now = shown()
                if now and now["version"] > before:
                    first = first or now
                    if not now["proof"]:
                        break
                if time.monotonic() > limit:
                    raise SystemExit("the browser did not show the edit")
                time.sleep(0.005)
            times.append(first["at"] / 1000 - saved)
            arrived.append(first["received"] / 1000 - saved)
            printed.append(now["at"] / 1000 - saved)
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)
    print(f"edit to screen (save → Chromium shows the new page): {describe(times)}")
    print(f"    save → the event arrives   {describe(arrived)}\n"
          f"    event → the page is shown  {describe([t - a for t, a in zip(times, arrived)])}")
    print(f"  ... and shows it confirmed by the print PDF: {describe(printed)}")
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help=f"edits per measure (at most {len(EDITS)} distinct ones)")
    ap.add_argument("--dpi", type=float, default=100.0, help="page image resolution (serve's default: 100)")
    ap.add_argument("--only", choices=("warm", "browser"), help="measure one of the two")
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    results = []
    with tempfile.TemporaryDirectory() as tmpname:
        tmp = Path(tmpname)
        (tmp / "warm").mkdir()
        if args.only != "browser":
            times, _ = warm(tmp / "warm", args.runs, args.dpi)
            results.append(verdict("warm re-render", statistics.median(times)))
        (tmp / "browser").mkdir()
        times = browser(tmp / "browser", args.runs, args.dpi) if args.only != "warm" else None
        if times:
            results.append(verdict("edit to screen", statistics.median(times)))
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print("\n".join(results))


if __name__ == "__main__":
    main()
