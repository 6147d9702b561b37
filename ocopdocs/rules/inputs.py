"""Checks across the files: what a product file says about its producer file and the others.

These run before a product's own checks; a product with an error here is not checked further
(its production site or its GTIN prefix is not there to read).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..messages import t
from ..schema import gtin13_problem
from . import catalogue, check, schema_checked
from .findings import Finding
from .run import Subject

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


# GTIN problems have their own area: they keep the labels (which print the barcode) from being
# built, never the dossiers. All of them are found in one pass, whatever else is wrong.
@check("gtin-digits", "gtin-length", "gtin-check-digit", "gtin-no-prefix", "gtin-prefix", area="gtin",
       scope="project")
def _gtin(s: Subject) -> Iterator[Finding]:
    prefix = s.producer.gs1.company_prefix if s.producer.gs1 else None
    for i, package in enumerate(s.product.packages):
        loc = ("packages", i, "gtin")
        if package.gtin is None:
            continue
        wrong = gtin13_problem(package.gtin)
        if wrong is not None:
            yield Finding(wrong[0], wrong[1], loc)
            if wrong[0] == "gtin-digits":
                continue  # not a number: what it starts with means nothing yet
        if prefix is None:
            yield Finding("gtin-no-prefix", {"gtin": package.gtin}, loc)
        elif not package.gtin.startswith(prefix):
            yield Finding("gtin-prefix", {"gtin": package.gtin, "prefix": prefix}, loc)


@check("gtin-duplicate", area="gtin", scope="project")
def _gtin_duplicate(s: Subject) -> Iterator[Finding]:
    """Every packaging variant in the whole folder needs its own GTIN; the first use keeps it."""
    first = s.project.gtin_owners()
    for i, package in enumerate(s.product.packages):
        here = f"{s.entry.id} ({package.sku})"
        if package.gtin in first and first[package.gtin] != here:
            yield Finding("gtin-duplicate", {"gtin": package.gtin, "other": first[package.gtin]},
                          ("packages", i, "gtin"))


@check("label-no-barcode", area="label", scope="project")
def _no_barcode(s: Subject) -> Iterator[Finding]:
    """A note, not a fault: the law does not ask for a barcode, retailers usually do."""
    for i, package in enumerate(s.product.packages):
        if package.gtin is None:
            yield Finding("label-no-barcode", {"sku": package.sku}, ("packages", i))


@check("registration-format", area="input", scope="project")
def _registration(s: Subject) -> Iterator[Finding]:
    """A form we did not foresee is a warning that lists the forms we know, never a refusal."""
    code = s.producer.registration.code
    known = catalogue().registration_formats
    if not any(re.fullmatch(f.pattern, code) for f in known):
        listed = "; ".join(t("registration-format-known", name=f.name, example=f.example) for f in known)
        yield Finding("registration-format", {"value": code, "known": listed}, ("registration", "code"),
                      in_producer=True)


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
