"""Word boundaries of headlines and subheads, from jieba's segmenter.

A headline or subhead that needs more than one line breaks only between words
(护送 / 走失, never 护 / 送走失). The segmenter is jieba-rs (the ``rjieba``
binding): jieba's dictionary and algorithm, whose dictionary loads in about
0.15 s where the Python package's takes over a second. It is imported only
when such a break is needed, and its answers are kept on disk beside the font
cache, keyed by the text, so a page whose headlines have been set before
never loads it.
"""

from __future__ import annotations

from functools import lru_cache

from pagesetter.compose.totalfit import number_unit
from pagesetter.diskcache import read_index, write_index

_FILE = "words-2.marshal"  # 2: jieba-rs (keeps "two-line" whole where jieba split it)
_known: dict[str, list[int]] | None = None


def word_starts(text: str) -> frozenset[int]:
    """Offsets in ``text`` where a word other than the first begins: never between a number and
    the unit or part of a date after it, which the segmenter may part (56.78 / 亿元, 1.8 / 万亿,
    2026年11月 / 30日), never just after a dash (a subtitle's —— alone on a line), and never inside
    a short book title or quotation (《岳阳楼 / 记》)."""
    return _word_starts(text)


def _in_date(text: str, k: int) -> bool:
    """Is ``k`` inside a date, after a number's 年 or 月 and before the next number (2026年11月 / 30日)?
    Not after a word's (今年 / 5名, 每月 / 3次)."""
    return k >= 2 and text[k - 1] in "年月" and text[k - 2].isdigit() and text[k].isdigit()


QUOTED = {"《": "》", "“": "”", "「": "」", "〈": "〉"}
SHORT_QUOTE = 10  # characters: a longer title or quotation may break inside like any text


def _kept(text: str) -> set[int]:
    """Offsets inside a short book title or quotation."""
    kept, k = set(), 0
    while k < len(text):
        close = QUOTED.get(text[k])
        end = text.find(close, k + 1) if close else -1
        if end > 0 and end - k - 1 <= SHORT_QUOTE:
            kept.update(range(k + 1, end + 1))
            k = end
        k += 1
    return kept


@lru_cache(maxsize=1024)
def _word_starts(text: str) -> frozenset[int]:
    known = _load()
    offsets = known.get(text)
    if offsets is None:
        offsets = _segment(text)
        known[text] = offsets
        _save(known)
    kept = _kept(text)
    return frozenset(k for k in offsets if not number_unit(text[k - 1], text[k]) and k not in kept
                     and not _in_date(text, k) and text[k - 2:k] != "——")


def _segment(text: str) -> list[int]:
    import rjieba  # noqa: PLC0415 — its dictionary loads on first use: only when a headline needs a break

    offsets, pos = [], 0
    for word in rjieba.cut(text, True):
        if pos:
            offsets.append(pos)
        pos += len(word)
    return offsets


def _load() -> dict[str, list[int]]:
    global _known
    if _known is None:
        _known = {k: v for k, v in read_index(_FILE).items() if isinstance(v, list)}
    return _known


def _save(known: dict[str, list[int]]) -> None:
    write_index(_FILE, known)
