"""Document kinds: the registry is the one list, and a new kind is one module, one template, one line."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from ocopdocs import messages
from ocopdocs.documents import Kind, Plan, kinds
from ocopdocs.loader import ProductEntry
from ocopdocs.render import Renderer

from .conftest import TEMPLATES, build_and_publish, copy_sample, page_size_mm, pdf_text, write_tree

AS_OF = date(2026, 11, 30)
PRODUCER = "htx-ong-mat-ho-xanh"
NOTE_HTML = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{ name }}</title>
<style>@page { size: 105mm 148mm; margin: 10mm; } body { font-family: "DejaVu Sans"; }</style></head>
<body><h1>{{ name }}</h1><p>Số lô {{ lot }}</p></body></html>
"""


def plan_notes(entries: list[ProductEntry], as_of: date) -> list[Plan]:
    """The planner a kind module would hold: one A6 note per product."""
    plans = []
    for entry in entries:
        assert entry.model is not None
        name = entry.model.name.vi
        plans.append(Plan(kind="note", product=entry.id, producer=entry.producer.slug, variant=None,
                          path=f"{entry.id}/note.pdf", template="note/note.html", source=entry.doc.display,
                          source_field="name", context={"name": name, "lot": entry.model.lot.code},
                          required_texts=[name], title=name, paged=True))
    return plans


NOTE = Kind("note", plan_notes, applies=lambda entry, as_of: True)


def test_the_registry_lists_every_kind_once_in_build_order() -> None:
    ids = [k.id for k in kinds.registered()]
    assert ids == ["label", "label-sheet", "food-safety-declaration", "food-safety-registration",
                   "food-safety-certificate", "trademark-application", "trademark-rules-of-use", "ocop-dossier"]
    stages = [k.stage for k in kinds.registered()]
    assert stages == ["first", "first", "embeds", "embeds", "first", "first", "first", "lists"]


def test_a_new_kind_builds_is_listed_and_blocks_nothing(tmp_path: Path, renderer: Renderer,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCOPDOCS_LANG", raising=False)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    write_tree(templates, {"note/note.html": NOTE_HTML})  # its template folder
    products = copy_sample(tmp_path, PRODUCER)
    without = build_and_publish(products, tmp_path / "without", templates, renderer=renderer, as_of=AS_OF)

    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS, NOTE))  # its registry line
    monkeypatch.setitem(messages.CATALOGUES["vi"], "kind-note", "Phiếu ghi chú")  # its name
    output = tmp_path / "with"
    with_note = build_and_publish(products, output, templates, renderer=renderer, as_of=AS_OF)

    note = f"{PRODUCER}/mat-ong/note.pdf"
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    listed = {d["path"]: d for d in manifest["documents"]}
    assert listed[note]["kind"] == "note" and listed[note]["page_size_mm"] == [105.0, 148.0]
    assert "Mật ong" in pdf_text(output / note)
    assert [round(x) for x in page_size_mm(output / note)] == [105, 148]

    # every other document and problem is exactly what the build without the kind gave
    before = {b.plan.path: b.sha256 for b in without.built}
    after = {b.plan.path: b.sha256 for b in with_note.built}
    assert after == {**before, note: after[note]}
    assert sorted(map(str, with_note.problems)) == sorted(map(str, without.problems))

    # the report has its column, after the registered ones, and the note is built
    header, row = list(csv.reader(io.StringIO((output / "report.csv").read_text(encoding="utf-8-sig"))))[:2]
    column = header.index("Phiếu ghi chú: tình trạng")
    assert row[column] == "Đã dựng" and row[column + 1] == note
    page = (output / "index.html").read_text(encoding="utf-8")
    assert "Phiếu ghi chú" in page and f'href="{note}"' in page
