from pathlib import Path

import pytest

from pagesetter.compose.segment import TextFonts
from pagesetter.compose.style import HouseStyle
from pagesetter.fonts.metrics import FaceRef, metrics_for

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "fonts"
LAYOUTS = ROOT / "layouts"
ARTICLES = ROOT / "articles"


class FakeMetrics:
    """Every ideograph and Chinese mark 1 em, ASCII ½ em: hand-checkable widths."""

    key = "fake"

    def advance(self, ch: str) -> float:
        if ch == " ":
            return 0.25
        return 0.5 if ch.isascii() else 1.0

    def ink(self, ch: str) -> tuple[float, float]:
        return (0.0, self.advance(ch))


@pytest.fixture
def fake_fonts() -> TextFonts:
    m = FakeMetrics()
    return TextFonts(m, m)


@pytest.fixture(scope="session")
def serif_fonts() -> TextFonts:
    path = FONTS / "NotoSerifSC-Regular.ttf"
    return TextFonts(metrics_for(FaceRef(path)), metrics_for(FaceRef(path, 0, ("hwid",))))


@pytest.fixture
def house() -> HouseStyle:
    """The demo paper's house style (layouts/house.yaml)."""
    return HouseStyle(stop_beside_mark=0.5, cjk_latin_space=0.125, cjk_latin_min=0.0625, cjk_latin_max=0.25,
                      push="out-only", orphan_min=0, western_glyphs="halfwidth",
                      western_widths=((".", 0.25), ("%", 0.83)), breaking="first-fit", single_quotes="half-em",
                      keep_first_lines=1, keep_last_lines=1)
