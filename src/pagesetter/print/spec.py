"""What the print shop needs: PDF/X flavour, bleed, marks, press condition, ink limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pagesetter.units import MM

STANDARDS = ("PDF/X-1a:2003", "PDF/X-4")


@dataclass(frozen=True)
class PressCondition:
    """A registered printing condition (ICC characterization registry) for the OutputIntent."""

    identifier: str            # OutputConditionIdentifier
    condition: str             # OutputCondition, human-readable
    registry: str = "http://www.color.org"
    ink_limit: float = 240.0   # total area coverage, percent
    profile: Path | None = None  # ICC output profile (required for PDF/X-4)


PRESS_CONDITIONS = {
    # ISO 12647-3:2013 coldset offset on newsprint; registered as IFRA26.
    "coldset-newsprint": PressCondition(
        "IFRA26", "Coldset offset lithography on newsprint (ISO 12647-3:2013), 26% TVI", ink_limit=240.0),
    "coldset-newsprint-2005": PressCondition(
        "IFRA30", "Coldset offset lithography on newsprint (ISO 12647-3:2005), 30% TVI", ink_limit=240.0),
    "heatset-improved-newsprint": PressCondition(
        "FOGRA40", "Heatset web offset, improved newsprint (ISO 12647-2)", ink_limit=260.0),
    "coated-offset": PressCondition(
        "FOGRA39", "Offset commercial and specialty printing, coated paper (ISO 12647-2:2004)", ink_limit=330.0),
}


@dataclass(frozen=True)
class PrintSpec:
    standard: str = "PDF/X-1a:2003"
    bleed: float = 3 * MM
    marks: bool = True
    press: PressCondition = PRESS_CONDITIONS["coldset-newsprint"]
    edition_date: datetime | None = None

    @property
    def slug_space(self) -> float:
        """Room outside the bleed for crop and registration marks and the slug line."""
        return 12 * MM if self.marks else 0.0


# Conditions registered with the ICC (a PDF/X-1a may name one without embedding a profile):
# the presses pagesetter knows, and other common ones.
REGISTERED_CONDITIONS = {p.identifier for p in PRESS_CONDITIONS.values()} | {
    "FOGRA51", "FOGRA52", "FOGRA29", "FOGRA47", "CGATS TR 001", "CGATS TR 006", "SNAP 2007", "GRACoL2013", "JC200103"}
