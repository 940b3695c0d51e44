"""Shared by the tests: the demo layout, rewritten to run from a temporary folder."""

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "layouts" / "page3.yaml"


def demo_layout_text(**replace: str) -> str:
    """The demo layout with its relative paths made absolute, and ``old=new`` replacements applied."""
    text = DEMO.read_text(encoding="utf-8")
    text = text.replace("../articles/", str(ROOT / "articles") + "/").replace("../images/", str(ROOT / "images") + "/")
    text = text.replace("style: house.yaml", f"style: {ROOT / 'layouts' / 'house.yaml'}")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def write_demo_layout(folder: Path, **replace: str) -> Path:
    path = folder / "page.yaml"
    path.write_text(demo_layout_text(**replace), encoding="utf-8")
    return path


def demo_project(folder: Path) -> Path:
    """A copy of the demo project (articles, layouts, images) in ``folder``; returns its page3.yaml."""
    for name in ("articles", "layouts", "images"):
        shutil.copytree(ROOT / name, folder / name)
    return folder / "layouts" / "page3.yaml"
