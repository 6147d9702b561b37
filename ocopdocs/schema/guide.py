"""The field guide: what each field means, in Vietnamese and English, an example, the choices.

One source for every place that explains a field: the English is the field's docstring in the
models, the Vietnamese, the example and the meaning of each allowed value are data in
``guide.yaml`` next to them. The JSON Schema, the reference page, the scaffolds of
``ocopdocs new`` and the loader's messages ("missing: write ``gtin: "893…"``") all read it here.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from ..messages import language
from ..yamlio import load_yaml
from .common import LawKey

GUIDE_FILE = Path(__file__).with_name("guide.yaml")


@dataclass(frozen=True)
class FieldGuide:
    """What one field of one model means, in both languages, with an example."""

    model: str
    name: str
    vi: str
    en: str
    example: Any
    choices: dict[str, str]
    """Each allowed value and its meaning (Vietnamese); empty for free values."""
    required: bool

    @property
    def text(self) -> str:
        """The description in the user's language."""
        return self.en if language() == "en" else self.vi

    def example_line(self) -> str:
        """The example as one YAML line: ``gtin: "8936043120011"``."""
        return f"{self.name}: {flow(self.example)}"

    def choices_line(self) -> str:
        """Every allowed value with its meaning: ``thuc_pham (Thực phẩm), ...``."""
        return ", ".join(f"{value} ({meaning})" for value, meaning in self.choices.items())


def flow(value: Any) -> str:
    """A value as YAML on one line (flow style), as a user would type it."""
    text: str = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000,
                               sort_keys=False)
    return text.strip().removesuffix("...").strip()


@cache
def _data() -> dict[str, Any]:
    doc = load_yaml(GUIDE_FILE, "ocopdocs/schema/guide.yaml")
    if doc.problems or not isinstance(doc.data, dict):
        raise ValueError(f"{GUIDE_FILE}: {[str(p) for p in doc.problems]}")
    return doc.data


def model_text(model: type[BaseModel]) -> str:
    """The model's own description in the user's language."""
    if language() == "en":
        return (model.__doc__ or "").strip().split("\n\n")[0]
    return str(_data().get(model.__name__, {}).get("_", ""))


def allowed_values(model: type[BaseModel], name: str) -> list[str] | None:
    """The values a field accepts (a Literal or a law table's keys), or None for free values."""
    info = model.model_fields[name]
    for item in info.metadata:
        if isinstance(item, LawKey):
            return list(item.keys())
    return _literal_values(info.annotation)


def _literal_values(annotation: Any) -> list[str] | None:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return [str(a) for a in typing.get_args(annotation)]
    if origin is typing.Annotated:
        for item in typing.get_args(annotation)[1:]:
            if isinstance(item, LawKey):
                return list(item.keys())
        return _literal_values(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        for arg in typing.get_args(annotation):
            found = _literal_values(arg)
            if found is not None:
                return found
    return None


def _law_choices(model: type[BaseModel], name: str) -> str | None:
    def find(annotation: Any) -> str | None:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            for item in typing.get_args(annotation)[1:]:
                if isinstance(item, LawKey):
                    return item.choices
            return find(typing.get_args(annotation)[0])
        if origin in (typing.Union, types.UnionType):
            return next((c for c in map(find, typing.get_args(annotation)) if c), None)
        return None

    info = model.model_fields[name]
    return next((i.choices for i in info.metadata if isinstance(i, LawKey)), None) or find(info.annotation)


def field(model: type[BaseModel], name: str) -> FieldGuide:
    """The guide to field ``name`` of ``model``.

    Raises:
        KeyError: The field has no entry in guide.yaml (a test keeps every field covered).
    """
    entry = _data()[model.__name__][name]
    info = model.model_fields[name]
    law = _law_choices(model, name)
    choices = dict(_data()["_law_choices"][law]) if law else dict(entry.get("choices") or {})
    return FieldGuide(model.__name__, name, str(entry["vi"]), " ".join((info.description or "").split()),
                      entry.get("example"), {str(k): str(v) for k, v in choices.items()},
                      info.is_required())


def sub_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The model a field holds (itself, in a list or a dict, or optional), if any."""
    def find(annotation: Any) -> type[BaseModel] | None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        for arg in typing.get_args(annotation):
            found = find(arg)
            if found is not None:
                return found
        return None

    return find(model.model_fields[name].annotation)


def at(model: type[BaseModel], loc: tuple[str | int, ...]) -> FieldGuide | None:
    """The guide to the field at ``loc`` (``("packages", 0, "gtin")``) inside ``model``."""
    current: type[BaseModel] | None = model
    found: FieldGuide | None = None
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return None
        try:
            found = field(current, part)
        except KeyError:
            return None
        current = sub_model(current, part)
    return found
