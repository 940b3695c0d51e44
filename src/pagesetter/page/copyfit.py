"""Copyfitting (算稿): how many lines an article's body makes at a measure."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pagesetter.source.article import load_article
from pagesetter.compose.justify import Line
from pagesetter.compose.paragraph import compose_paragraph
from pagesetter.compose.style import HouseStyle
from pagesetter.fonts.faces import text_fonts
from pagesetter.fonts.metrics import FaceRef


@dataclass
class CopyfitResult:
    article: Path
    measure_em: float
    size: float
    leading: float
    paragraphs: list[list[Line]]

    @property
    def total(self) -> int:
        return sum(len(p) for p in self.paragraphs)

    @property
    def depth(self) -> float:
        return self.total * self.leading

    def as_json(self) -> dict:
        return {
            "paragraphs": [{"lines": [line.text for line in lines]} for lines in self.paragraphs],
            "total_lines": self.total,
            "depth_pt": round(self.depth, 3),
        }


def copyfit(article_path: Path, *, measure: float, size: float, leading: float, style: HouseStyle,
            face: FaceRef) -> CopyfitResult:
    """Compose the body paragraphs (no headline, subheads or byline) at ``measure`` pt."""
    article = load_article(article_path)
    fonts = text_fonts(face, style)
    measure_em = measure / size
    paragraphs = [compose_paragraph(p.text, fonts, style, measure_em) for p in article.paragraphs]
    return CopyfitResult(article_path, measure_em, size, leading, paragraphs)
