"""``ocopdocs new producer`` and ``ocopdocs new product``: commented YAML to start from.

Every field is written with a Vietnamese comment from the field guide (what it is, the law
behind it, an example). A value the user must still give is written as ``"[ĐIỀN] what"``: the
loader reports each such marker (``value-to-fill``) and nothing else about that field, so
``ocopdocs check`` on a fresh scaffold lists exactly the values left to fill.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .errors import OcopError
from .law import label_law
from .loader import FILL
from .messages import t
from .schema import Producer, Product
from .schema import guide as fields

MODELINE = "# yaml-language-server: $schema=../.schema/{kind}.schema.json"


def fill(what: str) -> str:
    """A value to fill: ``[ĐIỀN] what``."""
    return f"{FILL} {what}"


def slug(text: str) -> str:
    """A file-safe name from Vietnamese text: "Măng khô Ba Bể" → "mang-kho-ba-be"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40].strip("-") or "san-pham"


def _emit(model: type[BaseModel], data: Mapping[str, Any], indent: int, lines: list[str],
          first_prefix: str | None = None) -> None:
    """Write ``data`` as YAML under ``model``, each key after a comment saying what it is."""
    pad = " " * indent
    for i, (name, value) in enumerate(data.items()):
        guide = fields.field(model, name)
        lead = first_prefix if (first_prefix is not None and i == 0) else pad
        comment = guide.vi
        if guide.choices:
            comment += " " + t("guide-choices", choices=guide.choices_line())
        comment_pad = pad if first_prefix is None or i else first_prefix.replace("-", " ")
        lines.append(f"{comment_pad}# {comment}")
        inner = fields.sub_model(model, name)
        if isinstance(value, dict) and inner is not None and value:
            lines.append(f"{lead}{name}:")
            _emit(inner, value, indent + 2, lines)
        elif isinstance(value, list) and value and isinstance(value[0], dict) and inner is not None:
            lines.append(f"{lead}{name}:")
            for item in value:
                _emit(inner, item, indent + 4, lines, first_prefix=" " * (indent + 2) + "- ")
        else:
            lines.append(f"{lead}{name}: {fields.flow(value)}")


def render(model: type[BaseModel], data: Mapping[str, Any], header: list[str]) -> str:
    """The file's text: the editor line, a header, then every field with its comment."""
    kind = "producer" if model is Producer else "product"
    lines = [MODELINE.format(kind=kind), *[f"# {h}" for h in header], f"# {fields.model_text(model)}"]
    _emit(model, data, 0, lines)
    return "\n".join(lines) + "\n"


@dataclass
class ProducerAnswers:
    """What ``new producer`` needs; every missing answer becomes a marked value."""

    legal_name: str
    folder: str | None = None
    abbreviation: str | None = None
    legal_form: str = "hop_tac_xa"
    registration: str | None = None
    village: str | None = None
    commune: str | None = None
    province: str | None = None
    representative: str | None = None
    title: str | None = None
    phone: str | None = None
    gs1_prefix: str | None = None


@dataclass
class ProductAnswers:
    """What ``new product`` needs; every missing answer becomes a marked value."""

    producer: str
    name: str
    group: str = "thuc_pham"
    file: str | None = None
    sizes: list[str] = field(default_factory=list)
    gtins: list[str] = field(default_factory=list)
    kind: str | None = None


def _abbreviation(name: str) -> str:
    words = [w for w in slug(name).split("-") if w not in ("hop", "tac", "xa", "htx", "cong", "ty", "tnhh")]
    return "".join(w[0] for w in words).upper()[:12] or "HTX"


def producer_text(a: ProducerAnswers) -> str:
    """The text of a new producer.yaml."""
    address = {"line": a.village or fill(t("new-fill-village")),
               "commune": a.commune or fill(t("new-fill-commune")),
               "province": a.province or fill(t("new-fill-province"))}
    data: dict[str, Any] = {
        "legal_name": a.legal_name,
        "abbreviation": a.abbreviation or _abbreviation(a.legal_name),
        "legal_form": a.legal_form,
        "registration": {"code": a.registration or fill(t("new-fill-registration"))},
        "head_office": address,
        "production_sites": [{"id": "xuong-chinh", "name": fill(t("new-fill-site")),
                              "address": dict(address)}],
        "legal_representative": {"name": a.representative or fill(t("new-fill-person")),
                                 "title": a.title or "Giám đốc"},
        "contact": {"phone": a.phone or fill(t("new-fill-phone"))},
    }
    if a.gs1_prefix:
        data["gs1"] = {"company_prefix": a.gs1_prefix}
    data.update({
        "food_safety_certificate": {"number": fill(t("new-fill-fs-number")),
                                    "issued_by": fill(t("new-fill-issuer")),
                                    "issued_on": fill(t("new-fill-date")),
                                    "valid_until": fill(t("new-fill-date"))},
        "premises": {"total_area_m2": fill(t("new-fill-number")),
                     "production_area_m2": fill(t("new-fill-number")),
                     "layout": fill(t("new-fill-layout")), "construction": fill(t("new-fill-construction")),
                     "water_source": fill(t("new-fill-water")), "waste": fill(t("new-fill-waste"))},
        "equipment": [{"name": fill(t("new-fill-equipment")), "quantity": 1}],
        "staff": [{"name": a.representative or fill(t("new-fill-person")), "role": a.title or "Giám đốc",
                   "health_certificate_date": fill(t("new-fill-date")),
                   "training_date": fill(t("new-fill-date"))}],
    })
    return render(Producer, data, [t("new-header-producer"), t("new-header-fill", marker=FILL)])


def _sku(size: str) -> str:
    return slug(size.replace(" ", "")) or "goi"


def product_text(a: ProductAnswers) -> str:
    """The text of a new product file."""
    sizes = a.sizes or [fill(t("new-fill-size"))]
    packages = []
    for i, size in enumerate(sizes):
        package: dict[str, Any] = {"sku": _sku(size) if not size.startswith(FILL) else f"goi-{i + 1}"}
        if i < len(a.gtins):
            package["gtin"] = a.gtins[i]
        package.update({"net_quantity": size, "pack_material": fill(t("new-fill-pack")),
                        "label": {"width_mm": 100, "height_mm": 120}})
        packages.append(package)
    data: dict[str, Any] = {"name": {"vi": a.name}, "group": a.group}
    if a.kind:
        data["kind"] = a.kind
    data.update({
        "ingredients": [{"name": fill(t("new-fill-ingredient")), "percent": fill(t("new-fill-percent"))}],
        "nutrition": fill(t("new-fill-nutrition")),
        "shelf_life": {"months": fill(t("new-fill-months"))},
        "storage": fill(t("new-fill-storage")),
        "usage": fill(t("new-fill-usage")),
    })
    if "warnings" in label_law().groups[a.group].items:  # App. I rows without "(nếu có)"
        data["warnings"] = fill(t("new-fill-warnings"))
    data.update({
        "applied_standard": fill(t("new-fill-standard")),
        "packages": packages,
        "lot": {"code": fill(t("new-fill-lot")), "production_date": fill(t("new-fill-date"))},
        "food_safety": {"declaration": {"number": 1, "date": fill(t("new-fill-date")),
                                        "place": fill(t("new-fill-place")),
                                        "receiving_body": fill(t("new-fill-receiving")),
                                        "publication": {"channel": "notice",
                                                        "where": fill(t("new-fill-notice"))}},
                        "test_reports": fill(t("new-fill-test-report"))},
    })
    return render(Product, data, [t("new-header-product"), t("new-header-fill", marker=FILL)])


def write_new(path: Path, text: str) -> Path:
    """Write a new file; never overwrite one (the user's files are theirs)."""
    if path.exists():
        raise OcopError(t("new-exists", path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


def new_producer(products: Path, answers: ProducerAnswers) -> Path:
    """Create ``<products>/<folder>/producer.yaml``; returns its path."""
    folder = answers.folder or slug(answers.legal_name)
    return write_new(products / folder / "producer.yaml", producer_text(answers))


def new_product(products: Path, answers: ProductAnswers) -> Path:
    """Create ``<products>/<producer>/<file>.yaml``; returns its path."""
    folder = products / answers.producer
    if not (folder / "producer.yaml").is_file():
        raise OcopError(t("new-no-producer", folder=folder))
    return write_new(folder / f"{answers.file or slug(answers.name)}.yaml", product_text(answers))
