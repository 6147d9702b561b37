"""The rule catalogue and the data rules: one failing and one passing case per rule, both eras."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from ocopdocs import pipeline
from ocopdocs.cli import main
from ocopdocs.errors import Problem
from ocopdocs.rules import catalogue

from .conftest import write_tree
from .test_schema import PRODUCER, PRODUCT, edit

AS_OF = date(2026, 11, 29)
FILE = "products/htx-a/mien.yaml"


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OCOPDOCS_LANG", raising=False)
    return tmp_path


def problems(root: Path, product: str = PRODUCT, producer: str = PRODUCER,
             as_of: date = AS_OF) -> list[Problem]:
    products = write_tree(root / "products", {"htx-a/producer.yaml": producer, "htx-a/mien.yaml": product})
    return pipeline.check(products, as_of).problems


def printed_on(day: str, text: str = PRODUCT) -> str:
    return edit("  production_date: 2026-04-15\n", f"  production_date: 2026-04-15\n  print_date: {day}\n", text)


def test_the_base_product_passes_every_rule(cwd: Path) -> None:
    assert problems(cwd) == []
    assert problems(cwd, printed_on("2025-12-01")) == [p for p in problems(cwd, printed_on("2025-12-01"))
                                                       if p.code == "label-old-regime"]


def old_address(bac_kan: bool) -> str:
    province = "tỉnh Bắc Kạn" if bac_kan else "tỉnh Thái Nguyên"
    return edit('      commune: "xã B"\n      province: "tỉnh Thái Nguyên"\nlegal_rep',
                f'      commune: "xã B"\n      district: "huyện Na Rì"\n      province: "{province}"\nlegal_rep',
                PRODUCER)


# Each rule: a product (and producer) text that breaks it, the field it points at, and a text
# fragment the message must contain. The base PRODUCT is the passing case for every rule.
Case = tuple[Callable[[], tuple[str, str]], str, str]
NEW = "2026-05-01"
CASES: dict[str, Case] = {
    "label-mandatory-item": (lambda: (edit('storage: "Nơi khô ráo."\n', ""), PRODUCER),
                             "storage", "hướng dẫn bảo quản"),
    "label-country-abbreviated": (lambda: (PRODUCT + "origin:\n  country: VN\n", PRODUCER),
                                  "origin.country", "“VN”"),
    "label-origin-phrase": (lambda: (printed_on("2025-12-01") + "origin:\n  phrase: Made in\n", PRODUCER),
                            "origin.phrase", "“Made in”"),
    "label-expiry-after-production": (lambda: (edit("  production_date: 2026-04-15\n",
                                                    "  production_date: 2026-04-15\n  expiry_date: 2026-04-01\n"),
                                               PRODUCER), "lot.expiry_date", "01/04/2026"),
    "label-quantity-unit": (lambda: (edit('net_quantity: "500 g"', 'net_quantity: "1000 g"'), PRODUCER),
                            "packages[0].net_quantity", "“1 kg”"),
    "label-highlighted-percent": (lambda: (edit("    percent: 100\n", "") + "highlighted_ingredients:\n"
                                           "  - tinh bột dong riềng\n", PRODUCER),
                                  "highlighted_ingredients[0]", "tinh bột dong riềng"),
    "label-name-ingredient-percent": (lambda: (edit("    percent: 100\n", "", edit('vi: "Miến dong"',
                                                    'vi: "Miến tinh bột dong riềng"')), PRODUCER),
                                      "ingredients[0]", "tinh bột dong riềng"),
    "label-free-from-claim": (lambda: (edit("    percent: 100\n", "    percent: 99\n  - name: kali sorbat\n"
                                            "    additive:\n      group: chất bảo quản\n      ins: \"202\"\n")
                                       + "claims: [Không chất bảo quản]\n", PRODUCER),
                              "claims[0]", "kali sorbat"),
    "label-additive-named": (lambda: (edit("    percent: 100\n", "    percent: 99\n  - name: chất bảo quản\n"
                                           "    additive:\n      group: chất bảo quản\n"), PRODUCER),
                             "ingredients[1].additive", "chất bảo quản"),
    "label-additive-qualifier": (lambda: (edit("    percent: 100\n", "    percent: 99\n  - name: saccharin\n"
                                               "    additive:\n      group: chất tạo ngọt\n      ins: \"954\"\n"),
                                          PRODUCER), "ingredients[1].additive.qualifier", "chất tạo ngọt"),
    "label-supplement-sentences": (lambda: (edit("nutrition_exemption: single_ingredient",
                                                 "nutrition_exemption: health_supplement"), PRODUCER),
                                   "group", "thuc_pham"),
    "label-nutrition-exemption": (lambda: (edit("nutrition_exemption: single_ingredient",
                                                "nutrition_exemption: alcoholic_drink"), PRODUCER),
                                  "nutrition_exemption", "alcoholic_drink"),
    "label-ocop-certificate": (lambda: (PRODUCT + "ocop:\n  stars: 4\n  certificate_no: 1/QĐ\n"
                                        "  issued_by: UBND tỉnh Bắc Kạn\n  issued_on: 2022-03-01\n", PRODUCER),
                               "ocop.issued_on", "28/02/2025"),
    "label-old-regime": (lambda: (printed_on("2025-12-01"), PRODUCER), "lot.print_date", "22/01/2028"),
    "address-old-unit": (lambda: (PRODUCT, old_address(bac_kan=False)),
                         "production_sites[0].address.district", "30/06/2027"),
    "gtin-check-digit": (lambda: (edit('gtin: "8936043120011"', 'gtin: "8936043120015"'), PRODUCER),
                         "packages[0].gtin", "phải là 1"),
    "gtin-prefix": (lambda: (edit('gtin: "8936043120011"', 'gtin: "8930000000019"'), PRODUCER),
                    "packages[0].gtin", "893604312"),
    "gtin-duplicate": (lambda: (edit('gtin: "8936043120028"', 'gtin: "8936043120011"'), PRODUCER),
                       "packages[1].gtin", "8936043120011"),
    "quantity-format": (lambda: (edit('net_quantity: "500 g"', 'net_quantity: "500g"'), PRODUCER),
                        "packages[0].net_quantity", "“500g”"),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_data_rule_fails_and_is_located(cwd: Path, code: str) -> None:
    make, field, fragment = CASES[code]
    product, producer = make()
    found = [p for p in problems(cwd, product, producer) if p.code == code]
    assert len(found) == 1, [str(p) for p in problems(cwd, product, producer)]
    problem = found[0]
    assert problem.field == field
    assert (problem.line is not None and problem.line > 1) or field in ("group", "storage", "lot")
    assert fragment in problem.message
    rule = catalogue().rule(code, date(2025, 12, 1) if code in ("label-origin-phrase", "label-old-regime")
                            else date(2026, 5, 1))
    assert rule is not None
    assert problem.article == rule.citation and problem.hint and problem.severity == rule.severity


def test_date_format_rule_reads_what_the_label_will_print(cwd: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The label code writes dates itself; this rule guards that code, so break it on purpose.
    assert [p.code for p in problems(cwd)] == []
    monkeypatch.setattr("ocopdocs.rules.data.date_line", lambda product: ["NSX: 2026-04-15", "HSD: 15/4/27"])
    found = [p for p in problems(cwd) if p.code == "label-date-format"]
    assert [p.message for p in found] == [
        "Mốc thời gian “NSX: 2026-04-15” không đúng cách ghi ngày/tháng/năm của Phụ lục III.",
        "Mốc thời gian “HSD: 15/4/27” không đúng cách ghi ngày/tháng/năm của Phụ lục III."]


def test_grace_periods_end_in_errors(cwd: Path) -> None:
    old = printed_on("2025-12-01")
    [during] = problems(cwd, old, as_of=date(2028, 1, 22))
    [after] = problems(cwd, old, as_of=date(2028, 1, 23))
    assert (during.code, during.severity) == ("label-old-regime", "warning")
    assert (after.code, after.severity) == ("label-old-regime-expired", "error")
    assert "22/01/2028" in after.message and after.hint
    producer = old_address(bac_kan=False)
    [during] = problems(cwd, PRODUCT, producer, as_of=date(2027, 6, 30))
    [after] = problems(cwd, PRODUCT, producer, as_of=date(2027, 7, 1))
    assert (during.code, during.severity) == ("address-old-unit", "warning")
    assert (after.code, after.severity, after.field) == (
        "address-old-unit-expired", "error", "production_sites[0].address.district")


def test_every_catalogued_data_rule_has_a_case() -> None:
    assert set(catalogue().codes("data")) == {*CASES, "label-date-format", "label-old-regime-expired",
                                              "address-old-unit-expired"}


def test_every_catalogued_pdf_rule_has_a_test() -> None:
    text = (Path(__file__).parent / "test_pdf_rules.py").read_text(encoding="utf-8")
    assert [code for code in catalogue().codes("pdf") if f'"{code}"' not in text] == []


def test_rules_follow_the_print_date(cwd: Path) -> None:
    text = edit('storage: "Nơi khô ráo."\n', "")
    [new] = [p for p in problems(cwd, printed_on(NEW, text)) if p.code == "label-mandatory-item"]
    [old] = [p for p in problems(cwd, printed_on("2025-12-01", text)) if p.code == "label-mandatory-item"]
    assert new.article == "NĐ 37/2026/NĐ-CP, Điều 42; Phụ lục I"
    assert old.article is not None and old.article.startswith("NĐ 43/2017/NĐ-CP")


def test_a_rule_of_one_era_only_is_silent_in_the_other(cwd: Path) -> None:
    made_in = PRODUCT + "origin:\n  phrase: Made in\n"
    assert [p.code for p in problems(cwd, printed_on(NEW, made_in))] == []
    assert "label-origin-phrase" in [p.code for p in problems(cwd, printed_on("2025-12-01", made_in))]


def test_mandatory_items_by_group(cwd: Path) -> None:
    ruou = edit("group: thuc_pham", "group: ruou", edit("nutrition_exemption: single_ingredient",
                                                         "nutrition_exemption: alcoholic_drink"))
    assert [p.field for p in problems(cwd, ruou)] == ["ethanol_percent"]
    assert problems(cwd, ruou + "ethanol_percent: 29.5\n") == []
    supplement = edit("group: thuc_pham", "group: tpbvsk", edit("nutrition_exemption: single_ingredient",
                                                                 "nutrition_exemption: health_supplement"))
    assert [p.field for p in problems(cwd, supplement)] == ["health_supplement"]
    supplement += ("health_supplement:\n  unit_name: viên nang\n  uses: Hỗ trợ.\n  target_users: Người lớn.\n"
                   "  dosage: 2 viên mỗi ngày.\n")
    assert problems(cwd, supplement) == []


def test_nutrition_is_demanded_for_products_made_from_2026(cwd: Path) -> None:
    text = edit("nutrition_exemption: single_ingredient\n", "")
    before = edit("production_date: 2026-04-15", "production_date: 2025-12-31", text)
    assert problems(cwd, before) == [p for p in problems(cwd, before) if p.code == "label-old-regime"]
    [after] = problems(cwd, text)
    assert (after.code, after.field) == ("label-mandatory-item", "nutrition")
    assert str(after) == (f"{FILE}:1: nutrition: Nhãn thuộc nhóm “Thực phẩm” phải có thông tin dinh dưỡng "
                          "hoặc lý do được miễn, nhưng tệp chưa khai trường nutrition.")


def test_old_address_is_reported_once_for_all_the_producers_products(cwd: Path) -> None:
    products = write_tree(cwd / "products", {"htx-a/producer.yaml": old_address(bac_kan=True), "htx-a/mien.yaml": PRODUCT,
                                             "htx-a/mien-2.yaml": edit('"8936043120011"', '"8936043120035"',
                                                                       edit('"8936043120028"', '"8936043120042"'))})
    found = [p for p in pipeline.check(products, AS_OF).problems if p.code == "address-old-unit"]
    assert sorted(p.field for p in found) == ["production_sites[0].address.district",
                                              "production_sites[0].address.province"]
    assert all(p.file == "products/htx-a/producer.yaml" for p in found)


def test_rules_command_lists_the_catalogue() -> None:
    out = io.StringIO()
    assert main(["rules"], stdout=out) == 0
    text = out.getvalue()
    for code in catalogue().codes():
        assert code in text
    assert "Điều 43.1" in text and "→" in text
    out = io.StringIO()
    assert main(["rules", "--on", "2025-06-01"], stdout=out) == 0
    assert "label-origin-phrase" in out.getvalue() and "pdf-min-char-height" not in out.getvalue()


def test_check_prints_article_and_hint_and_strict_fails_on_warnings(cwd: Path) -> None:
    write_tree(cwd / "products", {"htx-a/producer.yaml": PRODUCER,
                                  "htx-a/mien.yaml": edit('net_quantity: "500 g"', 'net_quantity: "1000 g"')})
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", "--as-of", "2026-11-29"], stdout=out, stderr=err) == 0
    assert re.search(r"\[label-quantity-unit, CẢNH BÁO; TT 21/2014/TT-BKHCN, .*\]\n\s+→ ", err.getvalue())
    assert main(["check", "--strict", "--as-of", "2026-11-29"], stdout=io.StringIO(), stderr=io.StringIO()) == 1
