"""A byline's lines (rules §6 and issue 10): one line when it fits one; else broken only
between names (at a space, a 、 or a comma), never inside one, and never between a name and
its role: 记者, 通讯员, 实习生 … before it, 摄, 文, 供图 … after it; never justified."""

from __future__ import annotations

import re

from pagesetter.compose.justify import Line
from pagesetter.compose.paragraph import compose_paragraph
from pagesetter.compose.segment import TextFonts
from pagesetter.compose.style import HouseStyle

_BETWEEN_NAMES = re.compile(r"[\s\u3000、，,；;]+")
# what a byline says a person is: a role before the name stays on the name's line (记者 张三),
# one after it (张三 摄) on the line of the name before
ROLES = frozenset("记者 本报记者 见习记者 特约记者 摄影记者 通讯员 特约通讯员 本报通讯员 实习生 摄影 编辑 责任编辑 "
                  "校对".split())
AFTER_NAMES = frozenset("摄 文 图 文/图 供图 制图 整理 编译 翻译 报道".split())
_OPENING = "（(【[□■"
_CLOSING = "）)】]"


def name_breaks(byline: str, roles: bool = True) -> frozenset[int]:
    """Offsets where a byline may break: after the space or mark that follows a name (with
    ``roles``, not between a role and its name)."""
    breaks, start = [], 0
    matches = list(_BETWEEN_NAMES.finditer(byline))
    for k, m in enumerate(matches):
        before = byline[start:m.start()].lstrip(_OPENING)
        after = byline[m.end():matches[k + 1].start() if k + 1 < len(matches) else len(byline)].rstrip(_CLOSING)
        if not roles or (before not in ROLES and after not in AFTER_NAMES):
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
