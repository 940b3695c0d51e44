from pagesetter.compose import prohibition
from pagesetter.compose.segment import segment
from pagesetter.compose.style import HouseStyle


def allowed(text, fonts, level="gb"):
    units = segment(text, fonts, HouseStyle(prohibition=level))
    ok = prohibition.mark(units, level)
    return {units[k].text: ok[k] for k in range(1, len(units))}


def test_closing_marks_may_not_start_a_line(fake_fonts):
    a = allowed("字，字。字”字）字、字", fake_fonts)
    assert not any(a[m] for m in "，。”）、")


def test_opening_marks_may_not_end_a_line(fake_fonts):
    units = segment("字“字（字《字", fake_fonts, HouseStyle())
    ok = prohibition.mark(units, "gb")
    for k, u in enumerate(units):
        if u.text in "“（《":
            assert not ok[k + 1]


def test_levels(fake_fonts):
    assert allowed("字，字", fake_fonts, "none")["，"]
    assert allowed("字——字", fake_fonts, "gb")["——"]
    assert not allowed("字——字", fake_fonts, "strict")["——"]
    # gb: a solidus may not end a line either
    units = segment("字／字", fake_fonts, HouseStyle())
    assert not prohibition.mark(units, "gb")[2]
    assert prohibition.mark(units, "basic")[2]


def test_number_may_break_from_the_unit_after_it(fake_fonts):
    assert allowed("近16000家", fake_fonts)["家"]


def test_latin_punctuation_after_han(fake_fonts):
    a = allowed("壁挂机,对专家", fake_fonts)
    assert not a[","]


def test_a_web_address_may_break_before_its_dots_and_hyphens_not_after(fake_fonts):
    """Chicago's rule for web addresses: the . or - goes to the start of the next line, where a
    reader sees the address goes on; a sentence's own full stop still may not start a line."""
    text = "见www.ai-expo.gov.cn网站. 完"
    units = segment(text, fake_fonts, HouseStyle())
    ok = prohibition.mark(units, "gb")
    before = {k: ok[k] for k, u in enumerate(units) if k}
    starts = {k: units[k].text for k in before}
    dots = [k for k, t in starts.items() if t in ".-" and units[k].joined]
    assert dots and all(before[k] for k in dots)
    after_dot = [k + 1 for k in dots if units[k + 1].joined]
    assert all(units[k].joined != 1 for k in after_dot)  # after a dot is inside a word: a last resort
    plain = [k for k, u in enumerate(units) if u.text.startswith(".") and not u.joined]
    assert plain and all(not ok[k] for k in plain)


def test_latin_runs_written_on_to_each_other_part_only_as_a_last_resort(serif_fonts):
    # US$500 is two runs (a currency sign starts the second), China. and (really) are runs and marks:
    # a break between them is a last resort, never taken where the line can be set otherwise
    from pagesetter.compose.linebreak import Breaker
    from pagesetter.compose.paragraph import compose_paragraph
    text = "不少于US$500 million。China. The (really) end，据统计今年共有US$500万元投入使用。"
    units = segment(text, serif_fonts, HouseStyle())
    ok = prohibition.mark(units, "gb")
    last_resort = set(Breaker(units, ok, HouseStyle(), 2.0).hyphens)
    for k, u in enumerate(units):
        if u.text == "$500":
            assert k in last_resort
        elif u.text in ("really", ")") or (u.text == "." and units[k - 1].text == "China"):
            assert not ok[k], u.text  # after ( and before . ) no line breaks at all
    for style in (HouseStyle(), HouseStyle(breaking="first-fit")):
        for measure in (9.0, 11.0, 14.0, 17.0):
            lines = [line.text for line in compose_paragraph(text, serif_fonts, style, measure)]
            assert not any(line.endswith("US") for line in lines[:-1]), (measure, lines)
    # a run of them wider than the line breaks between them, with no violation (it was unbreakable)
    wide = "中文" + "US$500,000(approx.)" * 3 + "结束。"
    lines = compose_paragraph(wide, serif_fonts, HouseStyle(), 8.0, indent=0.0)
    assert "".join(line.text for line in lines) == wide and not any(line.violation for line in lines)


def test_justification_opens_no_gap_inside_latin_runs_written_together(serif_fonts):
    from pagesetter.compose.paragraph import compose_paragraph
    text = "The fans in China. They said it was incredible, and US$500 was raised by friends of the team today."
    for measure in (9.0, 11.0, 14.0):
        for line in compose_paragraph(text, serif_fonts, HouseStyle(), measure):
            if line.last:
                continue
            xs = {g.char: g.x for g in line.glyphs}
            for word, mark in (("China", "."), ("incredible", ",")):
                if word in line.text and word + mark in line.text:
                    k = line.text.index(word + mark) + len(word)
                    after = [g for g in line.glyphs if g.char == mark][0]
                    last = [g for g in line.glyphs if g.char == word[-1]][-1]
                    # the mark follows the letter at the letter's advance, no justification space between
                    assert after.x - last.x < 0.7, (line.text, k, xs)


def test_a_space_between_latin_text_and_chinese_is_a_word_space_not_an_em(serif_fonts):
    units = segment("e.g. 文字", serif_fonts, HouseStyle())
    han = [u for u in units if u.text == "文"][0]
    assert 0.2 < han.glue < 0.3


def test_e_mail_and_bare_web_addresses_break_only_at_their_separators(serif_fonts):
    from pagesetter.compose.paragraph import compose_paragraph
    text = "发送邮件至service@example-traffic.gov.cn咨询，或访问read.example.cn/books/yueyanglou购买。"
    for style in (HouseStyle(), HouseStyle(breaking="first-fit")):
        for measure in (9.0, 11.0, 14.0, 17.0):
            lines = compose_paragraph(text, serif_fonts, style, measure)
            assert "".join(line.text for line in lines) == text
            for a, b in zip(lines, lines[1:]):
                # never ser-vice@ (hyphenated) nor yueyanglo / u: a break before @ . / - or, as a last
                # resort, inside a word with three letters on each side
                latin = lambda t: t.isascii() and t.isalnum()  # noqa: E731
                assert not (latin(a.text[-1]) and latin(b.text[0])) or (
                    latin(a.text[-3:]) and latin(b.text[:3])), (measure, a.text, b.text)
                assert "".join(g.char for g in a.glyphs)[-1] not in "-‐" or a.text.endswith("-")


def test_inside_a_word_of_a_web_address_a_break_needs_three_characters_each_side(fake_fonts):
    units = segment("见https://tjj.example.gov.cn/index.html。", fake_fonts, HouseStyle())
    ok = prohibition.mark(units, "gb")
    breakable = {"".join(u.text for u in units[:k])[-4:] + "|" + units[k].text for k in range(1, len(units)) if ok[k]}
    assert "ps:/|/" not in breakable and "ndex|." in breakable
    assert not any(b.startswith(("htt|", "x.ht|", "tjj.|e")) for b in breakable)
    assert ".htm|l" not in breakable and "ind|e" not in breakable
