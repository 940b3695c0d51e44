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
from pagesetter.fonts.registry import SYSTEM_FONTS, FontRegistry
import math

from pagesetter.source.paths import inside, project_root, regular_file
from pagesetter.source.pictures import picture_size
from pagesetter.layout.content import DOUBLE_LINE, BoxDecoration, Headline, Image, Jump, Rule, RunningHead, Story
from pagesetter.layout.model import ROLES, Box, Frame, Makeup, PageLayout, TextSpec
from pagesetter.layout.pagesizes import PAGE_SIZES_MM
from pagesetter.print.color import BLACK, CMYK, ColorError, check_ink, parse_cmyk, parse_rgb
from pagesetter.print.spec import (
    COLOR_ORG, PRESS_CONDITIONS, REGISTERED_CONDITIONS, RENDERING_INTENTS, STANDARDS, PressCondition, PrintSpec,
)
from pagesetter.units import MM, UnitContext, UnitError, parse_length, parse_size
from pagesetter.source.yamlsource import Node, load_yaml_file

TOP_KEYS = {"name", "title", "date", "page", "grid", "style", "paragraph_styles", "fonts", "frames", "stories",
            "rules", "print", "images", "boxes", "running_head", "encoding", "normalize_punctuation", "masthead",
            "tables", "index", "section_heads", "headline_space", "photo_credit"}
ALIGNS = ("left", "center", "right", "justify")
MAX_PAGE_MM = 2000.0
# What one page can hold; past these a render would take minutes or gigabytes, so it is refused.
LIMITS = {"frames": 300, "stories": 200, "images": 50, "rules": 500, "boxes": 100}
MAX_HEADLINE_CHARS = 200   # each of kicker, headline and subtitle
MAX_LABEL_CHARS = 100      # a box label, each running-head field
MAX_CAPTION_CHARS = 2000
MAX_PARAGRAPH_CHARS = 10_000  # a whole broadsheet page's worth: more is a missing paragraph break


def _short(node: Node, limit: int, what: str) -> str:
    text = node.string()
    if len(text) > limit:
        raise node.error(f"{len(text):,} characters is more than a {what} can hold (the limit is {limit})")
    return text


def _limit(node: Node, key: str) -> None:
    items = node.value
    if isinstance(items, (list, dict)) and len(items) > LIMITS[key]:
        raise node.error(f"{len(items):,} {key} is more than a page holds (the limit is {LIMITS[key]})")


_SOURCES: list[Path] = []  # style files included while loading the current layout


def _with_defaults(value, defaults: dict):
    """A copy of the layout's top mapping with the edition's values in (the parsed file is shared)."""
    import copy
    merged = copy.copy(value)
    merged.marks = dict(getattr(value, "marks", {}))
    for key, v in defaults.items():
        if key == "running_head" and "masthead" in value and "running_head" not in value:
            continue  # a front page with its masthead takes no running head from the edition
        if key in ("running_head", "masthead") and isinstance(value.get(key), dict):
            head = copy.copy(value[key])
            head.update(v)
            merged[key] = head
        elif key != "masthead":  # an edition's masthead fields fill in a layout's masthead, never add one
            merged[key] = v
    return merged


def load_layout(path: Path, *, font_dirs: list[Path] = (), defaults: dict | None = None,
                root_dir: Path | None = None) -> PageLayout:
    """``defaults`` (from an edition file) override the layout's top-level keys — the
    edition decides the date and page numbers; a ``running_head`` mapping is merged field
    by field, the edition's fields winning. Every file the layout names must lie inside
    ``root_dir`` (default: see ``paths.project_root``)."""
    path = Path(path)
    _SOURCES.clear()
    project = project_root(path, root_dir)
    if not path.resolve().is_relative_to(project):
        raise PagesetterError(f"the layout lies outside the project root {str(project)!r} (pass --root to widen it)",
                              file=str(path))
    regular_file(path, what="layout")
    root = Node(load_yaml_file(path), str(path))
    if root.value is None:
        raise PagesetterError("layout file is empty", file=str(path))
    if not isinstance(root.value, dict):
        raise PagesetterError("a layout file holds a mapping (key: value lines)", file=str(path))
    root.mapping(TOP_KEYS)
    defaults = dict(defaults or {})
    edition = defaults.pop("_edition", {})  # page count and which page holds which article
    if defaults:
        root.value = _with_defaults(root.value, defaults)
    base = path.parent
    fonts = FontRegistry.default()
    for d in font_dirs:
        if str(d) == SYSTEM_FONTS:
            fonts.add_system()
            continue
        if not Path(d).is_dir():
            raise PagesetterError(f"font directory {str(d)!r} not found")
        fonts.add_dir(Path(d))
    if root.has("fonts"):
        fonts.load_config(root.require("fonts"), base, root=project)

    width, height, type_area = _page(root.require("page"))
    grid = root.require("grid").mapping({"columns", "gutter", "body", "column_rules"})
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
    if gutter < 0:
        raise grid.require("gutter").error("a gutter cannot be negative")
    if (columns - 1) * gutter >= type_area.width:
        raise grid.require("columns").error("the gutters alone are wider than the type area")

    style = HouseStyle()
    makeup_nodes: dict[str, dict[str, Node]] = {}
    if root.has("style"):
        style = load_style(root.require("style"), style, base, makeup=makeup_nodes, root=project)

    layout = PageLayout(file=path, name=root.get("name").string() if root.has("name") else path.stem,
                        width=width, height=height, type_area=type_area, columns=columns, gutter=gutter,
                        body=body, pitch=leading, style=style, fonts=fonts,
                        title=root.get("title").string() if root.has("title") else path.stem)
    layout.root = project
    layout.print = _print(root.get("print"), root.get("date"), base, project)
    layout.makeup = _makeup(makeup_nodes, layout, ctx)
    head = root.value.get("running_head") if isinstance(root.value, dict) else None
    number = head.get("page") if isinstance(head, dict) else None
    if isinstance(number, int) or (isinstance(number, str) and number.strip().isdigit()):
        layout.page_number = int(number)  # the edition's page number, or the layout's own
    layout.column_rules = grid.require("column_rules").boolean() if grid.has("column_rules") else False
    layout.article_encoding = root.get("encoding").string() if root.has("encoding") else None
    layout.normalize_punctuation = root.require("normalize_punctuation").boolean() \
        if root.has("normalize_punctuation") else False
    if root.has("paragraph_styles"):
        layout.paragraph_styles = _paragraph_styles(root.require("paragraph_styles"))
        for role, pnode in layout.paragraph_styles.items():
            load_style(pnode, style, base, root=project)  # report bad settings here, once
    if layout.grid_lines < 1:
        raise body_node.error("the type area is shorter than one line")
    for key in LIMITS:
        if root.has(key):
            _limit(root.require(key), key)
    if root.has("section_heads") or root.has("headline_space"):
        from pagesetter.layout import elements
        if root.has("section_heads"):
            layout.section_heads = elements.load_section_heads(root.require("section_heads"), layout)
        if root.has("headline_space"):
            hs = root.require("headline_space").mapping({"above", "below"})
            layout.headline_space = (_grid_lines(hs.get("above"), ctx, 0.0), _grid_lines(hs.get("below"), ctx, 1.0))
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
    if root.has("photo_credit"):
        layout.photo_credit = _credit_template(root.require("photo_credit"))
    if root.has("images"):
        for i, inode in enumerate(root.require("images").sequence()):
            image = _image(inode, layout, ctx, base, i)
            if any(other.id == image.id for other in layout.images):
                raise inode.error(f"two pictures are called {image.id!r}")
            layout.images.append(image)
    if root.has("boxes"):
        for bnode in root.require("boxes").sequence():
            layout.boxes.append(_box_decoration(bnode, layout, ctx))
    if root.has("running_head"):
        layout.running_head = _running_head(root.require("running_head"), layout)
    if root.has("masthead") or root.has("tables") or root.has("index"):
        from pagesetter.layout import elements
        if root.has("masthead"):
            layout.masthead = elements.load_masthead(root.require("masthead"), layout, base, edition)
        if root.has("tables"):
            for i, tnode in enumerate(root.require("tables").sequence()):
                layout.tables.append(elements.load_table(tnode, layout, base, i))
            _check_table_frames(layout, root)
        if root.has("index"):
            inode = root.require("index")
            for n in (inode.sequence() if isinstance(inode.value, list) else [inode]):
                layout.index_boxes.append(elements.load_index_box(n, layout, base, edition))
    layout.sources = {path.resolve(), *_SOURCES, *(s.article.path for s in layout.stories),
                      *(i.path for i in layout.images), *(t.source for t in layout.tables),
                      *(e.path for b in layout.index_boxes for e in b.entries)}
    if layout.masthead is not None and layout.masthead.picture is not None:
        layout.sources.add(layout.masthead.picture.path)
    return layout


def _print(node: Node | None, date: Node | None, base: Path, project: Path) -> PrintSpec:
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
    node.mapping({"standard", "bleed", "marks", "press", "ink_limit", "min_line", "rendering_intent",
                  "black_point_compensation", "jpeg_quality", "min_ppi"})
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
    if node.has("min_line"):
        spec["min_line"] = _length(node.require("min_line"), UnitContext(), positive=True)
        if spec["min_line"] > 2:
            raise node.require("min_line").error("the thinnest line the press holds is at most 2pt")
    if node.has("rendering_intent"):
        spec["rendering_intent"] = node.require("rendering_intent").choice(
            RENDERING_INTENTS, {"relative colorimetric": "relative", "absolute colorimetric": "absolute"})
    if node.has("black_point_compensation"):
        spec["black_point_compensation"] = node.require("black_point_compensation").boolean()
    if node.has("jpeg_quality"):
        spec["jpeg_quality"] = node.require("jpeg_quality").integer(30, 100)
    if node.has("min_ppi"):
        spec["min_ppi"] = float(node.require("min_ppi").integer(1, 2400))
    press = PRESS_CONDITIONS["coldset-newsprint"]
    if node.has("press"):
        pnode = node.require("press")
        if isinstance(pnode.value, str):
            press = PRESS_CONDITIONS[pnode.choice(tuple(PRESS_CONDITIONS))]
        else:
            pnode.mapping({"identifier", "condition", "registry", "profile", "ink_limit"})
            profile = None
            if pnode.has("profile"):
                profile = _icc_profile(pnode.require("profile"), base, project)
                _check_press_profile(pnode.require("profile"), profile)
            identifier = pnode.require("identifier").string()
            # only a registered condition names the ICC registry; a custom one names none unless told
            registry = pnode.get("registry").string() if pnode.has("registry") else \
                (COLOR_ORG if identifier in REGISTERED_CONDITIONS else "")
            press = PressCondition(
                identifier, pnode.get("condition").string() if pnode.has("condition") else identifier, registry,
                _percent(pnode.require("ink_limit")) if pnode.has("ink_limit") else 300.0, profile)
    if node.has("ink_limit"):
        from dataclasses import replace
        press = replace(press, ink_limit=_percent(node.require("ink_limit")))
    spec["press"] = press
    result = PrintSpec(edition_date=edition, **spec)
    if result.standard == "PDF/X-4" and result.press.profile is None:
        raise (node.get("press") or node).error(
            "PDF/X-4 needs the press condition's ICC output profile: give press: {identifier: …, profile: FILE.icc}")
    if result.press.profile is None and result.press.identifier not in REGISTERED_CONDITIONS:
        # PDF/X-1a may name a condition of the ICC registry without its profile, never another one
        raise (node.get("press") or node).error(
            f"{result.press.identifier!r} is not a condition of the ICC characterization registry, so PDF/X "
            "needs its ICC output profile: give press: {identifier: …, profile: FILE.icc}")
    return result


def _check_press_profile(node: Node, path: Path) -> None:
    from pagesetter.print.icc import ProfileError, open_press_profile
    try:
        open_press_profile(path)
    except ProfileError as exc:
        raise node.error(str(exc)) from None


def _icc_profile(node: Node, base: Path, project: Path) -> Path:
    """An ICC output profile inside the project; its header must say so ('acsp' at byte 36)."""
    path = inside(project, node.string(), base, node, what="ICC profile")
    with open(path, "rb") as f:
        head = f.read(128)
    if len(head) < 128 or head[36:40] != b"acsp":
        raise node.error(f"{path.name} is not an ICC profile")
    return path


def _grid_lines(node: Node | None, ctx: UnitContext, default: float) -> float:
    """A space in grid lines: a number (1, 0.5) or a length (1行, 6.5mm → lines)."""
    if node is None:
        return default
    if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        value = float(node.value)
    else:
        value = _length(node, ctx) / ctx.line
    if not 0 <= value <= 20:
        raise node.error(f"expected between 0 and 20 grid lines, got {node.value!r}")
    return value


def _percent_number(node: Node, example: str) -> float:
    """``240%``, ``240`` or ``"240"`` → 240.0."""
    value = node.value
    if isinstance(value, str) and value.strip().endswith("%"):
        value = value.strip()[:-1]
    try:
        return float(value)
    except (TypeError, ValueError):
        raise node.error(f"expected a percentage such as {example}, got {node.value!r}") from None


def _percent(node: Node) -> float:
    number = _percent_number(node, "240%")
    if not 0 < number <= 400:
        raise node.error(f"total ink is between 0% and 400%, got {node.value!r}")
    return number


def _color(node: Node, layout: PageLayout):
    try:
        rgb = parse_rgb(node.value)
        if rgb is not None:
            # RGB goes to the press's CMYK the way pictures do (approximate without a press profile)
            from pagesetter.print.icc import rgb_color
            spec = layout.print
            color = CMYK(*rgb_color(rgb, spec.press.profile, spec.rendering_intent, spec.black_point_compensation,
                                    spec.press.ink_limit))
        else:
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
    for key in ("width", "height"):
        if node.has("size") and node.has(key):
            raise node.require(key).error("give either size or width and height, not both")
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
            for a, b in (("inside", "left"), ("outside", "right")):
                if mnode.has(a) and mnode.has(b):
                    raise mnode.require(a).error(f"{a} is the {b} margin (of a page on its own): give one of them")
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


def load_style_file(path: Path, base_style: HouseStyle = HouseStyle(), _depth: int = 0,
                    makeup: dict | None = None, *, root: Path | None = None) -> HouseStyle:
    """A house-style file (settings at the top, or under ``style:`` as in a layout)."""
    path = Path(path)
    root = project_root(path, root)
    node = Node(load_yaml_file(regular_file(path, what="style file")), str(path))
    if isinstance(node.value, dict) and "style" in node.value:
        node = node.require("style")
    if not isinstance(node.value, dict):
        # never quote what is there: the file may not be a style file at all
        raise PagesetterError("not a house-style file: expected a mapping of settings", file=str(path))
    return load_style(node, base_style, path.parent, _depth, makeup, root=root)



MAKEUP_KEYS = {"fit": {"empty_lines", "tracking"}, "column_rules": {"weight", "color", "gap"},
               "jump": {"to", "from", "font", "size", "align_to", "align_from", "title"}}


def load_style(node: Node, base_style: HouseStyle, base: Path, _depth: int = 0,
               makeup: dict | None = None, *, root: Path | None = None) -> HouseStyle:
    """A house style: a mapping of settings, or the path of a style file (``include:`` chains).

    The page-makeup settings (``fit``, ``column_rules``, ``jump``) are collected into
    ``makeup`` (key → field → node) when given; a page's own style reads them."""
    if isinstance(node.value, str):
        node = Node({"include": node.value}, node.file, node.path, node.mark)
    node.mapping({"include", "prohibition", "punctuation", "stop_beside_mark", "cjk_latin_space",
                  "cjk_latin_min", "cjk_latin_max", "push", "orphan_min", "hanging_punctuation",
                  "first_line_indent", "western_glyphs", "western_widths", "max_gap", "breaking", "single_quotes",
                  "hyphenate", "keep_first_lines", "keep_last_lines", "name", *MAKEUP_KEYS})
    style = base_style
    if node.has("include"):
        inc = node.require("include")
        if _depth > 8:
            raise inc.error("style files include each other in a loop")
        path = inside(root if root is not None else project_root(base / "style"), inc.string(), base, inc,
                      what="style file")
        _SOURCES.append(path)
        style = load_style_file(path, style, _depth + 1, makeup, root=root)
    changes = {}
    for key, sub in node.items():
        if key in MAKEUP_KEYS:
            fields = sub.mapping(MAKEUP_KEYS[key])
            if makeup is not None:
                makeup.setdefault(key, {}).update(fields.items())
            elif _depth == 0:  # written in a story's or paragraph's style, where it would do nothing
                raise sub.error(f"{key} is a page-makeup setting: give it in the page's style")
            continue
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
        elif key in ("hanging_punctuation", "hyphenate"):
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


def _makeup(nodes: dict[str, dict[str, Node]], layout: PageLayout, ctx: UnitContext) -> Makeup:
    fit, rules, jump = nodes.get("fit", {}), nodes.get("column_rules", {}), nodes.get("jump", {})
    m = {}
    if "empty_lines" in fit:
        m["empty_lines"] = fit["empty_lines"].integer(0, 1000)
    if "tracking" in fit:
        m["fit_tracking"] = _tracking_limits(fit["tracking"])
    if "weight" in rules:
        m["rule_weight"] = _length(rules["weight"], ctx, positive=True)
    if "color" in rules:
        m["rule_color"] = _color(rules["color"], layout)
    if "gap" in rules:
        m["rule_gap"] = _length(rules["gap"], ctx)
        if m["rule_gap"] < 0:
            raise rules["gap"].error("the gap cannot be negative")
    for key, name in (("to", "jump_to"), ("from", "jump_from")):
        if key in jump:
            text = jump[key].string()
            if "{page}" not in text:
                raise jump[key].error(f"the jump line needs {{page}} where the page number goes, got {text!r}")
            try:
                text.format(page=1)
            except (KeyError, IndexError, ValueError):
                raise jump[key].error(f"only {{page}} may stand in braces, got {text!r}") from None
            m[name] = text
    for key in ("align_to", "align_from"):
        if key in jump:
            m[f"jump_{key[6:]}_align"] = jump[key].choice(("left", "center", "right"))
    if "font" in jump or "size" in jump:
        m["jump_spec"] = TextSpec(layout.fonts.resolve(jump["font"].string(), jump["font"]) if "font" in jump
                                  else layout.body.face,
                                  _size(jump["size"]) if "size" in jump else layout.body.size)
    if "title" in jump:
        m["jump_title_spec"] = _text_spec(jump["title"], layout, font="headline", size=layout.body.size * 1.5,
                                          align="left")
    return Makeup(**m)


def _tracking_limits(node: Node) -> tuple[float, float]:
    items = node.sequence()
    if len(items) != 2:
        raise node.error("expected [least, most] tracking, such as [-0.05em, 0.05em]")
    lo, hi = (_em(i) for i in items)
    if not -0.5 <= lo <= 0 <= hi <= 0.5:
        raise node.error(f"expected limits from -0.5em to 0 and from 0 to 0.5em, got {node.value!r}")
    return lo, hi


GEOMETRY_KEYS = {"column", "span", "line", "lines", "x", "y", "width", "height"}


def _frame(fid: str, node: Node, layout: PageLayout, ctx: UnitContext) -> Frame:
    node.mapping(GEOMETRY_KEYS | {"columns", "gutter", "measure", "balance", "rules"})
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
    frame = Frame(fid, box, columns, gutter, node.mark,
                  balance=node.require("balance").boolean() if node.has("balance") else False,
                  rules=node.require("rules").boolean() if node.has("rules") else None)
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
    if node.has("width") and node.has("span"):
        raise node.require("width").error("give either span or width, not both")
    if node.has("height") and node.has("lines"):
        raise node.require("height").error("give either lines or height, not both")
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


def _credit_template(node: Node) -> str:
    text = node.string()
    if text.count("{name}") != 1 or re.search(r"\{(?!name\})", text):
        raise node.error("a credit template holds {name} once, e.g. '本报记者 {name} 摄'")
    return text


def _image(node: Node, layout: PageLayout, ctx: UnitContext, base: Path, index: int) -> Image:
    node.mapping(GEOMETRY_KEYS | {"id", "file", "fit", "crop", "caption", "credit", "standoff", "caption_style",
                                  "overlap", "photographer", "focus", "page"})
    iid = node.get("id").string() if node.has("id") else f"image{index + 1}"
    fnode = node.require("file")
    path = inside(layout.root, fnode.string(), base, fnode, what="image file")
    page = node.require("page").integer(1, 9999) if node.has("page") else None
    pixels = picture_size(path, fnode, page)
    box = _geometry(f"image {iid!r}", node, layout, ctx, page=True)
    fit = node.require("fit").choice(("fit", "fill", "crop"), {"contain": "fit", "cover": "fill"}) \
        if node.has("fit") else "fit"
    focus = (0.5, 0.5)
    if node.has("focus"):
        fnode_ = node.require("focus")
        items = fnode_.sequence() if isinstance(fnode_.value, list) else []
        if len(items) != 2:
            raise fnode_.error("expected [x, y]: percentages of the picture from its top-left corner, e.g. [50%, 30%]")
        focus = tuple(_focus_percent(i) / 100 for i in items)
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
    # a caption is justified and its credit flush right: only the face and size are the layout's to choose
    spec = _text_spec(node.get("caption_style"), layout, font="caption", size=layout.body.size, align="left",
                      keys={"font", "size"})
    standoff = _length(node.require("standoff"), ctx) if node.has("standoff") else layout.body.size
    credit = node.get("credit").string() if node.has("credit") else None
    if node.has("photographer"):
        if credit is not None:
            raise node.require("photographer").error("give credit: or photographer:, not both")
        credit = layout.photo_credit.replace("{name}", node.require("photographer").string().strip())
    return Image(iid, path, box, pixels, fit, crop,
                 _short(node.get("caption"), MAX_CAPTION_CHARS, "caption") if node.has("caption") else None,
                 credit, spec, standoff, node.mark, _overlap(node), focus, page)


def _overlap(node: Node) -> bool:
    """``overlap: allow`` lets an element print over others (a headline over a photo, on purpose)."""
    return node.has("overlap") and node.require("overlap").choice(("allow", "error")) == "allow"


def _focus_percent(node: Node) -> float:
    number = _percent_number(node, "30%")
    if not 0 <= number <= 100:
        raise node.error(f"a focus point lies inside the picture: 0% to 100%, got {node.value!r}")
    return number


def _box_decoration(node: Node, layout: PageLayout, ctx: UnitContext) -> BoxDecoration:
    node.mapping(GEOMETRY_KEYS | {"frames", "padding", "border", "tint", "label", "overlap"})
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
    if pad < 0:
        raise node.require("padding").error("a box's padding cannot be negative: its border would run through "
                                            "its text")
    label, label_spec, label_frame, label_style = None, None, None, None
    if node.has("label"):
        lnode = node.require("label")
        if isinstance(lnode.value, str):
            lnode = Node({"text": lnode.value}, lnode.file, lnode.path, lnode.mark)
        lnode.mapping({"text", "font", "size", "align", "lines", "frame", "style"})
        label = _short(lnode.require("text"), MAX_LABEL_CHARS, "box label")
        label_spec = _text_spec(Node({k: v for k, v in lnode.value.items() if k not in ("text", "lines", "frame",
                                                                                        "style")},
                                     lnode.file, lnode.path, lnode.mark), layout, font="headline",
                                size=layout.body.size * 1.5, align="center")
        if lnode.has("style"):  # a 栏头 style: its face, size and colour unless the label gives them
            from dataclasses import replace
            from pagesetter.layout import elements
            label_style = elements.section_style(lnode.get("style"), layout, lnode)
            st = label_style.spec
            label_spec = replace(label_spec, face=label_spec.face if lnode.has("font") else st.face,
                                 size=label_spec.size if lnode.has("size") else st.size, color=st.color,
                                 tracking=label_spec.tracking if lnode.has("tracking") else st.tracking)
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
    weight, line_style, color, overprint = 0.0, "solid", BLACK, None
    if node.has("border"):
        bnode = node.require("border")
        if bnode.value is not False:
            bnode.mapping({"weight", "style", "color", "overprint"})
            weight = _length(bnode.require("weight"), ctx, positive=True) if bnode.has("weight") else 0.5
            line_style = bnode.require("style").choice(("solid", "double", "dashed")) if bnode.has("style") else "solid"
            color = _color(bnode.require("color"), layout) if bnode.has("color") else BLACK
            overprint = _overprint(bnode, color)
            each = weight * DOUBLE_LINE if line_style == "double" else weight
            if each < layout.print.min_line - 1e-9:
                where = bnode.require("weight") if bnode.has("weight") else bnode
                raise where.error(
                    (f"a double border of {weight:g}pt draws two lines of {each:.2f}pt; " if line_style == "double"
                     else f"a {weight:g}pt border ") + f"the press holds no line under {layout.print.min_line:g}pt")
    tint = _color(node.require("tint"), layout) if node.has("tint") else None
    return BoxDecoration(area, weight, line_style, color, tint, label, label_spec, label_frame, overprint, node.mark,
                         _overlap(node), label_style)


def _overprint(node: Node, color: CMYK) -> bool | None:
    """An element's explicit ``overprint:``; white that overprints would vanish on press."""
    if not node.has("overprint"):
        return None
    value = node.require("overprint").boolean()
    if value and color.total == 0:
        raise node.require("overprint").error("white (0/0/0/0) that overprints vanishes on press; let it knock out")
    return value


def _running_head(node: Node, layout: PageLayout) -> RunningHead:
    node.mapping({"paper", "section", "page", "editor", "designer", "font", "size"})
    get = lambda k: _short(node.get(k), MAX_LABEL_CHARS, "running-head field") if node.has(k) else None  # noqa: E731
    spec = _text_spec(node, layout, font="running_head", size=12.0, align="left", keys=None)
    small = TextSpec(layout.fonts.resolve("running_head"), max(6.0, spec.size * 0.7))
    return RunningHead(get("paper"), get("section"), get("page"), get("editor"), get("designer"), spec, small,
                       node.mark)


def _mm(pt: float) -> str:
    return f"{pt / MM:.1f}mm"


TEXT_SPEC_KEYS = {"font", "size", "align", "tracking", "text"}


def _text_spec(node: Node | None, layout: PageLayout, *, font: str, size: float, align: str,
               keys: set[str] | None = TEXT_SPEC_KEYS, font_node: Node | None = None) -> TextSpec:
    """Font, size, alignment and tracking from ``node``; ``keys=None`` when the caller
    has already checked the node's keys (a text spec inside a larger mapping).
    ``font_node`` is where an inherited ``font`` was given, for errors."""
    if node is None:
        return TextSpec(layout.fonts.resolve(font, font_node), size, align)
    node.mapping(keys)
    face = layout.fonts.resolve(node.get("font").string(), node.get("font")) if node.has("font") \
        else layout.fonts.resolve(font, font_node)
    size = _size(node.require("size")) if node.has("size") else size
    align = node.require("align").choice(ALIGNS) if node.has("align") else align
    tracking = _tracking(node.require("tracking")) if node.has("tracking") else 0.0
    return TextSpec(face, size, align, tracking)


def _tracking(node: Node) -> float:
    """Letter-spacing in em, within what a newspaper sets (a tight -0.5 em to a spread 5 em)."""
    value = _em(node)
    if not -0.5 <= value <= 5:
        raise node.error(f"tracking between -0.5em and 5em, got {node.value!r}")
    return value


def _story(node: Node, layout: PageLayout, ctx: UnitContext, base: Path) -> Story:
    node.mapping({"id", "article", "frames", "headline", "style", "paragraph_styles", "byline", "subhead",
                  "encoding", "normalize_punctuation", "balance", "fit", "jump_title", "overlap", "section_head",
                  "body"})
    anode = node.require("article")
    apath = inside(layout.root, anode.string(), base, anode, what="article file")
    encoding = node.get("encoding").string() if node.has("encoding") else layout.article_encoding
    article = load_article(apath, encoding)
    for block in article.paragraphs:
        if len(block.text) > MAX_PARAGRAPH_CHARS:
            raise PagesetterError(f"a paragraph of {len(block.text):,} characters; the limit is "
                                  f"{MAX_PARAGRAPH_CHARS:,} (a whole page holds about 10,000): are paragraph "
                                  "breaks (blank lines) missing?", file=str(apath), line=block.line)
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
    jump = None
    for f in frame_nodes:
        if isinstance(f.value, dict) or jump is not None:
            jump = _jump(f, jump, layout, frames)
            continue
        fid = f.string()
        if fid not in layout.frames:
            import difflib
            hint = difflib.get_close_matches(fid, list(layout.frames), n=1)
            raise f.error(f"no frame called {fid!r}" + (f"; did you mean {hint[0]!r}?" if hint else ""))
        frames.append(fid)
    style = layout.style
    if node.has("style"):
        style = load_style(node.require("style"), style, base, root=layout.root)
    own = _paragraph_styles(node.require("paragraph_styles")) if node.has("paragraph_styles") else {}
    role_styles = {}
    for role in ROLES:
        # page style → page paragraph style → story style → story paragraph style
        s = layout.style
        if role in layout.paragraph_styles:
            s = load_style(layout.paragraph_styles[role], s, base, root=layout.root)
        if node.has("style"):
            s = load_style(node.require("style"), s, base, root=layout.root)
        if role in own:
            s = load_style(own[role], s, base, root=layout.root)
        role_styles[role] = s
    size = layout.body.size
    # keys the element does not use are refused, never silently ignored
    subhead = _text_spec(node.get("subhead"), layout, font="subhead", size=size, align="center",
                         keys={"font", "size", "align"})
    byline = _text_spec(node.get("byline"), layout, font="byline", size=size, align="right", keys={"font", "size"})
    headline = _headline(node.get("headline"), article, layout)
    if node.has("section_head"):
        from pagesetter.layout import elements
        if headline is None:
            raise node.require("section_head").error("a section head sits over a headline: this story has none")
        if headline.frame is not None:
            raise node.require("section_head").error("a section head sits over a headline at the top of the "
                                                     "story's frame, not one in a frame of its own")
        headline.section = elements.section_head(node.require("section_head"), layout)
    if headline is not None and headline.frame is not None and headline.frame not in layout.frames:
        raise node.require("headline").error(f"no frame called {headline.frame!r}")
    story = Story(sid, article, frames, style, headline, subhead, byline, node.mark, role_styles,
                  overlap=_overlap(node))
    if node.has("body"):
        story.body_spec, story.pitch = _story_body(node.require("body"), layout)
    story.balance = node.require("balance").boolean() if node.has("balance") else False
    if node.has("fit"):
        story.fit = _fit_option(node.require("fit"), layout)
    if jump is not None:
        story.jump = jump
        title = node.get("jump_title")
        if title is None:
            story.jump_title = headline.title if headline is not None else None
        elif title.value is not False:
            story.jump_title = title.string()
    elif node.has("jump_title"):
        raise node.require("jump_title").error("jump_title is for a story that continues on another page")
    return story


def _fit_option(node: Node, layout: PageLayout) -> tuple[float, float] | None:
    if isinstance(node.value, bool):
        return layout.makeup.fit_tracking if node.value else None
    fnode = node.mapping({"tracking"})
    return _tracking_limits(fnode.require("tracking")) if fnode.has("tracking") else layout.makeup.fit_tracking


def _jump(node: Node, jump: Jump | None, layout: PageLayout, frames: list[str]) -> Jump:
    """``{page: 4, frame: jump}``: the chain goes on in a frame of edition page 4."""
    if not isinstance(node.value, dict):
        raise node.error("after a frame of another page, the chain continues only on that page: "
                         "give {page: N, frame: ID}")
    node.mapping({"page", "frame"})
    page = node.require("page").integer(1, 999)
    fid = node.require("frame").string()
    if not frames:
        raise node.error("a story starts on its own page: list a frame of this page first")
    if jump is not None and jump.page != page:
        raise node.require("page").error(f"the chain already continues on page {jump.page}; "
                                         "a story jumps once")
    if layout.page_number is not None and page == layout.page_number:
        raise node.require("page").error(f"page {page} is this page: list the frame by its id")
    return Jump(page, (jump.frames if jump else ()) + (fid,), jump.mark if jump else node.mark)


def snap_leading(leading: float, pitch: float) -> tuple[float, int, int]:
    """A story's leading snapped to the page grid: ``(pitch', lines, grid_lines)`` — ``lines`` lines
    every ``grid_lines`` grid lines. At or above the grid pitch: every n-th grid line (1/1, 1/2 …);
    below it: a sub-grid of k lines in m grid lines (m/k nearest the request, k ≤ 5)."""
    ratio = leading / pitch
    if ratio >= 1 - 1e-9:
        n = max(1, round(ratio))
        return n * pitch, 1, n
    best = min(((m, k) for k in range(2, 6) for m in range(1, k)), key=lambda mk: (abs(mk[0] / mk[1] - ratio), mk[1]))
    m, k = best
    return pitch * m / k, k, m


def _story_body(node: Node, layout: PageLayout) -> tuple[TextSpec, float | None]:
    """``body: {font, size, leading}`` of one story: its own face and size, on the page grid."""
    node.mapping({"font", "size", "leading"})
    size = _size(node.require("size")) if node.has("size") else layout.body.size
    face = layout.fonts.resolve(node.get("font").string(), node.get("font")) if node.has("font") \
        else layout.body.face
    if node.has("leading"):
        leading = _length(node.require("leading"), UnitContext(em=size, line=layout.pitch), positive=True)
    else:
        leading = layout.pitch * size / layout.body.size
    pitch, _, _ = snap_leading(leading, layout.pitch)
    if pitch < size * 0.8 - 1e-6:
        raise (node.get("leading") or node.require("size")).error(
            f"{size:g}pt type on the page grid needs at least {size * 0.8:.1f}pt of leading; snapped to the grid "
            f"the leading is {pitch:.2f}pt (a larger leading, or a smaller size)")
    return TextSpec(face, size), (None if abs(pitch - layout.pitch) < 1e-9 else pitch)


def _paragraph_styles(node: Node) -> dict[str, Node]:
    node.mapping(set(ROLES))
    return {str(role): sub for role, sub in node.items()}


def _headline(node: Node | None, article, layout: PageLayout) -> Headline | None:
    if node is not None and node.value is False:
        return None
    if node is None:
        node = Node({}, "", "headline")
    node.mapping({"frame", "align", "font", "size", "kicker", "title", "subtitle", "lines", "direction", "tracking",
                  "color", "bar", "fit", "space_above", "space_below"})
    align = node.require("align").choice(ALIGNS) if node.has("align") else "left"
    body = layout.body.size
    title_font = node.get("font").string() if node.has("font") else "headline"
    title_font_node = node.get("font")
    fit = None
    if node.has("size") and node.require("size").value == "fit":
        fit = _headline_fit(node.get("fit"), body)
        title_size = fit[2]
    else:
        if node.has("fit"):
            raise node.require("fit").error("fit: goes with size: fit")
        title_size = _size(node.require("size")) if node.has("size") else body * 2.5
    bar = _color(node.require("bar"), layout) if node.has("bar") else None
    white = parse_cmyk("white")
    color = _color(node.require("color"), layout) if node.has("color") else \
        white if bar is not None and (bar.k >= 60 or bar.total >= 150) else BLACK

    def part(key, default_text, font, size, font_node=None):
        sub = node.get(key)
        if sub is None or sub.value is False or isinstance(sub.value, str):
            spec = TextSpec(layout.fonts.resolve(font, font_node), size, align, 0.0, color)
            if sub is not None and sub.value is False:
                return None, spec
            if sub is not None:
                return _short(sub, MAX_HEADLINE_CHARS, key), spec
        else:
            sub.mapping(TEXT_SPEC_KEYS | {"color"})
            plain = Node({k: v for k, v in sub.value.items() if k != "color"}, sub.file, sub.path, sub.mark)
            spec = _text_spec(_keep_marks(plain, sub), layout, font=font, size=size, align=align,
                              font_node=font_node)
            from dataclasses import replace
            spec = replace(spec, color=_color(sub.require("color"), layout) if sub.has("color") else color)
            if sub.has("text"):
                return _short(sub.require("text"), MAX_HEADLINE_CHARS, key), spec
        if default_text and len(default_text) > MAX_HEADLINE_CHARS:
            raise PagesetterError(f"{len(default_text):,} characters is more than a {key} can hold (the limit is "
                                  f"{MAX_HEADLINE_CHARS})", file=str(article.path), field=key)
        return default_text, spec

    title, title_spec = part("title", article.title, title_font, title_size, title_font_node)
    base = title_size if fit is None else max(fit[1], min(fit[2], body * 2.5))  # kicker, subtitle scale from it
    kicker, kicker_spec = part("kicker", article.kicker, "kicker", max(body, round(base * 0.5)))
    subtitle, subtitle_spec = part("subtitle", article.subtitle, "subtitle", max(body, round(base * 0.55)))
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
        tracking = _tracking(node.require("tracking"))
        title_spec = replace(title_spec, tracking=tracking)
    if fit is not None and frame is not None and direction == "vertical":
        raise node.require("size").error("size: fit is for horizontal headlines")
    space = [_grid_lines(node.get(k), UnitContext(em=body, line=layout.pitch), 0.0) if node.has(k) else None
             for k in ("space_above", "space_below")]
    return Headline(kicker, title, subtitle, kicker_spec, title_spec, subtitle_spec, frame, lines, direction,
                    bar, fit, space[0], space[1])


def _headline_fit(node: Node | None, body: float) -> tuple[float, float, float]:
    """``fit: {width: 90%, min: 18pt, max: 72pt}`` → (share, min, max)."""
    share, low, high = 0.9, body * 1.5, body * 8
    if node is not None:
        node.mapping({"width", "min", "max"})
        if node.has("width"):
            share = _percent(node.require("width")) / 100
            if not 0.1 <= share <= 1:
                raise node.require("width").error("a share of the width between 10% and 100%")
        low = _size(node.require("min")) if node.has("min") else low
        high = _size(node.require("max")) if node.has("max") else high
        if low > high:
            raise node.error(f"min {low:g}pt is larger than max {high:g}pt")
    return share, low, high


def _keep_marks(plain: Node, sub: Node) -> Node:
    """``plain`` with the positions of ``sub``'s keys, so errors still point at the right place."""
    from pagesetter.source.yamlsource import YMap
    value = YMap(plain.value)
    value.marks = dict(getattr(sub.value, "marks", {}))
    value.mark = getattr(sub.value, "mark", None)
    return Node(value, sub.file, sub.path, sub.mark)


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
                line, col = story.mark if story.mark else (None, None)
                raise PagesetterError(f"frame {fid!r} is used by both {used[fid]!r} and {story.id!r}",
                                      file=str(layout.file), line=line, column=col,
                                      field=f"stories[{layout.stories.index(story)}].frames")
            used[fid] = story.id
    text_frames = [layout.frames[f] for s in layout.stories for f in s.frames]
    for k, a in enumerate(text_frames):
        for b in text_frames[k + 1:]:
            ax, ay = min(a.box.right, b.box.right) - max(a.box.x, b.box.x), \
                min(a.box.bottom, b.box.bottom) - max(a.box.y, b.box.y)
            if ax > 0.5 and ay > 0.5:
                line, col = b.mark if b.mark else (None, None)
                raise PagesetterError(f"text frames {a.id!r} and {b.id!r} overlap ({ax / MM:.1f} × {ay / MM:.1f} mm): "
                                      "their text would print over each other", file=str(layout.file), line=line,
                                      column=col, field=f"frames.{b.id}")


def _check_table_frames(layout: PageLayout, root: Node) -> None:
    """A table's frames hold that table alone: no story, no other table."""
    used = {fid: f"story {s.id!r}" for s in layout.stories for fid in s.frames}
    for n, table in enumerate(layout.tables):
        for fid in table.frames:
            if fid in used:
                line, col = table.mark if table.mark else (None, None)
                raise PagesetterError(f"frame {fid!r} is used by both {used[fid]} and table {table.id!r}",
                                      file=str(layout.file), line=line, column=col, field=f"tables[{n}].frames")
            used[fid] = f"table {table.id!r}"


def _rule(node: Node, layout: PageLayout, ctx: UnitContext) -> Rule:
    node.mapping({"from", "to", "weight", "color", "overprint", "overlap"})
    ta = layout.type_area
    pts = []
    for key in ("from", "to"):
        p = node.require(key).sequence()
        if len(p) != 2:
            raise node.require(key).error("expected [x, y] relative to the type area")
        pts.append((ta.x + _length(p[0], ctx), ta.y + _length(p[1], ctx)))
    weight = _length(node.require("weight"), ctx, positive=True) if node.has("weight") else 0.5
    if weight < layout.print.min_line - 1e-9:
        raise node.require("weight").error(f"a {weight:g}pt rule is a hairline: the press holds no line under "
                                           f"{layout.print.min_line:g}pt (print.min_line)")
    color = _color(node.require("color"), layout) if node.has("color") else BLACK
    return Rule(pts[0][0], pts[0][1], pts[1][0], pts[1][1], weight, color, _overprint(node, color), node.mark,
                _overlap(node))
