"""Column rules (栏线): a hairline in each gutter between two columns that both hold text.

A rule runs where the text of both columns runs, and stops short (by the house
gap) of anything that crosses its gutter: headline stacks, pictures, box
borders and labels. ``grid: {column_rules: true}`` turns rules on for every
frame; ``rules: true|false`` on a frame decides for that frame.
"""

from __future__ import annotations

from dataclasses import dataclass

from pagesetter.layout.model import Box, PageLayout
from pagesetter.page.placed import EM_BOX_ASCENT, ComposedPage, Stroke

TEXT_ROLES = ("body", "subhead", "byline", "jump")
STACK_ROLES = ("kicker", "headline", "subtitle", "box_label")


@dataclass
class _Column:
    """A column's text extent, between whose neighbours a column rule may run."""

    left: float
    right: float
    top: float     # the text's extent: top of its first line's em box …
    bottom: float  # … to the foot of its last


def column_rules(layout: PageLayout, page: ComposedPage) -> None:
    enabled = {fid for fid, f in layout.frames.items() if (f.rules if f.rules is not None else layout.column_rules)}
    if not enabled:
        return
    columns = _text_columns(layout, page, enabled)
    m = layout.makeup
    gap = m.rule_gap if m.rule_gap is not None else layout.pitch / 2
    blocks = _crossings(layout, page)
    segments: dict[float, list[tuple[float, float]]] = {}
    for a in columns:
        for b in columns:
            if b is a or not (a.right - 0.5 <= b.left <= a.right + max(2.5 * layout.body.size, 1.5 * layout.gutter)):
                continue
            top, bottom = max(a.top, b.top), min(a.bottom, b.bottom)
            if bottom - top < layout.pitch:
                continue
            if any(c is not a and c is not b and c.left < b.left and c.right > a.right and c.top < bottom
                   and c.bottom > top for c in columns):
                continue  # another column sits in between
            x = round((a.right + b.left) / 2, 2)
            pieces = [(top, bottom)]
            for box in blocks:
                if box.x < b.left and box.right > a.right:
                    pieces = _cut(pieces, box.y - gap, box.bottom + gap)
            segments.setdefault(x, []).extend(p for p in pieces if p[1] - p[0] >= layout.pitch)
    for x in sorted(segments):
        for y1, y2 in _union(segments[x]):
            page.strokes.append(Stroke(x, y1, x, y2, m.rule_weight, m.rule_color))


def _text_columns(layout: PageLayout, page: ComposedPage, enabled: set[str]) -> list[_Column]:
    extents: dict[tuple[str, int], list[float]] = {}
    for p in page.lines:
        if p.frame in enabled and p.role in TEXT_ROLES and p.grid_line is not None and not p.vertical:
            top, bottom = p.baseline - EM_BOX_ASCENT * p.size, p.baseline + (1 - EM_BOX_ASCENT) * p.size
            e = extents.setdefault((p.frame, p.column), [top, bottom])
            e[0], e[1] = min(e[0], top), max(e[1], bottom)
    columns = []
    for (fid, c), (top, bottom) in sorted(extents.items()):
        frame = layout.frames[fid]
        x = frame.column_x(c)
        columns.append(_Column(x, x + frame.column_width, top, bottom))
    return columns


def _crossings(layout: PageLayout, page: ComposedPage) -> list[Box]:
    """What a rule may not run through: headline stacks, pictures, box borders and labels."""
    out = []
    for p in page.lines:
        if p.role in STACK_ROLES:
            if p.vertical:
                out.append(Box(p.x, p.baseline, p.size, p.line.width * p.size))
            else:
                out.append(Box(p.x, p.baseline - EM_BOX_ASCENT * p.size, p.line.width * p.size, p.size))
    for story in layout.stories:
        if story.headline and story.headline.frame is not None:
            out.append(layout.frames[story.headline.frame].box)
    out.extend(i.image.box for i in page.images)
    for deco in layout.boxes:
        a, w = deco.area, max(deco.weight, 0.1)
        if deco.weight > 0 or deco.tint is not None:
            out += [Box(a.x, a.y - w, a.width, 2 * w), Box(a.x, a.bottom - w, a.width, 2 * w),  # top, foot
                    Box(a.x - w, a.y, 2 * w, a.height), Box(a.right - w, a.y, 2 * w, a.height)]  # sides
        if deco.label_frame is not None:
            out.append(deco.label_frame)
    return out


def _cut(pieces: list[tuple[float, float]], y1: float, y2: float) -> list[tuple[float, float]]:
    out = []
    for a, b in pieces:
        if y2 <= a or y1 >= b:
            out.append((a, b))
            continue
        if y1 > a:
            out.append((a, y1))
        if y2 < b:
            out.append((y2, b))
    return out


def _union(pieces: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for a, b in sorted(pieces):
        if out and a <= out[-1][1] + 0.01:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]
