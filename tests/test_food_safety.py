"""Food-safety dossiers read back from their PDFs: every field of Form 01, the real labels in
section III, the certificate application or exemption note, A4 layout and page numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ocopdocs import pipeline
from ocopdocs.domain.food_safety import is_exempt, route
from ocopdocs.formatting import vn_date

from .conftest import PRODUCTS, SampleBuild, decode_symbols, fonts_embedded, page_size_mm, pdf_text

ENTRIES = pipeline.check(PRODUCTS).buildable()
DECLARED = [e for e in ENTRIES if route(e.model) == "self_declaration"]  # type: ignore[arg-type]
SUPPLEMENTS = [e for e in ENTRIES if e.model.group == "tpbvsk"]  # type: ignore[union-attr]
PRODUCERS = sorted({e.producer.slug: e.producer for e in ENTRIES}.values(), key=lambda p: p.slug)


REGISTRATION_LABEL = {"hop_tac_xa": "Mã số hợp tác xã", "doanh_nghiep": "Mã số doanh nghiệp",
                      "ho_kinh_doanh": "Mã số đăng ký hộ kinh doanh"}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def test_samples_cover_both_routes_and_an_exempt_producer() -> None:
    assert len(DECLARED) >= 7 and SUPPLEMENTS
    from datetime import date
    assert any(is_exempt(p.model, date(2026, 11, 29)) for p in PRODUCERS)  # type: ignore[arg-type]
    assert any(not is_exempt(p.model, date(2026, 11, 29)) for p in PRODUCERS)  # type: ignore[arg-type]


@pytest.mark.parametrize("entry", DECLARED, ids=[e.id for e in DECLARED])
def test_declaration_has_every_field_of_form_01(sample_build: SampleBuild, entry: object) -> None:
    product, producer = entry.model, entry.producer.model  # type: ignore[attr-defined]
    path = sample_build.output / f"{entry.id}/food-safety-declaration.pdf"  # type: ignore[attr-defined]
    assert path.is_file()
    width, height = page_size_mm(path)
    assert abs(width - 210) < 0.5 and abs(height - 297) < 0.5
    text = pdf_text(path)
    flat = squash(text)
    declaration = product.food_safety.declaration
    fields = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BẢN TỰ CÔNG BỐ SẢN PHẨM",
              "I. Thông tin về tổ chức, cá nhân tự công bố sản phẩm", "Tên tổ chức, cá nhân:", "Địa chỉ:",
              "Điện thoại:", "Fax:", "E-mail:", REGISTRATION_LABEL[producer.legal_form], producer.legal_name,
              producer.head_office.commune, producer.registration.code,
              "II. Thông tin về sản phẩm", "1. Tên sản phẩm:", product.name.vi, "2. Thành phần:",
              "3. Thời hạn sử dụng sản phẩm:", "4. Quy cách đóng gói và chất liệu bao bì:",
              "5. Tên và địa chỉ cơ sở sản xuất sản phẩm", "III. Mẫu nhãn sản phẩm",
              "IV. Yêu cầu về an toàn thực phẩm", "Chúng tôi xin cam kết",
              "(Ký, ghi rõ họ tên)" if producer.legal_form == "ho_kinh_doanh" else "(Ký, ghi rõ họ tên và đóng dấu)",
              producer.legal_representative.name]
    fields += [i.name for i in product.ingredients or []]
    fields += [f"{p.net_quantity}: {p.pack_material}" for p in product.packages]
    if declaration.number and declaration.date:
        fields.append(f"Số: {declaration.number:02d}/{producer.abbreviation}/{declaration.date.year}")
    if declaration.date and declaration.place:
        fields.append(f"{declaration.place}, ngày {declaration.date:%d} tháng {declaration.date:%m} "
                      f"năm {declaration.date.year}")
    if declaration.receiving_body:
        fields.append(declaration.receiving_body)
    if product.applied_standard:
        fields.append(product.applied_standard)
    fields += product.food_safety.safety_standards
    for report in product.food_safety.test_reports:
        fields += [report.report_no, vn_date(report.date, 4), report.lab]
        fields += [c.name for c in report.criteria] + [c.result for c in report.criteria]
    certificate = producer.food_safety_certificate
    if certificate and certificate.number:
        fields.append(certificate.number)
    missing = [f for f in fields if squash(f) not in flat]
    assert missing == []
    if not product.food_safety.test_reports:
        assert "[còn thiếu: phiếu kết quả kiểm nghiệm trong 12 tháng]" in text

    # section III shows the product's own labels: each GTIN decodes from the dossier
    decoded = {t for i in range(pages(path)) for f, t in decode_symbols(path, index=i) if f == "EAN13"}
    assert decoded == {p.gtin for p in product.packages if p.gtin}
    fonts = fonts_embedded(path)
    assert all(fonts.values()) and any("Liberation-Serif" in name for name in fonts)


def test_page_numbers_start_on_page_two(sample_build: SampleBuild) -> None:
    import pypdfium2 as pdfium

    path = sample_build.output / f"{DECLARED[0].id}/food-safety-declaration.pdf"
    pdf = pdfium.PdfDocument(str(path))
    try:
        assert len(pdf) >= 2
        lines = [{line.strip() for line in pdf[i].get_textpage().get_text_range().splitlines()}
                 for i in range(len(pdf))]
    finally:
        pdf.close()
    assert "1" not in lines[0]
    assert all(str(n) in lines[n - 1] for n in range(2, len(lines) + 1))


def test_a_supplement_never_gets_form_01(sample_build: SampleBuild) -> None:
    for entry in SUPPLEMENTS:
        assert not (sample_build.output / entry.id / "food-safety-declaration.pdf").exists()
        notes = [p for p in sample_build.result.problems
                 if p.code == "fs-registration-route" and p.file == entry.doc.display]
        assert len(notes) == 1 and notes[0].severity == "info"
        assert "Cục An toàn thực phẩm" in notes[0].message
    kinds = {(b.plan.product, b.plan.kind) for b in sample_build.result.built}
    assert not {(e.id, "food-safety-declaration") for e in SUPPLEMENTS} & kinds


# On 29/11/2026 (the sample build's day): what each sample producer files about its establishment.
CERTIFICATE_PAPERS = {
    "cty-pac-nghe": None,  # GMP 58/2025 valid to 18/03/2028: nothing to file, and never a generic dossier
    "htx-khuoi-dong": "food-safety-certificate-application.pdf",  # ends 20/05/2027: renewal due
    "htx-khuoi-ma": None,  # valid to 2028: nothing to file
    "htx-lua-gao-na-tong": "food-safety-certificate-application.pdf",  # no certificate yet
    "htx-lung-vai": "food-safety-certificate-application.pdf",  # ends 15/01/2027: renewal due
    "htx-ong-mat-ho-xanh": "food-safety-exemption-note.pdf",  # HACCP: Art. 12.1(k)
    "hkd-ruou-ngo-ban-chang": "food-safety-commitment.pdf",  # a MOIT household: commune commitment
}


def test_every_producer_gets_the_certificate_paper_that_fits(sample_build: SampleBuild) -> None:
    from datetime import date

    assert sorted(CERTIFICATE_PAPERS) == [p.slug for p in PRODUCERS]
    for producer in PRODUCERS:
        model = producer.model
        assert model is not None
        exempt = is_exempt(model, date(2026, 11, 29))
        name = CERTIFICATE_PAPERS[producer.slug]
        papers = {p.name for p in (sample_build.output / producer.slug).glob("food-safety-*.pdf")}
        assert papers == ({name} if name else set()), producer.slug
        if name is None:
            continue
        assert exempt == (name in ("food-safety-exemption-note.pdf", "food-safety-commitment.pdf"))
        if name == "food-safety-commitment.pdf":
            continue  # read in tests/test_routes.py
        path = sample_build.output / producer.slug / name
        text = pdf_text(path)
        flat = squash(text)
        assert squash(model.legal_name) in flat and squash(model.registration.code) in flat
        if exempt:
            assert pages(path) == 1
            assert "Điều 12" in text
            schemes = [c.scheme for c in model.management_certificates]
            assert any(squash(s) in flat for s in schemes) or (
                model.food_safety_certificate and squash(model.food_safety_certificate.exemption_basis or "") in flat)
            continue
        expected = ["ĐƠN ĐỀ NGHỊ", "Kính gửi:", "BẢN THUYẾT MINH VỀ CƠ SỞ VẬT CHẤT",
                    "DANH SÁCH CHỦ CƠ SỞ VÀ NGƯỜI TRỰC TIẾP SẢN XUẤT"]
        expected += [e.name for e in model.equipment] + [s.name for s in model.staff]
        expected += [vn_date(s.health_certificate_date, 4) for s in model.staff if s.health_certificate_date]
        if model.premises and model.premises.water_source:
            expected.append(model.premises.water_source)
        assert [e for e in expected if squash(e) not in flat] == []
        renewal = bool(model.food_safety_certificate and model.food_safety_certificate.number)
        assert ("cấp lại" in text) == renewal
        assert ("Lý do đề nghị cấp lại: Giấy chứng nhận số" in text) == renewal  # a renewal states its reason


def test_every_listed_gap_is_a_visible_blank(sample_build: SampleBuild) -> None:
    gaps = [p for p in sample_build.result.problems if p.code in ("fs-field-missing", "fs-attachment-missing")]
    for problem in gaps:
        # a gap in producer.yaml shows in the dossiers of that producer's products too
        producer = problem.file.split("/")[-2]
        documents = [b.plan.path for b in sample_build.result.built if b.plan.kind.startswith("food-safety")
                     and (b.plan.source == problem.file
                          or (problem.file.endswith("producer.yaml") and b.plan.producer == producer))]
        assert documents, problem
        assert any("[còn thiếu:" in pdf_text(sample_build.output / d) for d in documents), problem


def test_manifest_lists_the_new_kinds(sample_build: SampleBuild) -> None:
    kinds = {b.plan.kind for b in sample_build.result.built}
    assert {"label", "food-safety-declaration", "food-safety-certificate"} <= kinds
    import json

    manifest = json.loads((sample_build.output / "manifest.json").read_text(encoding="utf-8"))
    certificate = [d for d in manifest["documents"] if d["kind"] == "food-safety-certificate"]
    assert certificate
    assert all(c["product"] is None and c["producer"] for c in certificate)
