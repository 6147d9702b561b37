"""The rule catalogue: every legal check with a stable code, its article and its dates.

The catalogue itself is data (``ocopdocs/law/rules.yaml``); the checks are small functions in
:mod:`.data` (on product data) and :mod:`.pdf_label` (on rendered PDFs) that return
:class:`~.findings.Finding` objects. :func:`to_problem` turns a finding into a located
:class:`~ocopdocs.errors.Problem` carrying the rule's severity, article and fix hint, using the
rule entry in force on the label's print date. A rule with no entry for that date does not
apply and its findings are dropped.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict

from ..errors import Problem, Severity
from ..law import FAST_SAFE_LOADER, HERE
from ..messages import language, t

Target = Literal["data", "pdf"]


class Rule(BaseModel):
    """One catalogue entry: a rule as one era of the law states it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    severity: Severity
    target: Target
    instrument: str
    article: str
    applies_from: date
    applies_until: date | None
    confidence: Literal["sure", "likely", "unsure"]

    def applies_on(self, day: date) -> bool:
        """Return True when this entry is in force on ``day``."""
        return self.applies_from <= day and (self.applies_until is None or day <= self.applies_until)

    @property
    def citation(self) -> str:
        """Instrument and article, as printed after a problem."""
        return f"{self.instrument}, {self.article}"


class Catalogue(BaseModel):
    """``rules.yaml``: the rules and the word lists some of them use."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    eras: dict[str, dict[str, Any]]
    rules: list[Rule]
    country_abbreviations: list[str]
    english_origin_phrases: list[str]
    free_from_prefixes: list[str]
    qualified_additive_groups: list[str]
    boundary_reforms: list[BoundaryReform]

    def rule(self, code: str, day: date) -> Rule | None:
        """Return the entry of ``code`` in force on ``day``, or None when it does not apply."""
        return next((r for r in self.rules if r.code == code and r.applies_on(day)), None)

    def codes(self, target: Target | None = None) -> list[str]:
        """Every rule code, in catalogue order, optionally of one target."""
        return list(dict.fromkeys(r.code for r in self.rules if target in (None, r.target)))


class BoundaryReform(BaseModel):
    """Administrative units abolished by a boundary reform (NĐ 37/2026 Art. 98.5 grace)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    effective: date
    words: list[str]
    field: Literal["district", "province"]


Catalogue.model_rebuild()


@cache
def catalogue() -> Catalogue:
    """Return the rule catalogue (read once per process)."""
    with open(HERE / "rules.yaml", encoding="utf-8") as f:
        return Catalogue.model_validate(yaml.load(f, Loader=FAST_SAFE_LOADER))


def annotate(problem: Problem, day: date) -> Problem | None:
    """Attach the article and hint of the rule ``problem.code`` in force on ``day``.

    Problems whose code is not a rule (YAML syntax, schema types) pass unchanged; problems of a
    rule that does not apply on ``day`` are dropped (None).
    """
    codes = catalogue().codes()
    if problem.code not in codes:
        return problem
    rule = catalogue().rule(problem.code, day)
    if rule is None:
        return None
    return Problem(problem.file, problem.line, problem.field, problem.code, problem.message,
                   rule.severity, problem.document, rule.citation, t(f"hint-{rule.code}"), problem.page)


def _number(value: float | Decimal) -> str:
    """Format a measurement for a message: 2 decimals at most, decimal comma in Vietnamese."""
    text = f"{round(float(value), 3):g}"
    return text.replace(".", ",") if language() == "vi" else text


def to_problem(finding: Any, day: date, *, file: str, line: int | None, field: str,
               document: str | None = None) -> Problem | None:
    """Turn a finding into a problem located in ``file``, or None when its rule does not apply."""
    rule = catalogue().rule(finding.code, day)
    if rule is None:
        return None
    values = {k: _number(v) if isinstance(v, (float, Decimal)) else v for k, v in finding.values.items()}
    message = t(finding.code, **({"document": document} if document else {}), **values)
    return Problem(file, line, field, finding.code, message, rule.severity, document,
                   rule.citation, t(f"hint-{rule.code}"), finding.page)
