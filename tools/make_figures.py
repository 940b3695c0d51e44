"""Draw the demo page's two figures from numbers printed in the seed articles.

    .venv/bin/python tools/make_figures.py      # writes images/*.png

The figures are greyscale (they print in black ink only) at 300 ppi for the
size they are placed at in layouts/page3.yaml. Every number comes from the
article named in the figure's caption; nothing is estimated.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
HEI = str(ROOT / "fonts" / "NotoSansSC-Bold.ttf")
HEI_REGULAR = str(ROOT / "fonts" / "NotoSansSC-Regular.ttf")
PPI = 300


def px(pt: float) -> int:
    return round(pt * PPI / 72)


def daoxian_targets(path: Path) -> None:
    """07-daoxian: five-year targets of the two industries (产值 in 亿元, 企业 in 家)."""
    w, h = px(128), px(128)
    im = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(im)
    title = ImageFont.truetype(HEI, px(9))
    label = ImageFont.truetype(HEI_REGULAR, px(7))
    value = ImageFont.truetype(HEI, px(8))
    d.text((px(4), px(3)), "五年目标：产值（亿元）", font=title, fill=0)
    bars = [("电子信息", 150, "150亿元以上", "企业80家以上"), ("先进装备制造", 100, "100亿元以上", "企业50家以上")]
    base_y, top_y = px(100), px(26)
    scale = (base_y - top_y) / 150
    for i, (name, amount, text, firms) in enumerate(bars):
        x0 = px(14 + i * 58)
        x1 = x0 + px(36)
        d.rectangle([x0, base_y - amount * scale, x1, base_y], fill=60 if i == 0 else 140)
        d.text((x0, base_y - amount * scale - px(10)), text, font=value, fill=0)
        d.text((x0 - px(4), base_y + px(3)), name, font=label, fill=0)
        d.text((x0 - px(4), base_y + px(10)), firms, font=label, fill=90)
    d.line([px(6), base_y, w - px(6), base_y], fill=0, width=px(0.6))
    im.save(path, dpi=(PPI, PPI), optimize=True)


def loudi_figures(path: Path) -> None:
    """06-loudi-trading-center: the centre's figures to 22 November."""
    w, h = px(108), px(124)
    im = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(im)
    big = ImageFont.truetype(HEI, px(15))
    unit = ImageFont.truetype(HEI, px(7))
    label = ImageFont.truetype(HEI_REGULAR, px(6.5))
    title = ImageFont.truetype(HEI, px(9))
    d.rectangle([0, 0, w, px(16)], fill=30)
    d.text((px(5), px(3)), "数说交易平台", font=title, fill=255)
    d.text((w - px(5) - d.textlength("截至11月22日", font=label), px(5)), "截至11月22日", font=label, fill=255)
    rows = [("1198", "个", "政府采购项目成交"), ("27", "亿元", "政府采购成交金额"), ("2720", "笔", "投标电子保函"),
            ("近16000", "家", "实名注册招投标企业")]
    y = px(21)
    for number, u, what in rows:
        d.text((px(5), y), number, font=big, fill=0)
        nw = d.textlength(number, font=big)
        d.text((px(5) + nw + px(2), y + px(7)), u, font=unit, fill=0)
        d.text((px(5), y + px(16.5)), what, font=label, fill=80)
        y += px(25.5)
        if number != rows[-1][0]:
            d.line([px(5), y - px(1.5), w - px(5), y - px(1.5)], fill=170, width=px(0.4))
    im.save(path, dpi=(PPI, PPI), optimize=True)


if __name__ == "__main__":
    out = ROOT / "images"
    out.mkdir(exist_ok=True)
    daoxian_targets(out / "daoxian-targets.png")
    loudi_figures(out / "loudi-figures.png")
    print("wrote", *sorted(p.name for p in out.glob("*.png")))
