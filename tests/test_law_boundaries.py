"""Legal dates and thresholds, each tested on both sides of its boundary.

The expected figures are the law as ../shared/domain/regulations.md states it, written out
here and never read from ocopdocs/law/*.yaml: a figure changed in the data, or a ``<`` written
for a ``≤`` in the code, fails a test. Only stable entry points are used: the law readers
(``label_law()``), the rule catalogue, the YAML data, and ``pipeline.check`` / ``pipeline.build``
on a sample product copied into a temporary folder and edited as text.

The sample is "Miến dong gói nhỏ" of htx-khuoi-dong: printed 28/09/2026, made 02/10/2026, declared 05/10/2026
with a test report of 25/08/2026; its producer's food-safety certificate ends 20/05/2027 and
two staff health certificates are dated 10/03/2026. On 29/11/2026 it has no error or warning.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from ocopdocs import pipeline
from ocopdocs.errors import Problem
from ocopdocs.law import label_law, ocop_law, trademark_law
from ocopdocs.render import Renderer
from ocopdocs.rules import catalogue

from .conftest import TEMPLATES, build_and_publish, copy_sample, write_tree

PRODUCER = "htx-khuoi-dong"
PRODUCT = "mien-dong-goi-nho"
AS_OF = date(2026, 11, 29)
"""A day on which the sample product has neither error nor warning."""
LABEL = f"{PRODUCER}/{PRODUCT}/label-hop-10x50g.pdf"
NOTHING = ["trademark-rules-of-use"]
"""A document kind the sample has none of: a build that renders nothing."""

OLD_LAST_DAY = date(2026, 1, 22)
"""The last print date judged by Decree 43/2017 (as amended by 111/2021)."""
NEW_FIRST_DAY = date(2026, 1, 23)
"""Decree 37/2026 is in force from its signature, 23/01/2026."""


Edits = Sequence[tuple[str, str]]
"""(old, new) text replacements, each of a text that occurs once."""


def swap(text: str, old: str, new: str) -> str:
    """Replace the one occurrence of ``old``."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


class Sample:
    """The sample product and its producer, copied once, rewritten with edits for each check."""

    def __init__(self, root: Path) -> None:
        self.products = copy_sample(root, PRODUCER, [PRODUCT])
        self.product_path = self.products / PRODUCER / f"{PRODUCT}.yaml"
        self.producer_path = self.products / PRODUCER / "producer.yaml"
        self.product = self.product_path.read_text(encoding="utf-8")
        self.producer = self.producer_path.read_text(encoding="utf-8")

    def write(self, product: Edits = (), producer: Edits = ()) -> None:
        text, producer_text = self.product, self.producer
        for old, new in product:
            text = swap(text, old, new)
        for old, new in producer:
            producer_text = swap(producer_text, old, new)
        self.product_path.write_text(text, encoding="utf-8")
        self.producer_path.write_text(producer_text, encoding="utf-8")

    def check(self, as_of: date, product: Edits = (), producer: Edits = ()) -> list[Problem]:
        self.write(product, producer)
        return pipeline.check(self.products, as_of).problems


@pytest.fixture
def sample(tmp_path: Path) -> Sample:
    return Sample(tmp_path)


def found(problems: list[Problem], *prefixes: str) -> list[tuple[str, str, str]]:
    """(code, severity, field) of the problems whose code starts with one of ``prefixes``."""
    return [(p.code, p.severity, p.field) for p in problems if p.code.startswith(prefixes)]


def message(problems: list[Problem], code: str) -> str:
    [problem] = [p for p in problems if p.code == code]
    return problem.message


def printed_on(day: str) -> tuple[str, str]:
    return "  print_date: 2026-09-28\n", f"  print_date: {day}\n"


def test_the_sample_is_clean_on_the_reference_day(sample: Sample) -> None:
    assert [p for p in sample.check(AS_OF) if p.severity != "info"] == []


# ------------------------------------------------ net quantity figures (Circular 21/2014 App. II)


@pytest.mark.parametrize(("grams", "mm"), [
    ("0.5", 2), ("1", 2), ("50", 2),          # Qn ≤ 50: 2 mm
    ("50.5", 3), ("51", 3), ("200", 3),       # 50 < Qn ≤ 200: 3 mm
    ("200.5", 4), ("201", 4), ("1000", 4),    # 200 < Qn ≤ 1000: 4 mm
    ("1000.5", 6), ("1001", 6), ("25000", 6),  # Qn > 1000: 6 mm
])
def test_quantity_figure_height_on_both_sides_of_each_band(grams: str, mm: int) -> None:
    assert label_law().min_figure_height(Decimal(grams)) == Decimal(mm)


def test_quantity_figure_height_table_is_the_circulars() -> None:
    bands = [(b.up_to, b.min_mm) for b in label_law().quantity_figure_heights_mm]
    assert bands == [(Decimal(50), Decimal(2)), (Decimal(200), Decimal(3)), (Decimal(1000), Decimal(4)),
                     (None, Decimal(6))]


# ------------------------------------------- minimum character height (Decree 37/2026 Art. 37.3)


def test_min_character_height_is_0_9_mm() -> None:
    regimes = {r.id: r.min_character_height_mm for r in label_law().regimes}
    assert regimes == {"nd43-2017": None, "nd37-2026": Decimal("0.9")}


SECOND_GTIN = "8936043120042"
"""A second package of the sample, whose label gets the footnote just above the minimum."""
FOOTNOTE = "Ghi chú cỡ nhỏ xem vỏ hộp"


@pytest.fixture(scope="module")
def footnote_build(tmp_path_factory: pytest.TempPathFactory, renderer: Renderer) -> pipeline.BuildResult:
    """Two labels of the sample, built by the pipeline with a footnote added to the template.

    DejaVu Sans' x-height is about 0.555 em as pdfium measures it: the footnote is set at
    1.57 mm (x-height about 0.87 mm) on the first label and 1.66 mm (about 0.92 mm) on the second.
    """
    root = tmp_path_factory.mktemp("footnote")
    products = copy_sample(root, PRODUCER, [PRODUCT])
    path = products / PRODUCER / f"{PRODUCT}.yaml"
    text = path.read_text(encoding="utf-8")
    package = text[text.index("  - sku: hop-10x50g\n"):text.index("lot:\n")]
    second = swap(swap(package, "sku: hop-10x50g", "sku: chu-lon"), '"8936043120035"', f'"{SECOND_GTIN}"')
    path.write_text(swap(text, package, package + second), encoding="utf-8")
    size = f'{{% if label.gtin == "{SECOND_GTIN}" %}}1.66mm{{% else %}}1.57mm{{% endif %}}'
    body = (TEMPLATES / "label/body.html").read_text(encoding="utf-8")
    templates = write_tree(root / "templates", {
        "label/body.html": swap(body, '<section class="codes"',
                                f'<p style="font-size: {size}">{FOOTNOTE}</p>\n<section class="codes"'),
        **{f"label/{name}": (TEMPLATES / "label" / name).read_text(encoding="utf-8")
           for name in ("label.html", "label.css")},
    })
    return pipeline.build(products, root / "output", templates, renderer=renderer, only=["label"], as_of=AS_OF)


def test_text_below_0_9_mm_is_flagged_and_text_above_is_not(footnote_build: pipeline.BuildResult) -> None:
    # the label under the minimum is flagged and, being unlawful, not written; the other is built
    assert sorted(b.plan.variant or "" for b in footnote_build.built) == ["chu-lon"]
    problems = [p for p in footnote_build.problems if p.severity != "info"]
    assert [(p.code, p.severity, p.document) for p in problems] == [("pdf-min-char-height", "error", LABEL)]
    measured, minimum = (float(x.replace(",", ".")) for x in re.findall(r"(\d+[,.]\d+) mm", problems[0].message))
    assert 0.85 <= measured < 0.9
    assert minimum == 0.9
    assert FOOTNOTE in problems[0].message


# ------------------------------------------------- barcode magnification (GS1: 80 % to 200 %)


@pytest.mark.parametrize(("value", "error"), [("0.79", "too-small"), ("0.8", None), ("2.0", None),
                                               ("2.01", "too-large")])
def test_barcode_magnification_is_accepted_from_0_8_to_2_0(sample: Sample, value: str, error: str | None) -> None:
    problems = sample.check(AS_OF, [("barcode_magnification: 1.0", f"barcode_magnification: {value}")])
    expected = [] if error is None else [(error, "error", "packages[0].barcode_magnification")]
    assert [(p.code, p.severity, p.field) for p in problems if p.severity != "info"] == expected


# ----------------------------------------------------- the labelling regime switch, 23/01/2026


def test_the_regime_table_switches_on_23_january_2026() -> None:
    law = label_law()
    old, new = law.regime_on(OLD_LAST_DAY), law.regime_on(NEW_FIRST_DAY)
    assert (old.id, old.short) == ("nd43-2017", "NĐ 43/2017")
    assert "43/2017" in old.instrument and "111/2021" in old.instrument
    assert (new.id, new.short, new.instrument) == ("nd37-2026", "NĐ 37/2026", "Nghị định 37/2026/NĐ-CP")
    assert law.regime_on(date(2017, 6, 1)).id == "nd43-2017"
    assert law.regime_on(date(2040, 1, 1)).id == "nd37-2026"


@pytest.mark.parametrize(("last", "first", "read", "before", "after"), [
    # the nutrition circular (Circular 30/2026 in force from 10/07/2026)
    (date(2026, 7, 9), date(2026, 7, 10), lambda day: label_law().nutrition_on(day).instrument,
     "Thông tư 29/2023/TT-BYT", "Thông tư 30/2026/TT-BYT"),
    # the OCOP score split: Decision 148 (40 / 25 / 35) from 24/02/2023, 1048/2019 (35 / 25 / 40) before
    (date(2023, 2, 23), date(2023, 2, 24), lambda day: ocop_law().era_on(day).parts,
     {"A": 35, "B": 25, "C": 40}, {"A": 40, "B": 25, "C": 35}),
    # the trademark form: Form 08 of Decree 65/2023 until 31/03/2026, Form 04 of Circular 10/2026 after
    (date(2026, 3, 31), date(2026, 4, 1), lambda day: trademark_law().form_on(day).citation,
     "Mẫu số 08, Phụ lục I, Nghị định 65/2023/NĐ-CP", "Mẫu số 04, Phụ lục I, Thông tư 10/2026/TT-BKHCN"),
], ids=["nutrition", "ocop-score-split", "trademark-form"])
def test_the_other_dated_tables_switch_on_their_day(last: date, first: date, read: Callable[[date], object],
                                                    before: object, after: object) -> None:
    assert (read(last), read(first)) == (before, after)


@pytest.mark.parametrize("table", ["regimes", "nutrition", "ocop-eras", "trademark-forms", "trademark-fees"])
def test_dated_tables_have_no_gap_and_no_overlap(table: str) -> None:
    # the readers fall back to an entry for a day no entry covers, which would hide a gap
    entries = {"regimes": lambda: label_law().regimes, "nutrition": lambda: label_law().nutrition,
               "ocop-eras": lambda: ocop_law().eras, "trademark-forms": lambda: trademark_law().forms,
               "trademark-fees": lambda: trademark_law().fees}[table]()
    spans = [(e.applies_from, e.applies_until) if hasattr(e, "applies_from") else (e.valid_from, e.valid_until)
             for e in entries]
    for (_, until), (start, _) in itertools.pairwise(spans):
        assert until is not None and until + timedelta(days=1) == start, spans
    assert spans[-1][1] is None


ND43 = "NĐ 43/2017/NĐ-CP (sửa đổi bởi NĐ 111/2021/NĐ-CP)"
ND37 = "NĐ 37/2026/NĐ-CP"
ERAS: dict[str, tuple[tuple[str, str] | None, tuple[str, str] | None]] = {
    # code: (entry on 22/01/2026, entry on 23/01/2026) as (instrument, severity); None: no rule
    "label-mandatory-item": ((ND43, "error"), (ND37, "error")),
    "label-country-abbreviated": ((ND43, "error"), (ND37, "error")),
    "label-origin-phrase": ((ND43, "error"), None),  # "Made in" is allowed from 37/2026
    "label-date-format": ((ND43, "error"), (ND37, "error")),
    "label-highlighted-percent": ((ND43, "error"), (ND37, "error")),
    "label-name-ingredient-percent": ((ND43, "warning"), (ND37, "warning")),
    "label-free-from-claim": (None, (ND37, "error")),
    # 43/2017 is not in sources/: its articles on ingredient order and covered content are not cited
    "label-ingredient-order": (None, (ND37, "error")),
    "pdf-mandatory-covered": (None, (ND37, "error")),
    "label-additive-named": ((ND43, "error"), (ND37, "error")),
    "label-additive-qualifier": (None, (ND37, "error")),
    "label-supplement-sentences": ((ND43, "error"), (ND37, "error")),
    "label-old-regime": ((ND43, "warning"), None),
    "label-old-regime-expired": ((ND43, "error"), None),
    "pdf-name-largest": ((ND43, "error"), (ND37, "error")),
    "pdf-min-char-height": (None, (ND37, "error")),  # the 0.9 mm figure is new in 37/2026
    "pdf-foreign-larger": ((ND43, "error"), (ND37, "error")),
    "pdf-text-missing": ((ND43, "error"), (ND37, "error")),
}


def test_every_rule_that_changes_on_23_january_2026_changes_as_the_decrees_say() -> None:
    rules = catalogue()

    def entry(code: str, day: date) -> tuple[str, str] | None:
        rule = rules.rule(code, day)
        return None if rule is None else (rule.instrument, rule.severity)

    changing = [code for code in rules.codes() if rules.rule(code, OLD_LAST_DAY) != rules.rule(code, NEW_FIRST_DAY)]
    assert {code: (entry(code, OLD_LAST_DAY), entry(code, NEW_FIRST_DAY)) for code in changing} == ERAS


def test_regime_dates_and_rule_eras_agree() -> None:
    eras = catalogue().eras
    regimes = {r.id: r for r in label_law().regimes}
    old, new = regimes["nd43-2017"], regimes["nd37-2026"]
    assert (old.applies_from, old.applies_until) == (eras["nd43"]["applies_from"], eras["nd43"]["applies_until"])
    assert (new.applies_from, new.applies_until) == (eras["nd37"]["applies_from"], eras["nd37"]["applies_until"])
    assert old.applies_until == OLD_LAST_DAY and new.applies_from == NEW_FIRST_DAY
    assert old.applies_until + timedelta(days=1) == new.applies_from  # no gap, no overlap
    # no rule entry has dates of its own: each takes those of one era
    spans = {(era["applies_from"], era["applies_until"]) for era in eras.values()}
    assert [r.code for r in catalogue().rules if (r.applies_from, r.applies_until) not in spans] == []


def test_a_label_printed_on_22_january_2026_is_old_regime_and_on_the_23rd_is_not(sample: Sample) -> None:
    old = sample.check(AS_OF, [printed_on("2026-01-22")])
    assert found(old, "label-old-regime") == [("label-old-regime", "warning", "lot.print_date")]
    new = sample.check(AS_OF, [printed_on("2026-01-23")])
    assert found(new, "label-old-regime") == []


# -------------------------------------------------------------------------- grace periods


def test_old_regime_labels_are_usable_until_22_january_2028(sample: Sample) -> None:
    # Art. 98.4: labels already printed may be used for 2 years from 23/01/2026
    assert label_law().regime_on(OLD_LAST_DAY).usable_until == date(2028, 1, 22)
    last_day = sample.check(date(2028, 1, 22), [printed_on("2026-01-22")])
    day_after = sample.check(date(2028, 1, 23), [printed_on("2026-01-22")])
    assert found(last_day, "label-old-regime") == [("label-old-regime", "warning", "lot.print_date")]
    assert found(day_after, "label-old-regime") == [("label-old-regime-expired", "error", "lot.print_date")]
    assert "22/01/2028" in message(last_day, "label-old-regime")
    assert "22/01/2028" in message(day_after, "label-old-regime-expired")


OLD_DISTRICT = ('      commune: "xã Côn Minh"\n      province: "tỉnh Thái Nguyên"\nlegal_representative:',
                '      commune: "xã Côn Minh"\n      district: "huyện Na Rì"\n      province: "tỉnh Thái Nguyên"\n'
                "legal_representative:")


def test_an_abolished_district_is_usable_until_30_june_2027(sample: Sample) -> None:
    # Art. 98.5: 2 years (24 months) from the reform's effective date, 01/07/2025
    last_day = sample.check(date(2027, 6, 30), producer=[OLD_DISTRICT])
    day_after = sample.check(date(2027, 7, 1), producer=[OLD_DISTRICT])
    field = "production_sites[0].address.district"
    assert found(last_day, "address-old-unit") == [("address-old-unit", "warning", field)]
    assert found(day_after, "address-old-unit") == [("address-old-unit-expired", "error", field)]
    assert "30/06/2027" in message(last_day, "address-old-unit")
    assert "30/06/2027" in message(day_after, "address-old-unit-expired")


# ------------------------------------------------------------------- validity and age limits


def report_dated(day: str) -> tuple[str, str]:
    old = 'report_no: "KN2608-1527/VB"\n      date: 2026-08-25'
    return old, old.replace("2026-08-25", day)


def test_a_test_report_may_be_12_months_old_on_the_declaration_date(sample: Sample) -> None:
    # declared 05/10/2026 (Decree 15/2018 Art. 5.1.b: a report issued within 12 months before)
    assert found(sample.check(AS_OF, [report_dated("2025-10-05")]), "fs-test-report-old") == []
    assert found(sample.check(AS_OF, [report_dated("2025-10-04")]), "fs-test-report-old") == [
        ("fs-test-report-old", "gap", "food_safety.test_reports[0].date")]


def test_a_health_certificate_is_good_for_12_months(sample: Sample) -> None:
    # staff[0] and staff[1] are certified 10/03/2026, the others later
    assert found(sample.check(date(2027, 3, 10)), "fs-health-certificate-old") == []
    assert found(sample.check(date(2027, 3, 11)), "fs-health-certificate-old") == [
        ("fs-health-certificate-old", "warning", "staff[0].health_certificate_date"),
        ("fs-health-certificate-old", "warning", "staff[1].health_certificate_date")]


def ocop_issued(day: str) -> tuple[str, str]:
    return "ocop:\n  status: existing\n", (
        f'ocop:\n  certificate:\n    stars: 4\n    certificate_no: "1/QĐ-UBND"\n'
        f'    issued_by: "UBND tỉnh Thái Nguyên"\n    issued_on: {day}\n  status: existing\n')


def test_an_ocop_certificate_is_valid_for_36_months(sample: Sample) -> None:
    # issued 29/09/2023: valid up to and including 28/09/2026
    issued = [ocop_issued("2023-09-29")]
    last_day = sample.check(date(2026, 9, 28), issued)
    day_after = sample.check(date(2026, 9, 29), issued)
    assert found(last_day, "ocop-certificate") == [("ocop-certificate-expiring", "warning", "ocop.certificate.issued_on")]
    assert found(day_after, "ocop-certificate") == [("ocop-certificate-expired", "warning", "ocop.certificate.issued_on")]
    assert "28/09/2026" in message(last_day, "ocop-certificate-expiring")
    assert "28/09/2026" in message(day_after, "ocop-certificate-expired")


def test_the_ocop_badge_needs_the_certificate_valid_on_the_print_date(sample: Sample) -> None:
    # printed 28/09/2026: the last valid day of a certificate issued 29/09/2023
    assert found(sample.check(AS_OF, [ocop_issued("2023-09-29")]), "label-ocop-certificate") == []
    assert found(sample.check(AS_OF, [ocop_issued("2023-09-28")]), "label-ocop-certificate") == [
        ("label-ocop-certificate", "warning", "ocop.certificate.issued_on")]


def test_an_ocop_certificate_warns_90_days_ahead(sample: Sample) -> None:
    # valid until 28/09/2026: 90 days after 30/06/2026
    issued = [ocop_issued("2023-09-29")]
    assert found(sample.check(date(2026, 6, 30), issued), "ocop-certificate") == [
        ("ocop-certificate-expiring", "warning", "ocop.certificate.issued_on")]
    assert found(sample.check(date(2026, 6, 29), issued), "ocop-certificate") == []


def test_the_food_safety_certificate_warns_90_days_ahead_and_expires_after_its_last_day(sample: Sample) -> None:
    # valid until 20/05/2027: 90 days after 19/02/2027
    field = "food_safety_certificate.valid_until"
    assert found(sample.check(date(2027, 2, 18)), "fs-certificate") == []
    inside = sample.check(date(2027, 2, 19))
    assert found(inside, "fs-certificate") == [("fs-certificate-expiring", "warning", field)]
    assert re.search(r"\b90\b", message(inside, "fs-certificate-expiring"))
    assert found(sample.check(date(2027, 5, 20)), "fs-certificate") == [("fs-certificate-expiring", "warning", field)]
    assert found(sample.check(date(2027, 5, 21)), "fs-certificate") == [("fs-certificate-expired", "gap", field)]


# ------------------------------------------------------------------- the readiness report


def report_row(output: Path) -> dict[str, str]:
    """The sample's row of report.csv, by (Vietnamese) column name."""
    data = (output / "report.csv").read_bytes().decode("utf-8-sig")
    [header, row] = list(csv.reader(io.StringIO(data, newline="")))
    return dict(zip(header, row, strict=True))


def page_status(output: Path) -> str:
    """The sample's status on index.html: ready or blocked."""
    page = (output / "index.html").read_text(encoding="utf-8")
    [status] = re.findall(rf'<tr class="product" id="p-{PRODUCER}-{PRODUCT}"[^>]*data-status="(\w+)"', page)
    return status


def test_the_report_lists_what_expires_within_90_days(sample: Sample, renderer: Renderer,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCOPDOCS_LANG", raising=False)
    column = "Giấy tờ đã hết hạn hoặc sắp hết hạn"
    sample.write()
    listed = {}
    for day in (date(2027, 2, 18), date(2027, 2, 19)):  # the certificate ends 20/05/2027
        output = sample.products.parent / f"output-{day}"
        build_and_publish(sample.products, output, TEMPLATES, renderer=renderer, only=NOTHING, as_of=day)
        listed[day] = report_row(output)[column]
    assert "27/2024/GCNATTP-SCT" not in listed[date(2027, 2, 18)]
    assert "27/2024/GCNATTP-SCT: hết hạn ngày 20/05/2027, còn 90 ngày" in listed[date(2027, 2, 19)]


def without_ocop(text: str) -> str:
    """The product without its OCOP section: a label, a declaration and the producer's certificate."""
    cut = re.sub(r"\nocop:\n.*?\n(# Food-safety dossier data)", r"\n\1", text, flags=re.S)
    assert cut != text
    return cut


KIND_COLUMNS = ("nhãn: tình trạng", "bản tự công bố: tình trạng", "hồ sơ cơ sở ATTP: tình trạng")


def test_a_product_whose_documents_were_never_built_is_not_ready(sample: Sample, renderer: Renderer,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCOPDOCS_LANG", raising=False)
    sample.product = without_ocop(sample.product)
    sample.write()
    output = sample.products.parent / "output"
    result = build_and_publish(sample.products, output, TEMPLATES, renderer=renderer, only=NOTHING, as_of=AS_OF)
    assert [p for p in result.problems if p.severity != "info"] == []  # nothing else holds it back
    row = report_row(output)
    assert [row[c] for c in KIND_COLUMNS] == ["Chưa dựng được"] * 3
    assert (row["Số lỗi"], row["Minh chứng còn thiếu"]) == ("0", "")
    assert row["Tình trạng"] == "Còn vướng"
    assert page_status(output) == "blocked"


def test_a_product_whose_label_fails_to_render_is_not_ready(sample: Sample, renderer: Renderer,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCOPDOCS_LANG", raising=False)
    sample.product = swap(without_ocop(sample.product), "height_mm: 100", "height_mm: 20")  # 150 × 20 mm
    sample.write()
    output = sample.products.parent / "output"
    result = build_and_publish(sample.products, output, TEMPLATES, renderer=renderer, as_of=AS_OF)
    assert [(p.code, p.document) for p in result.errors if p.document == LABEL] == [("render-overflow", LABEL)]
    assert not (output / LABEL).exists()
    assert sorted(b.plan.kind for b in result.built) == ["food-safety-certificate", "food-safety-declaration"]
    row = report_row(output)
    assert row["nhãn: tình trạng"] == "Chưa dựng được"
    assert row["Tình trạng"] == "Còn vướng"
    assert page_status(output) == "blocked"
