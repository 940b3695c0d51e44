"""What the press holds, checked on the composed page before anything is written:
no stroke thinner than ``print.min_line``, and no overprinting element (black text,
black rules) that adds up with the tint under it to more ink than the press allows."""

from __future__ import annotations

from pagesetter.errors import PagesetterError
from pagesetter.layout.model import Box
from pagesetter.page.placed import EM_BOX_ASCENT, ComposedPage, Stroke
from pagesetter.print.color import BLACK, CMYK


def page_strokes(page: ComposedPage) -> list[Stroke]:
    """The layout's rules and the page's own strokes (borders, running head, column rules)."""
    rules = [Stroke(r.x1, r.y1, r.x2, r.y2, r.weight, r.color, (), getattr(r, "overprint", None), f"rules[{i}]")
             for i, r in enumerate(page.layout.rules)]
    return rules + list(page.strokes)


def overprinted(top: CMYK, under: CMYK) -> CMYK:
    """Overprint with OPM 1: the top colour's zero components leave the ink beneath."""
    pick = [t if t > 0 else u for t, u in zip((top.c, top.m, top.y, top.k), (under.c, under.m, under.y, under.k))]
    return CMYK(*pick)


def _overlap(a: tuple, b: Box) -> bool:
    x1, y1, x2, y2 = a
    return min(x2, b.right) - max(x1, b.x) > 0.01 and min(y2, b.bottom) - max(y1, b.y) > 0.01


def _fill_name(page: ComposedPage, box: Box, color: CMYK) -> str:
    for i, deco in enumerate(page.layout.boxes):
        if deco.tint == color and abs(deco.area.x - box.x) < 0.01 and abs(deco.area.y - box.y) < 0.01:
            return f"the tint of boxes[{i}]"
    return f"a tint at {box.x / 2.8346:.0f}, {box.y / 2.8346:.0f} mm"


def _color(c: CMYK) -> str:
    return f"C{c.c:g} M{c.m:g} Y{c.y:g} K{c.k:g}"


def check_page(page: ComposedPage) -> None:
    """Raise a PagesetterError (exit 2) naming every element the press cannot hold."""
    layout = page.layout
    spec = layout.print
    limit = spec.press.ink_limit
    problems: list[str] = []
    strokes = page_strokes(page)
    for s in strokes:
        if s.weight < spec.min_line - 1e-9:
            problems.append(f"{s.what or 'a stroke'} is {s.weight:.2f}pt, under the thinnest line the press holds "
                            f"({spec.min_line:g}pt, print.min_line)")
    seen = set()
    # what lies under an overprinting element: tints, and rules and borders in a colour that knock out
    under = [(box, tint, _fill_name(page, box, tint)) for box, tint in page.fills]
    under += [(_as_box(_stroke_rect(t)), t.color, t.what or "a rule") for t in strokes
              if not t.overprints and not t.color.is_black and t.color.total > 0]
    for what, rect, color in overprinting(page, strokes) if under else ():  # nothing under them: nothing adds up
        for box, tint, name in under:
            if not _overlap(rect, box):
                continue
            total = overprinted(color, tint).total
            if total > limit + 1e-9 and (what, name) not in seen:
                seen.add((what, name))
                problems.append(f"{what} overprints {name} ({_color(tint)}): together "
                                f"{total:g}% ink, the press allows {limit:g}%")
    _raise(problems, page)


def _as_box(rect: tuple[float, float, float, float]) -> Box:
    x1, y1, x2, y2 = rect
    return Box(x1, y1, x2 - x1, y2 - y1)


def _stroke_rect(s: Stroke) -> tuple[float, float, float, float]:
    """What a stroke covers, its weight included: (x1, y1, x2, y2)."""
    half = s.weight / 2
    return min(s.x1, s.x2) - half, min(s.y1, s.y2) - half, max(s.x1, s.x2) + half, max(s.y1, s.y2) + half


def _raise(problems: list[str], page: ComposedPage) -> None:
    if problems:
        more = f" (+{len(problems) - 4} more)" if len(problems) > 4 else ""
        raise PagesetterError("; ".join(problems[:4]) + more, file=str(page.layout.file))


def overprinting(page: ComposedPage, strokes: list[Stroke] | None = None) -> list[tuple[str, tuple, CMYK]]:
    """What overprints, with its rectangle (x1, y1, x2, y2, page coordinates): black text and
    strokes that overprint."""
    strokes = page_strokes(page) if strokes is None else strokes
    tops: list[tuple[str, tuple, CMYK]] = []
    for placed in page.lines:
        if not placed.color.is_black:
            continue  # coloured and reversed type knocks out: its own ink replaces what is under it
        width = placed.line.width * placed.size
        if placed.vertical:
            rect = (placed.x, placed.baseline, placed.x + placed.size, placed.baseline + width)
        else:
            rect = (placed.x, placed.baseline - EM_BOX_ASCENT * placed.size, placed.x + width,
                    placed.baseline + (1 - EM_BOX_ASCENT) * placed.size)
        what = {"running_head": "the running head", "box_label": "a box label"}.get(
            placed.role, f"{placed.role} text of story {placed.story!r}")
        tops.append((what, rect, BLACK))
    for s in strokes:
        if s.overprints:
            tops.append((s.what or "a rule", _stroke_rect(s), s.color))
    return tops


def check_pictures(page: ComposedPage, pictures: list) -> None:
    """Black text or rules over a picture add to its ink: refuse (exit 2) where together they pass
    the limit. ``pictures``: (PlacedImage, CMYK pixels, whole) — ``whole`` when the pixels are
    the entire file rather than the crop."""
    if not pictures:
        return
    from PIL import ImageMath

    limit = page.layout.print.press.ink_limit
    tops = overprinting(page)
    problems = []
    for placed, pixels, whole in pictures:
        p = placed.placement
        left, top, right, bottom = p.crop
        ox, oy = (left, top) if whole else (0, 0)
        sx, sy = (right - left) / p.width, (bottom - top) / p.height
        for what, rect, color in tops:
            box = (max(rect[0], p.x), max(rect[1], p.y), min(rect[2], p.x + p.width), min(rect[3], p.y + p.height))
            if box[2] - box[0] <= 0.01 or box[3] - box[1] <= 0.01:
                continue
            region = pixels.crop((int(ox + (box[0] - p.x) * sx), int(oy + (box[1] - p.y) * sy),
                                  max(int(ox + (box[2] - p.x) * sx + 0.999), int(ox + (box[0] - p.x) * sx) + 1),
                                  max(int(oy + (box[3] - p.y) * sy + 0.999), int(oy + (box[1] - p.y) * sy) + 1)))
            planes = dict(zip("cmyk", region.split()))
            top_ink = dict(zip("cmyk", (color.c, color.m, color.y, color.k)))
            for ch, v in top_ink.items():
                if v > 0:  # OPM 1: the element's own non-zero inks replace the picture's
                    planes[ch] = planes[ch].point(lambda _, v=v: round(v * 2.55))
            total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], **planes)
            worst = total.getextrema()[1] * 100 / 255
            if worst > limit + 1:
                problems.append(f"{what} overprints picture {placed.image.id!r}: together up to {worst:.0f}% ink, "
                                f"the press allows {limit:g}%")
    _raise(problems, page)
