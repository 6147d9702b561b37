"""The rule catalogue and the one rule registry: every legal check, its article, dates and function.

The catalogue is data (``ocopdocs/law/rules.yaml``): one entry per rule and era, each naming
the date that picks the era (``judged_on``). The checks are small functions registered with
:func:`check` in this package's area modules (:mod:`.inputs` across the files, :mod:`.label`,
:mod:`.food_safety`, :mod:`.trademark`, :mod:`.ocop` on product data, :mod:`.pdf_label` on
rendered label PDFs); each returns :class:`~.findings.Finding` objects. :func:`to_problem`
turns a finding into a located :class:`~ocopdocs.errors.Problem` carrying the severity, the
article and the fix hint of the entry in force on the finding's judged date; a rule with no
entry for that date does not apply and its findings are dropped.

A registered check names every code it may report; a code checked by the schema itself (a
value that cannot even be read) is registered with :func:`schema_checked`, and a code that
documents report for the blanks they print with :func:`document_checked`. The test suite
asserts that registered codes, catalogue codes and message keys are the same set.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from ..errors import Area, Problem, Severity
from ..law import applies_on, read
from ..messages import language, t
from .findings import Finding

Target = Literal["data", "pdf"]
JudgedOn = Literal["print_date", "declaration_date", "as_of"]
Scope = Literal["product", "project", "pdf", "schema", "document"]
"""What a check reads: one product, the whole folder, a rendered label PDF; or nothing, for a
code reported elsewhere: by the schema while reading a value ("schema"), or by a document's
context, as the marked blanks it prints ("document")."""

AREA_MODULES = ("inputs", "label", "food_safety", "trademark", "ocop")
"""Modules of data checks, imported when the registry is first asked for."""
PDF_MODULES = ("pdf_label",)
"""Modules of PDF checks: imported only when a label PDF is read (pypdfium2, zxing-cpp)."""


class Rule(BaseModel):
    """One catalogue entry: a rule as one era of the law states it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    judged_on: JudgedOn
    severity: Severity
    target: Target
    instrument: str
    article: str
    applies_from: date
    applies_until: date | None
    confidence: Literal["sure", "likely", "unsure"]

    def applies_on(self, day: date) -> bool:
        """Return True when this entry is in force on ``day``."""
        return applies_on(self, day)

    @property
    def citation(self) -> str:
        """Instrument and article, as printed after a problem."""
        return f"{self.instrument}, {self.article}"


class BoundaryReform(BaseModel):
    """Administrative units abolished by a boundary reform (NĐ 37/2026 Art. 98.5 grace)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    effective: date
    grace_months: int
    """Labels printed with the old units may be used this long from ``effective``."""
    words: list[str]
    field: Literal["district", "province"]


class IdentifierFormat(BaseModel):
    """A form of registration number that ocopdocs knows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str
    name: str
    example: str
    confidence: Literal["sure", "likely", "unsure"]


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
    registration_formats: list[IdentifierFormat]

    @model_validator(mode="after")
    def _one_date_per_code(self) -> Catalogue:
        judged: dict[str, str] = {}
        for rule in self.rules:
            if judged.setdefault(rule.code, rule.judged_on) != rule.judged_on:
                raise ValueError(f"{rule.code}: every entry of a code must have the same judged_on")
        return self

    def rule(self, code: str, day: date) -> Rule | None:
        """Return the entry of ``code`` in force on ``day``, or None when it does not apply."""
        return next((r for r in self.rules if r.code == code and r.applies_on(day)), None)

    def codes(self, target: Target | None = None) -> list[str]:
        """Every rule code, in catalogue order, optionally of one target."""
        return list(dict.fromkeys(r.code for r in self.rules if target in (None, r.target)))

    def judged_on(self, code: str) -> JudgedOn | None:
        """The date that picks the era of ``code``, or None for a code not in the catalogue."""
        return next((r.judged_on for r in self.rules if r.code == code), None)


@cache
def catalogue() -> Catalogue:
    """Return the rule catalogue (read once per process)."""
    return read("rules.yaml", Catalogue)


# ------------------------------------------------------------------------------ registry


@dataclass(frozen=True)
class Check:
    """A registered check: the codes it reports, what it reads and what its problems concern."""

    codes: tuple[str, ...]
    scope: Scope
    area: Area
    function: Callable[[Any], Iterable[Finding]] | None


_REGISTRY: dict[str, Check] = {}
"""Code → the check that reports it."""


def check(*codes: str, area: Area, scope: Scope = "product") -> Callable[[Any], Any]:
    """Register a check function that may report ``codes`` (each a catalogue code)."""
    def register(function: Callable[[Any], Iterable[Finding]]) -> Callable[[Any], Iterable[Finding]]:
        registered = Check(codes, scope, area, function)
        for code in codes:
            if code in _REGISTRY:
                raise AssertionError(f"rule code {code} is registered twice")
            _REGISTRY[code] = registered
        return function
    return register


def schema_checked(code: str, area: Area) -> None:
    """Register a catalogue code that the schema reports while reading a value."""
    _REGISTRY[code] = Check((code,), "schema", area, None)


def document_checked(code: str, area: Area) -> None:
    """Register a catalogue code reported from documents: the blanks their contexts mark."""
    _REGISTRY[code] = Check((code,), "document", area, None)


@cache
def _load(modules: tuple[str, ...]) -> None:
    for name in modules:
        importlib.import_module(f"{__name__}.{name}")


def registry(*, pdf: bool = False) -> dict[str, Check]:
    """Every registered code and its check (with ``pdf``: the PDF checks too)."""
    _load(AREA_MODULES)
    if pdf:
        _load(PDF_MODULES)
    return dict(_REGISTRY)


def checks(scope: Scope) -> list[Check]:
    """The registered checks that read ``scope``, each once, in registration order."""
    found = registry(pdf=scope == "pdf").values()
    return list({id(c): c for c in found if c.scope == scope and c.function is not None}.values())


def area_of(code: str) -> Area:
    """What a problem code concerns; codes that are not rules (schema, YAML) concern the input."""
    registered = registry().get(code)
    return registered.area if registered is not None else "input"


# ------------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Dates:
    """The days a product's rules are judged on: each catalogue entry says which it uses."""

    print_date: date
    declaration_date: date
    as_of: date

    @classmethod
    def on(cls, day: date) -> Dates:
        """The same day for every rule (a problem found outside a product's context)."""
        return cls(day, day, day)

    def judging(self, code: str) -> date:
        """The day that picks the era of ``code``."""
        return getattr(self, catalogue().judged_on(code) or "as_of")  # type: ignore[no-any-return]


def annotate(problem: Problem, dates: Dates) -> Problem | None:
    """Attach the article and hint of the rule ``problem.code`` in force on its judged date.

    Problems whose code is not a rule (YAML syntax, schema types) pass unchanged; problems of a
    rule that does not apply on that day are dropped (None).
    """
    if catalogue().judged_on(problem.code) is None:
        return problem
    rule = catalogue().rule(problem.code, dates.judging(problem.code))
    if rule is None:
        return None
    return Problem(problem.file, problem.line, problem.field, problem.code, problem.message,
                   rule.severity, problem.document, rule.citation, t(f"hint-{rule.code}"), problem.page,
                   area_of(problem.code))


def _number(value: float | Decimal) -> str:
    """Format a measurement for a message: 2 decimals at most, decimal comma in Vietnamese."""
    text = f"{round(float(value), 3):g}"
    return text.replace(".", ",") if language() == "vi" else text


def to_problem(finding: Finding, dates: Dates, *, file: str, line: int | None, field: str,
               document: str | None = None) -> Problem | None:
    """Turn a finding into a problem located in ``file``, or None when its rule does not apply."""
    rule = catalogue().rule(finding.code, dates.judging(finding.code))
    if rule is None:
        return None
    values = {k: _number(v) if isinstance(v, (float, Decimal)) else v for k, v in finding.values.items()}
    message = t(finding.code, **({"document": document} if document else {}), **values)
    return Problem(file, line, field, finding.code, message, rule.severity, document,
                   rule.citation, t(f"hint-{rule.code}"), finding.page, area_of(finding.code))
