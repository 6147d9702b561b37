"""A4 label sheets read back from the PDF: page size, label count and places, barcodes, type size.

A label on a sheet is the label's own macro at the body size its own page settled on; its
paper (the ``.label`` paints it, run into the bleed: on a sheet half a gutter at most) is found
among the page's path objects and measured against the stock's cells.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from pypdf import PdfReader

from ocopdocs import pdfvariant, pipeline
from ocopdocs.design import design
from ocopdocs.design.stocks import Stock, layout, shipped_stocks
from ocopdocs.messages import t
from ocopdocs.render import Renderer

from .conftest import PT_TO_MM, TEMPLATES, SampleBuild, copy_sample, decode_symbols, page_size_mm

PRODUCT = "htx-khuoi-dong/mien-dong"
GTINS = {"500g": "8936043120011", "200g": "8936043120028"}
SIZES = {"500g": (100, 140), "200g": (100, 120)}


def with_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sheet: str) -> Path:
    monkeypatch.chdir(tmp_path)
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong"])
    path = products / "htx-khuoi-dong" / "mien-dong.yaml"
    text = path.read_text(encoding="utf-8").replace("label_sheet:\n  stock: a4-nguyen-to\n", "")
    path.write_text(text + sheet, encoding="utf-8")
    return products


def build(products: Path, renderer: Renderer) -> pipeline.BuildResult:
    return pipeline.build(products, Path("output"), TEMPLATES, renderer=renderer, only=["label", "label-sheet"])


def bleed(stock: Stock) -> float:
    """How far a label's paper runs past its trim on a sheet: half the gutter, at most the bleed."""
    return float(min(min(stock.gutter_mm.x, stock.gutter_mm.y) / 2, design().print.bleed_mm))


def label_boxes(path: Path, sizes: set[tuple[int, int]], run: float = 0.0) -> list[tuple[float, float, float, float]]:
    """(x, y from the top, width, height) in mm of each label's trim, row by row.

    The label's paper is the path ``run`` mm larger than the trim all round.
    """
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[0]
        height = page.get_size()[1] * PT_TO_MM
        found = []
        for item in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=6):
            left, bottom, right, top = (v * PT_TO_MM for v in item.get_bounds())
            box = (left + run, height - top + run, right - left - 2 * run, top - bottom - 2 * run)
            if any(abs(box[2] - w) < 0.05 and abs(box[3] - h) < 0.05 for w, h in sizes):
                found.append(box)
        return sorted(found, key=lambda b: (round(b[1]), round(b[0])))
    finally:
        pdf.close()


def char_height(path: Path, text: str) -> float:
    """The height in mm of the first character of ``text`` on the page."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[0].get_textpage()
        found = page.search(text).get_next()
        assert found is not None, text
        _, bottom, _, top = page.get_charbox(found[0])
        return (top - bottom) * PT_TO_MM
    finally:
        pdf.close()


def test_an_uncut_sheet_holds_as_many_labels_as_fit_at_their_cells(tmp_path: Path, renderer: Renderer,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    products = with_sheet(tmp_path, monkeypatch, "label_sheet:\n  stock: a4-nguyen-to\n")
    result = build(products, renderer)
    assert [p for p in result.problems if p.severity == "error"] == []
    built = {b.plan.path: b for b in result.built}
    for sku, (width, height) in SIZES.items():
        path = Path("output") / PRODUCT / f"sheet-{sku}.pdf"
        assert f"{PRODUCT}/sheet-{sku}.pdf" in built
        assert page_size_mm(path) == pytest.approx((210, 297), abs=0.01)
        stock = shipped_stocks()["a4-nguyen-to"]
        grid = layout(stock, (Decimal(width), Decimal(height)))
        boxes = label_boxes(path, {(width, height)}, bleed(stock))
        assert bleed(stock) == 1  # 2 mm gutters: the paper runs 1 mm into each
        assert len(boxes) == grid.per_sheet == 4
        for slot, (x, y, w, h) in zip(grid.slots, boxes, strict=True):
            assert (x, y) == pytest.approx((float(slot.content_x_mm), float(slot.content_y_mm)), abs=0.2)
            assert (w, h) == pytest.approx((width, height), abs=0.05)
        symbols = decode_symbols(path)
        assert sorted(text for kind, text in symbols if kind == "EAN13") == [GTINS[sku]] * 4
        assert len([text for kind, text in symbols if kind == "QRCode"]) == 4
        # each label set as on its own page: the same body type as the label PDF
        label = Path("output") / PRODUCT / f"label-{sku}.pdf"
        assert char_height(path, "Thành phần") == pytest.approx(char_height(label, "Thành phần"), abs=0.01)
    assert result.state.documents[f"{PRODUCT}/sheet-500g.pdf"].kind == "label-sheet"


def test_a_mixed_sheet_shares_its_die_cut_cells_between_the_variants(tmp_path: Path, renderer: Renderer,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    sheet = "label_sheet:\n  stock: a4-4-105x148\n  sizes: [200g, 500g]\n  mixed: true\n"
    products = with_sheet(tmp_path, monkeypatch, sheet)
    result = build(products, renderer)
    assert [p for p in result.problems if p.severity == "error"] == []
    path = Path("output") / PRODUCT / "sheet-200g+500g.pdf"
    assert path.is_file() and not (Path("output") / PRODUCT / "sheet-500g.pdf").exists()
    stock = shipped_stocks()["a4-4-105x148"]
    assert bleed(stock) == 0  # the labels touch: no background past the trim
    boxes = label_boxes(path, set(SIZES.values()))
    grid = layout(stock)
    assert len(boxes) == 4
    # the first two cells hold the 200 g label (listed first), the last two the 500 g one,
    # each centred in its 105 × 148.5 mm cell
    for slot, (x, y, w, h), sku in zip(grid.slots, boxes, ["200g", "200g", "500g", "500g"], strict=True):
        width, height = SIZES[sku]
        assert (w, h) == pytest.approx((width, height), abs=0.05)
        assert x == pytest.approx(float(slot.x_mm) + (105 - width) / 2, abs=0.2)
        assert y == pytest.approx(float(slot.y_mm) + (148.5 - height) / 2, abs=0.2)
    eans = sorted(text for kind, text in decode_symbols(path) if kind == "EAN13")
    assert eans == sorted([GTINS["200g"]] * 2 + [GTINS["500g"]] * 2)


@pytest.mark.parametrize(("sheet", "code", "message"), [
    ("label_sheet:\n  stock: a4-8-99x68\n", "stock-label-too-big",
     t("stock-label-too-big", width="100", height="140", stock="a4-8-99x68", cell_width="99,1",
       cell_height="67,7")),
    ("label_sheet:\n  stock: a4-99\n", "stock-unknown",
     t("stock-unknown", stock="a4-99", stocks=", ".join(shipped_stocks()))),
    ("label_sheet:\n  stock: a4-nguyen-to\n  sizes: [1kg]\n", "sheet-size-unknown",
     t("sheet-size-unknown", size="1kg", sizes="500g, 200g")),
])
def test_a_sheet_that_cannot_be_laid_out_is_an_error_of_the_sheet_alone(
        tmp_path: Path, renderer: Renderer, monkeypatch: pytest.MonkeyPatch, sheet: str, code: str,
        message: str) -> None:
    products = with_sheet(tmp_path, monkeypatch, sheet)
    result = pipeline.check(products)
    found = [p for p in result.problems if p.code == code]
    assert len(found) >= 1
    line = len((products / "htx-khuoi-dong" / "mien-dong.yaml").read_text(encoding="utf-8").splitlines())
    assert {(p.file, p.area, p.severity) for p in found} == {
        ("products/htx-khuoi-dong/mien-dong.yaml", "sheet", "error")}
    assert {p.line for p in found} <= {line, line - 1}
    wanted = [p for p in found if p.message.startswith(message)]
    assert len(wanted) == 1
    if code == "stock-label-too-big":  # one problem a label size, each with the stocks that take it
        assert len(found) == 2
        assert t("stock-fitting", stocks="a4-4-105x148, a4-nguyen-to, a4-2-200x144") in wanted[0].message
    built = build(products, renderer)
    kinds = {b.plan.kind for b in built.built}
    assert kinds == {"label"}  # the labels are built; only the sheets are kept out
    assert "label-sheet" in built.kept_out[PRODUCT]


def test_the_sample_cooperative_gets_its_sheets(sample_build: SampleBuild) -> None:
    for sku, (width, height) in SIZES.items():
        path = sample_build.output / PRODUCT / f"sheet-{sku}.pdf"
        entry = sample_build.result.state.documents[f"{PRODUCT}/sheet-{sku}.pdf"]
        assert (entry.kind, entry.pages, entry.page_size_mm) == ("label-sheet", 1, (210.0, 297.0))
        assert len(label_boxes(path, {(width, height)}, bleed(shipped_stocks()["a4-nguyen-to"]))) == 4
        assert sorted(text for kind, text in decode_symbols(path) if kind == "EAN13") == [GTINS[sku]] * 4


def test_a_sheet_is_artwork_pdf_x4_has_no_rgb_and_its_intent(tmp_path: Path, renderer: Renderer,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    products = with_sheet(tmp_path, monkeypatch, "label_sheet:\n  stock: a4-nguyen-to\n  sizes: [200g]\n")
    result = pipeline.build(products, Path("output"), TEMPLATES, renderer=renderer,
                            only=["label", "label-sheet"], pdf_variants=[pdfvariant.X4])
    assert [p for p in result.problems if p.severity == "error"] == []
    path = Path("output") / PRODUCT / "sheet-200g.pdf"
    assert pdfvariant.rgb_uses(path.read_bytes()) == []  # the cut lines too are CMYK
    assert len(PdfReader(path).trailer["/Root"]["/OutputIntents"]) == 1
    assert sorted(text for kind, text in decode_symbols(path) if kind == "EAN13") == [GTINS["200g"]] * 4
