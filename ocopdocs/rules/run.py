"""Running the registered checks: across the files, on each product, on a rendered label PDF.

Each finding becomes a problem located in its file and line (the product file, or
``producer.yaml`` for a finding about the producer), judged by the catalogue entry in force on
the date the rule names. A producer-file problem found once per product is reported once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..domain.label import LabelExpect
from ..errors import Problem
from ..loader import ProductEntry, Project
from ..schema import Producer, Product
from ..yamlio import format_loc
from . import Dates, checks, to_problem
from .findings import Finding


@dataclass(frozen=True)
class Subject:
    """A product under check, with its producer, the whole folder and the dates rules judge on."""

    entry: ProductEntry
    producer: Producer
    product: Product
    project: Project
    dates: Dates

    @property
    def print_date(self) -> date:
        """The day the label is printed (its lot's print date, or production date)."""
        return self.dates.print_date

    @property
    def as_of(self) -> date:
        """The day certificates and grace periods are judged on."""
        return self.dates.as_of


def dates_of(product: Product, as_of: date) -> Dates:
    """The days a product's rules are judged on."""
    return Dates(product.lot.effective_print_date, product.food_safety.declaration.date or as_of, as_of)


def _subject(entry: ProductEntry, project: Project, as_of: date) -> Subject:
    producer, product = entry.producer.model, entry.model
    assert producer is not None and product is not None
    return Subject(entry, producer, product, project, dates_of(product, as_of))


def _located(subject: Subject, finding: Finding) -> Problem | None:
    doc = subject.entry.producer.doc if finding.in_producer else subject.entry.doc
    return to_problem(finding, subject.dates, file=doc.display, line=doc.line_of(finding.loc),
                      field=format_loc(finding.loc))


def _run(scope: Any, subject: Subject) -> list[Problem]:
    found = []
    for registered in checks(scope):
        assert registered.function is not None
        for finding in registered.function(subject):
            problem = _located(subject, finding)
            if problem is not None:
                found.append(problem)
    return found


def run(project: Project, as_of: date, *, alone: bool = True) -> list[Problem]:
    """Every data rule on every product: first across the files, then on each product alone.

    A product with an error across the files (an unknown production site, a duplicate GTIN)
    is not checked alone: its own checks would read what is not there. ``alone=False`` runs
    only the checks across the files.
    """
    problems: list[Problem] = []
    seen: set[tuple[object, ...]] = set()

    def add(found: list[Problem]) -> bool:
        errors = False
        for problem in found:
            errors |= problem.severity == "error"
            key = (problem.file, problem.line, problem.field, problem.code, problem.message)
            if key not in seen:  # a producer-file problem is found once per product
                seen.add(key)
                problems.append(problem)
        return errors

    for entry in project.loaded():
        subject = _subject(entry, project, as_of)
        if not add(_run("project", subject)) and alone:
            add(_run("product", subject))
    return problems


def run_pdf(pdf: bytes, expect: LabelExpect, dates: Dates, *, file: str, field: str,
            document: str, line: int | None = None) -> list[Problem]:
    """Every PDF rule on a rendered label (the page is read once for all of them)."""
    from .pdf_label import read_label  # pypdfium2 and zxing-cpp: only when a label is built

    page = read_label(pdf, expect)
    found = []
    for registered in checks("pdf"):
        assert registered.function is not None
        for finding in registered.function(page):
            problem = to_problem(finding, dates, file=file, line=line, field=field, document=document)
            if problem is not None:
                found.append(problem)
    return found
