"""The one Jinja environment, and the filters templates may use.

Policies: ``StrictUndefined`` (a misspelt variable is an error, not an empty string),
autoescape on for every template (product data is untrusted), no auto-reload, and templates
only from the project's ``templates/`` folder.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import gs1
from .errors import Missing
from .formatting import vn_date, vn_number, vn_percent


def _ink(context: jinja2.runtime.Context) -> gs1.Ink:
    """Black ink only when the document is printed in CMYK (``cmyk`` set by the renderer)."""
    return gs1.CMYK_INK if context.get("cmyk") else gs1.RGB_INK


@jinja2.pass_context
def ean13(context: jinja2.runtime.Context, gtin: str, magnification: Decimal,
          digits: dict[str, Any] | None = None) -> Markup:
    """The EAN-13 of ``gtin`` as inline SVG; drawn by ocopdocs from validated digits, so safe.

    ``digits``: the human-readable digits' font (``family``, a CSS font list) and its figures'
    width (``advance``); gs1's defaults otherwise.
    """
    if digits is None:
        return Markup(gs1.ean13_svg(gtin, magnification, _ink(context)).svg)
    return Markup(gs1.ean13_svg(gtin, magnification, _ink(context), font=digits["family"],
                                advance_em=digits["advance"]).svg)


@jinja2.pass_context
def qr(context: jinja2.runtime.Context, data: str, module_mm: Decimal) -> Markup:
    """A QR code of ``data`` with ``module_mm`` modules, as inline SVG (its path has no text)."""
    return Markup(gs1.qr_svg_modules(data, module_mm, _ink(context)).svg)


def unmarked_blank(what: str) -> str:
    """Called by ``value()`` for a None that is no :class:`Missing`: a bug in a context builder."""
    raise ValueError(f"a blank without a Missing marker in the context: {what}")


GLOBALS: dict[str, Callable[..., Any]] = {"ean13": ean13, "qr": qr, "unmarked_blank": unmarked_blank}
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
    env.tests["missing"] = lambda value: isinstance(value, Missing)
    return env

