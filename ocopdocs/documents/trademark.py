"""Trademark application drafts (IP Law 50/2005/QH11 as amended; Decree 65/2023/NĐ-CP).

For every ``trademark`` section (in a product file for that product, or in ``producer.yaml``
for a mark covering the producer's products): the application form chosen by the filing date
(Form 08 of Decree 65/2023 until 31/03/2026, Form 04 of Circular 10/2026 from 01/04/2026), with
the mark sample scaled into the 80 × 80 mm box, the goods and services by Nice class, and the
fees computed from the dated schedule in ``ocopdocs/law/trademark.yaml``; for collective and
certification marks also the rules of use (IP Law Art. 105.4–105.5).

Values the files do not give are passed as None; the templates print them as a highlighted
blank, and :mod:`ocopdocs.rules.trademark` reports each one. Nothing is invented.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..domain import paths
from ..domain.fees import FeeLine, Fees
from ..domain.organisation import organisation
from ..domain.trademark import (
    Application,
    applications,
    area_map_present,
    filing_date,
    goods_by_class,
    mark_fees,
    mark_sample,
    marks_of,
    place_names_in,
    places_needing_permission,
)
from ..formatting import place_and_date, vn_date, vn_number
from ..law import trademark_law
from ..loader import ProductEntry
from ..markimage import MAX_SVG_ELEMENTS, MAX_SVG_NUMBERS, MarkFile, Refused
from ..messages import t
from ..schema import Trademark
from . import Blanks, Kind, Plan

STYLESHEETS = ["base/admin.css", "trademark/trademark.css"]
RULES_TEMPLATE = "trademark/rules-of-use.html"
CLEARANCE_MM = Decimal(1)
"""Room left between the scaled sample and each side of the box's border."""

FIELD_MISSING = "tm-field-missing"
COLLECTIVE = ("collective", "certification")
RULES_NEEDED = {"collective": ("membership_criteria", "users", "conditions", "sanctions"),
                "certification": ("conditions", "characteristics", "evaluation", "control")}
"""What IP Law Art. 105.4 (collective) and 105.5 (certification) ask the rules of use to state."""

# ------------------------------------------------------------------------------ contexts


def reason_text(refused: Refused) -> str:
    """The reason a mark file cannot be used, as a phrase of the ``tm-image-missing`` message."""
    limits = trademark_law().mark_sample
    reasons = {
        "tm-image-reason-absent": lambda: t("tm-image-reason-absent"),
        "tm-image-reason-outside": lambda: t("tm-image-reason-outside"),
        "tm-image-reason-not-found": lambda: t("tm-image-reason-not-found"),
        "tm-image-reason-too-large": lambda: t("tm-image-reason-too-large", kb=limits.max_file_kb,
                                               megapixels=limits.max_pixels // 1_000_000),
        "tm-image-reason-format": lambda: t("tm-image-reason-format"),
        "tm-image-reason-unreadable": lambda: t("tm-image-reason-unreadable"),
        "tm-image-reason-svg-external": lambda: t("tm-image-reason-svg-external"),
        "tm-image-reason-svg-size": lambda: t("tm-image-reason-svg-size"),
        "tm-image-reason-svg-entities": lambda: t("tm-image-reason-svg-entities"),
        "tm-image-reason-svg-complex": lambda: t("tm-image-reason-svg-complex", elements=MAX_SVG_ELEMENTS,
                                                 numbers=MAX_SVG_NUMBERS),
        "tm-image-reason-svg-nested": lambda: t("tm-image-reason-svg-nested",
                                                megapixels=limits.max_pixels // 1_000_000),
    }
    return reasons[refused.reason]()


def blanks_of(application: Application) -> Blanks:
    """The blank markers of an application's documents, located in the file of its trademark section."""
    product = None if application.in_producer else application.doc
    return Blanks(FIELD_MISSING, product, application.entries[0].producer.doc)


def _at(application: Application) -> bool:
    """``producer=`` for :meth:`Blanks.need`: whether the trademark section is in producer.yaml."""
    return application.in_producer


def _representative(application: Application, blanks: Blanks) -> dict[str, Any]:
    mark, producer = application.mark, application.producer
    rep = mark.representative
    legal = rep.role == "legal_representative"
    attorney = rep.power_of_attorney
    here = _at(application)
    found = {"role": rep.role,
             "name": rep.name or (producer.legal_representative.name if legal else None),
             "title": rep.title or (producer.legal_representative.title if legal else None),
             "address": rep.address or (producer.head_office.one_line(with_country=True) if legal else None),
             "phone": rep.phone or (producer.contact.phone if legal else None),
             "email": rep.email or (producer.contact.email if legal else None),
             "agent_code": rep.agent_code, "attorney": None}
    found["name"] = blanks.need(found["name"], ("trademark", "representative", "name"), "tên người đại diện",
                                producer=here)
    found["address"] = blanks.need(found["address"], ("trademark", "representative", "address"),
                                   "địa chỉ người đại diện", producer=here)
    if not legal:
        found["attorney"] = blanks.need(
            {"number": attorney.number, "date": vn_date(attorney.date, 4)}
            if attorney is not None and attorney.date is not None else None,
            ("trademark", "representative", "power_of_attorney"), "giấy ủy quyền (số, ngày)", producer=here)
    return found


def _sample_box(application: Application) -> dict[str, Any]:
    """What the 80 × 80 mm box shows: the scaled image, the words, or a marked blank."""
    mark = application.mark
    box = trademark_law().mark_sample.box_mm
    sample = mark_sample(application)
    if isinstance(sample, MarkFile):
        width, height = sample.fit(box - 2 * CLEARANCE_MM)
        return {"kind": "image", "src": sample.path.as_uri(), "width_mm": width, "height_mm": height,
                "file": mark.image, "box_mm": box}
    if sample is None and mark.mark_text:
        text = mark.mark_text
        longest = max((len(w) for w in text.split()), default=1)
        size = min(Decimal(14), (box - 10) / (Decimal("0.68") * max(longest, len(text) // 2, 1)))
        return {"kind": "text", "text": text, "font_mm": size.quantize(Decimal("0.1")), "box_mm": box}
    what = "mẫu nhãn hiệu" + (f" {mark.image}" if mark.image else "")
    refused = sample if isinstance(sample, Refused) else Refused("tm-image-reason-absent")
    blank = blanks_of(application).missing(("trademark", "image"), what, producer=_at(application),
                                           code="tm-image-missing", file=mark.image or "—",
                                           reason=reason_text(refused))
    return {"kind": "missing", "file": mark.image, "box_mm": box, "blank": blank}


def _fees_context(fees: Fees) -> dict[str, Any]:
    def line(f: FeeLine) -> dict[str, Any]:
        return {"name": f.name, "kind": "Lệ phí" if f.kind == "le_phi" else "Phí", "units": f.units,
                "formula": f.formula, "amount": vn_number(f.amount), "full": vn_number(f.full_amount),
                "reduction": f.reduction}

    return {"schedule": fees.schedule, "lines": [line(f) for f in fees.upfront],
            "total": vn_number(fees.upfront_total), "grant": [line(f) for f in fees.at_grant],
            "grant_total": vn_number(fees.grant_total),
            "extra_items": fees.extra_items}


def _permission(mark: Trademark) -> str | None:
    """``số 12/UBND-NNTN ngày 02/11/2026``, or None; its issuer is printed apart (it may be a blank)."""
    permission = mark.place_name_permission
    if permission is None:
        return None
    day = f" ngày {vn_date(permission.date, 4)}" if permission.date else ""
    return f"số {permission.number}{day}"


def _issuer(mark: Trademark) -> str | None:
    """Who issued the place-name permission, or None (a gap when the permission is given)."""
    permission = mark.place_name_permission
    return permission.issued_by if permission is not None else None


def _documents(application: Application, places: list[str], blanks: Blanks) -> list[dict[str, Any]]:
    """Block 11: the documents in the application, ticked when they are part of it."""
    mark, law = application.mark, trademark_law()
    here = _at(application)
    paper = mark.filing.channel == "paper"
    copies = law.mark_sample.form_copies_paper
    collective = mark.mark_type in COLLECTIVE
    names = law.application_documents
    rules_name = names["rules_certification" if mark.mark_type == "certification" else "rules_collective"]
    representative = mark.representative
    attorney = representative.power_of_attorney
    permission, issuer = _permission(mark), _issuer(mark)
    if permission is None:
        what = "văn bản cho phép sử dụng địa danh " + ", ".join(f"“{p}”" for p in places)
        permission_blank = (blanks.missing(("trademark", "place_name_permission"), what, producer=here)
                            if places else None)
    else:
        permission_blank = None if issuer else blanks.missing(
            ("trademark", "place_name_permission", "issued_by"), "cơ quan ban hành văn bản", producer=here)
    map_present = area_map_present(application)
    docs = [
        {"name": names["form"], "ticked": True, "pages": True,
         "detail": f"× {copies:02d} bản" if paper else "(bản điện tử)"},
        {"name": names["mark_sample"], "ticked": True,
         "detail": f"gồm {law.mark_sample.paper_copies:02d} mẫu" if paper else "gồm 01 tệp ảnh"},
        {"name": rules_name, "ticked": collective and mark.rules_of_use is not None,
         "missing": blanks.missing(("trademark", "rules_of_use"), "quy chế sử dụng nhãn hiệu", producer=here)
         if collective and mark.rules_of_use is None else None},
        {"name": names["characteristics"],
         "ticked": collective and mark.characteristics is not None},
        {"name": names["area_map"], "ticked": map_present,
         "missing": blanks.missing(("trademark", "area_map"), "bản đồ khu vực địa lý", producer=here)
         if places and not map_present else None},
        {"name": names["place_permission"],
         "ticked": permission is not None,
         "detail": f"{permission} của {issuer or ''}".rstrip() if permission else None,
         "missing": permission_blank},
        {"name": names["power_of_attorney"], "ticked": representative.role != "legal_representative",
         "detail": (("số " + attorney.number + " " if attorney.number else "")
                    + (f"ngày {vn_date(attorney.date, 4)}" if attorney.date else "")).strip() or None
         if attorney else None},
        {"name": names["right_to_file"], "ticked": False},
        {"name": names["priority"], "ticked": bool(mark.priority),
         "detail": f"{len(mark.priority)} bản sao đơn đầu tiên" if mark.priority else None},
        {"name": names["fee_receipt"], "ticked": True, "detail": "(nộp kèm theo đơn)"},
    ]
    return [{"pages": False, "detail": None, "missing": None, **d} for d in docs]


def application_context(application: Application, as_of: date) -> dict[str, Any]:
    """Everything the application form prints."""
    mark, producer, law = application.mark, application.producer, trademark_law()
    filed = filing_date(mark, as_of)
    era = law.form_on(filed)
    goods = goods_by_class(mark)
    places = places_needing_permission(mark)
    org = organisation(producer)
    blanks = blanks_of(application)
    here = _at(application)
    rep = _representative(application, blanks)
    place = mark.filing.place or org["province"]
    signer = {"representative": rep["name"],
              "representative_title": (rep["title"] or "Đại diện của chủ đơn")
              if rep["role"] == "legal_representative" else "Đại diện của chủ đơn"}
    collective = mark.mark_type in COLLECTIVE
    characteristics_required = collective and (mark.mark_type == "certification" or bool(places))
    return {
        "sample": application.sample,
        "era": {**era.model_dump(), "citation": era.citation, "year": era.applies_from.year},
        "office": law.office,
        "filing_date": vn_date(mark.filing.date, 4) if mark.filing.date else None,
        "channel": mark.filing.channel,
        "divisional": {"number": mark.filing.divisional_of,
                       "date": vn_date(mark.filing.divisional_date, 4) if mark.filing.divisional_date
                       else None} if mark.filing.divisional_of else None,
        "box": _sample_box(application),
        "mark_text": mark.mark_text,
        "mark_kind": mark.mark_kind,
        "mark_kind_name": law.mark_kinds[mark.mark_kind],
        "mark_type": mark.mark_type,
        "mark_type_name": law.mark_types[mark.mark_type],
        "colours": list(mark.colours),
        "description": blanks.need(mark.description, ("trademark", "description"),
                                   "mô tả các yếu tố của nhãn hiệu", producer=here),
        "meaning": mark.meaning.rstrip(". ") if mark.meaning else None,
        "disclaimed": list(mark.disclaimed),
        "org": org,
        "representative": rep,
        "priority": [{"basis": p.basis, "number": p.number, "date": vn_date(p.date, 4), "country": p.country,
                      "agreement": p.agreement} for p in mark.priority],
        "fees": _fees_context(mark_fees(mark, as_of)),
        "documents": _documents(application, places, blanks),
        "goods": blanks.need([{"nice_class": c, "names": items, "count": len(items)} for c, items in goods],
                             ("trademark", "goods"), "danh mục hàng hóa, dịch vụ theo nhóm", producer=here),
        "class_count": len(goods),
        "item_count": sum(len(items) for _, items in goods),
        "characteristics": blanks.need(mark.characteristics, ("trademark", "characteristics"),
                                       "mô tả tóm tắt đặc tính", producer=here)
        if characteristics_required else mark.characteristics,
        "collective": collective,
        "places": places,
        "place_date": blanks.need(place_and_date(place, mark.filing.date), ("trademark", "filing", "date"),
                                  "nơi và ngày khai", producer=here),
        "signer": signer,
        "products": [e.model.name.vi for e in application.entries if e.model is not None],
    }


def rules_context(application: Application, as_of: date) -> dict[str, Any]:
    """Everything the rules of use print (IP Law Art. 105.4 collective, 105.5 certification)."""
    mark, producer = application.mark, application.producer
    rules = mark.rules_of_use
    registration = producer.registration
    org = organisation(producer)
    blanks = blanks_of(application)
    here = _at(application)
    needed = RULES_NEEDED.get(mark.mark_type, ())

    def part(name: str, value: Any, what: str) -> Any:
        """A part of the rules: a marked blank when the law asks for it and the file does not give it."""
        if name not in needed:
            return value
        loc = ("trademark", "rules_of_use", name) if rules else ("trademark", "rules_of_use")
        return blanks.need(value, loc, what, producer=here)

    permission = _permission(mark)
    rules_loc = ("trademark", "rules_of_use")

    def in_rules(name: str) -> tuple[str, ...]:
        return (*rules_loc, name) if rules else rules_loc

    return {
        "sample": application.sample,
        "org": org,
        "certification": mark.mark_type == "certification",
        "mark_text": blanks.need(mark.mark_text, ("trademark", "mark_text"), "phần chữ của nhãn hiệu",
                                 producer=here),
        "box": _sample_box(application),
        "description": blanks.need(mark.description, ("trademark", "description"), "mô tả nhãn hiệu",
                                   producer=here),
        "colours": list(mark.colours),
        "goods": [{"nice_class": c, "names": items} for c, items in goods_by_class(mark)],
        "characteristics": mark.characteristics,
        "founding": {"code": registration.code,
                     "issued_on": vn_date(registration.issued_on, 4) if registration.issued_on else None,
                     "issued_by": registration.issued_by},
        "decision": blanks.need(rules.decision if rules else None,
                                in_rules("decision"),
                                "số quyết định ban hành quy chế", producer=here),
        "decision_date": blanks.need(vn_date(rules.date, 4) if rules and rules.date else None,
                                     in_rules("date"),
                                     "ngày ban hành", producer=here),
        "membership_criteria": part("membership_criteria", list(rules.membership_criteria) if rules else [],
                                    "tiêu chuẩn trở thành thành viên"),
        "users": part("users", [u.model_dump() for u in rules.users] if rules else [],
                      "danh sách tổ chức, cá nhân được phép sử dụng nhãn hiệu"),
        "conditions": part("conditions", list(rules.conditions) if rules else [],
                           "điều kiện sử dụng nhãn hiệu"),
        "sanctions": part("sanctions", list(rules.sanctions) if rules else [], "biện pháp xử lý vi phạm"),
        "certified": part("characteristics", list(rules.characteristics) if rules else [],
                          "các đặc tính được chứng nhận"),
        "evaluation": part("evaluation", rules.evaluation if rules else None,
                           "phương pháp đánh giá các đặc tính"),
        "control": part("control", rules.control if rules else None,
                        "phương pháp kiểm soát việc sử dụng nhãn hiệu"),
        "user_fees": rules.user_fees if rules else None,
        "places": place_names_in(mark.mark_text),
        "permission": permission,
        "permission_issuer": blanks.need(_issuer(mark), ("trademark", "place_name_permission", "issued_by"),
                                         "cơ quan ban hành văn bản", producer=here) if permission else None,
        "permission_blank": None if permission or not place_names_in(mark.mark_text) else blanks.missing(
            ("trademark", "place_name_permission"),
            "văn bản cho phép sử dụng địa danh của Ủy ban nhân dân tỉnh", producer=here),
        "place_date": blanks.need(place_and_date(mark.filing.place or org["province"],
                                                 rules.date if rules else None),
                                  in_rules("date"), "nơi và ngày ban hành", producer=here),
    }


# -------------------------------------------------------------------------------- plans


def _title(mark: Trademark) -> str:
    return mark.mark_text or "nhãn hiệu hình"


def _inputs(application: Application) -> list[Path]:
    """The mark file the documents load, so that a new drawing rebuilds them."""
    sample = mark_sample(application)
    return [sample.path] if isinstance(sample, MarkFile) else []


def plan_applications(entries: list[ProductEntry], as_of: date) -> list[Plan]:
    """One application form per trademark section, in the form of its filing date."""
    plans = []
    for application in applications(entries):
        context = application_context(application, as_of)
        era = trademark_law().form_on(filing_date(application.mark, as_of))
        plans.append(Plan(
            kind=APPLICATION.id, product=application.product, producer=application.producer_slug,
            variant=None,
            path=paths.trademark_path(application), template=era.template,
            source=application.doc.display, source_field="trademark", context=context,
            source_line=application.doc.line_of(("trademark",)),
            stylesheets=list(STYLESHEETS), roots=[application.folder], paged=True,
            inputs=_inputs(application),
            required_texts=[application.producer.legal_name, "TỜ KHAI ĐĂNG KÝ NHÃN HIỆU"],
            title=f"Tờ khai đăng ký nhãn hiệu – {_title(application.mark)}",
            rule_date=filing_date(application.mark, as_of)))
    return plans


def plan_rules_of_use(entries: list[ProductEntry], as_of: date) -> list[Plan]:
    """The rules of use of each collective or certification mark."""
    plans = []
    for application in applications(entries):
        if application.mark.mark_type not in ("collective", "certification"):
            continue
        context = rules_context(application, as_of)
        plans.append(Plan(
            kind=RULES_OF_USE.id, product=application.product, producer=application.producer_slug,
            variant=None,
            path=paths.rules_of_use_path(application), template=RULES_TEMPLATE,
            source=application.doc.display, source_field="trademark.rules_of_use", context=context,
            source_line=application.doc.line_of(("trademark", "rules_of_use")),
            stylesheets=list(STYLESHEETS), roots=[application.folder], paged=True,
            inputs=_inputs(application), required_texts=[application.producer.legal_name],
            title=f"Quy chế sử dụng nhãn hiệu – {_title(application.mark)}",
            rule_date=filing_date(application.mark, as_of)))
    return plans


def _has_rules(entry: ProductEntry, as_of: date) -> bool:
    return any(a.mark.mark_type in ("collective", "certification") for a in marks_of(entry))


APPLICATION = Kind("trademark-application", plan_applications,
                   applies=lambda entry, as_of: bool(marks_of(entry)),
                   blocked_by=frozenset({"input", "trademark"}), shows=frozenset({"trademark"}))
RULES_OF_USE = Kind("trademark-rules-of-use", plan_rules_of_use, applies=_has_rules,
                    blocked_by=frozenset({"input", "trademark"}), shows=frozenset({"trademark"}))
