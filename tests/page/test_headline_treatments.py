"""Headline colour, reverse type on a bar, size: fit, section heads (栏头) and house headline spacing."""

import textwrap
from pathlib import Path

import pytest

from pagesetter.errors import PagesetterError
from pagesetter.layout.loader import load_layout
from pagesetter.page.flow import compose_page

ROOT = Path(__file__).resolve().parents[2]
A = ROOT / "articles"

BASE = f"""\
name: t
date: 2021-12-03
page: {{size: 四开, margins: 15mm}}
grid: {{columns: 6, gutter: 1字, body: {{font: 书宋, size: 小五, leading: 13pt}}}}
style: {ROOT / 'layouts' / 'house.yaml'}
section_heads:
  police: {{font: 黑体 bold, size: 14pt, bar: 报红, rule: 1pt}}
  plain: {{font: 楷体, size: 16pt, bar: false, color: 报红}}
frames:
  a: {{column: 1, span: 4, line: 1, lines: 28}}
  b: {{column: 5, span: 2, line: 1, lines: 40}}
  c: {{column: 1, span: 3, line: 30, lines: 40}}
  d: {{column: 4, span: 3, line: 42, lines: 36}}
"""


def page_of(tmp_path: Path, stories: str, extra: str = ""):
    path = tmp_path / "t.yaml"
    path.write_text(BASE + textwrap.dedent(extra) + "stories:\n" + textwrap.indent(textwrap.dedent(stories), "  "),
                    encoding="utf-8")
    return compose_page(load_layout(path))


def rgb(color):
    return (color.c, color.m, color.y, color.k)


def test_colour_per_stack_and_per_part(tmp_path):
    page = page_of(tmp_path, f"""\
        - article: {A / '11-qiyang.md'}
          frames: [a]
          headline: {{size: 30pt, color: 报红, kicker: {{font: 楷体, color: [100, 0, 0, 0]}}}}
        """)
    head = [p for p in page.lines if p.role == "headline"]
    kicker = [p for p in page.lines if p.role == "kicker"]
    assert head and all(rgb(p.color) == (0, 100, 100, 0) for p in head)
    assert kicker and all(rgb(p.color) == (100, 0, 0, 0) for p in kicker)
    assert "WenKai" in str(kicker[0].line.glyphs[0].font.ref.path)
    body = [p for p in page.lines if p.role == "body"]
    assert all(p.color.is_black for p in body)


def test_reverse_type_on_a_bar(tmp_path):
    page = page_of(tmp_path, f"""\
        - article: {A / '09-xiangxiang.md'}
          frames: [c]
          headline: {{size: 18pt, bar: black}}
        """)
    [(bar, color)] = page.fills
    assert rgb(color) == (0, 0, 0, 100)
    stack = [p for p in page.lines if p.role in ("kicker", "headline")]
    for p in stack:
        assert rgb(p.color) == (0, 0, 0, 0)  # white: reverse type
        assert bar.y < p.baseline - 0.88 * p.size and p.baseline + 0.12 * p.size < bar.bottom  # inside the bar
        assert p.x >= bar.x + 4 and p.x + p.line.width * p.size <= bar.right - 4  # clear of its ends
    first_body = min(p.baseline for p in page.lines if p.role == "body")
    assert first_body > bar.bottom


def test_size_fit_fills_the_share_of_the_width(tmp_path):
    page = page_of(tmp_path, f"""\
        - article: {A / '10-miluo.md'}
          frames: [a]
          headline: {{size: fit, fit: {{width: 90%, min: 12pt, max: 80pt}}}}
        """)
    [title] = [p for p in page.lines if p.role == "headline"]
    frame = page.layout.frames["a"].box
    share = title.line.width * title.size / frame.width
    assert 0.85 <= share <= 0.90 + 1e-6
    assert 12 <= title.size <= 80
    kicker = [p for p in page.lines if p.role == "kicker"][0]
    assert kicker.size < title.size / 1.5  # kicker and subtitle do not grow with the fitted size
    with pytest.raises(PagesetterError, match="fit: goes with size: fit"):
        page_of(tmp_path, f"""\
            - article: {A / '10-miluo.md'}
              frames: [a]
              headline: {{size: 20pt, fit: {{width: 90%}}}}
            """)


def test_section_heads_over_a_story_and_as_a_box_label(tmp_path):
    page = page_of(tmp_path, f"""\
        - article: {A / '04-jiangyong.md'}
          frames: [b]
          section_head: {{text: 永州公安, style: police}}
          headline: {{size: 14pt}}
        - article: {A / '02-lengshuitan.md'}
          frames: [d]
        """, """\
        boxes:
          - frames: [d]
            label: {text: 法治在线, style: plain}
        """)
    heads = [p for p in page.lines if p.role == "section_head"]
    assert [p.line.text for p in heads] == ["法治在线", "永州公安"]
    police = heads[1]
    assert rgb(police.color) == (0, 0, 0, 0)  # reverse on the red bar
    bar = next(b for b, c in page.fills if rgb(c) == (0, 100, 100, 0))
    assert bar.x <= police.x and police.x + police.line.width * police.size <= bar.right
    assert rgb(heads[0].color) == (0, 100, 100, 0)
    # the section head comes first, then the headline stack, then the text
    headline = next(p for p in page.lines if p.role == "headline" and p.story == "04-jiangyong")
    assert police.baseline < headline.baseline
    with pytest.raises(PagesetterError, match="no section head style called 'polise'; did you mean 'police'"):
        page_of(tmp_path, f"""\
            - article: {A / '04-jiangyong.md'}
              frames: [b]
              section_head: {{text: 永州公安, style: polise}}
            """)


def gaps(page) -> dict[str, float]:
    """Per story: from the last headline line's em box to the first body line's em box, pt."""
    out = {}
    for story in {p.story for p in page.lines if p.role == "headline"}:
        head = [p for p in page.lines if p.story == story and p.role in ("kicker", "headline", "subtitle")]
        body = [p for p in page.lines if p.story == story and p.role == "body"]
        last = max(head, key=lambda p: p.baseline)
        first = min(body, key=lambda p: p.baseline)
        out[story] = (first.baseline - 0.88 * first.size) - (last.baseline + 0.12 * last.size)
    return out


def test_house_headline_spacing_makes_every_gap_the_same(tmp_path):
    stories = f"""\
        - article: {A / '11-qiyang.md'}
          frames: [a]
          headline: {{size: 36pt}}
        - article: {A / '10-miluo.md'}
          frames: [b]
          headline: {{size: 15pt}}
        - article: {A / '09-xiangxiang.md'}
          frames: [c]
          headline: {{size: 18pt, subtitle: "——副题在此"}}
        - article: {A / '05-xintian.md'}
          frames: [d]
          headline: {{size: 22pt}}
        """
    before = gaps(page_of(tmp_path, stories))
    assert max(before.values()) - min(before.values()) > 1  # without the setting the gaps swing
    page = page_of(tmp_path, stories, "headline_space: {above: 0, below: 1}\n")
    after = gaps(page)
    pitch = page.layout.pitch
    for story, gap in after.items():
        assert gap == pytest.approx(pitch, abs=0.01), story
    # a story may override it
    page = page_of(tmp_path, stories.replace("{size: 15pt}", "{size: 15pt, space_below: 0.5}"),
                   "headline_space: {above: 0, below: 1}\n")
    assert gaps(page)["10-miluo"] == pytest.approx(pitch / 2, abs=0.01)
