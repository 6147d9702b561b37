"""Rules on the OCOP dossier's data (Decision 148/2023, procedure of 1489/2025).

Dates: the certificate's expiry and the evidence are judged on ``--as-of``; the score split
is the one in force on the self-assessment's date. Every value the dossier prints as a
highlighted blank is reported as ``ocop-field-missing``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ..domain.dates import standing
from ..domain.ocop import (
    Assessment,
    assess,
    assess_entry,
    certificate_until,
    declared,
    evidence,
    plan_totals,
    scan_path,
)
from ..formatting import vn_date, vn_number
from ..law import ocop_law
from . import check as register
from . import document_checked
from .findings import Finding
from .run import Subject

check = partial(register, area="ocop")
# the blanks the dossier prints (documents/ocop.py): fields, mandatory papers, unscored criteria
for _code in ("ocop-field-missing", "ocop-evidence-missing", "ocop-criterion-unscored"):
    document_checked(_code, area="ocop")

def _scored(s: Subject) -> Assessment | None:
    """The product's self-assessment scored on its sheet, if it has one and the sheet exists."""
    raw = s.product.ocop.self_assessment if s.product.ocop else None
    return assess_entry(s.entry, s.as_of) if raw is not None else None


@check("ocop-subgroup-unknown")
def _subgroup(s: Subject) -> Iterator[Finding]:
    category = s.product.ocop.category if s.product.ocop else None
    if category is None:
        return
    group = ocop_law().groups[category.group]
    if category.subgroup.casefold() not in {g.casefold() for g in group.subgroups}:
        yield Finding("ocop-subgroup-unknown", {"subgroup": category.subgroup, "group": group.name,
                                                "choices": "; ".join(group.subgroups)},
                      ("ocop", "category", "subgroup"))


@check("ocop-no-sheet")
def _sheet(s: Subject) -> Iterator[Finding]:
    raw = s.product.ocop.self_assessment if s.product.ocop else None
    if raw is not None and assess(raw) is None:
        era = ocop_law().era_on(raw.date)
        yield Finding("ocop-no-sheet", {"date": vn_date(raw.date, 4), "instrument": era.instrument},
                      ("ocop", "self_assessment", "date"))


@check("ocop-criterion-unknown")
def _criterion_unknown(s: Subject) -> Iterator[Finding]:
    scored = _scored(s)
    if scored is None:
        return
    known = ", ".join(c.criterion.id for c in scored.criteria)
    for key in scored.unknown:
        yield Finding("ocop-criterion-unknown", {"criterion": key, "known": known},
                      ("ocop", "self_assessment", "scores", key))


@check("ocop-score-over-max")
def _score_over_max(s: Subject) -> Iterator[Finding]:
    scored = _scored(s)
    if scored is None:
        return
    for c in scored.criteria:
        if c.score is not None and c.score > c.criterion.max:
            yield Finding("ocop-score-over-max", {"criterion": c.criterion.id, "score": c.score,
                                                  "max": c.criterion.max},
                          ("ocop", "self_assessment", "scores", c.criterion.id))


@check("ocop-mandatory-unsupported")
def _unsupported(s: Subject) -> Iterator[Finding]:
    scored = _scored(s)
    if scored is None:
        return
    titles = {e.id: e.title for e in ocop_law().evidence}
    scores = {c.criterion.id: c.score for c in scored.criteria}
    for criterion in scored.unsupported:
        if criterion.mandatory:
            score = vn_number(scores[criterion.id] or 0)
            paper = titles.get(criterion.evidence or "", criterion.evidence or "")
            yield Finding("ocop-mandatory-unsupported", {"criterion": criterion.id, "name": criterion.name,
                                                         "score": score, "evidence": paper},
                          ("ocop", "self_assessment", "scores", criterion.id))


@check("ocop-new-idea-on-sale")
def _new_idea_on_sale(s: Subject) -> Iterator[Finding]:
    ocop = s.product.ocop
    if ocop is not None and ocop.status == "new_idea" and s.product.lot.production_date <= s.as_of:
        yield Finding("ocop-new-idea-on-sale", {"product": s.product.name.vi, "lot": s.product.lot.code},
                      ("ocop", "status"))


@check("ocop-group-mismatch")
def _group_mismatch(s: Subject) -> Iterator[Finding]:
    category = s.product.ocop.category if s.product.ocop else None
    allowed = ocop_law().label_groups.get(s.product.group, [])
    if category is not None and allowed and category.group not in allowed:
        groups = ocop_law().groups
        yield Finding("ocop-group-mismatch", {
            "ocop_group": groups[category.group].name, "group": s.product.group,
            "allowed": ", ".join(groups[g].name for g in allowed if g in groups)},
            ("ocop", "category", "group"))


@check("ocop-mandatory-criterion")
def _mandatory(s: Subject) -> Iterator[Finding]:
    scored = _scored(s)
    if scored is None or scored.stars == scored.band.stars:
        return
    yield Finding("ocop-mandatory-criterion", {
        "criteria": "; ".join(f"{c.id} {c.name}" for c in scored.unmet), "total": scored.total,
        "band": scored.band.stars, "stars": scored.stars}, ("ocop", "self_assessment", "scores"))


@check("ocop-evidence-supporting-missing")
def _evidence_supporting(s: Subject) -> Iterator[Finding]:
    if s.product.ocop is None or not s.product.ocop.filing:
        return
    for item in evidence(s.entry, s.as_of):
        if item.status == "missing" and not item.mandatory:
            yield Finding("ocop-evidence-supporting-missing", {"item": item.title}, ("ocop", "evidence"))


@check("ocop-evidence-file-missing")
def _evidence_files(s: Subject) -> Iterator[Finding]:
    for paper, loc in declared(s.entry).values():
        if paper.file is not None and scan_path(s.entry, paper.file) is None:
            yield Finding("ocop-evidence-file-missing", {"file": paper.file, "folder": s.entry.folder.name},
                          (*loc, "file"), in_producer=loc[0] == "ocop_evidence")


@check("ocop-certificate-expired", "ocop-certificate-expiring")
def _certificate_expiry(s: Subject) -> Iterator[Finding]:
    until = certificate_until(s.product)
    if until is None:
        return
    validity = standing("ocop_certificate", until, s.as_of)
    if validity.standing == "expired":
        yield Finding("ocop-certificate-expired", {"until": vn_date(until, 4), "as_of": vn_date(s.as_of, 4)},
                      ("ocop", "certificate", "issued_on"))
    elif validity.standing == "expiring":
        yield Finding("ocop-certificate-expiring", {"until": vn_date(until, 4), "days": validity.days},
                      ("ocop", "certificate", "issued_on"))


@check("ocop-plan-below-target")
def _plan_target(s: Subject) -> Iterator[Finding]:
    plan = s.product.ocop.business_plan if s.product.ocop else None
    if plan is None:
        return
    for i, row in enumerate(plan_totals(plan).rows):
        if row.target is not None and row.revenue < row.target:
            yield Finding("ocop-plan-below-target", {"year": row.year, "revenue": vn_number(row.revenue, 0),
                                                     "target": vn_number(row.target, 0)},
                          ("ocop", "business_plan", "years", i, "revenue_target_vnd"))


@check("ocop-plan-loss")
def _plan_loss(s: Subject) -> Iterator[Finding]:
    plan = s.product.ocop.business_plan if s.product.ocop else None
    if plan is None:
        return
    for i, row in enumerate(plan_totals(plan).rows):
        if row.margin < 0:
            yield Finding("ocop-plan-loss", {"year": row.year, "revenue": vn_number(row.revenue, 0),
                                             "cost": vn_number(row.cost, 0)},
                          ("ocop", "business_plan", "years", i))
