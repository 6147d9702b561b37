"""The rule catalogue and the data rules: one failing and one passing case per rule, both eras."""

from __future__ import annotations

import ast
import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import yaml

from ocopdocs import pipeline
from ocopdocs.cli import main
from ocopdocs.errors import Problem
from ocopdocs.rules import catalogue

from .conftest import write_tree
from .test_schema import PRODUCER, PRODUCT, WARNING
from .test_schema import edit as _edit

FOOD_SAFETY = """\
food_safety:
  ministry: MOIT
  annual_output_kg: 1000
  declaration:
    number: 1
    date: 2026-05-01
    place: Thái Nguyên
    receiving_body: Sở Công Thương tỉnh Thái Nguyên
    publication: {channel: website, where: "https://a.example.vn"}
  safety_standards: ["QCVN 8-2:2011/BYT"]
  test_reports:
    - lab: Trung tâm Kiểm nghiệm A
      accreditation: {kind: iso17025, number: VILAS 001}
      report_no: KN-01
      date: 2026-03-01
      criteria:
        - {name: "Chì (Pb)", unit: mg/kg, limit: "≤ 0,2", result: "0,02", method: AOAC 2015.01}
"""
BASE = PRODUCT + FOOD_SAFETY
"""A product complete for the label and the self-declaration: the passing case of every rule."""
FULL_PRODUCER = PRODUCER + """\
contact:
  phone: "0209 3000 000"
food_safety_certificate:
  number: 01/2025/GCNATTP
  issued_by: Sở Công Thương tỉnh Thái Nguyên
  issued_on: 2025-09-01
  valid_until: 2028-08-31
  ministry: MOIT
premises:
  total_area_m2: 300
  production_area_m2: 120
  layout: Một chiều từ kho nguyên liệu đến kho thành phẩm.
  construction: Tường lát gạch men, nền bê tông.
  water_source: Nước giếng khoan đã xử lý, đạt QCVN 01-1:2018/BYT.
  waste: Thu gom hằng ngày.
equipment:
  - {name: Máy nghiền, quantity: 1}
staff:
  - {name: Nguyễn Văn A, role: Giám đốc, health_certificate_date: 2026-03-01, training_date: 2026-03-05}
"""


def edit(old: str, new: str, text: str = BASE) -> str:
    return _edit(old, new, text)


OCOP = """\
traceability:
  resolver: "https://id.example.vn"
ocop:
  certificate: {stars: 4, certificate_no: 12/QĐ-UBND, issued_by: UBND tỉnh Thái Nguyên, issued_on: 2025-01-10}
  status: existing
  date: 2026-09-01
  category: {group: thuc_pham, subgroup: Thực phẩm chế biến}
  raw_material: {description: Củ dong riềng của thành viên, area_ha: 12, certification: VietGAP}
  capacity: {amount: 50, unit: tấn/năm}
  markets:
    - {name: Cửa hàng OCOP trong tỉnh, scope: province, share_percent: 60}
  community: {members: 20, households: 35, workers: 18, women: 12, ethnic_minority: 15}
  story: Miến làm từ củ dong riềng trồng trên đồi.
  organisation:
    description: Ban giám đốc và hai tổ.
    units: [{name: Tổ sản xuất, people: 12}]
  business_plan:
    unit: kg
    years:
      - {year: 2025, volume: 10000, price_vnd: 90000, investment_vnd: 100000000, revenue_target_vnd: 900000000,
         costs: {raw_materials_vnd: 400000000, labour_vnd: 150000000, packaging_vnd: 50000000, other_vnd: 100000000}}
      - {year: 2026, volume: 12000, price_vnd: 90000, investment_vnd: 50000000, revenue_target_vnd: 1000000000,
         costs: {raw_materials_vnd: 480000000, labour_vnd: 170000000, packaging_vnd: 60000000, other_vnd: 110000000}}
      - {year: 2027, volume: 14000, price_vnd: 95000, revenue_target_vnd: 1300000000,
         costs: {raw_materials_vnd: 560000000, labour_vnd: 190000000, packaging_vnd: 70000000, other_vnd: 130000000}}
  evidence:
    samples: {document: 5 gói mẫu 500 g}
    ip_proof: {document: Giấy chứng nhận đăng ký nhãn hiệu số 4-0001}
    raw_material: {document: Hợp đồng liên kết với 35 hộ}
    quality_management: {document: Sổ tay kiểm soát chất lượng}
    market_promotion: {document: Hợp đồng bán hàng với 3 cửa hàng}
    quality_control: {document: Nhật ký sản xuất 2026}
    awards: {document: Giấy khen của UBND xã}
  self_assessment:
    date: 2026-09-01
    scores: {A1.1: 4, A1.2: 3, A1.3: 3, A1.4: 3, A2.1: 4, A2.2: 3, A2.3: 4, A3.1: 3, A3.2: 2, A3.3: 3,
             B1: 4, B2: 3, B3: 6, B4: 3, B5: 2, C1.1: 6, C1.2: 5, C2.1: 4, C2.2: 4, C2.3: 0, C3.1: 3}
"""
"""A complete OCOP dossier section for BASE: 72 points, 4 stars, every paper on hand."""
OCOP_PRODUCER = FULL_PRODUCER + """\
ocop_evidence:
  business_registration: {document: Bản sao Giấy chứng nhận đăng ký HTX 4700814362}
  accounting: {document: Báo cáo tài chính năm 2025}
  environment: {document: Bản cam kết bảo vệ môi trường}
"""


def ocop_edit(old: str, new: str) -> str:
    return _edit(old, new, BASE + OCOP)

AS_OF = date(2026, 11, 29)
FILE = "products/htx-a/mien.yaml"


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OCOPDOCS_LANG", raising=False)
    return tmp_path


def problems(root: Path, product: str = BASE, producer: str = FULL_PRODUCER,
             as_of: date = AS_OF, info: bool = False) -> list[Problem]:
    products = write_tree(root / "products", {"htx-a/producer.yaml": producer, "htx-a/mien.yaml": product})
    return [p for p in pipeline.check(products, as_of).problems if info or p.severity != "info"]


def printed_on(day: str, text: str = BASE) -> str:
    return edit("  production_date: 2026-04-15\n", f"  production_date: 2026-04-15\n  print_date: {day}\n", text)


def test_the_base_product_passes_every_rule(cwd: Path) -> None:
    assert problems(cwd) == []
    assert problems(cwd, printed_on("2025-12-01")) == [p for p in problems(cwd, printed_on("2025-12-01"))
                                                       if p.code == "label-old-regime"]


def old_address(bac_kan: bool) -> str:
    province = "tỉnh Bắc Kạn" if bac_kan else "tỉnh Thái Nguyên"
    return edit('      commune: "xã B"\n      province: "tỉnh Thái Nguyên"\nlegal_rep',
                f'      commune: "xã B"\n      district: "huyện Na Rì"\n      province: "{province}"\nlegal_rep',
                FULL_PRODUCER)


TRADEMARK = """\
kind: noodles
trademark:
  mark_text: "KHUỔI DONG Miến dong"
  image: "mark.png"
  mark_kind: combined
  colours: ["đỏ"]
  description: "Chữ KHUỔI DONG trên hình tròn đỏ."
  disclaimed: ["Miến dong"]
  goods:
    - nice_class: 30
      items: ["Miến", "miến dong"]
  filing:
    date: 2026-05-10
"""
"""A complete trademark section for BASE; its mark file is written by :func:`mark_png`."""


def mark_png(name: str = "mark.png", size: tuple[int, int] = (1000, 1000), mode: str = "RGB",
             colour: object = (200, 30, 30)) -> str:
    """Write a mark sample into the test product folder (the working directory is tmp)."""
    from PIL import Image

    folder = Path("products/htx-a")
    folder.mkdir(parents=True, exist_ok=True)
    image = Image.new(mode, size, "white")
    image.paste(colour, (size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4))  # type: ignore[arg-type]
    image.save(folder / name)
    return name


def marked(text: str = BASE + TRADEMARK, **image: object) -> str:
    """``text`` (with a trademark section), after writing its mark file."""
    mark_png(**image)  # type: ignore[arg-type]
    return text


def tm_edit(old: str, new: str) -> str:
    return edit(old, new, BASE + TRADEMARK)


# Each rule: a product (and producer) text that breaks it, the field it points at, and a text
# fragment the message must contain. BASE is the passing case for every rule.
Case = tuple[Callable[[], tuple[str, str]], str, str]
NEW = "2026-05-01"
SPIRIT = edit("group: thuc_pham", "group: ruou", edit("nutrition_exemption: single_ingredient",
                                                   "nutrition_exemption: alcoholic_drink")) + "ethanol_percent: 35\n"
"""A spirit sold in Viet Nam (its licence and stamp are checked)."""

CASES: dict[str, Case] = {
    "label-mandatory-item": (lambda: (edit('storage: "Nơi khô ráo."\n', ""), FULL_PRODUCER),
                             "storage", "hướng dẫn bảo quản"),
    "label-country-abbreviated": (lambda: (BASE + "origin:\n  country: VN\n", FULL_PRODUCER),
                                  "origin.country", "“VN”"),
    "label-origin-phrase": (lambda: (printed_on("2025-12-01") + "origin:\n  phrase: Made in\n", FULL_PRODUCER),
                            "origin.phrase", "“Made in”"),
    "label-expiry-after-production": (lambda: (edit("  production_date: 2026-04-15\n",
                                                    "  production_date: 2026-04-15\n  expiry_date: 2026-04-01\n"),
                                               FULL_PRODUCER), "lot.expiry_date", "01/04/2026"),
    "label-quantity-unit": (lambda: (edit('net_quantity: "500 g"', 'net_quantity: "1000 g"'), FULL_PRODUCER),
                            "packages[0].net_quantity", "“1 kg”"),
    "label-highlighted-percent": (lambda: (edit("    percent: 100\n", "") + "highlighted_ingredients:\n"
                                           "  - tinh bột dong riềng\n", FULL_PRODUCER),
                                  "highlighted_ingredients[0]", "tinh bột dong riềng"),
    "label-name-ingredient-percent": (lambda: (edit("    percent: 100\n", "", edit('vi: "Miến dong"',
                                                    'vi: "Miến tinh bột dong riềng"')), FULL_PRODUCER),
                                      "ingredients[0]", "tinh bột dong riềng"),
    "label-ingredient-order": (lambda: (edit("    percent: 100\n", "    percent: 30\n  - name: nước\n    percent: 70\n"),
                                        FULL_PRODUCER), "ingredients[1]", "“nước” (70\u00a0%)"),
    "label-free-from-claim": (lambda: (edit("    percent: 100\n", "    percent: 99\n  - name: kali sorbat\n"
                                            "    additive:\n      group: chất bảo quản\n      ins: \"202\"\n")
                                       + "claims: [Không chất bảo quản]\n", FULL_PRODUCER),
                              "claims[0]", "kali sorbat"),
    "label-additive-named": (lambda: (edit("    percent: 100\n", "    percent: 99\n  - name: chất bảo quản\n"
                                           "    additive:\n      group: chất bảo quản\n"), FULL_PRODUCER),
                             "ingredients[1].additive", "chất bảo quản"),
    "label-additive-qualifier": (lambda: (edit("    percent: 100\n", "    percent: 99\n  - name: saccharin\n"
                                               "    additive:\n      group: chất tạo ngọt\n      ins: \"954\"\n"),
                                          FULL_PRODUCER), "ingredients[1].additive.qualifier", "chất tạo ngọt"),
    "label-supplement-sentences": (lambda: (edit("nutrition_exemption: single_ingredient",
                                                 "nutrition_exemption: health_supplement"), FULL_PRODUCER),
                                   "group", "thuc_pham"),
    "label-nutrition-exemption": (lambda: (edit("nutrition_exemption: single_ingredient",
                                                "nutrition_exemption: alcoholic_drink"), FULL_PRODUCER),
                                  "nutrition_exemption", "alcoholic_drink"),
    "label-ocop-certificate": (lambda: (BASE + "ocop:\n certificate:\n  stars: 4\n  certificate_no: 1/QĐ\n"
                                        "  issued_by: UBND tỉnh Bắc Kạn\n  issued_on: 2022-03-01\n", FULL_PRODUCER),
                               "ocop.certificate.issued_on", "28/02/2025"),
    "label-ocop-badge-outlives": (lambda: (BASE + "ocop:\n certificate:\n  stars: 4\n  certificate_no: 1/QĐ\n"
                                           "  issued_by: UBND tỉnh Thái Nguyên\n  issued_on: 2024-03-01\n",
                                           FULL_PRODUCER), "ocop.certificate.issued_on", "28/02/2027"),
    "label-old-regime": (lambda: (printed_on("2025-12-01"), FULL_PRODUCER), "lot.print_date", "22/01/2028"),
    "address-old-unit": (lambda: (BASE, old_address(bac_kan=False)),
                         "production_sites[0].address.district", "30/06/2027"),
    "gtin-check-digit": (lambda: (edit('gtin: "8936043120011"', 'gtin: "8936043120015"'), FULL_PRODUCER),
                         "packages[0].gtin", "phải là 1"),
    "gtin-prefix": (lambda: (edit('gtin: "8936043120011"', 'gtin: "8930000000019"'), FULL_PRODUCER),
                    "packages[0].gtin", "893604312"),
    "registration-format": (lambda: (BASE, FULL_PRODUCER.replace('code: "4700814362"', 'code: "HKD-2019/45"')),
                            "registration.code", "13M8000412"),
    "gtin-digits": (lambda: (edit('gtin: "8936043120011"', 'gtin: "893604312001A"'), FULL_PRODUCER),
                    "packages[0].gtin", "“893604312001A”"),
    "gtin-length": (lambda: (edit('gtin: "8936043120011"', 'gtin: "893604312001"'), FULL_PRODUCER),
                    "packages[0].gtin", "có 12"),
    "label-no-barcode": (lambda: (edit('    gtin: "8936043120011"\n', ""), FULL_PRODUCER),
                         "packages[0]", "500g"),
    # a logo must be a file directly in the producer's folder, as mark samples are
    "label-logo-unusable": (lambda: (BASE + "design:\n  logo: ../logo.png\n", FULL_PRODUCER),
                            "design.logo", "../logo.png"),
    "gtin-duplicate": (lambda: (edit('gtin: "8936043120028"', 'gtin: "8936043120011"'), FULL_PRODUCER),
                       "packages[1].gtin", "8936043120011"),
    "quantity-format": (lambda: (edit('net_quantity: "500 g"', 'net_quantity: "500g"'), FULL_PRODUCER),
                        "packages[0].net_quantity", "“500g”"),
    "production-site-required": (lambda: (BASE, FULL_PRODUCER.replace(
        "production_sites:\n", "production_sites:\n  - id: xuong-b\n    name: \"Xưởng B\"\n    address:\n"
        "      line: \"thôn B\"\n      commune: \"xã B\"\n      province: \"tỉnh Thái Nguyên\"\n")),
                                 "production_site", "nhiều cơ sở sản xuất"),
    "production-site-unknown": (lambda: (BASE + "production_site: xuong-z\n", FULL_PRODUCER),
                                "production_site", "“xuong-z”"),
    "highlighted-unknown": (lambda: (BASE + "highlighted_ingredients: [đường phèn]\n", FULL_PRODUCER),
                            "highlighted_ingredients[0]", "“đường phèn”"),
    "nutrition-and-exemption": (lambda: (BASE + "nutrition:\n  energy_kcal: 350\n  protein_g: 0.5\n"
                                         "  carbohydrate_g: 86\n  fat_g: 0.1\n  sodium_mg: 10\n", FULL_PRODUCER),
                                "nutrition_exemption", "nutrition_exemption"),
    "gtin-no-prefix": (lambda: (edit('  - sku: 200g\n    gtin: "8936043120028"\n    net_quantity: "200 g"\n'
                                     '    pack_material: "Túi PA/PE"\n    label:\n      width_mm: 100\n'
                                     '      height_mm: 120\n', ""),
                                FULL_PRODUCER.replace('gs1:\n  company_prefix: "893604312"\n', "")),
                       "packages[0].gtin", "gs1.company_prefix"),
    "fs-registration-route": (lambda: (edit("group: thuc_pham", "group: tpbvsk", edit(
        "nutrition_exemption: single_ingredient", "nutrition_exemption: health_supplement")) +
        "health_supplement:\n  unit_name: viên nang\n  uses: Hỗ trợ.\n  target_users: Người lớn.\n"
        "  dosage: 2 viên.\n", FULL_PRODUCER), "group", "Cục An toàn thực phẩm"),
    "spirit-licence-missing": (lambda: (SPIRIT + "spirit:\n  sale: home_market\n  stamp: true\n",
                                        FULL_PRODUCER + 'spirit_licence:\n  number: "01/GP"\n'
                                        "  valid_until: 2026-01-31\n"),
                               "spirit_licence.valid_until", "Giấy phép sản xuất rượu"),
    "spirit-stamp-missing": (lambda: (SPIRIT + "spirit:\n  sale: home_market\n  stamp: false\n",
                                      FULL_PRODUCER + 'spirit_licence:\n  number: "01/GP"\n'),
                             "spirit.stamp", "tem rượu"),
    "fs-field-missing": (lambda: (edit("    receiving_body: Sở Công Thương tỉnh Thái Nguyên\n", ""), FULL_PRODUCER),
                         "food_safety.declaration.receiving_body", "receiving_body"),
    "fs-test-report-old": (lambda: (edit("      date: 2026-03-01", "      date: 2025-04-30"), FULL_PRODUCER),
                           "food_safety.test_reports[0].date", "30/04/2025"),
    "fs-declaration-before-label": (lambda: (edit("    date: 2026-05-01\n", "    date: 2026-04-14\n"), FULL_PRODUCER),
                                    "food_safety.declaration.date", "15/04/2026"),
    "fs-lab-not-accredited": (lambda: (edit("      accreditation: {kind: iso17025, number: VILAS 001}\n", ""),
                                       FULL_PRODUCER), "food_safety.test_reports[0].lab", "Trung tâm Kiểm nghiệm A"),
    "fs-certificate-expired": (lambda: (BASE, _edit("valid_until: 2028-08-31", "valid_until: 2026-11-28",
                                                     FULL_PRODUCER)),
                               "food_safety_certificate.valid_until", "28/11/2026"),
    "fs-certificate-expiring": (lambda: (BASE, _edit("valid_until: 2028-08-31", "valid_until: 2027-02-26",
                                                      FULL_PRODUCER)),
                                "food_safety_certificate.valid_until", "89 ngày"),
    "fs-health-certificate-old": (lambda: (BASE, _edit("health_certificate_date: 2026-03-01",
                                                        "health_certificate_date: 2025-11-28", FULL_PRODUCER)),
                                  "staff[0].health_certificate_date", "Nguyễn Văn A"),
    # a certificate ending within the renewal window: the renewal dossier describes the premises
    "fs-premises-missing": (lambda: (BASE, _edit("  waste: Thu gom hằng ngày.\n", "", _edit(
        "valid_until: 2028-08-31", "valid_until: 2027-01-31", FULL_PRODUCER))),
                            "premises.waste", "premises.waste"),
    "tm-field-missing": (lambda: (marked(tm_edit('  description: "Chữ KHUỔI DONG trên hình tròn đỏ."\n', "")),
                                  FULL_PRODUCER), "trademark.description", "trademark.description"),
    "tm-image-missing": (lambda: (tm_edit('image: "mark.png"', 'image: "khong-co.png"'), FULL_PRODUCER),
                         "trademark.image", "khong-co.png"),
    "tm-image-too-small": (lambda: (marked(size=(600, 400)), FULL_PRODUCER), "trademark.image", "945"),
    "tm-image-ratio": (lambda: (marked(size=(2000, 150)), FULL_PRODUCER), "trademark.image", "còn 6 mm"),
    "tm-colours-greyscale": (lambda: (marked(mode="L", colour=40), FULL_PRODUCER), "trademark.colours", "đỏ"),
    "tm-disclaimed-not-in-mark": (lambda: (marked(tm_edit('disclaimed: ["Miến dong"]',
                                                          'disclaimed: ["Miến dong", "OCOP"]')), FULL_PRODUCER),
                                  "trademark.disclaimed[1]", "OCOP"),
    "tm-class-items-over-6": (lambda: (marked(tm_edit('items: ["Miến", "miến dong"]',
                                                      'items: ["Miến", "miến dong", "miến khô", "miến sợi nhỏ", '
                                                      '"miến sợi to", "miến ăn liền", "miến trộn"]')), FULL_PRODUCER),
                              "trademark.goods[0].items", "150.000"),
    "tm-nice-unlikely-class": (lambda: (marked(tm_edit('items: ["Miến", "miến dong"]',
                                                       'items: ["Miến", "miến dong", "rượu gạo"]')), FULL_PRODUCER),
                               "trademark.goods[0].items[2]", "nhóm 33"),
    "tm-nice-kind-unknown": (lambda: (marked(tm_edit("kind: noodles", "kind: banh-chung")), FULL_PRODUCER),
                             "kind", "banh-chung"),
    "tm-nice-kind-not-covered": (lambda: (marked(tm_edit('    - nice_class: 30\n      items: ["Miến", "miến dong"]',
                                                         '    - nice_class: 35\n      items: ["Mua bán miến"]')),
                                          FULL_PRODUCER), "kind", "Miến dong"),
    "tm-place-name-permission": (lambda: (marked(tm_edit('mark_text: "KHUỔI DONG Miến dong"',
                                                         'mark_text: "KHUỔI DONG Miến dong Na Rì"')), FULL_PRODUCER),
                                 "trademark.mark_text", "Na Rì"),
    "tm-fee-reduction-unconfirmed": (lambda: (marked(), FULL_PRODUCER), "trademark.filing", "Thông tư 64/2025"),
    "tm-priority-late": (lambda: (marked(BASE + TRADEMARK + "  priority:\n    - {basis: paris, number: '4020250001', "
                                         "date: 2025-10-01, country: Lào}\n"), FULL_PRODUCER),
                         "trademark.priority[0].date", "01/04/2026"),
    "ocop-field-missing": (lambda: (ocop_edit("  story: Miến làm từ củ dong riềng trồng trên đồi.\n", ""),
                                     OCOP_PRODUCER), "ocop.story", "ocop.story"),
    "ocop-subgroup-unknown": (lambda: (ocop_edit("subgroup: Thực phẩm chế biến", "subgroup: Bánh kẹo"),
                                       OCOP_PRODUCER), "ocop.category.subgroup", "Bánh kẹo"),
    "ocop-no-sheet": (lambda: (ocop_edit("    date: 2026-09-01\n", "    date: 2022-05-01\n"), OCOP_PRODUCER),
                      "ocop.self_assessment.date", "1048/QĐ-TTg"),
    "ocop-criterion-unknown": (lambda: (ocop_edit("C3.1: 3}", "C3.1: 3, D1: 2}"), OCOP_PRODUCER),
                               "ocop.self_assessment.scores.D1", "“D1”"),
    "ocop-criterion-unscored": (lambda: (ocop_edit(", C3.1: 3}", "}"), OCOP_PRODUCER),
                                "ocop.self_assessment.scores", "C3.1"),
    "ocop-score-over-max": (lambda: (ocop_edit("{A1.1: 4,", "{A1.1: 6,"), OCOP_PRODUCER),
                            "ocop.self_assessment.scores.A1.1", "tối đa 5"),
    "ocop-mandatory-unsupported": (lambda: (ocop_edit("      date: 2026-03-01", "      date: 2025-03-01"), OCOP_PRODUCER),
                                   "ocop.self_assessment.scores.C2.2", "chưa có minh chứng"),
    "ocop-new-idea-on-sale": (lambda: (ocop_edit("  status: existing\n", "  status: new_idea\n"), OCOP_PRODUCER),
                              "ocop.status", "ý tưởng sản phẩm mới"),
    "ocop-group-mismatch": (lambda: (ocop_edit("category: {group: thuc_pham", "category: {group: do_uong"),
                                     OCOP_PRODUCER), "ocop.category.group", "không hợp"),
    "ocop-mandatory-criterion": (lambda: (ocop_edit("{A1.1: 4,", "{A1.1: 0,"), OCOP_PRODUCER),
                                 "ocop.self_assessment.scores", "xếp 2 sao"),
    "ocop-evidence-missing": (lambda: (ocop_edit("    samples: {document: 5 gói mẫu 500 g}\n", ""), OCOP_PRODUCER),
                              "ocop.evidence", "Sản phẩm mẫu"),
    "ocop-evidence-supporting-missing": (lambda: (ocop_edit("    awards: {document: Giấy khen của UBND xã}\n", ""),
                                                  OCOP_PRODUCER), "ocop.evidence", "Giải thưởng"),
    "ocop-evidence-file-missing": (lambda: (ocop_edit("{document: 5 gói mẫu 500 g}",
                                                      "{document: 5 gói mẫu 500 g, file: khong-co.pdf}"), OCOP_PRODUCER),
                                   "ocop.evidence.samples.file", "khong-co.pdf"),
    "ocop-certificate-expired": (lambda: (ocop_edit("issued_on: 2025-01-10", "issued_on: 2023-11-28"), OCOP_PRODUCER),
                                 "ocop.certificate.issued_on", "27/11/2026"),
    "ocop-certificate-expiring": (lambda: (ocop_edit("issued_on: 2025-01-10", "issued_on: 2024-02-05"),
                                           OCOP_PRODUCER), "ocop.certificate.issued_on", "67 ngày"),
    "ocop-plan-below-target": (lambda: (ocop_edit("revenue_target_vnd: 1300000000", "revenue_target_vnd: 1400000000"),
                                        OCOP_PRODUCER), "ocop.business_plan.years[2].revenue_target_vnd",
                               "1.330.000.000"),
    "ocop-plan-loss": (lambda: (ocop_edit("{year: 2025, volume: 10000, price_vnd: 90000",
                                          "{year: 2025, volume: 10000, price_vnd: 60000"), OCOP_PRODUCER),
                       "ocop.business_plan.years[0]", "600.000.000"),
    "tm-owner-not-eligible": (lambda: (marked(tm_edit("  mark_kind: combined\n",
                                                      "  mark_kind: combined\n  mark_type: collective\n")),
                                       _edit("legal_form: hop_tac_xa", "legal_form: doanh_nghiep", FULL_PRODUCER)),
                              "trademark.mark_type", "doanh nghiệp"),
}


def test_a_complete_ocop_dossier_passes_every_rule(cwd: Path) -> None:
    assert problems(cwd, BASE + OCOP, OCOP_PRODUCER, info=True) == []
    # the last day of the certificate's 90-day window warns, the day after does not
    # (the label's badge outlives either certificate: HSD 15/04/2027, label-ocop-badge-outlives)
    def ocop_codes(text: str) -> list[str]:
        return [p.code for p in problems(cwd, text, OCOP_PRODUCER) if p.code != "label-ocop-badge-outlives"]

    expiring = ocop_edit("issued_on: 2025-01-10", "issued_on: 2024-02-28")  # valid to 27/02/2027
    assert ocop_codes(expiring) == ["ocop-certificate-expiring"]
    later = ocop_edit("issued_on: 2025-01-10", "issued_on: 2024-03-01")
    assert ocop_codes(later) == []


def test_food_safety_rules_pass_at_their_limits(cwd: Path) -> None:
    on_the_day = edit("      date: 2026-03-01", "      date: 2025-05-01")  # exactly 12 months before
    assert problems(cwd, on_the_day) == []
    producer = _edit("valid_until: 2028-08-31", "valid_until: 2027-02-27", FULL_PRODUCER)  # 90 days ahead
    assert [p.code for p in problems(cwd, BASE, producer)] == ["fs-certificate-expiring"]
    producer = _edit("valid_until: 2028-08-31", "valid_until: 2027-02-28", FULL_PRODUCER)
    assert problems(cwd, BASE, producer) == []
    exempt = FULL_PRODUCER[:FULL_PRODUCER.index("food_safety_certificate:")] + (
        "management_certificates:\n  - {scheme: HACCP, number: H-1, valid_until: 2028-01-01}\n")
    assert problems(cwd, BASE, exempt) == []  # no certificate, no premises: exempt (Art. 12.1(k))


def expected_location(field: str, product: str, producer: str) -> tuple[str, int]:
    """The file and line a problem at ``field`` must name, found with PyYAML's own composer.

    The field is in the producer file when its first key is one of that file's and not of the
    product's. The line is that of the deepest part of the path the file has: a mapping key's
    line, a list item's first line, the document's first line when nothing of the path is there.
    """
    first = re.split(r"[.\[]", field, maxsplit=1)[0]
    top = {name: {k.value for k, _ in yaml.compose(text).value} for name, text in (("product", product),
                                                                                     ("producer", producer))}
    in_producer = first in top["producer"] and first not in top["product"]
    file, text = ("products/htx-a/producer.yaml", producer) if in_producer else (FILE, product)
    node = yaml.compose(text)
    line, rest = node.start_mark.line + 1, field
    while rest:
        item = re.match(r"\[(\d+)\]", rest)
        if isinstance(node, yaml.SequenceNode) and item and int(item[1]) < len(node.value):
            node = node.value[int(item[1])]
            line, rest = node.start_mark.line + 1, rest[item.end():]
            continue
        if isinstance(node, yaml.MappingNode):
            rest = rest.removeprefix(".")
            match = next(((k, v) for k, v in node.value
                          if rest == k.value or rest.startswith((f"{k.value}.", f"{k.value}["))), None)
            if match is not None:
                key, node = match
                line, rest = key.start_mark.line + 1, rest[len(key.value):]
                continue
        break
    return file, line


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_data_rule_fails_and_is_located(cwd: Path, code: str) -> None:
    make, field, fragment = CASES[code]
    product, producer = make()
    found = [p for p in problems(cwd, product, producer, info=True) if p.code == code]
    assert len(found) == 1, [str(p) for p in problems(cwd, product, producer, info=True)]
    problem = found[0]
    assert problem.field == field
    assert (problem.file, problem.line) == expected_location(field, product, producer)
    assert fragment in problem.message
    rule = catalogue().rule(code, date(2025, 12, 1) if code in ("label-origin-phrase", "label-old-regime")
                            else date(2026, 5, 1))
    assert rule is not None
    assert problem.article == rule.citation and problem.hint and problem.severity == rule.severity


def test_date_format_rule_reads_what_the_label_will_print(cwd: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The label code writes dates itself; this rule guards that code, so break it on purpose.
    assert [p.code for p in problems(cwd)] == []
    monkeypatch.setattr("ocopdocs.rules.label.date_line", lambda product: ["NSX: 2026-04-15", "HSD: 15/4/27"])
    found = [p for p in problems(cwd) if p.code == "label-date-format"]
    assert [p.message for p in found] == [
        "Mốc thời gian “NSX: 2026-04-15” không đúng cách ghi ngày/tháng/năm của Phụ lục III.",
        "Mốc thời gian “HSD: 15/4/27” không đúng cách ghi ngày/tháng/năm của Phụ lục III."]


def test_grace_periods_end_in_errors(cwd: Path) -> None:
    def regime(found: list[Problem]) -> list[Problem]:
        return [p for p in found if p.code.startswith(("label-old-regime", "address-old-unit"))]

    old = printed_on("2025-12-01")
    [during] = regime(problems(cwd, old, as_of=date(2028, 1, 22)))
    [after] = regime(problems(cwd, old, as_of=date(2028, 1, 23)))
    assert (during.code, during.severity) == ("label-old-regime", "warning")
    assert (after.code, after.severity) == ("label-old-regime-expired", "error")
    assert "22/01/2028" in after.message and after.hint
    producer = old_address(bac_kan=False)
    [during] = regime(problems(cwd, BASE, producer, as_of=date(2027, 6, 30)))
    [after] = regime(problems(cwd, BASE, producer, as_of=date(2027, 7, 1)))
    assert (during.code, during.severity) == ("address-old-unit", "warning")
    assert (after.code, after.severity, after.field) == (
        "address-old-unit-expired", "error", "production_sites[0].address.district")


def test_registered_checks_are_the_catalogue_and_its_messages() -> None:
    from ocopdocs.messages import EN, VI
    from ocopdocs.rules import registry

    registered = registry(pdf=True)
    catalogued = set(catalogue().codes())
    assert set(registered) == catalogued
    assert {k.removeprefix("hint-") for k in VI if k.startswith("hint-")} == catalogued
    assert [c for c in catalogued if c not in VI or c not in EN or f"hint-{c}" not in EN] == []
    # each code's check reads what its catalogue entries say it reads
    targets = {r.code: r.target for r in catalogue().rules}
    assert {c for c, check in registered.items() if check.scope == "pdf"} == {
        c for c, target in targets.items() if target == "pdf"}


def test_every_entry_of_a_code_is_judged_on_the_same_date() -> None:
    dates: dict[str, set[str]] = {}
    for rule in catalogue().rules:
        dates.setdefault(rule.code, set()).add(rule.judged_on)
    assert {code for code, judged in dates.items() if len(judged) > 1} == set()
    label_rules = {code for code in dates if code.startswith(("label-", "address-", "pdf-"))}
    assert {code for code in label_rules if dates[code] != {"print_date"}} == set()


def test_every_catalogued_data_rule_has_a_case() -> None:
    # fs-attachment-missing is found when rendering (a label that failed): test_food_safety.py
    assert set(catalogue().codes("data")) == {*CASES, "label-date-format", "label-old-regime-expired",
                                              "address-old-unit-expired", "fs-attachment-missing"}


def asserted_findings(path: Path) -> dict[str, set[str]]:
    """For each test function of ``path``: the codes it asserts a finding of.

    That is ``only(findings, "<code>")`` (exactly one finding of the code) or
    ``codes(findings) == ["<code>", ...]``; a code named anywhere else (a comment, a docstring, a
    ``not in`` check) does not count.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for function in tree.body:
        if not (isinstance(function, ast.FunctionDef) and function.name.startswith("test_")):
            continue
        codes: set[str] = set()
        for node in ast.walk(function):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "only"
                    and len(node.args) == 2 and isinstance(node.args[1], ast.Constant)):
                codes.add(str(node.args[1].value))
            elif (isinstance(node, ast.Compare) and isinstance(node.left, ast.Call)
                  and isinstance(node.left.func, ast.Name) and node.left.func.id == "codes"
                  and isinstance(node.ops[0], ast.Eq) and isinstance(node.comparators[0], ast.List)):
                codes.update(str(e.value) for e in node.comparators[0].elts if isinstance(e, ast.Constant))
        found[function.name] = codes
    return found


def test_every_catalogued_pdf_rule_has_a_failing_case() -> None:
    asserted = asserted_findings(Path(__file__).parent / "test_pdf_rules.py")
    covered = set().union(*asserted.values())
    assert [code for code in catalogue().codes("pdf") if code not in covered] == []
    assert covered <= set(catalogue().codes("pdf"))  # no test asserts a code the catalogue lacks


def test_rules_follow_the_print_date(cwd: Path) -> None:
    text = edit('storage: "Nơi khô ráo."\n', "")
    [new] = [p for p in problems(cwd, printed_on(NEW, text)) if p.code == "label-mandatory-item"]
    [old] = [p for p in problems(cwd, printed_on("2025-12-01", text)) if p.code == "label-mandatory-item"]
    assert new.article == "NĐ 37/2026/NĐ-CP, Điều 42; Phụ lục I"
    assert old.article is not None and old.article.startswith("NĐ 43/2017/NĐ-CP")


def test_a_rule_of_one_era_only_is_silent_in_the_other(cwd: Path) -> None:
    made_in = BASE + "origin:\n  phrase: Made in\n"
    assert [p.code for p in problems(cwd, printed_on(NEW, made_in))] == []
    assert "label-origin-phrase" in [p.code for p in problems(cwd, printed_on("2025-12-01", made_in))]


def test_mandatory_items_by_group(cwd: Path) -> None:
    ruou = edit("group: thuc_pham", "group: ruou", edit("nutrition_exemption: single_ingredient",
                                                         "nutrition_exemption: alcoholic_drink"))
    spirit = "spirit:\n  sale: reprocessing\n"  # no licence, no stamp: tested with their own rules
    assert [p.field for p in problems(cwd, ruou + spirit)] == ["ethanol_percent"]
    assert problems(cwd, ruou + spirit + "ethanol_percent: 29.5\n") == []
    supplement = edit("group: thuc_pham", "group: tpbvsk", edit("nutrition_exemption: single_ingredient",
                                                                 "nutrition_exemption: health_supplement"))
    # (the registration dossier's own blanks are gaps of their own rule, fs-field-missing)
    assert [p.field for p in problems(cwd, supplement) if p.code != "fs-field-missing"] == ["health_supplement"]
    supplement += ("health_supplement:\n  unit_name: viên nang\n  uses: Hỗ trợ.\n  target_users: Người lớn.\n"
                   "  dosage: 2 viên mỗi ngày.\n")
    assert [p for p in problems(cwd, supplement) if p.code != "fs-field-missing"] == []


def test_app_i_items_without_if_any_are_demanded(cwd: Path) -> None:
    # NĐ 37/2026 App. I: row 2 (Thực phẩm) and row 6 (Đồ uống) list "Thông tin cảnh báo" without
    # "(nếu có)", and rows 3 and 6 list "hướng dẫn bảo quản"; row 1 (Lương thực) has warnings "(nếu có)"
    no_warning = edit(WARNING, "")
    [food] = problems(cwd, no_warning)
    assert (food.code, food.field) == ("label-mandatory-item", "warnings")
    assert "cảnh báo" in food.message
    drink = edit("group: thuc_pham", "group: do_uong", edit('storage: "Nơi khô ráo."\n', "", no_warning))
    assert sorted(p.field for p in problems(cwd, drink)) == ["storage", "warnings"]
    staple = edit("group: thuc_pham", "group: luong_thuc", no_warning)
    assert problems(cwd, staple) == []
    supplement = edit("group: thuc_pham", "group: tpbvsk", edit(
        "nutrition_exemption: single_ingredient", "nutrition_exemption: health_supplement",
        edit('storage: "Nơi khô ráo."\n', ""))) + (
        "health_supplement:\n  unit_name: viên nang\n  uses: Hỗ trợ.\n  target_users: Người lớn.\n"
        "  dosage: 2 viên mỗi ngày.\n")
    # (its registration dossier's own blanks are gaps of another rule)
    assert [p.field for p in problems(cwd, supplement) if p.code == "label-mandatory-item"] == ["storage"]


MIXED = edit("nutrition_exemption: single_ingredient", "nutrition_exemption: small_business")
"""BASE exempt from the nutrition panel on a ground that allows more than one ingredient."""


def test_an_ingredient_named_by_its_head_word_needs_its_share(cwd: Path) -> None:
    # "Rượu ngô men lá": "ngô hạt" is named by its head word "ngô", "men lá" by its full name
    spirit = edit('vi: "Miến dong"', 'vi: "Rượu ngô men lá"', edit(
        '  - name: "tinh bột dong riềng"\n    percent: 100\n',
        '  - name: "ngô hạt"\n  - name: "men lá"\n    percent: 3\n', MIXED))
    found = [p for p in problems(cwd, spirit) if p.code == "label-name-ingredient-percent"]
    assert [(p.field, "ngô hạt" in p.message) for p in found] == [("ingredients[0]", True)]
    both = edit('  - name: "ngô hạt"\n', '  - name: "ngô hạt"\n    percent: 97\n', spirit)
    assert [p.code for p in problems(cwd, both)] == []


def test_ingredient_shares_follow_their_order(cwd: Path) -> None:
    # descending by amount (NĐ 37/2026 Art. 48.3.a): "ngô hạt 97 %; men lá 3 %" passes, the reverse
    # does not; an ingredient without a share is not compared, an excipient neither
    good = edit("    percent: 100\n", "    percent: 97\n  - name: men lá\n    percent: 3\n", MIXED)
    assert problems(cwd, good) == []
    gap = edit("    percent: 100\n", "    percent: 60\n  - name: muối\n  - name: nước\n    percent: 40\n", MIXED)
    assert problems(cwd, gap) == []
    bad = edit("    percent: 100\n", "    percent: 3\n  - name: men lá\n    percent: 97\n", MIXED)
    [found] = problems(cwd, bad)
    assert (found.code, found.field) == ("label-ingredient-order", "ingredients[1]")
    assert "men lá" in found.message and "tinh bột dong riềng" in found.message


def test_ocop_badge_and_expiry_date(cwd: Path) -> None:
    # made 15/04/2026, 12 months: HSD 15/04/2027; the badge is printed while the certificate holds
    def ocop(issued: str) -> str:
        return (BASE + "ocop:\n certificate:\n  stars: 4\n  certificate_no: 1/QĐ\n"
                f"  issued_by: UBND tỉnh Thái Nguyên\n  issued_on: {issued}\n")

    def codes(issued: str) -> list[str]:
        return [p.code for p in problems(cwd, ocop(issued), as_of=date(2026, 5, 1)) if p.code.startswith("label-")]

    assert codes("2024-04-16") == []  # valid to 15/04/2027, the HSD itself
    [outlives] = [p for p in problems(cwd, ocop("2024-04-15"), as_of=date(2026, 5, 1))
                  if p.code == "label-ocop-badge-outlives"]
    assert outlives.severity == "warning" and "15/04/2027" in outlives.message
    assert codes("2023-01-10") == ["label-ocop-certificate"]  # no badge printed: nothing outlives


def test_nutrition_is_demanded_for_products_made_from_2026(cwd: Path) -> None:
    text = edit("nutrition_exemption: single_ingredient\n", "")
    before = edit("production_date: 2026-04-15", "production_date: 2025-12-31", text)
    assert problems(cwd, before) == [p for p in problems(cwd, before) if p.code == "label-old-regime"]
    [after] = problems(cwd, text)
    assert (after.code, after.field) == ("label-mandatory-item", "nutrition")
    assert str(after).startswith(f"{FILE}:1: nutrition: Nhãn thuộc nhóm “Thực phẩm” phải có thông tin dinh dưỡng "
                                 "(mục nutrition) hoặc lý do được miễn (nutrition_exemption: single_ingredient")


def test_old_address_is_reported_once_for_all_the_producers_products(cwd: Path) -> None:
    products = write_tree(cwd / "products", {"htx-a/producer.yaml": old_address(bac_kan=True), "htx-a/mien.yaml": BASE,
                                             "htx-a/mien-2.yaml": edit('"8936043120011"', '"8936043120035"',
                                                                       edit('"8936043120028"', '"8936043120042"'))})
    found = [p for p in pipeline.check(products, AS_OF).problems if p.code == "address-old-unit"]
    assert sorted(p.field for p in found) == ["production_sites[0].address.district",
                                              "production_sites[0].address.province"]
    assert all(p.file == "products/htx-a/producer.yaml" for p in found)


RULE_LINE = re.compile(r"(\S+) +(LỖI|CÒN THIẾU|CẢNH BÁO|THÔNG TIN) +(data|pdf) +(\d{4}-\d\d-\d\d) – (\S+) +(.+) "
                       r"\[(sure|likely|unsure)\]")
SEVERITY_WORDS = {"error": "LỖI", "gap": "CÒN THIẾU", "warning": "CẢNH BÁO", "info": "THÔNG TIN"}


def listed_rules(*argv: str) -> list[tuple[str, ...]]:
    """The ``rules`` command's output as (code, severity, target, from, until, citation, confidence)."""
    out = io.StringIO()
    assert main(["rules", *argv], stdout=out) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) % 2 == 0
    entries, hints = lines[0::2], lines[1::2]
    assert all(re.fullmatch(r" +→ \S.*", hint) for hint in hints), hints
    matches = [RULE_LINE.fullmatch(line) for line in entries]
    assert all(matches), [line for line, m in zip(entries, matches, strict=True) if not m]
    return [m.groups() for m in matches if m]


def test_rules_command_lists_the_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCOPDOCS_LANG", raising=False)
    expected = [(r.code, SEVERITY_WORDS[r.severity], r.target, r.applies_from.isoformat(),
                 r.applies_until.isoformat() if r.applies_until else "…", r.citation, r.confidence)
                for r in catalogue().rules]
    assert listed_rules() == expected
    assert ("pdf-name-largest", "LỖI", "pdf", "2026-01-23", "…", "NĐ 37/2026/NĐ-CP, Điều 43.1", "sure") in expected
    before = {entry[0] for entry in listed_rules("--on", "2025-06-01")}
    after = {entry[0] for entry in listed_rules("--on", "2026-06-01")}
    assert "label-origin-phrase" in before - after and "pdf-min-char-height" in after - before
    in_force = [e for e in expected if e[3] <= "2025-06-01" <= (e[4] if e[4] != "…" else "9999-12-31")]
    assert listed_rules("--on", "2025-06-01") == in_force


def test_check_prints_article_and_hint_and_strict_fails_on_warnings(cwd: Path) -> None:
    write_tree(cwd / "products", {"htx-a/producer.yaml": FULL_PRODUCER,
                                  "htx-a/mien.yaml": edit('net_quantity: "500 g"', 'net_quantity: "1000 g"')})
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", "--as-of", "2026-11-29"], stdout=out, stderr=err) == 0
    assert re.search(r"\[label-quantity-unit, CẢNH BÁO; TT 21/2014/TT-BKHCN, .*\]\n\s+→ ", err.getvalue())
    assert main(["check", "--strict", "--as-of", "2026-11-29"], stdout=io.StringIO(), stderr=io.StringIO()) == 1
