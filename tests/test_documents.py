"""Every document kind: a blank is printed exactly when it is reported, and official pages carry
nothing internal (tool name, file paths, English, "unsure" notes, legal commentary)."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from ocopdocs import pipeline
from ocopdocs.documents import Plan, markers
from ocopdocs.schema import Producer, Product
from ocopdocs.templating import make_env

from .conftest import PRODUCTS, TEMPLATES, SampleBuild, pdf_text

AS_OF = date(2026, 11, 30)
BLANK = re.compile(r"\[còn thiếu: ([^\]]+)\]")
# Sample files that, together, have every dossier kind: declaration, certificate application
# (a renewal), OCOP dossier, trademark application and rules of use (a collective mark).
FILES = {"htx-khuoi-dong": ("producer.yaml", "mien-dong.yaml"),
         "htx-lua-gao-na-tong": ("producer.yaml", "gao-bao-thai.yaml")}
DOSSIER_FIELDS = ("food_safety", "trademark", "ocop", "contact", "food_safety_certificate", "premises",
                  "registration", "legal_representative", "staff", "equipment", "shelf_life", "production_sites")
"""Where the dossiers take their fields from (the labels are checked by the PDF rules)."""
MAX_DEPTH = 3
SKIPPED = {"scores", "evidence", "ocop_evidence"}
"""Keys whose children are one kind of thing each (a score per criterion): the key itself is enough."""


def _render(doc: Plan) -> str:
    """The document's text as its template prints it (HTML without tags), every attachment present."""
    html = make_env(TEMPLATES).get_template(doc.template).render(
        **{**doc.context, **doc.fit_context(), "present": {a.slot: True for a in doc.attachments},
           "built": list(doc.reports_on), "draft": doc.draft})
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _keys(data: Any, loc: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every mapping key's path in a YAML document (list items are left whole)."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            found.append((*loc, str(key)))
            if str(key) not in SKIPPED:
                found += _keys(value, (*loc, str(key)))
    return found


def _without(data: Any, loc: tuple[str, ...]) -> Any:
    copy = yaml.safe_load(yaml.safe_dump(data, allow_unicode=True))
    node = copy
    for key in loc[:-1]:
        node = node[key]
    del node[loc[-1]]
    return copy


def _variants() -> list[tuple[str, str, tuple[str, ...]]]:
    """(producer, file, field) for every field of the chosen samples whose removal still validates."""
    cases = []
    for producer, names in FILES.items():
        for name in names:
            data = yaml.safe_load((PRODUCTS / producer / name).read_text(encoding="utf-8"))
            cases += [(producer, name, loc) for loc in _keys(data)
                      if loc[0] in DOSSIER_FIELDS and len(loc) <= MAX_DEPTH]
    return cases


def _check_blanks(result: pipeline.BuildResult) -> None:
    for doc in result.plans:
        if doc.kind == "label":
            continue
        text = _render(doc)
        printed = set(BLANK.findall(text))
        marked = {m.what for m in markers(doc.context)}
        assert printed == marked, doc.path  # a blank is printed exactly where a marker is (maybe twice)
        reported = {(p.file, p.line, p.field, p.code) for p in result.problems if p.severity == "gap"}
        for blank in markers(doc.context):
            assert (blank.file, blank.line, blank.field, blank.code) in reported, (doc.path, blank)


def test_the_samples_print_a_blank_only_where_a_gap_is_reported() -> None:
    _check_blanks(pipeline.check(PRODUCTS, AS_OF))


@pytest.mark.parametrize(("producer", "name", "loc"), _variants(),
                         ids=lambda v: ".".join(v) if isinstance(v, tuple) else str(v))
def test_each_field_removed_in_turn_blank_iff_gap(tmp_path: Path, producer: str, name: str,
                                                  loc: tuple[str, ...]) -> None:
    target = tmp_path / "products" / producer
    target.mkdir(parents=True)
    for kept in FILES[producer]:
        shutil.copy(PRODUCTS / producer / kept, target)
    for image in (PRODUCTS / producer).glob("*.png"):
        shutil.copy(image, target)
    data = _without(yaml.safe_load((target / name).read_text(encoding="utf-8")), loc)
    try:
        (Producer if name == "producer.yaml" else Product).model_validate(data)
    except ValidationError:
        pytest.skip("a required field: the file does not validate without it")
    (target / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _check_blanks(pipeline.check(tmp_path / "products", AS_OF))


# Words and marks that belong to the tool, its data files or our notes, never to an official page.
DENIED = ["ocopdocs", ".pdf", ".yaml", "unsure", "likely", "chưa đối chiếu", "Lưu ý:", "[sure]", "TODO",
          "Phụ lục I Nghị định 37/2026/NĐ-CP chỉ yêu cầu", "do ocopdocs", "Do ocopdocs"]
ENGLISH = re.compile(r"\b(missing|not built|draft|unsure|sample|generated|blank)\b", re.IGNORECASE)
"""English a tool would print (Vietnamese has words like \"the\" in \"hàn the\", so not those)."""


def test_official_pages_carry_nothing_internal(sample_build: SampleBuild) -> None:
    found = []
    for path in sorted(sample_build.output.rglob("*.pdf")):
        text = pdf_text(path)
        found += [(path.name, word) for word in DENIED if word.casefold() in text.casefold()]
        if not path.name.startswith("label-"):  # a label may carry an English panel for export
            found += [(path.name, m[0]) for m in ENGLISH.finditer(text)]
    assert found == []


# ------------------------------------------------- issue 12: what the officer saw, read back from the PDFs


def _declaration(sample_build: SampleBuild, product: str) -> str:
    return " ".join(pdf_text(sample_build.output / product / "food-safety-declaration.pdf").split())


def test_an_out_of_date_test_report_is_marked_where_it_is_printed(sample_build: SampleBuild) -> None:
    text = _declaration(sample_build, "htx-khuoi-ma/tra-gung")
    assert "KN2506-0873/VB" in text and "(đã quá 12 tháng vào ngày công bố)" in text
    assert "BẢN NHÁP – CHƯA ĐỦ ĐIỀU KIỆN NỘP" in text  # on every page, in the top margin
    clean = _declaration(sample_build, "htx-khuoi-dong/mien-dong")
    assert "đã quá" not in clean and "BẢN NHÁP" not in clean


def test_a_declaration_names_only_the_site_that_makes_the_product(sample_build: SampleBuild) -> None:
    producer = yaml.safe_load((PRODUCTS / "htx-lung-vai" / "producer.yaml").read_text(encoding="utf-8"))
    lines = {s["id"]: s["address"]["line"] for s in producer["production_sites"]}
    assert len(lines) == 2
    for product, site in (("o-mai-mo", "xuong-mo-lung-vai"), ("ruou-men-la", "lo-ruou-na-pai")):
        made_at = _declaration(sample_build, f"htx-lung-vai/{product}").split("tự sản xuất tại", 1)[1][:200]
        assert lines[site] in made_at
        assert all(line not in made_at for other, line in lines.items() if other != site)


def test_an_expired_paper_keeps_a_product_from_being_ready(sample_build: SampleBuild) -> None:
    from ocopdocs import report

    rows = {r.id: r for r in report.collect(sample_build.result).rows}
    turmeric = rows["htx-khuoi-ma/tinh-bot-nghe"]  # a worker's health certificate expired on 10/05/2026
    assert not turmeric.ready and any("Lý Văn Quang" in r and "đã hết hạn" in r for r in turmeric.reasons)
    assert rows["htx-khuoi-dong/mien-dong"].ready
