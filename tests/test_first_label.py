"""A first-time user's journey, scripted with flags: new producer, new product, fill, build.

Also: a label without a GTIN is built without a barcode; the preview of what ``check`` lists on
a fresh scaffold (exactly the values to fill, nothing else).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from ocopdocs.cli import main

from .conftest import decode_symbols, page_size_mm, pdf_text

# What a bookkeeper writes in place of each "[ĐIỀN] …" (by the key on the marker's line).
FILLS = {
    "name": "măng tre",
    "percent": "100",
    "nutrition": "\n  energy_kcal: 35\n  protein_g: 2.6\n  carbohydrate_g: 5.7\n  fat_g: 0.3\n  sodium_mg: 12",
    "months": "12",
    "storage": "Nơi khô ráo, thoáng mát.",
    "usage": "Ngâm nước ấm 2 giờ, luộc kỹ trước khi chế biến.",
    "warnings": '["Không dùng khi sản phẩm có mùi lạ hoặc bị mốc."]',
    "applied_standard": "TCCS 01:2026/NM",
    "pack_material": "Túi PA/PE",
    "code": "L261001A",
    "production_date": "01/10/2026",
    "date": "01/10/2026",
    "place": "Thái Nguyên",
    "receiving_body": "Sở Công Thương tỉnh Thái Nguyên",
    "where": "Trụ sở hợp tác xã",
    "test_reports": ("\n    - lab: Trung tâm Kiểm nghiệm Thực phẩm Việt Bắc\n      accreditation: {kind: iso17025, number: VILAS 1962}"
                     "\n      report_no: KN-2609-01\n      date: 20/09/2026"
                     "\n      criteria:\n        - {name: Chì (Pb), unit: mg/kg, limit: '≤ 0,2', result: '0,02'}"),
    "number": "12/2025/GCNATTP-SCT",
    "issued_by": "Sở Công Thương tỉnh Thái Nguyên",
    "issued_on": "01/06/2025",
    "valid_until": "01/06/2028",
    "total_area_m2": "300",
    "production_area_m2": "120",
    "layout": "Tiếp nhận → sơ chế → sấy → đóng gói → kho.",
    "construction": "Tường ốp gạch men, nền bê tông.",
    "water_source": "Nước giếng khoan đã lọc, kiểm nghiệm 6 tháng một lần.",
    "waste": "Thu gom trong ngày.",
    "health_certificate_date": "10/03/2026",
    "training_date": "15/04/2026",
}
SITE_NAME = "Xưởng chế biến Nam Mẫu"
EQUIPMENT = "Máy sấy"


def fill(path: Path) -> int:
    """Replace every marked value the way a user would, key by key; returns how many."""
    lines, count = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\s*(?:- )?)([a-z_0-9]+): '\[ĐIỀN\].*'$", line)
        if match:
            key = match[2]
            value = FILLS[key]
            if key == "name":
                value = {"production_sites": SITE_NAME}.get("", value)
            lines.append(f"{match[1]}{key}: {value}")
            count += 1
            continue
        lines.append(line)
    text = "\n".join(lines) + "\n"
    text = text.replace(f"  - name: {FILLS['name']}\n    quantity: 1", f"  - name: {EQUIPMENT}\n    quantity: 1")
    text = re.sub(r"(production_sites:\n(?:\s*#.*\n)*\s*- id: xuong-chinh\n(?:\s*#.*\n)*\s*name: )măng tre", rf"\g<1>{SITE_NAME}",
                  text)
    path.write_text(text, encoding="utf-8")
    return count


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCOPDOCS_LANG", raising=False)


def test_first_label_from_new_producer_and_product(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run("new", "producer", "--name", "Hợp tác xã Nông sản Nam Mẫu", "--folder", "htx-nam-mau",
                         "--registration", "13M8000412", "--village", "thôn Nam Mẫu", "--commune", "xã Ba Bể",
                         "--province", "tỉnh Thái Nguyên", "--representative", "Hoàng Thị Hoa",
                         "--phone", "0209 3800 123", "--gs1-prefix", "893604399")
    assert (code, err) == (0, ""), err
    producer = tmp_path / "products" / "htx-nam-mau" / "producer.yaml"
    assert producer.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../.schema/producer.schema.json\n")
    assert (tmp_path / "products" / ".schema" / "product.schema.json").is_file()
    code, _out, err = run("new", "product", "--producer", "htx-nam-mau", "--name", "Măng khô Ba Bể",
                         "--size", "200 g", "--size", "500 g", "--gtin", "8936043990010", "--gtin", "8936043990027")
    assert (code, err) == (0, ""), err
    product = producer.with_name("mang-kho-ba-be.yaml")
    # a new file is never written over
    assert run("new", "product", "--producer", "htx-nam-mau", "--name", "Măng khô Ba Bể")[0] == 1

    # check lists exactly the values to fill, and nothing else
    marked = sum(text.count("'[ĐIỀN]") for text in (producer.read_text(encoding="utf-8"),
                                                    product.read_text(encoding="utf-8")))
    code, _out, err = run("check", "--products", "products", "--as-of", "15/10/2026")
    assert code == 1
    listed = [line for line in err.splitlines() if line.startswith("  products/")]
    assert len(listed) == marked >= 20
    assert all("[value-to-fill, LỖI]" in line for line in listed), listed

    # fill them as a user would: one round of check, then the build
    assert fill(producer) + fill(product) == marked
    code, _out, err = run("check", "--products", "products", "--as-of", "15/10/2026")
    assert (code, err.strip()) == (0, "Có thêm 0 ghi chú (mức THÔNG TIN, ví dụ minh chứng OCOP chưa có); thêm --verbose "
                                      "để xem, hoặc mở báo cáo tình trạng hồ sơ.") or (code, err) == (0, ""), err
    code, _out, err = run("build", "--products", "products", "--output", "output", "--as-of", "15/10/2026",
                         "--jobs", "1")
    assert code == 0, err
    label = tmp_path / "output" / "htx-nam-mau" / "mang-kho-ba-be" / "label-200g.pdf"
    text = pdf_text(label)
    assert "Măng khô Ba Bể" in text and "Hợp tác xã Nông sản Nam Mẫu" in text and "Số lô: L261001A" in text
    assert [round(v) for v in page_size_mm(label)] == [100, 120]
    assert ("EAN13", "8936043990010") in decode_symbols(label)
    assert (tmp_path / "output" / "htx-nam-mau" / "mang-kho-ba-be" / "food-safety-declaration.pdf").is_file()


def test_a_label_without_gtin_is_built_without_a_barcode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("new", "producer", "--name", "Hộ kinh doanh Lò Văn Sáng", "--folder", "hkd-lo-van-sang",
               "--legal-form", "ho_kinh_doanh", "--registration", "13M8000412", "--village", "bản Pác Ngòi",
               "--commune", "xã Ba Bể", "--province", "tỉnh Thái Nguyên", "--representative", "Lò Văn Sáng",
               "--phone", "0912 000 111")[0] == 0
    assert run("new", "product", "--name", "Chè shan tuyết", "--size", "100 g", "--kind", "tea")[0] == 0
    folder = tmp_path / "products" / "hkd-lo-van-sang"
    fill(folder / "producer.yaml")
    fill(folder / "che-shan-tuyet.yaml")
    code, _out, err = run("build", "--products", "products", "--output", "output", "--as-of", "15/10/2026",
                         "--jobs", "1", "--only", "label", "--verbose")
    assert code == 0, err
    assert "label-no-barcode" in err  # the note: retailers want GS1 codes, and how to get them
    label = tmp_path / "output" / "hkd-lo-van-sang" / "che-shan-tuyet" / "label-100g.pdf"
    assert "Chè shan tuyết" in pdf_text(label)
    assert decode_symbols(label) == []


def test_an_unknown_kind_lists_the_known_kinds_with_their_meanings(tmp_path: Path) -> None:
    from ocopdocs import pipeline

    from .conftest import copy_sample

    products = copy_sample(tmp_path, "htx-lua-gao-na-tong")
    path = products / "htx-lua-gao-na-tong" / "gao-bao-thai.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: rice", "kind: tea"), encoding="utf-8")
    found = [p for p in pipeline.check(products).problems if p.code == "tm-nice-kind-unknown"]
    assert [p.severity for p in found] == ["warning"]  # a warning, never a refusal
    assert "noodles (miến, bún, phở khô)" in found[0].message
    assert "rice-spirit (rượu gạo, rượu men lá)" in found[0].message
