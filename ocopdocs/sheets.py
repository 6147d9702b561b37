"""Spreadsheets: ``ocopdocs import FILE.xlsx|FILE.csv``, ``import --template``, ``export``.

One row per packaging variant; the product's own columns are read from the first row of its
group of rows (same producer folder and product file). A new product file is written with the
scaffold's comments; an existing one is changed only with ``--update``, and then only in the
fields the sheet holds, keeping its comments (ruamel.yaml round trip). Problems are reported
by sheet, row and column. A cell holding a list or a section is written in YAML flow style
(``[{name: muối, percent: 2}]``), so that ``export`` then ``import`` changes nothing.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import yaml
from pydantic import ValidationError

from .errors import OcopError
from .loader import load_project
from .messages import t
from .scaffold import render, slug
from .schema import Product
from .schema import guide as fields

SHEET = "san-pham"


@dataclass(frozen=True)
class Column:
    """One column: its Vietnamese header and the field path it fills."""

    header: str
    path: tuple[str, ...]
    per_variant: bool = False


COLUMNS = [
    Column("Tổ chức (thư mục)", ("_producer",)),
    Column("Tệp sản phẩm", ("_file",)),
    Column("Tên sản phẩm", ("name", "vi")),
    Column("Nhóm hàng", ("group",)),
    Column("Loại sản phẩm", ("kind",)),
    Column("Thành phần", ("ingredients",)),
    Column("Dinh dưỡng", ("nutrition",)),
    Column("Lý do miễn ghi dinh dưỡng", ("nutrition_exemption",)),
    Column("Hạn sử dụng (tháng)", ("shelf_life", "months")),
    Column("Bảo quản", ("storage",)),
    Column("Hướng dẫn sử dụng", ("usage",)),
    Column("Cảnh báo", ("warnings",)),
    Column("Tiêu chuẩn áp dụng", ("applied_standard",)),
    Column("Số lô", ("lot", "code")),
    Column("Ngày sản xuất", ("lot", "production_date")),
    Column("Mã quy cách", ("sku",), True),
    Column("GTIN", ("gtin",), True),
    Column("Định lượng", ("net_quantity",), True),
    Column("Bao bì", ("pack_material",), True),
    Column("Rộng nhãn (mm)", ("label", "width_mm"), True),
    Column("Cao nhãn (mm)", ("label", "height_mm"), True),
]
HEADERS = [c.header for c in COLUMNS]


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _guide(column: Column) -> fields.FieldGuide | None:
    if column.path[0].startswith("_"):
        return None
    root: tuple[str | int, ...] = ("packages", 0, *column.path) if column.per_variant else column.path
    return fields.at(Product, root)


def write_template(path: Path) -> Path:
    """The template: Vietnamese headers, a notes row, drop-down lists for the choices."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(HEADERS)
    notes = []
    for column in COLUMNS:
        guide = _guide(column)
        if guide is None:
            notes.append(t("sheet-note-producer") if column.path == ("_producer",) else t("sheet-note-file"))
        else:
            notes.append(f"{guide.vi} {t('guide-example', example=fields.flow(guide.example))}")
    sheet.append(notes)
    for i, column in enumerate(COLUMNS):
        guide = _guide(column)
        sheet.column_dimensions[_letter(i)].width = 24
        if guide is not None and guide.choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(guide.choices) + '"',
                                        allow_blank=True)
            validation.add(f"{_letter(i)}3:{_letter(i)}1000")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A3"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _cell_text(value: Any) -> Any:
    """A model value as a cell: plain for scalars, YAML flow for lists and sections."""
    if isinstance(value, (list, dict)):
        return fields.flow(_plain(value))
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def _ingredients_cell(value: Any) -> Any:
    """Simple ingredients as a bookkeeper writes them: "măng tre 100%; muối 2%"."""
    if isinstance(value, list) and all(isinstance(i, dict) and set(i) <= {"name", "percent"}
                                       and ";" not in str(i.get("name")) for i in value):
        return "; ".join(f"{i['name']} {_plain(i['percent'])}%" if "percent" in i else str(i["name"])
                         for i in value)
    return _cell_text(value)


def _ingredients(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    items: list[dict[str, Any]] = []
    for part in (p.strip() for p in value.split(";")):
        match = re.fullmatch(r"(.+?)\s+(\d+(?:[.,]\d+)?)\s*%", part)
        if match:
            number = match[2].replace(",", ".")
            items.append({"name": match[1], "percent": float(number) if "." in number else int(number)})
        elif part:
            items.append({"name": part})
    return items


def _lines_cell(value: Any) -> Any:
    """Warnings as a bookkeeper writes them: one sentence a line."""
    if isinstance(value, list) and all(isinstance(i, str) and "\n" not in i for i in value):
        return "\n".join(value) if value else None
    return _cell_text(value)


def _lines(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return [line.strip() for line in value.splitlines() if line.strip()]


CELLS = {("ingredients",): (_ingredients_cell, _ingredients), ("warnings",): (_lines_cell, _lines)}
"""Columns written and read in a bookkeeper's form rather than YAML flow: (export, import)."""


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def export(products: Path, path: Path) -> int:
    """Write every product's sheet columns to ``path``; returns the number of rows."""
    from openpyxl import Workbook

    project = load_project(products)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(HEADERS)
    sheet.append([""] * len(HEADERS))  # the notes row of the template: import skips row 2
    rows = 0
    for entry in project.products:
        if not isinstance(entry.doc.data, dict):
            continue
        data = entry.doc.data
        for package in data.get("packages") or [{}]:
            row: list[Any] = []
            for column in COLUMNS:
                if column.path == ("_producer",):
                    row.append(entry.producer.slug)
                elif column.path == ("_file",):
                    row.append(entry.slug)
                else:
                    value = _get(package if column.per_variant else data, column.path)
                    cell = CELLS[column.path][0] if column.path in CELLS else _cell_text
                    row.append(cell(value) if value is not None else None)
            sheet.append(row)
            rows += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return rows


def _read(path: Path) -> tuple[str, list[list[Any]]]:
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return path.name, [list(r) for r in csv.reader(handle)]
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    return sheet.title, rows


def _value(raw: Any) -> Any:
    """A cell as the YAML value it stands for: numbers, dates, YAML flow for lists and sections."""
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.strftime("%d/%m/%Y")
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if not isinstance(raw, str):
        return raw
    text = raw.strip()
    if not text:
        return None
    if text[0] in "[{":
        return yaml.safe_load(text)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    return text


@dataclass
class SheetProblem:
    """A problem in one cell (or row) of the sheet."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return t("sheet-problem", sheet=self.sheet, row=self.row, column=self.column, message=self.message)


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value


def import_sheet(products: Path, path: Path, *,
                 update: bool = False) -> tuple[list[Path], list[SheetProblem]]:
    """Create (or with ``update`` change) product files from the sheet; returns files and problems."""
    name, rows = _read(path)
    if not rows or [str(h or "").strip() for h in rows[0][:len(HEADERS)]] != HEADERS:
        raise OcopError(t("sheet-headers", file=path, headers=", ".join(HEADERS)))
    groups: dict[tuple[str, str], list[tuple[int, list[Any]]]] = {}
    for number, row in enumerate(rows[2:], start=3):  # row 2 holds the notes
        values = [_value(c) for c in (list(row) + [None] * len(HEADERS))[:len(HEADERS)]]
        if all(v is None for v in values):
            continue
        producer = str(values[0] or "")
        file = str(values[1] or "") or slug(str(values[2] or ""))
        groups.setdefault((producer, file), []).append((number, values))
    written: list[Path] = []
    problems: list[SheetProblem] = []
    for (producer, file), members in groups.items():
        first_row, first = members[0]
        folder = products / producer
        if not producer or not (folder / "producer.yaml").is_file():
            problems.append(SheetProblem(name, first_row, f"A ({HEADERS[0]})",
                                         t("new-no-producer", folder=folder)))
            continue
        data: dict[str, Any] = {}
        held: set[str] = set()
        for i, column in enumerate(COLUMNS):
            if column.per_variant or column.path[0].startswith("_") or first[i] is None:
                continue
            value = CELLS[column.path][1](first[i]) if column.path in CELLS else first[i]
            _set(data, column.path, value)
            held.add(column.path[0])
        packages = []
        for _, values in members:
            package: dict[str, Any] = {}
            for i, column in enumerate(COLUMNS):
                if column.per_variant and values[i] is not None:
                    value = str(values[i]) if column.path in (("gtin",), ("sku",)) else values[i]
                    _set(package, column.path, value)
            packages.append(package)
        data["packages"] = packages
        held.add("packages")
        target = folder / f"{file}.yaml"
        if target.exists() and not update:
            problems.append(SheetProblem(name, first_row, f"B ({HEADERS[1]})",
                                         t("sheet-exists", path=target)))
            continue
        merged = _merged(target, data, held) if target.exists() else data
        found = _check(merged, name, members)
        if found:
            problems += found
            continue
        if target.exists():
            if _same(merged, target):
                continue  # the sheet says what the file says: leave it untouched
            _update(target, data, held)
        else:
            text = render(Product, _ordered(data), [t("sheet-header", file=path.name)])
            target.write_text(text, encoding="utf-8")
        written.append(target)
    return written, problems


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    """The fields in the schema's order, as a reader expects them."""
    return {name: data[name] for name in Product.model_fields if name in data}


def _merged(target: Path, data: dict[str, Any], held: set[str]) -> dict[str, Any]:
    old = yaml.safe_load(target.read_text(encoding="utf-8")) or {}
    merged = dict(old)
    for key in held:
        merged[key] = _merge_value(old.get(key), data[key])
    return merged


def _merge_value(old: Any, new: Any) -> Any:
    """The sheet's values over the file's: sections merge key by key, packages item by item."""
    if isinstance(old, dict) and isinstance(new, dict):
        return {**old, **{k: _merge_value(old.get(k), v) for k, v in new.items()}}
    if isinstance(old, list) and isinstance(new, list) and all(isinstance(x, dict) for x in old + new):
        return [_merge_value(old[i] if i < len(old) else None, item) for i, item in enumerate(new)]
    return new


def _same(merged: dict[str, Any], target: Path) -> bool:
    """True when the file already holds these values (compared as validated products)."""
    try:
        old = Product.model_validate(yaml.safe_load(target.read_text(encoding="utf-8")))
        return old == Product.model_validate(merged)
    except (ValidationError, yaml.YAMLError):
        return False


def _check(data: dict[str, Any], sheet: str, members: list[tuple[int, list[Any]]]) -> list[SheetProblem]:
    """Validate the product; each error placed at its row and column."""
    try:
        Product.model_validate(data)
    except ValidationError as exc:
        found = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            row = members[0][0]
            column_index = next((i for i, c in enumerate(COLUMNS) if not c.per_variant
                                 and tuple(loc[:len(c.path)]) == c.path), None)
            if loc and loc[0] == "packages" and len(loc) > 1 and isinstance(loc[1], int):
                row = members[min(loc[1], len(members) - 1)][0]
                column_index = next((i for i, c in enumerate(COLUMNS) if c.per_variant
                                     and tuple(loc[2:2 + len(c.path)]) == c.path), None)
            guide = fields.at(Product, tuple(p for p in loc if isinstance(p, (str, int))))
            column = f"{_letter(column_index)} ({HEADERS[column_index]})" if column_index is not None else "—"
            hint = f" {t('guide-example', example=guide.example_line())}" if guide else ""
            where = ".".join(map(str, loc))
            found.append(SheetProblem(sheet, row, column, f"{where}: {error['msg']}.{hint}"))
        return found
    return []


def _update(target: Path, data: dict[str, Any], held: set[str]) -> None:
    """Change only the fields the sheet holds, keeping the file's comments and order."""
    from ruamel.yaml import YAML

    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)  # "  - name:", as the scaffolds and samples write
    document = rt.load(target.read_text(encoding="utf-8"))

    def apply(node: Any, new: Any) -> Any:
        if isinstance(new, dict) and hasattr(node, "items"):
            for key, value in new.items():
                node[key] = apply(node[key], value) if key in node else value
            return node
        if isinstance(new, list) and isinstance(node, list) and all(isinstance(x, dict) for x in new):
            for i, item in enumerate(new):
                if i < len(node):
                    node[i] = apply(node[i], item)
                else:
                    node.append(item)
            del node[len(new):]
            return node
        return new

    for key in held:
        document[key] = apply(document[key], data[key]) if key in document else data[key]
    out = io.StringIO()
    rt.dump(document, out)
    if out.getvalue() != target.read_text(encoding="utf-8"):
        target.write_text(out.getvalue(), encoding="utf-8")


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``ocopdocs import`` and ``ocopdocs export``."""
    if args.command == "export":
        rows = export(args.products, args.file)
        print(t("sheet-exported", rows=rows, path=args.file), file=out)
        return 0
    if args.template is not None:
        print(t("guide-written", path=write_template(args.template)), file=out)
        return 0
    if args.file is None:
        raise OcopError(t("sheet-no-file"))
    written, problems = import_sheet(args.products, args.file, update=args.update)
    for path in written:
        print(t("guide-written", path=path), file=out)
    for problem in problems:
        print(f"  {problem}", file=err)
    return 1 if problems else 0
