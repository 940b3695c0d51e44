"""Where a headline or subhead may break: between words, but not inside a date, a short title or
quotation, or just after a dash."""

from pagesetter.page.wordbreaks import word_starts


def breaks(text: str) -> list[str]:
    """``text`` cut at every offset where it may break."""
    cuts = [0, *sorted(word_starts(text)), len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:])]


def test_a_date_a_short_book_title_and_a_subtitles_dash_are_never_broken():
    text = "气象部门提醒：2026年11月30日起气温骤降"
    assert not [k for k in word_starts(text) if text[k - 1] in "年月" and text[k].isdigit()], breaks(text)
    parts = breaks("新版《岳阳楼记》首发 千年名篇再焕新彩")
    assert any("《岳阳楼记》" in p for p in parts), parts
    parts = breaks("——湖南人民出版社推出新版")
    assert parts[0] != "——", parts


def test_a_long_quotation_may_still_break_inside():
    parts = breaks("“我们要把论文写在祖国的大地上，把成果留在群众心里”")
    assert len(parts) > 2


def test_a_word_ending_in_year_or_month_may_still_break_before_a_number():
    assert not any(text[k - 1] in "年月" and text[k].isdigit() and text[k - 2].isdigit()
                   for text in ("2026年11月30日起气温骤降",) for k in word_starts(text))
    from pagesetter.page.wordbreaks import _in_date
    assert not _in_date("今年5名", 2) and not _in_date("每月3次", 2) and _in_date("11月30日", 3)
