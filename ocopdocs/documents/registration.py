"""The registration dossier of a product declaration (Decree 15/2018/NĐ-CP Art. 6–8).

Health supplements and the other registration-route groups register their declaration with
the Cục An toàn thực phẩm instead of declaring it themselves. The dossier is the declaration
form (Mẫu số 02, Phụ lục I) with the product's own labels in section III, and the list of its
attachments (Art. 7.2): the test report of the last 12 months, the scientific evidence of the
effect, the GMP certificate. Whatever the files do not give is a marked blank, reported as a
gap, so a product is not ready until its papers are there.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..domain import paths
from ..domain.food_safety import declaration_number, holds_certificate, route, shelf_life_text
from ..domain.label import ingredients_line
from ..formatting import place_and_date, vn_date
from ..law import food_safety_law
from ..loader import ProductEntry
from . import Attachment, Blanks, Kind, Plan
from .food_safety import FIELD_MISSING, STYLESHEET, _label_slots, _org, _test_reports


def registration_context(entry: ProductEntry, as_of: date) -> dict[str, Any]:
    """Everything the registration form and its list of attachments print for one product."""
    producer, product = entry.producer.model, entry.model
    assert producer is not None and product is not None
    blanks = Blanks(FIELD_MISSING, entry.doc, entry.producer.doc)
    fs = product.food_safety
    declaration = fs.declaration
    on = declaration.date or as_of
    law = food_safety_law().registration
    main, excipients = ingredients_line(product)
    maker = fs.contract_manufacturer
    site = producer.site(product.production_site)
    certificate = producer.food_safety_certificate
    gmp = None
    if holds_certificate(producer, on) and certificate is not None:
        gmp = {"number": certificate.number,
               "issued_on": vn_date(certificate.issued_on, 4) if certificate.issued_on else None,
               "issued_by": certificate.issued_by}
    current = [r for r in _test_reports(entry, on) if not r["stale"]]
    place_loc = ("food_safety", "declaration", "place" if declaration.place is None else "date")
    standards = [s for s in [product.applied_standard, *fs.safety_standards] if s]
    supplement = product.health_supplement
    return {
        "sample": producer.sample or product.sample,
        "law": law.model_dump(),
        "org": _org(producer, blanks, certificate=False, as_of=on),
        "number": blanks.need(declaration_number(producer, product), ("food_safety", "declaration", "number"),
                              "số bản công bố"),
        "product_name": product.name.vi,
        "ingredients": main + (f"; phụ liệu: {excipients}" if excipients else ""),
        "key_criteria": blanks.need(fs.key_criteria, ("food_safety", "key_criteria"),
                                    "chỉ tiêu chất lượng chủ yếu tạo nên công dụng của sản phẩm"),
        "uses": supplement.uses if supplement else None,
        "target_users": supplement.target_users if supplement else None,
        "dosage": supplement.dosage if supplement else None,
        "shelf_life": blanks.need(shelf_life_text(product), ("shelf_life",), "thời hạn sử dụng"),
        "packages": [{"quantity": str(p.net_quantity), "material": p.pack_material}
                     for p in product.packages],
        "contract_manufacturer": {"name": maker.name, "address": maker.address.one_line()} if maker else None,
        "site": {"name": site.name, "address": site.address.one_line()},
        "labels": _label_slots(entry),
        "standards": blanks.need(standards, ("food_safety", "safety_standards"),
                                 "tiêu chuẩn, quy chuẩn áp dụng"),
        "test_reports": blanks.need(current or None, ("food_safety", "test_reports"),
                                    "phiếu kết quả kiểm nghiệm trong 12 tháng tính đến ngày nộp hồ sơ"),
        "efficacy": blanks.need(fs.efficacy_evidence, ("food_safety", "efficacy_evidence"),
                                "bằng chứng khoa học chứng minh công dụng"),
        "gmp": blanks.need(gmp, ("food_safety_certificate", "number"),
                           "Giấy chứng nhận cơ sở đạt GMP thực phẩm bảo vệ sức khỏe còn hiệu lực",
                           producer=True),
        "receiving_body": law.receiving_body,
        "place_date": blanks.need(place_and_date(declaration.place, declaration.date), place_loc,
                                  "nơi và ngày công bố"),
    }


def plan_registrations(entries: list[ProductEntry], as_of: date) -> list[Plan]:
    """One registration dossier per product on the registration route."""
    plans = []
    for entry in entries:
        product = entry.model
        assert product is not None
        path = paths.registration_path(entry)
        if path is None:
            continue
        context = registration_context(entry, as_of)
        plans.append(Plan(
            kind=REGISTRATION.id, product=entry.id, producer=entry.producer.slug, variant=None, path=path,
            template="food_safety/registration.html", source=entry.doc.display, source_field="food_safety",
            source_line=entry.doc.line_of(("food_safety",)), context=context, stylesheets=[STYLESHEET],
            roots=[entry.folder], paged=True,
            required_texts=[context["org"]["legal_name"], context["product_name"]],
            title=f"Hồ sơ đăng ký bản công bố sản phẩm – {product.name.vi}",
            attachments=[Attachment(s["id"], s["path"]) for s in context["labels"]],
            rule_date=product.food_safety.declaration.date or as_of))
    return plans


def _registers(entry: ProductEntry, as_of: date) -> bool:
    assert entry.model is not None
    return route(entry.model) == "registration"


REGISTRATION = Kind("food-safety-registration", plan_registrations, applies=_registers, stage="embeds",
                    blocked_by=frozenset({"input", "food_safety"}), shows=frozenset({"food_safety"}))
