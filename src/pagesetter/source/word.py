"""Word (.docx) articles, read with python-docx.

- Paragraphs are body paragraphs; bold runs are strong, italic runs emphasis,
  Word's emphasis mark (着重号, ``w:em``) emphasis dots.
- A paragraph in the Title style is the title, Subtitle the subtitle, a style
  named Kicker / 引题 the kicker; without a Title, a first heading before any body
  text is the title. Later headings are subheads (a level-3 heading straight
  after another heading is its second line).
- A short paragraph starting （记者 or 本报记者 is the byline.
- Tables are kept as table blocks (not set yet).

Word has no source lines: positions in messages are paragraph numbers.
"""

from __future__ import annotations

import re
from pathlib import Path

from pagesetter.errors import PagesetterError

KICKER_STYLES = {"kicker", "引题", "肩题"}


def read_docx(path: Path):
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table as WordTable

    from pagesetter.source.article import BYLINE, MAX_BYLINE, Article, Paragraph, Subhead, Table

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise PagesetterError(f"not a readable Word (.docx) file: {exc}", file=str(path)) from None
    article = Article(path)
    file = str(path)
    body_started = False
    last_heading = -2
    for number, item in enumerate(document.iter_inner_content(), 1):
        if isinstance(item, WordTable):
            article.blocks.append(Table([[cell.text for cell in row.cells] for row in item.rows], number))
            body_started = True
            continue
        text, spans = _runs(item, file, number, article.warnings)
        if not text.strip():
            continue
        style = (item.style.name if item.style is not None else "") or ""
        lower = style.lower()
        stripped = text.strip()
        if lower == "title" and article.title is None:
            article.title = stripped
        elif lower == "subtitle" and article.subtitle is None:
            article.subtitle = stripped
        elif lower in KICKER_STYLES and article.kicker is None:
            article.kicker = stripped
        elif lower.startswith("heading") or lower.startswith("标题"):
            level = int(re.sub(r"\D", "", style) or 1)
            if not body_started and article.title is None:
                article.title = stripped
            elif level >= 3 and last_heading == number - 1 and article.blocks \
                    and isinstance(article.blocks[-1], Subhead):
                article.blocks[-1].lines.append(stripped)
            else:
                article.blocks.append(Subhead([stripped], number))
            last_heading = number
        elif article.byline is None and len(stripped) <= MAX_BYLINE and re.match(BYLINE, stripped):
            article.byline = stripped
        else:
            lead = len(text) - len(text.lstrip())
            spans = [(a - lead, b - lead, k) for a, b, k in spans if b > lead]
            article.blocks.append(Paragraph(stripped, number, [(max(0, a), min(b, len(stripped)), k)
                                                               for a, b, k in spans if a < len(stripped)]))
            body_started = True
    return article


def _runs(paragraph, file: str, number: int, warnings: list[str]) -> tuple[str, list[tuple[int, int, str]]]:
    """The paragraph's text with its bold, italic and emphasis-mark runs as spans."""
    from docx.oxml.ns import qn
    from docx.text.hyperlink import Hyperlink

    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    size = 0
    pstyle = paragraph.style

    def inherited(run, attr):
        value = getattr(run, attr)
        if value is None and run.style is not None:
            value = getattr(run.style.font, attr)
        if value is None and pstyle is not None:
            value = getattr(pstyle.font, attr)
        return bool(value)

    for item in paragraph.iter_inner_content():
        runs = item.runs if isinstance(item, Hyperlink) else [item]
        if isinstance(item, Hyperlink):
            warnings.append(f"{file}: paragraph {number}: link to {item.address!r}: only its text is set")
        for run in runs:
            text = run.text.replace("\t", " ").replace("\n", "")
            if not text:
                continue
            start, size = size, size + len(text)
            parts.append(text)
            if inherited(run, "bold"):
                spans.append((start, size, "strong"))
            if inherited(run, "italic"):
                spans.append((start, size, "emphasis"))
            rpr = run._element.find(qn("w:rPr"))
            em = rpr.find(qn("w:em")) if rpr is not None else None
            if em is not None and em.get(qn("w:val")) not in (None, "none"):
                spans.append((start, size, "dots"))
    return "".join(parts), _merge(spans)


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Adjacent runs of one kind as one span."""
    out: list[tuple[int, int, str]] = []
    for a, b, k in sorted(spans, key=lambda s: (s[2], s[0])):
        if out and out[-1][2] == k and out[-1][1] == a:
            out[-1] = (out[-1][0], b, k)
        else:
            out.append((a, b, k))
    return sorted(out)
