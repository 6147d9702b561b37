"""PDF label rules: each rule passes a good label and catches its own breach, read from real PDFs.

Small labels are rendered here with the project's renderer (100 × 140 mm, EAN-13 and QR drawn by
ocopdocs.gs1), changed one thing at a time; the last tests read the sample labels.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ocopdocs import gs1, pipeline
from ocopdocs.domain.label import LabelExpect
from ocopdocs.render import Renderer
from ocopdocs.rules import pdf_label
from ocopdocs.rules.findings import Finding
from ocopdocs.rules.pdf_label import check_label_pdf
from ocopdocs.templating import make_env
from ocopdocs.workers import render_one

from .conftest import PRODUCTS, TEMPLATES

HERE = Path(__file__).resolve().parent
GTIN = "8936043120011"
LINK = gs1.digital_link("https://id.example.vn", GTIN, "L260915A")
EAN_1 = gs1.ean13_svg(GTIN, Decimal(1))
CSS = """
@page { size: 100mm 140mm; margin: 3mm }
html { font-family: "DejaVu Sans", sans-serif; font-size: 8pt; line-height: 1.2 }
body { margin: 0 }
h1, p, figure { margin: 0 }
svg { display: block }
.name { font-size: 7mm; font-weight: bold }
.en { font-size: 4mm; font-style: italic }
.qty { font-size: 5.82mm; font-weight: bold; white-space: nowrap }
.ean { position: relative; margin-top: 2mm }
"""
REQUIRED = ("Miến dong", "Thành phần: tinh bột dong riềng 100 %.", "Khối lượng tịnh", "500 g",
            "Sản xuất tại Việt Nam")


def label_html(*, name: str = '<h1 class="name">Miến dong</h1>',
               english: str = '<p class="en" lang="en">Arrowroot vermicelli</p>',
               quantity: str = '<span class="qty">500 g</span>', ean: str = EAN_1.svg,
               ean_extra: str = "", qr: str | None = None, extra: str = "", css: str = "") -> str:
    """A small label: name, English name, ingredients, quantity, origin, EAN-13 and QR."""
    qr_svg = gs1.qr_svg(LINK, Decimal("18")).svg if qr is None else qr
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<style>{CSS}{css}</style></head><body>
{name}{english}
<p>Thành phần: tinh bột dong riềng 100 %.</p>
<p>Khối lượng tịnh: {quantity}</p>
<p>Sản xuất tại Việt Nam</p>
{extra}
<figure class="ean">{ean}{ean_extra}</figure>
<figure class="qr">{qr_svg}</figure>
</body></html>"""


def expect(**changes: object) -> LabelExpect:
    """What the default label must show, with ``changes``."""
    base = LabelExpect(name_vi="Miến dong", name_en="Arrowroot vermicelli", quantity="500 g",
                       figure_min_mm=Decimal(4), min_char_mm=Decimal("0.9"), gtin=GTIN,
                       magnification=Decimal(1), digital_link=LINK, required_texts=REQUIRED)
    return replace(base, **changes)  # type: ignore[arg-type]


def render(renderer: Renderer, html: str) -> bytes:
    """Lay out and write ``html`` as a PDF, the way the pipeline does."""
    layout = renderer.layout(html, base=HERE, stylesheets=[], roots=[HERE])
    assert layout.pages == 1
    return renderer.write(layout, identifier=b"0" * 32)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def only(findings: list[Finding], code: str) -> Finding:
    """The one finding with ``code``."""
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, findings
    return matching[0]


def num(finding: Finding, key: str) -> float:
    """A measured value of ``finding``: a float rounded to 0.01 mm (X to 0.001 mm)."""
    value = finding.values[key]
    assert isinstance(value, float)
    return value


def scaled_ean(factor: float, *, keep_aspect: bool = True) -> str:
    """The 100 % EAN-13 drawn at ``factor`` of its size by CSS (height only when not keeping aspect)."""
    width = float(EAN_1.width_mm) * (factor if keep_aspect else 1)
    height = float(EAN_1.height_mm) * factor
    svg = EAN_1.svg
    if not keep_aspect:
        svg = svg.replace("<svg ", '<svg preserveAspectRatio="none" ', 1)
    return svg.replace("<svg ", f'<svg style="width: {width:.3f}mm; height: {height:.3f}mm" ', 1)


@pytest.fixture(scope="module")
def good_pdf(renderer: Renderer) -> bytes:
    return render(renderer, label_html())


def test_good_label_passes_every_rule(good_pdf: bytes) -> None:
    assert check_label_pdf(good_pdf, expect()) == []


def test_findings_are_on_page_one(renderer: Renderer) -> None:
    pdf = render(renderer, label_html(name='<h1 style="font-size: 3mm">Miến dong</h1>'))
    findings = check_label_pdf(pdf, expect())
    assert findings
    assert {f.page for f in findings} == {1}


# --- pdf-name-largest ------------------------------------------------------------------------


def test_name_largest_passes_when_name_is_largest(good_pdf: bytes) -> None:
    assert "pdf-name-largest" not in codes(check_label_pdf(good_pdf, expect()))


def test_name_smaller_than_quantity(renderer: Renderer) -> None:
    pdf = render(renderer, label_html(name='<h1 style="font-size: 4mm">Miến dong</h1>'))
    finding = only(check_label_pdf(pdf, expect()), "pdf-name-largest")
    assert finding.values["other_text"] == "500 g"
    # cap heights: 0.73–0.74 em of DejaVu Sans
    assert 2.9 < num(finding, "name_mm") < 3.0
    assert 4.2 < num(finding, "other_mm") < 4.35


def test_name_counts_barcode_digits_as_other_text(renderer: Renderer) -> None:
    # the EAN digits are 3.07 mm type at 100 %: a 2.5 mm name is smaller than them
    pdf = render(renderer, label_html(name='<h1 style="font-size: 2.5mm">Miến dong</h1>',
                                      english="", quantity="500 g"))
    finding = only(check_label_pdf(pdf, expect(name_en=None)), "pdf-name-largest")
    assert finding.values["other_text"] in {GTIN[0], GTIN[1:7], GTIN[7:], "8 936043 120011 >"}


# --- pdf-quantity-figure-height -------------------------------------------------------------


def test_quantity_figures_tall_enough(good_pdf: bytes) -> None:
    assert "pdf-quantity-figure-height" not in codes(check_label_pdf(good_pdf, expect()))


def test_quantity_figures_3mm_for_500g(renderer: Renderer) -> None:
    # 4.1 mm type: figures about 3 mm high, where 500 g needs 4 mm
    pdf = render(renderer, label_html(quantity='<span style="font-size: 4.1mm">500 g</span>'))
    finding = only(check_label_pdf(pdf, expect()), "pdf-quantity-figure-height")
    assert finding.values["min_mm"] == 4.0
    assert finding.values["quantity"] == "500 g"
    assert 2.95 < num(finding, "measured_mm") < 3.1


def test_quantity_split_across_runs_is_found(renderer: Renderer) -> None:
    pdf = render(renderer, label_html(quantity='<span class="qty">500</span> <b class="qty">g</b>'))
    assert check_label_pdf(pdf, expect()) == []


def test_quantity_not_printed_is_missing_text(renderer: Renderer) -> None:
    pdf = render(renderer, label_html(quantity='<span class="qty">250 g</span>'))
    findings = check_label_pdf(pdf, expect())
    assert only(findings, "pdf-text-missing").values == {"text": "500 g"}
    assert "pdf-quantity-figure-height" not in codes(findings)


# --- pdf-min-char-height --------------------------------------------------------------------


def test_min_char_height_passes_at_8pt(good_pdf: bytes) -> None:
    assert "pdf-min-char-height" not in codes(check_label_pdf(good_pdf, expect()))


def test_3pt_footnote_is_too_small(renderer: Renderer) -> None:
    html = label_html(extra='<p style="font-size: 3pt">Ghi chú rất nhỏ ở cuối nhãn</p>')
    finding = only(check_label_pdf(render(renderer, html), expect()), "pdf-min-char-height")
    assert finding.values["min_mm"] == 0.9
    assert 0.55 < num(finding, "measured_mm") < 0.62  # 3 pt × 0.55
    assert finding.values["text"] == "Ghi chú rất nhỏ ở cuối nhãn"


def test_min_char_height_not_checked_without_minimum(renderer: Renderer) -> None:
    html = label_html(extra='<p style="font-size: 3pt">Ghi chú rất nhỏ</p>')
    assert check_label_pdf(render(renderer, html), expect(min_char_mm=None)) == []


# --- pdf-foreign-larger ---------------------------------------------------------------------


def test_english_name_as_large_as_vietnamese_passes(renderer: Renderer) -> None:
    pdf = render(renderer, label_html(english='<p class="name">Arrowroot</p>'))
    assert check_label_pdf(pdf, expect(name_en="Arrowroot")) == []


def test_english_name_larger_than_vietnamese(renderer: Renderer) -> None:
    pdf = render(renderer, label_html(english='<p style="font-size: 8mm">Arrowroot</p>'))
    findings = check_label_pdf(pdf, expect(name_en="Arrowroot"))
    finding = only(findings, "pdf-foreign-larger")
    assert num(finding, "en_mm") > num(finding, "vi_mm")
    assert "pdf-name-largest" in codes(findings)  # larger than the name, so the name is not largest


# --- pdf-ean-* geometry ---------------------------------------------------------------------


@pytest.mark.parametrize("magnification", ["0.8", "1.5"])
def test_ean_geometry_passes_at_declared_magnification(renderer: Renderer, magnification: str) -> None:
    svg = gs1.ean13_svg(GTIN, Decimal(magnification)).svg
    pdf = render(renderer, label_html(ean=svg, qr=""))
    assert check_label_pdf(pdf, expect(magnification=Decimal(magnification), digital_link=None)) == []


def test_ean_missing(renderer: Renderer) -> None:
    pdf = render(renderer, label_html(ean=""))
    findings = check_label_pdf(pdf, expect())
    assert codes(findings) == ["pdf-ean-missing"]  # nothing decoded either: said once


def test_ean_module_width_below_80_percent(renderer: Renderer) -> None:
    svg = gs1.ean13_svg(GTIN, Decimal("0.7")).svg
    pdf = render(renderer, label_html(ean=svg))
    finding = only(check_label_pdf(pdf, expect(magnification=Decimal("0.7"))), "pdf-ean-module-width")
    assert finding.values == {"x_mm": 0.231, "min_x_mm": 0.264, "max_x_mm": 0.66}


def test_ean_scaled_below_declared_magnification(renderer: Renderer) -> None:
    pdf = render(renderer, label_html(ean=scaled_ean(0.85)))
    findings = check_label_pdf(pdf, expect())
    finding = only(findings, "pdf-ean-module-width")
    assert finding.values["x_mm"] == pytest.approx(0.2805, abs=0.001)
    assert (finding.values["min_x_mm"], finding.values["max_x_mm"]) == (0.32, 0.34)  # 0.33 ± 3 %
    assert codes(findings) == ["pdf-ean-module-width"]  # scaled, not truncated


def test_ean_bars_truncated(renderer: Renderer) -> None:
    pdf = render(renderer, label_html(ean=scaled_ean(0.6, keep_aspect=False)))
    finding = only(check_label_pdf(pdf, expect()), "pdf-ean-bar-height")
    assert 13.6 < num(finding, "bar_height_mm") < 13.8  # 22.85 × 0.6
    assert finding.values["min_mm"] == pytest.approx(22.16, abs=0.01)


def test_text_in_left_quiet_zone(renderer: Renderer) -> None:
    # an "x" 1 mm from the symbol's left edge, 2.63 mm before its first bar, halfway down the bars
    mark = '<span style="position: absolute; left: 1mm; top: 10mm; font-size: 6pt">x</span>'
    findings = check_label_pdf(render(renderer, label_html(ean_extra=mark)), expect())
    finding = only(findings, "pdf-ean-quiet-zone")
    assert {k: finding.values[k] for k in ("modules", "needed_mm")} == {"modules": 11, "needed_mm": 3.63}
    assert 1.2 < num(finding, "free_mm") < 1.7  # 2.63 mm less the "x"


def test_right_quiet_zone_cut_by_page_edge(renderer: Renderer) -> None:
    # symbol 61.24 mm from the 3 mm margin: its bars end 3 + 61.24 + 3.63 + 31.35 = 99.22 mm from
    # the left edge of the 100 mm page, 0.78 mm before its right edge (7X needs 2.31 mm)
    css = ".ean { margin-left: 61.24mm }"
    findings = check_label_pdf(render(renderer, label_html(css=css)), expect())
    finding = only(findings, "pdf-ean-quiet-zone")
    assert finding.values == {"modules": 7, "needed_mm": 2.31, "free_mm": 0.78}


# --- pdf-ean-decodes, pdf-qr-digital-link ---------------------------------------------------


def test_ean_decodes_to_gtin(good_pdf: bytes) -> None:
    assert "pdf-ean-decodes" not in codes(check_label_pdf(good_pdf, expect()))


def test_ean_decodes_to_another_gtin(good_pdf: bytes) -> None:
    finding = only(check_label_pdf(good_pdf, expect(gtin="8936043120028")), "pdf-ean-decodes")
    assert finding.values == {"expected": "8936043120028", "got": GTIN}


def test_qr_carries_the_link(good_pdf: bytes) -> None:
    assert "pdf-qr-digital-link" not in codes(check_label_pdf(good_pdf, expect()))


def test_qr_carries_another_link(good_pdf: bytes) -> None:
    other = gs1.digital_link("https://id.example.vn", GTIN, "L999")
    finding = only(check_label_pdf(good_pdf, expect(digital_link=other)), "pdf-qr-digital-link")
    assert finding.values == {"expected": other, "got": LINK}


def test_qr_missing(renderer: Renderer) -> None:
    finding = only(check_label_pdf(render(renderer, label_html(qr="")), expect()), "pdf-qr-digital-link")
    assert finding.values == {"expected": LINK, "got": ""}


def test_symbols_are_read_from_their_own_regions(good_pdf: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    # found by their paths, each symbol is rasterised alone: two small rasters, not the label's
    rendered: list[tuple[int, int]] = []
    raster = pdf_label._Grid.raster

    def counting(grid: pdf_label._Grid, region: pdf_label.Box) -> Any:
        rendered.append((region[2] - region[0], region[3] - region[1]))
        return raster(grid, region)

    monkeypatch.setattr(pdf_label._Grid, "raster", counting)
    assert check_label_pdf(good_pdf, expect()) == []
    assert len(rendered) == 2
    assert all(width * height < 0.1 * (100 * 140) / pdf_label.PT_TO_MM ** 2 for width, height in rendered)


def test_a_qr_placed_as_an_image_is_read_from_the_whole_label(renderer: Renderer) -> None:
    png, modules = gs1.qr_png(LINK)
    image = (f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}" '
             f'style="width: {modules * 0.5}mm; image-rendering: pixelated" alt="">')
    pdf = render(renderer, label_html(qr=image))
    assert check_label_pdf(pdf, expect()) == []  # no path to find it by: decoded all the same
    other = gs1.digital_link("https://id.example.vn", GTIN, "L999")
    finding = only(check_label_pdf(pdf, expect(digital_link=other)), "pdf-qr-digital-link")
    assert finding.values == {"expected": other, "got": LINK}


def test_a_narrow_ean_is_measured_from_its_bars_and_still_decoded(renderer: Renderer) -> None:
    # 75 % of nominal, declared 100 %: the paths give X; the region raster still decodes the GTIN
    findings = check_label_pdf(render(renderer, label_html(ean=scaled_ean(0.75))), expect())
    assert codes(findings) == ["pdf-ean-module-width"]
    assert only(findings, "pdf-ean-module-width").values["x_mm"] == pytest.approx(0.2475, abs=0.001)


# --- pdf-text-missing -----------------------------------------------------------------------


def test_required_texts_found_across_lines_and_hyphens(renderer: Renderer) -> None:
    paragraph = ('<p lang="en" style="width: 22mm; hyphens: auto">Store in extraordinarily '
                 "unconventional conditions</p>")
    pdf = render(renderer, label_html(extra=paragraph))
    texts = (*REQUIRED, "Store in extraordinarily unconventional conditions", "MIẾN DONG")
    assert check_label_pdf(pdf, expect(required_texts=texts)) == []


def test_required_text_missing(good_pdf: bytes) -> None:
    texts = (*REQUIRED, "HSD: 12 tháng kể từ NSX")
    finding = only(check_label_pdf(good_pdf, expect(required_texts=texts)), "pdf-text-missing")
    assert finding.values == {"text": "HSD: 12 tháng kể từ NSX"}


# --- pdf-mandatory-covered ------------------------------------------------------------------

BADGE = ('<div style="position: absolute; left: {left}; top: {top}; width: {size}; height: {size}; '
         'border: 0.5mm solid #000; border-radius: 50%; box-sizing: border-box"></div>')
"""A ring like the OCOP badge; ``top`` and ``left`` are from the page's 3 mm margin."""


def test_badge_over_mandatory_text(renderer: Renderer) -> None:
    # a ring across the ingredient line, as the OCOP badge crossed "chữa bệnh" on a sample label
    pdf = render(renderer, label_html(extra=BADGE.format(left="20mm", top="15mm", size="15mm")))
    finding = only(check_label_pdf(pdf, expect()), "pdf-mandatory-covered")
    assert "dong riềng" in str(finding.values["text"])
    assert 22.5 < num(finding, "x_mm") < 23.5 and 17.5 < num(finding, "y_mm") < 18.5
    assert 14.9 < num(finding, "width_mm") < 15.1


def test_rule_across_mandatory_text(renderer: Renderer) -> None:
    # a 0.3 mm rule drawn through the origin line, as a section border crossing text
    rule = '<div style="position: absolute; left: 3mm; top: 25.6mm; width: 60mm; border-top: 0.3mm solid #000"></div>'
    finding = only(check_label_pdf(render(renderer, label_html(extra=rule)), expect()), "pdf-mandatory-covered")
    assert finding.values["text"] == "Sản xuất tại Việt Nam"


def test_boxes_around_or_beside_mandatory_text_pass(renderer: Renderer) -> None:
    # a frame around a mandatory line, a rule under it, a ring whose hole holds no text, a white
    # panel under the text: none of them touches a glyph
    extra = ('<p style="border: 0.25mm solid #000; padding: 0.3mm 1mm; display: inline-block">Cảnh báo đỏ</p>'
             '<p style="border-bottom: 0.3mm solid #000; padding-bottom: 0.5mm; background: #fff">Bảo quản khô</p>'
             + BADGE.format(left="70mm", top="3mm", size="15mm"))
    pdf = render(renderer, label_html(extra=extra))
    assert check_label_pdf(pdf, expect(required_texts=(*REQUIRED, "Cảnh báo đỏ", "Bảo quản khô"))) == []


def test_accents_above_a_bordered_head_pass(renderer: Renderer) -> None:
    # a head with only a bottom border is painted as an outer minus an inner rectangle: its top
    # side has no width, so the accents that rise above the box (tight line height) cross nothing
    name = ('<header style="border-bottom: 0.3mm solid #000; padding-bottom: 1mm">'
            '<h1 class="name" style="line-height: 0.9">Măng khô Ba Bể</h1></header>')
    pdf = render(renderer, label_html(name=name))
    assert check_label_pdf(pdf, expect(name_vi="Măng khô Ba Bể", required_texts=REQUIRED[1:])) == []


def test_box_over_optional_text_passes(renderer: Renderer) -> None:
    # a small ring over the English name, which is not mandatory text
    pdf = render(renderer, label_html(extra=BADGE.format(left="20mm", top="9.5mm", size="3mm")))
    assert "pdf-mandatory-covered" not in codes(check_label_pdf(pdf, expect()))


# --- pdf-safe-zone, pdf-text-contrast, pdf-space-unused ---------------------------------------


def test_text_in_the_safe_zone(renderer: Renderer) -> None:
    # a mandatory line moved 1 mm from the left edge (the page has no TrimBox: its MediaBox is the trim)
    line = '<p style="position: absolute; left: -2mm; top: 60mm">Bảo quản khô</p>'
    pdf = render(renderer, label_html(extra=line))
    finding = only(check_label_pdf(pdf, expect(required_texts=(*REQUIRED, "Bảo quản khô"))), "pdf-safe-zone")
    assert "Bảo quản khô" in str(finding.values["what"])
    assert 1 < num(finding, "distance_mm") < 1.5 and finding.values["safe_mm"] == 2.0  # the glyph, not its advance


def test_symbol_in_the_safe_zone(renderer: Renderer) -> None:
    # the QR's quiet zone against the right edge: its modules 1.75 mm from it
    qr = gs1.qr_svg(LINK, Decimal("18")).svg.replace("<svg ", '<svg style="position: absolute; right: -3mm; '
                                                                'top: 40mm" ', 1)
    finding = only(check_label_pdf(render(renderer, label_html(qr=qr)), expect()), "pdf-safe-zone")
    assert finding.values["what"] == "QR" and num(finding, "distance_mm") < 2


BRAND = (("design.colours.primary (producer.yaml)", (31, 112, 204)),)
"""An indigo brand colour, as the design data reads it (naive CMYK to RGB)."""


def test_mandatory_text_on_a_dark_brand_colour(renderer: Renderer) -> None:
    # black text on indigo: about 3.5:1 as pdfium converts CMYK, below 4.5:1; the finding names
    # the field that set it
    band = '<p style="background: device-cmyk(0.85 0.45 0 0.2)">Bảo quản khô</p>'
    pdf = render(renderer, label_html(extra=band))
    finding = only(check_label_pdf(pdf, expect(required_texts=(*REQUIRED, "Bảo quản khô"), colours=BRAND)),
                   "pdf-text-contrast")
    assert "Bảo quản khô" in str(finding.values["text"])
    assert 2 < num(finding, "ratio") < 4.5 and finding.values["field"] == BRAND[0][0]


def test_mandatory_text_on_a_light_colour_or_under_a_later_shape_passes(renderer: Renderer) -> None:
    # a pale green band under the text reads well; a dark box painted after the text is a cover
    # (pdf-mandatory-covered), not the text's background
    band = '<p style="background: device-cmyk(0.08 0 0.45 0)">Bảo quản khô</p>'
    pdf = render(renderer, label_html(extra=band))
    assert check_label_pdf(pdf, expect(required_texts=(*REQUIRED, "Bảo quản khô"), colours=BRAND)) == []


def test_a_label_left_a_third_empty_suggests_a_lower_one(good_pdf: bytes) -> None:
    finding = only(check_label_pdf(good_pdf, expect(unused_share=Decimal("0.25"))), "pdf-space-unused")
    empty, suggested = finding.values["empty_percent"], finding.values["suggested_mm"]
    assert isinstance(empty, int) and isinstance(suggested, int)
    assert empty > 25 and finding.values["height_mm"] == 140
    assert 140 * (1 - empty / 100) - 1 <= suggested <= 140 * (1 - empty / 100) + 1


def test_a_full_enough_label_passes(good_pdf: bytes) -> None:
    assert check_label_pdf(good_pdf, expect(unused_share=Decimal("0.9"))) == []


# --- the sample labels ----------------------------------------------------------------------


def expect_from_context(context: dict[str, object], required: list[str],
                        min_char_mm: Decimal | None) -> LabelExpect:
    """What a planned label must show, from the plan's context (magnification from the symbol width)."""
    sizes = context["sizes"]
    assert isinstance(sizes, dict)
    width = context["ean_width_mm"]
    assert isinstance(width, Decimal)
    magnification = width / (gs1.X_NOMINAL_MM * (gs1.QUIET_LEFT_X + gs1.EAN13_MODULES + gs1.QUIET_RIGHT_X))
    return LabelExpect(name_vi=str(context["name_vi"]),
                       name_en=str(context["name_en"]) if context["name_en"] else None,
                       quantity=str(context["quantity"]), figure_min_mm=sizes["figure_min_mm"],
                       min_char_mm=min_char_mm, gtin=str(context["gtin"]), magnification=magnification,
                       digital_link=str(context["digital_link"]) if context["digital_link"] else None,
                       required_texts=tuple(required))


def test_first_sample_label_passes_clean(renderer: Renderer, tmp_path: Path) -> None:
    checked = pipeline.check(PRODUCTS)
    pipeline.plan(checked)
    doc = checked.plans[0]
    built, problems = render_one(doc, make_env(TEMPLATES), renderer, TEMPLATES, tmp_path)
    assert built is not None, problems
    pdf = (tmp_path / doc.path).read_bytes()
    assert doc.pdf_expect is not None and len(doc.pdf_expect.required_texts) > 10
    assert problems == []  # the PDF rules ran on it, with the mandatory texts of its data
    expected = expect_from_context(doc.context["label"], list(doc.pdf_expect.required_texts), Decimal("0.9"))
    assert check_label_pdf(pdf, expected) == []
