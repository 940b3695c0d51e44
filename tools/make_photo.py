"""Draw the front page's placeholder photograph (a photo-style picture of terraced
fields under a hazy sky), so the demo needs no photograph it could not license.

    .venv/bin/python tools/make_photo.py      # writes images/front-photo.jpg

It is drawn from fixed numbers (no randomness), RGB at 3200 × 2000 pixels — over
200 ppi where the front page places it — and the layout's caption says
it is a placeholder.
"""

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
W, H = 2400, 1500   # drawn at this size, saved at OUT
OUT = (3200, 2000)


def main(path: Path) -> None:
    im = Image.new("RGB", (W, H))
    d = ImageDraw.Draw(im)
    for y in range(H):  # sky: pale at the horizon
        t = y / H
        d.line([(0, y), (W, y)], fill=(int(150 + 80 * t), int(180 + 60 * t), int(215 + 30 * t)))
    # hills, far to near, each a darker green
    for k, (base, amp, shade) in enumerate(((620, 90, (120, 150, 130)), (760, 110, (80, 125, 85)),
                                            (900, 70, (60, 105, 60)))):
        pts = [(0, H)]
        for x in range(0, W + 1, 8):
            y = base - amp * math.sin(x / (300 + 90 * k) + k) - 0.4 * amp * math.sin(x / 97 + 2 * k)
            pts.append((x, y))
        pts.append((W, H))
        d.polygon(pts, fill=shade)
    # terraces: curved bands with bright water edges
    for n in range(14):
        y0 = 980 + n * 38
        pts_top = [(x, y0 + 22 * math.sin(x / 260 + n * 0.35)) for x in range(0, W + 1, 12)]
        green = (70 + 6 * n, 120 + 5 * n, 50 + 3 * n)
        d.polygon(pts_top + [(W, H), (0, H)], fill=green)
        d.line(pts_top, fill=(200, 215, 190), width=5)
    # a village: white walls, dark roofs
    for i, (x, y, w) in enumerate(((1500, 870, 120), (1650, 890, 90), (1380, 905, 100), (1760, 915, 110))):
        d.rectangle([x, y, x + w, y + 60], fill=(235, 232, 225))
        d.polygon([(x - 12, y), (x + w / 2, y - 40), (x + w + 12, y)], fill=(60, 60, 70))
        for j in range(3):
            d.rectangle([x + 15 + j * w // 3, y + 20, x + 30 + j * w // 3, y + 40], fill=(90, 80, 70))
    im = im.filter(ImageFilter.GaussianBlur(1.2)).resize(OUT, Image.LANCZOS)
    im.save(path, "JPEG", quality=88, optimize=True)


if __name__ == "__main__":
    main(ROOT / "images" / "front-photo.jpg")
