"""Food-safety facts (Decree 15/2018/NĐ-CP).

A product's route, its declaration's number, its shelf life as declared; whether its producer
is exempt from the establishment certificate, and under which ministry line it is certified.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from ..formatting import vn_date
from ..law import ManagementKind, food_safety_law, label_law
from ..schema import Producer, Product
from .dates import add_months, valid_on
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
        return "không quy định"  # App. I asks for an expiry date only "if any" for this group
    return None


def management_kind(scheme: str) -> ManagementKind | None:
    """What a certificate of ``scheme`` is: VietGAP a good practice, HACCP a food-safety system."""
    return food_safety_law().management_kind(scheme)


def exempting_certificate(producer: Producer, day: date) -> Any:
    """A management certificate that exempts the establishment on ``day`` (Art. 12.1(k))."""
    kinds = food_safety_law().certificate.exempting_kinds
    for cert in producer.management_certificates:
        if valid_on(cert.valid_until, day) and management_kind(cert.scheme) in kinds:
            return cert
    return None


CertificateRoute = Literal["none", "gmp", "commitment", "exempt", "apply", "renew"]
"""What a producer files about its establishment: nothing (a certificate valid beyond the renewal
window), the GMP procedure (health supplements, Art. 28–29: not this dossier), the commitment
of a household business with its commune, an exemption note, or the application for a first
certificate or a renewal."""


def signs_commitment(producer: Producer, products: list[Product]) -> bool:
    """True for a household business of a ministry line that asks a commune commitment instead."""
    law = food_safety_law().commitment
    ministry = certifying_ministry(producer, products)
    return producer.legal_form in law.legal_forms and ministry in law.ministries


def holds_certificate(producer: Producer, day: date) -> bool:
    """True when the producer holds a food-safety certificate (GMP for a supplement) valid on ``day``."""
    certificate = producer.food_safety_certificate
    return (certificate is not None and certificate.number is not None
            and valid_on(certificate.valid_until, day))


def renewal_due(producer: Producer, day: date) -> bool:
    """True when the producer's certificate has ended, or ends within the renewal window of ``day``."""
    certificate = producer.food_safety_certificate
    if certificate is None or certificate.number is None or certificate.valid_until is None:
        return False
    window = food_safety_law().certificate.renewal_window_months
    return certificate.valid_until <= add_months(day, window)


def makes_supplements(products: list[Product]) -> bool:
    """True when the producer makes a product on the registration route (health supplements)."""
    return any(route(p) == "registration" for p in products)


def certificate_route(producer: Producer, products: list[Product], day: date) -> CertificateRoute:
    """Which establishment paper the producer files on ``day``."""
    if holds_certificate(producer, day) and not renewal_due(producer, day):
        return "none"
    if makes_supplements(products):
        return "gmp"
    if signs_commitment(producer, products):
        return "commitment"
    if is_exempt(producer, day):
        return "exempt"
    return "renew" if renewal_due(producer, day) else "apply"


def is_exempt(producer: Producer, day: date) -> bool:
    """True when the producer needs no certificate and holds none: a declared basis or an exempting one."""
    if holds_certificate(producer, day):
        return False  # it files with its certificate, whatever else it holds
    certificate = producer.food_safety_certificate
    declared = certificate is not None and certificate.exemption_basis is not None
    household = producer.legal_form in food_safety_law().commitment.legal_forms
    return declared or household or exempting_certificate(producer, day) is not None


def exemption_basis(producer: Producer, day: date) -> str | None:
    """Why the establishment needs no certificate: the basis it declares, else its exempting certificate.

    None when it needs one, or holds one (it then files with it).
    """
    if not is_exempt(producer, day):
        return None
    certificate = producer.food_safety_certificate
    if certificate is not None and certificate.exemption_basis is not None:
        return certificate.exemption_basis
    held = exempting_certificate(producer, day)
    if held is None:
        commitment = food_safety_law().commitment
        return commitment.basis if producer.legal_form in commitment.legal_forms else None
    number = f" số {held.number}" if held.number else ""
    article = food_safety_law().certificate.exempting_article
    return f"{article}: cơ sở có Giấy chứng nhận {held.scheme}{number} còn hiệu lực"


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


def spirit_needs_licence(product: Product) -> bool:
    """A spirit of 5.5 % vol or more made for sale other than to a licensed re-processor (Decree 105/2017)."""
    law = food_safety_law().spirits
    strong = product.ethanol_percent is None or product.ethanol_percent >= law.min_ethanol_percent
    sale = product.spirit.sale if product.spirit is not None else "home_market"
    return product.group == "ruou" and strong and sale != "reprocessing"


def spirit_needs_stamp(product: Product) -> bool:
    """A spirit that needs a licence and is sold in Viet Nam carries the alcohol stamp (Art. 6.1)."""
    sale = product.spirit.sale if product.spirit is not None else "home_market"
    return spirit_needs_licence(product) and sale == "home_market"
