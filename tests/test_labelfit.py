"""The label size prediction (documents/labelfit.py) against the laid-out labels, and the fill search.

The first layout of a label is at the predicted size; a prediction that misses by more than the
step a second layout is worth costs one. The blocks the model counts (the head with the badge
zone, the codes' column beside the text) must measure what label.css lays out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ocopdocs import pipeline, workers
from ocopdocs.documents import Fit, Plan, labelfit
from ocopdocs.domain.design import Look, look
from ocopdocs.render import FitBox, Layout, Renderer
from ocopdocs.templating import make_env

from .conftest import PRODUCTS, TEMPLATES


@pytest.fixture(scope="module")
def first_layouts(renderer: Renderer) -> list[tuple[Plan, Look, str, Decimal, Layout]]:
    """Each sample label laid out once, as the fill search starts: its first variant at its prediction."""
    checked = pipeline.check(PRODUCTS)
    looks = {e.id: look(e.producer.model, e.model) for e in checked.buildable()
             if e.producer.model is not None and e.model is not None}
    env = make_env(TEMPLATES)
    found = []
    for doc in (p for p in checked.plans if p.kind == "label"):
        assert doc.fit is not None
        variant, size = doc.fit.choices[0]
        html = env.get_template(doc.template).render(
            **doc.context, **doc.fit.context(size, variant), present={}, built=[], draft=False)
        layout = renderer.layout(html, base=TEMPLATES / "label", stylesheets=[TEMPLATES / "label/label.css"],
                                 roots=[TEMPLATES, *doc.roots])
        found.append((doc, looks[doc.product], variant, size, layout))
    return found


def test_the_codes_column_is_predicted_to_the_millimetre(
        first_layouts: list[tuple[Plan, Look, str, Decimal, Layout]]) -> None:
    """On the wide labels the EAN-13 and the QR's caption do not fit side by side: the model knows."""
    checked = 0
    for doc, chosen, variant, size, layout in first_layouts:
        if variant != "side":
            continue
        assert layout.fit is not None
        predicted = labelfit.parts(doc.context["label"], chosen, variant, float(size))["beside"]
        assert predicted == pytest.approx(layout.fit.beside_mm, abs=0.3), doc.path
        checked += 1
    assert checked >= 10  # the landscape and the wide labels among them


def test_the_first_layout_is_not_taller_than_predicted(
        first_layouts: list[tuple[Plan, Look, str, Decimal, Layout]]) -> None:
    """The measured height is at most the predicted one and a line of text that wraps differently:
    a model that counts too little overflows the first layout (the old one: by 20 mm and more)."""
    for doc, chosen, variant, size, layout in first_layouts:
        assert layout.fit is not None
        predicted = labelfit._height(doc.context["label"], chosen, variant, float(size))
        line = labelfit.LINE * float(size) * labelfit.PT_MM
        assert layout.fit.content_mm <= predicted + line + 0.5, (doc.path, predicted, layout.fit)


def _fake(overflow: float, content: float) -> Layout:
    return Layout(None, 1, (100.0, 100.0), overflow, 0.0, "", [], FitBox(94.0, content, content - 20, 0.0))


def test_an_overflow_by_less_than_a_line_tries_one_step_smaller() -> None:
    tried: list[Decimal] = []

    def attempt(size: Decimal) -> Any:
        tried.append(size)
        return _fake(1.5, 95.5) if size > Decimal("6.7") else _fake(0.0, 93.5)

    workers._fill_one(attempt, Fit(Decimal(5), Decimal(10), (("side", Decimal("6.8")),)), Decimal("6.8"))
    assert tried == [Decimal("6.8"), Decimal("6.7")]


def test_an_overflow_by_more_than_a_line_aims_lower() -> None:
    tried: list[Decimal] = []

    def attempt(size: Decimal) -> Any:
        tried.append(size)
        return _fake(8.0, 102.0) if size > Decimal("6.5") else _fake(0.0, 93.9)

    workers._fill_one(attempt, Fit(Decimal(5), Decimal(10), (("side", Decimal("6.8")),)), Decimal("6.8"))
    assert tried[1] < Decimal("6.7")


def test_a_column_cut_short_at_the_page_bottom_does_not_fit(renderer: Renderer) -> None:
    """WeasyPrint drops the last lines of a float that runs past the page's bottom; the end mark
    after them is gone too, and the layout must count that as overflow, not as a fit."""
    def page(column_lines: int) -> str:
        lines = "".join(f"<p>dòng {i}</p>" for i in range(column_lines))
        return ("<style>@page { size: 60mm 40mm; margin: 0 } p { margin: 0; line-height: 1.22 }</style>"
                '<div data-fit="box" style="height: 40mm; font-size: 10pt">'
                '<section data-fit="beside" style="float: right; width: 20mm; break-inside: avoid">'
                f'{lines}<div data-fit="end"></div></section><p data-fit="flow">chữ</p></div>')
    fits = renderer.layout(page(5), base=TEMPLATES, stylesheets=[], roots=[TEMPLATES])
    cut = renderer.layout(page(20), base=TEMPLATES, stylesheets=[], roots=[TEMPLATES])
    assert fits.overflow_mm == 0 and "dòng 4" in fits.text
    assert "dòng 19" not in cut.text  # the lines lost, on no page
    assert cut.overflow_mm >= 10 * 1.22 * 25.4 / 72 * 0.9  # at least a line of the box's text
