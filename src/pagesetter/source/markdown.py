"""The body of a Markdown article → paragraphs, subheads, quotations, list items and tables.

Parsed with markdown-it-py (CommonMark, plus GFM tables and strikethrough and
attribute spans). What a newspaper sets:

- ``## 小标题`` starts a subhead; a ``###`` line straight after it is its second line;
- ``**加粗**`` is set in the strong face (黑体), ``*强调*`` in the emphasis face (楷体);
- ``[着重]{.dots}`` puts emphasis dots (着重号) under the characters;
- ``>`` quotations are set as quotations (楷体, indented), list items as paragraphs with their number or bullet;
- a GFM table is kept as a table block (not set yet: an error when a page sets it).

Indented code is off: copy indented with four spaces is still a paragraph.
Link reference definitions are off: ``[编者按]: 本文……`` is a paragraph of copy,
not an address for a link. Everything else (links, code, HTML, pictures, rules)
is set as its text, or left out, with a warning naming the line — never as raw
markup, and never text without a warning: an HTML block's text is set as
paragraphs; an HTML comment (an editor's note) is left out, and named.
"""

from __future__ import annotations

import unicodedata

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline import emphasis, strikethrough
from markdown_it.rules_inline.state_inline import Scanned
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

from pagesetter.errors import PagesetterError

DOTS_CLASS = "dots"
BULLET = "●"
# Delimiters left unmatched, e.g. a ** without its pair or with a space inside it (** 引语**), and markup
# of other Markdown dialects that CommonMark prints as typed.
LEFTOVER = {"**": "a ** needs its pair, with no space just inside it",
            "__": "use ** for bold", "~~": "strikethrough needs a pair of ~~",
            "==": "emphasis dots are written [text]{.dots}", "{.": "write [text]{.dots} with no space before {",
            "[^": "footnotes are not set", "][": "reference-style links are set as typed",
            "[ ] ": "task-list boxes are set as typed", "[x] ": "task-list boxes are set as typed"}

_PARSER: MarkdownIt | None = None


def parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:
        # "reference": a line [label]: text would vanish as a link definition
        md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable(["code", "reference"])
        md.inline.ruler.at("emphasis", _cjk_friendly(emphasis.tokenize))
        md.inline.ruler.at("strikethrough", _cjk_friendly(strikethrough.tokenize))
        _PARSER = md.use(attrs_plugin, spans=True, after=("span_close",))
    return _PARSER


def _cjk_friendly(tokenize):
    """The inline rule ``tokenize`` with CommonMark's flanking rules for ``*``, ``_`` and ``~~``
    amended for CJK text (the CJK-friendly amendments proposed for CommonMark issue 650, by
    tats-u): beside a CJK character, CJK punctuation counts as a letter, so *“最多跑一次”*改革 and
    **“引语”**后 are emphasis, where plain CommonMark leaves the asterisks in the text."""
    def rule(state, silent: bool) -> bool:
        # for this call only: kept on the state, the closure would tie it in a reference cycle
        state.scanDelims = lambda start, can_split_word: _scan_delims(state, start, can_split_word)
        try:
            return tokenize(state, silent)
        finally:
            del state.scanDelims
    return rule


def _cjk(ch: str) -> bool:
    """A CJK character: East Asian Width wide, full-width or half-width (the amendments' definition,
    less its emoji and Hangul refinements)."""
    return unicodedata.east_asian_width(ch) in ("W", "F", "H")


def _scan_delims(state, start: int, can_split_word: bool):
    """``StateInline.scanDelims`` with the CJK-friendly left- and right-flanking rules."""
    src, pos, marker = state.src, start, state.src[start]
    last = src[start - 1] if start > 0 else " "
    while pos < state.posMax and src[pos] == marker:
        pos += 1
    after = src[pos] if pos < state.posMax else " "

    def punct(ch: str) -> bool:
        return isMdAsciiPunct(ord(ch)) or isPunctChar(ch)

    last_punct, next_punct = punct(last), punct(after)
    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(after))
    last_other, next_other = last_punct and not _cjk(last), next_punct and not _cjk(after)  # non-CJK punctuation
    left = not next_space and (not next_other or last_space or last_other or _cjk(last))
    right = not last_space and (not last_other or next_space or next_other or _cjk(after))
    can_open = left and (can_split_word or not right or last_punct)
    can_close = right and (can_split_word or not left or next_punct)
    return Scanned(can_open, can_close, pos - start)


def parse_body(text: str, first_line: int, file: str, article) -> None:
    """Add the blocks of ``text`` (which starts at line ``first_line``, 1-based) to ``article``."""
    from pagesetter.source.article import Paragraph, Subhead, Table

    tokens = parser().parse(text)
    warn = article.warnings
    quote = 0
    lists: list[list] = []      # [ordered, next number] per open list
    item_marker: str | None = None
    last_heading_end = -1       # source line after the last heading (to join ## + ###)
    k = 0
    while k < len(tokens):
        t = tokens[k]
        line = first_line + t.map[0] if t.map else None
        kind = t.type
        if kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = int(t.attrGet("start") or 1) if kind == "ordered_list_open" else 0
            lists.append([kind == "ordered_list_open", start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            ordered, number = lists[-1]
            item_marker = f"{number}．" if ordered else BULLET
            lists[-1][1] += 1
            if len(lists) > 1:
                warn.append(f"{file}:{line}: a list inside a list is set as plain list items")
        elif kind == "heading_open":
            inline = tokens[k + 1]
            content, spans = _inline(inline, file, line, warn)
            if not content.strip():
                raise PagesetterError("a subhead needs text after its #", file=file, line=line)
            if spans:
                warn.append(f"{file}:{line}: bold, emphasis or dots in a subhead are not set differently")
            level = int(t.tag[1])
            if level > 3:
                warn.append(f"{file}:{line}: heading level {level} is set as a subhead line (use ## and ###)")
            if quote or lists:
                warn.append(f"{file}:{line}: a heading inside a quotation or list is set as a subhead")
            blocks = article.blocks
            if level >= 3 and blocks and isinstance(blocks[-1], Subhead) and t.map[0] == last_heading_end:
                blocks[-1].lines.append(content.strip())
            else:
                blocks.append(Subhead([content.strip()], line))
            last_heading_end = t.map[1]
            k += 3
            continue
        elif kind == "paragraph_open":
            inline = tokens[k + 1]
            content, spans = _inline(inline, file, line, warn)
            role = "quote" if quote else "body"
            if item_marker is not None:
                content = f"{item_marker}{content}"
                spans = [(a + len(item_marker), b + len(item_marker), s) for a, b, s in spans]
                item_marker = None
                role = "item" if not quote else role
            elif lists:
                role = "item"
            if content.strip():
                article.blocks.append(Paragraph(content, line, spans, role))
            k += 3
            continue
        elif kind == "table_open":
            end = next(j for j in range(k, len(tokens)) if tokens[j].type == "table_close")
            rows: list[list[str]] = []
            for tok in tokens[k:end]:
                if tok.type == "tr_open":
                    rows.append([])
                elif tok.type == "inline":
                    rows[-1].append(_inline(tok, file, line, warn)[0])
            article.blocks.append(Table(rows, line))
            k = end + 1
            continue
        elif kind == "fence":
            warn.append(f"{file}:{line}: a fenced code block is set as plain paragraphs")
            for n, part in enumerate(t.content.split("\n")):
                if part.strip():
                    article.blocks.append(Paragraph(part.strip(), line + 1 + n))
        elif kind == "html_block":
            parts = _html_text(t.content)
            if parts:
                warn.append(f"{file}:{line}: HTML tags are not set: the text inside is set as "
                            f"{len(parts)} paragraph{'s' if len(parts) > 1 else ''}")
                article.blocks.extend(Paragraph(part, line) for part in parts)
            elif t.content.lstrip().startswith("<!--"):
                warn.append(f"{file}:{line}: an HTML comment is not set: {t.content.strip()[:40]!r}")
            else:
                warn.append(f"{file}:{line}: HTML with no text is not set: {t.content.strip()[:40]!r}")
        elif kind == "hr":
            warn.append(f"{file}:{line}: a horizontal rule (---, ***) is not set")
        k += 1


_HTML_BLOCKS = frozenset("p div br li ul ol h1 h2 h3 h4 h5 h6 tr table blockquote section article header "
                         "footer pre".split())


def _html_text(html: str) -> list[str]:
    """The text of an HTML block as paragraphs: one per block element or line break; script,
    style and comments left out; wrapped lines joined as in plain-text copy."""
    from html.parser import HTMLParser

    from pagesetter.source.article import _join

    class Text(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts: list[list[str]] = [[]]
            self.hidden = 0

        def handle_starttag(self, tag, attrs):
            if tag in ("script", "style"):
                self.hidden += 1
            elif tag in _HTML_BLOCKS:
                self.parts.append([])

        def handle_endtag(self, tag):
            if tag in ("script", "style"):
                self.hidden = max(0, self.hidden - 1)
            elif tag in _HTML_BLOCKS:
                self.parts.append([])

        def handle_data(self, data):
            if not self.hidden:
                self.parts[-1].append(data)

    reader = Text()
    reader.feed(html)
    reader.close()
    out = []
    for part in reader.parts:
        lines = [ln.strip() for ln in "".join(part).splitlines() if ln.strip()]
        if lines:
            out.append(_join(lines))
    return out


def _inline(token: Token, file: str, line: int | None, warn: list[str]) -> tuple[str, list[tuple[int, int, str]]]:
    """An inline token's text, and the (start, end, strong|emphasis|dots) spans over it."""
    out: list[str] = []
    size = 0
    spans: list[tuple[int, int, str]] = []
    open_at: dict[str, list[int]] = {"strong": [], "emphasis": [], "dots": [], "span": []}
    span_kinds: list[str | None] = []
    joined = False  # a soft break is pending: join the next text like wrapped copy

    def add(piece: str) -> None:
        nonlocal size, joined
        if not piece:
            return
        if joined:
            prev = out[-1][-1] if out else ""
            if prev and prev.isascii() and not prev.isspace() and piece[0].isascii() and not piece[0].isspace():
                out.append(" ")
                size += 1
            joined = False
        out.append(piece)
        size += len(piece)

    for c in token.children or ():
        kind = c.type
        if kind == "text":
            for mark, advice in LEFTOVER.items():
                if mark in c.content:
                    warn.append(f"{file}:{line}: {mark} set as typed in {c.content[:20]!r} ({advice})")
            add(c.content)
        elif kind == "softbreak":
            joined = True
        elif kind == "hardbreak":
            joined = True
            warn.append(f"{file}:{line}: a forced line break inside a paragraph is not kept")
        elif kind in ("strong_open", "em_open"):
            open_at["strong" if kind == "strong_open" else "emphasis"].append(size)
        elif kind in ("strong_close", "em_close"):
            name = "strong" if kind == "strong_close" else "emphasis"
            start = open_at[name].pop()
            if size > start:
                spans.append((start, size, name))
        elif kind == "span_open":
            classes = (c.attrGet("class") or "").split()
            if DOTS_CLASS in classes:
                span_kinds.append("dots")
            else:
                span_kinds.append(None)
                warn.append(f"{file}:{line}: [text]{{…}} without .{DOTS_CLASS} is set as plain text")
            open_at["span"].append(size)
        elif kind == "span_close":
            start = open_at["span"].pop()
            what = span_kinds.pop()
            if what and size > start:
                spans.append((start, size, what))
        elif kind == "link_open":
            warn.append(f"{file}:{line}: link to {c.attrGet('href')!r}: only its text is set")
        elif kind == "code_inline":
            warn.append(f"{file}:{line}: `code` is set as plain text")
            add(c.content)
        elif kind == "image":
            warn.append(f"{file}:{line}: a picture in the text is not set (place it in the layout's images:)")
        elif kind == "html_inline":
            warn.append(f"{file}:{line}: HTML {c.content[:30]!r} is not set")
        elif kind in ("s_open",):
            warn.append(f"{file}:{line}: ~~strikethrough~~ is set as plain text")
    return "".join(out), sorted(spans)
