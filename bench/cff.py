"""How long converting a CFF (PostScript-outline) font to TrueType takes.

    .venv/bin/python bench/cff.py [FONT.otf|.ttc] [--index N]

Default font: Debian's NotoSerifCJK-Regular.ttc, face 2 (SC). Prints the CPU
seconds of: reading the font's facts, converting the glyphs of the 娄星区
feature (what one page uses), a second time from the cache, and an estimate
for the whole face from 2,000 glyphs spread over it — why pagesetter converts only the glyphs
a document uses.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("font", nargs="?", default="/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
    parser.add_argument("--index", type=int, default=2)
    args = parser.parse_args()
    path = Path(args.font)
    if not path.is_file():
        sys.exit(f"{path}: not found (apt-get install fonts-noto-cjk, or name a CFF font)")
    os.environ["PAGESETTER_CACHE_DIR"] = tempfile.mkdtemp(prefix="pagesetter-bench-")
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    from pagesetter.fonts.cache import font_data
    from pagesetter.fonts.convert import MAX_ERR, truetype_bytes

    t = time.process_time()
    data = font_data(path, args.index)
    print(f"font facts      {time.process_time() - t:6.2f} s  ({len(data.advances)} glyphs, cff={data.cff})")
    text = (ROOT / "articles" / "01-louxing-feature.md").read_text(encoding="utf-8")
    glyphs = frozenset(data.cmap[ord(c)] for c in set(text) if ord(c) in data.cmap)
    raw = bytes(data.data)
    t = time.process_time()
    out = truetype_bytes(raw, args.index, data.digest, glyphs)
    print(f"one page        {time.process_time() - t:6.2f} s  ({len(glyphs)} glyphs, {len(out) // 1024} kB)")
    t = time.process_time()
    truetype_bytes(raw, args.index, data.digest, glyphs)
    print(f"again (cached)  {time.process_time() - t:6.2f} s")
    font = TTFont(io.BytesIO(raw), fontNumber=args.index)
    glyph_set = font.getGlyphSet()
    names = font.getGlyphOrder()[1::33]  # about 2,000 glyphs from across the face
    t = time.process_time()
    for name in names:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        pen.glyph()
    per = (time.process_time() - t) / len(names)
    print(f"whole face      {per * len(data.advances):6.1f} s  (estimated, {per * 1000:.1f} ms a glyph)")


if __name__ == "__main__":
    main()
