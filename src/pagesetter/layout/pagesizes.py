"""Trim sizes (mm) of the usual newspaper and office formats (rules §7)."""

PAGE_SIZES_MM = {
    "对开": (390.0, 545.0),
    "broadsheet": (390.0, 545.0),
    "四开": (270.0, 390.0),
    "tabloid": (270.0, 390.0),
    "A2": (420.0, 594.0),
    "A3": (297.0, 420.0),
    "A4": (210.0, 297.0),
    "B4": (250.0, 353.0),
}
