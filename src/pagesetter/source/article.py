"""Articles: Markdown with YAML front matter (the seed-article format), Word files and plain text.

```
---
title: "主题"
kicker: "引题"
subtitle: "——副题"
byline: "（作者）"
---

First paragraph, with **加粗**, *强调* and [着重号]{.dots}.

## Subhead, first line
### Subhead, second line
```

The Markdown body is parsed by ``source.markdown``; ``.docx`` files by
``source.docx``; ``.txt`` files are one paragraph per line (or per blank-line
separated block).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from pagesetter.errors import PagesetterError

FRONT_MATTER_KEYS = {"title", "kicker", "subtitle", "byline", "source_note", "encoding", "summary"}
MAX_ARTICLE_BYTES = 2 * 1024 * 1024  # a broadsheet page holds ~10,000 characters; 2 MB is ~700,000
# A byline paragraph in Word or plain-text copy: （记者 张三）, 本报记者 张三.
BYLINE = r"^[□■【\[]?\s*(?:[（(]\s*(?:本报)?记者|本报记者)"  # compiled on first use (re keeps it)
MAX_BYLINE = 40
SENTENCE_ENDS = frozenset("。！？!?")
BYLINE_PART = 12  # characters between spaces or commas in a byline (本报记者张三李四), not a clause
# Copy formats a newsroom may have that are not read, and what they are (any other name is Markdown).
OTHER_FORMATS = {".doc": "a Word 97–2003 .doc file", ".rtf": "an RTF file", ".odt": "an OpenDocument text file",
                 ".wps": "a WPS document", ".pages": "a Pages document", ".pdf": "a PDF", ".html": "an HTML page",
                 ".htm": "an HTML page", ".xml": "an XML file", ".xlsx": "a spreadsheet", ".xls": "a spreadsheet",
                 ".zip": "a zip archive", ".jpg": "a picture", ".jpeg": "a picture", ".png": "a picture",
                 ".tif": "a picture", ".tiff": "a picture"}
ENCODING_ALIASES = {"utf8": "utf-8", "gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030"}


@dataclass
class Paragraph:
    """A paragraph of an article's body: its text, where it starts in the file, its inline spans and role."""

    text: str
    line: int  # where it starts in the file (1-based)
    # (start, end, kind) over ``text``: "strong", "emphasis" or "dots" (着重号); may overlap
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    role: str = "body"  # body, quote (a quotation), item (a list item, its marker in the text)


@dataclass
class Subhead:
    """A subhead (小标题) between paragraphs: its lines as the author broke them."""

    lines: list[str]
    line: int


@dataclass
class Table:
    """A table of the copy, kept for a later version that sets tables."""

    rows: list[list[str]]
    line: int


@dataclass
class Article:
    """An article as read from its file: the headline parts and byline, then its body blocks."""

    path: Path
    title: str | None = None
    kicker: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    source_note: str | None = None
    summary: str | None = None   # one line for the index box (导读)
    blocks: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # markup that is not set as written, with its line

    def check_settable(self) -> None:
        """Stop on blocks that cannot be set yet (tables), naming where they are."""
        for b in self.blocks:
            if isinstance(b, Table):
                raise PagesetterError("tables are not set yet: give the figures as paragraphs, or place the table "
                                      "as a picture in the layout's images:", file=str(self.path), line=b.line)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def all_text(self) -> str:
        """Every character that must appear on the page, in reading order."""
        parts = [p for p in (self.kicker, self.title, self.subtitle) if p]
        for b in self.blocks:
            if isinstance(b, Table):
                parts.extend(cell for row in b.rows for cell in row)
            else:
                parts.extend(b.lines if isinstance(b, Subhead) else [b.text])
        if self.byline:
            parts.append(self.byline)
        return "".join(parts)


def count_characters(text: str) -> int:
    """The characters of ``text``, not its spaces, as copy is counted (算稿, overset, extraction)."""
    return len("".join(text.split()))


_ARTICLES: dict[tuple, Article] = {}


def load_article(path: Path, encoding: str | None = None) -> Article:
    """Read an article: UTF-8 (with or without BOM) unless its front matter or the
    layout names another encoding (GB18030/GBK, as newsroom systems export).
    An unchanged file is parsed once per process; each caller gets its own copy."""
    import copy
    try:
        st = path.stat()
        stamp = (str(path), st.st_size, st.st_mtime_ns, encoding)
    except OSError:
        stamp = None
    if stamp in _ARTICLES:
        return copy.deepcopy(_ARTICLES[stamp])
    article = _read_article(path, encoding)
    if stamp is not None:
        for old in [k for k in _ARTICLES if k[0] == stamp[0] and k[3] == encoding]:
            del _ARTICLES[old]  # an edited file's earlier texts: a long serve session would pile them up
        _ARTICLES[stamp] = copy.deepcopy(article)
    return article


def _read_article(path: Path, encoding: str | None) -> Article:
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise PagesetterError(f"article is {size / 2**20:.1f} MB; the limit is {MAX_ARTICLE_BYTES // 2**20} MB "
                                  "(a whole broadsheet page holds about 10,000 characters)", file=str(path))
        suffix = path.suffix.lower()
        if suffix == ".docx":
            from pagesetter.source.word import read_docx
            return read_docx(path)
        if suffix in OTHER_FORMATS:
            raise PagesetterError(f"{OTHER_FORMATS[suffix]} is not read: save the copy as .docx, .md or .txt",
                                  file=str(path))
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PagesetterError("article file not found", file=str(path)) from None
    except IsADirectoryError:
        raise PagesetterError("article is a directory, not a file", file=str(path)) from None
    except OSError as exc:
        raise PagesetterError(f"cannot read article: {exc.strerror}", file=str(path)) from None
    # a byte-order mark says UTF-8 whatever the layout's encoding: (stories of mixed encodings on one page)
    declared = _declared_encoding(raw) or ("utf-8" if raw.startswith(b"\xef\xbb\xbf") else encoding) or "utf-8"
    codec = ENCODING_ALIASES.get(declared.lower().replace("_", "-"), declared.lower())
    if codec in ("utf-8", "utf-8-sig"):
        codec = "utf-8-sig"
    try:
        text = raw.decode(codec)
    except LookupError:
        raise PagesetterError(f"unknown encoding {declared!r}; use utf-8 or gb18030", file=str(path)) from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        name = "UTF-8" if codec == "utf-8-sig" else declared
        advice = ("set encoding: in the front matter or the layout if the file is GB18030/GBK"
                  if codec == "utf-8-sig" else "the file is damaged, or not in this encoding")
        raise PagesetterError(f"bytes {raw[exc.start:exc.start + 4]!r} are not valid {name} (byte {exc.start}); "
                              f"{advice}", file=str(path), line=line) from None
    # Unicode's line and paragraph separators (pasted from web pages) are line breaks and blank lines
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    if suffix == ".txt":
        return parse_text(text, path)
    return _parse_cached(text, path)


@functools.cache  # modules loaded once do not change for this process, whatever their files do
def _parser_stamp() -> str:
    """What the parse depends on besides the text: the parsing modules as they are now, and the
    installed Markdown parser (found, not imported)."""
    from pagesetter.diskcache import code_stamp
    here = Path(__file__).parent
    files = [here / name for name in ("article.py", "markdown.py", "yamlsource.py", "yamlparser.py")]
    return code_stamp(files, packages=("markdown_it", "mdit_py_plugins"))


def _parse_cached(text: str, path: Path) -> Article:
    """``parse_article``, kept in the cache folder by the text's digest: a page whose copy has not
    changed is set without importing or running the Markdown parser (a tenth of a cold render)."""
    from pagesetter.diskcache import memo
    return memo("article", (_parser_stamp(), str(path), text), lambda: parse_article(text, path),
                accept=lambda value: isinstance(value, Article))


_ENCODING_LINE = re.compile(rb"^encoding:\s*[\"']?([A-Za-z0-9_-]+)", re.M)


def _declared_encoding(raw: bytes) -> str | None:
    """``encoding:`` in the front matter, read before decoding (the keys are ASCII in any encoding)."""
    head = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if not head.startswith(b"---"):
        return None
    end = head.find(b"\n---", 3)
    m = _ENCODING_LINE.search(head[: end if end > 0 else 4096])
    return m.group(1).decode("ascii") if m else None


_MARKUP = re.compile(r"\*\*|(?<!\*)\*[^*\s][^*]*\*|\[[^\]]+\]\([^)]*\)|`[^`]+`|__")


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
        from pagesetter.source.yamlsource import Node, load_yaml_text  # an article read before needs no YAML
        meta = load_yaml_text("\n".join(lines[1:end]), file, line_offset=1)
        if meta is not None:
            node = Node(meta, file, "").mapping(FRONT_MATTER_KEYS)
            for key in ("title", "kicker", "subtitle", "byline", "source_note", "summary"):
                value = node.get(key)
                if value is not None:
                    setattr(article, key, value.string().strip() or None)
                    if _MARKUP.search(value.string()):
                        article.warnings.append(f"{file}:{value.mark[0] if value.mark else 1}: {key}: Markdown is "
                                                "not read in the front matter: set as typed")
        body_start = end + 1
    from pagesetter.source.markdown import parse_body
    parse_body("\n".join(lines[body_start:]), body_start + 1, file, article)
    return article


def parse_text(text: str, path: Path) -> Article:
    """Plain text: each non-blank line a paragraph; when the copy wraps its paragraphs over
    several lines and separates them with blank lines, each blank-line block is one. An
    indented line (　　, two spaces or a tab) always starts a paragraph."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    article = Article(path)
    blocks: list[list[tuple[int, str]]] = [[]]
    indents: list[list[bool]] = [[]]
    for number, line in enumerate(lines, 1):
        indented = line.startswith(("\u3000", "  ", "\t"))
        line = line.strip().lstrip("\u3000").strip()
        if line:
            blocks[-1].append((number, line))
            indents[-1].append(indented)
        elif blocks[-1]:
            blocks.append([])
            indents.append([])
    # where some lines of a block are indented, each indented line starts a paragraph; where all
    # are, the indent marks nothing: a paragraph a line if its lines end sentences (　　第一段。/
    # 　　第二段。), else wrapped copy
    split: list[list[tuple[int, str]]] = []
    for block, flags in zip(blocks, indents):
        if all(flags) and len(block) > 1 and not _wrapped(block):
            split.extend([line] for line in block)
        elif any(flags) and not all(flags):
            for n, (line, indented) in enumerate(zip(block, flags)):
                if indented or n == 0:
                    split.append([])
                split[-1].append(line)
        else:
            split.append(block)
    blocks = split
    blocks = [b for b in blocks if b]
    wrapped = len(blocks) > 1 and any(len(b) > 1 for b in blocks) or (len(blocks) == 1 and _wrapped(blocks[0]))
    for block in blocks:
        if wrapped:
            article.blocks.append(Paragraph(_join([t for _, t in block]), block[0][0]))
        else:
            article.blocks.extend(Paragraph(t, n) for n, t in block)
    for k, b in enumerate(article.blocks):
        if is_byline(b.text):
            article.byline = b.text
            del article.blocks[k]
            break
    return article


def is_byline(text: str) -> bool:
    """Is this paragraph of Word or plain-text copy its byline (（记者 张三，通讯员 李四）, 本报记者 张三 李四)?
    Short, and names only: no sentence end, and nothing between spaces or commas longer than a
    role and a name or two, so a sentence that starts 本报记者 (本报记者日前从市教育局获悉，……) is
    body text."""
    if len(text) > MAX_BYLINE or re.match(BYLINE, text) is None or SENTENCE_ENDS & set(text):
        return False
    return all(len(part) <= BYLINE_PART for part in re.split(r"[，,；;、\s\u3000]+", text.strip("（）()【】[]□■ ")))


def _wrapped(block: list[tuple[int, str]]) -> bool:
    """One block of several lines: wrapped copy when no line but the last ends a sentence."""
    ends = "。！？”’）…」』.!?\"'"
    return len(block) > 1 and not any(t[-1] in ends for _, t in block[:-1])


def _join(parts: list[str]) -> str:
    """Join wrapped source lines: no space between Chinese text, one between Latin words."""
    text = parts[0]
    for p in parts[1:]:
        if text and p and text[-1].isascii() and p[0].isascii():
            text += " " + p
        else:
            text += p
    return text


# Half-width punctuation that newsroom systems leave in Chinese text, and its full-width form.
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}


def _cjk(ch: str) -> bool:
    if not ch:
        return False
    o = ord(ch)
    return 0x3000 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x3FFFF \
        or ch in "“”‘’"


def normalize_text(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Turn half-width , : ; ! ? ( ) beside Chinese text into full width, and
    straight quotes "…" '…' round Chinese text into “…” ‘…’.

    Returns the new text and (index, before, after) for each change; every change
    is one character for one, so positions in the text stay valid. Marks between
    digits or Latin letters (1,200  3:30  (PPT)  it's) are left alone."""
    out = list(text)
    changes = []
    for i, ch in enumerate(text):
        if ch not in FULL_WIDTH:
            continue
        prev = next((c for c in reversed(text[:i]) if not c.isspace()), "")
        nxt = next((c for c in text[i + 1:] if not c.isspace()), "")
        if ch == "(":
            chinese = _cjk(nxt) or (_cjk(prev) and not nxt.isascii())
        elif ch == ")":
            chinese = _cjk(prev) or (_cjk(nxt) and not prev.isascii())
        else:
            chinese = (_cjk(prev) and not (nxt.isascii() and nxt.isalnum() and prev.isascii())) or (
                (prev.isascii() and prev.isalnum() or prev in ")]") and _cjk(nxt))  # 共3,其中  (PPT),他
        if chinese:
            out[i] = FULL_WIDTH[ch]
            changes.append((i, ch, FULL_WIDTH[ch]))
    if '"' in text or "'" in text:
        _quotes(text, out, changes)
        changes.sort()
    return "".join(out), changes


def _quotes(text: str, out: list[str], changes: list) -> None:
    """Pair straight quotes in order; a pair round or beside Chinese text becomes “” or ‘’."""
    n = len(text)
    for straight, (opening, closing) in (('"', "“”"), ("'", "‘’")):
        marks = [i for i, ch in enumerate(text) if ch == straight and not (
            straight == "'" and 0 < i < n - 1 and text[i - 1].isascii() and text[i - 1].isalnum()
            and text[i + 1].isascii() and text[i + 1].isalnum())]  # an apostrophe: it's, O'Neil
        for a, b in zip(marks[0::2], marks[1::2]):
            before = text[a - 1] if a else ""
            after = text[b + 1] if b + 1 < n else ""
            if any(_cjk(ch) for ch in text[a + 1:b]) or _cjk(before) or _cjk(after):
                out[a], out[b] = opening, closing
                changes.extend([(a, straight, opening), (b, straight, closing)])


def normalize_punctuation(article: Article) -> list[str]:
    """Normalise every text of the article in place; one note per change, naming where."""
    notes = []
    name = article.path.name

    def fix(text: str | None, where: str) -> str | None:
        if not text:
            return text
        new, changes = normalize_text(text)
        for i, before, after in changes:
            context = text[max(0, i - 6): i + 2]
            notes.append(f"{name}: {where}: {before!r} → {after!r} in {context!r}")
        return new

    for key in ("kicker", "title", "subtitle", "byline"):
        setattr(article, key, fix(getattr(article, key), key))
    for block in article.blocks:
        if isinstance(block, Paragraph):
            block.text = fix(block.text, f"line {block.line}")
        elif isinstance(block, Subhead):
            block.lines = [fix(t, f"line {block.line}") for t in block.lines]
    return notes
