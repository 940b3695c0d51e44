"""Draw docs/grid-coordinates.png: what a grid line covers, and how a headline stack takes lines.

    .venv/bin/python tools/draw_grid_figure.py

The geometry is computed with the numbers pagesetter uses (page/flow.py,
page/headlines.py): a body line's em box is centred in its grid line and the
baseline lies 0.88 em below the em box's top; a headline stack takes its depth
rounded up to whole lines, plus one.
"""

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from pagesetter.page.headlines import EM_BOX_ASCENT, LINE_HEIGHT, PART_GAP

ROOT = Path(__file__).resolve().parents[1]
SANS = str(ROOT / "fonts" / "NotoSansSC-Regular.ttf")
SANS_BOLD = str(ROOT / "fonts" / "NotoSansSC-Bold.ttf")
SERIF = str(ROOT / "fonts" / "NotoSerifSC-Regular.ttf")
SERIF_BOLD = str(ROOT / "fonts" / "NotoSerifSC-Bold.ttf")

S = 3.0            # pixels per point
PITCH, SIZE = 13.5, 9.0   # 小五 on 13.5 pt
KICKER, HEADLINE = 11.0, 22.0
TOP = 110          # y of the type area's top edge
BANDS = 8
INK, GREY, BAND, BLUE, RED, GREEN = (0, 0, 0), (110, 110, 110), (236, 236, 236), (40, 90, 200), (205, 30, 30), \
    (20, 130, 60)


def font(path: str, px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, round(px))


LABEL, SMALL, TITLE = font(SANS, 17), font(SANS, 15), font(SANS_BOLD, 20)


def y_of(lines: float) -> float:
    """Pixel y of a distance in 行 below the type area's top."""
    return TOP + lines * PITCH * S


def dashed(d: ImageDraw.ImageDraw, x0, y0, x1, y1, fill, width=1, dash=6):
    length = math.hypot(x1 - x0, y1 - y0)
    for k in range(0, int(length), dash * 2):
        a, b = k / length, min(1.0, (k + dash) / length)
        d.line([x0 + (x1 - x0) * a, y0 + (y1 - y0) * a, x0 + (x1 - x0) * b, y0 + (y1 - y0) * b], fill=fill,
               width=width)


def bands(d: ImageDraw.ImageDraw, x0: float, x1: float, count: int) -> None:
    for n in range(count):
        if n % 2 == 0:
            d.rectangle([x0, y_of(n), x1, y_of(n + 1)], fill=BAND)
        d.text((x0 + 6, (y_of(n) + y_of(n + 1)) / 2), f"line {n + 1}", font=SMALL, fill=GREY, anchor="lm")
    for n in range(count + 1):
        d.line([x0 - 8, y_of(n), x0, y_of(n)], fill=GREY, width=1)
        d.text((x0 - 12, y_of(n)), f"{n}行", font=SMALL, fill=GREY, anchor="rm")
    d.line([x0 - 8, TOP, x1 + 8, TOP], fill=INK, width=3)


def body_line(d: ImageDraw.ImageDraw, x: float, line: int, text: str, boxes: bool = True) -> float:
    """Body characters on grid line ``line`` (1-based); returns the baseline's y."""
    em = SIZE * S
    em_top = y_of(line - 1) + (PITCH - SIZE) / 2 * S
    baseline = em_top + EM_BOX_ASCENT * em
    f = font(SERIF, em)
    for k, ch in enumerate(text):
        if boxes:
            d.rectangle([x + k * em, em_top, x + (k + 1) * em, em_top + em], outline=(150, 150, 150))
        d.text((x + k * em, baseline), ch, font=f, fill=INK, anchor="ls")
    d.line([x - 4, baseline, x + len(text) * em + 4, baseline], fill=RED, width=1)
    return baseline


def grid_panel(d: ImageDraw.ImageDraw) -> None:
    x0, x1 = 150, 560
    d.text((x0 - 100, 28), "Grid lines as coordinates (小五 9 pt on a 13.5 pt pitch)", font=TITLE, fill=INK)
    bands(d, x0, x1, BANDS)
    d.text((x1 + 12, TOP), "top of the type area (版心) = 0行", font=SMALL, fill=INK, anchor="lm")

    # line 1 and 2: body text with em boxes and baselines, and the measurements of line 2
    body_line(d, x0 + 80, 1, "正文排在")
    base = body_line(d, x0 + 80, 2, "基线网格")
    em_top = y_of(1) + (PITCH - SIZE) / 2 * S
    xm = x0 + 80 + 4 * SIZE * S + 14
    for xa, ya, yb, colour in ((xm, y_of(1), em_top, BLUE), (xm + 16, em_top, base, RED)):
        d.line([xa, ya, xa, yb], fill=colour, width=2)
        for yy in (ya, yb):
            d.line([xa - 5, yy, xa + 5, yy], fill=colour, width=2)
    ax = x1 + 12
    d.text((ax, y_of(0.5)), "line 1 = from 0行 to 1行", font=SMALL, fill=INK, anchor="lm")
    d.text((ax, y_of(1.2)), "(pitch − size) ÷ 2 = 2.25 pt above the em box", font=SMALL, fill=BLUE, anchor="lm")
    d.text((ax, y_of(1.75)), "baseline 0.88 em = 7.92 pt below the em box's top,", font=SMALL, fill=RED,
           anchor="lm")
    d.text((ax, y_of(1.75) + 18), "10.17 pt below the line's top", font=SMALL, fill=RED, anchor="lm")

    # a rule through the empty line 4, half-way: 3.5行
    d.line([x0 + 70, y_of(3.5), x1 - 20, y_of(3.5)], fill=GREEN, width=3)
    d.text((ax, y_of(3.5)), "rule at y: 3.5行 — through the middle of line 4", font=SMALL, fill=GREEN, anchor="lm")

    # a frame on lines 5-7
    d.rectangle([x0 + 70, y_of(4), x1 - 20, y_of(7)], outline=BLUE, width=3)
    for k, text in enumerate(("框里的正文从第", "五行开始，共三", "行。")):
        body_line(d, x0 + 90, 5 + k, text, boxes=False)
    d.text((ax, y_of(4.6)), "frame {line: 5, lines: 3}: its top is 4行, the", font=SMALL, fill=BLUE, anchor="lm")
    d.text((ax, y_of(4.6) + 19), "top of line 5 (y: 4行 is the same place)", font=SMALL, fill=BLUE, anchor="lm")
    d.text((ax, y_of(7)), "its foot: 7行, the top of line 8", font=SMALL, fill=BLUE, anchor="lm")


def headline_panel(d: ImageDraw.ImageDraw, x0: float) -> None:
    x1 = x0 + 430
    d.text((x0 - 100, 28), "A headline stack: the lines it needs, plus one", font=TITLE, fill=INK)
    bands(d, x0, x1, BANDS)
    kicker_h = KICKER * LINE_HEIGHT["kicker"]
    gap = PART_GAP * max(KICKER, HEADLINE)
    head_h = HEADLINE * LINE_HEIGHT["headline"]
    depth = kicker_h + gap + head_h
    needed = math.ceil(depth / PITCH - 1e-6)
    used = needed + 1
    y = TOP + (needed * PITCH - depth) / 2 * S
    dashed(d, x0 + 70, y, x1 - 10, y, BLUE)
    dashed(d, x0 + 70, y + depth * S, x1 - 10, y + depth * S, BLUE)
    for text, size, height, path in (("引题十一磅", KICKER, kicker_h, SERIF_BOLD),
                                     ("主题用二号", HEADLINE, head_h, SANS_BOLD)):
        baseline = y + ((height - size) / 2 + EM_BOX_ASCENT * size) * S
        d.text((x0 + 90, baseline), text, font=font(path, size * S), fill=INK, anchor="ls")
        y += (height + (gap if size == KICKER else 0)) * S
    # brackets at the right: the stack's depth, the lines it needs, the empty line
    bx = x1 + 14
    d.line([bx, TOP, bx, y_of(needed)], fill=BLUE, width=3)
    d.line([bx + 10, y_of(needed), bx + 10, y_of(used)], fill=GREEN, width=3)
    tx = bx + 22
    d.text((tx, y_of(0.6)), f"kicker 1.3 × {KICKER:g} pt + ¼ × {HEADLINE:g} pt", font=SMALL, fill=BLUE, anchor="lm")
    d.text((tx, y_of(0.6) + 19), f"+ headline 1.15 × {HEADLINE:g} pt = {depth:.1f} pt", font=SMALL, fill=BLUE,
           anchor="lm")
    d.text((tx, y_of(1.9)), f"= {depth / PITCH:.2f} lines → needs {needed} lines;", font=SMALL, fill=BLUE,
           anchor="lm")
    d.text((tx, y_of(1.9) + 19), "the stack is centred in them", font=SMALL, fill=BLUE, anchor="lm")
    d.text((tx, y_of(needed + 0.5)), f"+ 1 empty line: the stack takes {used}", font=SMALL, fill=GREEN, anchor="lm")
    for k, text in enumerate(("正文从第六行开始", "排在基线网格上")):
        body_line(d, x0 + 90, used + 1 + k, text, boxes=False)
    d.text((tx, y_of(used + 0.5)), f"the text starts on line {used + 1}", font=SMALL, fill=INK, anchor="lm")


def main() -> None:
    im = Image.new("RGB", (1900, round(y_of(BANDS)) + 40), "white")
    d = ImageDraw.Draw(im)
    grid_panel(d)
    headline_panel(d, 1150)
    out = ROOT / "docs" / "grid-coordinates.png"
    im.save(out, optimize=True)
    print(out)


if __name__ == "__main__":
    main()
