"""Shared by the tests: the demo layout, rewritten to run from a temporary folder."""

import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "layouts" / "page3.yaml"
SEED = ROOT / "articles" / "02-lengshuitan.md"

# A one-frame A4 page; ARTICLE stands for the article's path.
SMALL = """\
page: {size: A4, margins: 20mm}
grid: {columns: 2, gutter: 1字, body: {font: 书宋, size: 9pt, leading: 13.5pt}}
frames:
  a: {column: 1, span: 2, line: 1, lines: 50}
stories:
  - article: ARTICLE
    frames: [a]
"""


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


HAN = "新闻出版印刷排版编辑记者报道城市乡村经济发展建设项目工作会议群众服务社会文化教育科技创新产业市场企业政府部门"


def write_test_article(folder: Path, seed: int = 3, paragraphs: int = 14) -> Path:
    """Copy with numbers, Latin and quotes, paragraphs of many lengths, a subhead and a byline."""
    rnd = random.Random(seed)

    def para(n):
        out = []
        for _ in range(n):
            out.append(rnd.choice(HAN))
            r = rnd.random()
            if r < 0.06:
                out.append("，")
            elif r < 0.08:
                out.append(str(rnd.randint(1, 2021)))
            elif r < 0.09:
                out.append("“报道”")
            elif r < 0.10:
                out.append(" GDP ")
        return "".join(out) + "。"
    paras = [para(rnd.randint(40, 260)) for _ in range(paragraphs)]
    half = paragraphs // 2
    text = ("---\ntitle: 测试稿件的主题\nbyline: （记者 某某）\n---\n\n" + "\n\n".join(paras[:half]) +
            "\n\n## 小标题\n\n" + "\n\n".join(paras[half:]) + "\n")
    path = folder / "story.md"
    path.write_text(text, encoding="utf-8")
    return path


def demo_project(folder: Path) -> Path:
    """A copy of the demo project (articles, layouts, images) in ``folder``; returns its page3.yaml."""
    for name in ("articles", "layouts", "images", "data"):
        shutil.copytree(ROOT / name, folder / name)
    return folder / "layouts" / "page3.yaml"
