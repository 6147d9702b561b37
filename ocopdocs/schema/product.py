"""``<product>.yaml``: one product, made of the label, OCOP, food-safety and trademark parts."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from .common import Model, ShortText, Slug, Text
from .food_safety import FoodSafety, Spirit
from .label import (
    Group,
    HealthSupplement,
    Ingredient,
    LabelDesign,
    LabelSheet,
    Lot,
    Nutrition,
    NutritionExemption,
    Origin,
    Package,
    ProductName,
    ShelfLife,
    Traceability,
)
from .ocop import Ocop
from .trademark import Trademark


class Product(Model):
    """``<product>.yaml``: one product and its packaging variants."""

    sample: bool = False
    """True for fictional sample data; printed on every document."""
    name: ProductName
    """Names in Vietnamese (and optionally English)."""
    group: Group
    """Decree 37/2026 App. I group: decides the mandatory label content."""
    production_site: Slug | None = None
    """Id of the producer's production site; optional when there is only one."""
    brand: ShortText | None = None
    """Brand or mark shown above the name."""
    ingredients: Annotated[list[Ingredient], Field(min_length=1, max_length=60)] | None = None
    """Ingredients in descending order of weight, additives included."""
    highlighted_ingredients: Annotated[list[ShortText], Field(max_length=10)] = []
    """Ingredients emphasised on the pack (Art. 48.1): each needs its percent."""
    claims: Annotated[list[ShortText], Field(max_length=10)] = []
    """Claims such as "Không chất bảo quản" (Art. 48.1.c)."""
    allergens: Annotated[list[ShortText], Field(max_length=20)] = []
    """Allergens to declare (recommended, TCVN 7087)."""
    nutrition: Nutrition | None = None
    """Nutrition values per 100 g or 100 ml."""
    nutrition_exemption: NutritionExemption | None = None
    """Why there is no nutrition panel."""
    shelf_life: ShelfLife | None = None
    """Shelf life; may be absent only where App. I says "if any" (spirits)."""
    date_style: Literal["absolute", "relative", "best_before"] = "absolute"
    """Print NSX and HSD as dates, HSD as "n tháng kể từ NSX", or "Sử dụng tốt nhất trước"."""
    storage: Text | None = None
    """Hướng dẫn bảo quản."""
    usage: Text | None = None
    """Hướng dẫn sử dụng."""
    warnings: Annotated[list[Text], Field(max_length=10)] = []
    """Cảnh báo."""
    origin: Origin = Origin()
    """Origin statement."""
    applied_standard: ShortText | None = None
    """The standard the product meets: "TCCS 01:2026/KD"."""
    health_supplement: HealthSupplement | None = None
    """Required for group tpbvsk."""
    ethanol_percent: Annotated[Decimal, Field(gt=0, le=100)] | None = None
    """Ethanol content in % vol; required for group ruou."""
    spirit: Spirit | None = None
    """Spirits: how the spirit is sold and whether it carries the alcohol stamp (Decree 105/2017)."""
    packages: Annotated[list[Package], Field(min_length=1, max_length=20)]
    """Packaging variants: one label each."""
    label_sheet: LabelSheet | None = None
    """Also lay the labels out on A4 sheets of a label stock, for printing on an office printer."""
    lot: Lot
    """The lot being printed."""
    traceability: Traceability | None = None
    """Traceability resolver for the QR code."""
    ocop: Ocop | None = None
    """OCOP certificate and dossier data."""
    food_safety: FoodSafety = FoodSafety()
    """Food-safety dossier data: declaration, test reports, ministry."""
    kind: Slug | None = None
    """What the product is, as the Nice help table names it (ocopdocs/law/trademark.yaml):
    noodles, starch, turmeric, supplement, salted-fruit, honey, rice, rice-spirit, …"""
    trademark: Trademark | None = None
    """A trademark application for this product."""
    design: LabelDesign | None = None
    """How this product's labels look; each field given replaces producer.yaml's."""
