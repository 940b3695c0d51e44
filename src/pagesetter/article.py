"""Articles: Markdown with YAML front matter (the seed-article format).

```
---
title: "主题"
kicker: "引题"
subtitle: "——副题"
byline: "（作者）"
---

First paragraph.

## Subhead, first line
### Subhead, second line
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pagesetter.errors import PagesetterError
from pagesetter.yamlsource import Node, load_yaml_text

FRONT_MATTER_KEYS = {"title", "kicker", "subtitle", "byline", "source_note", "encoding"}


@dataclass
class Paragraph:
    text: str
    line: int  # where it starts in the file (1-based)


@dataclass
class Subhead:
    lines: list[str]
    line: int


@dataclass
class Article:
    path: Path
    title: str | None = None
    kicker: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    source_note: str | None = None
    blocks: list = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def all_text(self) -> str:
        """Every character that must appear on the page, in reading order."""
        parts = [p for p in (self.kicker, self.title, self.subtitle) if p]
        for b in self.blocks:
            parts.extend(b.lines if isinstance(b, Subhead) else [b.text])
        if self.byline:
            parts.append(self.byline)
        return "".join(parts)


def load_article(path: Path) -> Article:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PagesetterError("article file not found", file=str(path)) from None
    except OSError as exc:
        raise PagesetterError(f"cannot read article: {exc.strerror}", file=str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PagesetterError(f"not valid UTF-8 (byte {exc.start})", file=str(path), line=line) from None
    return parse_article(text, path)


def parse_article(text: str, path: Path) -> Article:
    file = str(path)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    article = Article(path)
    body_start = 0
    if lines and lines[0].strip() == "---":
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        except StopIteration:
            raise PagesetterError("front matter opened with --- is never closed", file=file, line=1) from None
        meta = load_yaml_text("\n".join(lines[1:end]), file, line_offset=1)
        if meta is not None:
            node = Node(meta, file, "").mapping(FRONT_MATTER_KEYS)
            for key in ("title", "kicker", "subtitle", "byline", "source_note"):
                value = node.get(key)
                if value is not None:
                    setattr(article, key, value.string().strip() or None)
        body_start = end + 1
    block: list[tuple[int, str]] = []
    for number in range(body_start, len(lines) + 1):
        line = lines[number].strip() if number < len(lines) else ""
        if line:
            block.append((number + 1, line))
            continue
        if block:
            article.blocks.extend(_blocks(block, file))
            block = []
    return article


def _blocks(block: list[tuple[int, str]], file: str) -> list:
    """One blank-line-separated block: a paragraph, or subhead lines (``##``/``###``)."""
    out: list = []
    para: list[tuple[int, str]] = []

    def flush():
        if para:
            out.append(Paragraph(_join([t for _, t in para]), para[0][0]))
            para.clear()

    for number, line in block:
        if line.startswith("#"):
            marks = len(line) - len(line.lstrip("#"))
            content = line[marks:].strip()
            if marks > 3 or not content:
                raise PagesetterError(f"a subhead is '## text' or '### text', got {line[:20]!r}", file=file, line=number)
            flush()
            if marks == 3 and out and isinstance(out[-1], Subhead):
                out[-1].lines.append(content)
            else:
                out.append(Subhead([content], number))
        else:
            para.append((number, line))
    flush()
    return out


def _join(parts: list[str]) -> str:
    """Join wrapped source lines: no space between Chinese text, one between Latin words."""
    text = parts[0]
    for p in parts[1:]:
        if text and p and text[-1].isascii() and p[0].isascii():
            text += " " + p
        else:
            text += p
    return text
