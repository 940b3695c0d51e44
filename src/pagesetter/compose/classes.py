"""Character classes of Chinese composition (cjk-typesetting-rules §1), as data.

Each punctuation class has a nominal 1-em frame with a blank part on each side;
the style rules later decide how much of each blank survives.
"""

from __future__ import annotations

from enum import Enum


class Cls(str, Enum):
    HAN = "han"              # ideographs, kana, full-width forms: solid 1 em
    OPEN = "open"            # opening brackets and quotes
    CLOSE = "close"          # closing brackets and quotes
    COMMA = "comma"          # in-sentence pause marks
    STOP = "stop"            # sentence-end marks
    DOT = "dot"              # middle dots
    DASH = "dash"            # —— and ……, one 2-em unit
    CONNECTOR = "connector"  # ～ – - — (single)
    SOLIDUS = "solidus"      # / ／
    WESTERN = "western"      # Latin words, numbers and Latin punctuation
    SPACE = "space"          # ideographic space and other fixed blanks

    # a class is looked up in sets and tables for every mark set: hashed as its value, in C
    # (Enum's own __hash__ is a Python call, and hashes the name, not the value it equals)
    __hash__ = str.__hash__


OPEN_CHARS = "“‘（《〈【〖〔［｛「『"
CLOSE_CHARS = "”’）》〉】〗〕］｝」』"
COMMA_CHARS = "，、；："
STOP_CHARS = "。．！？‼⁇⁈⁉"
DOT_CHARS = "·・‧"
CONNECTOR_CHARS = "～–"
SOLIDUS_CHARS = "／"
DASH_UNITS = ("——", "……", "⋯⋯")
DASH_SINGLE = ("⸺",)  # already a 2-em dash glyph

# Where the ink sits in the nominal 1-em frame: (left blank, right blank) in em.
FRAME_BLANKS = {
    Cls.OPEN: (0.5, 0.0),
    Cls.CLOSE: (0.0, 0.5),
    Cls.COMMA: (0.0, 0.5),
    Cls.STOP: (0.0, 0.5),
    Cls.DOT: (0.25, 0.25),
}

# Unit signs that follow a number and never start a line (§2, NO_START_BASIC).
UNIT_SUFFIXES = "%‰℃°′″％℉"
# Currency and number signs that precede a number and never end a line (§2, NO_END_BASIC).
PREFIX_SIGNS = "¥$£€#￥＄"
# Latin punctuation and unit signs that may not start a line.
WESTERN_NO_START = set(",.;:!?)]}") | set(UNIT_SUFFIXES)
# Latin opening brackets and prefix signs that may not end a line.
WESTERN_NO_END = set("([{") | set(PREFIX_SIGNS)
# Connector and solidus widths are fixed (§1): the long connectors 1 em, the short ones ½ em.
FIXED_WIDTHS = {"～": 1.0, "—": 1.0, "–": 0.5, "-": 0.5, "／": 0.5, "/": 0.5}

_TABLE: dict[str, Cls] = {}
for _chars, _cls in (
    (OPEN_CHARS, Cls.OPEN), (CLOSE_CHARS, Cls.CLOSE), (COMMA_CHARS, Cls.COMMA),
    (STOP_CHARS, Cls.STOP), (DOT_CHARS, Cls.DOT), (CONNECTOR_CHARS, Cls.CONNECTOR),
    (SOLIDUS_CHARS, Cls.SOLIDUS),
):
    for _ch in _chars:
        _TABLE[_ch] = _cls


def char_class(ch: str) -> Cls:
    """The class of one character outside a Latin run."""
    cls = _TABLE.get(ch)
    if cls is not None:
        return cls
    if ch == "\u2014":  # a lone em dash is a connector; pairs are DASH units
        return Cls.CONNECTOR
    if ch == "\u3000":
        return Cls.SPACE
    if ch in UNIT_SUFFIXES or ch in PREFIX_SIGNS:
        return Cls.WESTERN
    if ch == "/":
        return Cls.SOLIDUS
    if ch == "-":
        return Cls.CONNECTOR
    if ch.isascii() or is_latin(ch):
        return Cls.WESTERN
    return Cls.HAN


def is_latin(ch: str) -> bool:
    """Latin, Greek and Cyrillic letters outside ASCII (é, ß, α …)."""
    o = ord(ch)
    return 0x00C0 <= o <= 0x024F or 0x0370 <= o <= 0x04FF


def is_alnum_western(ch: str) -> bool:
    """A character that takes CJK–Latin spacing next to Han."""
    return (ch.isascii() and ch.isalnum()) or is_latin(ch)
