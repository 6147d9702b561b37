"""Label design: themes as data, brand colours, logo, fonts, type that fills the label.

Read back from the PDFs: the fonts embedded, the text's size, what the PDF rules find.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from ocopdocs import pipeline
from ocopdocs.design import design
from ocopdocs.render import Layout, Renderer
from ocopdocs.templating import make_env
from ocopdocs.workers import render_one

from .conftest import PRODUCTS, TEMPLATES, SampleBuild, copy_sample, fonts_embedded

PRODUCER, PRODUCT = "htx-khuoi-dong", "mien-dong"


def with_design(products: Path, block: str, producer: str = PRODUCER) -> Path:
    """Replace the producer's ``design:`` block (the last lines of the sample) with ``block``."""
    path = products / producer / "producer.yaml"
    text = path.read_text(encoding="utf-8")
    text = text[:text.index("design:")] if "design:" in text else text
    path.write_text(text + block, encoding="utf-8")
    return products


def letters(name: str) -> str:
    """A font name without spaces and hyphens: "Noto-Sans" and "Noto Sans" are "NotoSans"."""
    return re.sub(r"[^A-Za-z]", "", name)


def body_sizes(path: Path) -> list[float]:
    """The font sizes (pt) of the page's characters, most used first."""
    pdf = pdfium.PdfDocument(str(path))
    counts: dict[float, int] = {}
    try:
        textpage = pdf[0].get_textpage()
        matrix = pdfium_c.FS_MATRIX()
        for i in range(textpage.count_chars()):
            if pdfium_c.FPDFText_IsGenerated(textpage, i):
                continue
            pdfium_c.FPDFText_GetMatrix(textpage, i, matrix)
            size = round(pdfium_c.FPDFText_GetFontSize(textpage, i) * math.hypot(matrix.c, matrix.d), 1)
            counts[size] = counts.get(size, 0) + 1
    finally:
        pdf.close()
    return sorted(counts, key=lambda s: -counts[s])


@pytest.mark.parametrize("theme", sorted(design().themes))
def test_every_theme_builds_a_sample_clean(tmp_path: Path, renderer: Renderer, theme: str) -> None:
    products = with_design(copy_sample(tmp_path, PRODUCER, [PRODUCT]), f"design:\n  theme: {theme}\n")
    result = pipeline.build(products, tmp_path / "out", TEMPLATES, renderer=renderer, only=["label"])
    assert [p.code for p in result.problems if p.severity in ("error", "warning")] == []
    family = letters(design().fonts[design().themes[theme].font].family)
    for built in result.built:
        fonts = [letters(name.split("+")[-1]) for name in fonts_embedded(tmp_path / "out" / built.plan.path)]
        assert family in fonts, fonts  # the theme's font, no substitute
        assert "OCRB" in fonts, fonts  # the barcode's digits in OCR-B


def test_a_dark_brand_colour_under_the_name_is_an_error_naming_its_field(tmp_path: Path,
                                                                         renderer: Renderer) -> None:
    block = "design:\n  theme: band\n  colours:\n    primary: [85, 45, 0, 20]\n"
    products = with_design(copy_sample(tmp_path, PRODUCER, [PRODUCT]), block)
    result = pipeline.build(products, tmp_path / "out", TEMPLATES, renderer=renderer, only=["label"])
    found = [p for p in result.errors if p.code == "pdf-text-contrast"]
    assert found and all("design.colours.primary (producer.yaml)" in p.message for p in found)
    assert "Miến dong" in found[0].message
    assert result.built == [] and not list((tmp_path / "out").rglob("*.pdf"))  # illegible: not written


def test_an_unknown_theme_is_refused_with_the_choices(tmp_path: Path) -> None:
    products = with_design(copy_sample(tmp_path, PRODUCER, [PRODUCT]), "design:\n  theme: rainbow\n")
    problems = pipeline.check(products).project.problems
    [problem] = [p for p in problems if p.field == "design.theme"]
    assert "rainbow" in problem.message and "band" in problem.message


def test_a_font_that_is_not_installed_stops_the_label(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renderer = Renderer()
    monkeypatch.setattr(renderer, "font_installed", lambda family: family != "Noto Serif")
    products = with_design(copy_sample(tmp_path, PRODUCER, [PRODUCT]), "design:\n  font: noto-serif\n")
    result = pipeline.build(products, tmp_path / "out", TEMPLATES, renderer=renderer, only=["label"])
    assert {p.code for p in result.errors} == {"render-font-missing"}
    assert "Noto Serif" in result.errors[0].message and result.built == []


def test_the_logo_is_drawn_from_the_producers_folder(sample_build: SampleBuild) -> None:
    path = sample_build.output / "htx-khuoi-ma/tra-gung/label-hop-20x12g.pdf"
    pdf = pdfium.PdfDocument(str(path))
    try:
        images = [o for o in pdf[0].get_objects() if o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE]
        assert len(images) == 1
        _, bottom, _, top = (v * 25.4 / 72 for v in images[0].get_bounds())
        assert top - bottom >= float(design().logo.height_mm) - 0.1  # grown with the name
    finally:
        pdf.close()


def test_the_samples_show_every_theme() -> None:
    checked = pipeline.check(PRODUCTS)
    themes = {p.context["label"]["design"]["theme"] for p in checked.plans if p.kind == "label"}
    assert themes == set(design().themes)


def test_type_fills_the_label_in_one_or_two_layouts(tmp_path: Path) -> None:
    """Every sample label: the body is the largest that fits (0.5 pt more overflows), or the theme's
    largest; laid out at most twice a label on average, never more than 4 times."""
    checked = pipeline.check(PRODUCTS)
    renderer, env = Renderer(), make_env(TEMPLATES)
    counted: list[str] = []
    layout = renderer.layout

    def counting(html: str, **options: object) -> Layout:
        counted.append(html)
        return layout(html, **options)  # type: ignore[arg-type]

    renderer.layout = counting  # type: ignore[method-assign]
    per_label = []
    plans = [p for p in checked.plans if p.kind == "label"]
    for doc in plans:
        counted.clear()
        built, problems = render_one(doc, env, renderer, TEMPLATES, tmp_path)
        assert built is not None, problems
        per_label.append(len(counted))
        assert doc.fit is not None
        size = Decimal(str(body_sizes(tmp_path / doc.path)[0]))  # the body text is most of the text
        assert built.fit is not None and built.fit["body_pt"] == size  # what a sheet lays out again
        [kept] = [h for h in counted
                  if Decimal(re.findall(r"font-size: ([0-9.]+)pt", h)[0]) == size][-1:]
        if size < doc.fit.max_pt:  # 0.5 pt more overflows
            variant = re.findall(r"layout-(\w+)", kept)[0]
            html = env.get_template(doc.template).render(
                **doc.context, **doc.fit.context(size + Decimal("0.5"), variant), present={}, built=[], draft=False)
            bigger = layout(html, base=TEMPLATES / "label", stylesheets=[TEMPLATES / "label/label.css"],
                            roots=[TEMPLATES, *doc.roots])
            assert bigger.overflow_mm > 0, (doc.path, size)
    assert max(per_label) <= 4 and sum(per_label) / len(per_label) <= 2.0, per_label
