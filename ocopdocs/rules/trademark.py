"""Rules on trademark application data (IP Law 50/2005/QH11 as amended; Decree 65/2023/NĐ-CP).

Registered with the data rules, so ``ocopdocs check`` and ``build`` report them with the label
and food-safety rules. A mark in ``producer.yaml`` is checked with each of the producer's
products and reported once, located in ``producer.yaml``; whether a product's own kind is
covered is reported in the product file. Every value the application prints as a highlighted
blank is reported as ``tm-field-missing`` (or ``tm-image-missing`` for the mark sample).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_DOWN, Decimal
from functools import partial

from ..domain.dates import add_months
from ..domain.trademark import (
    Application,
    area_map_present,
    filing_date,
    gaps,
    goods_by_class,
    mark_fees,
    mark_sample,
    marks_of,
    places_needing_permission,
    usual_class,
)
from ..formatting import vn_date, vn_number
from ..law import trademark_law
from ..markimage import MAX_SVG_ELEMENTS, MAX_SVG_NUMBERS, MarkFile, Refused
from ..messages import t
from ..yamlio import format_loc
from . import check as register
from .findings import Finding
from .run import Subject

check = partial(register, area="trademark")


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


def _file(application: Application) -> str:
    return application.mark.image or "—"


@check("tm-field-missing")
def _fields(s: Subject) -> Iterator[Finding]:
    for application in marks_of(s.entry):
        for loc in gaps(application):
            yield Finding("tm-field-missing", {"field": format_loc(loc)}, loc,
                          in_producer=application.in_producer)


@check("tm-image-missing")
def _image_missing(s: Subject) -> Iterator[Finding]:
    for application in marks_of(s.entry):
        sample = mark_sample(application)
        if isinstance(sample, Refused):
            yield Finding("tm-image-missing", {"file": _file(application), "reason": reason_text(sample)},
                          ("trademark", "image"), in_producer=application.in_producer)


@check("tm-image-too-small")
def _image_too_small(s: Subject) -> Iterator[Finding]:
    limits = trademark_law().mark_sample
    for application in marks_of(s.entry):
        sample = mark_sample(application)
        if isinstance(sample, MarkFile) and not sample.vector and sample.long_side < limits.min_pixels:
            yield Finding("tm-image-too-small", {"file": _file(application), "pixels": int(sample.long_side),
                                                 "needed": limits.min_pixels, "box_mm": limits.box_mm,
                                                 "dpi": limits.min_dpi},
                          ("trademark", "image"), in_producer=application.in_producer)


@check("tm-image-ratio")
def _image_ratio(s: Subject) -> Iterator[Finding]:
    limits = trademark_law().mark_sample
    for application in marks_of(s.entry):
        sample = mark_sample(application)
        if not isinstance(sample, MarkFile):
            continue
        short_mm = Decimal(str(min(sample.width, sample.height) / sample.long_side)) * limits.box_mm
        if short_mm < limits.min_element_mm:
            yield Finding("tm-image-ratio", {"file": _file(application), "short_mm": short_mm.quantize(
                                                 Decimal("0.1"), rounding=ROUND_DOWN),
                                             "box_mm": limits.box_mm, "min_mm": limits.min_element_mm},
                          ("trademark", "image"), in_producer=application.in_producer)


@check("tm-colours-greyscale")
def _colours(s: Subject) -> Iterator[Finding]:
    for application in marks_of(s.entry):
        mark = application.mark
        if not mark.colours:
            continue
        sample = mark_sample(application)
        grey = sample is None or (isinstance(sample, MarkFile) and sample.greyscale is True)
        if grey:
            yield Finding("tm-colours-greyscale",
                          {"file": _file(application), "colours": ", ".join(mark.colours)},
                          ("trademark", "colours"), in_producer=application.in_producer)


@check("tm-disclaimed-not-in-mark")
def _disclaimed(s: Subject) -> Iterator[Finding]:
    for application in marks_of(s.entry):
        mark = application.mark
        words = (mark.mark_text or "").casefold()
        for i, element in enumerate(mark.disclaimed):
            if element.casefold() not in words:
                yield Finding("tm-disclaimed-not-in-mark",
                              {"element": element, "mark": mark.mark_text or "—"},
                              ("trademark", "disclaimed", i), in_producer=application.in_producer)


def _first_index(application: Application, nice_class: int) -> int:
    return next(i for i, g in enumerate(application.mark.goods) if g.nice_class == nice_class)


@check("tm-class-items-over-6")
def _items_over_six(s: Subject) -> Iterator[Finding]:
    for application in marks_of(s.entry):
        mark = application.mark
        schedule = trademark_law().fees_on(filing_date(mark, s.as_of))
        each = sum(item.item_surcharge for item in schedule.upfront if item.per == "class")
        fees = mark_fees(mark, s.as_of)
        for nice_class, items in goods_by_class(mark):
            extra = len(items) - schedule.items_per_class
            if extra > 0:
                yield Finding("tm-class-items-over-6",
                              {"nice_class": nice_class, "count": len(items),
                               "included": schedule.items_per_class, "extra": extra,
                               "each": vn_number(each), "total": vn_number(each * extra),
                               "upfront": vn_number(fees.upfront_total)},
                              ("trademark", "goods", _first_index(application, nice_class), "items"),
                              in_producer=application.in_producer)


def _plausible(application: Application) -> set[int] | None:
    """Classes that suit the kinds of the products a product's own mark covers; None if unknown."""
    if application.in_producer:
        return None  # a producer's mark covers products this check does not see together
    kinds = trademark_law().nice.kinds
    classes: set[int] = set(trademark_law().nice.services_any)
    for entry in application.entries:
        kind = entry.model.kind if entry.model is not None else None
        if kind not in kinds:
            return None
        classes.update(kinds[kind].plausible)
    return classes


@check("tm-nice-unlikely-class")
def _unlikely_class(s: Subject) -> Iterator[Finding]:
    for application in marks_of(s.entry):
        plausible = _plausible(application)
        for i, goods in enumerate(application.mark.goods):
            for j, item in enumerate(goods.items):
                usual = usual_class(item)
                if usual is not None and usual != goods.nice_class:
                    expected = str(usual)
                elif usual is None and plausible is not None and goods.nice_class not in plausible:
                    expected = ", ".join(str(c) for c in sorted(plausible))
                else:
                    continue
                yield Finding("tm-nice-unlikely-class", {"item": item, "nice_class": goods.nice_class,
                                                         "expected": expected},
                              ("trademark", "goods", i, "items", j), in_producer=application.in_producer)


@check("tm-nice-kind-unknown")
def _kind_unknown(s: Subject) -> Iterator[Finding]:
    kinds = trademark_law().nice.kinds
    if marks_of(s.entry) and s.product.kind not in kinds:
        yield Finding("tm-nice-kind-unknown",
                      {"kind": s.product.kind or "—", "known": ", ".join(sorted(kinds))}, ("kind",))


@check("tm-nice-kind-not-covered")
def _kind_not_covered(s: Subject) -> Iterator[Finding]:
    kinds = trademark_law().nice.kinds
    applications = marks_of(s.entry)
    kind = kinds.get(s.product.kind or "")
    if not applications or kind is None:
        return
    filed = {g.nice_class for a in applications for g in a.mark.goods}
    if filed and not filed & set(kind.plausible):  # no goods at all is a tm-field-missing gap
        marks = ", ".join(f"“{a.mark.mark_text or a.mark.image or '—'}”" for a in applications)
        yield Finding("tm-nice-kind-not-covered", {"product": s.product.name.vi, "kind": kind.name,
                                                   "classes": ", ".join(str(c) for c in kind.plausible),
                                                   "marks": marks,
                                                   "filed": ", ".join(str(c) for c in sorted(filed))},
                      ("kind",))


@check("tm-place-name-permission")
def _place_name(s: Subject) -> Iterator[Finding]:
    for application in marks_of(s.entry):
        mark = application.mark
        places = places_needing_permission(mark)
        if places and (mark.place_name_permission is None or not area_map_present(application)):
            yield Finding("tm-place-name-permission", {"mark": mark.mark_text or "—",
                                                       "places": ", ".join(f"“{p}”" for p in places)},
                          ("trademark",
                           "place_name_permission" if mark.place_name_permission else "mark_text"),
                          in_producer=application.in_producer)


@check("tm-priority-late")
def _priority(s: Subject) -> Iterator[Finding]:
    months = trademark_law().priority_months
    for application in marks_of(s.entry):
        filed = filing_date(application.mark, s.as_of)
        for i, claim in enumerate(application.mark.priority):
            until = add_months(claim.date, months)
            if filed > until:
                yield Finding("tm-priority-late", {"number": claim.number, "date": vn_date(claim.date, 4),
                                                   "until": vn_date(until, 4), "filed": vn_date(filed, 4),
                                                   "months": months},
                              ("trademark", "priority", i, "date"), in_producer=application.in_producer)


@check("tm-owner-not-eligible")
def _owner(s: Subject) -> Iterator[Finding]:
    forms = trademark_law().collective_owner_forms
    for application in marks_of(s.entry):
        if application.mark.mark_type == "collective" and s.producer.legal_form not in forms:
            form = trademark_law().legal_forms[s.producer.legal_form]
            yield Finding("tm-owner-not-eligible", {"owner": s.producer.legal_name, "form": form},
                          ("trademark", "mark_type"), in_producer=application.in_producer)
