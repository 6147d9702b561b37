"""Rules on what each product's label will say, checked on the data before rendering.

Registered with the rule registry (area ``label``); each check takes a
:class:`~.run.Subject` and yields findings, judged by the catalogue entry in force on the
label's print date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import partial

from ..design import design
from ..domain import ocop
from ..domain.dates import add_days, add_months
from ..domain.design import logo_file, look
from ..domain.label import date_line, expiry_date
from ..formatting import vn_date, vn_percent
from ..law import label_law
from ..markimage import Refused
from ..messages import t
from ..schema import Product
from . import catalogue
from . import check as register
from .findings import Finding
from .run import Subject

check = partial(register, area="label")

_PROVIDED: dict[str, tuple[str, Callable[[Product], bool]]] = {
    "expiry": ("shelf_life", lambda p: p.shelf_life is not None or p.lot.expiry_date is not None),
    "ingredients": ("ingredients", lambda p: bool(p.ingredients)),
    "ingredient_amounts": ("ingredients", lambda p: all(
        i.amount is not None or i.percent is not None
        for i in p.ingredients or [] if not i.excipient and i.additive is None)),
    "nutrition": ("nutrition", lambda p: p.nutrition is not None or p.nutrition_exemption is not None),
    "usage": ("usage", lambda p: p.usage is not None),
    "storage": ("storage", lambda p: p.storage is not None),
    "warnings": ("warnings", lambda p: bool(p.warnings)),
    "ethanol": ("ethanol_percent", lambda p: p.ethanol_percent is not None),
    "health_supplement": ("health_supplement", lambda p: p.health_supplement is not None),
}


@check("label-mandatory-item")
def _mandatory_items(s: Subject) -> Iterator[Finding]:
    law = label_law()
    group = law.groups[s.product.group]
    for item in group.items:
        if item not in _PROVIDED:
            continue  # net quantity and production date are required by the schema itself
        if item == "nutrition" and (s.product.lot.production_date
                                    < law.nutrition_on(s.print_date).mandatory_for_products_made_from):
            continue
        field, provided = _PROVIDED[item]
        if not provided(s.product):
            yield Finding("label-mandatory-item", {"group": group.name, "item": t(f"item-{item}"),
                                                   "field": field}, (field,))


@check("label-country-abbreviated")
def _country(s: Subject) -> Iterator[Finding]:
    country = s.product.origin.country
    bare = country.replace(".", "").replace(" ", "")
    abbreviations = {a.casefold() for a in catalogue().country_abbreviations}
    if country.casefold() in abbreviations or (len(bare) <= 3 and bare.isupper()):
        yield Finding("label-country-abbreviated", {"country": country}, ("origin", "country"))


@check("label-origin-phrase")
def _origin_phrase(s: Subject) -> Iterator[Finding]:
    if s.product.origin.phrase in catalogue().english_origin_phrases:
        yield Finding("label-origin-phrase", {"phrase": s.product.origin.phrase}, ("origin", "phrase"))


_DATE = r"\d{2}/\d{2}/(\d{2}|\d{4})"
_DATE_FORMS = [re.compile(p) for p in (
    rf"NSX: {_DATE}", rf"(HSD|HD): {_DATE}", r"HSD: \d+ (tháng|ngày) kể từ NSX",
    rf"Sử dụng tốt nhất trước ngày: {_DATE}")]


@check("label-date-format")
def _date_format(s: Subject) -> Iterator[Finding]:
    for part in date_line(s.product):
        if not any(form.fullmatch(part) for form in _DATE_FORMS):
            yield Finding("label-date-format", {"text": part}, ("lot",))


@check("label-expiry-after-production")
def _expiry_after_production(s: Subject) -> Iterator[Finding]:
    expiry = expiry_date(s.product)
    produced = s.product.lot.production_date
    if expiry is not None and expiry <= produced:
        yield Finding("label-expiry-after-production",
                      {"expiry": vn_date(expiry, 4), "production": vn_date(produced, 4)},
                      ("lot", "expiry_date"))


def _legal_unit(kind: str, base: Decimal) -> str:
    if kind == "mass":
        return "mg" if base < 1 else "g" if base < 1000 else "kg"
    return "ml" if base < 1000 else "L"


def _in_unit(base: Decimal, unit: str) -> str:
    factor = {"mg": Decimal("0.001"), "g": Decimal(1), "kg": Decimal(1000), "ml": Decimal(1),
              "L": Decimal(1000)}[unit]
    return f"{(base / factor).normalize():f}".replace(".", ",") + f" {unit}"


@check("label-quantity-unit")
def _quantity_unit(s: Subject) -> Iterator[Finding]:
    for i, package in enumerate(s.product.packages):
        quantity = package.net_quantity
        legal = _legal_unit(quantity.kind, quantity.base)
        if quantity.unit not in ({legal, "mL", "cl"} if legal == "ml" else {legal, "l"} if legal == "L"
                                 else {legal}):
            yield Finding("label-quantity-unit", {"quantity": str(quantity),
                                                  "suggestion": _in_unit(quantity.base, legal)},
                          ("packages", i, "net_quantity"))


def _ingredient_index(product: Product, name: str) -> int | None:
    return next((i for i, x in enumerate(product.ingredients or []) if x.name == name), None)


@check("label-highlighted-percent")
def _highlighted(s: Subject) -> Iterator[Finding]:
    for i, name in enumerate(s.product.highlighted_ingredients):
        index = _ingredient_index(s.product, name)
        if index is not None:
            item = (s.product.ingredients or [])[index]
            if item.percent is None and item.amount is None:
                yield Finding("label-highlighted-percent", {"name": name}, ("highlighted_ingredients", i))


def _named(name: str, words: str) -> bool:
    """True when ``words`` names the ingredient ``name``: in full, or by its head word.

    A Vietnamese noun phrase leads with its head ("ngô hạt": ngô; "men lá": men): "Rượu ngô men
    lá" names both. Whole words only, case ignored.
    """
    name = name.casefold().strip()
    head = name.split()[0] if name.split() else name
    return any(re.search(rf"(?<!\w){re.escape(part)}(?!\w)", words) for part in {name, head} if part)


@check("label-name-ingredient-percent")
def _name_ingredient(s: Subject) -> Iterator[Finding]:
    words = s.product.name.vi.casefold()
    for i, item in enumerate(s.product.ingredients or []):
        if (item.additive is not None or item.excipient or item.percent is not None
                or item.amount is not None):
            continue
        if _named(item.name, words):
            yield Finding("label-name-ingredient-percent", {"name": item.name}, ("ingredients", i))


@check("label-ingredient-order")
def _ingredient_order(s: Subject) -> Iterator[Finding]:
    # shares are compared with shares, amounts with amounts of the same kind (mass, volume);
    # an ingredient without either, and an excipient, is not compared
    last: dict[str, tuple[Decimal, int]] = {}
    items = s.product.ingredients or []
    for i, item in enumerate(items):
        if item.excipient:
            continue
        if item.percent is not None:
            key, value = "percent", item.percent
        elif item.amount is not None:
            key, value = item.amount.kind, item.amount.base
        else:
            continue
        before = last.get(key)
        if before is not None and value > before[0]:
            previous = items[before[1]]
            yield Finding("label-ingredient-order", {
                "name": item.name, "share": _share(item.percent, item.amount),
                "before": previous.name, "before_share": _share(previous.percent, previous.amount)},
                ("ingredients", i))
        last[key] = (value, i)


def _share(percent: Decimal | None, amount: object) -> str:
    return vn_percent(percent) if percent is not None else str(amount).replace(".", ",")


def _claimed_absent(claim: str) -> str | None:
    lowered = claim.casefold().strip().rstrip(".")
    for prefix in catalogue().free_from_prefixes:
        if lowered.startswith(prefix + " "):
            return lowered[len(prefix) + 1:].strip()
    return None


@check("label-free-from-claim")
def _free_from(s: Subject) -> Iterator[Finding]:
    for i, claim in enumerate(s.product.claims):
        absent = _claimed_absent(claim)
        if not absent:
            continue
        for item in s.product.ingredients or []:
            names = [item.name.casefold()]
            if item.additive is not None:
                names.append(item.additive.group.casefold())
            if any(absent in n or n in absent for n in names):
                yield Finding("label-free-from-claim", {"claim": claim, "ingredient": item.name},
                              ("claims", i))
                break


@check("label-additive-named")
def _additive_named(s: Subject) -> Iterator[Finding]:
    for i, item in enumerate(s.product.ingredients or []):
        additive = item.additive
        unnamed = additive is not None and item.name.casefold() == additive.group.casefold()
        if additive is not None and additive.ins is None and unnamed:
            yield Finding("label-additive-named", {"name": item.name}, ("ingredients", i, "additive"))


@check("label-additive-qualifier")
def _additive_qualifier(s: Subject) -> Iterator[Finding]:
    groups = [g.casefold() for g in catalogue().qualified_additive_groups]
    for i, item in enumerate(s.product.ingredients or []):
        additive = item.additive
        if additive is not None and additive.qualifier is None and any(
                g in additive.group.casefold() for g in groups):
            yield Finding("label-additive-qualifier", {"name": item.name, "group": additive.group},
                          ("ingredients", i, "additive", "qualifier"))


@check("label-supplement-sentences")
def _supplement(s: Subject) -> Iterator[Finding]:
    product = s.product
    looks_like = (product.health_supplement is not None
                  or product.nutrition_exemption == "health_supplement"
                  or any(i.excipient for i in product.ingredients or []))
    if product.group == "tpbvsk":
        sentences = label_law().groups["tpbvsk"].fixed_sentences
        if len(sentences) < 2:
            yield Finding("label-supplement-sentences", {"group": product.group}, ("group",))
    elif looks_like:
        yield Finding("label-supplement-sentences", {"group": product.group}, ("group",))


@check("label-nutrition-exemption")
def _nutrition_exemption(s: Subject) -> Iterator[Finding]:
    product = s.product
    reason = product.nutrition_exemption
    if reason is None:
        return
    allowed = label_law().nutrition_exemptions.get(reason)  # empty: any group
    foods = [i for i in product.ingredients or [] if i.additive is None and not i.excipient]
    if (allowed and product.group not in allowed) or (
            reason == "single_ingredient" and len(foods) > 1):
        yield Finding("label-nutrition-exemption", {"reason": reason, "group": product.group},
                      ("nutrition_exemption",))


@check("label-ocop-certificate")
def _ocop(s: Subject) -> Iterator[Finding]:
    held, until = ocop.certificate(s.product), ocop.certificate_until(s.product)
    if held is None or until is None:
        return
    if not held.issued_on <= s.print_date <= until:
        yield Finding("label-ocop-certificate", {"issued": vn_date(held.issued_on, 4),
                                                 "until": vn_date(until, 4),
                                                 "printed": vn_date(s.print_date, 4)},
                      ("ocop", "certificate", "issued_on"))


@check("label-ocop-badge-outlives")
def _ocop_badge_outlives(s: Subject) -> Iterator[Finding]:
    # the label prints the badge when the certificate holds on its print date (documents/label.py);
    # the lot is then on sale until its expiry date, which may be after the certificate ends
    held, until = ocop.certificate(s.product), ocop.certificate_until(s.product)
    expiry = expiry_date(s.product)
    if held is None or until is None or expiry is None or not held.issued_on <= s.print_date <= until:
        return
    if expiry > until:
        yield Finding("label-ocop-badge-outlives", {"stars": held.stars, "until": vn_date(until, 4),
                                                    "expiry": vn_date(expiry, 4)},
                      ("ocop", "certificate", "issued_on"))


@check("label-old-regime", "label-old-regime-expired")
def _old_regime(s: Subject) -> Iterator[Finding]:
    regime = label_law().regime_on(s.print_date)
    if regime.usable_until is not None:
        # a warning during the grace period, an error once it is over (judged on --as-of)
        code = "label-old-regime" if s.as_of <= regime.usable_until else "label-old-regime-expired"
        yield Finding(code, {"printed": vn_date(s.print_date, 4), "regime": regime.short,
                             "until": vn_date(regime.usable_until, 4)}, ("lot", "print_date"))


@check("address-old-unit", "address-old-unit-expired")
def _old_units(s: Subject) -> Iterator[Finding]:
    sites = s.producer.production_sites
    site = s.producer.site(s.product.production_site)
    index = sites.index(site)
    for reform in catalogue().boundary_reforms:
        value = getattr(site.address, reform.field)
        if value and any(w.casefold() in value.casefold() for w in reform.words):
            until = add_days(add_months(reform.effective, reform.grace_months), -1)
            code = "address-old-unit" if s.as_of <= until else "address-old-unit-expired"
            yield Finding(code, {"unit": value, "until": vn_date(until, 4)},
                          ("production_sites", index, "address", reform.field), in_producer=True)


@check("label-logo-unusable")
def _logo(s: Subject) -> Iterator[Finding]:
    chosen = look(s.producer, s.product)
    if chosen.logo is None:
        return
    found = logo_file(s.entry.folder, chosen.logo)
    if isinstance(found, Refused):
        limits = design().logo
        reason = t(found.reason, kb=limits.max_file_kb, megapixels=limits.max_pixels // 1_000_000)
        yield Finding("label-logo-unusable", {"file": chosen.logo, "reason": reason}, ("design", "logo"),
                      in_producer=chosen.logo_in_producer)
