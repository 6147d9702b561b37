"""Labels: one print-ready PDF per packaging variant.

The context carries everything Decree 37/2026 Art. 42 and App. I ask of the product's group
(or Decree 43/2017 as amended by 111/2021 for labels printed before 23/01/2026), already
worded as printed, plus the sizes the layout must respect: the net-quantity figures at least
the height of their band, the name larger than any other text, the EAN-13 at GS1 geometry.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from typing import Any

from .. import gs1
from ..design import css_cmyk, design, srgb
from ..domain import ocop
from ..domain.design import Look, logo_file, look
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
from ..formatting import NBSP, keep_with_unit, vn_number, with_unit
from ..law import label_law
from ..loader import ProductEntry
from ..markimage import MarkFile
from ..schema import Package, Producer, Product
from . import Fit, Kind, Plan
from .labelfit import choose

TEMPLATE = "label/label.html"
STYLESHEET = "label/label.css"

FIGURE_MARGIN = Decimal("1.06")
"""Print the figures 6 % above the legal minimum, so rounding never lands below it."""
X_HEIGHT_MARGIN = Decimal("1.04")
"""Keep the smallest body size's x-height 4 % above the legal minimum."""
QR_MODULE_MM = Decimal("0.45")
PT_MM = Decimal("0.3528")
"""Millimetres in a point (25.4 / 72), as the template multiplies them."""
NAME_EN_SHARE = Decimal("0.6")
"""The English name's size as a share of the Vietnamese name's (never larger: Art. 39)."""
LOGO_MAX_WIDTH_MM = Decimal(30)
LOGO_SCALE = Decimal("1.5")
"""The logo's height as a share of the name's size: about the brand line and the name."""
SIDE_COLUMN_MIN_MM = Decimal(30)
"""The codes' column beside the text is never narrower: the dates and the lot fit in it."""
SIDE_ROW_SHARE = Decimal("0.42")
"""The EAN-13 and the QR stand side by side beside the text when that takes at most this share
of the label's width."""
SYMBOL_GAP_MM = Decimal(4)
"""Between the EAN-13 and the QR side by side (label.css)."""


def _mm(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_CEILING)


def type_sizes(package: Package, figures_em: Decimal) -> dict[str, Decimal]:
    """Font sizes in mm that the law fixes: the quantity figures and, above them, the name.

    ``figures_em``: the height of the font's figures as a share of its size.
    """
    law = label_law()
    figure_min = law.min_figure_height(package.net_quantity.base)
    quantity_font = _mm(figure_min / figures_em * FIGURE_MARGIN)
    barcode_font = gs1.X_NOMINAL_MM * package.barcode_magnification * Decimal("9.3")
    name_font = _mm(max(quantity_font * Decimal("1.2"), barcode_font * Decimal("1.3"), Decimal("5.5")))
    return {"figure_min_mm": figure_min, "quantity_font_mm": quantity_font,
            "name_font_mm": name_font, "name_en_font_mm": _mm(name_font * Decimal("0.6"))}


def build_context(producer: Producer, product: Product, package: Package,
                  folder: Path | None = None) -> dict[str, Any]:
    """Everything the label template prints, worded and sized; ``folder``: where its logo is."""
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
        supplement = {k: keep_with_unit(v) if isinstance(v, str) else v for k, v in supplement.items()}
        usage, warnings = None, []
    strength = product.ethanol_percent
    ethanol = with_unit(vn_number(strength), f"%{NBSP}vol") if strength else None
    return {
        "sample": producer.sample or product.sample,
        "regime": regime.model_dump(),
        "group": group.model_dump(),
        "page": {"width_mm": width, "height_mm": height},
        "print": print_geometry(),
        "design": design_context(look(producer, product), folder),
        "pt_mm": PT_MM,
        "name_en_share": NAME_EN_SHARE,
        "logo_scale": LOGO_SCALE,
        "sizes": type_sizes(package, look(producer, product).font.figures),
        "brand": product.brand,
        "name_vi": product.name.vi,
        "name_en": product.name.en if "en" in package.languages else None,
        "fixed_sentences": group.fixed_sentences,
        "ingredients": keep_with_unit(main),
        "excipients": keep_with_unit(excipients) if excipients else None,
        "unit_name": product.health_supplement.unit_name if product.health_supplement else None,
        "claims": product.claims,
        "allergens": product.allergens,
        "health_supplement": supplement,
        "usage": keep_with_unit(usage) if usage else usage,
        "storage": keep_with_unit(product.storage) if product.storage else product.storage,
        "warnings": [keep_with_unit(w) for w in warnings],
        "ethanol": ethanol,
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
        **side_column(package, gtin, link),
        "digital_link": link,
        "ocop_stars": certificate.stars if show_ocop and certificate else None,
    }


def side_column(package: Package, gtin: str | None, link: str | None) -> dict[str, Any]:
    """The codes' column when it stands beside the text: its width, and the symbols' order.

    On a wide label the EAN-13 and the QR stand side by side in it: a shorter column leaves the
    text room.
    """
    symbols = []
    if gtin is not None:
        symbols.append(gs1.ean13_width_mm(package.barcode_magnification))
    if link is not None:
        symbols.append(gs1.qr_module_count(link) * QR_MODULE_MM)
    row = sum(symbols) + SYMBOL_GAP_MM * (len(symbols) - 1)
    in_a_row = len(symbols) > 1 and row <= package.label.width_mm * SIDE_ROW_SHARE
    width = row if in_a_row else max(symbols, default=Decimal(0))
    return {"side_column_mm": _mm(max(SIDE_COLUMN_MIN_MM, width)), "side_row": in_a_row}


def print_geometry() -> dict[str, Decimal]:
    """Bleed and crop marks, as the page template draws them."""
    geometry = design().print
    return {"bleed_mm": geometry.bleed_mm, "mark_offset_mm": geometry.mark_offset_mm,
            "mark_length_mm": geometry.mark_length_mm, "mark_width_pt": geometry.mark_width_pt,
            "outside_mm": geometry.outside_mm}


def design_context(chosen: Look, folder: Path | None) -> dict[str, Any]:
    """The theme as the template applies it: CSS colours, font stack, padding, logo."""
    data = design()
    fallback = data.fonts[data.fallback_font].family
    logo = None
    if chosen.logo is not None and folder is not None:
        found = logo_file(folder, chosen.logo)
        if isinstance(found, MarkFile):  # an unusable logo is the rule label-logo-unusable
            logo = {"src": found.path.as_uri(), "height_mm": data.logo.height_mm,
                    "ratio": Decimal(str(found.width / found.height)).quantize(Decimal("0.001")),
                    "max_width_mm": LOGO_MAX_WIDTH_MM}
    return {
        "theme": chosen.theme_id,
        "font_family": f'"{chosen.font.family}", "{fallback}", sans-serif',
        "colours": {role: css_cmyk(colour.cmyk) for role, colour in chosen.colours.items()},
        "ink": css_cmyk(data.text_black),
        "padding_mm": chosen.theme.padding_mm or data.print.padding_mm,
        "side_bar_mm": chosen.theme.side_bar_mm,
        "name_scale": chosen.theme.name_scale,
        "quantity_scale": chosen.theme.quantity_scale,
        "logo": logo,
        "digits": {"family": f"'{data.barcode_digits.family}', '{data.barcode_digits.fallback}', monospace",
                   "advance": data.barcode_digits.advance},
    }


def body_range(chosen: Look, min_char_mm: Decimal | None) -> tuple[Decimal, Decimal]:
    """The smallest lawful body size (x-height above the minimum) and the theme's largest, in pt."""
    floor = design().print.min_body_pt
    if min_char_mm is not None:
        lawful = min_char_mm / chosen.font.x_height / PT_MM * X_HEIGHT_MARGIN
        floor = (lawful * 10).to_integral_value(rounding=ROUND_CEILING) / 10
    return floor, max(floor, chosen.theme.body_max_pt)


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


def expectations(context: dict[str, Any], package: Package, product: Product, chosen: Look,
                 product_file: str) -> LabelExpect:
    """What the PDF rules must find on this label; ``product_file`` names where its fields are."""
    min_char = min_character_height(product, package)
    geometry = design().print
    colours = []
    for colour in chosen.colours.values():
        file = "ocopdocs/design/themes.yaml"
        if colour.field.startswith("design."):
            file = "producer.yaml" if colour.in_producer else product_file
        red, green, blue = (round(channel * 255) for channel in srgb(colour.cmyk))
        colours.append((f"{colour.field} ({file})", (red, green, blue)))
    return LabelExpect(
        name_vi=context["name_vi"], name_en=context["name_en"], quantity=context["quantity"],
        figure_min_mm=context["sizes"]["figure_min_mm"], min_char_mm=min_char, gtin=context["gtin"],
        magnification=package.barcode_magnification, digital_link=context["digital_link"],
        required_texts=tuple(required_texts(context)), safe_mm=geometry.safe_mm,
        min_contrast=geometry.min_contrast, colours=tuple(colours),
        padding_mm=context["design"]["padding_mm"], unused_share=geometry.unused_share)


def plan(entries: list[ProductEntry], as_of: date) -> list[Plan]:
    """Plan one label per packaging variant of every product."""
    return [doc for entry in entries for doc in _plan_product(entry)]


def _plan_product(entry: ProductEntry) -> list[Plan]:
    producer, product = entry.producer.model, entry.model
    assert producer is not None and product is not None
    plans = []
    chosen = look(producer, product)
    for i, package in enumerate(product.packages):
        context = build_context(producer, product, package, entry.folder)
        smallest, largest = body_range(chosen, min_character_height(product, package))
        choices = choose(context, chosen, smallest, largest)
        logo = context["design"]["logo"]
        plans.append(Plan(
            kind=LABEL.id, product=entry.id, producer=entry.producer.slug, variant=package.sku,
            path=label_path(entry, package), template=TEMPLATE,
            source=entry.doc.display, source_field=f"packages[{i}]", context={"label": context},
            source_line=entry.doc.line_of(("packages", i)),
            fit=Fit(smallest, largest, choices),
            inputs=[entry.folder / chosen.logo] if logo and chosen.logo else [],
            stylesheets=[STYLESHEET],  # its mandatory texts: the PDF rule pdf-text-missing
            roots=[entry.folder], title=f"{product.name.vi} – {package.net_quantity}",
            size_mm=(float(package.label.width_mm), float(package.label.height_mm)),
            bleed_mm=float(design().print.bleed_mm), fonts=[chosen.font.family],
            pdf_expect=expectations(context, package, product, chosen, entry.doc.display),
            rule_date=product.lot.effective_print_date))
    return plans


LABEL = Kind("label", plan, applies=lambda entry, as_of: True, artwork=True,
             blocked_by=frozenset({"input", "label", "gtin"}), shows=frozenset({"input", "label", "gtin"}))
