"""Every sample label, read back from its PDF: size, mandatory text, barcodes, fonts."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

import pytest

from ocopdocs import pipeline
from ocopdocs.loader import load_project
from ocopdocs.schema import Package, Product

from .conftest import (
    PRODUCTS,
    PT_TO_MM,
    SampleBuild,
    decode_symbols,
    fonts_embedded,
    page_boxes_mm,
    page_size_mm,
    pdf_text,
)

PROJECT = load_project(PRODUCTS)
VARIANTS = [(entry, package) for entry in pipeline.check(PRODUCTS).buildable() for package in entry.model.packages]  # type: ignore[union-attr]
IDS = [f"{entry.id}/{package.sku}" for entry, package in VARIANTS]


def crop_marks(path: object, trim: tuple[float, ...], bleed: tuple[float, ...]) -> int:
    """Count the painted paths outside the bleed that lie on a trim line: the crop marks."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    found = 0
    try:
        for obj in pdf[0].get_objects():
            if obj.type != 2:  # FPDF_PAGEOBJ_PATH
                continue
            left, bottom, right, top = (v * PT_TO_MM for v in obj.get_bounds())
            outside = right < bleed[0] or left > bleed[2] or top < bleed[1] or bottom > bleed[3]
            on_line = (any(abs((bottom + top) / 2 - y) < 0.1 for y in (trim[1], trim[3]))
                       or any(abs((left + right) / 2 - x) < 0.1 for x in (trim[0], trim[2])))
            found += outside and on_line
    finally:
        pdf.close()
    return found


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def expiry(product: Product) -> date | None:
    """Computed here independently of ocopdocs: production date + shelf life."""
    life, made = product.shelf_life, product.lot.production_date
    if life is None:
        return None
    if life.days:
        return made + timedelta(days=life.days)
    assert life.months is not None
    month0 = made.month - 1 + life.months
    year, month = made.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(made.day, calendar.monthrange(year, month)[1]))


def test_samples_cover_every_group_and_build_clean(sample_build: SampleBuild) -> None:
    assert not PROJECT.problems
    assert {e.model.group for e in PROJECT.products if e.model} >= {  # type: ignore[union-attr]
        "luong_thuc", "thuc_pham", "tpbvsk", "ruou"}
    assert len(PROJECT.products) >= 7 and len(PROJECT.producers) >= 3
    # the samples keep a few deliberate dossier gaps (see their comments); labels are clean
    assert [p for p in sample_build.result.errors if not p.code.startswith(("fs-", "ocop-"))] == []
    built = {b.plan.path for b in sample_build.result.built if b.plan.kind == "label"}
    assert built == {f"{e.id}/label-{p.sku}.pdf" for e, p in VARIANTS}


@pytest.mark.parametrize(("entry", "package"), VARIANTS, ids=IDS)
def test_label_pdf(sample_build: SampleBuild, entry: object, package: Package) -> None:
    product: Product = entry.model  # type: ignore[attr-defined]
    producer = entry.producer.model  # type: ignore[attr-defined]
    path = sample_build.output / f"{entry.id}/label-{package.sku}.pdf"  # type: ignore[attr-defined]

    width, height = page_size_mm(path)
    assert abs(width - float(package.label.width_mm)) < 0.1
    assert abs(height - float(package.label.height_mm)) < 0.1
    boxes = page_boxes_mm(path)  # the trim at the label's size, the bleed 3 mm out, the marks beyond
    trim, bleed, media = boxes["TrimBox"], boxes["BleedBox"], boxes["MediaBox"]
    assert [round(b - t, 2) for b, t in zip(bleed, trim, strict=True)] == [-3, -3, 3, 3]
    assert all(abs(m) >= abs(b) + 5 for m, b in zip(media, bleed, strict=True))
    assert crop_marks(path, trim, bleed) == 8

    text = squash(pdf_text(path))
    site = producer.site(product.production_site)
    mandatory = [product.name.vi, producer.legal_name, site.address.commune, site.address.province,
                 "Việt Nam", str(package.net_quantity).replace(".", ","), product.lot.code,
                 f"NSX:{product.lot.production_date:%d/%m/%y}"]
    mandatory.append("Khốilượngtịnh" if package.net_quantity.kind == "mass" else "Thểtíchthực")
    end = expiry(product)
    if end is not None and product.date_style == "absolute":
        mandatory.append(f"HSD:{end:%d/%m/%y}")
    mandatory += [i.name for i in product.ingredients or []]
    mandatory += [x for x in (product.usage, product.storage) if x]
    mandatory += product.warnings
    if product.group == "tpbvsk":
        mandatory += ["Thực phẩm bảo vệ sức khỏe",
                      "Thực phẩm này không phải là thuốc, không có tác dụng thay thế thuốc chữa bệnh"]
        assert product.health_supplement is not None
        mandatory += [product.health_supplement.dosage, product.health_supplement.uses]
    if product.group == "ruou":
        assert product.ethanol_percent is not None
        mandatory.append(f"{product.ethanol_percent}%vol".replace(".", ","))
    if product.nutrition is not None:
        mandatory += ["Năng lượng", "kcal", "Natri"]
    missing = [m for m in mandatory if squash(m) not in text]
    assert missing == []
    # a figure and its unit stay on one line: "90 %", never "90" at a line's end and "%" below
    split = re.findall(r"\d[ \u00a0]*\r?\n[ \u00a0]*(?:%|kcal|kg|mg|ml|g|L)(?!\w)", pdf_text(path))
    assert split == []

    symbols = decode_symbols(path)
    eans = [t for f, t in symbols if f == "EAN13"]
    assert eans == ([package.gtin] if package.gtin else [])  # no GTIN (a household not in GS1): no barcode
    if product.traceability is not None:
        link = f"{product.traceability.resolver}/01/0{package.gtin}/10/{product.lot.code}"
        if end is not None:
            link += f"?{'15' if product.date_style == 'best_before' else '17'}={end:%y%m%d}"
        assert [t for f, t in symbols if f == "QRCode"] == [link]

    fonts = fonts_embedded(path)
    assert fonts and all(fonts.values()), fonts

    has_badge = "OCOP" in pdf_text(path)
    ocop = product.ocop.certificate if product.ocop else None
    print_date = product.lot.print_date or product.lot.production_date
    valid = ocop is not None and ocop.issued_on <= print_date < date(
        ocop.issued_on.year + 3, ocop.issued_on.month, ocop.issued_on.day)
    assert has_badge == valid


def test_labels_are_reproducible(sample_build: SampleBuild, tmp_path: object, renderer: object) -> None:
    from ocopdocs import pipeline

    from .conftest import TEMPLATES

    again = pipeline.build(PRODUCTS, tmp_path, TEMPLATES, renderer=renderer)  # type: ignore[arg-type]
    first = {b.plan.path: b.sha256 for b in sample_build.result.built}
    assert {b.plan.path: b.sha256 for b in again.built} == first


# One heading per App. I item (NĐ 37/2026 App. I row 3 đ–e): a supplement's directions are its
# "Cách dùng", its warnings its "Khuyến cáo"; no label prints two headings for one item.
ITEM_HEADINGS = {"usage": {"Hướng dẫn sử dụng", "Cách dùng"},
                 "warnings": {"Cảnh báo", "Khuyến cáo", "Thông tin cảnh báo"}}


@pytest.mark.parametrize(("entry", "package"), VARIANTS, ids=IDS)
def test_one_heading_per_app_i_item(entry: object, package: Package) -> None:
    from ocopdocs.documents.label import TEMPLATE, build_context
    from ocopdocs.templating import make_env

    from .conftest import TEMPLATES

    product: Product = entry.model  # type: ignore[attr-defined]
    context = build_context(entry.producer.model, product, package)  # type: ignore[attr-defined]
    html = make_env(TEMPLATES).get_template(TEMPLATE).render(label=context, fit={"body_pt": 8, "layout": "stacked"})
    headings = re.findall(r"<b>([^<:]+)(?:\s*\([^<]*\))?:</b>", html)
    assert len(headings) == len(set(headings)), headings
    for item, names in ITEM_HEADINGS.items():
        assert len(names & set(headings)) <= 1, (item, headings)
    if product.health_supplement is not None:
        text = squash(re.sub(r"<[^>]+>", " ", html))
        for part in (product.usage, product.health_supplement.risk_advisory, *product.warnings):
            assert part is None or squash(part) in text  # merged under the item's heading, not lost
