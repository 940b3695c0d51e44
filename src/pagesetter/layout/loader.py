"""Layout YAML → ``PageLayout``. Every error names the file, line, column and field."""

from __future__ import annotations

import re
from pathlib import Path

from pagesetter.source.article import load_article, normalize_punctuation
from pagesetter.compose.style import (
    PROHIBITION_LEVELS, PUNCTUATION_ALIASES, PUNCTUATION_STYLES, PUSH_POLICIES, WESTERN_GLYPHS, BREAKING,
    SINGLE_QUOTE_WIDTHS, HouseStyle,
)
from pagesetter.errors import PagesetterError
from pagesetter.fonts.registry import FontRegistry
import math

from pagesetter.source.pictures import image_size
from pagesetter.layout.model import (
    ROLES, Box, BoxDecoration, Frame, Headline, Image, PageLayout, Rule, RunningHead, Story, TextSpec,
)
from pagesetter.layout.pagesizes import PAGE_SIZES_MM
from pagesetter.print.color import BLACK, ColorError, check_ink, parse_cmyk
from pagesetter.print.spec import PRESS_CONDITIONS, STANDARDS, PressCondition, PrintSpec
from pagesetter.units import MM, UnitContext, UnitError, parse_length, parse_size
from pagesetter.source.yamlsource import Node, load_yaml_file

TOP_KEYS = {"name", "title", "date", "page", "grid", "style", "paragraph_styles", "fonts", "frames", "stories",
            "rules", "print", "images", "boxes", "running_head", "encoding", "normalize_punctuation"}
ALIGNS = ("left", "center", "right", "justify")
MAX_PAGE_MM = 2000.0


_SOURCES: list[Path] = []  # style files included while loading the current layout


def _with_defaults(value, defaults: dict):
    """A copy of the layout's top mapping with the edition's values in (the parsed file is shared)."""
    import copy
    merged = copy.copy(value)
    merged.marks = dict(getattr(value, "marks", {}))
    for key, v in defaults.items():
        if key == "running_head" and isinstance(value.get(key), dict):
            head = copy.copy(value[key])
            head.update(v)
            merged[key] = head
        else:
            merged[key] = v
    return merged


def load_layout(path: Path, *, font_dirs: list[Path] = (), defaults: dict | None = None) -> PageLayout:
    """``defaults`` (from an edition file) override the layout's top-level keys — the
    edition decides the date and page numbers; a ``running_head`` mapping is merged field
    by field, the edition's fields winning."""
    path = Path(path)
    _SOURCES.clear()
    root = Node(load_yaml_file(path), str(path))
    if root.value is None:
        raise PagesetterError("layout file is empty", file=str(path))
    root.mapping(TOP_KEYS)
    if defaults:
        root.value = _with_defaults(root.value, defaults)
    base = path.parent
    fonts = FontRegistry.default()
    for d in font_dirs:
        if not Path(d).is_dir():
            raise PagesetterError(f"font directory {str(d)!r} not found")
        fonts.add_dir(Path(d))
    if root.has("fonts"):
        fonts.load_config(root.require("fonts"), base)

    width, height, type_area = _page(root.require("page"))
    grid = root.require("grid").mapping({"columns", "gutter", "body"})
    body_node = grid.require("body").mapping({"font", "size", "leading"})
    size = _size(body_node.require("size"))
    ctx = UnitContext(em=size)
    leading = _length(body_node.require("leading"), ctx) if body_node.has("leading") else size * 1.5
    if leading < size * 0.8:
        raise body_node.require("leading").error(f"leading {leading:.2f}pt is less than the body size {size:g}pt")
    ctx = UnitContext(em=size, line=leading)
    face = fonts.resolve(body_node.get("font").string() if body_node.has("font") else "body",
                         body_node.get("font"))
    body = TextSpec(face, size)
    columns = grid.require("columns").integer(1, 40)
    gutter = _length(grid.get("gutter"), ctx) if grid.has("gutter") else size
    if (columns - 1) * gutter >= type_area.width:
        raise grid.require("columns").error("the gutters alone are wider than the type area")

    style = HouseStyle()
    if root.has("style"):
        style = load_style(root.require("style"), style, base)

    layout = PageLayout(file=path, name=root.get("name").string() if root.has("name") else path.stem,
                        width=width, height=height, type_area=type_area, columns=columns, gutter=gutter,
                        body=body, pitch=leading, style=style, fonts=fonts,
                        title=root.get("title").string() if root.has("title") else path.stem)
    layout.print = _print(root.get("print"), root.get("date"), base)
    layout.article_encoding = root.get("encoding").string() if root.has("encoding") else None
    layout.normalize_punctuation = root.require("normalize_punctuation").boolean() \
        if root.has("normalize_punctuation") else False
    if root.has("paragraph_styles"):
        layout.paragraph_styles = _paragraph_styles(root.require("paragraph_styles"))
        for role, pnode in layout.paragraph_styles.items():
            load_style(pnode, style, base)  # report bad settings here, once
    if layout.grid_lines < 1:
        raise body_node.error("the type area is shorter than one line")
    if root.has("frames"):
        for fid, fnode in root.require("frames").mapping().items():
            layout.frames[str(fid)] = _frame(str(fid), fnode, layout, ctx)
    if root.has("stories"):
        seen = set()
        for snode in root.require("stories").sequence():
            story = _story(snode, layout, ctx, base)
            if story.id in seen:
                raise snode.error(f"two stories are called {story.id!r}")
            seen.add(story.id)
            layout.stories.append(story)
        _check_frame_use(layout, root)
    if root.has("rules"):
        for rnode in root.require("rules").sequence():
            layout.rules.append(_rule(rnode, layout, ctx))
    if root.has("images"):
        for i, inode in enumerate(root.require("images").sequence()):
            layout.images.append(_image(inode, layout, ctx, base, i))
    if root.has("boxes"):
        for bnode in root.require("boxes").sequence():
            layout.boxes.append(_box_decoration(bnode, layout, ctx))
    if root.has("running_head"):
        layout.running_head = _running_head(root.require("running_head"), layout)
    layout.sources = {path.resolve(), *_SOURCES, *(s.article.path for s in layout.stories),
                      *(i.path for i in layout.images)}
    return layout


def _print(node: Node | None, date: Node | None, base: Path) -> PrintSpec:
    from datetime import date as date_type, datetime, timezone
    edition = None
    if date is not None:
        value = date.value
        if isinstance(value, datetime):
            edition = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        elif isinstance(value, date_type):
            edition = datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
        else:
            raise date.error(f"expected a date such as 2021-12-03, got {value!r}")
    if node is None:
        return PrintSpec(edition_date=edition)
    node.mapping({"standard", "bleed", "marks", "press", "ink_limit"})
    spec = {}
    if node.has("standard"):
        aliases = {"X-1a": "PDF/X-1a:2003", "PDF/X-1a": "PDF/X-1a:2003", "1a": "PDF/X-1a:2003",
                   "X-4": "PDF/X-4", "4": "PDF/X-4"}
        spec["standard"] = node.require("standard").choice(STANDARDS, aliases)
    if node.has("bleed"):
        bleed = _length(node.require("bleed"), UnitContext())
        if not 0 <= bleed <= 20 * MM:
            raise node.require("bleed").error("bleed must be between 0 and 20mm")
        spec["bleed"] = bleed
    if node.has("marks"):
        spec["marks"] = node.require("marks").boolean()
    press = PRESS_CONDITIONS["coldset-newsprint"]
    if node.has("press"):
        pnode = node.require("press")
        if isinstance(pnode.value, str):
            press = PRESS_CONDITIONS[pnode.choice(tuple(PRESS_CONDITIONS))]
        else:
            pnode.mapping({"identifier", "condition", "registry", "profile", "ink_limit"})
            profile = None
            if pnode.has("profile"):
                profile = (base / pnode.require("profile").string()).resolve()
                if not profile.is_file():
                    raise pnode.require("profile").error(f"ICC profile {str(profile)!r} not found")
            press = PressCondition(
                pnode.require("identifier").string(),
                pnode.get("condition").string() if pnode.has("condition") else pnode.require("identifier").string(),
                pnode.get("registry").string() if pnode.has("registry") else "http://www.color.org",
                _percent(pnode.require("ink_limit")) if pnode.has("ink_limit") else 300.0, profile)
    if node.has("ink_limit"):
        from dataclasses import replace
        press = replace(press, ink_limit=_percent(node.require("ink_limit")))
    spec["press"] = press
    result = PrintSpec(edition_date=edition, **spec)
    if result.standard == "PDF/X-4" and result.press.profile is None:
        raise (node.get("press") or node).error(
            "PDF/X-4 needs the press condition's ICC output profile: give press: {identifier: …, profile: FILE.icc}")
    return result


def _percent(node: Node) -> float:
    value = node.value
    if isinstance(value, str) and value.strip().endswith("%"):
        value = value.strip()[:-1]
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise node.error(f"expected a percentage such as 240%, got {node.value!r}") from None
    if not 0 < number <= 400:
        raise node.error(f"total ink is between 0% and 400%, got {node.value!r}")
    return number


def _color(node: Node, layout: PageLayout):
    try:
        color = parse_cmyk(node.value)
    except ColorError as exc:
        raise node.error(str(exc)) from None
    problem = check_ink(color, layout.print.press.ink_limit)
    if problem:
        raise node.error(problem)
    return color


def _length(node: Node, ctx: UnitContext, *, positive: bool = False) -> float:
    try:
        value = parse_length(node.value, ctx)
    except UnitError as exc:
        raise node.error(str(exc)) from None
    if positive and value <= 0:
        raise node.error(f"must be greater than zero, got {node.value!r}")
    if abs(value) > MAX_PAGE_MM * MM:
        raise node.error(f"{node.value!r} is larger than any page")
    return value


def _size(node: Node) -> float:
    try:
        value = parse_size(node.value)
    except UnitError as exc:
        raise node.error(str(exc)) from None
    if not 1 <= value <= 500:
        raise node.error(f"a type size between 1pt and 500pt, got {node.value!r}")
    return value


def _em(node: Node) -> float:
    """A width in em: a bare number, or a length in em/字."""
    try:
        return parse_length(node.value, UnitContext(em=1.0, line=None), default_unit="em")
    except UnitError as exc:
        raise node.error(str(exc)) from None


def _page(node: Node) -> tuple[float, float, Box]:
    node.mapping({"size", "width", "height", "margins", "orientation"})
    if node.has("size"):
        snode = node.require("size")
        value = snode.value
        if isinstance(value, str) and value.strip() in PAGE_SIZES_MM:
            w_mm, h_mm = PAGE_SIZES_MM[value.strip()]
            width, height = w_mm * MM, h_mm * MM
        elif isinstance(value, str) and re.search(r"[x×*]", value):
            parts = re.split(r"\s*[x×*]\s*", value.strip())
            if len(parts) != 2:
                raise snode.error(f"expected WIDTH x HEIGHT such as '390mm x 545mm', got {value!r}")
            width = _length(Node(parts[0], snode.file, snode.path, snode.mark), UnitContext(), positive=True)
            height = _length(Node(parts[1], snode.file, snode.path, snode.mark), UnitContext(), positive=True)
        elif isinstance(value, list):
            items = snode.sequence()
            if len(items) != 2:
                raise snode.error("expected [width, height]")
            width, height = (_length(i, UnitContext(), positive=True) for i in items)
        else:
            raise snode.error(
                f"expected a page size ({', '.join(PAGE_SIZES_MM)}) or WIDTH x HEIGHT, got {value!r}")
    else:
        width = _length(node.require("width"), UnitContext(), positive=True)
        height = _length(node.require("height"), UnitContext(), positive=True)
    if node.has("orientation"):
        if node.require("orientation").choice(("portrait", "landscape")) == "landscape":
            width, height = max(width, height), min(width, height)
    margins = {"top": 20 * MM, "bottom": 20 * MM, "left": 20 * MM, "right": 20 * MM}
    if node.has("margins"):
        mnode = node.require("margins")
        if isinstance(mnode.value, dict):
            mnode.mapping({"top", "bottom", "left", "right", "inside", "outside"})
            for key, sub in mnode.items():
                side = {"inside": "left", "outside": "right"}.get(key, key)
                margins[side] = _length(sub, UnitContext())
                if margins[side] < 0:
                    raise sub.error("a margin cannot be negative")
        else:
            value = _length(mnode, UnitContext())
            if value < 0:
                raise mnode.error("a margin cannot be negative")
            margins = dict.fromkeys(margins, value)
    ta = Box(margins["left"], margins["top"], width - margins["left"] - margins["right"],
             height - margins["top"] - margins["bottom"])
    if ta.width <= 0 or ta.height <= 0:
        raise node.error("the margins leave no type area (版心)")
    return width, height, ta


def load_style_file(path: Path, base_style: HouseStyle = HouseStyle(), _depth: int = 0) -> HouseStyle:
    """A house-style file (settings at the top, or under ``style:`` as in a layout)."""
    path = Path(path)
    node = Node(load_yaml_file(path), str(path))
    if isinstance(node.value, dict) and "style" in node.value:
        node = node.require("style")
    return load_style(node, base_style, path.parent, _depth)


def load_style(node: Node, base_style: HouseStyle, base: Path, _depth: int = 0) -> HouseStyle:
    """A house style: a mapping of settings, or the path of a style file (``include:`` chains)."""
    if isinstance(node.value, str):
        node = Node({"include": node.value}, node.file, node.path, node.mark)
    node.mapping({"include", "prohibition", "punctuation", "stop_beside_mark", "cjk_latin_space",
                  "cjk_latin_min", "cjk_latin_max", "push", "orphan_min", "hanging_punctuation",
                  "first_line_indent", "western_glyphs", "western_widths", "max_gap", "breaking", "single_quotes", "keep_first_lines", "keep_last_lines",
                  "name"})
    style = base_style
    if node.has("include"):
        inc = node.require("include")
        path = (base / inc.string()).resolve()
        _SOURCES.append(path)
        if _depth > 8:
            raise inc.error("style files include each other in a loop")
        if not path.is_file():
            raise inc.error(f"style file {str(path)!r} not found")
        style = load_style_file(path, style, _depth + 1)
    changes = {}
    for key, sub in node.items():
        if key in ("include", "name") or sub.value is None:
            continue
        if key == "prohibition":
            changes[key] = sub.choice(PROHIBITION_LEVELS)
        elif key == "punctuation":
            changes[key] = sub.choice(PUNCTUATION_STYLES, PUNCTUATION_ALIASES)
        elif key == "push":
            changes[key] = sub.choice(PUSH_POLICIES)
        elif key == "western_glyphs":
            changes[key] = sub.choice(WESTERN_GLYPHS)
        elif key == "breaking":
            changes[key] = sub.choice(BREAKING)
        elif key == "single_quotes":
            changes[key] = sub.choice(SINGLE_QUOTE_WIDTHS)
        elif key == "orphan_min":
            changes[key] = sub.integer(0, 10)
        elif key in ("keep_first_lines", "keep_last_lines"):
            changes[key] = sub.integer(1, 2)
        elif key == "hanging_punctuation":
            changes[key] = sub.boolean()
        elif key == "western_widths":
            pairs = []
            for ch, wnode in sub.mapping().items():
                ch = str(ch)
                if len(ch) != 1 or not (ch.isascii() and ch.isprintable() and ch != " "):
                    raise sub.child_node(ch).error(f"expected a single Latin character or digit, got {ch!r}")
                width = _em(wnode)
                if not 0.05 <= width <= 2:
                    raise wnode.error(f"expected a width between 0.05 and 2 em, got {wnode.value!r}")
                pairs.append((ch, width))
            changes[key] = tuple(sorted(dict(style.western_widths + tuple(pairs)).items()))
        else:
            value = _em(sub)
            if not 0 <= value <= 10:
                raise sub.error(f"expected a width between 0 and 10 em, got {sub.value!r}")
            changes[key] = value
    style = style.merged(**changes)
    if not style.cjk_latin_min <= style.cjk_latin_space <= style.cjk_latin_max:
        raise node.error("CJK–Latin spacing needs cjk_latin_min ≤ cjk_latin_space ≤ cjk_latin_max")
    return style


GEOMETRY_KEYS = {"column", "span", "line", "lines", "x", "y", "width", "height"}


def _frame(fid: str, node: Node, layout: PageLayout, ctx: UnitContext) -> Frame:
    node.mapping(GEOMETRY_KEYS | {"columns", "gutter", "measure"})
    columns = node.require("columns").integer(1, 20) if node.has("columns") else 1
    gutter = _length(node.require("gutter"), ctx) if node.has("gutter") else layout.gutter
    if gutter < 0:
        raise node.require("gutter").error("a gutter cannot be negative")
    width = None
    if node.has("measure"):
        if node.has("width") or node.has("span"):
            raise node.require("measure").error("give measure, or width/span, not both")
        measure = _length(node.require("measure"), ctx, positive=True)
        width = columns * measure + (columns - 1) * gutter
    box = _geometry(f"frame {fid!r}", node, layout, ctx, width)
    frame = Frame(fid, box, columns, gutter, node.mark)
    if frame.column_width < layout.body.size:
        raise node.error(f"frame {fid!r}: its columns are narrower than one character")
    return frame


def _geometry(what: str, node: Node, layout: PageLayout, ctx: UnitContext, width: float | None = None,
              *, page: bool = False) -> Box:
    """A rectangle on the grid (column/span, line/lines) or in lengths (x/width, y/height)
    from the type area's top-left corner; it must lie inside the type area (or, with
    ``page``, inside the trimmed page: pictures and tints may run to the edge)."""
    ta = layout.type_area
    colw = layout.column_width
    if node.has("x") and node.has("column"):
        raise node.require("x").error("give either column/span or x/width, not both")
    if node.has("x"):
        x = ta.x + _length(node.require("x"), ctx)
    else:
        col = node.require("column").integer(1, layout.columns)
        x = ta.x + (col - 1) * (colw + layout.gutter)
    if width is None:
        if node.has("width"):
            width = _length(node.require("width"), ctx, positive=True)
        else:
            first = node.require("column").integer(1, layout.columns) if node.has("column") else 1
            span = node.require("span").integer(1, layout.columns - first + 1) if node.has("span") else 1
            width = span * colw + (span - 1) * layout.gutter
    if node.has("y") and node.has("line"):
        raise node.require("y").error("give either line/lines or y/height, not both")
    if node.has("y"):
        y = ta.y + _length(node.require("y"), ctx)
    else:
        y = ta.y + (node.require("line").integer(1, layout.grid_lines) - 1) * layout.pitch
    if node.has("height"):
        height = _length(node.require("height"), ctx, positive=True)
    else:
        height = node.require("lines").integer(1, layout.grid_lines) * layout.pitch
    box = Box(x, y, width, height)
    slack = 0.5
    if page:
        if box.x < -slack or box.y < -slack or box.right > layout.width + slack or box.bottom > layout.height + slack:
            raise node.error(f"{what} reaches outside the page: it spans {_mm(box.x)}–{_mm(box.right)} across and "
                             f"{_mm(box.y)}–{_mm(box.bottom)} down, the page is {_mm(layout.width)} × "
                             f"{_mm(layout.height)}")
        return box
    if box.x < ta.x - slack or box.y < ta.y - slack or box.right > ta.right + slack or box.bottom > ta.bottom + slack:
        raise node.error(
            f"{what} reaches outside the type area (版心): it spans {_mm(box.x - ta.x)}–{_mm(box.right - ta.x)} "
            f"across and {_mm(box.y - ta.y)}–{_mm(box.bottom - ta.y)} down, the type area is "
            f"{_mm(ta.width)} × {_mm(ta.height)}")
    return box


def _image(node: Node, layout: PageLayout, ctx: UnitContext, base: Path, index: int) -> Image:
    node.mapping(GEOMETRY_KEYS | {"id", "file", "fit", "crop", "caption", "credit", "standoff", "caption_style"})
    iid = node.get("id").string() if node.has("id") else f"image{index + 1}"
    fnode = node.require("file")
    path = (base / fnode.string()).resolve()
    if not path.is_file():
        raise fnode.error(f"image file {str(path)!r} not found")
    pixels = image_size(path, fnode)
    box = _geometry(f"image {iid!r}", node, layout, ctx, page=True)
    fit = node.require("fit").choice(("fit", "fill", "crop")) if node.has("fit") else "fit"
    crop = (0.0, 0.0, 0.0, 0.0)
    if node.has("crop"):
        cnode = node.require("crop").mapping({"left", "top", "right", "bottom"})
        values = []
        for side in ("left", "top", "right", "bottom"):
            v = cnode.get(side)
            values.append(_percent(v) / 100 if v is not None else 0.0)
        if values[0] + values[2] >= 1 or values[1] + values[3] >= 1:
            raise cnode.error("the crop leaves nothing of the picture")
        crop = tuple(values)
        fit = "crop" if fit == "fit" else fit
    spec = _text_spec(node.get("caption_style"), layout, font="caption", size=layout.body.size, align="left")
    standoff = _length(node.require("standoff"), ctx) if node.has("standoff") else layout.body.size
    return Image(iid, path, box, pixels, fit, crop,
                 node.get("caption").string() if node.has("caption") else None,
                 node.get("credit").string() if node.has("credit") else None, spec, standoff, node.mark)


def _box_decoration(node: Node, layout: PageLayout, ctx: UnitContext) -> BoxDecoration:
    node.mapping(GEOMETRY_KEYS | {"frames", "padding", "border", "tint", "label"})
    if node.has("frames"):
        boxes = []
        for f in node.require("frames").sequence():
            fid = f.string()
            if fid not in layout.frames:
                raise f.error(f"no frame called {fid!r}")
            boxes.append(layout.frames[fid].box)
        left, top = min(b.x for b in boxes), min(b.y for b in boxes)
        area = Box(left, top, max(b.right for b in boxes) - left, max(b.bottom for b in boxes) - top)
    else:
        area = _geometry("box", node, layout, ctx, page=True)
    pad = _length(node.require("padding"), ctx) if node.has("padding") else 0.0
    label, label_spec, label_frame = None, None, None
    if node.has("label"):
        lnode = node.require("label")
        if isinstance(lnode.value, str):
            lnode = Node({"text": lnode.value}, lnode.file, lnode.path, lnode.mark)
        lnode.mapping({"text", "font", "size", "align", "tracking", "lines", "frame"})
        label = lnode.require("text").string()
        label_spec = _text_spec(Node({k: v for k, v in lnode.value.items() if k not in ("text", "lines", "frame")},
                                     lnode.file, lnode.path, lnode.mark), layout, font="headline",
                                size=layout.body.size * 1.5, align="center")
        if lnode.has("frame"):
            fid = lnode.require("frame").string()
            if fid not in layout.frames:
                raise lnode.require("frame").error(f"no frame called {fid!r}")
            label_frame = layout.frames[fid].box
        else:
            label_lines = lnode.require("lines").integer(1, 20) if lnode.has("lines") else \
                max(1, math.ceil(label_spec.size * 1.3 / layout.pitch))
            area = Box(area.x, area.y - label_lines * layout.pitch, area.width,
                       area.height + label_lines * layout.pitch)
            label_frame = Box(area.x, area.y, area.width, label_lines * layout.pitch)
    area = Box(area.x - pad, area.y - pad, area.width + 2 * pad, area.height + 2 * pad)
    weight, line_style, color = 0.0, "solid", BLACK
    if node.has("border"):
        bnode = node.require("border")
        if bnode.value is not False:
            bnode.mapping({"weight", "style", "color"})
            weight = _length(bnode.require("weight"), ctx, positive=True) if bnode.has("weight") else 0.5
            line_style = bnode.require("style").choice(("solid", "double", "dashed")) if bnode.has("style") else "solid"
            color = _color(bnode.require("color"), layout) if bnode.has("color") else BLACK
    tint = _color(node.require("tint"), layout) if node.has("tint") else None
    return BoxDecoration(area, weight, line_style, color, tint, label, label_spec, label_frame)


def _running_head(node: Node, layout: PageLayout) -> RunningHead:
    node.mapping({"paper", "section", "page", "editor", "designer", "font", "size"})
    get = lambda k: node.get(k).string() if node.has(k) else None  # noqa: E731
    spec = _text_spec(Node({k: node.value[k] for k in ("font", "size") if k in node.value}, node.file, node.path,
                           node.mark), layout, font="running_head", size=12.0, align="left")
    small = TextSpec(layout.fonts.resolve("running_head"), max(6.0, spec.size * 0.7))
    return RunningHead(get("paper"), get("section"), get("page"), get("editor"), get("designer"), spec, small)


def _mm(pt: float) -> str:
    return f"{pt / MM:.1f}mm"


def _text_spec(node: Node | None, layout: PageLayout, *, font: str, size: float, align: str) -> TextSpec:
    if node is None:
        return TextSpec(layout.fonts.resolve(font), size, align)
    node.mapping({"font", "size", "align", "tracking", "text"})
    face = layout.fonts.resolve(node.get("font").string(), node.get("font")) if node.has("font") \
        else layout.fonts.resolve(font)
    size = _size(node.require("size")) if node.has("size") else size
    align = node.require("align").choice(ALIGNS) if node.has("align") else align
    tracking = _em(node.require("tracking")) if node.has("tracking") else 0.0
    return TextSpec(face, size, align, tracking)


def _story(node: Node, layout: PageLayout, ctx: UnitContext, base: Path) -> Story:
    node.mapping({"id", "article", "frames", "headline", "style", "paragraph_styles", "byline", "subhead",
                  "encoding", "normalize_punctuation"})
    anode = node.require("article")
    apath = (base / anode.string()).resolve()
    if not apath.is_file():
        raise anode.error(f"article file {str(apath)!r} not found")
    encoding = node.get("encoding").string() if node.has("encoding") else layout.article_encoding
    article = load_article(apath, encoding)
    normalise = node.require("normalize_punctuation").boolean() if node.has("normalize_punctuation") \
        else layout.normalize_punctuation
    if normalise:
        layout.notes.extend(normalize_punctuation(article))
    sid = node.get("id").string() if node.has("id") else apath.stem
    fnode = node.require("frames")
    frame_nodes = [fnode] if isinstance(fnode.value, str) else fnode.sequence()
    if not frame_nodes:
        raise fnode.error("a story needs at least one frame")
    frames = []
    for f in frame_nodes:
        fid = f.string()
        if fid not in layout.frames:
            import difflib
            hint = difflib.get_close_matches(fid, list(layout.frames), n=1)
            raise f.error(f"no frame called {fid!r}" + (f"; did you mean {hint[0]!r}?" if hint else ""))
        frames.append(fid)
    style = layout.style
    if node.has("style"):
        style = load_style(node.require("style"), style, base)
    own = _paragraph_styles(node.require("paragraph_styles")) if node.has("paragraph_styles") else {}
    role_styles = {}
    for role in ROLES:
        # page style → page paragraph style → story style → story paragraph style
        s = layout.style
        if role in layout.paragraph_styles:
            s = load_style(layout.paragraph_styles[role], s, base)
        if node.has("style"):
            s = load_style(node.require("style"), s, base)
        if role in own:
            s = load_style(own[role], s, base)
        role_styles[role] = s
    size = layout.body.size
    subhead = _text_spec(node.get("subhead"), layout, font="subhead", size=size, align="center")
    byline = _text_spec(node.get("byline"), layout, font="byline", size=size, align="right")
    headline = _headline(node.get("headline"), article, layout)
    if headline is not None and headline.frame is not None and headline.frame not in layout.frames:
        raise node.require("headline").error(f"no frame called {headline.frame!r}")
    return Story(sid, article, frames, style, headline, subhead, byline, node.mark, role_styles)


def _paragraph_styles(node: Node) -> dict[str, Node]:
    node.mapping(set(ROLES))
    return {str(role): sub for role, sub in node.items()}


def _headline(node: Node | None, article, layout: PageLayout) -> Headline | None:
    if node is not None and node.value is False:
        return None
    if node is None:
        node = Node({}, "", "headline")
    node.mapping({"frame", "align", "font", "size", "kicker", "title", "subtitle", "lines", "direction", "tracking"})
    align = node.require("align").choice(ALIGNS) if node.has("align") else "left"
    body = layout.body.size
    title_font = node.get("font").string() if node.has("font") else "headline"
    title_size = _size(node.require("size")) if node.has("size") else body * 2.5

    def part(key, default_text, font, size):
        sub = node.get(key)
        if sub is not None and sub.value is False:
            return None, TextSpec(layout.fonts.resolve(font), size, align)
        if sub is not None and isinstance(sub.value, str):
            return sub.value, TextSpec(layout.fonts.resolve(font), size, align)
        spec = _text_spec(sub, layout, font=font, size=size, align=align)
        text = sub.get("text").string() if sub is not None and sub.has("text") else default_text
        return text, spec

    title, title_spec = part("title", article.title, title_font, title_size)
    kicker, kicker_spec = part("kicker", article.kicker, "kicker", max(body, round(title_size * 0.5)))
    subtitle, subtitle_spec = part("subtitle", article.subtitle, "subtitle", max(body, round(title_size * 0.55)))
    if not (title or kicker or subtitle):
        return None
    frame = node.get("frame").string() if node.has("frame") else None
    lines = node.require("lines").integer(1, layout.grid_lines) if node.has("lines") else None
    direction = node.require("direction").choice(("horizontal", "vertical"), {"竖排": "vertical", "横排": "horizontal"}) \
        if node.has("direction") else "horizontal"
    if direction == "vertical" and frame is None:
        raise node.require("direction").error("a vertical headline needs its own frame: add frame: ID")
    if node.has("tracking"):
        from dataclasses import replace
        tracking = _em(node.require("tracking"))
        title_spec = replace(title_spec, tracking=tracking)
    return Headline(kicker, title, subtitle, kicker_spec, title_spec, subtitle_spec, frame, lines, direction)


def _check_frame_use(layout: PageLayout, root: Node) -> None:
    """A frame holds one story once, and text frames may not overlap (text would print
    over text). Headline frames may sit inside text frames: the text runs round them."""
    used: dict[str, str] = {}
    for story in layout.stories:
        seen = set()
        for fid in story.frames:
            if fid in seen:
                raise PagesetterError(f"story {story.id!r} lists frame {fid!r} twice in its chain",
                                      file=str(layout.file), line=story.mark[0] if story.mark else None,
                                      field="stories")
            seen.add(fid)
        for fid in story.frames + ([story.headline.frame] if story.headline and story.headline.frame else []):
            if fid in used and used[fid] != story.id:
                raise PagesetterError(f"frame {fid!r} is used by both {used[fid]!r} and {story.id!r}",
                                      file=str(layout.file), field="stories")
            used[fid] = story.id
    text_frames = [layout.frames[f] for s in layout.stories for f in s.frames]
    for k, a in enumerate(text_frames):
        for b in text_frames[k + 1:]:
            ax, ay = min(a.box.right, b.box.right) - max(a.box.x, b.box.x), \
                min(a.box.bottom, b.box.bottom) - max(a.box.y, b.box.y)
            if ax > 0.5 and ay > 0.5:
                line = b.mark[0] if b.mark else None
                raise PagesetterError(f"text frames {a.id!r} and {b.id!r} overlap ({ax / MM:.1f} × {ay / MM:.1f} mm): "
                                      "their text would print over each other", file=str(layout.file), line=line,
                                      field=f"frames.{b.id}")


def _rule(node: Node, layout: PageLayout, ctx: UnitContext) -> Rule:
    node.mapping({"from", "to", "weight", "color"})
    ta = layout.type_area
    pts = []
    for key in ("from", "to"):
        p = node.require(key).sequence()
        if len(p) != 2:
            raise node.require(key).error("expected [x, y] relative to the type area")
        pts.append((ta.x + _length(p[0], ctx), ta.y + _length(p[1], ctx)))
    weight = _length(node.require("weight"), ctx, positive=True) if node.has("weight") else 0.5
    color = _color(node.require("color"), layout) if node.has("color") else BLACK
    return Rule(pts[0][0], pts[0][1], pts[1][0], pts[1][1], weight, color)
