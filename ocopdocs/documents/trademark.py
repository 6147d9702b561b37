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

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ..law import FeeItem, trademark_law
from ..loader import ProductEntry
from ..markimage import MarkFile, Refused, inspect, resolve
from ..schema import Producer, Trademark
from ..templating import vn_date, vn_number
from ..yamlio import Loc, YamlDoc
from . import Plan
from .food_safety import place_and_date

KIND = "trademark-application"
RULES_KIND = "trademark-rules-of-use"
STYLESHEETS = ["base/admin.css", "trademark/trademark.css"]
RULES_TEMPLATE = "trademark/rules-of-use.html"
APPLICATION_FILE = "trademark-application.pdf"
RULES_FILE = "trademark-rules-of-use.pdf"
CLEARANCE_MM = Decimal(1)
"""Room left between the scaled sample and each side of the box's border."""

KIND_NAMES = {"word": "nhãn hiệu chữ", "figurative": "nhãn hiệu hình",
              "combined": "nhãn hiệu kết hợp chữ và hình", "3d": "nhãn hiệu ba chiều"}
TYPE_NAMES = {"ordinary": "nhãn hiệu thông thường", "collective": "nhãn hiệu tập thể",
              "certification": "nhãn hiệu chứng nhận", "associated": "nhãn hiệu liên kết"}
LEGAL_FORMS = {"hop_tac_xa": "hợp tác xã", "doanh_nghiep": "doanh nghiệp", "ho_kinh_doanh": "hộ kinh doanh",
               "to_hop_tac": "tổ hợp tác"}


# --------------------------------------------------------------------------------- fees


@dataclass(frozen=True)
class FeeLine:
    """One line of the fee table."""

    id: str
    name: str
    kind: str
    """``phi`` or ``le_phi``."""
    units: str
    """What is charged: "2 nhóm; 3 sản phẩm/dịch vụ từ thứ 7"."""
    formula: str
    """How the amount is made: "2 × 180.000 + 3 × 30.000"."""
    full_amount: int
    amount: int
    reduction: str | None = None
    """The reduction applied, as printed, or None."""


@dataclass(frozen=True)
class Fees:
    """The fees of one application under the schedule in force on its filing date."""

    schedule: str
    upfront: tuple[FeeLine, ...]
    at_grant: tuple[FeeLine, ...]
    notes: tuple[str, ...]
    """Reductions reported but not read in a text: printed, not applied."""
    classes: int
    items: int
    extra_items: int
    """Goods and services beyond the 6 each class fee covers, summed over the classes."""

    @property
    def upfront_total(self) -> int:
        """What is paid with the application."""
        return sum(line.amount for line in self.upfront)

    @property
    def grant_total(self) -> int:
        """What is paid when the office decides to grant the certificate."""
        return sum(line.amount for line in self.at_grant)


def _units(item: FeeItem, classes: int, extra: int, claims: int) -> tuple[int, str, str]:
    """(amount, units, formula) of one schedule line."""
    money = vn_number
    if item.per == "application":
        return item.amount, "1 đơn", money(item.amount)
    if item.per == "priority_claim":
        return item.amount * claims, f"{claims} yêu cầu", f"{claims} × {money(item.amount)}"
    if item.per == "class_from_2nd":
        more = max(0, classes - 1)
        return item.amount * more, f"{more} nhóm từ nhóm thứ 2", f"{more} × {money(item.amount)}"
    units, formula = f"{classes} nhóm", f"{classes} × {money(item.amount)}"
    if extra and item.item_surcharge:
        units += f"; {extra} sản phẩm/dịch vụ từ thứ 7"
        formula += f" + {extra} × {money(item.item_surcharge)}"
    return item.amount * classes + item.item_surcharge * extra, units, formula


def compute_fees(items_per_class: Sequence[int], *, on: date, channel: str = "paper",
                 priority_claims: int = 0) -> Fees:
    """Compute the fees of an application with ``items_per_class`` goods in each class.

    The schedule and the reductions are those in force on ``on`` (the filing date); a
    reduction of the lệ phí applies only to the ``channel`` it is for and only if its data
    says it was read in a text (``applied``); the others become notes. Fees due at grant are
    at the full rate: the grant comes a year or more after filing, outside any reduction known.
    """
    law = trademark_law()
    schedule = law.fees_on(on)
    counts = [n for n in items_per_class if n > 0]
    classes = len(counts)
    extra = sum(max(0, n - schedule.items_per_class) for n in counts)
    reductions = law.reductions_on(on, channel)
    applied = max((r for r in reductions if r.applied), key=lambda r: r.percent, default=None)
    upfront = []
    for item in schedule.upfront:
        amount, units, formula = _units(item, classes, extra, priority_claims)
        if item.per == "priority_claim" and priority_claims == 0:
            continue
        reduced, note = amount, None
        if applied is not None and item.kind == "le_phi" and amount:
            reduced = amount * (100 - applied.percent) // 100
            note = f"giảm {applied.percent} % khi nộp trực tuyến ({applied.instrument})"
            formula = f"{formula if ' ' not in formula else f'({formula})'} × {100 - applied.percent} %"
        upfront.append(FeeLine(item.id, item.name, item.kind, units, formula, amount, reduced, note))
    at_grant = []
    for item in schedule.at_grant:
        amount, units, formula = _units(item, classes, extra, priority_claims)
        if amount:
            at_grant.append(FeeLine(item.id, item.name, item.kind, units, formula, amount, amount))
    notes = tuple(f"{r.instrument}: {r.note}" for r in reductions if not r.applied)
    return Fees(schedule.instrument, tuple(upfront), tuple(at_grant), notes, classes, sum(counts), extra)


# -------------------------------------------------------------------------------- marks


@dataclass(frozen=True)
class Application:
    """One trademark application: the mark, its applicant and the products it covers."""

    mark: Trademark
    producer: Producer
    producer_slug: str
    entries: tuple[ProductEntry, ...]
    """The products it covers: the product whose file holds it, or all the producer's products."""
    doc: YamlDoc
    """The file the trademark section is in."""
    in_producer: bool

    @property
    def folder(self) -> Path:
        """The producer's folder: the mark sample and the map are looked for there."""
        return self.doc.path.parent

    @property
    def product(self) -> str | None:
        """``producer/product`` for a product's mark, None for a producer's mark."""
        return None if self.in_producer else self.entries[0].id

    @property
    def out_dir(self) -> str:
        """Where its documents go in the output folder."""
        return self.product or self.producer_slug

    @property
    def sample(self) -> bool:
        """True for the fictional sample data."""
        return self.producer.sample or any(e.model is not None and e.model.sample for e in self.entries)


def applications(entries: list[ProductEntry]) -> list[Application]:
    """Every application among ``entries``: products' own marks, then one per producer mark."""
    found: list[Application] = []
    by_producer: dict[str, list[ProductEntry]] = {}
    for entry in entries:
        producer, product = entry.producer.model, entry.model
        assert producer is not None and product is not None
        if product.trademark is not None:
            found.append(Application(product.trademark, producer, entry.producer.slug, (entry,), entry.doc,
                                     False))
        by_producer.setdefault(entry.producer.slug, []).append(entry)
    for slug, group in sorted(by_producer.items()):
        producer = group[0].producer.model
        assert producer is not None
        if producer.trademark is not None:
            found.append(Application(producer.trademark, producer, slug, tuple(group), group[0].producer.doc,
                                     True))
    return sorted(found, key=lambda a: a.out_dir)


def marks_of(entry: ProductEntry) -> list[Application]:
    """The applications that concern one product: its own mark and its producer's."""
    producer, product = entry.producer.model, entry.model
    assert producer is not None and product is not None
    found = []
    if product.trademark is not None:
        found.append(Application(product.trademark, producer, entry.producer.slug, (entry,), entry.doc,
                                 False))
    if producer.trademark is not None:
        found.append(Application(producer.trademark, producer, entry.producer.slug, (entry,),
                                 entry.producer.doc, True))
    return found


def filing_date(mark: Trademark, as_of: date) -> date:
    """The filing date, or ``as_of`` when the file does not give it yet."""
    return mark.filing.date or as_of


def mark_sample(application: Application) -> MarkFile | Refused | None:
    """The mark sample file, why it cannot be used, or None for a word mark printed as text."""
    mark, limits = application.mark, trademark_law().mark_sample
    if mark.image is None:
        return None if mark.mark_kind == "word" else Refused("tm-image-reason-absent")
    return inspect(application.folder, mark.image, limits.max_file_kb, limits.max_pixels)


def area_map_present(application: Application) -> bool:
    """True when the map of the area named in the file is there."""
    name = application.mark.area_map
    if name is None:
        return False
    limits = trademark_law().mark_sample
    if name.lower().endswith(".pdf"):
        path = resolve(application.folder, name)
        return path is not None and path.is_file()
    return isinstance(inspect(application.folder, name, limits.max_file_kb, limits.max_pixels), MarkFile)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _find(term: str, text: str) -> re.Match[str] | None:
    """``term`` in ``text`` as whole words, ignoring case (both already folded)."""
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text)


def place_names_in(text: str | None) -> list[str]:
    """The place names of the data list found in ``text``, longest first, none inside another."""
    if not text:
        return []
    folded = _fold(text)
    names = sorted((n for n in trademark_law().place_names if _find(_fold(n), folded)), key=len, reverse=True)
    kept: list[str] = []
    for name in names:
        if not any(_find(_fold(name), _fold(longer)) for longer in kept):
            kept.append(name)
    return kept


def places_needing_permission(mark: Trademark) -> list[str]:
    """Place names that need the provincial permission and a map.

    Always for collective and certification marks; for other marks unless the name is
    disclaimed (a descriptive place name in an ordinary mark is not protected on its own).
    """
    names = place_names_in(mark.mark_text)
    if mark.mark_type in ("collective", "certification"):
        return names
    disclaimed = [_fold(d) for d in mark.disclaimed]
    return [n for n in names if not any(_find(_fold(n), d) for d in disclaimed)]


@cache
def usual_class(item: str) -> int | None:
    """The class goods worded ``item`` usually go in, by their head word; None if unknown."""
    text = _fold(item)
    best: tuple[tuple[int, int], int] | None = None
    for term in trademark_law().nice.terms:
        found = _find(_fold(term.term), text)
        if found is not None:
            key = (found.start(), -len(term.term))
            if best is None or key < best[0]:
                best = (key, term.nice_class)
    return best[1] if best else None


def goods_by_class(mark: Trademark) -> list[tuple[int, list[str]]]:
    """Goods grouped by class in ascending order; a class given twice is merged, repeats dropped."""
    grouped: dict[int, dict[str, str]] = {}
    for goods in mark.goods:
        items = grouped.setdefault(goods.nice_class, {})
        for item in goods.items:
            items.setdefault(_fold(item), item)
    return [(nice_class, list(grouped[nice_class].values())) for nice_class in sorted(grouped)]


def mark_fees(mark: Trademark, as_of: date) -> Fees:
    """The fees of ``mark`` on its filing date."""
    return compute_fees([len(items) for _, items in goods_by_class(mark)], on=filing_date(mark, as_of),
                        channel=mark.filing.channel, priority_claims=len(mark.priority))


def gaps(application: Application) -> list[Loc]:
    """Fields the application needs and the file does not give (each printed as a blank)."""
    mark = application.mark
    missing: list[Loc] = []
    if mark.mark_kind in ("word", "combined") and not mark.mark_text:
        missing.append(("trademark", "mark_text"))
    if mark.description is None:
        missing.append(("trademark", "description"))
    if not mark.goods:
        missing.append(("trademark", "goods"))
    if mark.filing.date is None:
        missing.append(("trademark", "filing", "date"))
    if mark.place_name_permission is not None and mark.place_name_permission.issued_by is None:
        missing.append(("trademark", "place_name_permission", "issued_by"))
    representative = mark.representative
    if representative.role != "legal_representative":
        for name in ("name", "address"):
            if getattr(representative, name) is None:
                missing.append(("trademark", "representative", name))
        attorney = representative.power_of_attorney
        if attorney is None or attorney.date is None:
            missing.append(("trademark", "representative", "power_of_attorney"))
    if mark.mark_type in ("collective", "certification"):
        if mark.characteristics is None and (mark.mark_type == "certification"
                                             or places_needing_permission(mark)):
            missing.append(("trademark", "characteristics"))
        rules = mark.rules_of_use
        if rules is None:
            missing.append(("trademark", "rules_of_use"))
        else:
            needed = (("membership_criteria", "users", "conditions", "sanctions")
                      if mark.mark_type == "collective"
                      else ("conditions", "characteristics", "evaluation", "control"))
            for name in needed:
                if not getattr(rules, name):
                    missing.append(("trademark", "rules_of_use", name))
    return missing


# ------------------------------------------------------------------------------ contexts


def _organisation(producer: Producer) -> dict[str, Any]:
    return {"legal_name": producer.legal_name, "address": producer.head_office.one_line(with_country=True),
            "registration_code": producer.registration.code,
            "legal_form": LEGAL_FORMS[producer.legal_form],
            "phone": producer.contact.phone, "fax": producer.contact.fax, "email": producer.contact.email,
            "representative": producer.legal_representative.name,
            "representative_title": producer.legal_representative.title,
            "province": producer.head_office.province.removeprefix("tỉnh ").removeprefix("thành phố ")}


def _representative(mark: Trademark, producer: Producer) -> dict[str, Any]:
    rep = mark.representative
    legal = rep.role == "legal_representative"
    attorney = rep.power_of_attorney
    return {"role": rep.role,
            "name": rep.name or (producer.legal_representative.name if legal else None),
            "title": rep.title or (producer.legal_representative.title if legal else None),
            "address": rep.address or (producer.head_office.one_line(with_country=True) if legal else None),
            "phone": rep.phone or (producer.contact.phone if legal else None),
            "email": rep.email or (producer.contact.email if legal else None),
            "agent_code": rep.agent_code,
            "attorney": {"number": attorney.number,
                         "date": vn_date(attorney.date, 4) if attorney.date else None} if attorney else None}


def _sample_box(application: Application) -> dict[str, Any]:
    """What the 80 × 80 mm box shows: the scaled image, the words, or a blank."""
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
    return {"kind": "missing", "file": mark.image, "box_mm": box}


def _fees_context(fees: Fees) -> dict[str, Any]:
    def line(f: FeeLine) -> dict[str, Any]:
        return {"name": f.name, "kind": "Lệ phí" if f.kind == "le_phi" else "Phí", "units": f.units,
                "formula": f.formula, "amount": vn_number(f.amount), "full": vn_number(f.full_amount),
                "reduction": f.reduction}

    return {"schedule": fees.schedule, "lines": [line(f) for f in fees.upfront],
            "total": vn_number(fees.upfront_total), "grant": [line(f) for f in fees.at_grant],
            "grant_total": vn_number(fees.grant_total), "notes": list(fees.notes),
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


def _documents(application: Application, places: list[str]) -> list[dict[str, Any]]:
    """Block 11: the documents in the application, ticked when they are part of it."""
    mark, law = application.mark, trademark_law()
    paper = mark.filing.channel == "paper"
    copies = law.mark_sample.form_copies_paper
    collective = mark.mark_type in ("collective", "certification")
    rules_name = ("Quy chế sử dụng nhãn hiệu tập thể" if mark.mark_type != "certification"
                  else "Quy chế sử dụng nhãn hiệu chứng nhận")
    representative = mark.representative
    attorney = representative.power_of_attorney
    permission, issuer = _permission(mark), _issuer(mark)
    if permission is None:
        permission_blank = ("văn bản cho phép sử dụng địa danh " + ", ".join(f"“{p}”" for p in places)
                            if places else None)
    else:
        permission_blank = None if issuer else "cơ quan ban hành văn bản"
    docs = [
        {"name": "Tờ khai đăng ký nhãn hiệu", "ticked": True, "pages": True,
         "detail": f"× {copies:02d} bản" if paper else "(bản điện tử)"},
        {"name": "Mẫu nhãn hiệu", "ticked": True,
         "detail": f"gồm {law.mark_sample.paper_copies:02d} mẫu" if paper else "gồm 01 tệp ảnh"},
        {"name": rules_name, "ticked": collective and mark.rules_of_use is not None,
         "missing": "quy chế sử dụng nhãn hiệu" if collective and mark.rules_of_use is None else None},
        {"name": "Bản thuyết minh về tính chất, chất lượng đặc thù của sản phẩm mang nhãn hiệu",
         "ticked": collective and mark.characteristics is not None},
        {"name": "Bản đồ khu vực địa lý tương ứng", "ticked": area_map_present(application),
         "missing": "bản đồ khu vực địa lý" if places and not area_map_present(application) else None},
        {"name": "Văn bản của Ủy ban nhân dân tỉnh cho phép sử dụng địa danh",
         "ticked": permission is not None,
         "detail": f"{permission} của {issuer or ''}".rstrip() if permission else None,
         "missing": permission_blank},
        {"name": "Giấy ủy quyền", "ticked": representative.role != "legal_representative",
         "detail": (("số " + attorney.number + " " if attorney.number else "")
                    + (f"ngày {vn_date(attorney.date, 4)}" if attorney.date else "")).strip() or None
         if attorney else None,
         "missing": "giấy ủy quyền" if representative.role != "legal_representative"
         and (attorney is None or attorney.date is None) else None},
        {"name": "Tài liệu xác nhận quyền đăng ký hoặc thụ hưởng quyền đăng ký từ người khác",
         "ticked": False},
        {"name": "Tài liệu chứng minh quyền ưu tiên", "ticked": bool(mark.priority),
         "detail": f"{len(mark.priority)} bản sao đơn đầu tiên" if mark.priority else None},
        {"name": "Chứng từ nộp phí, lệ phí", "ticked": True, "detail": "(nộp kèm theo đơn)"},
    ]
    return [{"pages": False, "detail": None, "missing": None, **d} for d in docs]


def application_context(application: Application, as_of: date) -> dict[str, Any]:
    """Everything the application form prints."""
    mark, producer, law = application.mark, application.producer, trademark_law()
    filed = filing_date(mark, as_of)
    era = law.form_on(filed)
    goods = goods_by_class(mark)
    places = places_needing_permission(mark)
    org = _organisation(producer)
    rep = _representative(mark, producer)
    place = mark.filing.place or org["province"]
    signer = {"representative": rep["name"] or "[còn thiếu: người ký]",
              "representative_title": (rep["title"] or "Đại diện của chủ đơn")
              if rep["role"] == "legal_representative" else "Đại diện của chủ đơn"}
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
        "mark_kind_name": KIND_NAMES[mark.mark_kind],
        "mark_type": mark.mark_type,
        "mark_type_name": TYPE_NAMES[mark.mark_type],
        "colours": list(mark.colours),
        "description": mark.description,
        "meaning": mark.meaning.rstrip(". ") if mark.meaning else None,
        "disclaimed": list(mark.disclaimed),
        "org": org,
        "representative": rep,
        "priority": [{"basis": p.basis, "number": p.number, "date": vn_date(p.date, 4), "country": p.country,
                      "agreement": p.agreement} for p in mark.priority],
        "fees": _fees_context(mark_fees(mark, as_of)),
        "documents": _documents(application, places),
        "goods": [{"nice_class": c, "names": items, "count": len(items)} for c, items in goods],
        "class_count": len(goods),
        "item_count": sum(len(items) for _, items in goods),
        "characteristics": mark.characteristics,
        "characteristics_required": ("trademark", "characteristics") in gaps(application)
        or (mark.characteristics is not None and mark.mark_type in ("collective", "certification")),
        "collective": mark.mark_type in ("collective", "certification"),
        "places": places,
        "place_date": place_and_date(place, mark.filing.date),
        "signer": signer,
        "products": [e.model.name.vi for e in application.entries if e.model is not None],
    }


def rules_context(application: Application, as_of: date) -> dict[str, Any]:
    """Everything the rules of use print (IP Law Art. 105.4 collective, 105.5 certification)."""
    mark, producer = application.mark, application.producer
    rules = mark.rules_of_use
    registration = producer.registration
    org = _organisation(producer)
    return {
        "sample": application.sample,
        "org": org,
        "certification": mark.mark_type == "certification",
        "mark_text": mark.mark_text,
        "box": _sample_box(application),
        "description": mark.description,
        "colours": list(mark.colours),
        "goods": [{"nice_class": c, "names": items} for c, items in goods_by_class(mark)],
        "characteristics": mark.characteristics,
        "founding": {"code": registration.code,
                     "issued_on": vn_date(registration.issued_on, 4) if registration.issued_on else None,
                     "issued_by": registration.issued_by},
        "decision": rules.decision if rules else None,
        "decision_date": vn_date(rules.date, 4) if rules and rules.date else None,
        "membership_criteria": list(rules.membership_criteria) if rules else [],
        "users": [u.model_dump() for u in rules.users] if rules else [],
        "conditions": list(rules.conditions) if rules else [],
        "sanctions": list(rules.sanctions) if rules else [],
        "certified": list(rules.characteristics) if rules else [],
        "evaluation": rules.evaluation if rules else None,
        "control": rules.control if rules else None,
        "user_fees": rules.user_fees if rules else None,
        "places": place_names_in(mark.mark_text),
        "permission": _permission(mark),
        "permission_issuer": _issuer(mark),
        "place_date": place_and_date(mark.filing.place or org["province"], rules.date if rules else None),
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
            kind=KIND, product=application.product, producer=application.producer_slug, variant=None,
            path=f"{application.out_dir}/{APPLICATION_FILE}", template=era.template,
            source=application.doc.display, source_field="trademark", context=context,
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
            kind=RULES_KIND, product=application.product, producer=application.producer_slug, variant=None,
            path=f"{application.out_dir}/{RULES_FILE}", template=RULES_TEMPLATE,
            source=application.doc.display, source_field="trademark.rules_of_use", context=context,
            stylesheets=list(STYLESHEETS), roots=[application.folder], paged=True,
            inputs=_inputs(application), required_texts=[application.producer.legal_name],
            title=f"Quy chế sử dụng nhãn hiệu – {_title(application.mark)}",
            rule_date=filing_date(application.mark, as_of)))
    return plans
