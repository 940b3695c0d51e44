from pathlib import Path

import pytest

from pagesetter.compose.segment import TextFonts
from pagesetter.compose.style import HouseStyle
from pagesetter.fonts.metrics import FaceRef, metrics_for

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "fonts"
LAYOUTS = ROOT / "layouts"
ARTICLES = ROOT / "articles"


def pytest_configure(config):
    """Temporary folders inside the checkout: a test's layout then lies inside the current
    directory (the repository), which is its project root, and may name the seed articles."""
    if config.option.basetemp is None:
        config.option.basetemp = str(ROOT / ".pytest-tmp")


class FakeMetrics:
    """Every ideograph and Chinese mark 1 em, ASCII ½ em: hand-checkable widths."""

    key = "fake"

    def advance(self, ch: str) -> float:
        if ch == " ":
            return 0.25
        return 0.5 if ch.isascii() else 1.0

    def ink(self, ch: str) -> tuple[float, float]:
        return (0.0, self.advance(ch))


@pytest.fixture(scope="session")
def demo_pdf(tmp_path_factory) -> Path:
    """The demo page, rendered once for the tests that only read it."""
    from click.testing import CliRunner

    from pagesetter.app.cli import main
    out = tmp_path_factory.mktemp("demo") / "page3.pdf"
    result = CliRunner().invoke(main, ["render", str(LAYOUTS / "page3.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


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
                      hyphenate=False, keep_first_lines=1, keep_last_lines=1)
