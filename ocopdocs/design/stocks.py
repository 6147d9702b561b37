"""Label stocks and where the labels go on them: rows × columns with gutters, in mm.

A :class:`Stock` is an A4 sheet of die-cut labels (its cell size, grid, first cell and gutters)
or an uncut decal sheet on which ocopdocs places as many labels as fit. The shipped stocks are
data (``stocks.yaml`` in this folder); a producer describes a sheet of its own in
``producer.yaml`` ``label_stocks`` with the same fields. :func:`layout` computes the cells;
positions are exact decimals, so what the PDF places is within rounding of the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from ..errors import OcopError
from ..formatting import vn_number
from ..law import read
from ..messages import language, t
from . import HERE

A4 = (Decimal(210), Decimal(297))
FIT_TOLERANCE_MM = Decimal("0.05")
"""A label this much larger than its cell still fits: a 99.1 mm label is sold as 99 mm."""

Length = Annotated[Decimal, Field(ge=0, le=1000, decimal_places=3)]
Positive = Annotated[Decimal, Field(gt=0, le=1000, decimal_places=3)]
StockId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]


def _fail(code: str, **values: object) -> PydanticCustomError:
    return PydanticCustomError(code, t(code, **values).replace("{", "{{").replace("}", "}}"))


def mm(value: Decimal) -> str:
    """A length as messages print it: ``99,1`` in Vietnamese, ``99.1`` in English."""
    return f"{value.normalize():f}" if language() == "en" else vn_number(value.normalize())


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True,
                              str_strip_whitespace=True)


class SheetSize(_Model):
    """The size of the whole sheet."""

    width_mm: Positive
    """Width in mm: 210 for A4."""
    height_mm: Positive
    """Height in mm: 297 for A4."""


class CellSize(_Model):
    """The size of one die-cut label (cell) on the sheet."""

    width_mm: Positive
    """Width in mm."""
    height_mm: Positive
    """Height in mm."""


class Gutter(_Model):
    """The space between two cells."""

    x: Length = Decimal(0)
    """Between two columns, in mm."""
    y: Length = Decimal(0)
    """Between two rows, in mm."""


class Stock(_Model):
    """A sheet of labels: die-cut (``label``, ``columns``, ``rows``) or uncut (no ``label``)."""

    id: StockId
    """Short code, used with ``--stock`` and ``label_sheet.stock``: "a4-21-64x38"."""
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    """What the sheet is sold as, in Vietnamese: "Decal A4 chia sẵn 21 nhãn 63,5 × 38,1 mm"."""
    name_en: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    """The same in English."""
    sheet: SheetSize = SheetSize(width_mm=A4[0], height_mm=A4[1])
    """The sheet's size; A4 (210 × 297 mm) when not given."""
    label: CellSize | None = None
    """The size of one die-cut label; none for an uncut sheet, which takes the product's label size."""
    columns: Annotated[int, Field(ge=1, le=50)] | None = None
    """Die-cut labels across the sheet."""
    rows: Annotated[int, Field(ge=1, le=80)] | None = None
    """Die-cut labels down the sheet."""
    top_mm: Length | None = None
    """From the sheet's top edge to the top of the first row of labels."""
    left_mm: Length | None = None
    """From the sheet's left edge to the left of the first column of labels."""
    gutter_mm: Gutter = Gutter()
    """Space between columns (x) and between rows (y)."""
    margin_mm: Length | None = None
    """Uncut sheet only: the edge left blank all round (printers cannot print their last 4–5 mm)."""

    @model_validator(mode="after")
    def _consistent(self) -> Stock:
        grid = (self.columns, self.rows, self.top_mm, self.left_mm)
        if self.label is None:
            if any(v is not None for v in grid):
                raise _fail("stock-uncut-grid")
            if self.margin_mm is None:
                raise _fail("stock-uncut-margin")
            return self
        if any(v is None for v in grid):
            raise _fail("stock-cut-grid")
        if self.margin_mm is not None:
            raise _fail("stock-cut-margin")
        assert self.columns is not None and self.rows is not None
        assert self.top_mm is not None and self.left_mm is not None
        right = self.left_mm + self.columns * self.label.width_mm + (self.columns - 1) * self.gutter_mm.x
        bottom = self.top_mm + self.rows * self.label.height_mm + (self.rows - 1) * self.gutter_mm.y
        if right > self.sheet.width_mm + FIT_TOLERANCE_MM:
            raise _fail("stock-too-wide", right=mm(right), width=mm(self.sheet.width_mm))
        if bottom > self.sheet.height_mm + FIT_TOLERANCE_MM:
            raise _fail("stock-too-tall", bottom=mm(bottom), height=mm(self.sheet.height_mm))
        return self

    @property
    def die_cut(self) -> bool:
        """True for a sheet of die-cut labels; False for an uncut sheet."""
        return self.label is not None

    def title(self, language: str) -> str:
        """The stock's name in ``language`` (``vi`` or ``en``)."""
        return self.name_en if language == "en" and self.name_en else self.name


class ShippedStock(Stock):
    """A stock of ``stocks.yaml``: also where its figures come from and how sure they are."""

    confidence: Literal["sure", "likely", "unsure"]
    """How sure we are that sheets sold under this description have this geometry."""
    source: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    """Where the figures come from."""


class StockData(_Model):
    """``stocks.yaml``."""

    stocks: Annotated[list[ShippedStock], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique(self) -> StockData:
        ids = [s.id for s in self.stocks]
        for stock_id in ids:
            if ids.count(stock_id) > 1:
                raise _fail("stock-duplicate", id=stock_id)
        return self


@cache
def shipped_stocks() -> dict[str, ShippedStock]:
    """The stocks ocopdocs knows, by id, in the order of ``stocks.yaml``."""
    return {s.id: s for s in read("stocks.yaml", StockData, folder=HERE).stocks}


def available(own: Iterable[Stock] = ()) -> dict[str, Stock]:
    """The shipped stocks and a producer's ``own`` (``label_stocks``), by id."""
    return {**shipped_stocks(), **{stock.id: stock for stock in own}}


class StockError(OcopError):
    """A stock that cannot take a label, or one that is not known; ``code`` is a message key."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(t(code, **values))
        self.code = code
        self.values = values


@dataclass(frozen=True)
class Slot:
    """One cell of a sheet, and the box of what is printed in it; mm from the sheet's top left."""

    index: int
    """0-based, row by row."""
    row: int
    column: int
    x_mm: Decimal
    """Left edge of the cell."""
    y_mm: Decimal
    """Top edge of the cell."""
    width_mm: Decimal
    height_mm: Decimal
    content_x_mm: Decimal
    """Left edge of the label printed in the cell (centred in it)."""
    content_y_mm: Decimal
    """Top edge of the label printed in the cell."""


@dataclass(frozen=True)
class SheetLayout:
    """Where every label of one sheet goes."""

    stock: Stock
    columns: int
    rows: int
    cell_mm: tuple[Decimal, Decimal]
    content_mm: tuple[Decimal, Decimal]
    """The size of what is printed in each cell (the label, or the cell for a stamp)."""
    slots: tuple[Slot, ...]

    @property
    def per_sheet(self) -> int:
        """How many labels one sheet takes."""
        return len(self.slots)


def layout(stock: Stock, content: tuple[Decimal, Decimal] | None = None) -> SheetLayout:
    """The cells of ``stock`` for labels of size ``content`` (width, height in mm).

    A die-cut stock takes a label up to its cell's size (centred in it); ``content`` None
    fills the cell (a stamp drawn to the cell). An uncut stock needs ``content`` and takes as
    many as fit inside its margin, ``gutter_mm`` apart, the block centred on the sheet.

    Raises:
        StockError: The label is larger than the stock's cell, or than the printable sheet.
    """
    sheet_w, sheet_h = stock.sheet.width_mm, stock.sheet.height_mm
    gx, gy = stock.gutter_mm.x, stock.gutter_mm.y
    if stock.label is not None:
        assert stock.columns is not None and stock.rows is not None
        assert stock.left_mm is not None and stock.top_mm is not None
        cell = (stock.label.width_mm, stock.label.height_mm)
        if content is None:
            content = cell
        if content[0] > cell[0] + FIT_TOLERANCE_MM or content[1] > cell[1] + FIT_TOLERANCE_MM:
            raise StockError("stock-label-too-big", width=mm(content[0]), height=mm(content[1]),
                             stock=stock.id, cell_width=mm(cell[0]), cell_height=mm(cell[1]))
        columns, rows, left, top = stock.columns, stock.rows, stock.left_mm, stock.top_mm
    else:
        if content is None:
            raise ValueError("an uncut stock needs the size of the label")
        assert stock.margin_mm is not None
        cell = content
        usable_w, usable_h = sheet_w - 2 * stock.margin_mm, sheet_h - 2 * stock.margin_mm
        columns = int(((usable_w + gx) / (cell[0] + gx)).to_integral_value(ROUND_FLOOR))
        rows = int(((usable_h + gy) / (cell[1] + gy)).to_integral_value(ROUND_FLOOR))
        if columns < 1 or rows < 1:
            raise StockError("stock-label-too-big-sheet", width=mm(content[0]), height=mm(content[1]),
                             stock=stock.id, usable_width=mm(usable_w), usable_height=mm(usable_h))
        left = (sheet_w - columns * cell[0] - (columns - 1) * gx) / 2
        top = (sheet_h - rows * cell[1] - (rows - 1) * gy) / 2
    dx, dy = (cell[0] - content[0]) / 2, (cell[1] - content[1]) / 2
    slots: list[Slot] = []
    for row in range(rows):
        for column in range(columns):
            x = left + column * (cell[0] + gx)
            y = top + row * (cell[1] + gy)
            slots.append(Slot(len(slots), row, column, x, y, cell[0], cell[1], x + dx, y + dy))
    return SheetLayout(stock, columns, rows, cell, content, tuple(slots))


def fitting(stocks: Mapping[str, Stock], content: tuple[Decimal, Decimal]) -> list[str]:
    """The ids of the stocks that take a label of size ``content``, most labels a sheet first."""
    fits: list[tuple[int, str]] = []
    for stock in stocks.values():
        try:
            fits.append((-layout(stock, content).per_sheet, stock.id))
        except StockError:
            continue
    return [stock_id for _, stock_id in sorted(fits)]
