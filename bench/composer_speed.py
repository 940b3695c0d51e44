"""The composer's speed over the demo's body copy, in one place: ``bench.py`` times it in its own
process, and in a new one per tree for ``bench.py --against`` (the tree's ``src`` first on the
path, so another revision's composer runs with the same timing code):

    python bench/composer_speed.py SRC ROOT STYLE RUNS    # prints characters per second
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

# the articles' print measures (em) on the demo page
MEASURES = {"01": 17.8, "02": 14.1, "03": 26.3, "04": 13.9, "05": 13.9, "06": 18.3, "07": 14.3, "08": 26.3,
            "09": 14.3, "10": 13.9, "11": 14.3}


def throughput(root: Path, runs: int, style_name: str = "house") -> tuple[float, float, int]:
    """(characters per second, median seconds a pass, characters) composing every body paragraph
    of ``root``'s articles at their print measures, fonts loaded. ``house``: ``root``'s
    layouts/house.yaml (first-fit, as the demo paper); ``default``: the default house style."""
    from pagesetter.compose.paragraph import compose_paragraph
    from pagesetter.compose.style import HouseStyle
    from pagesetter.fonts.faces import text_fonts
    from pagesetter.fonts.registry import FontRegistry
    from pagesetter.layout.loader import load_style_file
    from pagesetter.source.article import load_article

    style = load_style_file(root / "layouts" / "house.yaml") if style_name == "house" else HouseStyle()
    fonts = text_fonts(FontRegistry.default().resolve("body"), style)
    work = [(p.text, MEASURES[path.name[:2]]) for path in sorted((root / "articles").glob("*.md"))
            for p in load_article(path).paragraphs]
    chars = sum(len(t) for t, _ in work)
    for text, m in work:
        compose_paragraph(text, fonts, style, m)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for text, m in work:
            compose_paragraph(text, fonts, style, m)
        times.append(time.perf_counter() - start)
    med = statistics.median(times)
    return chars / med, med, chars


if __name__ == "__main__":
    src, tree, style_arg, passes = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    sys.path.insert(0, src)
    print(throughput(tree, passes, style_arg)[0])
