"""Rules on the food-safety dossiers' data (Decree 15/2018/NĐ-CP), registered with the data rules.

Dates: a test report's age is judged on the declaration date; certificates and health
certificates on ``--as-of``. Every value a dossier prints as a highlighted blank is reported
here as ``fs-field-missing`` (or ``fs-attachment-missing`` for a missing document).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ..domain.dates import last_valid_day, standing, validity_months
from ..domain.food_safety import is_exempt, route, shelf_life_text
from ..formatting import vn_date
from ..law import food_safety_law
from . import check as register
from .findings import Finding
from .run import Subject

check = partial(register, area="food_safety")


@check("fs-registration-route")
def _registration_route(s: Subject) -> Iterator[Finding]:
    if route(s.product) == "registration":
        law = food_safety_law().registration
        yield Finding("fs-registration-route", {"product": s.product.name.vi, "body": law.receiving_body},
                      ("group",))


@check("fs-field-missing")
def _declaration_fields(s: Subject) -> Iterator[Finding]:
    if route(s.product) != "self_declaration":
        return
    fs = s.product.food_safety
    declaration = fs.declaration
    needed = {
        ("food_safety", "declaration", "number"): declaration.number,
        ("food_safety", "declaration", "date"): declaration.date,
        ("food_safety", "declaration", "place"): declaration.place,
        ("food_safety", "declaration", "receiving_body"): declaration.receiving_body,
        ("food_safety", "declaration", "publication"): declaration.publication,
        ("food_safety", "safety_standards"): s.product.applied_standard or fs.safety_standards or None,
        ("shelf_life",): shelf_life_text(s.product),
    }
    for loc, value in needed.items():
        if value is None:
            yield Finding("fs-field-missing", {"field": ".".join(str(p) for p in loc)}, loc)
    certificate = s.producer.food_safety_certificate
    if not is_exempt(s.producer, s.as_of) and (certificate is None or certificate.number is None):
        yield Finding("fs-field-missing", {"field": "food_safety_certificate.number"},
                      ("food_safety_certificate",), in_producer=True)
    if s.producer.contact.phone is None:
        yield Finding("fs-field-missing", {"field": "contact.phone"}, ("contact",), in_producer=True)


@check("fs-attachment-missing")
def _test_report_present(s: Subject) -> Iterator[Finding]:
    if route(s.product) == "self_declaration" and not s.product.food_safety.test_reports:
        yield Finding("fs-attachment-missing", {"attachment": "food_safety.test_reports"},
                      ("food_safety",))


@check("fs-test-report-old")
def _test_report_age(s: Subject) -> Iterator[Finding]:
    if route(s.product) != "self_declaration":
        return
    months = validity_months("test_report")
    on = s.dates.declaration_date
    for i, report in enumerate(s.product.food_safety.test_reports):
        if last_valid_day("test_report", report.date) < on:
            yield Finding("fs-test-report-old", {"report": report.report_no, "date": vn_date(report.date, 4),
                                                 "on": vn_date(on, 4), "months": months},
                          ("food_safety", "test_reports", i, "date"))


@check("fs-lab-not-accredited")
def _lab_accredited(s: Subject) -> Iterator[Finding]:
    for i, report in enumerate(s.product.food_safety.test_reports):
        if report.accreditation is None:
            yield Finding("fs-lab-not-accredited", {"lab": report.lab, "report": report.report_no},
                          ("food_safety", "test_reports", i, "lab"))


@check("fs-certificate-expired", "fs-certificate-expiring")
def _certificate_valid(s: Subject) -> Iterator[Finding]:
    certificate = s.producer.food_safety_certificate
    if certificate is None or certificate.valid_until is None or is_exempt(s.producer, s.as_of):
        return
    loc = ("food_safety_certificate", "valid_until")
    number, until = certificate.number or "", vn_date(certificate.valid_until, 4)
    validity = standing("food_safety_certificate", certificate.valid_until, s.as_of)
    if validity.standing == "expired":
        yield Finding("fs-certificate-expired", {"number": number, "until": until}, loc, in_producer=True)
    elif validity.standing == "expiring":
        yield Finding("fs-certificate-expiring", {"number": number, "until": until, "days": validity.days},
                      loc, in_producer=True)


@check("fs-health-certificate-old")
def _staff_health(s: Subject) -> Iterator[Finding]:
    months = validity_months("health_certificate")
    for i, person in enumerate(s.producer.staff):
        day = person.health_certificate_date
        if day is None or last_valid_day("health_certificate", day) < s.as_of:
            yield Finding("fs-health-certificate-old",
                          {"name": person.name, "date": vn_date(day, 4) if day else "—", "months": months},
                          ("staff", i, "health_certificate_date"), in_producer=True)


@check("fs-premises-missing")
def _premises(s: Subject) -> Iterator[Finding]:
    if is_exempt(s.producer, s.as_of):
        return
    premises = s.producer.premises
    if premises is None:
        yield Finding("fs-premises-missing", {"field": "premises"}, (), in_producer=True)
        return
    for name in ("total_area_m2", "production_area_m2", "layout", "construction", "water_source", "waste"):
        if getattr(premises, name) is None:
            yield Finding("fs-premises-missing", {"field": f"premises.{name}"}, ("premises",),
                          in_producer=True)
    for name in ("equipment", "staff"):
        if not getattr(s.producer, name):
            yield Finding("fs-premises-missing", {"field": name}, (), in_producer=True)
