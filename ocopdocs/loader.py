"""Find the product files, validate every one of them, and report all problems at once.

The loader never stops at the first problem: every file is read and validated, each problem
becomes a :class:`~ocopdocs.errors.Problem` with file, line and field, and only the products
whose own file and producer file are free of errors go on to be built.
"""

from __future__ import annotations

import difflib
import os
import re
import types
import typing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .design.stocks import StockError, available, fitting, layout
from .errors import Area, Problem, printable
from .messages import language, os_error, t
from .schema import Producer, Product, gtin13_problem
from .schema import guide as fields
from .yamlio import Loc, YamlDoc, format_loc, load_yaml

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
"""A folder or file name that becomes an output path: matched whole (``fullmatch``), so that a
name ending in a newline is refused too."""
PRODUCER_FILE = "producer.yaml"
FILL = "[ĐIỀN]"
"""Starts a value still to be written (``ocopdocs new`` writes them): reported as value-to-fill,
and nothing else is reported about that field."""
_FILL_AREAS: dict[str, Area] = {
    "food_safety": "food_safety", "food_safety_certificate": "food_safety", "premises": "food_safety",
    "equipment": "food_safety", "staff": "food_safety", "management_certificates": "food_safety",
    "ocop": "ocop", "ocop_evidence": "ocop", "trademark": "trademark", "label_sheet": "sheet",
    "label_stocks": "sheet"}
"""What a value to fill keeps from being built: a dossier field blocks only its dossier."""
MAX_PRODUCTS = 5000
"""A province has a few hundred products; a folder with more is a mistake."""


@dataclass
class ProducerEntry:
    """A producer folder: its ``producer.yaml`` and, when valid, the model."""

    slug: str
    doc: YamlDoc
    model: Producer | None = None
    marked: set[str] = field(default_factory=set)
    """Fields still to fill (``[ĐIỀN] …``), as ``packages[0].gtin``; rules say nothing of them."""


@dataclass
class ProductEntry:
    """One product file and, when it and its producer are valid, its models."""

    producer: ProducerEntry
    slug: str
    doc: YamlDoc
    model: Product | None = None
    marked: set[str] = field(default_factory=set)
    """Fields still to fill (``[ĐIỀN] …``), as ``packages[0].gtin``; rules say nothing of them."""

    @property
    def id(self) -> str:
        """``producer/product``, the product's name in output paths and the manifest."""
        return f"{self.producer.slug}/{self.slug}"

    @property
    def folder(self) -> Path:
        """The producer's folder, the only place a product may reference files from."""
        return self.doc.path.parent


@dataclass
class Project:
    """Everything read from a products folder."""

    root: Path
    producers: list[ProducerEntry] = field(default_factory=list)
    products: list[ProductEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    _owners: dict[str, str] | None = field(default=None, repr=False)

    def loaded(self) -> list[ProductEntry]:
        """Products whose file and producer file were read and validated."""
        return [e for e in self.products if e.model is not None and e.producer.model is not None]

    def gtin_owners(self) -> dict[str, str]:
        """Each well-formed GTIN and the first variant that uses it: ``producer/product (sku)``."""
        if self._owners is None:
            self._owners = {}
            for entry in self.loaded():
                assert entry.model is not None
                for package in entry.model.packages:
                    if package.gtin is not None and gtin13_problem(package.gtin) is None:
                        self._owners.setdefault(package.gtin, f"{entry.id} ({package.sku})")
        return self._owners


@dataclass(frozen=True)
class Selection:
    """What ``--products`` names inside its products folder: everything, one producer or one product.

    The whole folder is still read and checked (the checks across files need every product);
    only the selected products' documents are built and their problems reported.
    """

    producer: str | None = None
    """The producer folder's name, or None for every producer."""
    product: str | None = None
    """The product file's stem inside that folder, or None for all of its products."""

    @property
    def everything(self) -> bool:
        """True when nothing is left out."""
        return self.producer is None

    def has(self, producer: str, product: str | None) -> bool:
        """True for a document of ``producer`` about ``product`` (``producer/product``, or None).

        A producer's own documents (product None) belong to a producer selection, not to a
        product selection.
        """
        if self.producer is None:
            return True
        if producer != self.producer:
            return False
        return self.product is None or product == f"{self.producer}/{self.product}"

    def files(self, project: Project) -> set[str]:
        """The displayed paths of the selected product files and of their producers' files."""
        chosen = [e for e in project.products if self.has(e.producer.slug, e.id)]
        producers = {e.producer.slug for e in chosen} | ({self.producer} if self.producer else set())
        return ({e.doc.display for e in chosen}
                | {p.doc.display for p in project.producers if p.slug in producers})


def locate(path: Path) -> tuple[Path, Selection]:
    """The products folder and the selection that ``--products path`` names.

    ``path`` is a products folder (folders of producers), a producer folder (it holds
    ``producer.yaml`` or product files) or one product file.
    """
    if path.is_file():
        folder = path.resolve().parent
        if path.name == PRODUCER_FILE:
            return folder.parent, Selection(folder.name)
        return folder.parent, Selection(folder.name, path.stem)
    if path.is_dir() and ((path / PRODUCER_FILE).is_file()
                          or any(not p.name.startswith(".") for p in path.glob("*.yaml"))):
        return path.resolve().parent, Selection(path.resolve().name)
    return path, Selection()


def display_path(path: Path) -> str:
    """Return ``path`` relative to the working directory when it is inside it.

    A name that is not UTF-8 shows U+FFFD for its odd bytes (see :func:`~ocopdocs.errors.printable`).
    """
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return printable(str(path))
    if not relative.startswith(".."):
        return printable(relative)
    try:
        return printable(str(path.resolve()))
    except (OSError, RuntimeError):  # a link loop: the path as given
        return printable(os.path.abspath(path))


def _outside(path: Path, root: Path) -> Problem | None:
    """A problem when ``path`` is a link that leads out of the products folder ``root`` (resolved)."""
    try:
        if path.resolve().is_relative_to(root):
            return None
    except (OSError, RuntimeError):  # a link loop: reading it will say so
        return None
    return Problem(display_path(path), None, "", "file-outside", t("file-outside", root=display_path(root)),
                   hint=t("file-outside-fix"))


def _listing(folder: Path, project: Project) -> list[Path]:
    """The entries of ``folder``; one that cannot be listed is a problem, not a crash."""
    try:
        return list(folder.iterdir())
    except OSError as exc:
        project.problems.append(Problem(display_path(folder), None, "", "file-unreadable",
                                        t("file-unreadable", detail=os_error(exc))))
        return []


def load_project(root: Path) -> Project:
    """Read and validate every producer and product under ``root``.

    Nothing outside ``root`` is read: a producer folder or a file that is a link leading out of
    it is reported, not followed.
    """
    project = Project(root)
    inside = root.resolve()
    for folder in sorted(p for p in _listing(root, project) if p.is_dir() and not p.name.startswith(".")):
        producer_path = folder / PRODUCER_FILE
        producer = ProducerEntry(folder.name, YamlDoc(producer_path, display_path(producer_path)))
        product_paths = sorted(p for p in _listing(folder, project) if p.name.endswith(".yaml")
                               and p.name != PRODUCER_FILE and not p.name.startswith("."))
        if not product_paths and not producer_path.exists():
            continue
        if not SLUG.fullmatch(folder.name):
            project.problems.append(Problem(display_path(folder), None, "", "file-name",
                                            t("file-name", name=printable(folder.name))))
            continue
        outside = _outside(folder, inside) or (_outside(producer_path, inside) if producer_path.exists()
                                               else None)
        if outside is not None:
            project.problems.append(outside)
            continue
        if producer_path.exists():
            producer.doc = load_yaml(producer_path, producer.doc.display)
            producer.model = _validate(producer.doc, Producer, producer.marked)
            project.problems.extend(producer.doc.problems)
        project.producers.append(producer)
        for path in product_paths:
            if len(project.products) >= MAX_PRODUCTS:
                break
            entry = ProductEntry(producer, path.stem, YamlDoc(path, display_path(path)))
            if not SLUG.fullmatch(path.stem):
                project.problems.append(Problem(entry.doc.display, None, "", "file-name",
                                                t("file-name", name=printable(path.name))))
                continue
            outside = _outside(path, inside)
            if outside is not None:
                project.problems.append(outside)
                continue
            entry.doc = load_yaml(path, entry.doc.display)
            entry.model = _validate(entry.doc, Product, entry.marked)
            if not producer_path.exists():
                entry.doc.problems.append(entry.doc.problem((), "producer-missing",
                                          t("producer-missing", folder=display_path(folder))))
            elif producer.model is None:
                entry.doc.problems.append(entry.doc.problem((), "producer-invalid",
                                          t("producer-invalid", file=producer.doc.display)))
            elif entry.model is not None:
                entry.doc.problems.extend(sheet_problems(entry.doc, entry.model, producer.model))
            project.problems.extend(entry.doc.problems)
            project.products.append(entry)
    return project


def sheet_problems(doc: YamlDoc, product: Product, producer: Producer) -> list[Problem]:
    """What keeps ``label_sheet`` from being laid out: an unknown variant or stock, a label too big.

    Checked across the two files (a producer's own stocks are in ``producer.yaml``); the
    problems block the product's sheets only (area "sheet").
    """
    sheet = product.label_sheet
    if sheet is None:
        return []
    found: list[Problem] = []

    def add(loc: Loc, code: str, message: str) -> None:
        found.append(replace(doc.problem(loc, code, message), area="sheet"))

    skus = [p.sku for p in product.packages]
    for i, sku in enumerate(sheet.sizes):
        if sku not in skus:
            add(("label_sheet", "sizes", i), "sheet-size-unknown",
                t("sheet-size-unknown", size=sku, sizes=", ".join(skus)))
    stocks = available(producer.label_stocks)
    stock = stocks.get(sheet.stock)
    if stock is None:
        add(("label_sheet", "stock"), "stock-unknown",
            t("stock-unknown", stock=sheet.stock, stocks=", ".join(stocks)))
        return found
    chosen = [p for p in product.packages if not sheet.sizes or p.sku in sheet.sizes]
    sizes = {(p.label.width_mm, p.label.height_mm) for p in chosen}
    if sheet.mixed and chosen:  # one cell size for all: the largest width and height
        sizes = {(max(w for w, _ in sizes), max(h for _, h in sizes))}
    for size in sorted(sizes):
        try:
            layout(stock, size)
        except StockError as exc:
            fits = fitting(stocks, size)
            hint = t("stock-fitting", stocks=", ".join(fits)) if fits else t("stock-fitting-none")
            add(("label_sheet", "stock"), exc.code, f"{exc} {hint}")
    return found


def _markers(data: Any, loc: Loc = ()) -> dict[Loc, str]:
    """Every value still to fill in ``data``: its place and what is to be written there."""
    found: dict[Loc, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            found.update(_markers(value, (*loc, str(key))))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found.update(_markers(value, (*loc, i)))
    elif isinstance(data, str) and data.startswith(FILL):
        found[loc] = data.removeprefix(FILL).strip()
    return found


def _related(loc: Loc, marked: dict[Loc, str]) -> bool:
    """True when an error at ``loc`` is about a value still to fill (at, in or around it)."""
    return bool(loc) and any(m[:len(loc)] == loc or loc[:len(m)] == m for m in marked)


def _without(data: Any, loc: Loc) -> Any:
    """``data`` without the key at ``loc`` (a copy along the path)."""
    if not loc or not isinstance(data, (dict, list)):
        return data
    head, rest = loc[0], loc[1:]
    if isinstance(data, dict):
        if not rest:
            return {k: v for k, v in data.items() if k != head}
        return {k: (_without(v, rest) if k == head else v) for k, v in data.items()}
    if isinstance(head, int) and head < len(data):
        return [(_without(v, rest) if i == head else v) for i, v in enumerate(data)]
    return data


def _validate(doc: YamlDoc, model: type[BaseModel], marked_out: set[str] | None = None) -> Any:
    """Validate ``doc`` as ``model``; on failure add one problem per error and return None.

    A value still to fill (``[ĐIỀN] …``) is reported once, as value-to-fill; a marked value
    that is not text is left out before validating, and no other error about it is reported.
    """
    if doc.data is None:
        return None
    if not isinstance(doc.data, dict):
        doc.problems.append(doc.problem((), "yaml-not-mapping", t("yaml-not-mapping")))
        return None
    marked = _markers(doc.data)
    data = doc.data
    for loc, what in marked.items():
        guide = fields.at(model, loc)
        example = fields.flow(guide.example) if guide is not None else "…"
        area = _FILL_AREAS.get(str(loc[0]), "label")
        message = t("value-to-fill", what=what, example=example)
        doc.problems.append(replace(doc.problem(loc, "value-to-fill", message), area=area))
        if marked_out is not None:
            marked_out.add(format_loc(loc))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    if marked:  # leave out the marked values that cannot stand as text, and try again
        for error in errors:
            loc = tuple(error["loc"])
            if loc in marked:
                data = _without(data, loc)
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
    for error in errors:
        loc = tuple(error["loc"])
        if _related(loc, marked):
            continue
        code, message = _translate(error, model, loc)
        doc.problems.append(doc.problem(loc, code, message))
    return None


_TYPE_CODES = {
    "string_type": "wrong-type-text",
    "int_type": "wrong-type-integer", "int_parsing": "wrong-type-integer",
    "int_from_float": "wrong-type-integer",
    "decimal_parsing": "wrong-type-number", "decimal_type": "wrong-type-number",
    "float_parsing": "wrong-type-number", "float_type": "wrong-type-number",
    "bool_type": "wrong-type-bool", "bool_parsing": "wrong-type-bool",
    "date_type": "wrong-type-date", "date_parsing": "wrong-type-date",
    "date_from_datetime_parsing": "wrong-type-date",
    "model_type": "wrong-type-mapping", "model_attributes_type": "wrong-type-mapping",
    "dict_type": "wrong-type-mapping", "dataclass_type": "wrong-type-mapping",
    "list_type": "wrong-type-list",
}
_PATTERN_CODES = {
    "^[a-z0-9][a-z0-9-]{0,39}$": "slug-format",
    "^[A-Z0-9-]{1,12}$": "abbreviation-format",
    "^[0-9]{9,12}$": "id-number-format",
}


def _translate(error: Any, model: type[BaseModel], loc: Loc) -> tuple[str, str]:
    """Turn one pydantic error into a (code, message) pair from the catalogue."""
    kind: str = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    guide = fields.at(model, tuple(p for p in loc if isinstance(p, (str, int))))
    if kind == "missing":
        if guide is None:
            return "missing-field", t("missing-field")
        where = (t("missing-field-in", section=format_loc(loc[:-1])) if len(loc) > 1
                 else t("missing-field-top"))
        return "missing-field", t("missing-field-example", example=guide.example_line(), where=where,
                                  meaning=(guide.vi if language() == "vi" else guide.en).rstrip("."))
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = sorted(_fields_at(model, loc[:-1]))
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if close:
            return "unknown-field", t("unknown-field-suggest", key=key, suggestion=close[0])
        return "unknown-field", t("unknown-field", key=key, allowed=", ".join(allowed))
    if kind in ("model_type", "model_attributes_type", "dict_type", "list_type") and guide is not None:
        code = _TYPE_CODES[kind]
        return code, t(f"{code}-example", example=guide.example_line())
    if kind in _TYPE_CODES:
        return _TYPE_CODES[kind], t(_TYPE_CODES[kind], value=value)
    if kind in ("literal_error", "enum", "not-one-of"):
        if guide is not None and guide.choices:  # the allowed values, each with its meaning
            return "not-one-of", t("not-one-of", value=value, choices=guide.choices_line())
        if kind == "not-one-of":
            return kind, error["msg"]
        choices = ", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        return "not-one-of", t("not-one-of", value=value, choices=choices)
    if kind == "greater_than_equal":
        return "too-small", t("too-small", limit=ctx.get("ge"), value=value)
    if kind == "greater_than":
        return "too-small", t("must-be-positive", limit=ctx.get("gt"), value=value)
    if kind in ("less_than_equal", "less_than"):
        return "too-large", t("too-large", limit=ctx.get("le", ctx.get("lt")), value=value)
    if kind in ("string_too_short", "too_short"):
        return "empty", t("empty")
    if kind in ("string_too_long", "too_long"):
        return "too-long", t("too-long", limit=ctx.get("max_length"))
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        code = _PATTERN_CODES.get(pattern, "ins-format" if "iii" in pattern else "invalid-value")
        return code, t(code, value=value, detail=error["msg"])
    if kind == "value_error":
        return "invalid-value", t("invalid-value", detail=ctx.get("error", error["msg"]))
    if kind.startswith(("gtin", "quantity", "multipack", "shelf", "lot", "resolver", "ingredient",
                        "wrong-type", "gs1", "ocop", "additive", "not-one-of", "stock")):
        return kind, error["msg"]  # raised by schema.fail(): already a catalogue sentence
    return "invalid-value", t("invalid-value", detail=error["msg"])


def _fields_at(model: type[BaseModel], loc: Loc) -> set[str]:
    """Return the field names of the model found at ``loc`` inside ``model``."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return set()
        info = current.model_fields.get(part)
        if info is None:
            return set()
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return set(current.model_fields)
    return set()


def _inner_model(annotation: Any) -> Any:
    """Unwrap Optional, Annotated and list to the model class inside, if any."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner_model(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        for arg in typing.get_args(annotation):
            inner = _inner_model(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return annotation
