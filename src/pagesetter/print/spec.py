"""What the print shop needs: PDF/X flavour, bleed, marks, press condition, ink limit,
and the house's settings for lines, colour conversion and pictures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pagesetter.units import MM

STANDARDS = ("PDF/X-1a:2003", "PDF/X-4")
COLOR_ORG = "http://www.color.org"
RENDERING_INTENTS = ("perceptual", "relative", "saturation", "absolute")


@dataclass(frozen=True)
class PressCondition:
    """A printing condition for the OutputIntent; ``registry`` is set only for conditions
    registered in the ICC characterization registry."""

    identifier: str            # OutputConditionIdentifier
    condition: str             # OutputCondition, human-readable
    registry: str = COLOR_ORG
    ink_limit: float = 240.0   # total area coverage, percent
    profile: Path | None = None  # ICC output profile (required for PDF/X-4)


PRESS_CONDITIONS = {
    # IFRA26: characterization data for ISO 12647-3:2004 coldset newsprint.
    "coldset-newsprint": PressCondition(
        "IFRA26", "Coldset offset lithography on newsprint (ISO 12647-3:2004), 26% TVI", ink_limit=240.0),
    "coldset-newsprint-2005": PressCondition(
        "IFRA30", "Coldset offset lithography on newsprint (ISO 12647-3), 30% TVI", ink_limit=240.0),
    # FOGRA40: heatset web offset on supercalendered (SC) paper, not newsprint.
    "heatset-sc-paper": PressCondition(
        "FOGRA40", "Heatset web offset on SC paper (ISO 12647-2:2004)", ink_limit=270.0),
    "coated-offset": PressCondition(
        "FOGRA39", "Offset commercial and specialty printing, coated paper (ISO 12647-2:2004)", ink_limit=330.0),
}

# Conditions in the ICC characterization registry (a PDF/X-1a may name one without embedding
# a profile): the presses above, and other common ones.
REGISTERED_CONDITIONS = frozenset({p.identifier for p in PRESS_CONDITIONS.values()} | {
    "FOGRA51", "FOGRA52", "FOGRA29", "FOGRA47", "CGATS TR 001", "CGATS TR 006", "SNAP 2007", "GRACoL2013", "JC200103"})


@dataclass(frozen=True)
class PrintSpec:
    """What the print shop asks for: the PDF/X standard, bleed, marks, press condition and limits."""

    standard: str = "PDF/X-1a:2003"
    bleed: float = 3 * MM
    marks: bool = True
    press: PressCondition = PRESS_CONDITIONS["coldset-newsprint"]
    edition_date: datetime | None = None
    min_line: float = 0.25           # pt: no stroke on the page is thinner (house setting)
    rendering_intent: str = "relative"  # for RGB → press CMYK through ICC profiles
    black_point_compensation: bool = True
    jpeg_quality: int = 85           # pictures that must be re-encoded
    min_ppi: float = 200.0           # pictures printing at less are reported

    @property
    def slug_space(self) -> float:
        """Room outside the bleed for crop and registration marks and the slug line."""
        return 12 * MM if self.marks else 0.0


# Conditions registered with the ICC (a PDF/X-1a may name one without embedding a profile):
# the presses pagesetter knows, and other common ones.
REGISTERED_CONDITIONS = {p.identifier for p in PRESS_CONDITIONS.values()} | {
    "FOGRA51", "FOGRA52", "FOGRA29", "FOGRA47", "CGATS TR 001", "CGATS TR 006", "SNAP 2007", "GRACoL2013", "JC200103"}
