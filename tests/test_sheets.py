"""Spreadsheet import and export: the template filled with two products, and the round trip."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import yaml
from openpyxl import load_workbook

from ocopdocs.cli import main
from ocopdocs.loader import load_project
from ocopdocs.sheets import HEADERS

from .conftest import PRODUCTS, decode_symbols, pdf_text
from .test_first_label import fill


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


ROWS = [
    ["htx-nam-mau", "mang-kho", "Măng khô Ba Bể", "thuc_pham", None, "măng tre 100%", None, "single_ingredient", 12,
     "Nơi khô ráo.", "Ngâm nước ấm 2 giờ.", "Không dùng khi măng có mùi lạ.\nLuộc kỹ trước khi ăn.",
     "TCCS 01:2026/NM", "L261001A", "01/10/2026", "200g", "8936043990010", "200 g", "Túi PA/PE", 100, 120],
    ["htx-nam-mau", "mang-kho", None, None, None, None, None, None, None, None, None, None, None, None, None,
     "500g", "8936043990027", "500 g", "Túi PA/PE", 100, 140],
    ["htx-nam-mau", "mien-dong", "Miến dong Nam Mẫu", "thuc_pham", None, "tinh bột dong riềng 100%", None,
     "single_ingredient", 12, "Nơi khô ráo.", "Ngâm nước lạnh 10 phút.", "Không dùng khi miến bị mốc.",
     "TCCS 02:2026/NM", "L261002A", "02/10/2026", "300g", None, "300 g", "Túi PA/PE", 100, 120],
]


def test_template_filled_with_two_products_is_imported_and_built(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OCOPDOCS_LANG", raising=False)
    assert run("new", "producer", "--name", "Hợp tác xã Nông sản Nam Mẫu", "--folder", "htx-nam-mau",
               "--registration", "4700912345", "--village", "thôn Nam Mẫu", "--commune", "xã Ba Bể",
               "--province", "tỉnh Thái Nguyên", "--representative", "Hoàng Thị Hoa", "--phone", "0209 3800 123",
               "--gs1-prefix", "893604399")[0] == 0
    fill(tmp_path / "products" / "htx-nam-mau" / "producer.yaml")
    assert run("import", "--template", "mau.xlsx")[0] == 0
    book = load_workbook(tmp_path / "mau.xlsx")
    sheet = book.active
    assert [c.value for c in sheet[1]] == HEADERS
    assert "Nhóm hàng" in HEADERS and sheet.data_validations.dataValidation  # drop-down lists
    for row in ROWS:
        sheet.append(row)
    book.save(tmp_path / "hai-san-pham.xlsx")

    code, _out, err = run("import", "hai-san-pham.xlsx")
    assert (code, err) == (0, ""), err
    mang = tmp_path / "products" / "htx-nam-mau" / "mang-kho.yaml"
    assert [p["sku"] for p in yaml.safe_load(mang.read_text(encoding="utf-8"))["packages"]] == ["200g", "500g"]
    assert "# " in mang.read_text(encoding="utf-8")  # commented like a scaffold
    # one warning a line in the cell (App. I row 2 demands them)
    assert yaml.safe_load(mang.read_text(encoding="utf-8"))["warnings"] == [
        "Không dùng khi măng có mùi lạ.", "Luộc kỹ trước khi ăn."]
    # nothing is overwritten without --update
    code, _out, err = run("import", "hai-san-pham.xlsx")
    assert code == 1 and "--update" in err and "Bảng san-pham, dòng 3" in err

    code, _out, err = run("build", "--products", "products", "--output", "output", "--as-of", "15/10/2026",
                         "--jobs", "1", "--only", "label")
    assert code in (0, 1), err
    label = tmp_path / "output" / "htx-nam-mau" / "mang-kho" / "label-500g.pdf"
    assert "Măng khô Ba Bể" in pdf_text(label) and ("EAN13", "8936043990027") in decode_symbols(label)
    assert "Miến dong Nam Mẫu" in pdf_text(tmp_path / "output" / "htx-nam-mau" / "mien-dong" / "label-300g.pdf")


def test_a_bad_cell_is_reported_by_sheet_row_and_column(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("new", "producer", "--name", "HTX A", "--folder", "htx-a")[0] == 0
    assert run("import", "--template", "mau.xlsx")[0] == 0
    book = load_workbook(tmp_path / "mau.xlsx")
    row = [*ROWS[0]]
    row[0], row[17] = "htx-a", "200g"
    book.active.append(row)
    book.save(tmp_path / "sai.xlsx")
    code, _out, err = run("import", "sai.xlsx")
    assert code == 1
    assert "dòng 3, cột R (Định lượng)" in err and "packages.0.net_quantity" in err


def test_export_then_import_changes_nothing(tmp_path: Path) -> None:
    products = tmp_path / "products"
    shutil.copytree(PRODUCTS, products)
    before = {p: p.read_text(encoding="utf-8") for p in products.glob("*/*.yaml")}
    models = {e.id: e.model for e in load_project(products).products}
    assert run("export", "--products", str(products), str(tmp_path / "all.xlsx"))[0] == 0
    code, _out, err = run("import", "--products", str(products), "--update", str(tmp_path / "all.xlsx"))
    assert code == 0, err
    assert {e.id: e.model for e in load_project(products).products} == models
    assert {p: p.read_text(encoding="utf-8") for p in products.glob("*/*.yaml")} == before
