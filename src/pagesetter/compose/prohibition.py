"""Line-start and line-end prohibitions (禁则, rules §2): where a line may break.

All the rules about which characters may not begin or end a line live here;
the breaker only asks ``Breaks.allowed(k)``.
"""

from __future__ import annotations

from pagesetter.compose.classes import WESTERN_NO_END, WESTERN_NO_START, Cls
from pagesetter.compose.segment import DASH, HAN, JOIN_NEVER, JOIN_SEPARATOR, OPEN, SOLIDUS, WESTERN, Unit

_NO_START_BASIC = frozenset({Cls.CLOSE, Cls.COMMA, Cls.STOP, Cls.DOT, Cls.CONNECTOR, Cls.SOLIDUS})
# The rest of the CLReq / GB/T 15834 sets, marks the classes above do not hold: the ratio sign ∶,
# iteration marks, the hyphens and wave dashes, the rarer closing brackets; small kana and the
# prolonged sound mark only in strict; the rarer opening brackets and full-width prefix signs.
NO_START_MORE = frozenset("∶︰々〻ゝゞヽヾ〞〟｠〙〛﹚﹜﹞﹒﹑﹔﹕﹖﹗‐‑〜﹏゠")
NO_START_STRICT = frozenset("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿー")
NO_END_MORE = frozenset("〝｟〘〚﹙﹛﹝￡＃")
_RULED = NO_START_MORE | NO_START_STRICT | NO_END_MORE


def no_start(u: Unit, level: str) -> bool:
    """May ``u`` not begin a line?"""
    if level == "none":
        return False
    if u.cls in _NO_START_BASIC:
        return True
    if u.cls is WESTERN and u.text[0] in WESTERN_NO_START:
        return u.joined != JOIN_SEPARATOR  # a web address breaks before its . , - _ (Chicago's rule)
    if u.text[0] in NO_START_MORE:
        return True
    return level == "strict" and (u.cls is DASH or u.text[0] in NO_START_STRICT)


def no_end(u: Unit, level: str) -> bool:
    """May ``u`` not end a line?"""
    if level == "none":
        return False
    if u.cls is OPEN:
        return True
    if u.cls is WESTERN and u.text[-1] in WESTERN_NO_END or u.text[-1] in NO_END_MORE:
        return True
    return level in ("gb", "strict") and u.cls is SOLIDUS


def mark(units: list[Unit], level: str) -> list[bool]:
    """``allowed[k]``: may a line break before unit ``k``? (k = 0 and k = n are always allowed.)"""
    n = len(units)
    allowed = [True] * (n + 1)
    han = HAN
    # an ideograph may start and end a line: only the others are looked at
    ruled = [k for k, u in enumerate(units) if u.cls is not han or u.text in _RULED]
    for k in ruled:
        u = units[k]
        u.no_start = no_start(u, level)
        u.no_end = no_end(u, level)
    last = n - 1
    for k in ruled:
        u = units[k]
        if k and (u.no_start or u.joined == JOIN_NEVER):
            allowed[k] = False
        if u.no_end and k < last:
            allowed[k + 1] = False
    return allowed
