"""Checks on validated data that the schema alone cannot express.

What the law asks a label of the product's group to carry, on the label's print date.
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import Problem
from .law import label_law
from .loader import ProductEntry
from .messages import t
from .schema import Product

# item → (field to point at, test that the data provides it)
_ITEMS: dict[str, tuple[str, Callable[[Product], bool]]] = {
    "expiry": ("shelf_life", lambda p: p.shelf_life is not None),
    "ingredients": ("ingredients", lambda p: bool(p.ingredients)),
    "ingredient_amounts": ("ingredients", lambda p: all(
        i.amount is not None or i.percent is not None
        for i in p.ingredients or [] if not i.excipient and i.additive is None)),
    "nutrition": ("nutrition", lambda p: p.nutrition is not None or p.nutrition_exemption is not None),
    "usage": ("usage", lambda p: p.usage is not None),
    "storage": ("storage", lambda p: p.storage is not None),
    "ethanol": ("ethanol_percent", lambda p: p.ethanol_percent is not None),
    "health_supplement": ("health_supplement", lambda p: p.health_supplement is not None),
}


def label_content(entry: ProductEntry) -> list[Problem]:
    """Return a problem for each item the product's App. I group requires and the file lacks."""
    product = entry.model
    assert product is not None
    law = label_law()
    print_date = product.lot.effective_print_date
    regime = law.regime_on(print_date)
    group = law.groups[product.group]
    problems = []
    for item in group.items:
        if item not in _ITEMS:
            continue  # net quantity and production date are required by the schema itself
        field, provided = _ITEMS[item]
        if item == "nutrition":
            rule = law.nutrition_on(print_date)
            if product.lot.production_date < rule.mandatory_for_products_made_from:
                continue
            instrument = rule.instrument
        else:
            instrument = f"Phụ lục I {regime.short}"
        if not provided(product):
            problems.append(entry.doc.problem((field,), "mandatory-missing", t(
                "mandatory-missing", group=group.name, item=t(f"item-{item}"),
                instrument=instrument, field=field)))
    return problems
