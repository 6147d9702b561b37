"""Running the registered checks: across the files, on each product, on a rendered label PDF.

Each finding becomes a problem located in its file and line (the product file, or
``producer.yaml`` for a finding about the producer), judged by the catalogue entry in force on
the date the rule names. A producer-file problem found once per product is reported once.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

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
    marked = subject.entry.producer.marked if finding.in_producer else subject.entry.marked
    named = {format_loc(finding.loc)} | {v for v in finding.values.values() if isinstance(v, str)}
    if marked and named & marked:
        return None  # a value still to fill: its own problem (value-to-fill) says what to write
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


M = TypeVar("M", bound=BaseModel)


@cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    return TypeAdapter(model.model_fields[name].rebuild_annotation())


def partial(model: type[M], data: object) -> M | None:
    """The fields of ``data`` that are valid on their own, as an unvalidated ``model``.

    A field that failed (or is missing) is not set, so reading it raises AttributeError: the
    checks across the files run on what is valid in a file that has other errors.
    """
    if not isinstance(data, dict):
        return None
    valid: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in data:
            try:
                valid[name] = _adapter(model, name).validate_python(data[name])
            except ValidationError:
                inner = _partial_value(info.annotation, data[name])
                if inner is not None:
                    valid[name] = inner
    return model.model_construct(**valid)


def _partial_value(annotation: Any, value: object) -> Any:
    """A section (or a list of sections) that failed: what is valid in it, or None."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _partial_value(typing.get_args(annotation)[0], value)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _partial_value(arg, value)
            if found is not None:
                return found
        return None
    if origin is list and isinstance(value, list):
        [item] = typing.get_args(annotation)
        if _model_in(item) is None:
            return None
        items = []
        for element in value:  # every item kept, valid or partial, so that indices stay right
            try:
                items.append(TypeAdapter(item).validate_python(element))
            except ValidationError:
                items.append(_partial_value(item, element))
        return items if all(i is not None for i in items) else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return partial(annotation, value)
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if typing.get_origin(annotation) is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _partial_subject(entry: ProductEntry, project: Project, as_of: date) -> Subject | None:
    producer = entry.producer.model or partial(Producer, entry.producer.doc.data)
    product = entry.model or partial(Product, entry.doc.data)
    if producer is None or product is None:
        return None
    try:
        dates = dates_of(product, as_of)
    except AttributeError:  # no valid lot: judge every rule on --as-of
        dates = Dates.on(as_of)
    return Subject(entry, producer, product, project, dates)


def _run_partial(subject: Subject) -> list[Problem]:
    """The checks across the files on a file with other errors, each where its fields are valid."""
    found = []
    for registered in checks("project"):
        assert registered.function is not None
        try:
            findings = list(registered.function(subject))
        except AttributeError:  # a field this check reads is not valid: its own error says so
            continue
        found += [p for p in (_located(subject, f) for f in findings) if p is not None]
    return found


def run(project: Project, as_of: date, *, alone: bool = True) -> list[Problem]:
    """Every data rule on every product: first across the files, then on each product alone.

    Every problem at once: the checks across the files also run on products whose file (or
    producer file) has other errors, on the fields that are valid. A product's own checks run
    when both files are valid and no error across the files concerns the input (an unknown
    production site: its own checks would read what is not there); a GTIN error does not stop
    them. ``alone=False`` runs only the checks across the files.
    """
    problems: list[Problem] = []
    seen: set[tuple[object, ...]] = set()

    def add(found: list[Problem]) -> bool:
        blocking = False
        for problem in found:
            blocking |= problem.severity == "error" and problem.area == "input"
            key = (problem.file, problem.line, problem.field, problem.code, problem.message)
            if key not in seen:  # a producer-file problem is found once per product
                seen.add(key)
                problems.append(problem)
        return blocking

    loaded = {id(e) for e in project.loaded()}
    for entry in project.products:
        if id(entry) not in loaded:
            subject = _partial_subject(entry, project, as_of)
            if subject is not None:
                add(_run_partial(subject))
            continue
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
