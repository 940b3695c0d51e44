"""Word (.docx) articles, read with python-docx.

- Paragraphs are body paragraphs; bold runs are strong, italic runs emphasis,
  Word's emphasis mark (着重号, ``w:em``) emphasis dots.
- A paragraph in the Title style is the title, Subtitle the subtitle, a style
  named Kicker / 引题 the kicker; without a Title, a first heading before any body
  text is the title. Later headings are subheads (a level-3 heading straight
  after another heading is its second line).
- A short paragraph of names starting （记者 or 本报记者 is the byline (``article.is_byline``).
- Tables are kept as table blocks (not set yet).
- A list paragraph (Word's numbering, direct or by its style: List Bullet, List
  Number) is a list item with its marker, ● or 1．, as in Markdown copy.
- Text is read wherever Word keeps it in a paragraph: tracked insertions (tracked
  deletions are left out), smart tags, content controls, fields and hyperlinks; a
  content control round whole paragraphs is read through. A text box's paragraphs
  follow the paragraph that anchors it, with a warning. Footnotes, pictures and
  symbol-font characters are not set: a warning names each, never silently.

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
    from docx.oxml.ns import qn
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph as WordParagraph
    from lxml.etree import XMLSyntaxError

    from pagesetter.source.article import Article, Paragraph, Subhead, Table, is_byline

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise PagesetterError(f"not a readable Word (.docx) file: {_first_line(exc)}", file=str(path)) from None
    article = Article(path)
    file = str(path)
    body_started = False
    last_heading = -2
    notes = _footnotes(document)
    lists = _Lists(document)
    body = document.element.body
    items = (WordTable(e, document._body) if e.tag == qn("w:tbl") else WordParagraph(e, document._body)
             for e in _blocks(body))
    for number, item in enumerate(items, 1):
        if isinstance(item, WordTable):
            article.blocks.append(Table([[cell.text for cell in row.cells] for row in item.rows], number))
            body_started = True
            continue
        text, spans = _runs(item, file, number, article.warnings, notes)
        boxes = _box_paragraphs(item._p)  # a text box's paragraphs, after the one that anchors it
        if not text.strip():
            _add_boxes(article, boxes, file, number)
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
        elif article.byline is None and is_byline(stripped):
            article.byline = stripped
        else:
            lead = len(text) - len(text.lstrip())
            spans = [(max(0, a - lead), min(b - lead, len(stripped)), k) for a, b, k in spans
                     if b > lead and a - lead < len(stripped)]
            marker = lists.marker(item)
            if marker:
                stripped = marker + stripped
                spans = [(a + len(marker), b + len(marker), k) for a, b, k in spans]
            article.blocks.append(Paragraph(stripped, number, spans, "item" if marker else "body"))
            body_started = True
        _add_boxes(article, boxes, file, number)
    if not article.blocks and article.title is None:
        article.warnings.append(f"{file}: the Word file has no text")
    return article


MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# deleted text; a text box (and mc:Fallback, a second copy); ruby's annotation (拼音 over its base text)
_SKIPPED = ("w:del", "w:moveFrom", "w:txbxContent", "w:rt")


def _blocks(parent):
    """The paragraphs and tables under ``parent`` in reading order, through content controls
    (w:sdt) and custom XML round whole paragraphs."""
    from docx.oxml.ns import qn

    for child in parent.iterchildren():
        tag = child.tag
        if tag == qn("w:p") or tag == qn("w:tbl"):
            yield child
        elif tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)
        elif tag == qn("w:customXml"):
            yield from _blocks(child)


def _within(node, p, stops) -> bool:
    """Does ``node`` belong to paragraph element ``p`` itself: is ``p`` reached going up from it
    before any element tagged in ``stops``?"""
    node = node.getparent()
    while node is not None and node is not p and node.tag not in stops:
        node = node.getparent()
    return node is p


def _own_runs(p):
    """The runs of paragraph element ``p``, in order, wherever Word nests them (insertions, smart
    tags, content controls, fields, hyperlinks), but not deleted ones nor those of a text box."""
    from docx.oxml.ns import qn

    stops = {qn(t) for t in _SKIPPED} | {MC_FALLBACK}
    return (r for r in p.iter(qn("w:r")) if _within(r, p, stops))


def _text_boxes(p):
    """The text boxes anchored in paragraph element ``p`` (each once: not the fallback copy, not
    one inside another box, whose paragraphs hold it)."""
    from docx.oxml.ns import qn

    box = qn("w:txbxContent")
    return (b for b in p.iter(box) if _within(b, p, {box, MC_FALLBACK}))


def _plain(text: str) -> str:
    """A run's text with its tabs as spaces and its line breaks (and Unicode separators) marked."""
    return text.replace("\t", " ").replace("\n", BREAK).replace("\u2028", BREAK).replace("\u2029", BREAK)


def _box_paragraphs(p) -> list[str]:
    """The text of each paragraph in the text boxes anchored in paragraph element ``p``, as
    body paragraphs are read (line breaks and tabs as there)."""
    from docx.oxml.ns import qn
    from docx.text.run import Run

    out = []
    for box in _text_boxes(p):
        for para in box.iter(qn("w:p")):
            raw = "".join(_plain(Run(r, None).text) for r in _own_runs(para))
            text = _breaks(raw, [])[0].strip()
            if text:
                out.append(text)
    return out


def _add_boxes(article, boxes: list[str], file: str, number: int) -> None:
    from pagesetter.source.article import Paragraph

    for text in boxes:
        article.warnings.append(f"{file}: paragraph {number}: a text box's text is set as a paragraph after it: "
                                f"{text[:20]!r}")
        article.blocks.append(Paragraph(text, number))


def _footnotes(document) -> dict[str, str]:
    """Footnote id → its text (Word's own part, which python-docx does not read)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes") and not rel.is_external:
            try:
                root = parse_xml(rel.target_part.blob)
            except Exception:
                return {}
            return {n.get(qn("w:id")): "".join(t.text or "" for t in n.iter(qn("w:t"))).strip()
                    for n in root.iter(qn("w:footnote"))}
    return {}


class _Lists:
    """Word's list numbering, as far as a newspaper sets it: each list paragraph's marker, a
    bullet or its level's text (%1、, %2)) with the counters of its list in their formats
    (decimal, 一二三, abc, ABC, roman), starting where the list or an override says."""

    def __init__(self, document):
        from docx.oxml.ns import qn

        # (numId, level) → (numFmt, lvlText, start)
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counts: dict[tuple[str, int], int] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        val = qn("w:val")
        abstract = {a.get(qn("w:abstractNumId")): a for a in numbering.iter(qn("w:abstractNum"))}
        for num in numbering.iter(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            levels = abstract.get(ref.get(val) if ref is not None else None)
            overrides = {int(o.get(qn("w:ilvl")) or 0): o for o in num.iter(qn("w:lvlOverride"))}
            for lvl in levels.iter(qn("w:lvl")) if levels is not None else ():
                level = int(lvl.get(qn("w:ilvl")) or 0)
                fmt, text, start = lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText")), lvl.find(qn("w:start"))
                first = int(start.get(val)) if start is not None else 1
                override = overrides.get(level)
                restart = override.find(qn("w:startOverride")) if override is not None else None
                if restart is not None:
                    first = int(restart.get(val))
                self.levels[(num.get(qn("w:numId")), level)] = (
                    fmt.get(val) if fmt is not None else "decimal",
                    text.get(val) if text is not None and text.get(val) is not None else f"%{level + 1}.", first)

    def marker(self, paragraph) -> str:
        from docx.oxml.ns import qn

        from pagesetter.source.markdown import BULLET

        num_pr = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        style = paragraph.style
        while num_pr is None and style is not None:
            num_pr = style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            style = style.base_style
        num_id = num_pr.find(qn("w:numId")) if num_pr is not None else None
        if num_id is None:
            return ""
        ilvl = num_pr.find(qn("w:ilvl"))
        nid, level = num_id.get(qn("w:val")), int(ilvl.get(qn("w:val")) or 0) if ilvl is not None else 0
        fmt, text, start = self.levels.get((nid, level), ("", "", 1))
        if fmt in ("", "none"):
            return ""
        if fmt == "bullet":
            return BULLET
        for deeper in [k for k in self.counts if k[0] == nid and k[1] > level]:
            del self.counts[deeper]  # a new item at this level starts the levels below again
        self.counts[(nid, level)] = self.counts.get((nid, level), start - 1) + 1

        def counter(m) -> str:
            at = int(m.group(1)) - 1
            lfmt, _, lstart = self.levels.get((nid, at), ("decimal", "", 1))
            return _format_number(self.counts.get((nid, at), lstart), lfmt)

        shown = re.sub(r"%([1-9])", counter, text).strip()
        # a Latin full stop after a number reads as the full-width one of Chinese copy, as in Markdown (1．)
        return (shown[:-1] + "．" if shown.endswith(".") else shown) if shown else ""


_CHINESE_DIGITS = "〇一二三四五六七八九"


def _format_number(n: int, fmt: str) -> str:
    """``n`` in one of Word's number formats (the common ones; any other as a decimal)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting",
               "chineseLegalSimplified") and 0 < n < 100:
        tens, ones = divmod(n, 10)
        return (("" if tens == 1 else _CHINESE_DIGITS[tens]) + "十" if tens else "") + (
            _CHINESE_DIGITS[ones] if ones else "")
    if fmt in ("lowerLetter", "upperLetter") and n > 0:
        letters = ""
        while n:
            n, r = divmod(n - 1, 26)
            letters = chr(97 + r) + letters
        return letters if fmt == "lowerLetter" else letters.upper()
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        out = ""
        for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                               (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
            count, n = divmod(n, value)
            out += numeral * count
        return out if fmt == "lowerRoman" else out.upper()
    return str(n)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _runs(paragraph, file: str, number: int, warnings: list[str],
          notes: dict[str, str]) -> tuple[str, list[tuple[int, int, str]]]:
    """The paragraph's text with its bold, italic and emphasis-mark runs as spans."""
    from docx.oxml.ns import qn
    from docx.text.hyperlink import Hyperlink
    from docx.text.run import Run

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

    where = f"{file}: paragraph {number}"
    p = paragraph._p
    for link in p.iter(qn("w:hyperlink")):
        warnings.append(f"{where}: link to {Hyperlink(link, paragraph).address!r}: only its text is set")
    for r in _own_runs(p):
        run = Run(r, paragraph)
        for ref in r.iter(qn("w:footnoteReference"), qn("w:endnoteReference")):
            note = notes.get(ref.get(qn("w:id")), "") if ref.tag == qn("w:footnoteReference") else ""
            warnings.append(f"{where}: a {'footnote' if ref.tag == qn('w:footnoteReference') else 'endnote'} "
                            f"is not set" + (f": {note[:30]!r} left out" if note else ""))
        for sym in r.iter(qn("w:sym")):
            warnings.append(f"{where}: a {sym.get(qn('w:font')) or 'symbol-font'} symbol is not set")
        drawn = next(r.iter(qn("w:drawing"), qn("w:pict")), None) is not None
        if drawn and next(r.iter(qn("w:txbxContent")), None) is None:
            warnings.append(f"{where}: a picture in the text is not set (place it in the layout's images:)")
        text = _plain(run.text)
        if not text:
            continue
        start, size = size, size + len(text)
        parts.append(text)
        if inherited(run, "bold"):
            spans.append((start, size, "strong"))
        if inherited(run, "italic"):
            spans.append((start, size, "emphasis"))
        rpr = r.find(qn("w:rPr"))
        em = rpr.find(qn("w:em")) if rpr is not None else None
        if em is not None and em.get(qn("w:val")) not in (None, "none"):
            spans.append((start, size, "dots"))
    return _breaks("".join(parts), spans)


BREAK = "\u2028"  # a line break in the paragraph, until it is known what is on either side


def _breaks(text: str, spans: list[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """Line breaks inside a paragraph go (a paragraph's lines are the composer's): between two
    Latin words one space stays, as in wrapped copy; between Chinese characters nothing."""
    if BREAK not in text:
        return text, _merge(spans)
    out: list[str] = []
    removed = [0] * (len(text) + 1)  # characters taken out before each position
    gone = 0
    for k, ch in enumerate(text):
        removed[k] = gone
        if ch != BREAK:
            out.append(ch)
            continue
        before = out[-1] if out else ""
        after = text[k + 1:].lstrip(BREAK)[:1]
        if before and after and before.isascii() and after.isascii() and not before.isspace() \
                and not after.isspace():
            out.append(" ")
        else:
            gone += 1
    removed[len(text)] = gone
    return "".join(out), _merge([(a - removed[a], b - removed[b], kind) for a, b, kind in spans])


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Adjacent runs of one kind as one span."""
    out: list[tuple[int, int, str]] = []
    for a, b, k in sorted(spans, key=lambda s: (s[2], s[0])):
        if out and out[-1][2] == k and out[-1][1] == a:
            out[-1] = (out[-1][0], b, k)
        else:
            out.append((a, b, k))
    return sorted(out)
