"""Draw the demo page's two figures from numbers printed in the seed articles.

    .venv/bin/python tools/make_figures.py      # writes images/*.svg

The figures are vector drawings (SVG) in greys, which print in black ink only; their
type is Noto Sans SC (the project's 黑体, fonts/), which pagesetter turns into outlines
when it places them. Every label is measured with the font's own widths so that it
stands clear of the bars and rules. Every number comes from the article named in the
figure's caption; nothing is estimated.
"""

from pathlib import Path
from xml.sax.saxutils import escape

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
FAMILY = "Noto Sans SC"
FACES = {"bold": ROOT / "fonts" / "NotoSansSC-Bold.ttf", "normal": ROOT / "fonts" / "NotoSansSC-Regular.ttf"}
_FONTS: dict = {}


def width(text: str, size: float, weight: str = "normal") -> float:
    """The set width of ``text`` in points, from the face's advance widths."""
    font = _FONTS.get(weight)
    if font is None:
        font = _FONTS[weight] = TTFont(str(FACES[weight]), lazy=True)
    cmap, hmtx, upem = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    return sum(hmtx[cmap[ord(ch)]][0] for ch in text) * size / upem


def n(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


class Svg:
    def __init__(self, w: float, h: float):
        self.w, self.h = w, h
        self.items: list[str] = []

    def rect(self, x, y, w, h, fill):
        self.items.append(f'<rect x="{n(x)}" y="{n(y)}" width="{n(w)}" height="{n(h)}" fill="{fill}"/>')

    def line(self, x1, y1, x2, y2, stroke, weight):
        self.items.append(f'<line x1="{n(x1)}" y1="{n(y1)}" x2="{n(x2)}" y2="{n(y2)}" stroke="{stroke}" '
                          f'stroke-width="{n(weight)}"/>')

    def text(self, x, baseline, text, size, weight="normal", fill="#000000", anchor="start"):
        self.items.append(f'<text x="{n(x)}" y="{n(baseline)}" font-family="{FAMILY}" font-weight="{weight}" '
                          f'font-size="{n(size)}" fill="{fill}" text-anchor="{anchor}">{escape(text)}</text>')

    def save(self, path: Path):
        body = "\n  ".join(self.items)
        path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="{n(self.w)}pt" height="{n(self.h)}pt" '
                        f'viewBox="0 0 {n(self.w)} {n(self.h)}">\n  {body}\n</svg>\n', encoding="utf-8")


def daoxian_targets(path: Path) -> None:
    """07-daoxian: five-year targets of the two industries (产值 in 亿元, 企业 in 家)."""
    svg = Svg(128, 128)
    svg.text(4, 12, "五年目标：产值（亿元）", 9, "bold")
    bars = [("电子信息", 150, "150亿元以上", "企业80家以上", "#3c3c3c"),
            ("先进装备制造", 100, "100亿元以上", "企业50家以上", "#8c8c8c")]
    base_y, top_y = 98.0, 32.0
    scale = (base_y - top_y) / 150
    bar_w, pitch, first = 34.0, 60.0, 17.0
    for i, (name, amount, text, firms, grey) in enumerate(bars):
        x0 = first + i * pitch
        centre = x0 + bar_w / 2
        top = base_y - amount * scale
        svg.rect(x0, top, bar_w, base_y - top, grey)
        # the value stands 3pt above its bar, centred on it; the names hang below the base rule
        svg.text(centre, top - 3.5, text, 8, "bold", anchor="middle")
        svg.text(centre, base_y + 10, name, 7, anchor="middle")
        svg.text(centre, base_y + 19, firms, 7, fill="#5a5a5a", anchor="middle")
        for label, size, weight in ((text, 8, "bold"), (name, 7, "normal"), (firms, 7, "normal")):
            assert width(label, size, weight) < pitch - 2, f"{label!r} would run into its neighbour"
    svg.line(6, base_y + 0.3, 122, base_y + 0.3, "#000000", 0.6)
    svg.save(path)


def loudi_figures(path: Path) -> None:
    """06-loudi-trading-center: the centre's figures to 22 November."""
    w = 108.0
    svg = Svg(w, 124)
    svg.rect(0, 0, w, 16, "#1e1e1e")
    svg.text(5, 11.5, "数说交易平台", 9, "bold", fill="#ffffff")
    svg.text(w - 5, 10.5, "截至11月22日", 6.5, fill="#ffffff", anchor="end")
    rows = [("1198", "个", "政府采购项目成交"), ("27", "亿元", "政府采购成交金额"), ("2720", "笔", "投标电子保函"),
            ("近16000", "家", "实名注册招投标企业")]
    y = 20.0
    for k, (number, unit, what) in enumerate(rows):
        number_base = y + 11.5
        svg.text(5, number_base, number, 14, "bold")
        svg.text(5 + width(number, 14, "bold") + 1.5, number_base, unit, 7, "bold")
        what_base = number_base + 9
        svg.text(5, what_base, what, 6.5, fill="#505050")
        if k < len(rows) - 1:
            # the rule sits 3.5pt under the description's baseline: clear of its descenders
            svg.line(5, what_base + 3.5, w - 5, what_base + 3.5, "#aaaaaa", 0.4)
        y = what_base + 5.5
    svg.save(path)


if __name__ == "__main__":
    out = ROOT / "images"
    out.mkdir(exist_ok=True)
    daoxian_targets(out / "daoxian-targets.svg")
    loudi_figures(out / "loudi-figures.svg")
    print("wrote", *sorted(p.name for p in out.glob("*.svg")))
