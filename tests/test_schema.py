"""Validation of product folders: every mistake reported at once, as ``file:line: field: sentence``.

Each test writes a small products folder into ``tmp_path``, makes one mistake and compares the
problems with the exact text a user sees. Paths in problems are relative to the working
directory, so the tests run from ``tmp_path``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ocopdocs import gs1, schema
from ocopdocs.law import food_safety_law, label_law, ocop_law
from ocopdocs.loader import ProductEntry, Project, load_project
from ocopdocs.messages import t
from ocopdocs.rules.run import run as run_rules
from ocopdocs.schema import OcopCategory, Product
from ocopdocs.schema import guide as fields

from .conftest import write_tree

PRODUCER = """\
legal_name: "Hợp tác xã A"
abbreviation: "HA"
legal_form: hop_tac_xa
registration:
  code: "4700814362"
head_office:
  line: "thôn A"
  commune: "xã B"
  province: "tỉnh Thái Nguyên"
production_sites:
  - id: xuong-a
    name: "Xưởng A"
    address:
      line: "thôn A"
      commune: "xã B"
      province: "tỉnh Thái Nguyên"
legal_representative:
  name: "Nguyễn Văn A"
  title: "Giám đốc"
gs1:
  company_prefix: "893604312"
"""

# Line numbers matter: packages[0].gtin is on line 14, packages[1] starts on 20, its gtin is on 21.
PRODUCT = """\
name:
  vi: "Miến dong"
group: thuc_pham
ingredients:
  - name: "tinh bột dong riềng"
    percent: 100
nutrition_exemption: single_ingredient
shelf_life:
  months: 12
storage: "Nơi khô ráo."
usage: "Ngâm nước."
packages:
  - sku: 500g
    gtin: "8936043120011"
    net_quantity: "500 g"
    pack_material: "Túi PA/PE"
    label:
      width_mm: 100
      height_mm: 140
  - sku: 200g
    gtin: "8936043120028"
    net_quantity: "200 g"
    pack_material: "Túi PA/PE"
    label:
      width_mm: 100
      height_mm: 120
lot:
  code: "L2604A"
  production_date: 2026-04-15
warnings: ["Không dùng khi sản phẩm có mùi lạ hoặc bị mốc."]
"""
WARNING = 'warnings: ["Không dùng khi sản phẩm có mùi lạ hoặc bị mốc."]\n'
"""The warning line of PRODUCT: App. I row 2 (Thực phẩm) demands one."""
END = 31
"""The line a key appended to PRODUCT lands on."""

FILE = "products/htx-a/mien.yaml"


def edit(old: str, new: str, text: str = PRODUCT) -> str:
    """Replace the one occurrence of ``old`` in ``text``."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OCOPDOCS_LANG", raising=False)
    return tmp_path


def load(root: Path, product: str | None = PRODUCT, producer: str | None = PRODUCER,
         **others: str) -> Project:
    """Write producer.yaml and mien.yaml (plus ``others``: path → text) and load the folder."""
    files = {f"htx-a/{name}": text for name, text in (("producer.yaml", producer), ("mien.yaml", product))
             if text is not None}
    files.update(others)
    project = load_project(write_tree(root / "products", files))
    project.problems += run_rules(project, date(2026, 11, 30), alone=False)  # the checks across files
    return project


def messages(project: Project) -> list[str]:
    return [str(p) for p in project.problems]


def buildable_entries(project: Project) -> list[ProductEntry]:
    bad = {p.file for p in project.problems if p.severity == "error"}
    return [e for e in project.loaded() if e.doc.display not in bad and e.producer.doc.display not in bad]


def buildable(project: Project) -> list[str]:
    return [e.id for e in buildable_entries(project)]


# ------------------------------------------------------------------------------- valid


def test_valid_tree(cwd):
    project = load(cwd)
    assert messages(project) == []
    assert buildable(project) == ["htx-a/mien"]
    product = project.products[0].model
    assert product is not None
    assert [p.gtin for p in product.packages] == ["8936043120011", "8936043120028"]
    assert str(product.packages[0].net_quantity) == "500 g"
    assert product.lot.production_date == date(2026, 4, 15)
    assert project.producers[0].model is not None
    assert project.producers[0].model.site(None).id == "xuong-a"


def test_problem_paths_are_relative_to_the_working_directory(cwd):
    project = load(cwd, edit("8936043120028", "8936043120015"))
    assert project.problems[0].file == FILE
    assert project.problems[0].line == 21
    assert project.problems[0].field == "packages[1].gtin"


# -------------------------------------------------------------------------------- GTIN


def test_gtin_check_digit_vietnamese(cwd):
    assert gs1.check_digit("893604312001") == 1
    project = load(cwd, edit("8936043120028", "8936043120015"))
    assert messages(project) == [
        f"{FILE}:21: packages[1].gtin: Số kiểm tra (chữ số cuối) của mã GTIN phải là 1, nhưng đang là 5.",
    ]
    assert project.problems[0].code == "gtin-check-digit"
    assert buildable(project) == []


def test_gtin_check_digit_english(cwd, monkeypatch):
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    assert gs1.check_digit("893604312007") == 3
    project = load(cwd, edit("8936043120028", "8936043120075"))
    assert messages(project) == [f"{FILE}:21: packages[1].gtin: check digit should be 3, got 5."]


def test_gtin_check_digit_first_package(cwd):
    project = load(cwd, edit("8936043120011", "8936043120012"))
    assert messages(project) == [
        f"{FILE}:14: packages[0].gtin: Số kiểm tra (chữ số cuối) của mã GTIN phải là 1, nhưng đang là 2.",
    ]


def test_gtin_as_unquoted_number_is_accepted(cwd):
    project = load(cwd, edit('"8936043120028"', "8936043120028"))
    assert messages(project) == []
    assert project.products[0].model.packages[1].gtin == "8936043120028"


@pytest.mark.parametrize(("gtin", "code", "message"), [
    ('"893604312002"', "gtin-length", "Mã GTIN-13 phải có đúng 13 chữ số, nhưng “893604312002” có 12."),
    ('"893604312002A"', "gtin-digits", "Mã GTIN chỉ gồm chữ số, nhưng đang là “893604312002A”."),
    ('"8936 0431 2002 8"', "gtin-digits", "Mã GTIN chỉ gồm chữ số, nhưng đang là “8936 0431 2002 8”."),
])
def test_gtin_shape(cwd, gtin, code, message):
    project = load(cwd, edit('"8936043120028"', gtin))
    assert messages(project) == [f"{FILE}:21: packages[1].gtin: {message}"]
    assert project.problems[0].code == code


def test_gtin_full_width_digits_refused(cwd):
    project = load(cwd, edit('"8936043120028"', '"８９３６０４３１２００２８"'))
    assert messages(project) == [
        f"{FILE}:21: packages[1].gtin: Mã GTIN chỉ gồm chữ số, nhưng đang là “８９３６０４３１２００２８”.",
    ]
    assert project.problems[0].code == "gtin-digits"


def test_gtin_not_under_company_prefix(cwd):
    outside = "893000000000" + str(gs1.check_digit("893000000000"))
    assert outside == "8930000000002"
    project = load(cwd, edit("8936043120028", outside))
    assert messages(project) == [
        f"{FILE}:21: packages[1].gtin: Mã GTIN 8930000000002 không bắt đầu bằng tiền tố doanh nghiệp "
        "893604312 khai trong producer.yaml.",
    ]
    assert project.problems[0].code == "gtin-prefix"
    assert buildable(project) == []


def test_gtin_without_company_prefix(cwd):
    producer = edit('gs1:\n  company_prefix: "893604312"\n', "", PRODUCER)
    project = load(cwd, producer=producer)
    assert messages(project) == [
        f"{FILE}:14: packages[0].gtin: Sản phẩm có mã GTIN 8936043120011 nhưng producer.yaml chưa khai "
        "gs1.company_prefix, nên nhãn được in không có mã vạch EAN-13.",
        f"{FILE}:21: packages[1].gtin: Sản phẩm có mã GTIN 8936043120028 nhưng producer.yaml chưa khai "
        "gs1.company_prefix, nên nhãn được in không có mã vạch EAN-13.",
    ]
    assert {p.severity for p in project.problems} == {"warning"}  # the label is built, without a barcode


def test_gtin_duplicated_across_products(cwd):
    other = edit("8936043120028", "8936043120035")  # keeps the 500 g GTIN ...0011
    project = load(cwd, **{"htx-a/mien-2.yaml": other})
    # mien-2.yaml is read first (sorted), so mien.yaml is the one reported; the message names
    # the product and packaging variant that already uses the number.
    assert messages(project) == [
        f"{FILE}:14: packages[0].gtin: Mã GTIN 8936043120011 đã dùng cho htx-a/mien-2 (500g); "
        "mỗi quy cách đóng gói phải có một mã riêng.",
    ]
    assert project.problems[0].code == "gtin-duplicate"
    assert "htx-a/mien" not in buildable(project)


def test_gtin_duplicated_across_producers(cwd, monkeypatch):
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    project = load(cwd, **{"htx-b/producer.yaml": PRODUCER, "htx-b/mien.yaml": PRODUCT})
    assert messages(project) == [
        "products/htx-b/mien.yaml:14: packages[0].gtin: The GTIN 8936043120011 is already used by "
        "htx-a/mien (500g); every packaging variant needs its own.",
        "products/htx-b/mien.yaml:21: packages[1].gtin: The GTIN 8936043120028 is already used by "
        "htx-a/mien (200g); every packaging variant needs its own.",
    ]
    assert buildable(project) == ["htx-a/mien"]


def test_gtin_duplicated_within_a_product(cwd):
    project = load(cwd, edit("8936043120028", "8936043120011"))
    assert messages(project) == [
        f"{FILE}:21: packages[1].gtin: Mã GTIN 8936043120011 đã dùng cho htx-a/mien (500g); "
        "mỗi quy cách đóng gói phải có một mã riêng.",
    ]


# ------------------------------------------------------------------------ generic errors


def test_missing_required_field(cwd):
    project = load(cwd, edit('    pack_material: "Túi PA/PE"\n    label:\n      width_mm: 100\n'
                             '      height_mm: 120\n',
                             '    label:\n      width_mm: 100\n      height_mm: 120\n'))
    # what to write and where: the field's meaning and an example from the field guide
    assert messages(project) == [f"{FILE}:20: packages[1].pack_material: Thiếu trường bắt buộc này (Vật liệu bao bì); "
                                 "hãy thêm dòng “pack_material: Túi PA/PE” vào mục packages[1]."]
    assert project.problems[0].code == "missing-field"


def test_missing_top_level_field(cwd, monkeypatch):
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    project = load(cwd, edit("group: thuc_pham\n", ""))
    assert messages(project) == [f"{FILE}:1: group: This required field is missing (Decree 37/2026 App. I group: "
                                 "decides the mandatory label content); add the line “group: thuc_pham” at the top "
                                 "of the file, not indented."]


def test_unknown_key_with_suggestion(cwd):
    project = load(cwd, PRODUCT + 'alergens: ["gluten"]\n')
    assert messages(project) == [
        f"{FILE}:{END}: alergens: Không có trường nào tên “alergens”; có phải bạn định viết “allergens”?",
    ]
    assert project.problems[0].code == "unknown-field"


def test_unknown_nested_key_with_suggestion_in_english(cwd, monkeypatch):
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    project = load(cwd, edit("      height_mm: 140\n", "      heigth_mm: 140\n"))
    assert messages(project) == [
        f"{FILE}:17: packages[0].label.height_mm: This required field is missing (Height in mm); add the line "
        "“height_mm: 120” under packages[0].label.",
        f"{FILE}:19: packages[0].label.heigth_mm: There is no field called “heigth_mm”; "
        "did you mean “height_mm”?",
    ]


def test_unknown_key_without_close_match_lists_allowed(cwd):
    project = load(cwd, edit('  code: "L2604A"\n', '  code: "L2604A"\n  colour: red\n'))
    assert messages(project) == [
        f"{FILE}:29: lot.colour: Không có trường nào tên “colour” ở đây; các trường hợp lệ là: "
        "code, expiry_date, print_date, production_date.",
    ]


def test_unknown_top_level_key_lists_all_product_fields(cwd):
    project = load(cwd, PRODUCT + "zzzqqq: 1\n")
    allowed = ", ".join(sorted(schema.Product.model_fields))
    assert "allergens, applied_standard, brand" in allowed
    assert messages(project) == [
        f"{FILE}:{END}: zzzqqq: Không có trường nào tên “zzzqqq” ở đây; các trường hợp lệ là: {allowed}.",
    ]


def test_wrong_type_text_in_number_field(cwd):
    project = load(cwd, edit("width_mm: 100\n      height_mm: 120", "width_mm: rộng\n      height_mm: 120"))
    assert messages(project) == [
        f"{FILE}:25: packages[1].label.width_mm: Giá trị này phải là một số, nhưng đang là “rộng”.",
    ]
    assert project.problems[0].code == "wrong-type-number"


def test_wrong_type_text_in_integer_field(cwd, monkeypatch):
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    project = load(cwd, edit("  months: 12\n", "  months: mười hai\n"))
    assert messages(project) == [
        f"{FILE}:9: shelf_life.months: This value must be a whole number, got “mười hai”.",
    ]
    assert project.problems[0].code == "wrong-type-integer"


def test_not_one_of(cwd):
    project = load(cwd, edit("group: thuc_pham", "group: thucpham"))
    assert messages(project) == [
        f"{FILE}:3: group: Giá trị “thucpham” không hợp lệ; hãy chọn một trong: luong_thuc (Lương thực (gạo, "
        "ngũ cốc)), thuc_pham (Thực phẩm), tpbvsk (Thực phẩm bảo vệ sức khỏe), do_uong (Đồ uống (trừ rượu)), "
        "ruou (Rượu), phu_gia (Phụ gia thực phẩm), nguyen_lieu (Nguyên liệu thực phẩm).",
    ]


def test_group_choices_come_from_the_law_data(cwd):
    """The App. I groups are the keys of label.yaml, offered in the file's order."""
    project = load(cwd, edit("group: thuc_pham", "group: banh_keo"))
    choices = fields.field(Product, "group").choices_line()
    assert list(fields.field(Product, "group").choices) == list(label_law().groups)
    assert [(p.line, p.field, p.code, p.message) for p in project.problems] == [
        (3, "group", "not-one-of", t("not-one-of", value="banh_keo", choices=choices))]


def test_ocop_group_choices_come_from_the_law_data(cwd):
    """The OCOP groups are the keys of ocop.yaml, offered in the file's order."""
    project = load(cwd, PRODUCT + "ocop:\n  category:\n    group: che\n    subgroup: Chè\n")
    choices = fields.field(OcopCategory, "group").choices_line()
    assert list(fields.field(OcopCategory, "group").choices) == list(ocop_law().groups)
    assert [(p.line, p.field, p.code, p.message) for p in project.problems] == [
        (END + 2, "ocop.category.group", "not-one-of", t("not-one-of", value="che", choices=choices))]
    assert "dich_vu_du_lich" in choices


@pytest.mark.parametrize(("product", "producer", "field", "value", "keys"), [
    (edit("nutrition_exemption: single_ingredient", "nutrition_exemption: salty"), PRODUCER,
     "nutrition_exemption", "salty", lambda: label_law().nutrition_exemptions),
    (PRODUCT + "food_safety:\n  ministry: MOX\n", PRODUCER, "food_safety.ministry", "MOX",
     lambda: food_safety_law().ministries),
    (PRODUCT, PRODUCER + "food_safety_certificate:\n  ministry: moh\n", "food_safety_certificate.ministry",
     "moh", lambda: food_safety_law().ministries),
    (PRODUCT, PRODUCER.replace("legal_form: hop_tac_xa", "legal_form: htx"), "legal_form", "htx",
     lambda: ocop_law().participants),
])
def test_other_choices_come_from_the_law_data(cwd, product, producer, field, value, keys):
    project = load(cwd, product, producer)
    guide = fields.at(schema.Producer if field.startswith(("food_safety_certificate", "legal_form"))
                      else schema.Product, tuple(field.split(".")))
    assert guide is not None and list(guide.choices) == list(keys())  # each with its meaning
    choices = guide.choices_line()
    found = [(p.field, p.code, p.message) for p in project.problems if p.code == "not-one-of"]
    assert found == [(field, "not-one-of", t("not-one-of", value=value, choices=choices))]


def test_a_group_added_to_the_law_data_is_accepted(cwd, monkeypatch):
    """The law YAML is the one list: a new group there needs no change to the schema."""
    law = label_law()
    more = law.model_copy(update={"groups": {**law.groups, "banh_keo": law.groups["thuc_pham"]}})
    monkeypatch.setattr("ocopdocs.schema.label.label_law", lambda: more)
    project = load(cwd, edit("group: thuc_pham", "group: banh_keo"))
    assert messages(project) == []
    assert [e.model.group for e in project.products if e.model is not None] == ["banh_keo"]


MARK = """\
kind: noodles
trademark:
  mark_text: "KHUỔI DONG"
  mark_kind: word
  description: "Chữ KHUỔI DONG in hoa."
  goods:
    - {nice_class: 30, items: ["Miến"]}
  filing: {date: 2026-05-10}
  place_name_permission: {number: "12/UBND-NNTN", date: 2026-04-20}
"""


def test_a_place_name_permission_without_issuer_is_a_missing_trademark_field(cwd):
    """No issuer is assumed: the permission's issuer is a trademark gap, like any unwritten field."""
    from ocopdocs import pipeline

    project = load(cwd, PRODUCT + MARK)
    assert messages(project) == []
    found = [(p.file, p.line, p.field) for p in pipeline.check(cwd / "products", date(2026, 11, 29)).problems
             if p.code == "tm-field-missing" and "place_name_permission" in p.field]
    assert found == [(FILE, END + 8, "trademark.place_name_permission.issued_by")]

    given = edit("date: 2026-04-20}", 'date: 2026-04-20, issued_by: "UBND tỉnh Thái Nguyên"}', PRODUCT + MARK)
    load(cwd, given)
    found = [p.field for p in pipeline.check(cwd / "products", date(2026, 11, 29)).problems
             if p.code == "tm-field-missing" and "place_name_permission" in p.field]
    assert found == []


def test_list_expected(cwd):
    project = load(cwd, PRODUCT + "claims: Không chất bảo quản\n")
    assert messages(project) == [
        f"{FILE}:{END}: claims: Mục này phải là một danh sách, mỗi phần tử một dòng bắt đầu bằng “- ”, "
        "ví dụ “claims: [Không chất bảo quản]”.",
    ]


def test_file_is_not_a_mapping(cwd):
    project = load(cwd, "- a\n- b\n")
    assert messages(project) == [f"{FILE}:1: Tệp phải là một nhóm các dòng “tên: giá trị”."]
    assert buildable(project) == []


# --------------------------------------------------------------------------------- dates


@pytest.mark.parametrize("value", ['"30/02/2026"', '"15/04/26"', "hôm nay", '"2026-4-15"'])
def test_bad_date(cwd, value):
    project = load(cwd, edit("production_date: 2026-04-15", f"production_date: {value}"))
    shown = value.strip('"')
    assert messages(project) == [
        f"{FILE}:29: lot.production_date: Ngày phải viết dạng năm-tháng-ngày (2026-04-15) hoặc "
        f"ngày/tháng/năm (15/04/2026), nhưng đang là “{shown}”.",
    ]
    assert project.problems[0].code == "wrong-type-date"


def test_bad_unquoted_date(cwd):
    project = load(cwd, edit("production_date: 2026-04-15", "production_date: 2026-02-30"))
    assert messages(project) == [
        f"{FILE}:29: lot.production_date: Ngày phải viết dạng năm-tháng-ngày (2026-04-15) hoặc "
        "ngày/tháng/năm (15/04/2026), nhưng đang là “2026-02-30”.",
    ]


@pytest.mark.parametrize("value", ['"15/04/2026"', "15/04/2026", '"15.04.2026"', '"15-04-2026"',
                                   '"2026-04-15"'])
def test_day_month_year_accepted(cwd, value):
    project = load(cwd, edit("production_date: 2026-04-15", f"production_date: {value}"))
    assert messages(project) == []
    assert project.products[0].model.lot.production_date == date(2026, 4, 15)


def test_day_month_year_single_digits(cwd):
    project = load(cwd, edit("production_date: 2026-04-15", 'production_date: "5/4/2026"'))
    assert messages(project) == []
    assert project.products[0].model.lot.production_date == date(2026, 4, 5)


# ------------------------------------------------------------------------- own validators


def test_quantity_without_space(cwd):
    project = load(cwd, edit('"200 g"', '"200g"'))
    assert messages(project) == [
        f"{FILE}:22: packages[1].net_quantity: Định lượng phải viết số, một dấu cách, rồi đơn vị "
        "(mg, g, kg, ml, L), ví dụ “500 g”; đang là “200g”.",
    ]
    assert project.problems[0].code == "quantity-format"


@pytest.mark.parametrize("value", ['"200 gr"', '"0 g"', '"200  g"', '"200 G"', "200"])
def test_quantity_refused(cwd, value):
    project = load(cwd, edit('"200 g"', value))
    assert [(p.code, p.line, p.field) for p in project.problems] == [
        ("quantity-format", 22, "packages[1].net_quantity")]


@pytest.mark.parametrize(("value", "base"), [('"0,2 kg"', 200), ('"200 g"', 200), ('"1.5 L"', 1500),
                                             ('"500 ml"', 500)])
def test_quantity_accepted(cwd, value, base):
    project = load(cwd, edit('"200 g"', value))
    assert messages(project) == []
    assert project.products[0].model.packages[1].net_quantity.base == base


def test_multipack_total_mismatch(cwd):
    project = load(cwd, edit('    net_quantity: "200 g"\n', '    net_quantity: "200 g"\n    multipack:\n'
                             '      count: 10\n      unit_name: gói\n      each: "25 g"\n'))
    assert messages(project) == [
        f"{FILE}:20: packages[1]: Định lượng 200 g không bằng 10 × 25 g; hãy sửa cho khớp.",
    ]
    assert project.problems[0].code == "multipack-total"


def test_multipack_total_matches(cwd):
    project = load(cwd, edit('    net_quantity: "200 g"\n', '    net_quantity: "0,2 kg"\n    multipack:\n'
                             '      count: 10\n      unit_name: gói\n      each: "20 g"\n'))
    assert messages(project) == []


def test_multipack_mass_and_volume(cwd, monkeypatch):
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    project = load(cwd, edit('    net_quantity: "200 g"\n', '    net_quantity: "200 g"\n    multipack:\n'
                             '      count: 10\n      unit_name: chai\n      each: "20 ml"\n'))
    assert messages(project) == [
        f"{FILE}:20: packages[1]: The unit pack (20 ml) and the total (200 g) must both be masses or both "
        "volumes.",
    ]


def test_shelf_life_both_months_and_days(cwd):
    project = load(cwd, edit("  months: 12\n", "  months: 12\n  days: 30\n"))
    assert messages(project) == [
        f"{FILE}:8: shelf_life: Hạn sử dụng ghi theo tháng (months) hoặc theo ngày (days), "
        "đúng một trong hai.",
    ]
    assert project.problems[0].code == "shelf-life-one"


def test_shelf_life_neither(cwd):
    project = load(cwd, edit("  months: 12\n", "  {}\n"))
    assert [(p.code, p.line, p.field) for p in project.problems] == [("shelf-life-one", 8, "shelf_life")]


@pytest.mark.parametrize("code", ["Lô 26 A", "L2604Á", "L2604 A", "L2604/A", "A123456789012345678901"])
def test_lot_code_refused(cwd, code):
    project = load(cwd, edit('"L2604A"', f'"{code}"'))
    assert messages(project) == [
        f"{FILE}:28: lot.code: Số lô chỉ gồm chữ cái không dấu, chữ số và dấu gạch ngang, tối đa 20 ký tự, "
        f"vì nó nằm trong mã QR; đang là “{code}”.",
    ]
    assert project.problems[0].code == "lot-code-chars"


def test_resolver_must_be_https(cwd):
    project = load(cwd, PRODUCT + 'traceability:\n  resolver: "http://id.example.vn"\n')
    assert messages(project) == [
        f"{FILE}:{END + 1}: traceability.resolver: Địa chỉ tra cứu phải bắt đầu bằng https:// và không chứa "
        "dấu ?, # hay dấu cách; đang là “http://id.example.vn”.",
    ]
    assert project.problems[0].code == "resolver-url"


@pytest.mark.parametrize("url", ["https://id.example.vn/a?b=1", "https://id.example.vn/#x",
                                 "https://id example.vn", "id.example.vn", "javascript:alert(1)"])
def test_resolver_refused(cwd, url):
    project = load(cwd, PRODUCT + f'traceability:\n  resolver: "{url}"\n')
    assert [p.code for p in project.problems] == ["resolver-url"]


def test_resolver_trailing_slash_removed(cwd):
    project = load(cwd, PRODUCT + 'traceability:\n  resolver: "https://id.example.vn/gs1/"\n')
    assert messages(project) == []
    assert project.products[0].model.traceability.resolver == "https://id.example.vn/gs1"


def test_ocop_stars_two(cwd):
    project = load(cwd, PRODUCT + 'ocop:\n certificate:\n  stars: 2\n  certificate_no: "1/QĐ-UBND"\n'
                   '  issued_by: "UBND tỉnh"\n  issued_on: 2024-11-08\n')
    assert messages(project) == [
        f"{FILE}:{END + 2}: ocop.certificate.stars: "
        "Giấy chứng nhận OCOP chỉ cấp cho sản phẩm 3 đến 5 sao, nhưng đang ghi 2 sao.",
    ]
    assert project.problems[0].code == "ocop-stars"


def test_ocop_stars_six(cwd):
    project = load(cwd, PRODUCT + 'ocop:\n certificate:\n  stars: 6\n  certificate_no: "1/QĐ-UBND"\n'
                   '  issued_by: "UBND tỉnh"\n  issued_on: 2024-11-08\n')
    assert messages(project) == [f"{FILE}:{END + 2}: ocop.certificate.stars: Giá trị phải không quá 5, nhưng đang là 6."]


# -------------------------------------------------------------------- cross-file checks


def test_production_site_unknown(cwd):
    project = load(cwd, PRODUCT + "production_site: xuong-b\n")
    assert messages(project) == [
        f"{FILE}:{END}: production_site: Không có cơ sở sản xuất mã “xuong-b” trong producer.yaml; "
        "các mã có: xuong-a.",
    ]
    assert project.problems[0].code == "production-site-unknown"
    assert buildable(project) == []


def test_production_site_known(cwd):
    project = load(cwd, PRODUCT + "production_site: xuong-a\n")
    assert messages(project) == []


TWO_SITES = PRODUCER.replace("legal_representative:", """\
  - id: xuong-b
    name: "Xưởng B"
    address:
      line: "thôn C"
      commune: "xã D"
      province: "tỉnh Thái Nguyên"
legal_representative:""")


def test_production_site_required_with_two_sites(cwd):
    project = load(cwd, producer=TWO_SITES)
    assert messages(project) == [
        f"{FILE}:1: production_site: Tổ chức có nhiều cơ sở sản xuất; "
        "hãy ghi production_site để nhãn in đúng địa chỉ nơi sản xuất.",
    ]
    assert project.problems[0].code == "production-site-required"


def test_production_site_chosen_among_two(cwd):
    project = load(cwd, PRODUCT + "production_site: xuong-b\n", producer=TWO_SITES)
    assert messages(project) == []
    [entry] = buildable_entries(project)
    assert entry.producer.model.site(entry.model.production_site).address.line == "thôn C"


def test_highlighted_ingredient_not_in_ingredients(cwd):
    project = load(cwd, PRODUCT + 'highlighted_ingredients:\n  - "tinh bột dong riềng"\n  - "đường"\n')
    assert messages(project) == [
        f"{FILE}:{END + 2}: highlighted_ingredients[1]: Thành phần nhấn mạnh “đường” không có trong "
        "danh sách ingredients.",
    ]
    assert project.problems[0].code == "highlighted-unknown"


def test_nutrition_and_exemption_both_given(cwd):
    project = load(cwd, PRODUCT + "nutrition:\n  energy_kcal: 332\n  protein_g: 0.6\n  carbohydrate_g: 82.2\n"
                   "  fat_g: 0.1\n  sodium_mg: 10\n")
    assert messages(project) == [
        f"{FILE}:7: nutrition_exemption: Chỉ ghi nutrition hoặc nutrition_exemption, không ghi cả hai.",
    ]
    assert project.problems[0].code == "nutrition-and-exemption"


# ---------------------------------------------------------------------- syntax and files


def test_yaml_syntax_error_line_and_column(cwd):
    project = load(cwd, edit("group: thuc_pham\n", "group: thuc_pham: tpbvsk\n"))
    assert messages(project) == [
        f"{FILE}:3: Dấu hai chấm ở cột 17 của dòng này không hợp lệ ở đây: có lẽ một giá trị có “: ” "
        "mà không đặt trong ngoặc kép, hoặc dòng này thụt đầu dòng sai.",
    ]
    assert project.problems[0].code == "yaml-syntax"
    assert buildable(project) == []


def test_yaml_duplicate_key_and_schema_error_together(cwd):
    project = load(cwd, edit("storage: \"Nơi khô ráo.\"\n", "storage: \"Nơi khô ráo.\"\nstorage: \"Khác.\"\n")
                   .replace("8936043120028", "8936043120015"))
    assert messages(project) == [
        f"{FILE}:11: storage: Trường “storage” được khai hai lần (lần đầu ở dòng 10); hãy giữ một.",
        f"{FILE}:22: packages[1].gtin: Số kiểm tra (chữ số cuối) của mã GTIN phải là 1, nhưng đang là 5.",
    ]


def test_three_mistakes_all_reported(cwd):
    text = edit("8936043120011", "8936043120019")          # line 14
    text = edit('"200 g"', '"200g"', text)                  # line 22
    text += 'alergens: ["gluten"]\n'                        # line 30
    project = load(cwd, text)
    assert sorted(messages(project), key=lambda m: int(m.split(":")[1])) == [
        f"{FILE}:14: packages[0].gtin: Số kiểm tra (chữ số cuối) của mã GTIN phải là 1, nhưng đang là 9.",
        f"{FILE}:22: packages[1].net_quantity: Định lượng phải viết số, một dấu cách, rồi đơn vị "
        "(mg, g, kg, ml, L), ví dụ “500 g”; đang là “200g”.",
        f"{FILE}:{END}: alergens: Không có trường nào tên “alergens”; có phải bạn định viết “allergens”?",
    ]


def test_mistakes_in_several_files_all_reported(cwd):
    project = load(cwd, edit('"L2604A"', '"Lô A"'),
                   **{"htx-a/bad.yaml": edit("group: thuc_pham", "group: x"),
                      "htx-b/producer.yaml": edit('abbreviation: "HA"', 'abbreviation: "hb"', PRODUCER)})
    assert sorted((p.file, p.line, p.code) for p in project.problems) == [
        ("products/htx-a/bad.yaml", 3, "not-one-of"),
        ("products/htx-a/mien.yaml", 28, "lot-code-chars"),
        ("products/htx-b/producer.yaml", 2, "abbreviation-format"),
    ]


def test_one_bad_product_does_not_block_another(cwd):
    bad = edit("8936043120011", "8936043120012").replace("8936043120028", "8936043120042")
    project = load(cwd, **{"htx-a/bad.yaml": bad})
    assert [(p.file, p.code) for p in project.problems] == [("products/htx-a/bad.yaml", "gtin-check-digit")]
    assert buildable(project) == ["htx-a/mien"]


def test_broken_producer_blocks_its_products_only(cwd):
    producer = edit('abbreviation: "HA"', 'abbreviation: "ha"', PRODUCER)
    other = PRODUCT.replace("8936043120011", "8936043120042").replace("8936043120028", "8936043120059")
    project = load(cwd, producer=producer, **{"htx-b/producer.yaml": PRODUCER, "htx-b/mien.yaml": other})
    assert messages(project) == [
        "products/htx-a/producer.yaml:2: abbreviation: Tên viết tắt chỉ gồm chữ in hoa không dấu, chữ số và "
        "dấu gạch ngang (tối đa 12 ký tự); đang là “ha”.",
        f"{FILE}:1: Tệp products/htx-a/producer.yaml của tổ chức có lỗi (xem các dòng khác), "
        "nên sản phẩm này chưa được dựng.",
    ]
    assert [p.code for p in project.problems] == ["abbreviation-format", "producer-invalid"]
    assert buildable(project) == ["htx-b/mien"]


def test_producer_with_syntax_error(cwd):
    project = load(cwd, producer=PRODUCER + "contact: [\n")
    assert [(p.file, p.code) for p in project.problems] == [
        ("products/htx-a/producer.yaml", "yaml-syntax"), (FILE, "producer-invalid")]
    assert buildable(project) == []


def test_producer_missing(cwd):
    project = load(cwd, producer=None)
    assert messages(project) == [
        f"{FILE}:1: Thư mục products/htx-a không có tệp producer.yaml khai thông tin tổ chức, "
        "nên sản phẩm này không được dựng.",
    ]
    assert project.problems[0].code == "producer-missing"
    assert buildable(project) == []


@pytest.mark.parametrize("name", ["Mien.yaml", "Miến.yaml", "mien dong.yaml", "mien_dong.yaml", "-mien.yaml"])
def test_product_file_name(cwd, name):
    project = load(cwd, **{f"htx-a/{name}": PRODUCT.replace("8936043120011", "8936043120042")})
    assert messages(project) == [
        f"products/htx-a/{name}: Tên “{name}” chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang, "
        "vì nó thành tên tệp kết quả.",
    ]
    assert project.problems[0].code == "file-name"
    assert buildable(project) == ["htx-a/mien"]


def test_producer_folder_name(cwd):
    project = load(cwd, **{"HTX-Bắc/producer.yaml": PRODUCER})
    assert messages(project) == [
        "products/HTX-Bắc: Tên “HTX-Bắc” chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang, "
        "vì nó thành tên tệp kết quả.",
    ]
    assert buildable(project) == ["htx-a/mien"]


def test_producer_fields_checked(cwd, monkeypatch):
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    producer = edit('company_prefix: "893604312"', 'company_prefix: "12345678"', PRODUCER)
    project = load(cwd, producer=producer)
    assert messages(project)[0] == (
        "products/htx-a/producer.yaml:21: gs1.company_prefix: A GS1 company prefix has 7 to 12 digits and "
        "starts with 893, got “12345678”.")


# ------------------------------------------------- hardening (issue 13): links, names, characters


SECRET = 'legal_name: "BÍ MẬT NGOÀI THƯ MỤC"\n'


def test_product_file_linking_outside_is_not_read(cwd):
    (cwd / "elsewhere").mkdir()
    (cwd / "elsewhere" / "secret.yaml").write_text(PRODUCT.replace("Miến dong", "BÍ MẬT NGOÀI THƯ MỤC"),
                                                   encoding="utf-8")
    write_tree(cwd / "products", {"htx-a/producer.yaml": PRODUCER, "htx-a/mien.yaml": PRODUCT})
    (cwd / "products" / "htx-a" / "stolen.yaml").symlink_to(cwd / "elsewhere" / "secret.yaml")
    project = load_project(cwd / "products")
    assert [(p.file, p.code, p.line) for p in project.problems] == [
        ("products/htx-a/stolen.yaml", "file-outside", None)]
    assert [e.id for e in project.products] == ["htx-a/mien"]
    assert "BÍ MẬT" not in repr(project)


@pytest.mark.parametrize("link", ["folder", "producer"])
def test_producer_folder_or_file_linking_outside_is_not_read(cwd, link):
    write_tree(cwd / "elsewhere", {"htx-x/producer.yaml": SECRET,
                                   "htx-x/mien.yaml": PRODUCT.replace("Miến dong", "BÍ MẬT NGOÀI")})
    write_tree(cwd / "products", {"htx-a/producer.yaml": PRODUCER, "htx-a/mien.yaml": PRODUCT})
    if link == "folder":
        (cwd / "products" / "htx-b").symlink_to(cwd / "elsewhere" / "htx-x")
    else:
        (cwd / "products" / "htx-b").mkdir()
        (cwd / "products" / "htx-b" / "producer.yaml").symlink_to(cwd / "elsewhere" / "htx-x" / "producer.yaml")
        (cwd / "products" / "htx-b" / "tra.yaml").write_text(
            PRODUCT.replace("8936043120011", "8936043120042").replace("8936043120028", "8936043120059"),
            encoding="utf-8")
    project = load_project(cwd / "products")
    shown = "products/htx-b" if link == "folder" else "products/htx-b/producer.yaml"
    assert [(p.file, p.code) for p in project.problems] == [(shown, "file-outside")]
    assert project.problems[0].message == ("Đây là một liên kết trỏ ra ngoài thư mục sản phẩm products; "
                                           "ocopdocs không đọc gì ở ngoài thư mục đó.")
    assert [e.id for e in project.products] == ["htx-a/mien"]
    assert "BÍ MẬT" not in repr(project)


def test_a_link_inside_the_products_folder_is_followed(cwd):
    write_tree(cwd / "products", {"htx-a/producer.yaml": PRODUCER, "htx-a/mien.yaml": PRODUCT})
    (cwd / "products" / "htx-b").mkdir()
    (cwd / "products" / "htx-b" / "producer.yaml").symlink_to(cwd / "products" / "htx-a" / "producer.yaml")
    project = load_project(cwd / "products")
    assert project.problems == []
    assert [p.slug for p in project.producers] == ["htx-a", "htx-b"]


@pytest.mark.parametrize("name", ["htx-ong\n", "htx\r", "htx-a\n\n", "htx\t"])
def test_folder_name_with_a_trailing_newline_is_refused(cwd, name):
    project = load(cwd, **{f"{name}/producer.yaml": PRODUCER})
    assert [(p.code, p.file) for p in project.problems] == [("file-name", f"products/{name}")]
    assert [p.slug for p in project.producers] == ["htx-a"]


def test_product_file_name_with_a_trailing_newline_is_refused(cwd):
    project = load(cwd, **{"htx-a/tra\n.yaml": PRODUCT.replace("8936043120011", "8936043120042")})
    assert [p.code for p in project.problems] == ["file-name"]
    assert buildable(project) == ["htx-a/mien"]


@pytest.mark.parametrize("char", ["\u200b", "\u202e", "\u2066", "\ufeff"])
def test_invisible_character_blocks_its_product_with_the_field(cwd, char):
    other = PRODUCT.replace("8936043120011", "8936043120042").replace("8936043120028", "8936043120059")
    project = load(cwd, edit('vi: "Miến dong"', f'vi: "Miến{char} dong"'), **{"htx-a/tra.yaml": other})
    assert [(p.file, p.line, p.field, p.code) for p in project.problems] == [
        (FILE, 2, "name.vi", "text-invisible-char")]
    assert buildable(project) == ["htx-a/tra"]


def test_invisible_character_in_the_producer_file(cwd):
    project = load(cwd, producer=edit('"Nguyễn Văn A"', '"Nguyễn\u200d Văn A"', PRODUCER))
    assert [(p.file, p.line, p.field, p.code) for p in project.problems] == [
        ("products/htx-a/producer.yaml", 18, "legal_representative.name", "text-invisible-char")]
    assert buildable(project) == []
