"""The label's content: name, ingredients, nutrition, shelf life, origin, packages, lot."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from ..design import design
from ..law import label_law
from .common import (
    Gtin13,
    LotCode,
    Model,
    QuantityText,
    ResolverUrl,
    ShortText,
    Slug,
    Text,
    VnDate,
    fail,
    law_key,
)

Group = Annotated[str, law_key(lambda: label_law().groups, "group")]
"""Food groups of Decree 37/2026 App. I (rows 1, 2, 3, 6, 7, 9, 11): the keys of ``groups`` in
ocopdocs/law/label.yaml."""


class ProductName(Model):
    """The product's name: the largest text on the label."""

    vi: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    """Vietnamese name; must not mislead about nature or composition."""
    en: Annotated[str, StringConstraints(min_length=1, max_length=120)] | None = None
    """Optional English name for export panels; printed smaller than the Vietnamese."""


class Additive(Model):
    """How an additive is named on the label (Decree 37/2026 Art. 48.3.a)."""

    group: ShortText
    """Functional group: "chất bảo quản", "chất tạo ngọt", "chất chống đông vón"."""
    ins: Annotated[str, StringConstraints(
        pattern=r"^[0-9]{3,4}[a-z]?(\((i|ii|iii|iv|v|vi)\))?$")] | None = None
    """INS number, e.g. "202" or "470(iii)"."""
    qualifier: Literal["tự nhiên", "giống tự nhiên", "tổng hợp", "nhân tạo"] | None = None
    """Required for sweeteners, colours and flavourings."""


class Ingredient(Model):
    """One ingredient, listed in descending order of weight."""

    name: ShortText
    """Name as printed."""
    percent: Annotated[Decimal, Field(gt=0, le=100)] | None = None
    """Share by weight; required for highlighted ingredients."""
    amount: QuantityText | None = None
    """Amount per unit (capsule, sachet), for health supplements."""
    additive: Additive | None = None
    """Set when the ingredient is a food additive."""
    excipient: bool = False
    """Excipient of a health supplement (no amount needed)."""

    @model_validator(mode="after")
    def _one_measure(self) -> Ingredient:
        if self.percent is not None and self.amount is not None:
            fail("ingredient-amount-or-percent", name=self.name)
        return self


class Nutrition(Model):
    """Nutrition values (Circular 30/2026/TT-BYT: energy, protein, carbohydrate, fat, sodium)."""

    basis: Literal["100 g", "100 ml"] = "100 g"
    """What the values refer to."""
    energy_kcal: Annotated[Decimal, Field(ge=0, le=900)]
    """Energy in kcal."""
    protein_g: Annotated[Decimal, Field(ge=0, le=100)]
    """Protein in g."""
    carbohydrate_g: Annotated[Decimal, Field(ge=0, le=100)]
    """Carbohydrate in g."""
    fat_g: Annotated[Decimal, Field(ge=0, le=100)]
    """Fat in g."""
    sodium_mg: Annotated[Decimal, Field(ge=0, le=40000)]
    """Sodium in mg."""
    sugars_g: Annotated[Decimal, Field(ge=0, le=100)] | None = None
    """Total sugars in g; required for foods with added sugar."""
    saturated_fat_g: Annotated[Decimal, Field(ge=0, le=100)] | None = None
    """Saturated fat in g; required for fried foods."""
    source: Literal["lab", "calculated"] = "lab"
    """Analysed by a lab, or calculated from ingredient data (Art. 49.5)."""


NutritionExemption = Annotated[str, law_key(lambda: label_law().nutrition_exemptions, "nutrition_exemption")]
"""Grounds for leaving out the nutrition panel (Circular 30/2026 Art. 1.2): the keys of
``nutrition_exemptions`` in ocopdocs/law/label.yaml."""


class ShelfLife(Model):
    """How long the product keeps: months or days, one of the two."""

    months: Annotated[int, Field(ge=1, le=120)] | None = None
    """Shelf life in months from the production date."""
    days: Annotated[int, Field(ge=1, le=3650)] | None = None
    """Shelf life in days from the production date."""

    @model_validator(mode="after")
    def _exactly_one(self) -> ShelfLife:
        if (self.months is None) == (self.days is None):
            fail("shelf-life-one")
        return self


class Origin(Model):
    """The origin statement; the country is never abbreviated."""

    phrase: Literal["Sản xuất tại", "Xuất xứ", "Nước sản xuất", "Sản phẩm của", "Chế tạo tại",
                    "Sản xuất bởi", "Made in", "Product of", "Produced in", "Origin"] = "Sản xuất tại"
    """Wording from Decree 37/2026 Art. 47.2 (English forms only from 23/01/2026)."""
    country: ShortText = "Việt Nam"
    """Country name in full."""


class HealthSupplement(Model):
    """What Decree 37/2026 App. I row 3 asks of a health supplement besides the fixed sentences."""

    unit_name: ShortText
    """The dose unit the amounts refer to: "viên nang"."""
    uses: Text
    """Công dụng."""
    target_users: Text
    """Đối tượng sử dụng."""
    dosage: Text
    """Cách dùng và liều dùng."""
    risk_advisory: Text | None = None
    """Khuyến cáo về nguy cơ, if any."""


class Multipack(Model):
    """A pack of several unit packs: "200 g (10 gói x 20 g)"."""

    count: Annotated[int, Field(ge=2, le=1000)]
    """Number of unit packs."""
    unit_name: ShortText
    """What a unit pack is called: "gói", "túi", "chai"."""
    each: QuantityText
    """Quantity of one unit pack."""


class LabelSize(Model):
    """The printed label's trim size."""

    width_mm: Annotated[Decimal, Field(ge=20, le=600)]
    """Width in mm."""
    height_mm: Annotated[Decimal, Field(ge=20, le=800)]
    """Height in mm."""


class Package(Model):
    """One packaging variant (SKU): one label PDF each."""

    sku: Slug
    """Short code, used in the file name: "500g"."""
    gtin: Gtin13 | None = None
    """The GTIN-13 printed as EAN-13; its check digit is verified. Without one (or without a
    GS1 prefix in producer.yaml) the label is printed without a barcode."""
    net_quantity: QuantityText
    """Net quantity as printed: "500 g", "1 kg", "500 ml"."""
    multipack: Multipack | None = None
    """For packs of several unit packs."""
    pack_material: ShortText
    """Packaging material: "Túi PA/PE", "Hũ thủy tinh"."""
    label: LabelSize
    """Label size in mm."""
    barcode_magnification: Annotated[Decimal, Field(ge=Decimal("0.8"), le=2)] = Decimal(1)
    """EAN-13 size relative to the GS1 nominal (X = 0.33 mm): 0.8 to 2.0."""
    languages: Annotated[list[Literal["vi", "en"]], Field(min_length=1, max_length=2)] = ["vi"]
    """Languages on the label; Vietnamese always, English optionally."""
    small_pack: bool = False
    """Declared small (Decree 37/2026 Art. 37.3): the 0.9 mm minimum character height is not checked."""

    @model_validator(mode="after")
    def _multipack_adds_up(self) -> Package:
        pack = self.multipack
        if pack is not None:
            if pack.each.kind != self.net_quantity.kind:
                fail("multipack-unit", each=pack.each, total=self.net_quantity)
            if pack.each.base * pack.count != self.net_quantity.base:
                fail("multipack-total", total=self.net_quantity, count=pack.count, each=pack.each)
        return self


Theme = Annotated[str, law_key(lambda: design().themes, "theme")]
"""A designed theme: the keys of ``themes`` in ocopdocs/design/themes.yaml."""
FontName = Annotated[str, law_key(lambda: design().fonts, "font")]
"""A font family the set-up installs: the keys of ``fonts`` in ocopdocs/design/themes.yaml."""
CmykColour = Annotated[list[Annotated[Decimal, Field(ge=0, le=100)]], Field(min_length=4, max_length=4)]
"""A colour as CMYK percentages: ``[C, M, Y, K]``."""


class BrandColours(Model):
    """The brand's colours, each replacing the theme's own; mandatory text stays black."""

    primary: CmykColour | None = None
    """The theme's main colour: the name band, the frame or the side bar."""
    accent: CmykColour | None = None
    """Rules, the brand line and the badge ring."""
    paper: CmykColour | None = None
    """The label's background, run into the bleed."""


class LabelDesign(Model):
    """How the labels look: a theme and the brand's own touches. Any may be left out."""

    theme: Theme | None = None
    """The theme (ocopdocs/design/themes.yaml); by default the one the producer names, else "band"."""
    colours: BrandColours = BrandColours()
    """Brand colours in CMYK, replacing the theme's."""
    logo: ShortText | None = None
    """A logo: a PNG, JPEG or SVG file in this folder, printed in the head of the label."""
    font: FontName | None = None
    """The font family, from those the set-up installs; by default the theme's."""
    layout: Literal["auto", "stacked", "side"] | None = None
    """Codes below the text (stacked), in a column at its right (side), or auto: whichever
    gives the larger type."""


class LabelSheet(Model):
    """Also print the labels on A4 sheets: ``sheet-<sku>.pdf`` next to each label."""

    stock: Slug
    """The sheet: a stock of ocopdocs/design/stocks.yaml or of producer.yaml ``label_stocks``."""
    sizes: Annotated[list[Slug], Field(max_length=20)] = []
    """The variants (sku) to put on sheets, in order; every variant when empty."""
    mixed: bool = False
    """One sheet shared by the variants (``sheet-500g+200g.pdf``) instead of one sheet each."""


class Lot(Model):
    """The production lot whose labels are being printed."""

    code: LotCode
    """Lot code as printed and encoded in the QR: "L260415A"."""
    production_date: VnDate
    """Ngày sản xuất (NSX)."""
    print_date: VnDate | None = None
    """When the labels are printed; decides which labelling decree applies. Default: NSX."""
    expiry_date: VnDate | None = None
    """Hạn sử dụng of this lot, when it is not simply NSX plus the shelf life."""

    @property
    def effective_print_date(self) -> date:
        """The print date, or the production date when none is given."""
        return self.print_date or self.production_date


class Traceability(Model):
    """Where the traceability QR points."""

    resolver: ResolverUrl
    """Base of the GS1 Digital Link: "https://id.example.vn"."""
