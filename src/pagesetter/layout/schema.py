"""JSON Schema of the layout format, for editors (YAML language server) and for tests.

It states the structure — keys, types, units, choices — that the loader
checks; what only the page can tell (a frame outside the type area, a frame
name that does not exist) the loader still reports on its own.
"""

from __future__ import annotations

from pagesetter.compose.style import (
    PROHIBITION_LEVELS, PUNCTUATION_ALIASES, PUNCTUATION_STYLES, PUSH_POLICIES, WESTERN_GLYPHS, BREAKING,
    SINGLE_QUOTE_WIDTHS,
)
from pagesetter.layout.pagesizes import PAGE_SIZES_MM
from pagesetter.print.spec import PRESS_CONDITIONS, RENDERING_INTENTS, STANDARDS
from pagesetter.units import SIZE_NAMES

_NUM = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
LENGTH = {"type": "string", "pattern": rf"^\s*{_NUM}\s*(?:mm|cm|pt|in|[Qq]|级|em|字|行|px|h)\s*$",
          "description": "a length with its unit: 56mm, 9pt, 17.8字, 3行, 4Q"}
POSITIVE_LENGTH = {"type": "string",
                   "pattern": r"^\s*\+?(?=[\d.]*[1-9])(?:\d+(?:\.\d*)?|\.\d+)\s*(?:mm|cm|pt|in|[Qq]|级|em|字|行|px|h)\s*$",
                   "description": "a length greater than zero, with its unit"}
SIZE = {"anyOf": [{"type": "number", "exclusiveMinimum": 0},
                  {"type": "string", "enum": sorted(SIZE_NAMES)},
                  {"type": "string", "pattern": rf"^\s*{_NUM}\s*(?:mm|cm|pt|in|[Qq]|级|px|h)?\s*$"}],
        "description": "a type size: 小五, 五号, 9pt, 9"}
EM = {"anyOf": [{"type": "number", "minimum": 0},
                {"type": "string", "pattern": rf"^\s*{_NUM}\s*(?:em|字)?\s*$"}],
      "description": "a width in em of the body size: 0.25em, 2字, 0.5"}
PERCENT = {"anyOf": [{"type": "number", "exclusiveMinimum": 0, "maximum": 400},
                     {"type": "string", "pattern": rf"^\s*{_NUM}\s*%?\s*$"}]}
CMYK = {"anyOf": [{"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 100}, "minItems": 4,
                   "maxItems": 4},
                  {"type": "string"}], "description": "CMYK percentages [c, m, y, k], a name (black, red …), or RGB "
                                                "('#008000', 'rgb(0, 128, 0)') converted for the press"}
POS_INT = {"type": "integer", "minimum": 1}
FONT = {"type": "string", "description": "a family (书宋, 黑体 bold) or a role (body, headline, byline …)"}
ALIGN = {"enum": ["left", "center", "right", "justify"]}


def _obj(props: dict, required: tuple = (), **extra) -> dict:
    return {"type": "object", "properties": props, "additionalProperties": False, "required": list(required),
            **extra}


GEOMETRY = {"column": POS_INT, "span": POS_INT, "line": POS_INT, "lines": POS_INT, "x": LENGTH, "y": LENGTH,
            "width": POSITIVE_LENGTH, "height": POSITIVE_LENGTH}
TEXT_SPEC = _obj({"font": FONT, "size": SIZE, "align": ALIGN, "tracking": EM, "text": {"type": "string"}})
STYLE_SETTINGS = {
    "include": {"type": "string"}, "name": {"type": "string"},
    "prohibition": {"enum": list(PROHIBITION_LEVELS)},
    "punctuation": {"enum": list(PUNCTUATION_STYLES) + list(PUNCTUATION_ALIASES)},
    "stop_beside_mark": EM, "cjk_latin_space": EM, "cjk_latin_min": EM, "cjk_latin_max": EM,
    "push": {"enum": list(PUSH_POLICIES)},
    "orphan_min": {"type": "integer", "minimum": 0, "maximum": 10},
    "hanging_punctuation": {"type": "boolean"},
    "first_line_indent": EM,
    "western_glyphs": {"enum": list(WESTERN_GLYPHS)},
    "western_widths": {"type": "object", "additionalProperties": EM},
    "max_gap": EM,
    "breaking": {"enum": list(BREAKING)},
    "single_quotes": {"enum": list(SINGLE_QUOTE_WIDTHS)},
    "hyphenate": {"type": "boolean"},
    "keep_first_lines": {"type": "integer", "minimum": 1, "maximum": 2},
    "keep_last_lines": {"type": "integer", "minimum": 1, "maximum": 2},
    # page makeup (read from the page's own style): fitting, column rules, jump lines
    "fit": _obj({"empty_lines": {"type": "integer", "minimum": 0},
                 "tracking": {"type": "array", "items": {"anyOf": [{"type": "number"}, LENGTH]}, "minItems": 2, "maxItems": 2}}),
    "column_rules": _obj({"weight": LENGTH, "color": CMYK, "gap": LENGTH}),
    "jump": _obj({"to": {"type": "string", "pattern": "\\{page\\}"},
                  "from": {"type": "string", "pattern": "\\{page\\}"}, "font": FONT, "size": SIZE,
                  "align_to": {"enum": ["left", "center", "right"]},
                  "align_from": {"enum": ["left", "center", "right"]},
                  "title": TEXT_SPEC}),
}
STYLE = {"anyOf": [{"type": "string", "description": "path of a house-style file"}, _obj(STYLE_SETTINGS)]}
PARAGRAPH_STYLES = _obj({role: STYLE for role in ("body", "subhead", "byline", "kicker", "headline", "subtitle")})
HEAD_PART = {"anyOf": [{"const": False}, {"type": "string"},
                       _obj({**TEXT_SPEC["properties"], "color": CMYK})]}

OVERLAP = {"enum": ["allow", "error"], "description": "allow: may print over other elements"}
LAYOUT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "pagesetter page layout",
    **_obj({
        "name": {"type": "string"},
        "title": {"type": "string"},
        "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}"},
        "encoding": {"type": "string"},
        "normalize_punctuation": {"type": "boolean"},
        "page": _obj({
            "size": {"anyOf": [{"enum": list(PAGE_SIZES_MM)}, {"type": "string", "pattern": "[x×*]"},
                               {"type": "array", "items": LENGTH, "minItems": 2, "maxItems": 2}]},
            "width": LENGTH, "height": LENGTH,
            "orientation": {"enum": ["portrait", "landscape"]},
            "margins": {"anyOf": [LENGTH, _obj({k: LENGTH for k in ("top", "bottom", "left", "right", "inside",
                                                                    "outside")})]},
        }),
        "grid": _obj({"columns": {"type": "integer", "minimum": 1, "maximum": 40}, "gutter": LENGTH,
                      "column_rules": {"type": "boolean", "description": "栏线 in every gutter between text"},
                      "body": _obj({"font": FONT, "size": SIZE, "leading": LENGTH}, ("size",))},
                     ("columns", "body")),
        "style": STYLE,
        "paragraph_styles": PARAGRAPH_STYLES,
        "fonts": _obj({
            "dirs": {"type": "array", "items": {"type": "string"}},
            "system": {"type": "boolean"},
            "families": {"type": "object", "additionalProperties": _obj({
                "aliases": {"type": "array", "items": {"type": "string"}},
                "regular": {"anyOf": [{"type": "string"}, _obj({"file": {"type": "string"},
                                                                "index": {"type": "integer", "minimum": 0}})]},
                "bold": {"anyOf": [{"type": "string"}, _obj({"file": {"type": "string"},
                                                             "index": {"type": "integer", "minimum": 0}})]},
                "index": {"type": "integer", "minimum": 0}})},
            "roles": {"type": "object", "additionalProperties": FONT}}),
        "frames": {"type": "object", "additionalProperties": _obj({
            **GEOMETRY, "columns": {"type": "integer", "minimum": 1, "maximum": 20}, "gutter": LENGTH,
            "measure": POSITIVE_LENGTH,
            "balance": {"type": "boolean", "description": "齐底: the columns end level"},
            "rules": {"type": "boolean", "description": "column rules in its gutters"}})},
        "stories": {"type": "array", "items": _obj({
            "id": {"type": "string"},
            "article": {"type": "string"},
            "frames": {"anyOf": [{"type": "string"}, {"type": "array", "minItems": 1, "items": {"anyOf": [
                {"type": "string"},
                _obj({"page": POS_INT, "frame": {"type": "string"}}, ("page", "frame"),
                     description="转版: a frame of another page of the edition")]}}]},
            "balance": {"type": "boolean", "description": "balance the columns of its last frame"},
            "fit": {"anyOf": [{"type": "boolean"}, _obj({"tracking": {"type": "array", "items": LENGTH,
                                                                      "minItems": 2, "maxItems": 2}})],
                    "description": "auto-fit by tracking (撑版/缩版)"},
            "jump_title": {"anyOf": [{"const": False}, {"type": "string"}]},
            "headline": {"anyOf": [{"const": False}, _obj({
                "frame": {"type": "string"}, "align": ALIGN, "font": FONT,
                "size": {"anyOf": [SIZE, {"const": "fit"}]}, "lines": POS_INT,
                "direction": {"enum": ["horizontal", "vertical", "竖排", "横排"]}, "tracking": EM,
                "kicker": HEAD_PART, "title": HEAD_PART, "subtitle": HEAD_PART, "color": CMYK, "bar": CMYK,
                "fit": _obj({"width": PERCENT, "min": SIZE, "max": SIZE}),
                "space_above": {"anyOf": [{"type": "number", "minimum": 0}, LENGTH]},
                "space_below": {"anyOf": [{"type": "number", "minimum": 0}, LENGTH]}})]},
            "section_head": {"anyOf": [{"type": "string"}, _obj({"text": {"type": "string"},
                                                                 "style": {"type": "string"}}, ("text",))]},
            "style": STYLE,
            "paragraph_styles": PARAGRAPH_STYLES,
            "byline": _obj({"font": FONT, "size": SIZE}),
            "subhead": _obj({"font": FONT, "size": SIZE, "align": ALIGN}),
            "body": _obj({"font": FONT, "size": SIZE, "leading": POSITIVE_LENGTH}),
            "encoding": {"type": "string"},
            "normalize_punctuation": {"type": "boolean"},
            "overlap": OVERLAP,
        }, ("article", "frames"))},
        "rules": {"type": "array", "items": _obj({
            "from": {"type": "array", "items": LENGTH, "minItems": 2, "maxItems": 2},
            "to": {"type": "array", "items": LENGTH, "minItems": 2, "maxItems": 2},
            "weight": LENGTH, "color": CMYK, "overprint": {"type": "boolean"}, "overlap": OVERLAP}, ("from", "to"))},
        "print": _obj({
            "standard": {"enum": list(STANDARDS) + ["X-1a", "PDF/X-1a", "1a", "X-4", "4"]},
            "bleed": LENGTH, "marks": {"type": "boolean"}, "ink_limit": PERCENT, "min_line": LENGTH,
            "rendering_intent": {"enum": list(RENDERING_INTENTS) + ["relative colorimetric", "absolute colorimetric"]},
            "black_point_compensation": {"type": "boolean"}, "jpeg_quality": {"type": "integer", "minimum": 30,
                                                                              "maximum": 100},
            "min_ppi": POS_INT,
            "press": {"anyOf": [{"enum": list(PRESS_CONDITIONS)}, _obj({
                "identifier": {"type": "string"}, "condition": {"type": "string"}, "registry": {"type": "string"},
                "profile": {"type": "string"}, "ink_limit": PERCENT}, ("identifier",))]}}),
        "images": {"type": "array", "items": _obj({
            **GEOMETRY, "id": {"type": "string"}, "file": {"type": "string"},
            "fit": {"enum": ["fit", "fill", "crop", "contain", "cover"]},
            "focus": {"type": "array", "items": PERCENT, "minItems": 2, "maxItems": 2},
            "photographer": {"type": "string"}, "page": POS_INT,
            "crop": _obj({k: PERCENT for k in ("left", "top", "right", "bottom")}),
            "caption": {"type": "string"}, "credit": {"type": "string"}, "standoff": LENGTH,
            "caption_style": _obj({"font": FONT, "size": SIZE}), "overlap": OVERLAP}, ("file",))},
        "boxes": {"type": "array", "items": _obj({
            **GEOMETRY, "frames": {"type": "array", "items": {"type": "string"}}, "padding": LENGTH,
            "border": {"anyOf": [{"const": False}, _obj({"weight": LENGTH, "style": {"enum": ["solid", "double",
                                                                                              "dashed"]},
                                                         "color": CMYK, "overprint": {"type": "boolean"}})]},
            "tint": CMYK, "overlap": OVERLAP,
            "label": {"anyOf": [{"type": "string"}, _obj({"text": {"type": "string"}, "frame": {"type": "string"},
                                                          "font": FONT, "size": SIZE, "align": ALIGN,
                                                          "lines": POS_INT,
                                                          "style": {"type": "string"}}, ("text",))]}})},
        "running_head": _obj({k: {"type": ["string", "integer"]} for k in ("paper", "section", "page", "editor",
                                                                         "designer")} | {}),
    }, ("page", "grid")),
}
LAYOUT_SCHEMA["properties"]["running_head"]["properties"].update({"font": FONT, "size": SIZE})
_NAME_SPEC = _obj({"text": {"type": "string"}, "picture": {"type": "string"}, "page": POS_INT, "font": FONT, "size": SIZE, "color": CMYK,
                   "tracking": EM})
LAYOUT_SCHEMA["properties"]["masthead"] = _obj({
    **GEOMETRY, "name": {"anyOf": [{"type": "string"}, _NAME_SPEC]}, "name_width": POSITIVE_LENGTH,
    "align": {"enum": ["left", "center"]}, "font": FONT, "size": SIZE,
    "issue": {"type": ["string", "integer"]}, "serial": {"type": "string"}, "pages": POS_INT,
    "web": {"type": "string"}, "lunar": {"type": "boolean"}, "rule": LENGTH, "color": CMYK}, ("name",))
_TABLE_ALIGN = {"enum": ["left", "center", "right", "decimal"]}
LAYOUT_SCHEMA["properties"]["tables"] = {"type": "array", "items": _obj({
    "id": {"type": "string"}, "file": {"type": "string"},
    "frames": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]},
    "header": {"anyOf": [{"type": "boolean"}, {"type": "integer", "minimum": 0, "maximum": 5}]},
    "align": {"anyOf": [_TABLE_ALIGN, {"type": "array", "items": _TABLE_ALIGN}]},
    "columns": {"type": "array", "items": _obj({"align": _TABLE_ALIGN, "width": POSITIVE_LENGTH})},
    "font": FONT, "size": SIZE,
    "header_style": _obj({"font": FONT, "size": SIZE, "align": ALIGN, "color": CMYK, "tint": CMYK}),
    "rules": {"enum": ["ruled", "lined"]}, "rule_weight": POSITIVE_LENGTH, "padding": LENGTH,
    "title": {"anyOf": [{"type": "string"}, TEXT_SPEC]}}, ("file", "frames"))}
_INDEX = _obj({
    **GEOMETRY, "title": {"anyOf": [{"const": False}, {"type": "string"}, TEXT_SPEC]},
    "stories": {"type": "array", "minItems": 1, "items": {"anyOf": [{"type": "string"}, _obj({
        "article": {"type": "string"}, "page": POS_INT, "headline": {"type": "string"},
        "summary": {"type": "string"}}, ("article",))]}},
    "font": FONT, "size": SIZE, "headline": TEXT_SPEC, "tint": CMYK, "border": LENGTH}, ("stories",))
LAYOUT_SCHEMA["properties"]["index"] = {"anyOf": [_INDEX, {"type": "array", "items": _INDEX}]}
LAYOUT_SCHEMA["properties"]["section_heads"] = {"type": "object", "additionalProperties": _obj({
    "font": FONT, "size": SIZE, "align": ALIGN, "tracking": EM, "color": CMYK,
    "bar": {"anyOf": [{"const": False}, CMYK]}, "rule": LENGTH, "rule_color": CMYK, "lines": POS_INT})}
_LINES = {"anyOf": [{"type": "number", "minimum": 0}, LENGTH]}
LAYOUT_SCHEMA["properties"]["headline_space"] = _obj({"above": _LINES, "below": _LINES})
LAYOUT_SCHEMA["properties"]["photo_credit"] = {"type": "string", "pattern": "\\{name\\}",
                                               "description": "house credit line, e.g. 本报记者 {name} 摄"}
