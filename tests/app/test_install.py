"""The package as a user gets it: a wheel installed into a fresh venv, run from an unrelated folder."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]

LAYOUT = """\
name: tiny
title: 测试版
page: {size: A4, margins: 20mm}
grid: {columns: 2, gutter: 1字, body: {font: 书宋, size: 10pt, leading: 15pt}}
frames:
  main: {x: 0字, measure: 20字, columns: 2, line: 1, lines: 30}
stories:
  - article: story.md
    frames: [main]
    headline: {size: 18pt}
"""

ARTICLE = """\
---
title: 安装之后在任何目录都能排版
byline: （本报记者 某某）
---

新装的排版工具不依赖源代码目录，默认字体随包安装。**黑体加粗**与*楷体强调*各用其字体。

1. 第一项
2. 第二项
"""


def _run(args, **kw):
    proc = subprocess.run(args, capture_output=True, text=True, timeout=600, **kw)
    assert proc.returncode == 0, f"{args}: {proc.stdout}\n{proc.stderr}"
    return proc


def test_wheel_installs_and_renders_anywhere(tmp_path):
    # build from a copy of the files a release holds, so the worktree gets no build/ folder
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "src", src / "src", ignore=ignore)
    shutil.copytree(ROOT / "fonts", src / "fonts")
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(src)])
    wheel = next(dist.glob("pagesetter-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for module in (ROOT / "src" / "pagesetter").rglob("*.py"):
        assert module.relative_to(ROOT / "src").as_posix() in names, f"{module} is not in the wheel"
    for font in (ROOT / "fonts").iterdir():
        assert f"pagesetter/_fonts/{font.name}" in names, f"fonts/{font.name} is not in the wheel"

    # a venv of its own (not the test's site-packages): every runtime dependency must be declared
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-compile", str(wheel)])

    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "tiny.yaml").write_text(LAYOUT, encoding="utf-8")
    (work / "story.md").write_text(ARTICLE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAGESETTER_", "PYTHON"))}
    env["PAGESETTER_CACHE_DIR"] = str(tmp_path / "cache")
    exe = venv / "bin" / "pagesetter"
    version = _run([str(exe), "--version"], cwd=work, env=env).stdout
    assert "0.1.0" in version
    assert "0.1.0" in _run([str(python), "-m", "pagesetter", "--version"], cwd=work, env=env).stdout
    # the installed copy is the one that runs, not the source tree
    where = _run([str(python), "-c", "import pagesetter; print(pagesetter.__file__)"], cwd=work, env=env).stdout
    assert str(venv) in where
    _run([str(exe), "render", "tiny.yaml"], cwd=work, env=env)
    pdf = (work / "output" / "tiny.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    for face in (b"NotoSerifSC", b"NotoSansSC", b"LXGWWenKai"):
        assert face in pdf, face
