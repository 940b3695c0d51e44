"""Property tests: random mixes of Han, every punctuation class, digits, Latin and spaces."""

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pagesetter.compose import hyphenation, prohibition, segment
from pagesetter.compose.classes import (
    CLOSE_CHARS, COMMA_CHARS, CONNECTOR_CHARS, DOT_CHARS, OPEN_CHARS, SOLIDUS_CHARS, STOP_CHARS,
)
from pagesetter.compose.paragraph import ParagraphSetter
from pagesetter.compose.segment import TextFonts
from pagesetter.compose.style import HouseStyle
from pagesetter.fonts.metrics import FaceRef, metrics_for

FONT = Path(__file__).resolve().parents[2] / "fonts" / "NotoSerifSC-Regular.ttf"
FONTS = TextFonts(metrics_for(FaceRef(FONT)), metrics_for(FaceRef(FONT, 0, ("hwid",))))
SIZE = 9.0
TOLERANCE_EM = 0.01 / SIZE  # ±0.01 pt at 9 pt

HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于进"
tokens = st.one_of(
    st.sampled_from(list(HAN)),
    st.sampled_from(list(OPEN_CHARS + CLOSE_CHARS + COMMA_CHARS + STOP_CHARS + DOT_CHARS + CONNECTOR_CHARS
                         + SOLIDUS_CHARS + "—")),
    st.sampled_from(["——", "……", "⸺"]),
    st.from_regex(r"[0-9]{1,4}(\.[0-9]{1,2})?%?", fullmatch=True),
    st.from_regex(r"[A-Za-z]{1,5}", fullmatch=True),
    st.sampled_from([" ", ",", ".", "(", ")", "!", "?", ":", "¥", "1,200"]),
    st.sampled_from(["Internationalization", "typesetting", "UNESCO", "www.hyphenation.org", "e-commerce"]),
)
texts = st.lists(tokens, min_size=1, max_size=80).map("".join)
styles = st.builds(
    HouseStyle,
    prohibition=st.sampled_from(["none", "basic", "gb", "strict"]),
    punctuation=st.sampled_from(["kaiming", "quanjiao", "banjiao", "hangmobanjiao"]),
    stop_beside_mark=st.sampled_from([0.5, 1.0]),
    push=st.sampled_from(["in-first", "out-only"]),
    orphan_min=st.sampled_from([0, 2]),
    hanging_punctuation=st.booleans(),
    first_line_indent=st.sampled_from([0.0, 1.0, 2.0]),
    breaking=st.sampled_from(["total-fit", "first-fit"]),
    hyphenate=st.booleans(),
)
measures = st.floats(min_value=6.0, max_value=30.0).map(lambda m: round(m, 2))

RUN = re.compile(r"——|……|⸺|[¥$]?[0-9]+(?:[.,][0-9]+)*%?|[A-Za-z]+")
HYPHENS = (hyphenation.HYPHEN, hyphenation.HYPHEN_MINUS)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def compose(text, style, measure):
    setter = ParagraphSetter(text, FONTS, style)
    lines = []
    while not setter.done:
        lines.append(setter.next_line(measure))
    return setter.units, lines


@SETTINGS
@given(texts, styles, measures)
def test_nothing_lost_or_duplicated(text, style, measure):
    units, lines = compose(text, style, measure)
    if not units:
        assert text.strip() == ""
        return
    assert "".join(line.text for line in lines) == text


@SETTINGS
@given(texts, styles, measures)
def test_prohibitions_hold_or_are_reported(text, style, measure):
    units, lines = compose(text, style, measure)
    for k, line in enumerate(lines):
        i, j = line.unit_range
        if k > 0 and prohibition.no_start(units[i], style.prohibition):
            assert lines[k - 1].violation, f"{line.text!r} starts with a no-start mark"
        if not line.last and prohibition.no_end(units[j - 1], style.prohibition):
            assert line.violation, f"{line.text!r} ends with a no-end mark"


@SETTINGS
@given(texts, styles, measures)
def test_justified_lines_fill_the_measure_and_none_exceeds_it(text, style, measure):
    units, lines = compose(text, style, measure)
    for line in lines:
        assert line.width <= measure + TOLERANCE_EM, line.text
        if line.last or line.violation or line.loose_reason and line.loose_reason.startswith("no gap"):
            continue
        assert abs(line.width - measure) <= TOLERANCE_EM, (line.text, line.width, measure, line.how)
        if line.hang:
            assert line.hang <= 0.5 + 1e-9


@SETTINGS
@given(texts, styles, measures)
def test_unbreakable_runs_never_split(text, style, measure):
    units, lines = compose(text, style, measure)
    cuts, pos = {}, 0
    for line in lines[:-1]:
        pos += len(line.text)
        cuts[pos] = line
    # a web or e-mail address (as segment finds them) may break inside a word as a last resort
    urls = [u.span() for pattern in (segment._URL, segment._EMAIL, segment._DOMAIN) for u in pattern.finditer(text)]
    for m in RUN.finditer(text):
        if any(a <= m.start() < b for a, b in urls):
            continue
        for cut in set(range(m.start() + 1, m.end())) & set(cuts):
            line = cuts[cut]
            if line.violation and "wider than the measure" in line.violation:
                continue  # a run wider than the whole measure may be split, and that is reported
            # else only a word at a hyphenation point: the line ends with a hyphen its text lacks
            assert style.hyphenate and cut - m.start() in hyphenation.word_points(m.group()), f"{m.group()!r} split"
            assert line.glyphs[-1].char in HYPHENS and line.text[-1] not in HYPHENS, line.text


@SETTINGS
@given(texts, styles, measures)
def test_glyphs_spell_the_text_but_the_hyphens_added(text, style, measure):
    units, lines = compose(text, style, measure)
    for line in lines:
        drawn = "".join(g.char for g in line.glyphs)
        if drawn and drawn[-1] in HYPHENS and not line.text.rstrip().endswith(drawn[-1]):
            assert style.hyphenate and not line.last and line.text[-1].isalpha(), line.text
            drawn = drawn[:-1]
        # every character but spaces has its glyph, in order (stand-ins: the 2-em dash drawn as one rule)
        assert drawn == "".join(c for c in line.text if not c.isspace()), (line.text, drawn)


@SETTINGS
@given(texts, styles, measures)
def test_glyphs_stay_inside_the_line(text, style, measure):
    units, lines = compose(text, style, measure)
    for line in lines:
        for g in line.glyphs:
            # a trimmed opening bracket's frame may start left of the line; its ink does not
            # (a hugging ‘ gives up more than ½ em of its frame: its ink is what counts)
            x = g.x + (g.font.ink(g.char)[0] if g.char == "‘" else 0.0)
            assert x >= -0.5 - 1e-9
            assert g.x <= measure + 0.5 + 1e-9
