"""Label facts: what a product's label states, worded as printed, and what its PDF must show.

The label template prints these; the data rules check them; the PDF rules compare the rendered
page with :class:`LabelExpect`. Decree 37/2026 Art. 42 and App. I (or Decree 43/2017 as amended
by 111/2021 for labels printed before 23/01/2026) decide what a label carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .. import gs1
from ..formatting import NBSP, vn_date, vn_number, vn_percent, with_unit
from ..law import label_law
from ..schema import Ingredient, Package, Producer, Product
from .dates import add_days, add_months

COLON_PHRASES = {"Xuất xứ", "Nước sản xuất", "Origin"}


def expiry_date(product: Product) -> date | None:
    """Return the expiry (or best-before) date of the lot, if the product has a shelf life."""
    if product.lot.expiry_date is not None:
        return product.lot.expiry_date
    life = product.shelf_life
    if life is None:
        return None
    produced = product.lot.production_date
    if life.months is not None:
        return add_months(produced, life.months)
    assert life.days is not None
    return add_days(produced, life.days)


def printed_gtin(producer: Producer, package: Package) -> str | None:
    """The GTIN the label prints as an EAN-13: None without one, or without a GS1 prefix.

    A barcode is optional content (Decree 37/2026 Art. 50); a GTIN not backed by the
    producer's GS1 prefix is not printed (the rule gtin-no-prefix says so). Nor is one that is
    no GTIN-13: the rules that say so may not be in force on the day judged (before 2000).
    """
    if producer.gs1 is None or package.gtin is None or not gs1.is_valid_gtin(package.gtin):
        return None
    return package.gtin


def digital_link(product: Product, gtin: str | None, serial: str | None = None) -> str | None:
    """Return the GS1 Digital Link the label's QR carries: None without a resolver or a GTIN.

    A traceability stamp adds its ``serial`` (AI 21) to the same link.
    """
    if product.traceability is None or gtin is None:
        return None
    expiry = expiry_date(product)
    best_before = product.date_style == "best_before"
    return gs1.digital_link(product.traceability.resolver, gtin, product.lot.code,
                            expiry=None if best_before else expiry,
                            best_before=expiry if best_before else None, serial=serial)


def _ingredient_text(item: Ingredient) -> str:
    """One ingredient as printed: name, share or amount, additive group and INS."""
    text = item.name
    additive = item.additive
    if additive is not None:
        group = additive.group + (f" {additive.qualifier}" if additive.qualifier else "")
        code = f"INS {additive.ins}" if additive.ins else None
        if item.name.lower() == additive.group.lower():
            text = f"{group} ({code})" if code else group
        else:
            text = f"{group} ({item.name}{', ' + code if code else ''})"
    if item.percent is not None:
        text += f" {vn_percent(item.percent)}"
    if item.amount is not None:
        text += f" {_vn_quantity(str(item.amount))}"
    return text


def _vn_quantity(text: str) -> str:
    """``1.5 kg`` → ``1,5 kg``: a decimal comma, and a no-break space before the unit."""
    return text.replace(".", ",").replace(" ", NBSP)


def ingredients_line(product: Product) -> tuple[str, str | None]:
    """Return (ingredients, excipients) as printed; excipients only for supplements."""
    items = product.ingredients or []
    main = "; ".join(_ingredient_text(i) for i in items if not i.excipient)
    extra = ", ".join(_ingredient_text(i) for i in items if i.excipient)
    return main, extra or None


def quantity_line(package: Package) -> tuple[str, str, str | None]:
    """Return (label word, figures, multipack detail): "Khối lượng tịnh", "500 g", "(10 gói x 50 g)"."""
    word = "Khối lượng tịnh" if package.net_quantity.kind == "mass" else "Thể tích thực"
    detail = None
    if package.multipack is not None:
        pack = package.multipack
        detail = f"({pack.count} {pack.unit_name} x {_vn_quantity(str(pack.each))})"
    return word, _vn_quantity(str(package.net_quantity)), detail


def date_line(product: Product) -> list[str]:
    """Return the date statements, to be printed together on one line."""
    produced = product.lot.production_date
    expiry = expiry_date(product)
    parts = [f"NSX: {vn_date(produced)}"]
    if expiry is not None:
        if product.date_style == "relative" and product.shelf_life is not None:
            life = product.shelf_life
            span = f"{life.months} tháng" if life.months is not None else f"{life.days} ngày"
            parts.append(f"HSD: {span} kể từ NSX")
        elif product.date_style == "best_before":
            parts.append(f"Sử dụng tốt nhất trước ngày: {vn_date(expiry)}")
        else:
            parts.append(f"HSD: {vn_date(expiry)}")
    return parts


def origin_line(product: Product) -> str:
    """Return the origin statement, the country in full."""
    phrase = product.origin.phrase
    sep = ": " if phrase in COLON_PHRASES else " "
    return f"{phrase}{sep}{product.origin.country}"


def nutrition_rows(product: Product) -> list[tuple[str, str]]:
    """Return the nutrition panel rows (Circular 30/2026 order and units)."""
    n = product.nutrition
    if n is None:
        return []
    rows = [("Năng lượng", with_unit(vn_number(n.energy_kcal), "kcal")),
            ("Chất đạm", with_unit(vn_number(n.protein_g), "g")),
            ("Carbohydrat", with_unit(vn_number(n.carbohydrate_g), "g"))]
    if n.sugars_g is not None:
        rows.append(("– Đường tổng số", with_unit(vn_number(n.sugars_g), "g")))
    rows.append(("Chất béo", with_unit(vn_number(n.fat_g), "g")))
    if n.saturated_fat_g is not None:
        rows.append(("– Chất béo bão hòa", with_unit(vn_number(n.saturated_fat_g), "g")))
    rows.append(("Natri", with_unit(vn_number(n.sodium_mg), "mg")))
    return rows


@dataclass(frozen=True)
class LabelExpect:
    """What a rendered label must show, derived from the data; PDF rules compare against it."""

    name_vi: str
    """The Vietnamese product name, which must be the largest text."""
    name_en: str | None
    """The English name, if printed; never larger than the Vietnamese."""
    quantity: str
    """The net-quantity figures as printed, e.g. "500 g" or "1,5 kg"."""
    figure_min_mm: Decimal
    """Minimum height of the quantity figures (2 / 3 / 4 / 6 mm by band)."""
    min_char_mm: Decimal | None
    """Minimum character height for all text, or None (small pack, or a regime without it)."""
    gtin: str | None
    """The GTIN-13 the EAN-13 must encode; None for a label without a barcode."""
    magnification: Decimal
    """Declared EAN-13 magnification (X = 0.33 mm × this)."""
    digital_link: str | None
    """The URI the QR must decode to, or None when the label has no QR."""
    required_texts: tuple[str, ...]
    """Mandatory texts that must be found in the PDF's text (whitespace ignored)."""
    safe_mm: Decimal = Decimal(2)
    """No mandatory text, barcode or QR closer than this to the trim."""
    min_contrast: Decimal = Decimal("4.5")
    """The lowest contrast ratio (WCAG 2) of mandatory text against its background."""
    colours: tuple[tuple[str, tuple[int, int, int]], ...] = ()
    """The design's colours as a screen shows them, each with the field that set it, to name the
    field of a colour the text is not legible on."""
    padding_mm: Decimal = Decimal(3)
    """The content's inset from the trim's bottom: space there is not empty."""
    unused_share: Decimal | None = None
    """Warn when more than this share of the label's height is left empty (None: do not)."""


def min_character_height(product: Product, package: Package) -> Decimal | None:
    """The smallest character height the label's regime asks for, or None (small pack, or none)."""
    regime = label_law().regime_on(product.lot.effective_print_date)
    return None if package.small_pack else regime.min_character_height_mm
