"""Layout YAML → the page elements that are not stories: masthead (报头),
tables (表格) and index boxes (导读)."""

from __future__ import annotations

from pathlib import Path

from pagesetter.layout import loader as L
from pagesetter.layout.content import Image, IndexBox, IndexEntry, Masthead, TableBlock, TableColumn
from pagesetter.layout.model import PageLayout, TextSpec
from pagesetter.print.color import BLACK
from pagesetter.source.article import load_article
from pagesetter.source.paths import inside
from pagesetter.source.pictures import picture_size
from pagesetter.source.yamlsource import Node
from pagesetter.units import UnitContext

MASTHEAD_KEYS = L.GEOMETRY_KEYS | {"name", "name_width", "align", "font", "size", "issue", "serial", "pages", "web",
                                   "lunar", "rule", "color"}
NAME_KEYS = {"text", "picture", "page", "font", "size", "color", "tracking"}
TABLE_KEYS = {"id", "file", "frames", "header", "columns", "align", "font", "size", "header_style", "rules",
              "rule_weight", "padding", "title"}
INDEX_KEYS = L.GEOMETRY_KEYS | {"title", "stories", "font", "size", "headline", "tint", "border"}


def _ctx(layout: PageLayout) -> UnitContext:
    return UnitContext(em=layout.body.size, line=layout.pitch)


def load_masthead(node: Node, layout: PageLayout, base: Path, edition: dict) -> Masthead:
    node.mapping(MASTHEAD_KEYS)
    ctx = _ctx(layout)
    box = L._geometry("masthead", node, layout, ctx)
    if layout.print.edition_date is None:
        raise node.error("a masthead shows the edition date: give the layout (or the edition) a date:")
    align = node.require("align").choice(("left", "center")) if node.has("align") else "left"
    share = 0.6 if align == "left" else 0.5
    name_width = L._length(node.require("name_width"), ctx, positive=True) if node.has("name_width") \
        else box.width * share
    if name_width > box.width + 0.5:
        raise node.require("name_width").error("the name is wider than the masthead")
    color = L._color(node.require("color"), layout) if node.has("color") else BLACK
    nnode = node.require("name")
    if isinstance(nnode.value, str):
        nnode = Node({"text": nnode.value}, nnode.file, nnode.path, nnode.mark)
    nnode.mapping(NAME_KEYS)
    name, name_spec, picture = None, None, None
    if nnode.has("picture") == nnode.has("text"):
        raise nnode.error("the paper's name is either text: or picture:, one of them")
    if nnode.has("text"):
        name = nnode.require("text").string().strip()
        if not name:
            raise nnode.require("text").error("the paper's name is empty")
        size = L._size(nnode.require("size")) if nnode.has("size") else 0.0  # 0: as large as fits
        face = layout.fonts.resolve(nnode.get("font").string(), nnode.get("font")) if nnode.has("font") \
            else layout.fonts.resolve("headline")
        tracking = L._em(nnode.require("tracking")) if nnode.has("tracking") else 0.0
        ncolor = L._color(nnode.require("color"), layout) if nnode.has("color") else color
        name_spec = TextSpec(face, size, "left", tracking, ncolor)
    else:
        pnode = nnode.require("picture")
        path = inside(layout.root, pnode.string(), base, pnode, what="masthead picture")
        page = nnode.require("page").integer(1, 9999) if nnode.has("page") else None
        picture = Image("masthead", path, box, picture_size(path, pnode, page), "fit", mark=pnode.mark, page=page)
    spec = L._text_spec(Node({k: node.value[k] for k in ("font", "size") if node.has(k)}, node.file, node.path,
                             node.mark), layout, font="running_head", size=layout.body.size, align="left")
    spec = TextSpec(spec.face, spec.size, spec.align, spec.tracking, color)
    if spec.size > layout.pitch:
        raise (node.get("size") or node).error(f"the masthead's details sit on grid lines: {spec.size:g}pt is "
                                               f"larger than the line pitch {layout.pitch:g}pt")
    get = lambda k: str(node.require(k).value).strip() if node.has(k) else None  # noqa: E731
    pages = node.require("pages").integer(1, 999) if node.has("pages") else None
    pages = edition.get("pages", pages)  # in an edition, its own page count
    lunar = node.require("lunar").boolean() if node.has("lunar") else True
    rule = L._length(node.require("rule"), ctx) if node.has("rule") else 1.5
    return Masthead(box, name, name_spec, picture, name_width, align, spec, get("issue"), get("serial"), pages,
                    get("web"), lunar, max(0.0, rule), color, node.mark)


def load_table(node: Node, layout: PageLayout, base: Path, index: int) -> TableBlock:
    node.mapping(TABLE_KEYS)
    ctx = _ctx(layout)
    tid = node.get("id").string() if node.has("id") else f"table{index + 1}"
    fnode = node.require("file")
    path = inside(layout.root, fnode.string(), base, fnode, what="table file")
    from pagesetter.source.tabular import read_table
    rows, file_header = read_table(path)
    frames = _frame_list(node.require("frames"), layout)
    header = file_header if file_header is not None else 1
    if node.has("header"):
        hnode = node.require("header")
        header = (1 if hnode.value else 0) if isinstance(hnode.value, bool) else hnode.integer(0, 5)
    if header >= len(rows):
        raise (node.get("header") or fnode).error(f"table {tid!r} has no rows under its header")
    ncols = len(rows[0])
    columns = [TableColumn() for _ in range(ncols)]
    if node.has("align"):
        anode = node.require("align")
        items = anode.sequence() if isinstance(anode.value, list) else [anode] * ncols
        if len(items) != ncols:
            raise anode.error(f"table {tid!r} has {ncols} columns, align lists {len(items)}")
        for col, a in zip(columns, items):
            col.align = a.choice(("left", "center", "right", "decimal"))
    if node.has("columns"):
        cnode = node.require("columns")
        items = cnode.sequence()
        if len(items) != ncols:
            raise cnode.error(f"table {tid!r} has {ncols} columns, columns lists {len(items)}")
        for col, c in zip(columns, items):
            c.mapping({"align", "width"})
            if c.has("align"):
                col.align = c.require("align").choice(("left", "center", "right", "decimal"))
            if c.has("width"):
                col.width = L._length(c.require("width"), ctx, positive=True)
    spec = L._text_spec(Node({k: node.value[k] for k in ("font", "size") if node.has(k)}, node.file, node.path,
                             node.mark), layout, font="body", size=layout.body.size, align="left")
    face = layout.body.face if not node.has("font") else spec.face
    spec = TextSpec(face, spec.size, "left")
    header_tint = None
    hspec = TextSpec(layout.fonts.resolve("subhead"), spec.size, "center")
    if node.has("header_style"):
        hs = node.require("header_style").mapping({"font", "size", "color", "tint", "align"})
        hspec = L._text_spec(Node({k: hs.value[k] for k in ("font", "size", "align") if hs.has(k)}, hs.file,
                                  hs.path, hs.mark), layout, font="subhead", size=spec.size, align="center")
        if hs.has("color"):
            hspec = TextSpec(hspec.face, hspec.size, hspec.align, 0.0, L._color(hs.require("color"), layout))
        if hs.has("tint"):
            header_tint = L._color(hs.require("tint"), layout)
    for s, where in ((spec, node.get("size")), (hspec, node.get("header_style"))):
        if s.size > layout.pitch:
            raise (where or node).error(f"table cells sit on the grid: {s.size:g}pt type is larger than the line "
                                        f"pitch {layout.pitch:g}pt")
    rules = node.require("rules").choice(("ruled", "lined")) if node.has("rules") else "lined"
    weight = L._length(node.require("rule_weight"), ctx, positive=True) if node.has("rule_weight") else 0.5
    padding = L._length(node.require("padding"), ctx) if node.has("padding") else 0.5 * layout.body.size
    title, title_spec = None, None
    if node.has("title"):
        tnode = node.require("title")
        if isinstance(tnode.value, str):
            tnode = Node({"text": tnode.value}, tnode.file, tnode.path, tnode.mark)
        title_spec = L._text_spec(tnode, layout, font="subhead", size=layout.body.size * 1.2, align="left")
        title = tnode.require("text").string()
    return TableBlock(tid, rows, frames, header, columns, spec, hspec, header_tint, rules, weight, padding, title,
                      title_spec, path, node.mark)


def _frame_list(fnode: Node, layout: PageLayout) -> list[str]:
    items = [fnode] if isinstance(fnode.value, str) else fnode.sequence()
    if not items:
        raise fnode.error("needs at least one frame")
    out = []
    for f in items:
        fid = f.string()
        if fid not in layout.frames:
            raise f.error(f"no frame called {fid!r}")
        out.append(fid)
    return out


def load_index_box(node: Node, layout: PageLayout, base: Path, edition: dict) -> IndexBox:
    node.mapping(INDEX_KEYS)
    ctx = _ctx(layout)
    box = L._geometry("index box", node, layout, ctx)
    story_pages = edition.get("story_pages", {})
    entries = []
    for snode in node.require("stories").sequence():
        if isinstance(snode.value, str):
            snode = Node({"article": snode.value}, snode.file, snode.path, snode.mark)
        snode.mapping({"article", "page", "headline", "summary"})
        anode = snode.require("article")
        apath = inside(layout.root, anode.string(), base, anode, what="article file")
        article = load_article(apath, layout.article_encoding)
        headline = snode.require("headline").string() if snode.has("headline") else article.title
        if not headline:
            raise snode.error(f"{apath.name} has no title: give this entry a headline:")
        summary = snode.require("summary").string() if snode.has("summary") else article.summary
        pages = story_pages.get(str(apath), [])
        # an index points elsewhere: the first other page that runs the story
        page = next((p for p in pages if p != edition.get("page")), pages[0] if pages else None)
        if page is None and snode.has("page"):
            page = snode.require("page").integer(1, 999)
        if page is None:
            raise snode.error(f"which page is {apath.name} on? It is on no page of the edition; give page: N")
        entries.append(IndexEntry(article, headline.replace("\n", ""), summary, page, apath, snode.mark))
    if not entries:
        raise node.require("stories").error("an index box lists at least one story")
    size = L._size(node.require("size")) if node.has("size") else layout.body.size
    face = layout.fonts.resolve(node.get("font").string(), node.get("font")) if node.has("font") \
        else layout.body.face
    summary_spec = TextSpec(face, size, "left")
    hnode = node.get("headline")
    headline_spec = L._text_spec(hnode, layout, font="subhead", size=max(size, layout.body.size), align="left")
    title, title_spec = "导读", TextSpec(layout.fonts.resolve("headline"), layout.body.size * 1.5, "center")
    if node.has("title"):
        tnode = node.require("title")
        if tnode.value is False:
            title = None
        else:
            if isinstance(tnode.value, str):
                tnode = Node({"text": tnode.value}, tnode.file, tnode.path, tnode.mark)
            title_spec = L._text_spec(tnode, layout, font="headline", size=layout.body.size * 1.5, align="center")
            title = tnode.require("text").string()
    for s, where in ((summary_spec, node.get("size")), (headline_spec, hnode)):
        if s.size > layout.pitch:
            raise (where or node).error(f"{s.size:g}pt is larger than the line pitch {layout.pitch:g}pt: index "
                                        "lines sit on the grid")
    tint = L._color(node.require("tint"), layout) if node.has("tint") else None
    border = L._length(node.require("border"), ctx) if node.has("border") else 0.5
    return IndexBox(box, title, entries, headline_spec, summary_spec, title_spec, tint, border, node.mark)


SECTION_HEAD_KEYS = {"font", "size", "color", "bar", "rule", "rule_color", "lines", "align", "tracking"}


def load_section_heads(node: Node, layout: PageLayout) -> dict:
    """``section_heads: {NAME: {font, size, color, bar, rule, rule_color, lines}}``: 栏头 styles by name."""
    styles = {}
    for name, snode in node.mapping().items():
        styles[str(name)] = _section_head_style(snode, layout)
    return styles


def _section_head_style(node: Node, layout: PageLayout):
    from pagesetter.layout.content import SectionHeadStyle
    node.mapping(SECTION_HEAD_KEYS)
    bar = BLACK
    if node.has("bar"):
        bar = None if node.require("bar").value is False else L._color(node.require("bar"), layout)
    dark = bar is not None and (bar.k >= 60 or bar.total >= 150)
    default_color = L.parse_cmyk("white") if dark else BLACK
    spec = L._text_spec(Node({k: node.value[k] for k in ("font", "size", "align", "tracking") if node.has(k)},
                             node.file, node.path, node.mark), layout, font="headline",
                        size=layout.body.size * 1.5, align="left")
    color = L._color(node.require("color"), layout) if node.has("color") else default_color
    spec = TextSpec(spec.face, spec.size, spec.align, spec.tracking, color)
    rule = L._length(node.require("rule"), _ctx(layout)) if node.has("rule") else 1.0
    rule_color = L._color(node.require("rule_color"), layout) if node.has("rule_color") else (bar or BLACK)
    import math
    lines = node.require("lines").integer(1, 20) if node.has("lines") else \
        max(1, math.ceil(spec.size * 1.6 / layout.pitch - 1e-6))
    return SectionHeadStyle(spec, bar, max(0.0, rule), rule_color, lines)


def section_head(node: Node, layout: PageLayout):
    """A story's or box's ``section_head``: its text, or ``{text, style}`` naming one of ``section_heads``."""
    from pagesetter.layout.content import SectionHead
    if isinstance(node.value, str):
        node = Node({"text": node.value}, node.file, node.path, node.mark)
    node.mapping({"text", "style"})
    text = node.require("text").string().strip()
    if not text:
        raise node.require("text").error("a section head needs its text")
    return SectionHead(text, section_style(node.get("style"), layout, node))


def section_style(snode: Node | None, layout: PageLayout, where: Node):
    if snode is None:
        if len(layout.section_heads) == 1:
            return next(iter(layout.section_heads.values()))
        if not layout.section_heads:
            return _section_head_style(Node({}, where.file, where.path, where.mark), layout)
        raise where.error(f"which section head style? give style: one of {', '.join(layout.section_heads)}")
    name = snode.string()
    if name not in layout.section_heads:
        import difflib
        hint = difflib.get_close_matches(name, list(layout.section_heads), n=1)
        raise snode.error(f"no section head style called {name!r}" + (f"; did you mean {hint[0]!r}?" if hint else
                                                                       " (define it under section_heads:)"))
    return layout.section_heads[name]
