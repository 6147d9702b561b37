"""Label stocks as data: the shipped A4 sheets, a producer's own sheet, and where labels go."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ocopdocs.design import stocks
from ocopdocs.design.stocks import Stock, StockError, layout, shipped_stocks
from ocopdocs.loader import load_project
from ocopdocs.messages import t

from .conftest import write_tree
from .test_schema import PRODUCER, PRODUCT

D = Decimal


def test_every_shipped_stock_lies_on_its_sheet_and_says_how_sure_it_is() -> None:
    shipped = shipped_stocks()
    assert "a4-nguyen-to" in shipped and len(shipped) >= 10
    for stock in shipped.values():
        assert stock.confidence in ("sure", "likely", "unsure") and stock.source
        content = (D(100), D(140)) if not stock.die_cut else None
        grid = layout(stock, content)
        for slot in grid.slots:
            assert slot.x_mm >= 0 and slot.y_mm >= 0, stock.id
            assert slot.x_mm + slot.width_mm <= stock.sheet.width_mm + D("0.05"), stock.id
            assert slot.y_mm + slot.height_mm <= stock.sheet.height_mm + D("0.05"), stock.id
        if stock.die_cut:
            assert grid.per_sheet == stock.columns * stock.rows  # type: ignore[operator]


def test_die_cut_positions_follow_the_data_sheet_exactly() -> None:
    grid = layout(shipped_stocks()["a4-65-38x21"])  # Avery L7651: 5 × 13, 38.1 × 21.2, pitch 40.6
    assert (grid.columns, grid.rows, grid.per_sheet) == (5, 13, 65)
    last = grid.slots[-1]
    assert (last.row, last.column) == (12, 4)
    assert last.x_mm == D("4.75") + 4 * (D("38.1") + D("2.5"))  # 167.15 mm
    assert last.y_mm == D("10.7") + 12 * D("21.2")               # 265.1 mm
    assert (last.content_x_mm, last.content_y_mm) == (last.x_mm, last.y_mm)  # a stamp fills its cell


def test_a_smaller_label_is_centred_in_its_cell() -> None:
    grid = layout(shipped_stocks()["a4-4-105x148"], (D(100), D(140)))
    first = grid.slots[0]
    assert (first.x_mm, first.y_mm) == (0, 0)
    assert (first.content_x_mm, first.content_y_mm) == (D("2.5"), D("4.25"))


def test_uncut_sheet_takes_as_many_as_fit_centred() -> None:
    grid = layout(shipped_stocks()["a4-nguyen-to"], (D(100), D(140)))
    assert (grid.columns, grid.rows) == (2, 2)  # 2 × 100 + 2 mm gutter inside 210 − 2 × 4
    first, last = grid.slots[0], grid.slots[-1]
    assert first.x_mm == (210 - 202) / D(2) and first.y_mm == (297 - 282) / D(2)
    assert last.x_mm == first.x_mm + 102 and last.y_mm == first.y_mm + 142
    grid = layout(shipped_stocks()["a4-nguyen-to"], (D(40), D(25)))
    assert (grid.columns, grid.rows) == (4, 10)  # (202 + 2) // 42, (289 + 2) // 27


def test_a_label_too_big_for_the_cell_is_refused_with_the_sizes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    with pytest.raises(StockError) as caught:
        layout(shipped_stocks()["a4-4-99x139"], (D(100), D(140)))
    assert str(caught.value) == ("A label of 100 × 140 mm does not fit the 99.1 × 139 mm cell of the "
                                 "stock a4-4-99x139.")
    with pytest.raises(StockError, match="printable 202 × 289 mm"):
        layout(shipped_stocks()["a4-nguyen-to"], (D(150), D(300)))
    assert stocks.fitting(shipped_stocks(), (D(100), D(140)))[:2] == ["a4-4-105x148", "a4-nguyen-to"]


def test_a_grid_off_the_sheet_is_refused() -> None:
    with pytest.raises(ValueError, match=r"210 mm"):
        Stock.model_validate({"id": "x", "name": "x", "label": {"width_mm": 70, "height_mm": 37},
                              "columns": 3, "rows": 8, "top_mm": 0, "left_mm": 1})


OWN_STOCK = """\
label_stocks:
  - id: decal-cho-huyen
    name: "Decal A4 24 nhãn mua ở chợ huyện"
    label: {width_mm: 64, height_mm: 34}
    columns: 3
    rows: 8
    top_mm: 12.5
    left_mm: 7
    gutter_mm: {x: 2}
"""


def load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, producer: str) -> tuple[object, list[str]]:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {"products/htx-a/producer.yaml": producer, "products/htx-a/mien.yaml": PRODUCT})
    project = load_project(Path("products"))
    return project.producers[0].model, [f"{p.location()}: {p.message}" for p in project.problems]


def test_a_producer_describes_its_own_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    producer, problems = load(tmp_path, monkeypatch, PRODUCER + OWN_STOCK)
    assert problems == []
    own = producer.label_stocks[0]  # type: ignore[attr-defined]
    grid = layout(own)
    assert grid.per_sheet == 24 and grid.slots[4].x_mm == 7 + 66 and grid.slots[4].y_mm == D("46.5")


START = PRODUCER.count("\n") + 1
"""The line of ``label_stocks:``."""


@pytest.mark.parametrize(("edit", "line", "field", "message"), [
    (("columns: 3", "columns: 4"), START + 1, "label_stocks[0]",
     t("stock-too-wide", right="269", width="210")),
    (("    top_mm: 12.5\n", ""), START + 1, "label_stocks[0]", t("stock-cut-grid")),
    (("id: decal-cho-huyen", "id: a4-nguyen-to"), START, "label_stocks",
     t("stock-shipped-id", id="a4-nguyen-to")),
    (("left_mm: 7", "left_mm: -1"), START + 7, "label_stocks[0].left_mm",
     t("too-small", limit=0, value=-1)),
])
def test_a_wrong_own_sheet_is_reported_at_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    edit: tuple[str, str], line: int, field: str,
                                                    message: str) -> None:
    _, problems = load(tmp_path, monkeypatch, PRODUCER + OWN_STOCK.replace(*edit))
    assert problems[0] == f"products/htx-a/producer.yaml:{line}: {field}: {message}"
    assert problems[1:] == [f"products/htx-a/mien.yaml:1: {t('producer-invalid', file='products/htx-a/producer.yaml')}"]
