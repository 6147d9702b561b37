"""A4 label sheets: a product's labels laid out on a label stock, for an office printer.

A product asks for them with ``label_sheet: {stock: …}``: ``sheet-<sku>.pdf`` holds as many
labels of one variant as the stock takes, or, with ``mixed: true``, ``sheet-<sku>+<sku>.pdf``
shares one sheet between the variants (the cells in blocks, in the order given). Every label
is the label's own macro (``templates/label/body.html``) at the body size its own page settles
on (the label plan's fit search runs first, see :attr:`Plan.fitted`), placed at its cell of
the stock (:func:`ocopdocs.design.stocks.layout`): one HTML document, one render, a sheet.
Uncut stocks get dashed cut lines through the middle of the gutters; a label's background runs
at most half a gutter past its trim (none where labels touch), never into its neighbour.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ..design.stocks import Slot, available, layout
from ..domain.paths import sheet_path
from ..loader import ProductEntry
from ..schema import Package
from . import Kind, Plan
from . import label as labels

TEMPLATE = "sheet/sheet.html"
STYLESHEET = "sheet/sheet.css"


def _shares(cells: int, parts: int) -> list[int]:
    """How many cells each of ``parts`` variants gets: as even as can be, the first ones more."""
    return [cells // parts + (1 if i < cells % parts else 0) for i in range(parts)]


def _place(slot: Slot, package: Package) -> dict[str, Decimal]:
    """The label's top left corner, centred in its cell."""
    width, height = package.label.width_mm, package.label.height_mm
    return {"x_mm": slot.x_mm + (slot.width_mm - width) / 2,
            "y_mm": slot.y_mm + (slot.height_mm - height) / 2, "width_mm": width, "height_mm": height}


def plan(entries: list[ProductEntry], as_of: date) -> list[Plan]:
    """Plan the A4 sheets of every product that asks for them."""
    return [doc for entry in entries for doc in _plan_product(entry)]


def _plan_product(entry: ProductEntry) -> list[Plan]:
    producer, product = entry.producer.model, entry.model
    assert producer is not None and product is not None
    sheet = product.label_sheet
    if sheet is None:
        return []
    stock = available(producer.label_stocks)[sheet.stock]  # checked by the loader (area "sheet")
    label_plans = {p.variant: p for p in labels.plan([entry], date.min)}
    chosen = [(i, p) for i, p in enumerate(product.packages) if not sheet.sizes or p.sku in sheet.sizes]
    if sheet.sizes:  # in the order the file gives
        chosen.sort(key=lambda item: sheet.sizes.index(item[1].sku))
    groups = [chosen] if sheet.mixed else [[item] for item in chosen]
    return [_plan_sheet(entry, stock, group, [label_plans[p.sku] for _, p in group]) for group in groups]


def _plan_sheet(entry: ProductEntry, stock: Any, group: list[tuple[int, Package]],
                parts: list[Plan]) -> Plan:
    product = entry.model
    assert product is not None
    packages = [p for _, p in group]
    cell = (max(p.label.width_mm for p in packages), max(p.label.height_mm for p in packages))
    grid = layout(stock, cell)
    cells: list[dict[str, Any]] = []
    slots = iter(grid.slots)
    for index, (package, share) in enumerate(zip(packages, _shares(grid.per_sheet, len(packages)),
                                                 strict=True)):
        for _ in range(share):
            cells.append({"label": index, **_place(next(slots), package)})
    gutter = stock.gutter_mm
    guides = [] if stock.die_cut else [  # cut through the middle of the gutters
        {"x_mm": s.x_mm - gutter.x / 2, "y_mm": s.y_mm - gutter.y / 2,
         "width_mm": s.width_mm + gutter.x, "height_mm": s.height_mm + gutter.y} for s in grid.slots]
    skus = [p.sku for p in packages]
    first = parts[0]
    # backgrounds run into the cut, never into a neighbour: half the gutter at most
    bleed = min(min(gutter.x, gutter.y) / 2, Decimal(str(first.bleed_mm or 0)))
    labels = [{**part.context["label"], "print": {**part.context["label"]["print"], "bleed_mm": bleed}}
              for part in parts]
    return Plan(
        kind=SHEET.id, product=entry.id, producer=entry.producer.slug, variant="+".join(skus),
        path=sheet_path(entry, skus), template=TEMPLATE, source=entry.doc.display,
        source_field="label_sheet", source_line=entry.doc.line_of(("label_sheet",)),
        context={"sheet": {"width_mm": stock.sheet.width_mm, "height_mm": stock.sheet.height_mm,
                           "stock": stock.id},
                 "labels": labels, "cells": cells, "guides": guides,
                 # each label's predicted fit, replaced by what its own fit search settles on
                 "fits": [part.fit_context().get("fit", {}) for part in parts]},
        fitted=parts, required_texts=list(dict.fromkeys(  # each label's mandatory texts
            text for part in parts if part.pdf_expect for text in part.pdf_expect.required_texts)),
        stylesheets=[*first.stylesheets, STYLESHEET], roots=first.roots,
        inputs=list(dict.fromkeys(path for part in parts for path in part.inputs)),
        fonts=list(dict.fromkeys(font for part in parts for font in part.fonts)),
        title=f"{product.name.vi} – {', '.join(str(p.net_quantity) for p in packages)}",
        size_mm=(float(stock.sheet.width_mm), float(stock.sheet.height_mm)),
        rule_date=first.rule_date)


SHEET = Kind("label-sheet", plan, artwork=True,
             applies=lambda entry, as_of: entry.model is not None and entry.model.label_sheet is not None,
             blocked_by=frozenset({"input", "label", "gtin", "sheet"}), shows=frozenset({"sheet"}))
