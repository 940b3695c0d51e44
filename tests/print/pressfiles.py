"""Small pages and pictures for the colour and ink tests, made on the spot."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pagesetter.app.cli import main
from pagesetter.units import MM

ROOT = Path(__file__).resolve().parents[2]
GS_ICC = Path("/usr/share/color/icc/ghostscript")
SWOP = GS_ICC / "default_cmyk.icc"  # Artifex's CMYK SWOP profile (Debian ghostscript; AGPL, not bundled)

ARTICLE = """---
title: 试刊
---

城东新区今年完成道路改造12公里，新建公园3处。居民说，出门方便多了，晚上也有地方散步。
"""


def small_layout(tmp_path: Path, extra: str = "", *, page: str = "size: 148mm x 210mm", print_: str = "", text: str = ARTICLE,
                 frame: str = "{column: 1, span: 2, line: 1, lines: 12}") -> Path:
    article = tmp_path / "a.md"
    article.write_text(text, encoding="utf-8")
    layout = tmp_path / "page.yaml"
    layout.write_text(f"""\
title: 试印
date: 2021-12-03
page: {{{page}, margins: 15mm}}
grid:
  columns: 4
  gutter: 1字
  body: {{font: 书宋, size: 10pt, leading: 15pt}}
frames:
  a: {frame}
stories:
  - article: {article}
    frames: [a]
    headline: false
{print_}
{extra}
""", encoding="utf-8")
    return layout


def render(layout: Path, out: Path | None = None, *extra: str):
    out = out or layout.with_suffix(".pdf")
    result = CliRunner().invoke(main, ["render", str(layout), "-o", str(out), *extra])
    return result, out


def need_gs():
    if not shutil.which("gs"):
        pytest.skip("Ghostscript (gs) is not installed: ink is measured on its CMYK rendering")


def need_swop() -> Path:
    """Ghostscript's SWOP profile, copied inside the project (a render reads only files in its root)."""
    if not SWOP.is_file():
        pytest.skip(f"{SWOP} is absent (install Debian's ghostscript for its CMYK profiles)")
    copy = Path(__file__).resolve().parents[2] / ".pytest-tmp" / "profiles" / SWOP.name
    if not copy.is_file():
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SWOP, copy)
    return copy


def separations(pdf: Path, dpi: int = 72):
    """The PDF's first page rendered to CMYK by Ghostscript with overprint simulated:
    (width, height, bytes), and the trim box's origin in pixels."""
    from pypdf import PdfReader
    need_gs()
    out = pdf.with_suffix(".cmyk")
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=bitcmyk", "-dGrayValues=256",
                    f"-r{dpi}", "-dOverprint=/simulate", f"-sOutputFile={out}", str(pdf)], check=True)
    page = PdfReader(pdf).pages[0]
    w = round(float(page.mediabox.width) * dpi / 72)
    h = round(float(page.mediabox.height) * dpi / 72)
    trim = [float(v) for v in page["/TrimBox"]]
    bleed = [float(v) for v in page["/BleedBox"]]
    return w, h, out.read_bytes(), trim, float(page.mediabox.height), bleed, dpi


def ink_at(seps, x_mm: float, y_mm: float, dpi: int = 72) -> tuple[float, ...]:
    """CMYK percentages at a point given from the trimmed page's top-left corner."""
    w, h, data, trim, media_h, *_ = seps
    x = (trim[0] + x_mm * MM) * dpi / 72
    y = (media_h - (trim[3] - y_mm * MM)) * dpi / 72
    i = (int(y) * w + int(x)) * 4
    return tuple(round(v * 100 / 255) for v in data[i:i + 4])


def max_ink(seps) -> float:
    """The highest total ink inside the bleed box (the marks outside are in registration colour)."""
    w, h, data, trim, media_h, bleed, dpi = seps
    x1, x2 = int(bleed[0] * dpi / 72) + 1, int(bleed[2] * dpi / 72) - 1
    worst = 0
    for row in range(int((media_h - bleed[3]) * dpi / 72) + 1, int((media_h - bleed[1]) * dpi / 72) - 1):
        line = data[(row * w + x1) * 4:(row * w + x2) * 4]
        worst = max(worst, max(map(lambda a, b, c, d: a + b + c + d, line[0::4], line[1::4], line[2::4], line[3::4])))
    return worst * 100 / 255
