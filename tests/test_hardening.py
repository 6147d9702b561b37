"""Hardening (issue 13): each class of what an attack on main broke, held by a test.

The classes found by the attack and the tests that hold them are listed in README.md,
"Safety". Tests here need no rendering; the fault tests (kill, interrupt, full disk, two
builds at once) are in ``test_faults.py`` and the property-based fuzzing in ``test_fuzz.py``.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from ocopdocs import bundle, pipeline, report
from ocopdocs.templating import make_env

from .conftest import PRODUCTS, TEMPLATES

DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def render_all(result: pipeline.BuildResult) -> None:
    """Plan every document, fill every template, make the report and the bundle lists: no PDF."""
    env = make_env(TEMPLATES)
    for plan in pipeline.plan(result):
        for step in plan.fit_steps[:1]:
            env.get_template(plan.template).render(**{**plan.context, **step, "built": [],
                                                      "present": {a.slot: False for a in plan.attachments}})
    made = report.collect(result)
    report.render_html(made, TEMPLATES)
    report.render_csv(made)
    for producer in {row.producer_slug for row in made.rows}:
        bundle.contents(made, producer, producer, [])


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_every_date_of_the_samples_at_the_ends_of_the_calendar(tmp_path: Path, day: str) -> None:
    """Every date field (213 in the samples) at year 9999 or year 1, judged on both ends too."""
    products = tmp_path / "products"
    shutil.copytree(PRODUCTS, products)
    replaced = 0
    for path in products.rglob("*.yaml"):
        text, count = DATE.subn(day, path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
        replaced += count
    assert replaced > 150
    for as_of in (date.min, date.max, date(2026, 11, 29)):
        result = pipeline.check(products, as_of)
        assert [p for p in result.problems if p.line is None and p.code != "file-name"] == []
        render_all(result)
