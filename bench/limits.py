"""Inputs at the documented limits: each render must stay under 1 GB and 10 s.

    .venv/bin/python bench/limits.py

Builds each case in a temporary project, renders it in a new process and
prints its time and peak memory, PASS or MISS; a case past a limit must be
refused quickly with exit 2.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pagesetter.app.preview import MAX_PREVIEW_PIXELS  # noqa: E402
from pagesetter.layout.loader import LIMITS, MAX_HEADLINE_CHARS  # noqa: E402
from pagesetter.source.pictures import MAX_PIXELS  # noqa: E402

PAGE = """\
page: {size: A3, margins: 20mm}
grid: {columns: 4, gutter: 1字, body: {font: 书宋, size: 9pt, leading: 13.5pt}}
"""


def picture(folder: Path, count: int) -> str:
    side = int(MAX_PIXELS ** 0.5)
    # noise: the worst case to decode and compress; made in its own process, so this one stays small
    # (a child's peak memory counts what it inherits before it starts pagesetter)
    subprocess.run([sys.executable, "-c", "from PIL import Image; import sys; "
                    f"n = Image.effect_noise(({side}, {side}), 60).convert('RGB'); "
                    "Image.merge('RGBA', [*n.split(), n.split()[0]]).save(sys.argv[1], compress_level=1)",
                    str(folder / "big.png")], check=True)
    frames = "frames:\n  a: {column: 1, line: 1, lines: 10}\n"
    images = "".join(f"  - {{file: big.png, column: {1 + k % 4}, line: {12 + 20 * (k // 4)}, lines: 18}}\n"
                     for k in range(count))
    return PAGE + frames + "stories:\n  - {article: a.md, frames: [a]}\nimages:\n" + images


def headline(folder: Path) -> str:
    title = ("新闻标题文字" * 40)[:MAX_HEADLINE_CHARS]
    return PAGE + ("frames:\n  a: {column: 1, span: 4, line: 1, lines: 60}\n"
                   f"stories:\n  - {{article: a.md, frames: [a], headline: {{title: {title}, size: 20pt}}}}\n")


def chain(folder: Path) -> str:
    n = LIMITS["frames"]
    per_column = n // 4
    rows = max(1, 80 // per_column)
    frames = "".join(f"  f{k}: {{column: {1 + k // per_column}, line: {1 + (k % per_column) * rows}, lines: {rows}}}\n"
                     for k in range(n))
    chained = ", ".join(f"f{k}" for k in range(n))
    article = folder / "a.md"
    body = (ROOT / "articles" / "01-louxing-feature.md").read_text(encoding="utf-8")
    article.write_text(body + ("\n\n" + body.split("---", 2)[2]) * 8, encoding="utf-8")
    return PAGE + "frames:\n" + frames + f"stories:\n  - {{article: a.md, frames: [{chained}], headline: false}}\n"


def preview(folder: Path) -> tuple[str, list[str]]:
    text = ("page: {size: 1999mm x 1999mm, margins: 20mm}\n"
            "grid: {columns: 4, gutter: 1字, body: {font: 书宋, size: 9pt, leading: 13.5pt}}\n"
            "frames:\n  a: {column: 1, line: 1, lines: 30}\nstories:\n  - {article: a.md, frames: [a]}\n")
    edge = 2 * 2000 / 25.4 * 72
    dpi = int((MAX_PREVIEW_PIXELS / edge ** 2) ** 0.5 * 72)
    return text, ["--png", "--png-dpi", str(dpi)]


def run(name: str, text: str, extra: list[str], folder: Path) -> None:
    (folder / "page.yaml").write_text(text, encoding="utf-8")
    start = time.perf_counter()
    with open(folder / "err.txt", "w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "pagesetter", "render", "page.yaml", "-o", "out.pdf",
                                 "--allow-overset", *extra], cwd=folder, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr = (folder / "err.txt").read_text()
    peak = usage.ru_maxrss / 1024
    ok = proc.returncode == 0 and seconds <= 10 and peak <= 1024
    print(f"{'PASS' if ok else 'MISS'}  {name:<34} {seconds:6.2f} s  {peak:7.0f} MB  exit {proc.returncode}"
          + (f"  {proc.stderr.strip()[:160]}" if proc.returncode else ""))


def main() -> None:
    for name, build in (("3 pictures of 80 MP (RGBA PNG)", lambda f: (picture(f, 3), [])),
                        ("headline at the length limit", lambda f: (headline(f), [])),
                        ("story chain at the frame limit", lambda f: (chain(f), [])),
                        ("preview at the pixel limit", preview)):
        folder = Path(tempfile.mkdtemp(prefix="pagesetter-limits-"))
        try:
            shutil.copy(ROOT / "articles" / "02-lengshuitan.md", folder / "a.md")
            built = build(folder)
            text, extra = built if isinstance(built, tuple) else (built, [])
            run(name, text, extra, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONPATH", str(ROOT / "src"))
    main()
