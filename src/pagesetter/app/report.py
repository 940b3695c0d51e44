"""The composition report (``render --report``): every line and its adjustment,
and per page the figures a night editor checks before sending a page."""

from __future__ import annotations

from pagesetter.page.placed import ComposedPage, PlacedLine
from pagesetter.units import MM


def _line_entry(p: PlacedLine) -> dict:
    line = p.line
    entry = {
        "text": line.text,
        "role": p.role,
        "column": p.column,
        "x_mm": round(p.x / MM, 3),
        "baseline_mm": round(p.baseline / MM, 3),
        "grid_line": p.grid_line + 1 if p.grid_line is not None else None,
        "size_pt": p.size,
        "measure_em": round(line.measure, 4),
        "width_em": round(line.width, 4),
        "adjust_em": round(line.adjust, 4),
        "adjustment": "expansion" if line.adjust > 1e-9 else "compression" if line.adjust < -1e-9 else "none",
        "break": line.how,
        "max_gap_em": round(line.max_gap, 4),
    }
    if line.hang:
        entry["hanging_em"] = round(line.hang, 4)
    if line.violation:
        entry["violation"] = line.violation
    if line.loose_reason:
        entry["loose"] = line.loose_reason
    return entry


def fit_notes(page: ComposedPage) -> list[str]:
    """One line per story that auto-fit changed: each paragraph and its tracking."""
    notes = []
    for s in page.stories:
        if s.fit and s.fit.get("paragraphs"):
            notes.append(f"story {s.id!r}: " + ", ".join(
                f"¶{e['paragraph']} {e['tracking_em']:+.3f}em ({e['lines']:+d} line{'s' if abs(e['lines']) != 1 else ''})"
                for e in s.fit["paragraphs"]))
    return notes


def _fit_entry(result, layout) -> dict:
    """How the story fills its space: lines available and used per frame and column, what is left."""
    entry = {
        "frames": result.frames,
        "empty_lines": result.empty_lines,
        "empty_columns": result.empty_columns,
        "overset_chars": result.overset_chars,
        "warn_over_empty_lines": layout.makeup.empty_lines,
    }
    if result.balanced_depth is not None:
        entry["balanced_depth"] = result.balanced_depth
    if result.fit is not None:
        entry["auto_fit"] = result.fit
    if result.continues_on is not None:
        entry["continues_on_page"] = result.continues_on
    if result.continued_from is not None:
        entry["continued_from_page"] = result.continued_from
    return entry


def page_report(page: ComposedPage, number: int = 1) -> dict:
    layout = page.layout
    stories = []
    for result in page.stories:
        frames: dict[str, list] = {}
        for p in page.lines:
            if p.story == result.id:
                frames.setdefault(p.frame, []).append(_line_entry(p))
        stories.append({
            "id": result.id,
            "overset_chars": result.overset_chars,
            "fit": _fit_entry(result, layout),
            "frames": [{"frame": fid, "lines": lines} for fid, lines in frames.items()],
        })
    body = [p for p in page.lines if p.role == "body"]
    justified = [p for p in body if not p.line.last]
    widest = max(justified, key=lambda p: p.line.max_gap, default=None)
    orphans = []
    blocks: dict[tuple[str, int], list[PlacedLine]] = {}
    for p in body:
        blocks.setdefault((p.story, p.block), []).append(p)
    for (sid, _), lines in blocks.items():
        last = lines[-1]
        if len(lines) > 1 and last.line.last and last.line.han_count < 2:
            orphans.append({"story": sid, "text": last.line.text})
    violations = [{"story": p.story, "frame": p.frame, "text": p.line.text, "why": p.line.violation}
                  for p in page.lines if p.line.violation]
    loose = [{"story": p.story, "frame": p.frame, "text": p.line.text, "max_gap_em": round(p.line.max_gap, 4),
              "why": p.line.loose_reason} for p in justified if p.line.loose_reason]
    # a squeezed line (push-in): how much it gave up, and the most one space lost
    tight = [{"story": p.story, "frame": p.frame, "text": p.line.text, "squeezed_em": round(-p.line.adjust, 4),
              "min_gap_em": round(p.line.min_gap, 4)} for p in body if p.line.adjust < -1e-9]
    return {
        "page": number,
        "layout": str(layout.file),
        "summary": {
            "lines": len(page.lines),
            "body_lines": len(body),
            "stretched_lines": sum(1 for p in body if p.line.adjust > 1e-9),
            "compressed_lines": sum(1 for p in body if p.line.adjust < -1e-9),
            "widest_gap_em": round(widest.line.max_gap, 4) if widest else 0.0,
            "widest_gap_line": widest.line.text if widest else None,
            "loose_lines": loose,
            "tight_lines": tight,
            "orphans": orphans,
            "prohibition_violations": violations,
            "overset_chars": sum(s.overset_chars for s in page.stories),
        },
        "stories": stories,
    }


def render_report(pages: list[ComposedPage]) -> dict:
    return {"pages": [page_report(p, i + 1) for i, p in enumerate(pages)]}
