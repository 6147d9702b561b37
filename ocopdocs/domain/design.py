"""How a product's labels look: its theme, font, colours, logo and layout, resolved.

A product's ``design`` replaces its producer's field by field; what neither names comes from
the theme (ocopdocs/design/themes.yaml). Each colour remembers where it was set, so that a
colour the PDF rules find illegible is reported at the field that chose it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..design import ColourRole, Font, Theme, design
from ..markimage import MarkFile, Refused, inspect
from ..schema import LabelDesign, Producer, Product

DEFAULT_THEME = "band"
"""The theme of a producer that names none."""
ROLES: tuple[ColourRole, ...] = ("primary", "accent", "paper")


@dataclass(frozen=True)
class Colour:
    """A theme colour as printed, and the field that set it."""

    cmyk: tuple[Decimal, Decimal, Decimal, Decimal]
    field: str
    """``design.colours.primary``, or ``themes.<theme>.colours.primary`` for the theme's own."""
    in_producer: bool
    """Set in producer.yaml (else in the product file, or by the theme)."""


@dataclass(frozen=True)
class Look:
    """Everything a label's design depends on."""

    theme_id: str
    theme: Theme
    font_id: str
    font: Font
    colours: dict[ColourRole, Colour]
    logo: str | None
    """The logo's file name in the producer's folder, or None."""
    logo_in_producer: bool
    layout: str
    """``auto``, ``stacked`` or ``side``."""


def _pick(producer: LabelDesign | None, product: LabelDesign | None, name: str) -> tuple[object, bool]:
    """The product's value of field ``name`` if given, else the producer's: (value, from producer)."""
    if product is not None and getattr(product, name) is not None:
        return getattr(product, name), False
    if producer is not None and getattr(producer, name) is not None:
        return getattr(producer, name), True
    return None, False


def look(producer: Producer, product: Product) -> Look:
    """Resolve the design of ``product``'s labels."""
    data = design()
    mine, theirs = product.design, producer.design
    theme_id = str(_pick(theirs, mine, "theme")[0] or DEFAULT_THEME)
    theme = data.themes[theme_id]
    font_id = str(_pick(theirs, mine, "font")[0] or theme.font)
    colours: dict[ColourRole, Colour] = {}
    for role in ROLES:
        given = [(d.colours, d is theirs) for d in (mine, theirs)
                 if d is not None and getattr(d.colours, role)]
        if given:
            values, in_producer = given[0]
            cmyk = tuple(Decimal(v) for v in getattr(values, role))
            colours[role] = Colour(cmyk, f"design.colours.{role}", in_producer)  # type: ignore[arg-type]
        else:
            colours[role] = Colour(theme.colours[role], f"themes.{theme_id}.colours.{role}", False)
    logo, logo_in_producer = _pick(theirs, mine, "logo")
    layout = str(_pick(theirs, mine, "layout")[0] or "auto")
    return Look(theme_id, theme, font_id, data.fonts[font_id], colours,
                str(logo) if logo else None, logo_in_producer, layout)


def logo_file(folder: Path, name: str) -> MarkFile | Refused:
    """The logo file ``name`` of the producer's ``folder``, read under the marks' safety rules."""
    limits = design().logo
    return inspect(folder, name, limits.max_file_kb, limits.max_pixels)
