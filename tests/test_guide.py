"""The field guide: every field documented in Vietnamese, JSON Schema that agrees with the loader."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import BaseModel

from ocopdocs import guide, schema
from ocopdocs.loader import load_project
from ocopdocs.schema import guide as fields

from .conftest import PRODUCTS, ROOT, write_tree
from .test_schema import PRODUCER, PRODUCT, edit

MODELS = [m for name in schema.__all__ for m in [getattr(schema, name)]
          if isinstance(m, type) and issubclass(m, BaseModel) and m is not schema.Model]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_has_vietnamese_text_an_example_and_its_choices(model: type[BaseModel]) -> None:
    assert fields.model_text(model)
    for name in model.model_fields:
        entry = fields.field(model, name)
        assert entry.vi and entry.en and entry.example is not None, f"{model.__name__}.{name}"
        allowed = fields.allowed_values(model, name)
        assert list(entry.choices) == (allowed or []) or set(entry.choices) == set(allowed or []), name


def as_editor_sees(value: Any) -> Any:
    """YAML as the editor's schema check sees it: dates are text there."""
    if isinstance(value, dict):
        return {str(k): as_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_sees(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((PRODUCTS / ".schema" / name).read_text(encoding="utf-8")))


def test_every_sample_is_valid_for_the_json_schema_and_points_to_it() -> None:
    files = sorted(PRODUCTS.glob("*/*.yaml"))
    assert len(files) >= 17
    for path in files:
        kind = "producer" if path.name == "producer.yaml" else "product"
        text = path.read_text(encoding="utf-8")
        assert text.splitlines()[0] == f"# yaml-language-server: $schema=../.schema/{kind}.schema.json"
        errors = list(validator(f"{kind}.schema.json").iter_errors(as_editor_sees(yaml.safe_load(text))))
        assert errors == [], (path, [e.message for e in errors])


def test_the_committed_schemas_and_reference_page_are_current() -> None:
    for name, model in guide.FILES.items():
        assert (PRODUCTS / ".schema" / name).read_text(encoding="utf-8") == guide.schema_text(model), \
            "run: ocopdocs schema --markdown docs/huong-dan-truong-du-lieu.md"
    assert (ROOT / "docs" / "huong-dan-truong-du-lieu.md").read_text(encoding="utf-8") == guide.reference()
    assert "docs/huong-dan-truong-du-lieu.md" in (ROOT / "README.md").read_text(encoding="utf-8")


BROKEN = {
    "unknown key": PRODUCT + "alergens: [gluten]\n",
    "missing field": edit("group: thuc_pham\n", ""),
    "bad choice": edit("group: thuc_pham", "group: banh_keo"),
    "wrong shape": edit("shelf_life:\n  months: 12\n", "shelf_life: 12 tháng\n") if "shelf_life:\n  months: 12\n" in PRODUCT
    else PRODUCT + "origin: Việt Nam\n",
    "list expected": PRODUCT + "claims: Không chất bảo quản\n",
    "bad quantity": edit('"200 g"', '"200g"'),
    "bad date": edit("production_date: 2026-04-15", "production_date: 15-tháng-4"),
    "number too small": edit("height_mm: 120", "height_mm: 5"),
}


@pytest.mark.parametrize("case", [*BROKEN, "valid"])
def test_json_schema_and_loader_agree(tmp_path: Path, case: str) -> None:
    text = BROKEN.get(case, PRODUCT)
    products = write_tree(tmp_path / "products", {"htx-a/producer.yaml": PRODUCER, "htx-a/mien.yaml": text})
    project = load_project(products)
    loader_says = bool(project.problems)
    editor_says = bool(list(validator("product.schema.json").iter_errors(as_editor_sees(yaml.safe_load(text)))))
    assert loader_says == editor_says == (case != "valid"), [str(p) for p in project.problems]
