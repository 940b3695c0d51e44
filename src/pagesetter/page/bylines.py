"""A byline's lines (rules §6 and issue 10): one line when it fits one; else broken only
between names (at a space, a 、 or a comma), never inside one, and never after a role
(记者, 通讯员, 实习生, 摄影 …), which stays with the name it introduces; never justified."""

from __future__ import annotations

import re

from pagesetter.compose.justify import Line
from pagesetter.compose.paragraph import compose_paragraph
from pagesetter.compose.segment import TextFonts
from pagesetter.compose.style import HouseStyle

_BETWEEN_NAMES = re.compile(r"[\s\u3000、，,；;]+")
# what a byline says a person is: kept on the line of the name after it
ROLES = frozenset("记者 本报记者 见习记者 特约记者 摄影记者 通讯员 特约通讯员 本报通讯员 实习生 摄影 摄 文 图 文/图 "
                  "编辑 责任编辑 校对 供图 制图 翻译 编译 整理".split())
_OPENING = "（(【[□■"


def name_breaks(byline: str, roles: bool = True) -> frozenset[int]:
    """Offsets where a byline may break: after the space or mark that follows a name (with
    ``roles``, not one that follows a role)."""
    breaks, start = [], 0
    for m in _BETWEEN_NAMES.finditer(byline):
        if not roles or byline[start:m.start()].lstrip(_OPENING) not in ROLES:
            breaks.append(m.end())
        start = m.end()
    return frozenset(breaks)


def byline_lines(byline: str, fonts: TextFonts, style: HouseStyle, measure: float) -> list[Line]:
    """The lines of ``byline`` at ``measure`` em, ragged; broken between names where it needs more
    than one, a role kept with its name (after the role only when the two are wider than the
    measure; inside a name only when a name alone is)."""
    lines = compose_paragraph(byline, fonts, style, measure, indent=0.0, justify=False)
    if len(lines) > 1:
        for roles in (True, False):
            by_name = compose_paragraph(byline, fonts, style, measure, indent=0.0, justify=False,
                                        words=name_breaks(byline, roles))
            if not any(line.violation for line in by_name):
                return by_name
    return lines
