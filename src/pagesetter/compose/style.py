"""House style: every composition rule that papers set differently (rules §0).

Defaults are the clreq-style column of §0; ``layouts/house.yaml`` holds the demo
paper's own style. Widths are in em of the body size.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

PROHIBITION_LEVELS = ("none", "basic", "gb", "strict")
PUNCTUATION_STYLES = ("kaiming", "quanjiao", "banjiao", "hangmobanjiao")
PUSH_POLICIES = ("in-first", "out-only")
WESTERN_GLYPHS = ("proportional", "halfwidth")
BREAKING = ("total-fit", "first-fit")
SINGLE_QUOTE_WIDTHS = ("hug", "half-em")

# Chinese names an editor may write for the punctuation styles.
PUNCTUATION_ALIASES = {
    "开明": "kaiming", "开明式": "kaiming", "全角": "quanjiao", "全角式": "quanjiao",
    "半角": "banjiao", "半角式": "banjiao", "北京式": "banjiao",
    "行末半角": "hangmobanjiao", "行末半角式": "hangmobanjiao",
}


@dataclass(frozen=True)
class HouseStyle:
    """The house style of composition (rules §0): every setting a paper may state in its layout."""

    prohibition: str = "gb"
    punctuation: str = "kaiming"
    # Width of a sentence stop (。！？) set next to another mark: 1.0 gives the
    # clreq pair of 1.5 em for 。”, 0.5 gives 1 em.
    stop_beside_mark: float = 1.0
    cjk_latin_space: float = 0.25
    cjk_latin_min: float = 0.125
    cjk_latin_max: float = 0.5
    push: str = "in-first"
    # Minimum Han characters on a paragraph's last line; 0 turns orphan control off.
    orphan_min: int = 2
    hanging_punctuation: bool = False
    first_line_indent: float = 2.0
    western_glyphs: str = "proportional"
    # Fixed widths (em) for single Western characters, e.g. (('.', 0.25), ('%', 0.83)):
    # newspaper 书宋 fonts set the point a quarter em and the percent sign wider.
    western_widths: tuple[tuple[str, float], ...] = ()
    # A justified line with a gap opened this wide (or wider) is loose: reported, and
    # the total-fit breaker's unit of stretch (a line stretched this far costs 100).
    max_gap: float = 0.25
    # total-fit: the paragraph's breaks chosen together (Knuth–Plass); first-fit: line by line.
    breaking: str = "total-fit"
    # Fewest lines of a paragraph at the foot (first lines) and at the top (last lines) of a
    # column; 1 lets a single line stand there (孤行).
    keep_first_lines: int = 2
    keep_last_lines: int = 2
    # hug: ‘’ are cut to their ink as “” are (their glyphs are narrower); half-em: set in ½ em
    single_quotes: str = "hug"
    # Long Latin words in body text may break at their hyphenation points (en_US), with a hyphen.
    hyphenate: bool = True

    def merged(self, **overrides) -> "HouseStyle":
        return replace(self, **overrides)


STYLE_FIELDS = {f.name: f for f in fields(HouseStyle)}
