"""The one Jinja environment, and the filters templates may use.

Policies: ``StrictUndefined`` (a misspelt variable is an error, not an empty string),
autoescape on for every template (product data is untrusted), no auto-reload, and templates
only from the project's ``templates/`` folder.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import gs1


def vn_date(day: date, year_digits: int = 2) -> str:
    """Format a date the Vietnamese way, DD/MM/YY (or DD/MM/YYYY)."""
    return day.strftime("%d/%m/%y" if year_digits == 2 else "%d/%m/%Y")


def vn_number(value: Decimal | int | float, places: int | None = None) -> str:
    """Format a number with a decimal comma and dot thousands: ``1.234,5``."""
    number = Decimal(str(value))
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
    text = f"{number.normalize():f}" if places is None else f"{number:f}"
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + fraction if fraction else "")


def vn_percent(value: Decimal | int | float) -> str:
    """Format a percentage as Vietnamese labels print it: ``2,5 %``."""
    return f"{vn_number(value)} %"


def ean13(gtin: str, magnification: Decimal) -> Markup:
    """The EAN-13 of ``gtin`` as inline SVG; drawn by ocopdocs from validated digits, so safe."""
    return Markup(gs1.ean13_svg(gtin, magnification).svg)


def qr(data: str, module_mm: Decimal) -> Markup:
    """A QR code of ``data`` with ``module_mm`` modules, as inline SVG (its path has no text)."""
    return Markup(gs1.qr_svg_modules(data, module_mm).svg)


GLOBALS: dict[str, Callable[..., Any]] = {"ean13": ean13, "qr": qr}
"""Functions templates call; symbols are drawn at render time, where the work is parallel."""

FILTERS: dict[str, Callable[..., Any]] = {
    "vn_date": vn_date,
    "vn_number": vn_number,
    "vn_percent": vn_percent,
}


def make_env(templates: Path) -> jinja2.Environment:
    """Build the Jinja environment over ``templates`` with our strict policies and filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    return env
