"""Routes and procedures that fit the producer (issue 12, item 7) and the samples (item 9).

Findings 12–16 of issue 12: the registration-route dossier of a health supplement, the commune
commitment and household wording of a household business, the spirit licence and stamp,
management certificates classified by what they are, and sample data that made a document
wrong rather than gapped.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ocopdocs import pipeline
from ocopdocs.domain.food_safety import certificate_route, exempting_certificate, management_kind
from ocopdocs.domain.ocop import evidence
from ocopdocs.schema import ManagementCertificate

from .conftest import PRODUCTS, SampleBuild, copy_sample, pdf_text

AS_OF = date(2026, 11, 29)
HOUSEHOLD = "hkd-ruou-ngo-ban-chang"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def gaps(result: pipeline.BuildResult, code: str | None = None) -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in result.problems
            if p.severity == "gap" and (code is None or p.code == code)]


# --- finding 13: the registration route -----------------------------------------------------

def test_a_supplement_gets_its_registration_dossier_with_the_labels(sample_build: SampleBuild) -> None:
    path = sample_build.output / "cty-pac-nghe/curcumin/food-safety-registration.pdf"
    assert path.is_file()
    flat = squash(pdf_text(path))
    for text in ["BẢN CÔNG BỐ SẢN PHẨM", "Số: 03/PN/2026", "I. Thông tin về tổ chức, cá nhân công bố sản phẩm",
                 "Thực hành sản xuất tốt (GMP): 58/2025/ATTP-CNGMP", "Mã số doanh nghiệp: 4700592817",
                 "3. Chỉ tiêu chất lượng chủ yếu tạo nên công dụng của sản phẩm", "Curcumin: 150 mg/viên",
                 "III. Mẫu nhãn sản phẩm", "Hồ sơ kèm theo", "Phiếu số 2606/0731/KN-ĐB ngày 18/06/2026",
                 "Bằng chứng khoa học chứng minh công dụng", "Dược điển Việt Nam V",
                 "Cục An toàn thực phẩm, Bộ Y tế", "(Ký, ghi rõ họ tên và đóng dấu)"]:
        assert squash(text) in flat, text
    assert "còn thiếu" not in flat
    # the labels are embedded (their texts are on the dossier's pages)
    assert squash("Thực phẩm này không phải là thuốc") in flat
    # and the GMP maker files no generic establishment dossier
    assert not list((sample_build.output / "cty-pac-nghe").glob("food-safety-certificate-application.pdf"))


def test_a_registration_dossier_without_its_papers_is_a_gap(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, "cty-pac-nghe", ["curcumin"])
    path = products / "cty-pac-nghe" / "curcumin.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  efficacy_evidence:")
    end = text.index("  safety_standards:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    edit(path, "      date: 2026-06-18\n", "      date: 2025-06-18\n")  # over 12 months old
    result = pipeline.check(products, AS_OF)
    found = gaps(result)
    assert ("fs-field-missing", "food_safety.efficacy_evidence") in found
    assert ("fs-field-missing", "food_safety.test_reports") in found
    assert ("fs-test-report-old", "food_safety.test_reports[0].date") in found
    plan = next(p for p in result.plans if p.kind == "food-safety-registration")
    assert plan.draft


def test_a_supplement_maker_without_gmp_gets_a_gap_not_a_generic_application(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, "cty-pac-nghe", ["curcumin"])
    edit(products / "cty-pac-nghe" / "producer.yaml", "  valid_until: 2028-03-18\n", "  valid_until: 2026-03-18\n")
    result = pipeline.check(products, AS_OF)
    assert ("fs-field-missing", "food_safety_certificate.number") in gaps(result)
    assert {p.kind for p in result.plans} >= {"food-safety-registration"}
    assert "food-safety-certificate" not in {p.kind for p in result.plans}


# --- finding 14: no re-issue for a certificate valid beyond the renewal window --------------

def test_a_certificate_valid_to_2028_files_nothing(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, "htx-khuoi-ma")
    result = pipeline.check(products, AS_OF)
    assert "food-safety-certificate" not in {p.kind for p in result.plans}


# --- finding 12: the household business ------------------------------------------------------

def test_a_household_signs_the_commune_commitment(sample_build: SampleBuild) -> None:
    folder = sample_build.output / HOUSEHOLD
    assert {p.name for p in folder.glob("food-safety-*.pdf")} == {"food-safety-commitment.pdf"}
    text = pdf_text(folder / "food-safety-commitment.pdf")
    flat = squash(text)
    for wanted in ["BẢN CAM KẾT", "Kính gửi: Ủy ban nhân dân xã Thượng Quan",
                   "Mã số đăng ký hộ kinh doanh: 19H8001273", "Chủ hộ kinh doanh: Hoàng Văn Sinh",
                   "Nghị định 15/2018/NĐ-CP", "(Ký, ghi rõ họ tên)"]:
        assert squash(wanted) in flat, wanted
    assert "còn thiếu" not in text and "đóng dấu" not in text


def test_household_documents_use_household_wording(sample_build: SampleBuild) -> None:
    for path in (sample_build.output / HOUSEHOLD).rglob("*.pdf"):
        if path.name.startswith("label-"):
            continue
        text = pdf_text(path)
        assert "doanh nghiệp" not in text.lower().replace("hộ kinh doanh", ""), path
        assert "hợp tác xã" not in text.lower(), path
        assert "đóng dấu" not in text, path
        assert "[còn thiếu" not in text, path
    declaration = pdf_text(sample_build.output / HOUSEHOLD / "ruou-ngo-men-la/food-safety-declaration.pdf")
    assert squash("Mã số đăng ký hộ kinh doanh: 19H8001273") in squash(declaration)


def test_the_household_is_ready(sample_build: SampleBuild) -> None:
    assert (sample_build.output / HOUSEHOLD).is_dir()
    mine = [p for p in sample_build.result.problems
            if HOUSEHOLD in p.file and p.severity in ("error", "gap", "warning")]
    assert mine == []


def test_a_household_in_another_sector_gets_an_exemption_note_with_its_basis(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, HOUSEHOLD)
    edit(products / HOUSEHOLD / "ruou-ngo-men-la.yaml", "  ministry: MOIT\n", "  ministry: MAE\n")
    result = pipeline.check(products, AS_OF)
    producer = result.project.products[0].producer.model
    assert producer is not None
    plans = [p for p in result.plans if p.kind == "food-safety-certificate"]
    assert [p.path for p in plans] == [f"{HOUSEHOLD}/food-safety-exemption-note.pdf"]
    assert gaps(result) == []  # the basis is known: no "[còn thiếu: căn cứ]" blank


# --- finding 15: spirits ----------------------------------------------------------------------

def test_a_spirit_without_licence_or_stamp_is_a_gap(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, HOUSEHOLD)
    producer = products / HOUSEHOLD / "producer.yaml"
    text = producer.read_text(encoding="utf-8")
    producer.write_text(text[:text.index("spirit_licence:")] + text[text.index("staff:"):], encoding="utf-8")
    edit(products / HOUSEHOLD / "ruou-ngo-men-la.yaml", "  stamp: true\n", "  stamp: false\n")
    result = pipeline.check(products, AS_OF)
    assert sorted(gaps(result)) == [("spirit-licence-missing", "spirit_licence"),
                                    ("spirit-stamp-missing", "spirit.stamp")]
    declaration = next(p for p in result.plans if p.kind == "food-safety-declaration")
    assert declaration.draft


def test_a_spirit_sold_for_reprocessing_needs_neither(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, HOUSEHOLD)
    producer = products / HOUSEHOLD / "producer.yaml"
    text = producer.read_text(encoding="utf-8")
    producer.write_text(text[:text.index("spirit_licence:")] + text[text.index("staff:"):], encoding="utf-8")
    edit(products / HOUSEHOLD / "ruou-ngo-men-la.yaml", "  sale: home_market\n  stamp: true\n",
         "  sale: reprocessing\n")
    result = pipeline.check(products, AS_OF)
    assert [p for p in result.problems if p.code.startswith("spirit-")] == []


def test_the_spirit_declarations_print_the_licence_and_the_stamp(sample_build: SampleBuild) -> None:
    for path, licence in (("htx-lung-vai/ruou-men-la", "02/GP-KTHT"),
                          (f"{HOUSEHOLD}/ruou-ngo-men-la", "01/2025/GP-UBND")):
        flat = squash(pdf_text(sample_build.output / path / "food-safety-declaration.pdf"))
        assert squash(f"Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh: số {licence}") in flat
        assert squash("mỗi chai được dán tem rượu") in flat


# --- finding 16 (VietGAP): certificates classified by what they are ---------------------------

def test_vietgap_is_a_good_practice_not_a_management_system() -> None:
    assert management_kind("VietGAP") == "good_practice"
    assert management_kind("VietGAP trồng trọt") == "good_practice"
    assert management_kind("HACCP") == "food_safety_system"
    assert management_kind("ISO 22000:2018") == "food_safety_system"
    assert management_kind("ISO 9001:2015") == "quality_system"
    assert management_kind("Hữu cơ TCVN 11041") == "organic"


def test_vietgap_neither_exempts_nor_counts_as_a_quality_system(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, "htx-lua-gao-na-tong")
    producer = products / "htx-lua-gao-na-tong" / "producer.yaml"
    text = producer.read_text(encoding="utf-8")
    vietgap = ("management_certificates:\n  - scheme: \"VietGAP\"\n    number: \"VietGAP-TT-26-01-19-0042\"\n"
               "    valid_until: 2028-06-30\n")
    if "management_certificates:" in text:
        text = text.replace("management_certificates:\n", vietgap, 1)
    else:
        text += vietgap
    producer.write_text(text, encoding="utf-8")
    result = pipeline.check(products, AS_OF)
    entry = result.project.products[0]
    model = entry.producer.model
    assert model is not None
    assert exempting_certificate(model, AS_OF) is None
    assert certificate_route(model, [e.model for e in result.project.products if e.model], AS_OF) == "apply"
    item = next(i for i in evidence(entry, AS_OF) if i.id == "quality_management")
    assert item.status == "missing"
    assert ManagementCertificate(scheme="HACCP", number="1").scheme == "HACCP"


# --- item 9: samples ------------------------------------------------------------------------

def test_samples_cover_a_household_and_a_gmp_supplement_maker() -> None:
    result = pipeline.check(PRODUCTS, AS_OF)
    forms = {e.producer.slug: e.producer.model.legal_form for e in result.project.products if e.producer.model}
    assert forms[HOUSEHOLD] == "ho_kinh_doanh"
    assert "food-safety-registration" in {p.kind for p in result.plans if p.producer == "cty-pac-nghe"}


def test_every_sample_names_its_schema_first() -> None:
    for path in sorted(PRODUCTS.glob("*/*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        kind = "producer" if path.name == "producer.yaml" else "product"
        assert first == f"# yaml-language-server: $schema=../.schema/{kind}.schema.json", path


def test_sample_texts_say_what_things_are() -> None:
    texts = {p: p.read_text(encoding="utf-8") for p in PRODUCTS.glob("*/*.yaml")}
    for path, text in texts.items():
        for line in text.splitlines():
            if "meaning:" in line and "tên thôn" in line:
                assert "từ tự đặt" not in line, path  # a village name is not an invented word
        assert "Arrowroot" not in text, path  # dong riềng is Canna edulis: canna starch
    additive = (PRODUCTS / "cty-pac-nghe" / "mau-curcumin.yaml").read_text(encoding="utf-8")
    assert 'subgroup: "Gia vị"' not in additive  # a food colour is not a spice
    producer = (PRODUCTS / "htx-khuoi-ma" / "producer.yaml").read_text(encoding="utf-8")
    assert "kẹo gừng" not in producer  # the cooperative makes no ginger sweets


def test_the_sample_trademark_lists_at_most_six_items_a_class() -> None:
    result = pipeline.check(PRODUCTS, AS_OF)
    assert [p for p in result.problems if p.code == "tm-class-items-over-6"] == []
