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
from ..domain.dates import last_valid_day, validity_months
from ..domain.food_safety import (
    certificate_route,
    certifying_ministry,
    declaration_number,
    exempting_certificate,
    exemption_basis,
    is_exempt,
    route,
    shelf_life_text,
    spirit_needs_licence,
    spirit_needs_stamp,
)
from ..domain.label import ingredients_line
from ..domain.organisation import organisation
from ..formatting import place_and_date, vn_date, vn_number
from ..law import food_safety_law
from ..loader import ProductEntry
from ..schema import Producer
from . import Attachment, Blanks, Kind, Plan

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


FIELD_MISSING = "fs-field-missing"
PREMISES_MISSING = "fs-premises-missing"


def _org(producer: Producer, blanks: Blanks, *, certificate: bool, as_of: date) -> dict[str, Any]:
    """The applicant block, with the blanks this form needs marked."""
    org = organisation(producer)
    org["exemption_basis"] = exemption_basis(producer, as_of)
    org["phone"] = blanks.need(org["phone"], ("contact", "phone"), "số điện thoại", producer=True)
    if certificate:
        for key, field, what in (("certificate_number", "number", "số giấy chứng nhận"),
                                 ("certificate_date", "issued_on", "ngày cấp"),
                                 ("certificate_issuer", "issued_by", "nơi cấp")):
            org[key] = blanks.need(org[key], ("food_safety_certificate", field), what, producer=True)
    return org


def _test_reports(entry: ProductEntry, on: date) -> list[dict[str, Any]]:
    """The attached test reports, each flagged when it is older than the law allows on ``on``."""
    assert entry.model is not None
    return [{**r.model_dump(), "stale": last_valid_day("test_report", r.date) < on,
             "months": validity_months("test_report")} for r in entry.model.food_safety.test_reports]


def spirit_context(entry: ProductEntry, blanks: Blanks) -> dict[str, Any] | None:
    """A spirit's licence and alcohol stamp, as Form 01 states them (Decree 105/2017 Art. 4, 6, 9)."""
    producer, product = entry.producer.model, entry.model
    assert producer is not None and product is not None
    if not spirit_needs_licence(product):
        return None
    name = product.name.vi
    licence = producer.spirit_licence
    shown: Any = blanks.missing(("spirit_licence",), food_safety_law().spirits.licence, producer=True,
                                code="spirit-licence-missing", product=name)
    if licence is not None:
        shown = {"number": licence.number, "issued_by": licence.issued_by,
                 "issued_on": vn_date(licence.issued_on, 4) if licence.issued_on else None}
    stamp: Any = None
    if spirit_needs_stamp(product):
        spirit = product.spirit
        stamp = True if spirit is not None and spirit.stamp else blanks.missing(
            ("spirit",) if spirit is None else ("spirit", "stamp"), "tem rượu dán trên chai",
            code="spirit-stamp-missing", product=name)
    return {"licence": shown, "licence_title": food_safety_law().spirits.licence, "stamp": stamp}


def declaration_context(entry: ProductEntry, as_of: date) -> dict[str, Any]:
    """Everything Form 01 prints for one product."""
    producer, product = entry.producer.model, entry.model
    assert producer is not None and product is not None
    blanks = Blanks(FIELD_MISSING, entry.doc, entry.producer.doc)
    fs = product.food_safety
    declaration = fs.declaration
    main, excipients = ingredients_line(product)
    standards = [s for s in [product.applied_standard, *fs.safety_standards] if s]
    maker = fs.contract_manufacturer
    law = food_safety_law().self_declaration
    site = producer.site(product.production_site)
    place_loc = ("food_safety", "declaration", "place" if declaration.place is None else "date")
    return {
        "sample": producer.sample or product.sample,
        "law": law.model_dump(),
        "org": _org(producer, blanks, certificate=not is_exempt(producer, as_of), as_of=as_of),
        "number": blanks.need(declaration_number(producer, product), ("food_safety", "declaration", "number"),
                              "số bản tự công bố"),
        "product_name": product.name.vi,
        "ingredients": main + (f"; phụ liệu: {excipients}" if excipients else ""),
        "shelf_life": blanks.need(shelf_life_text(product), ("shelf_life",), "thời hạn sử dụng"),
        "packages": [{"quantity": str(p.net_quantity), "material": p.pack_material}
                     for p in product.packages],
        "contract_manufacturer": {"name": maker.name, "address": maker.address.one_line()} if maker else None,
        "site": {"name": site.name, "address": site.address.one_line()},
        "spirit": spirit_context(entry, blanks),
        "labels": _label_slots(entry),
        "standards": blanks.need(standards, ("food_safety", "safety_standards"),
                                 "tiêu chuẩn, quy chuẩn áp dụng"),
        "test_reports": blanks.need(_test_reports(entry, declaration.date or as_of),
                                    ("food_safety", "test_reports"),
                                    "phiếu kết quả kiểm nghiệm trong 12 tháng"),
        "receiving_body": blanks.need(declaration.receiving_body,
                                      ("food_safety", "declaration", "receiving_body"),
                                      "cơ quan tiếp nhận bản tự công bố"),
        "publication": blanks.need(declaration.publication.model_dump() if declaration.publication else None,
                                   ("food_safety", "declaration", "publication"),
                                   "nơi đăng tải bản tự công bố"),
        "place_date": blanks.need(place_and_date(declaration.place, declaration.date), place_loc,
                                  "nơi và ngày công bố"),
    }


def application_context(producer: Producer, entries: list[ProductEntry], as_of: date) -> dict[str, Any]:
    """The certificate application: the request, the premises description, the staff list."""
    doc = entries[0].producer.doc
    blanks = Blanks(FIELD_MISSING, None, doc)
    premises_blanks = Blanks(PREMISES_MISSING, None, doc)
    products = [e.model for e in entries if e.model is not None]
    ministry = certifying_ministry(producer, products)
    line = food_safety_law().ministries.get(ministry) if ministry else None
    certificate = producer.food_safety_certificate
    renewal = certificate_route(producer, products, as_of) == "renew"
    reason = None
    if renewal and certificate is not None and certificate.valid_until is not None:
        ended = certificate.valid_until < as_of
        reason = (f"Giấy chứng nhận số {certificate.number} {'đã hết hạn' if ended else 'hết hạn'} ngày "
                  f"{vn_date(certificate.valid_until, 4)}")
    premises = producer.premises.model_dump() if producer.premises else {}
    needed = {"total_area_m2": "tổng diện tích", "production_area_m2": "diện tích khu sản xuất",
              "layout": "bố trí mặt bằng", "construction": "kết cấu nhà xưởng", "water_source": "nguồn nước",
              "waste": "xử lý chất thải"}
    for name, what in needed.items():
        loc = ("premises", name) if producer.premises else ("premises",)
        value = premises.get(name)
        shown = f"{vn_number(value)} m²" if isinstance(value, Decimal) else value
        premises[name] = premises_blanks.need(shown, loc, what, producer=True)
    if premises.get("storage_area_m2") is not None:
        premises["storage_area_m2"] = f"{vn_number(premises['storage_area_m2'])} m²"
    months = validity_months("health_certificate")
    staff = [{**s.model_dump(),
              "health": blanks.need(vn_date(s.health_certificate_date, 4) if s.health_certificate_date
                                    else None, ("staff", i, "health_certificate_date"), "ngày khám sức khỏe",
                                    producer=True),
              "training": blanks.need(vn_date(s.training_date, 4) if s.training_date else None,
                                      ("staff", i, "training_date"), "ngày tập huấn", producer=True),
              "stale": s.health_certificate_date is not None
              and last_valid_day("health_certificate", s.health_certificate_date) < as_of,
              "months": months}
             for i, s in enumerate(producer.staff)]
    ministry_loc = ("food_safety_certificate", "ministry")
    return {
        "sample": producer.sample,
        "org": _org(producer, blanks, certificate=renewal, as_of=as_of),
        "ministry": line.model_dump() if line else None,
        "issuer": blanks.need(line.issuer if line else None, ministry_loc,
                              "cơ quan cấp Giấy chứng nhận (Sở Công Thương, Sở Nông nghiệp và Môi trường "
                              "hoặc Bộ Y tế)", producer=True),
        "instrument": blanks.need(line.instrument if line else None, ministry_loc,
                                  "văn bản hướng dẫn của bộ quản lý", producer=True),
        "renewal": renewal,
        "reason": reason,
        "products": [p.name.vi for p in products],
        "premises": premises,
        "equipment": premises_blanks.need([e.model_dump() for e in producer.equipment], ("equipment",),
                                          "danh mục trang thiết bị, dụng cụ", producer=True),
        "staff": premises_blanks.need(staff, ("staff",), "danh sách người trực tiếp sản xuất", producer=True),
    }


def exemption_context(producer: Producer, entries: list[ProductEntry], as_of: date) -> dict[str, Any]:
    """The one-page note of why the establishment needs no certificate."""
    blanks = Blanks(FIELD_MISSING, None, entries[0].producer.doc)
    cert = exempting_certificate(producer, as_of)
    return {
        "sample": producer.sample,
        "org": _org(producer, blanks, certificate=False, as_of=as_of),
        "basis": blanks.need(exemption_basis(producer, as_of), ("food_safety_certificate", "exemption_basis"),
                             "căn cứ miễn (ví dụ Điều 12.1(k) Nghị định 15/2018/NĐ-CP)", producer=True),
        "certificate": {**cert.model_dump(), "valid_until": vn_date(cert.valid_until, 4)
                        if cert.valid_until else None} if cert else None,
        "law": food_safety_law().certificate.model_dump(),
    }


def commitment_context(producer: Producer, entries: list[ProductEntry], as_of: date) -> dict[str, Any]:
    """A household business's commitment to ensure food safety, filed with its commune."""
    blanks = Blanks(FIELD_MISSING, None, entries[0].producer.doc)
    law = food_safety_law().commitment
    products = [e.model for e in entries if e.model is not None]
    sites = {e.model.production_site for e in entries if e.model is not None}
    site = producer.site(sorted(s for s in sites if s)[0] if any(sites) else None)
    return {
        "sample": producer.sample,
        "org": _org(producer, blanks, certificate=False, as_of=as_of),
        "receiving_body": law.receiving_body.format(commune=site.address.commune),
        "site": {"name": site.name, "address": site.address.one_line()},
        "products": [p.name.vi for p in products],
        "basis": law.basis,
    }


def plan_declarations(entries: list[ProductEntry], as_of: date) -> list[Plan]:
    """One Form 01 per product on the self-declaration route."""
    plans = []
    for entry in entries:
        product = entry.model
        assert product is not None
        if route(product) != "self_declaration":
            continue  # the rule fs-registration-route says what to file instead
        context = declaration_context(entry, as_of)
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
        papers = certificate_route(producer, [e.model for e in group if e.model is not None], as_of)
        if papers in ("none", "gmp"):
            continue  # a valid certificate (nothing to file), or the GMP procedure (not this dossier)
        exempt, commitment = papers == "exempt", papers == "commitment"
        template = ("food_safety/commitment.html" if commitment else "food_safety/exemption.html" if exempt
                    else "food_safety/application.html")
        context = (commitment_context(producer, group, as_of) if commitment
                   else exemption_context(producer, group, as_of) if exempt
                   else application_context(producer, group, as_of))
        plans.append(Plan(
            kind=CERTIFICATE.id, product=None, producer=slug, variant=None,
            path=paths.certificate_path(slug, exempt, commitment=commitment),
            template=template, source=group[0].producer.doc.display, source_field="",
            source_line=group[0].producer.doc.line_of(()),
            context=context, stylesheets=[STYLESHEET], roots=[group[0].folder], paged=True,
            required_texts=[producer.legal_name],
            title=("Bản cam kết bảo đảm an toàn thực phẩm" if commitment
                   else "Thông báo cơ sở không thuộc diện cấp Giấy chứng nhận" if exempt
                   else "Hồ sơ đề nghị cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"),
            rule_date=as_of))
    return plans


def _files_certificate(entry: ProductEntry, as_of: date) -> bool:
    producer, product = entry.producer.model, entry.model
    assert producer is not None and product is not None
    return certificate_route(producer, [product], as_of) not in ("none", "gmp")


def _declares(entry: ProductEntry, as_of: date) -> bool:
    assert entry.model is not None
    return route(entry.model) == "self_declaration"


DECLARATION = Kind("food-safety-declaration", plan_declarations, applies=_declares, stage="embeds",
                   blocked_by=frozenset({"input", "food_safety"}), shows=frozenset({"food_safety"}))
CERTIFICATE = Kind("food-safety-certificate", plan_certificates, applies=_files_certificate,
                   blocked_by=frozenset({"input", "food_safety"}), shows=frozenset({"food_safety"}),
                   producer_file_only=True)
