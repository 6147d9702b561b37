"""Food-safety facts (Decree 15/2018/NĐ-CP).

A product's route, its declaration's number, its shelf life as declared; whether its producer
is exempt from the establishment certificate, and under which ministry line it is certified.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from ..formatting import vn_date
from ..law import food_safety_law, label_law
from ..schema import Producer, Product
from .dates import valid_on
from .label import expiry_date


def route(product: Product) -> str:
    """Self-declaration, registration with MOH, or none, as the data or the group says."""
    if product.food_safety.route is not None:
        return product.food_safety.route
    return "registration" if product.group in food_safety_law().registration.groups else "self_declaration"


def declaration_number(producer: Producer, product: Product) -> str | None:
    """``01/KD/2026``, or None when the number or date is missing."""
    declaration = product.food_safety.declaration
    if declaration.number is None or declaration.date is None:
        return None
    return f"{declaration.number:02d}/{producer.abbreviation}/{declaration.date.year}"


def shelf_life_text(product: Product) -> str | None:
    """The shelf life as the declaration states it."""
    life = product.shelf_life
    if life is not None:
        span = f"{life.months} tháng" if life.months is not None else f"{life.days} ngày"
        return f"{span} kể từ ngày sản xuất"
    if product.lot.expiry_date is not None:
        return f"đến {vn_date(expiry_date(product) or product.lot.expiry_date, 4)}"
    if "expiry" not in label_law().groups[product.group].items:
        return "không quy định (Phụ lục I Nghị định 37/2026/NĐ-CP chỉ yêu cầu hạn sử dụng “nếu có”)"
    return None


def exempting_certificate(producer: Producer, day: date) -> Any:
    """A management certificate that exempts the establishment on ``day`` (Art. 12.1(k))."""
    schemes = [s.casefold() for s in food_safety_law().certificate.exempting_schemes]
    for cert in producer.management_certificates:
        if valid_on(cert.valid_until, day) and any(cert.scheme.casefold().startswith(s) for s in schemes):
            return cert
    return None


def is_exempt(producer: Producer, day: date) -> bool:
    """True when the producer declares an exemption basis or holds an exempting certificate."""
    certificate = producer.food_safety_certificate
    declared = certificate is not None and certificate.exemption_basis is not None
    return declared or exempting_certificate(producer, day) is not None


def certifying_ministry(producer: Producer, products: list[Product]) -> str | None:
    """The ministry line that certifies the producer: stated, or the one of its largest product."""
    certificate = producer.food_safety_certificate
    if certificate is not None and certificate.ministry is not None:
        return certificate.ministry
    outputs: dict[str, Decimal] = defaultdict(Decimal)
    for product in products:
        if product.food_safety.ministry is not None:
            outputs[product.food_safety.ministry] += product.food_safety.annual_output_kg or Decimal(0)
    return max(outputs, key=lambda m: outputs[m]) if outputs else None
