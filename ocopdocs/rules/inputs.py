"""Checks across the files: what a product file says about its producer file and the others.

These run before a product's own checks; a product with an error here is not checked further
(its production site or its GTIN prefix is not there to read).
"""

from __future__ import annotations

from collections.abc import Iterator

from . import check, schema_checked
from .findings import Finding
from .run import Subject

schema_checked("gtin-check-digit", area="label")
schema_checked("quantity-format", area="label")


@check("production-site-required", "production-site-unknown", area="input", scope="project")
def _production_site(s: Subject) -> Iterator[Finding]:
    sites = [site.id for site in s.producer.production_sites]
    chosen = s.product.production_site
    if chosen is None and len(sites) > 1:
        yield Finding("production-site-required", {}, ("production_site",))
    elif chosen is not None and chosen not in sites:
        yield Finding("production-site-unknown", {"value": chosen, "known": ", ".join(sites)},
                      ("production_site",))


@check("gtin-no-prefix", "gtin-prefix", area="label", scope="project")
def _gtin_prefix(s: Subject) -> Iterator[Finding]:
    prefix = s.producer.gs1.company_prefix if s.producer.gs1 else None
    for i, package in enumerate(s.product.packages):
        loc = ("packages", i, "gtin")
        if prefix is None:
            yield Finding("gtin-no-prefix", {}, loc)
        elif not package.gtin.startswith(prefix):
            yield Finding("gtin-prefix", {"gtin": package.gtin, "prefix": prefix}, loc)


@check("gtin-duplicate", area="label", scope="project")
def _gtin_duplicate(s: Subject) -> Iterator[Finding]:
    """Every packaging variant in the whole folder needs its own GTIN; the first use keeps it."""
    first = s.project.gtin_owners()
    for i, package in enumerate(s.product.packages):
        here = f"{s.entry.id} ({package.sku})"
        if first[package.gtin] != here:
            yield Finding("gtin-duplicate", {"gtin": package.gtin, "other": first[package.gtin]},
                          ("packages", i, "gtin"))


@check("highlighted-unknown", area="label", scope="project")
def _highlighted(s: Subject) -> Iterator[Finding]:
    names = {i.name for i in s.product.ingredients or []}
    for i, value in enumerate(s.product.highlighted_ingredients):
        if value not in names:
            yield Finding("highlighted-unknown", {"value": value}, ("highlighted_ingredients", i))


@check("nutrition-and-exemption", area="label", scope="project")
def _nutrition_and_exemption(s: Subject) -> Iterator[Finding]:
    if s.product.nutrition is not None and s.product.nutrition_exemption is not None:
        yield Finding("nutrition-and-exemption", {}, ("nutrition_exemption",))
