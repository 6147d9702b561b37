"""Labels: one print-ready PDF per packaging variant.

The context carries everything Decree 37/2026 Art. 42 and App. I ask of the product's group
(or Decree 43/2017 as amended by 111/2021 for labels printed before 23/01/2026), already
worded as printed, plus the sizes the layout must respect: the net-quantity figures at least
the height of their band, the name larger than any other text, the EAN-13 at GS1 geometry.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Any

from .. import gs1
from ..domain import ocop
from ..domain.label import (
    LabelExpect,
    date_line,
    digital_link,
    ingredients_line,
    min_character_height,
    nutrition_rows,
    origin_line,
    printed_gtin,
    quantity_line,
)
from ..domain.paths import label_path
from ..formatting import vn_number
from ..law import label_law
from ..loader import ProductEntry
from ..schema import Package, Producer, Product
from . import Kind, Plan

TEMPLATE = "label/label.html"
STYLESHEET = "label/label.css"

CAP_HEIGHT_EM = Decimal("0.729")
"""Height of DejaVu Sans figures relative to the font size."""
FIGURE_MARGIN = Decimal("1.06")
"""Print the figures 6 % above the legal minimum, so rounding never lands below it."""
MARGIN_MM = Decimal(3)
BODY_PT_STEPS = [Decimal(x) for x in ("8", "7.5", "7", "6.5", "6", "5.5", "5")]
"""Body type sizes tried in turn until the label fits; 5 pt keeps x-height above 0.9 mm."""
QR_MODULE_MM = Decimal("0.45")


def _mm(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_CEILING)


def type_sizes(package: Package) -> dict[str, Decimal]:
    """Font sizes in mm that the law fixes: the quantity figures and, above them, the name."""
    law = label_law()
    figure_min = law.min_figure_height(package.net_quantity.base)
    quantity_font = _mm(figure_min / CAP_HEIGHT_EM * FIGURE_MARGIN)
    barcode_font = gs1.X_NOMINAL_MM * package.barcode_magnification * Decimal("9.3")
    name_font = _mm(max(quantity_font * Decimal("1.2"), barcode_font * Decimal("1.3"), Decimal("5.5")))
    return {"figure_min_mm": figure_min, "quantity_font_mm": quantity_font,
            "name_font_mm": name_font, "name_en_font_mm": _mm(name_font * Decimal("0.6"))}


def build_context(producer: Producer, product: Product, package: Package) -> dict[str, Any]:
    """Everything the label template prints, worded and sized."""
    law = label_law()
    print_date = product.lot.effective_print_date
    regime = law.regime_on(print_date)
    group = law.groups[product.group]
    site = producer.site(product.production_site)
    width, height = package.label.width_mm, package.label.height_mm
    gtin = printed_gtin(producer, package)
    link = digital_link(product, gtin)
    ocop_until = ocop.certificate_until(product)
    certificate = ocop.certificate(product)
    show_ocop = (certificate is not None and ocop_until is not None
                 and certificate.issued_on <= print_date <= ocop_until)
    main, excipients = ingredients_line(product)
    word, figures, multipack = quantity_line(package)
    usage, warnings, supplement = product.usage, list(product.warnings), None
    if product.health_supplement is not None:
        # App. I row 3: directions are "cách dùng" (đ), warnings the risk advisory (e); one
        # heading each, so the general directions and warnings join them
        supplement = product.health_supplement.model_dump()
        supplement["dosage"] = _joined(supplement["dosage"], usage)
        supplement["risk_advisory"] = _joined(supplement["risk_advisory"], *warnings) or None
        usage, warnings = None, []
    return {
        "sample": producer.sample or product.sample,
        "regime": regime.model_dump(),
        "group": group.model_dump(),
        "page": {"width_mm": width, "height_mm": height, "margin_mm": MARGIN_MM,
                 "landscape": width > height * Decimal("1.5")},
        "sizes": type_sizes(package),
        "brand": product.brand,
        "name_vi": product.name.vi,
        "name_en": product.name.en if "en" in package.languages else None,
        "fixed_sentences": group.fixed_sentences,
        "ingredients": main,
        "excipients": excipients,
        "unit_name": product.health_supplement.unit_name if product.health_supplement else None,
        "claims": product.claims,
        "allergens": product.allergens,
        "health_supplement": supplement,
        "usage": usage,
        "storage": product.storage,
        "warnings": warnings,
        "ethanol": f"{vn_number(product.ethanol_percent)} % vol" if product.ethanol_percent else None,
        "nutrition_basis": product.nutrition.basis if product.nutrition else None,
        "nutrition": nutrition_rows(product),
        "applied_standard": product.applied_standard,
        "responsible": producer.legal_name,
        "member_of": producer.member_of,
        "site_address": site.address.one_line(),
        "phone": producer.contact.phone,
        "website": producer.contact.website,
        "origin": origin_line(product),
        "quantity_word": word,
        "quantity": figures,
        "multipack": multipack,
        "pack_material": package.pack_material,
        "dates": date_line(product),
        "lot": product.lot.code,
        "gtin": gtin,
        # the symbols themselves are drawn at render time (templating.ean13 / qr), in the worker
        "magnification": package.barcode_magnification,
        "ean_width_mm": gs1.ean13_width_mm(package.barcode_magnification),
        "qr_module_mm": QR_MODULE_MM,
        "digital_link": link,
        "ocop_stars": certificate.stars if show_ocop and certificate else None,
    }


def _joined(*parts: str | None) -> str:
    """Join sentences with a space, each ended by a full stop."""
    return " ".join(p if p.rstrip().endswith((".", "!", "?")) else f"{p}." for p in parts if p)


def required_texts(context: dict[str, Any]) -> list[str]:
    """The mandatory texts that must be found on the rendered page."""
    texts = [context["name_vi"], context["responsible"], context["site_address"],
             context["origin"], context["quantity_word"], context["quantity"], context["lot"],
             *context["dates"], *context["fixed_sentences"], *context["warnings"]]
    for key in ("ingredients", "excipients", "usage", "storage", "ethanol"):
        if context[key]:
            texts.append(context[key])
    if context["health_supplement"]:
        hs = context["health_supplement"]
        texts += [hs["uses"], hs["target_users"], hs["dosage"]]
        if hs["risk_advisory"]:
            texts.append(hs["risk_advisory"])
    texts += [value for _, value in context["nutrition"]]
    return texts


def expectations(context: dict[str, Any], package: Package, product: Product) -> LabelExpect:
    """What the PDF rules must find on this label."""
    min_char = min_character_height(product, package)
    return LabelExpect(
        name_vi=context["name_vi"], name_en=context["name_en"], quantity=context["quantity"],
        figure_min_mm=context["sizes"]["figure_min_mm"], min_char_mm=min_char, gtin=context["gtin"],
        magnification=package.barcode_magnification, digital_link=context["digital_link"],
        required_texts=tuple(required_texts(context)))


def plan(entries: list[ProductEntry], as_of: date) -> list[Plan]:
    """Plan one label per packaging variant of every product."""
    return [doc for entry in entries for doc in _plan_product(entry)]


def _plan_product(entry: ProductEntry) -> list[Plan]:
    producer, product = entry.producer.model, entry.model
    assert producer is not None and product is not None
    plans = []
    for i, package in enumerate(product.packages):
        context = build_context(producer, product, package)
        plans.append(Plan(
            kind=LABEL.id, product=entry.id, producer=entry.producer.slug, variant=package.sku,
            path=label_path(entry, package), template=TEMPLATE,
            source=entry.doc.display, source_field=f"packages[{i}]", context={"label": context},
            source_line=entry.doc.line_of(("packages", i)),
            fit_steps=[{"fit": {"body_pt": size}} for size in BODY_PT_STEPS],
            fit_sizes=[float(size) for size in BODY_PT_STEPS],
            stylesheets=[STYLESHEET],  # its mandatory texts: the PDF rule pdf-text-missing
            roots=[entry.folder], title=f"{product.name.vi} – {package.net_quantity}",
            size_mm=(float(package.label.width_mm), float(package.label.height_mm)),
            pdf_expect=expectations(context, package, product),
            rule_date=product.lot.effective_print_date))
    return plans


LABEL = Kind("label", plan, applies=lambda entry, as_of: True, artwork=True,
             blocked_by=frozenset({"input", "label", "gtin"}), shows=frozenset({"input", "label", "gtin"}))
