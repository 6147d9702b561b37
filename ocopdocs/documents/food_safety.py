"""Food-safety dossiers (Decree 15/2018/NĐ-CP).

The product self-declaration (Form 01) with the product's own labels in section III, and per
producer the application for the establishment certificate (or, for an exempt establishment,
a note of the exemption basis).

Values the files do not give are passed as None; the templates print them as a highlighted
blank, and :mod:`ocopdocs.rules.food_safety` lists each one as a problem. Nothing is invented.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from ..domain import paths
from ..domain.food_safety import (
    certifying_ministry,
    declaration_number,
    exempting_certificate,
    is_exempt,
    route,
    shelf_life_text,
)
from ..domain.label import ingredients_line
from ..domain.organisation import organisation
from ..formatting import place_and_date, vn_date
from ..law import food_safety_law
from ..loader import ProductEntry
from ..schema import Producer
from . import Attachment, Kind, Plan

STYLESHEET = "base/admin.css"
TEXT_WIDTH_MM = Decimal(165)
"""A4 width less the 30 mm left and 15 mm right margins of Decree 30/2020."""
LABEL_MAX_HEIGHT_MM = Decimal(215)
"""Room for one label and its caption on a page."""


def _label_slots(entry: ProductEntry) -> list[dict[str, Any]]:
    product = entry.model
    assert product is not None
    slots = []
    for i, package in enumerate(product.packages):
        width, height = package.label.width_mm, package.label.height_mm
        scale = min(Decimal(1), TEXT_WIDTH_MM / width, LABEL_MAX_HEIGHT_MM / height)
        slots.append({"id": f"label-{i}", "path": paths.label_path(entry, package),
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
    }


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
            kind=DECLARATION.id, product=entry.id, producer=entry.producer.slug, variant=None,
            path=f"{entry.id}/{paths.DECLARATION_FILE}",
            template="food_safety/declaration.html", source=entry.doc.display, source_field="food_safety",
            source_line=entry.doc.line_of(("food_safety",)),
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
        template = "food_safety/exemption.html" if exempt else "food_safety/application.html"
        context = (exemption_context(producer, as_of) if exempt
                   else application_context(producer, group, as_of))
        plans.append(Plan(
            kind=CERTIFICATE.id, product=None, producer=slug, variant=None,
            path=paths.certificate_path(slug, exempt),
            template=template, source=group[0].producer.doc.display, source_field="",
            source_line=group[0].producer.doc.line_of(()),
            context=context, stylesheets=[STYLESHEET], roots=[group[0].folder], paged=True,
            required_texts=[producer.legal_name],
            title=("Thông báo cơ sở không thuộc diện cấp Giấy chứng nhận" if exempt
                   else "Hồ sơ đề nghị cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"),
            rule_date=as_of))
    return plans


def _declares(entry: ProductEntry) -> bool:
    assert entry.model is not None
    return route(entry.model) == "self_declaration"


DECLARATION = Kind("food-safety-declaration", plan_declarations, applies=_declares, stage="embeds",
                   shows=frozenset({"food_safety"}))
CERTIFICATE = Kind("food-safety-certificate", plan_certificates, applies=lambda entry: True,
                   shows=frozenset({"food_safety"}), producer_file_only=True)
