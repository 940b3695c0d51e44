"""Collisions: nothing on a composed page prints over anything else, or off its frame or the page.

Run after the page is composed and before it is drawn. Every placed element —
text lines (body, headline stacks, captions, box labels, the running head),
pictures and rules — is checked against the others: text over a picture or
another element's text, a picture over a picture, a rule crossing text, and
text outside its frame or the page are errors naming both elements and their
lines in the layout. An element whose layout entry says ``overlap: allow``
may print over others (a headline set over a photo on purpose).
"""

from __future__ import annotations

from dataclasses import dataclass

from pagesetter.errors import PagesetterError
from pagesetter.layout.model import Box, PageLayout
from pagesetter.page.placed import ComposedPage, PlacedLine
from pagesetter.units import MM

TOLERANCE = 0.5  # pt: overlaps smaller than this (rounding, hairline contact) are not collisions
ROLE_NAMES = {"body": "text", "kicker": "kicker", "headline": "headline", "subtitle": "subtitle",
              "subhead": "subhead", "byline": "byline", "caption": "caption", "box_label": "label",
              "running_head": "running head", "masthead_name": "masthead's name", "masthead": "masthead line",
              "table_cell": "table cell", "table_header": "table header", "table_title": "table title",
              "index_title": "index box title", "index_headline": "index entry", "index_summary": "index summary",
              "index_page": "index page number"}
# elements whose layout entry takes overlap: allow (a story, a picture, a box)
_MAY_OVERLAP = ("story:", "picture:", "box:")
# marks whose ink sits in part of their em box: trimmed or hanging at a line end, they may pass the measure
_PUNCTUATION = set("，、；：。．！？）》〉】〗〕］｝」』”’·・“‘（《〈【〖〔［｛「『")


@dataclass
class Element:
    """Something on the page that must not print over another: its owner, name, area and kind."""

    owner: str                    # whose it is: a story, a picture, a box, the running head, a rule
    name: str                     # for messages: "headline of story 'x'"
    mark: tuple[int, int] | None  # its entry in the layout
    allow: bool                   # overlap: allow
    area: tuple[float, float, float, float]  # x, y, width, height (a Box only when a message needs one)
    kind: str = "text"            # text, picture
    frame: Box | None = None      # where it must stay
    frame_name: str = ""
    slack: float = 0.0            # how far past its frame's right edge it may run (hanging punctuation)

    @property
    def box(self) -> Box:
        return Box(*self.area)


def check(page: ComposedPage) -> None:
    """Raise a PagesetterError for the first collision on the page."""
    layout = page.layout
    elements = _text_elements(page) + _pictures(page)
    # each element's edges, read once: a page has hundreds of lines
    edged = [(x, y, x + w, y + h, e) for e in elements for x, y, w, h in (e.area,)]
    frames: dict[int, tuple] = {}  # a frame's edges, read once for all its lines
    for t in edged:
        _inside_page(t, layout)
        f = t[4].frame
        if f is not None and not t[4].allow:
            edges = frames.get(id(f)) or frames.setdefault(id(f), (f.x, f.y, f.right, f.bottom))
            _inside_frame(t, edges, layout)
    _overlaps(edged, layout)
    texts = [t for t in edged if t[4].kind == "text"]
    _rules(page, texts, layout)
    _box_borders(texts, layout)


def _where(layout: PageLayout, mark) -> str:
    return f"{layout.file.name}:{mark[0]}" if mark else layout.file.name


def _fail(layout: PageLayout, a: Element, message: str) -> PagesetterError:
    return PagesetterError(message, file=str(layout.file), line=a.mark[0] if a.mark else None,
                           column=a.mark[1] if a.mark else None)


def _mm(v: float) -> str:
    return f"{v / MM:.1f}mm"


def _text_area(p: PlacedLine) -> tuple[float, float, float, float]:
    """x, y, width, height of what a placed line's glyphs cover (em boxes; trimmed punctuation
    by its ink)."""
    size = p.size
    glyphs = p.line.glyphs
    if p.vertical:
        length = max((g.x + 1.0 for g in glyphs), default=0.0)
        return p.x, p.baseline, size, length * size
    if not glyphs:
        return p.x, p.baseline - 0.8 * size, 0.0, 0.9 * size
    known = p.line.ink_extent  # a line kept from the last render (watch, serve) is measured once
    if known is not None:
        left, right = known
        return p.x + left * size, p.baseline - 0.8 * size, (right - left) * size, 0.9 * size
    left, right = float("inf"), float("-inf")
    for g in glyphs:
        ch, x = g.char, g.x
        if ch in _PUNCTUATION:
            start, end = 0.0, g.font.advance(ch)
            try:
                ink = g.font.ink(ch)
                start, end = max(start, ink[0]), min(end, ink[1])
            except Exception:  # a face without the ink table: the advance it is
                pass
            start, end = x + start * g.hscale, x + end * g.hscale
        else:
            start, end = x, x + g.font.advance(ch) * g.hscale
        if start < left:
            left = start
        if end > right:
            right = end
    p.line.ink_extent = (left, right)
    return p.x + left * size, p.baseline - 0.8 * size, (right - left) * size, 0.9 * size


def _text_elements(page: ComposedPage) -> list[Element]:
    layout = page.layout
    stories = {s.id: s for s in layout.stories}
    images = {f"image:{i.id}": i for i in layout.images}
    head = layout.running_head
    ta = layout.type_area
    out = []
    heads = 0
    named: dict[tuple, tuple] = {}  # a story's lines by role and frame: their names, made once
    for p in page.lines:
        box = _text_area(p)
        slack = p.line.hang * p.size if p.line.hang else 0.0
        if p.story in stories:
            key = (p.story, p.role, p.frame)
            known = named.get(key)
            if known is None:
                story = stories[p.story]
                frame = layout.frames.get(p.frame)
                known = named[key] = (f"story:{story.id}", f"{ROLE_NAMES.get(p.role, p.role)} of story {story.id!r}",
                                      story.mark, story.overlap, frame.box if frame else None, f"frame {p.frame!r}")
            owner, name, mark, allow, frame_box, frame_name = known
            out.append(Element(owner, name, mark, allow, box, "text", frame_box, frame_name, slack))
            continue
        role = ROLE_NAMES.get(p.role, p.role)
        if p.story in images:
            image = images[p.story]
            out.append(Element(f"picture:{image.id}", f"caption of picture {image.id!r}", image.mark, image.overlap,
                               box, frame=image.box, frame_name=f"picture {image.id!r}'s frame"))
        elif p.story == "box-label":
            deco = next((b for b in layout.boxes if b.label == p.line.text), None)
            out.append(Element(f"box:{id(deco)}", f"box label {_quoted(p.line.text)}", deco.mark if deco else None,
                               deco.overlap if deco else False, box,
                               frame=deco.label_frame if deco else None, frame_name="its label frame"))
        elif p.story == "running-head":
            heads += 1  # each item of the running head is its own element: they must not run into each other
            out.append(Element(f"running-head:{heads}", f"running head {_quoted(p.line.text)}",
                               head.mark if head else None, False, box,
                               frame=Box(ta.x, 0.0, ta.width, ta.y), frame_name="the type area's width"))
        else:
            out.append(Element(f"other:{p.story}", f"{role} {_quoted(p.line.text)}", None, False, box))
    return out


def _pictures(page: ComposedPage) -> list[Element]:
    layout = page.layout
    out = []
    for placed in page.images:
        p, image = placed.placement, placed.image
        # a picture running into the bleed is clipped at the trim for these checks
        x1, y1 = max(p.x, 0.0), max(p.y, 0.0)
        x2, y2 = min(p.x + p.width, layout.width), min(p.y + p.height, layout.height)
        out.append(Element(f"picture:{image.id}", f"picture {image.id!r}", image.mark, image.overlap,
                           (x1, y1, x2 - x1, y2 - y1), kind="picture"))
    return out


def _inside_page(t: tuple, layout: PageLayout) -> None:
    """``t``: (x, y, right, bottom, element)."""
    x, y, right, bottom, e = t
    if x < -TOLERANCE or y < -TOLERANCE or right > layout.width + TOLERANCE or bottom > layout.height + TOLERANCE:
        raise _fail(layout, e, f"the {e.name} runs off the page: it spans {_mm(x)}–{_mm(right)} across and "
                               f"{_mm(y)}–{_mm(bottom)} down on a {_mm(layout.width)} × {_mm(layout.height)} page")


def _inside_frame(t: tuple, frame: tuple, layout: PageLayout) -> None:
    """``t``: (x, y, right, bottom, element); ``frame``: its frame's (x, y, right, bottom)."""
    x, y, right, bottom, e = t
    fx, fy, fright, fbottom = frame
    over = max(fx - x, right - (fright + e.slack), fy - y, bottom - fbottom)
    if over > TOLERANCE + 0.1 * (e.area[3] if e.kind == "text" else 0.0):
        raise _fail(layout, e, f"the {e.name} runs {_mm(over)} outside {e.frame_name}"
                               + (" (text too long, or tracking too tight?)" if e.kind == "text" else ""))


def _overlaps(edged: list[tuple], layout: PageLayout) -> None:
    """Sweep down the page: each element (x, y, right, bottom, element) is compared with those
    whose vertical span it meets, first by their horizontal edges."""
    order = sorted((t for t in edged if not t[4].allow), key=lambda t: t[1])
    active: list[tuple] = []
    for t_e in order:
        x, y, right, bottom, e = t_e
        active = [t for t in active if t[3] > y + TOLERANCE]
        owner = e.owner
        for t in active:
            a = t[4]
            if a.owner == owner:
                continue
            w = min(t[2], right) - max(t[0], x)
            if w <= TOLERANCE:
                continue
            h = min(t[3], bottom) - max(t[1], y)
            if h > TOLERANCE:
                first, second = (a, e) if (a.mark or (0,)) <= (e.mark or (0,)) else (e, a)
                raise _fail(layout, first, f"the {first.name} prints over the {second.name} "
                                           f"({_where(layout, second.mark)}) across {_mm(w)} × {_mm(h)} at "
                                           f"{_mm(max(a.box.x, e.box.x))}, {_mm(max(a.box.y, e.box.y))}; move one"
                                           + _allow_hint(first, second))
        active.append(t_e)


def _quoted(text: str) -> str:
    """The start of a line's text for a message, as typed (repr would show a 全角 space as \\u3000)."""
    return f"'{text[:12]}'"


def _allow_hint(first: Element, second: Element) -> str:
    """How to let the two overlap, naming only an element whose entry takes overlap: allow."""
    if first.owner.startswith(_MAY_OVERLAP):
        return ", or give it overlap: allow"
    if second.owner.startswith(_MAY_OVERLAP):
        return f", or give the {second.name} overlap: allow"
    return ""


def _segment_hits(x1, y1, x2, y2, box: Box) -> bool:
    """Whether the segment passes through ``box`` (Liang–Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    dx, dy = x2 - x1, y2 - y1
    for p, q in ((-dx, x1 - box.x), (dx, box.right - x1), (-dy, y1 - box.y), (dy, box.bottom - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _crosses(segment: tuple[float, float, float, float], text: Element, grow: float) -> bool:
    """Does a line of half-width ``grow`` (+ the tolerance) drawn along ``segment`` pass through ``text``?"""
    b = text.box
    inner = Box(b.x - grow, b.y - grow, b.width + 2 * grow, b.height + 2 * grow)
    return inner.width > 0 and inner.height > 0 and _segment_hits(*segment, inner)


def _box_borders(texts: list[tuple], layout: PageLayout) -> None:
    """A box's border may not run through text: its own text stays inside it (a negative padding
    pulls the border into it), and the text of its neighbours outside it. ``texts``: (x, y, right,
    bottom, element)."""
    for n, deco in enumerate(layout.boxes):
        if not deco.weight or deco.overlap:
            continue
        a, grow = deco.area, deco.weight / 2 - TOLERANCE
        sides = ((a.x, a.y, a.right, a.y), (a.right, a.y, a.right, a.bottom), (a.x, a.bottom, a.right, a.bottom),
                 (a.x, a.y, a.x, a.bottom))
        for x, y, right, bottom, t in texts:
            if t.allow or x > a.right + grow or right < a.x - grow or y > a.bottom + grow or bottom < a.y - grow:
                continue
            # the border is drawn on the area's edge, half its weight either side: text touching it
            # from inside at padding 0 sits against the line's inner half, as designed
            if x >= a.x - TOLERANCE and right <= a.right + TOLERANCE and y >= a.y - TOLERANCE \
                    and bottom <= a.bottom + TOLERANCE:
                continue
            if any(_crosses(side, t, grow) for side in sides):
                raise PagesetterError(f"the border of box {n + 1} runs through the {t.name} "
                                      f"({_where(layout, t.mark)}); move one, widen the gap, or give the box "
                                      "overlap: allow", file=str(layout.file),
                                      line=deco.mark[0] if deco.mark else None, field=f"boxes[{n}]")


def _rules(page: ComposedPage, texts: list[tuple], layout: PageLayout) -> None:
    """Rules off the page or across text; ``texts``: (x, y, right, bottom, element)."""
    for n, rule in enumerate(layout.rules):
        name = f"rule {n + 1}"
        for x, y in ((rule.x1, rule.y1), (rule.x2, rule.y2)):
            if not (-TOLERANCE <= x <= layout.width + TOLERANCE and -TOLERANCE <= y <= layout.height + TOLERANCE):
                raise PagesetterError(f"{name} runs off the page, to {_mm(x)}, {_mm(y)}", file=str(layout.file),
                                      line=rule.mark[0] if rule.mark else None, field=f"rules[{n}]")
        if rule.overlap:
            continue
        grow = rule.weight / 2 - TOLERANCE
        rx1, rx2 = min(rule.x1, rule.x2) - grow, max(rule.x1, rule.x2) + grow
        ry1, ry2 = min(rule.y1, rule.y2) - grow, max(rule.y1, rule.y2) + grow
        for x, y, right, bottom, t in texts:
            if x > rx2 or right < rx1 or y > ry2 or bottom < ry1 or t.allow:
                continue
            if _crosses((rule.x1, rule.y1, rule.x2, rule.y2), t, grow):
                b = t.box
                raise PagesetterError(f"{name} crosses the {t.name} ({_where(layout, t.mark)}) at "
                                      f"{_mm(max(b.x, min(rule.x1, rule.x2)))}, {_mm(max(b.y, min(rule.y1, rule.y2)))};"
                                      " move one, or give it overlap: allow", file=str(layout.file),
                                      line=rule.mark[0] if rule.mark else None, field=f"rules[{n}]")
