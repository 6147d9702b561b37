"""OCOP dossiers: star bands, the dated score split, business-plan totals, and the PDFs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from ocopdocs import pipeline
from ocopdocs.documents.ocop import DOSSIER
from ocopdocs.domain import ocop
from ocopdocs.domain.paths import OCOP_DOSSIER_FILE
from ocopdocs.formatting import vn_number
from ocopdocs.law import ocop_law
from ocopdocs.render import Renderer
from ocopdocs.schema import BusinessPlan, SelfAssessment

from .conftest import PRODUCTS, TEMPLATES, SampleBuild, fonts_embedded, page_size_mm, pdf_text, write_tree
from .test_rules import BASE, OCOP, OCOP_PRODUCER
from .test_schema import edit

AS_OF = date(2026, 11, 29)


@pytest.mark.parametrize(("score", "stars"), [
    ("0", 1), ("29.5", 1), ("29.99", 1), ("30", 2), ("49", 2), ("49.5", 2), ("50", 3), ("69", 3),
    ("69.9", 3), ("70", 4), ("89", 4), ("89.5", 4), ("90", 5), ("100", 5)])
def test_star_bands_at_every_boundary(score: str, stars: int) -> None:
    assert ocop_law().stars_for(Decimal(score)).stars == stars


def _scores(total: Decimal) -> dict[str, Decimal]:
    """Scores on the 148 sheet that add up to ``total`` (above 21): 1 point each, the rest in order."""
    sheet = ocop_law().sheets["qd-148-food"].criteria
    scores = {c.id: Decimal(1) for c in sheet}
    left = total - len(sheet)
    for c in sheet:
        extra = min(c.max - 1, left)
        scores[c.id] += extra
        left -= extra
    assert left == 0, "the total does not fit the sheet"
    return scores


@pytest.mark.parametrize(("total", "stars"), [("89.5", 4), ("90", 5), ("49.5", 2), ("50", 3)])
def test_a_sheet_total_gets_its_band(total: str, stars: int) -> None:
    scored = ocop.assess(SelfAssessment(date=AS_OF, scores=_scores(Decimal(total))))
    assert scored is not None
    assert scored.total == Decimal(total) and scored.stars == stars and scored.unmet == []


def test_a_mandatory_criterion_at_zero_caps_the_rating_below_three_stars() -> None:
    scores = _scores(Decimal(90))
    scores["C3.1"] += scores["A1.1"]  # keep the total: A1.1 (mandatory) gets 0, C3.1 its points
    scores["A1.1"] = Decimal(0)
    scored = ocop.assess(SelfAssessment(date=AS_OF, scores=scores))
    assert scored is not None
    assert (scored.total, scored.band.stars, scored.stars) == (90, 5, 2)
    assert [c.id for c in scored.unmet] == ["A1.1"]


def test_the_score_split_is_dated() -> None:
    law = ocop_law()
    assert law.era_on(date(2023, 2, 23)).parts == {"A": 35, "B": 25, "C": 40}  # Decision 1048/2019
    assert law.era_on(date(2023, 2, 24)).parts == {"A": 40, "B": 25, "C": 35}  # Decision 148/2023
    assert law.era_on(AS_OF).id == "qd-148-2023"
    assert ocop.assess(SelfAssessment(date=date(2022, 6, 1), scores={})) is None  # no 1048 sheet kept


def test_each_sheet_adds_up_to_its_eras_parts() -> None:
    law = ocop_law()
    for era in law.eras:
        if era.sheet is None:
            continue
        sums: dict[str, Decimal] = {}
        for c in law.sheets[era.sheet].criteria:
            sums[c.part] = sums.get(c.part, Decimal(0)) + c.max
        assert sums == {k: Decimal(v) for k, v in era.parts.items()}
        assert sum(era.parts.values()) == 100


def test_business_plan_totals() -> None:
    raw = yaml.safe_load(OCOP)["ocop"]["business_plan"]
    totals = ocop.plan_totals(BusinessPlan.model_validate(raw))
    assert [r.revenue for r in totals.rows] == [900_000_000, 1_080_000_000, 1_330_000_000]
    assert [r.cost for r in totals.rows] == [700_000_000, 820_000_000, 950_000_000]
    assert [r.margin for r in totals.rows] == [200_000_000, 260_000_000, 380_000_000]
    assert [r.margin_percent for r in totals.rows] == [Decimal("22.2"), Decimal("24.1"), Decimal("28.6")]
    assert (totals.revenue, totals.cost, totals.margin, totals.investment) == (
        3_310_000_000, 2_470_000_000, 840_000_000, 150_000_000)
    assert totals.margin_percent == Decimal("25.4")
    assert totals.volume == 36_000


# ----------------------------------------------------------------------------- the samples

def _sample_files() -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for path in sorted(PRODUCTS.glob("*/*.yaml")):
        if path.name != "producer.yaml":
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if data.get("ocop"):  # the household's corn spirit has no OCOP data yet
                found.append((path, data))
    return found


def _expected_stars(scores: dict[str, Any], reports: list[Any] | None = None) -> tuple[Decimal, int]:
    """The total and rating computed here, apart from ocopdocs' own code.

    C2.2 (food-safety testing) counts only with a test report from the last 12 months.
    """
    supported = any(date(r["date"].year + 1, r["date"].month, min(r["date"].day, 28)) >= AS_OF
                    for r in reports or [])
    law = yaml.safe_load((Path(ocop.__file__).parent.parent / "law" / "ocop.yaml").read_text(encoding="utf-8"))
    total = sum((Decimal(str(v)) for v in scores.values()), Decimal(0))
    stars = next(b["stars"] for b in law["bands"] if total >= Decimal(str(b["min"])))
    mandatory = [c["id"] for c in law["sheets"]["qd-148-food"]["criteria"] if c.get("mandatory")]
    if stars >= 3 and (any(not Decimal(str(scores.get(m, 0))) for m in mandatory) or not supported):
        stars = 2
    return total, stars


def test_every_sample_has_an_ocop_dossier(sample_build: SampleBuild) -> None:
    built = {b.plan.path for b in sample_build.result.built if b.plan.kind == DOSSIER.id}
    expected = {f"{p.parent.name}/{p.stem}/{OCOP_DOSSIER_FILE}" for p, _ in _sample_files()}
    assert len(expected) == 11
    assert built == expected


@pytest.mark.parametrize("path", [p for p, _ in _sample_files()], ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_sample_dossier_pdf(sample_build: SampleBuild, path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    dossier = sample_build.output / path.parent.name / path.stem / OCOP_DOSSIER_FILE
    width, height = page_size_mm(dossier)
    assert abs(width - 210) < 0.5 and abs(height - 297) < 0.5
    fonts = fonts_embedded(dossier)
    assert fonts and all(fonts.values()), fonts
    text = pdf_text(dossier).replace("\ufffe", "-")  # pdfium marks a hyphen at a line break so
    squashed = "".join(text.split())
    assert "".join(data["name"]["vi"].split()) in squashed
    section = data["ocop"]
    new_idea = section["status"] == "new_idea"
    assert ("PHIẾU ĐĂNG KÝ Ý TƯỞNG SẢN PHẨM OCOP" in text) == new_idea
    # business plan: revenue = volume × price per year, and the sum, computed here
    revenues = [Decimal(str(y["volume"])) * Decimal(str(y["price_vnd"])) for y in section["business_plan"]["years"]]
    for revenue in [*revenues, sum(revenues, Decimal(0))]:
        assert vn_number(revenue.quantize(Decimal(1))) in text
    costs = sum((Decimal(str(v)) for y in section["business_plan"]["years"] for v in y["costs"].values()),
                Decimal(0))
    assert vn_number(sum(revenues, Decimal(0)) - costs) in text  # the plan's total margin
    if new_idea:
        assert "PHIẾU TỰ ĐÁNH GIÁ" not in text
    else:
        total, stars = _expected_stars(section["self_assessment"]["scores"],
                                       data.get("food_safety", {}).get("test_reports"))
        assert f"Tổngđiểm100{vn_number(total)}" in squashed
        assert f"Hạngtựđánhgiá:{stars}sao" in squashed
    # the checklist says the generated papers go with the dossier, by title, never by file name
    labels = [f"{path.parent.name}/{path.stem}/label-{p['sku']}.pdf" for p in data["packages"]]
    for label in labels:
        assert (sample_build.output / label).is_file()
    assert ("Nhãn" in text and "Kèmtheohồsơ" in squashed) or new_idea
    assert ".pdf" not in text and "ocopdocs" not in text
    # every paper the rules report missing is marked missing in the checklist
    missing = [p for p in sample_build.result.problems if p.file.endswith(f"{path.parent.name}/{path.name}")
               and p.code in ("ocop-evidence-missing", "ocop-evidence-supporting-missing")]
    for problem in missing:
        title = problem.message.split(": ", 1)[1].split(";")[0].rstrip(".")
        assert "".join(title.split()) in squashed
    mandatory = [p for p in missing if p.code == "ocop-evidence-missing"]
    assert ("[cònthiếu" in squashed) >= bool(mandatory)  # a supporting paper not held reads "Không có"
    assert ("Khôngcó" in squashed) >= (len(missing) > len(mandatory))


# ----------------------------------------------------------- generated documents in the checklist

def test_the_checklist_follows_what_was_built(tmp_path: Path, renderer: Renderer) -> None:
    story = "Câu chuyện có <script>alert(1)</script> & <b>đậm</b>."
    product = edit("  story: Miến làm từ củ dong riềng trồng trên đồi.\n", f'  story: "{story}"\n', BASE + OCOP)
    products = write_tree(tmp_path / "products", {"htx-a/producer.yaml": OCOP_PRODUCER, "htx-a/mien.yaml": product})
    output = tmp_path / "output"
    only = ["label", DOSSIER.id]
    first = pipeline.build(products, output, TEMPLATES, only=only, renderer=renderer, as_of=AS_OF)
    assert [p for p in first.problems if p.severity == "error"] == []
    text = "".join(pdf_text(output / "htx-a/mien" / OCOP_DOSSIER_FILE).split())
    assert "Kèmtheohồsơ" in text and ".pdf" not in text
    assert "".join(story.split()) in text  # printed literally, not as markup

    too_small = edit("      width_mm: 100\n      height_mm: 140\n", "      width_mm: 20\n      height_mm: 20\n", product)
    (products / "htx-a/mien.yaml").write_text(too_small, encoding="utf-8")
    second = pipeline.build(products, output, TEMPLATES, only=only, renderer=renderer, as_of=AS_OF)
    assert any(p.code == "render-overflow" for p in second.problems)
    assert not (output / "htx-a/mien/label-500g.pdf").exists()
    text = "".join(pdf_text(output / "htx-a/mien" / OCOP_DOSSIER_FILE).split())
    # the labels are a supporting paper: the checklist says they are not there, and the label's
    # own error is what blocks; a mandatory generated paper that failed would be a reported blank
    assert "NhãnvàbaobìsảnphẩmKhôngcó" in text and "[cònthiếu" not in text
    entry = second.buildable()[0]
    built = {b.plan.path for b in second.built}
    [labels] = [i for i in ocop.summary(entry, AS_OF, built).evidence if i.id == "label_packaging"]
    assert labels.status == "missing"

    third = pipeline.build(products, output, TEMPLATES, only=only, renderer=renderer, as_of=AS_OF)
    assert third.kept == len(third.built)  # nothing changed: the dossier is kept too


# ------------------------------------------------------------------------ the schema's checks

@pytest.mark.parametrize(("old", "new", "field", "fragment"), [
    ("women: 12,", "women: 19,", "ocop.community", "(19) không thể lớn hơn tổng số lao động workers (18)"),
    ("{year: 2026, volume: 12000", "{year: 2028, volume: 12000", "ocop.business_plan",
     "phải liên tiếp, mỗi năm một lần; đang là: 2025, 2028, 2027"),
    ("share_percent: 60}", "share_percent: 60}\n    - {name: Chợ xã, scope: local, share_percent: 50}",
     "ocop", "110 %"),
    ("    awards: {document: Giấy khen của UBND xã}\n", "    giai_thuong: {document: Giấy khen}\n",
     "ocop.evidence", "“giai_thuong”"),
])
def test_the_schema_rejects_inconsistent_ocop_data(tmp_path: Path, old: str, new: str, field: str,
                                                   fragment: str) -> None:
    from ocopdocs.loader import load_project

    products = write_tree(tmp_path / "products", {"htx-a/producer.yaml": OCOP_PRODUCER,
                                                  "htx-a/mien.yaml": edit(old, new, BASE + OCOP)})
    problems = load_project(products).problems
    assert [(p.field, p.code.startswith("ocop-")) for p in problems] == [(field, True)], problems
    assert fragment in problems[0].message and problems[0].line is not None
