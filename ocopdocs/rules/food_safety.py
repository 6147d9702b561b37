"""Rules on the food-safety dossiers' data (Decree 15/2018/NĐ-CP), registered with the data rules.

Dates: a test report's age is judged on the declaration date; certificates and health
certificates on ``--as-of``. Every value a dossier prints as a highlighted blank is reported
here as ``fs-field-missing`` (or ``fs-attachment-missing`` for a missing document).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ..domain.dates import last_valid_day, standing, validity_months
from ..domain.food_safety import is_exempt, route, spirit_needs_licence, spirit_needs_stamp
from ..formatting import vn_date
from ..law import food_safety_law
from . import check as register
from . import document_checked
from .findings import Finding
from .run import Subject

check = partial(register, area="food_safety")
# the blanks the dossiers print (documents/food_safety.py) and labels missing when rendering
for _code in ("fs-field-missing", "fs-premises-missing", "fs-attachment-missing"):
    document_checked(_code, area="food_safety")


@check("fs-registration-route")
def _registration_route(s: Subject) -> Iterator[Finding]:
    if route(s.product) == "registration":
        law = food_safety_law().registration
        yield Finding("fs-registration-route", {"product": s.product.name.vi, "body": law.receiving_body},
                      ("group",))


@check("fs-test-report-old")
def _test_report_age(s: Subject) -> Iterator[Finding]:
    if route(s.product) not in ("self_declaration", "registration"):
        return
    months = validity_months("test_report")
    on = s.dates.declaration_date
    for i, report in enumerate(s.product.food_safety.test_reports):
        if last_valid_day("test_report", report.date) < on:
            yield Finding("fs-test-report-old", {"report": report.report_no, "date": vn_date(report.date, 4),
                                                 "on": vn_date(on, 4), "months": months},
                          ("food_safety", "test_reports", i, "date"))


@check("fs-declaration-before-label")
def _declaration_after_label(s: Subject) -> Iterator[Finding]:
    # Form 01 section III shows the product's labels: a label whose NSX is after the signing
    # day cannot have been the one declared
    declared, produced = s.product.food_safety.declaration.date, s.product.lot.production_date
    if route(s.product) == "self_declaration" and declared is not None and declared < produced:
        yield Finding("fs-declaration-before-label", {"date": vn_date(declared, 4),
                                                      "production": vn_date(produced, 4),
                                                      "lot": s.product.lot.code},
                      ("food_safety", "declaration", "date"))


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





@check("spirit-licence-missing")
def _spirit_licence(s: Subject) -> Iterator[Finding]:
    if not spirit_needs_licence(s.product):
        return
    licence = s.producer.spirit_licence
    if licence is None:
        yield Finding("spirit-licence-missing", {"product": s.product.name.vi}, ("spirit_licence",),
                      in_producer=True)
    elif licence.valid_until is not None and licence.valid_until < s.as_of:
        yield Finding("spirit-licence-missing", {"product": s.product.name.vi},
                      ("spirit_licence", "valid_until"), in_producer=True)


@check("spirit-stamp-missing")
def _spirit_stamp(s: Subject) -> Iterator[Finding]:
    spirit = s.product.spirit
    if spirit_needs_stamp(s.product) and not (spirit is not None and spirit.stamp):
        yield Finding("spirit-stamp-missing", {"product": s.product.name.vi},
                      ("spirit",) if spirit is None else ("spirit", "stamp"))
