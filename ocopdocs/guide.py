"""The field guide as files: JSON Schema for editors, and the reference page, both from the schema.

``ocopdocs schema`` writes ``producer.schema.json`` and ``product.schema.json`` (into
``<products>/.schema/`` by default, where the ``# yaml-language-server: $schema=`` line of the
samples and scaffolds points, so that VS Code completes and checks as one types) and, with
``--markdown``, the reference page. Descriptions, examples and the meaning of each choice come
from :mod:`ocopdocs.schema.guide`, in the user's language.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .messages import t
from .schema import Producer, Product
from .schema import guide as fields

SCHEMA_FOLDER = ".schema"
"""Inside the products folder; the loader skips folders whose name starts with a dot."""
FILES: dict[str, type[BaseModel]] = {"producer.schema.json": Producer, "product.schema.json": Product}
MODELINE = "# yaml-language-server: $schema=../{folder}/{file}"
"""The first line of a producer or product file: VS Code's YAML extension reads it."""


def modeline(model: type[BaseModel]) -> str:
    """The ``yaml-language-server`` line for a file of ``model`` in a producer folder."""
    file = next(name for name, m in FILES.items() if m is model)
    return MODELINE.format(folder=SCHEMA_FOLDER, file=file)


def _models(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model reachable from ``root``, by class name, in the order a reader meets them."""
    found: dict[str, type[BaseModel]] = {}

    def visit(model: type[BaseModel]) -> None:
        if model.__name__ in found:
            return
        found[model.__name__] = model
        for name in model.model_fields:
            inner = fields.sub_model(model, name)
            if inner is not None:
                visit(inner)

    visit(root)
    return found


def _describe(guide: fields.FieldGuide) -> str:
    text = guide.text
    example = t("guide-example", example=guide.example_line())
    return f"{text} {example}"


def _loosen_text(schema: dict[str, Any]) -> None:
    """YAML numbers are read as text where text is expected (``code: 4700814362``): allow them."""
    if schema.get("type") == "string" and not {"enum", "format", "anyOf", "pattern"} & schema.keys():
        schema["type"] = ["string", "number"]


def json_schema(root: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema of a producer or product file, described in the user's language."""
    schema = root.model_json_schema()
    models = _models(root)
    definitions = schema.get("$defs", {})
    for title, model in models.items():
        target = schema if model is root else definitions.get(title)
        if target is None:
            continue
        target["description"] = fields.model_text(model)
        for name, prop in target.get("properties", {}).items():
            guide = fields.field(model, name)
            prop["description"] = _describe(guide)
            prop["examples"] = [guide.example]
            if guide.choices:
                prop["enumDescriptions"] = list(guide.choices.values())
            _loosen_text(prop)
            options = prop.get("anyOf", [])
            if not any(o.get("type") in ("number", "integer") for o in options):  # a decimal is
                for option in options:                                          # number or text
                    _loosen_text(option)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; these are ordinary project files
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def schema_text(root: type[BaseModel]) -> str:
    """The JSON Schema file's text: stable, so that an unchanged schema rewrites nothing."""
    return json.dumps(json_schema(root), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write the producer and product JSON Schemas into ``folder``; returns their paths."""
    written = []
    for name, model in FILES.items():
        path = folder / name
        text = schema_text(model)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            _write(path, text)
        written.append(path)
    return written


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def reference() -> str:
    """The reference page: every model of both files, one table row per field (Markdown)."""
    lines = [f"# {t('guide-title')}", "", t("guide-intro"), ""]
    seen: set[str] = set()
    for file, root in (("producer.yaml", Producer), ("<san-pham>.yaml", Product)):
        lines += [f"## {file}", ""]
        for title, model in _models(root).items():
            if title in seen:
                lines += [f"### {title}", "", t("guide-see-above"), ""]
                continue
            seen.add(title)
            lines += [f"### {title}", "", fields.model_text(model), "",
                      f"| {t('guide-col-field')} | {t('guide-col-required')} | {t('guide-col-meaning')} "
                      f"| {t('guide-col-example')} |", "| --- | --- | --- | --- |"]
            for name in model.model_fields:
                guide = fields.field(model, name)
                meaning = guide.text
                if guide.choices:
                    meaning += " " + t("guide-choices", choices=guide.choices_line())
                inner = fields.sub_model(model, name)
                if inner is not None and inner is not model:
                    meaning += " " + t("guide-see", model=inner.__name__)
                required = t("guide-yes") if guide.required else ""
                example = _cell(fields.flow(guide.example))
                lines.append(f"| `{name}` | {required} | {_cell(meaning)} | `{example}` |")
            lines.append("")
    return "\n".join(lines)


def write_reference(path: Path) -> Path:
    """Write the reference page to ``path``."""
    _write(path, reference())
    return path
