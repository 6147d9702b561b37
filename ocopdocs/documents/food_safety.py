"""Food-safety dossiers (Decree 15/2018/NĐ-CP).

The product self-declaration (Form 01) with the product's own labels in section III, and per
producer the application for the establishment certificate (or, for an exempt establishment,
a note of the exemption basis).

Values the files do not give are passed as None; the templates print them as a highlighted
blank, and :mod:`ocopdocs.rules.food_safety` lists each one as a problem. Nothing is invented.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..law import food_safety_law, label_law
from ..loader import ProductEntry
from ..schema import Producer, Product
from ..templating import vn_date
from . import Attachment, Plan
from .label import expiry_date, ingredients_line

DECLARATION = "food-safety-declaration"
CERTIFICATE = "food-safety-certificate"
STYLESHEET = "base/admin.css"
TEXT_WIDTH_MM = Decimal(165)
"""A4 width less the 30 mm left and 15 mm right margins of Decree 30/2020."""
LABEL_MAX_HEIGHT_MM = Decimal(215)
"""Room for one label and its caption on a page."""


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


def place_and_date(place: str | None, day: date | None) -> str | None:
    """``Thái Nguyên, ngày 20 tháng 9 năm 2026`` as administrative documents write it."""
    if place is None or day is None:
        return None
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


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
        valid = cert.valid_until is None or cert.valid_until >= day
        if valid and any(cert.scheme.casefold().startswith(s) for s in schemes):
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


def organisation(producer: Producer) -> dict[str, Any]:
    """Section I of the declaration and the applicant block of the application."""
    certificate = producer.food_safety_certificate
    return {
        "legal_name": producer.legal_name,
        "address": producer.head_office.one_line(),
        "phone": producer.contact.phone, "fax": producer.contact.fax, "email": producer.contact.email,
        "registration_code": producer.registration.code,
        "registration_issued": vn_date(producer.registration.issued_on, 4) if producer.registration.issued_on
        else None,
        "registration_issuer": producer.registration.issued_by,
        "representative": producer.legal_representative.name,
        "representative_title": producer.legal_representative.title,
        "certificate_number": certificate.number if certificate else None,
        "certificate_date": (vn_date(certificate.issued_on, 4)
                             if certificate and certificate.issued_on else None),
        "certificate_issuer": certificate.issued_by if certificate else None,
        "exemption_basis": certificate.exemption_basis if certificate else None,
        "sites": [{"name": s.name, "address": s.address.one_line()} for s in producer.production_sites],
    }


def _label_slots(entry: ProductEntry) -> list[dict[str, Any]]:
    product = entry.model
    assert product is not None
    slots = []
    for i, package in enumerate(product.packages):
        width, height = package.label.width_mm, package.label.height_mm
        scale = min(Decimal(1), TEXT_WIDTH_MM / width, LABEL_MAX_HEIGHT_MM / height)
        slots.append({"id": f"label-{i}", "path": f"{entry.id}/label-{package.sku}.pdf",
                      "sku": package.sku, "quantity": str(package.net_quantity),
                      "width_mm": width, "height_mm": height,
                      "box_width_mm": (width * scale).quantize(Decimal("0.01")),
                      "box_height_mm": (height * scale).quantize(Decimal("0.01")),
                      "scale_percent": int((scale * 100).to_integral_value())})
    return slots


def declaration_context(entry: ProductEntry) -> dict[str, Any]:
    """Everything Form 01 prints for one product."""
    producer, product = entry.producer.model, entry.model
    assert producer is not None and product is not None
    fs = product.food_safety
    declaration = fs.declaration
    main, excipients = ingredients_line(product)
    standards = [s for s in [product.applied_standard, *fs.safety_standards] if s]
    maker = fs.contract_manufacturer
    law = food_safety_law().self_declaration
    return {
        "sample": producer.sample or product.sample,
        "law": law.model_dump(),
        "org": organisation(producer),
        "number": declaration_number(producer, product),
        "product_name": product.name.vi,
        "ingredients": main + (f"; phụ liệu: {excipients}" if excipients else ""),
        "shelf_life": shelf_life_text(product),
        "packages": [{"quantity": str(p.net_quantity), "material": p.pack_material}
                     for p in product.packages],
        "contract_manufacturer": {"name": maker.name, "address": maker.address.one_line()} if maker else None,
        "labels": _label_slots(entry),
        "standards": standards,
        "test_reports": [r.model_dump() for r in fs.test_reports],
        "receiving_body": declaration.receiving_body,
        "publication": declaration.publication.model_dump() if declaration.publication else None,
        "place_date": place_and_date(declaration.place, declaration.date),
    }


def application_context(producer: Producer, entries: list[ProductEntry], as_of: date) -> dict[str, Any]:
    """The certificate application: the request, the premises description, the staff list."""
    products = [e.model for e in entries if e.model is not None]
    ministry = certifying_ministry(producer, products)
    line = food_safety_law().ministries.get(ministry) if ministry else None
    certificate = producer.food_safety_certificate
    renewal = certificate is not None and certificate.number is not None
    premises = producer.premises
    return {
        "sample": producer.sample,
        "org": organisation(producer),
        "ministry": line.model_dump() if line else None,
        "renewal": renewal,
        "products": [p.name.vi for p in products],
        "premises": premises.model_dump() if premises else None,
        "equipment": [e.model_dump() for e in producer.equipment],
        "staff": [{**s.model_dump(), "health": vn_date(s.health_certificate_date, 4)
                   if s.health_certificate_date else None,
                   "training": vn_date(s.training_date, 4) if s.training_date else None}
                  for s in producer.staff],
        "province": producer.head_office.province.removeprefix("tỉnh ").removeprefix("thành phố "),
    }


def exemption_context(producer: Producer, as_of: date) -> dict[str, Any]:
    """The one-page note of why the establishment needs no certificate."""
    cert = exempting_certificate(producer, as_of)
    basis = producer.food_safety_certificate.exemption_basis if producer.food_safety_certificate else None
    return {
        "sample": producer.sample,
        "org": organisation(producer),
        "basis": basis,
        "certificate": {**cert.model_dump(), "valid_until": vn_date(cert.valid_until, 4)
                        if cert.valid_until else None} if cert else None,
        "law": food_safety_law().certificate.model_dump(),
        "province": producer.head_office.province.removeprefix("tỉnh ").removeprefix("thành phố "),
    }


@dataclass(frozen=True)
class _Doc:
    kind: str
    template: str
    name: str


_DECLARATION = _Doc(DECLARATION, "food_safety/declaration.html", "food-safety-declaration.pdf")
_APPLICATION = _Doc(CERTIFICATE, "food_safety/application.html", "food-safety-certificate-application.pdf")
_EXEMPTION = _Doc(CERTIFICATE, "food_safety/exemption.html", "food-safety-exemption-note.pdf")


def declaration_path(entry: ProductEntry) -> str | None:
    """Where the product's self-declaration goes, or None when it takes another route."""
    assert entry.model is not None
    return f"{entry.id}/{_DECLARATION.name}" if route(entry.model) == "self_declaration" else None


def certificate_path(slug: str, exempt: bool) -> str:
    """Where the producer's certificate application (or exemption note) goes."""
    return f"{slug}/{(_EXEMPTION if exempt else _APPLICATION).name}"


def plan_declarations(entries: list[ProductEntry], as_of: date) -> list[Plan]:
    """One Form 01 per product on the self-declaration route."""
    plans = []
    for entry in entries:
        product = entry.model
        assert product is not None
        if route(product) != "self_declaration":
            continue  # the rule fs-registration-route says what to file instead
        context = declaration_context(entry)
        plans.append(Plan(
            kind=DECLARATION, product=entry.id, producer=entry.producer.slug, variant=None,
            path=f"{entry.id}/{_DECLARATION.name}",  # = declaration_path(entry)
            template=_DECLARATION.template, source=entry.doc.display, source_field="food_safety",
            context=context, stylesheets=[STYLESHEET], roots=[entry.folder], paged=True,
            required_texts=[context["org"]["legal_name"], context["product_name"]],
            title=f"Bản tự công bố sản phẩm – {product.name.vi}",
            attachments=[Attachment(s["id"], s["path"]) for s in context["labels"]],
            rule_date=product.food_safety.declaration.date or as_of))
    return plans


def plan_certificates(entries: list[ProductEntry], as_of: date) -> list[Plan]:
    """Per producer: the certificate application, or the exemption note when exempt."""
    by_producer: dict[str, list[ProductEntry]] = defaultdict(list)
    for entry in entries:
        by_producer[entry.producer.slug].append(entry)
    plans = []
    for slug, group in sorted(by_producer.items()):
        producer = group[0].producer.model
        assert producer is not None
        exempt = is_exempt(producer, as_of)
        doc = _EXEMPTION if exempt else _APPLICATION
        context = (exemption_context(producer, as_of) if exempt
                   else application_context(producer, group, as_of))
        plans.append(Plan(
            kind=CERTIFICATE, product=None, producer=slug, variant=None, path=certificate_path(slug, exempt),
            template=doc.template, source=group[0].producer.doc.display, source_field="",
            context=context, stylesheets=[STYLESHEET], roots=[group[0].folder], paged=True,
            required_texts=[producer.legal_name],
            title=("Thông báo cơ sở không thuộc diện cấp Giấy chứng nhận" if exempt
                   else "Hồ sơ đề nghị cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"),
            rule_date=as_of))
    return plans
