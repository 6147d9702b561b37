"""Label design as data: print geometry, fonts and themes, in ``themes.yaml`` beside this file.

Not law: what a designer and a print shop decide (bleed, safe zone, the themes a producer picks
from), and what the market sells (the A4 label stocks of ``stocks.yaml``, read by
:mod:`.stocks`; the traceability stamps' sizes and limits of ``stamps.yaml``, :mod:`.stamps`).
Read once per process, like the law data, and validated the same way.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..law import read

HERE = Path(__file__).parent

Percent = Annotated[Decimal, Field(ge=0, le=100)]
Cmyk = Annotated[tuple[Percent, Percent, Percent, Percent], Field()]
"""A colour as CMYK percentages: ``[C, M, Y, K]``."""
Layout = Literal["stacked", "side"]
"""Where the codes go: below the text (``stacked``) or in a column at its right (``side``)."""
ColourRole = Literal["primary", "accent", "paper"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PrintGeometry(_Data):
    """Bleed, safe zone, crop marks and the legibility thresholds."""

    bleed_mm: Decimal
    safe_mm: Decimal
    padding_mm: Decimal
    mark_offset_mm: Decimal
    mark_length_mm: Decimal
    mark_width_pt: Decimal
    min_contrast: Decimal
    unused_share: Decimal
    min_body_pt: Decimal

    @property
    def outside_mm(self) -> Decimal:
        """How far the PDF page reaches past the trim: the bleed and the crop marks."""
        return self.mark_offset_mm + self.mark_length_mm


class Font(_Data):
    """A font family the set-up installs, with the heights the label's sizes need."""

    family: str
    package: str
    x_height: Decimal
    figures: Decimal
    advance: Decimal
    bold_advance: Decimal


class BarcodeDigits(_Data):
    """The font of the EAN-13's human-readable digits."""

    family: str
    package: str
    fallback: str
    advance: Decimal


class LogoLimits(_Data):
    """How large a logo file may be, and how tall it is printed."""

    max_file_kb: int
    max_pixels: int
    height_mm: Decimal


class ThemeName(_Data):
    """A theme's name in each language."""

    vi: str
    en: str


class Theme(_Data):
    """A designed theme: its fonts, colours, largest body size and layouts."""

    name: ThemeName
    font: str
    body_max_pt: Decimal
    name_scale: Decimal
    quantity_scale: Decimal
    """The net quantity's figures at least this many times the body size (the law's minimum
    may ask for more); at most the name's scale ÷ 1.2, so the name stays the largest."""
    padding_mm: Decimal | None = None
    """The content's inset from the trim, when the theme needs more than ``print.padding_mm``."""
    side_bar_mm: Decimal = Decimal(0)
    """Width of a colour bar down the left edge (inside the trim), which the content clears."""
    layouts: list[Layout]
    colours: dict[ColourRole, Cmyk]


class Design(_Data):
    """Everything in ``themes.yaml``."""

    print: PrintGeometry
    text_black: Cmyk
    paper_white: Cmyk
    fonts: dict[str, Font]
    fallback_font: str
    barcode_digits: BarcodeDigits
    logo: LogoLimits
    themes: dict[str, Theme]


@cache
def design() -> Design:
    """Return the design data (read once per process)."""
    return read("themes.yaml", Design, folder=HERE)


def design_files() -> list[Path]:
    """The data files, so that builds notice when they change."""
    return sorted(HERE.glob("*.yaml"))


def css_cmyk(colour: tuple[Decimal, ...]) -> str:
    """``[C, M, Y, K]`` percentages as CSS ``device-cmyk()``."""
    return "device-cmyk(" + " ".join(f"{(v / 100).normalize():f}" for v in colour) + ")"


def srgb(colour: tuple[Decimal, ...]) -> tuple[float, float, float]:
    """A naive sRGB reading of a CMYK colour (no profile), 0–1 each, as a screen shows it."""
    c, m, y, k = (float(v) / 100 for v in colour)
    return (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
