"""The product files' schema: one typed, documented field per YAML key.

``products/<producer>/producer.yaml`` validates as :class:`Producer` and every other
``products/<producer>/<product>.yaml`` as :class:`Product`. Unknown keys are rejected, so a typo
such as ``alergens:`` is reported rather than silently ignored. Later document kinds (food-safety
dossiers, trademarks, OCOP files) add their own optional sections here.

Validators raise :func:`fail` with a code from :mod:`ocopdocs.messages`; the loader turns
every error into a :class:`~ocopdocs.errors.Problem` with file, line and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, NoReturn

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import gs1
from .messages import t


def fail(code: str, **values: object) -> NoReturn:
    """Raise a validation error whose type is ``code`` and whose message is the catalogue's."""
    message = t(code, **values).replace("{", "{{").replace("}", "}}")
    raise PydanticCustomError(code, message)


class Model(BaseModel):
    """Base of every schema model: strict about keys, immutable, documented per field."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True,
                              str_strip_whitespace=True, coerce_numbers_to_str=True)


# ---------------------------------------------------------------------------- scalar types

Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
"""Free text. Bounded so that a runaway file cannot make a label render forever."""
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
"""Lower-case ASCII letters, digits and hyphens: safe in file names."""


def _parse_vn_date(value: Any) -> Any:
    """Accept YAML dates (2026-04-15) and the Vietnamese day/month/year (15/04/2026)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value.strip())
        try:
            if match:
                day, month, year = (int(g) for g in match.groups())
                return date(year, month, day)
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    fail("wrong-type-date", value=value)


VnDate = Annotated[date, BeforeValidator(_parse_vn_date)]


def _check_gtin13(value: Any) -> str:
    text = str(value).strip() if isinstance(value, (str, int)) else value
    if not isinstance(text, str) or not (text.isascii() and text.isdigit()):
        fail("gtin-digits", value=value)
    if len(text) != 13:
        fail("gtin-length", value=text, count=len(text))
    expected = gs1.check_digit(text[:12])
    if int(text[12]) != expected:
        fail("gtin-check-digit", expected=expected, got=text[12])
    return text


Gtin13 = Annotated[str, BeforeValidator(_check_gtin13)]
"""A GTIN-13 whose check digit is verified, never recomputed (python-barcode would fix it)."""


def _check_prefix(value: Any) -> str:
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and 7 <= len(text) <= 12 and text.startswith("893")):
        fail("gs1-prefix-digits", value=value)
    return text


CompanyPrefix = Annotated[str, BeforeValidator(_check_prefix)]

_UNITS = {"mg": ("mass", Decimal("0.001")), "g": ("mass", Decimal(1)),
          "kg": ("mass", Decimal(1000)), "ml": ("volume", Decimal(1)),
          "mL": ("volume", Decimal(1)), "cl": ("volume", Decimal(10)),
          "L": ("volume", Decimal(1000)), "l": ("volume", Decimal(1000))}


@dataclass(frozen=True)
class Quantity:
    """A quantity as printed, ``500 g``: a number, one space, a legal unit symbol."""

    value: Decimal
    unit: str
    text: str

    @property
    def kind(self) -> str:
        """``mass`` or ``volume``."""
        return _UNITS[self.unit][0]

    @property
    def base(self) -> Decimal:
        """The quantity in g or ml, the unit of the metrology tables."""
        return self.value * _UNITS[self.unit][1]

    def __str__(self) -> str:
        return self.text


def _parse_quantity(value: Any) -> Quantity:
    if isinstance(value, Quantity):
        return value
    text = str(value).strip() if isinstance(value, (str, int, float)) else ""
    match = re.fullmatch(r"(\d{1,6}(?:[.,]\d{1,3})?) (mg|g|kg|ml|mL|cl|L|l)", text)
    if not match:
        fail("quantity-format", value=value)
    number = Decimal(match[1].replace(",", "."))
    if number <= 0:
        fail("quantity-format", value=value)
    return Quantity(number, match[2], text)


QuantityText = Annotated[Quantity, BeforeValidator(_parse_quantity), PlainSerializer(str)]


def _check_lot(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9-]{1,20}", value):
        fail("lot-code-chars", value=value)
    return value


def _check_resolver(value: str) -> str:
    if not re.fullmatch(r"https://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~/-]*)?", value):
        fail("resolver-url", value=value)
    return value.rstrip("/")


# ------------------------------------------------------------------------- organisation


class Address(Model):
    """A Vietnamese address, written as since 1/7/2025: thôn – xã/phường – tỉnh."""

    line: Text
    """House number and street, or the village: "thôn Chè Cọ"."""
    commune: ShortText
    """The commune or ward with its word: "xã Côn Minh", "phường Bắc Kạn"."""
    district: ShortText | None = None
    """Only for addresses written before the district level was abolished (1/7/2025)."""
    province: ShortText
    """The province with its word: "tỉnh Thái Nguyên"."""
    country: ShortText = "Việt Nam"
    """Written in full; never abbreviated (Decree 37/2026 Art. 39)."""

    def one_line(self, with_country: bool = False) -> str:
        """Return the address as one comma-separated line, as printed on labels and forms."""
        parts = [self.line, self.commune, self.district, self.province]
        if with_country:
            parts.append(self.country)
        return ", ".join(p for p in parts if p)


class Registration(Model):
    """The cooperative's or enterprise's registration."""

    code: Annotated[str, StringConstraints(pattern=r"^[0-9-]{8,14}$")]
    """Mã số HTX / mã số doanh nghiệp (also the tax code)."""
    issued_on: VnDate | None = None
    """Date of first registration."""
    issued_by: ShortText | None = None
    """The registering office, e.g. "Phòng Tài chính – Kế hoạch, Sở Tài chính tỉnh Thái Nguyên"."""


class Person(Model):
    """A named person acting for the organisation."""

    name: ShortText
    """Full name, not abbreviated."""
    title: ShortText
    """Position: "Giám đốc", "Chủ tịch HĐQT"."""
    id_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{9,12}$")] | None = None
    """Citizen ID number (CCCD), needed on trademark and dossier forms."""


class Contact(Model):
    """How to reach the organisation."""

    phone: ShortText | None = None
    """Phone number as printed."""
    email: ShortText | None = None
    """E-mail address."""
    website: ShortText | None = None
    """Website, without https:// if you prefer."""
    fax: ShortText | None = None
    """Fax, still asked for by some forms."""


class ProductionSite(Model):
    """A place where products are made; its address is the one printed on labels."""

    id: Slug
    """Short code used by products' ``production_site``."""
    name: ShortText
    """Name of the workshop or plant."""
    address: Address
    """Its address (Decree 37/2026 Art. 44.1: labels show the production-site address)."""


class Gs1Membership(Model):
    """The organisation's GS1 Vietnam registration."""

    company_prefix: CompanyPrefix
    """The company prefix including 893: 7 to 12 digits."""
    certificate_no: ShortText | None = None
    """Number of the code-use certificate or decision."""
    valid_until: VnDate | None = None
    """Expiry of the right to use the prefix."""


class FoodSafetyCertificate(Model):
    """The establishment's food-safety certificate (GCN cơ sở đủ điều kiện ATTP) or exemption."""

    number: ShortText | None = None
    """Certificate number."""
    issued_by: ShortText | None = None
    """Issuing body, e.g. "Sở Công Thương tỉnh Thái Nguyên"."""
    issued_on: VnDate | None = None
    """Issue date."""
    valid_until: VnDate | None = None
    """Expiry (3 years after issue)."""
    ministry: Literal["MOIT", "MAE", "MOH"] | None = None
    """Ministry line of the certifying body."""
    scope: Text | None = None
    """Products or activities covered."""
    exemption_basis: Text | None = None
    """Instead of a number: why no certificate is needed, e.g. "Điều 12.1(k) Nghị định 15/2018 – HACCP"."""


class ManagementCertificate(Model):
    """A management or farming certificate: HACCP, ISO 22000, VietGAP, organic."""

    scheme: ShortText
    """The scheme: "HACCP", "ISO 22000:2018", "VietGAP", "Hữu cơ TCVN 11041"."""
    number: ShortText
    """Certificate number."""
    issued_by: ShortText | None = None
    """Certification body."""
    valid_until: VnDate | None = None
    """Expiry date."""


class Premises(Model):
    """The production premises, for the food-safety certificate application."""

    total_area_m2: Annotated[Decimal, Field(gt=0, le=1_000_000)] | None = None
    """Total area of the establishment in m²."""
    production_area_m2: Annotated[Decimal, Field(gt=0, le=1_000_000)] | None = None
    """Area of the production workshop in m²."""
    storage_area_m2: Annotated[Decimal, Field(gt=0, le=1_000_000)] | None = None
    """Area of raw-material and finished-goods stores in m²."""
    layout: Text | None = None
    """How the areas are arranged so that the flow goes one way, raw to finished."""
    construction: Text | None = None
    """Walls, floors, ceilings, lighting, ventilation, pest screens."""
    water_source: Text | None = None
    """Water used in production and how it is tested (QCVN 01-1:2018/BYT)."""
    waste: Text | None = None
    """How solid waste and waste water are handled."""


class Equipment(Model):
    """A piece of production equipment or a tool."""

    name: ShortText
    """What it is: "Máy nghiền củ", "Nồi hấp inox"."""
    quantity: Annotated[int, Field(ge=1, le=10_000)] = 1
    """How many."""
    material: ShortText | None = None
    """Material of the parts in contact with food: "inox 304"."""
    purpose: ShortText | None = None
    """What it is used for."""
    condition: ShortText | None = None
    """State: "tốt", "đang sử dụng"."""


class StaffMember(Model):
    """The owner or a worker directly handling food."""

    name: ShortText
    """Full name."""
    role: ShortText
    """Job: "Chủ cơ sở", "Công nhân sản xuất"."""
    health_certificate_date: VnDate | None = None
    """Date of the latest health certificate (giấy xác nhận đủ sức khỏe)."""
    training_date: VnDate | None = None
    """Date of the latest food-safety training or knowledge confirmation."""


# ---------------------------------------------------------------------------- trademark

MarkKind = Literal["word", "figurative", "combined", "3d"]
"""Word mark (words in standard characters), figurative, combined (words and figure), 3D."""
MarkType = Literal["ordinary", "collective", "certification", "associated"]
"""IP Law Art. 4.16–4.19: an ordinary mark, or a collective, certification or associated one."""


class PowerOfAttorney(Model):
    """The power of attorney (giấy ủy quyền) given to a representative."""

    number: ShortText | None = None
    """Its number, if it has one."""
    date: VnDate | None = None
    """The date it was signed."""


class Representative(Model):
    """Who acts for the applicant before the IP office (block 8 of the form)."""

    role: Literal["legal_representative", "ip_agent", "authorised"] = "legal_representative"
    """The applicant's legal representative (default), an IP agency, or another authorised person."""
    name: ShortText | None = None
    """Full name; for the legal representative, producer.yaml's ``legal_representative`` by default."""
    title: ShortText | None = None
    """Position, printed under the signature: "Giám đốc"."""
    agent_code: ShortText | None = None
    """An IP agency's registration number with the IP office."""
    address: Text | None = None
    """Address; for the legal representative, the head office by default."""
    phone: ShortText | None = None
    """Phone number."""
    email: ShortText | None = None
    """E-mail address."""
    power_of_attorney: PowerOfAttorney | None = None
    """Required for an IP agency or another authorised person (IP Law Art. 100.1.c)."""


class PriorityClaim(Model):
    """A claim to the priority of an earlier application (IP Law Art. 91)."""

    basis: Literal["vietnam", "paris", "other"]
    """A first application in Vietnam, under the Paris Convention, or under another agreement."""
    number: ShortText
    """Number of the earlier application."""
    date: VnDate
    """Its filing date; a mark claims it within 6 months."""
    country: ShortText
    """Where it was filed: "Việt Nam", "Lào"."""
    agreement: ShortText | None = None
    """For ``other``: the agreement."""


class GoodsClass(Model):
    """The goods or services of one Nice class."""

    nice_class: Annotated[int, Field(ge=1, le=45)]
    """The Nice class, 1–34 for goods, 35–45 for services."""
    items: Annotated[list[ShortText], Field(min_length=1, max_length=200)]
    """Each good or service in the Nice list's wording: "Miến", "tinh bột dong riềng dùng làm thực phẩm"."""


class Filing(Model):
    """How and when the application is filed."""

    channel: Literal["online", "paper"] = "online"
    """Online (dvctt.ipvietnam.gov.vn) or on paper; it decides the fee reductions and the copies."""
    date: VnDate | None = None
    """The day the applicant signs and files; it picks the form and the fee schedule."""
    place: ShortText | None = None
    """Where the form is signed: "Thái Nguyên"; default: the head office's province."""
    divisional_of: ShortText | None = None
    """For a divisional application (2026 form, block 2): the parent application's number."""
    divisional_date: VnDate | None = None
    """The parent application's filing date."""


class PlaceNamePermission(Model):
    """The provincial People's Committee's written permission to use a place name in the mark."""

    number: ShortText
    """Number of the document: "1234/UBND-NNTN"."""
    date: VnDate | None = None
    """Its date."""
    issued_by: ShortText = "UBND tỉnh Thái Nguyên"
    """Who issued it."""


class MarkUser(Model):
    """A member or other party allowed to use a collective or certification mark."""

    name: ShortText
    """Full name of the household, cooperative group or company."""
    address: Text | None = None
    """Its address."""


class RulesOfUse(Model):
    """The rules of use of a collective or certification mark (IP Law Art. 105.4–105.5)."""

    decision: ShortText | None = None
    """The number of the owner's decision adopting the rules: "01/QĐ-HTX"."""
    date: VnDate | None = None
    """The decision's date."""
    membership_criteria: Annotated[list[Text], Field(max_length=30)] = []
    """Collective marks: who may become a member (Art. 105.4.b)."""
    users: Annotated[list[MarkUser], Field(max_length=500)] = []
    """Who may use the mark (Art. 105.4.c)."""
    conditions: Annotated[list[Text], Field(max_length=30)] = []
    """Conditions of use (Art. 105.4.d, 105.5.b)."""
    sanctions: Annotated[list[Text], Field(max_length=30)] = []
    """Measures against breaches of the rules (Art. 105.4.đ)."""
    characteristics: Annotated[list[Text], Field(max_length=30)] = []
    """Certification marks: the characteristics the mark certifies (Art. 105.5.c)."""
    evaluation: Text | None = None
    """Certification marks: how the characteristics are assessed (Art. 105.5.d)."""
    control: Text | None = None
    """How the owner controls the use of the mark (Art. 105.5.d)."""
    user_fees: Text | None = None
    """Certification marks: what users pay for certification and protection, if anything (Art. 105.5.đ)."""


class Trademark(Model):
    """A trademark application: in a product file for that product, or in producer.yaml.

    A mark in producer.yaml covers the producer's products and is filed once, for them all.
    """

    mark_text: ShortText | None = None
    """The words of the mark as they read, for word and combined marks: "KHUỔI DONG"."""
    image: ShortText | None = None
    """The mark sample: a PNG, JPEG or SVG file in this folder. A word mark without one is
    printed in standard characters."""
    mark_kind: MarkKind
    """Word, figurative, combined or 3D."""
    mark_type: MarkType = "ordinary"
    """Ordinary, collective, certification or associated (tick boxes of the form)."""
    colours: Annotated[list[ShortText], Field(max_length=12)] = []
    """Colours claimed; empty: black and white. A colour claim needs a sample in those colours."""
    description: Text | None = None
    """The elements of the mark and their arrangement (IP Law Art. 105.2)."""
    meaning: Text | None = None
    """Transliteration or meaning of foreign or invented words: "Khuổi Dong: từ tự đặt, không có nghĩa"."""
    disclaimed: Annotated[list[ShortText], Field(max_length=20)] = []
    """Elements not protected on their own (descriptive words, place names, "OCOP"); each in mark_text."""
    representative: Representative = Representative()
    """Who acts for the applicant; default: its legal representative."""
    priority: Annotated[list[PriorityClaim], Field(max_length=10)] = []
    """Priority claims; empty: none."""
    goods: Annotated[list[GoodsClass], Field(max_length=45)] = []
    """Goods and services by Nice class; the form sorts them by class."""
    filing: Filing = Filing()
    """Channel, date and place of filing."""
    place_name_permission: PlaceNamePermission | None = None
    """The provincial permission for a place name in the mark."""
    area_map: ShortText | None = None
    """A map of the area (PDF or image file in this folder) for a mark with a place name."""
    characteristics: Text | None = None
    """Block 13: the short description of the goods' characteristics (origin, quality), for
    collective and certification marks."""
    rules_of_use: RulesOfUse | None = None
    """Collective and certification marks: the rules of use."""


class Evidence(Model):
    """A paper of the OCOP dossier that the producer has on hand."""

    document: ShortText
    """What it is: "Bản sao Giấy chứng nhận đăng ký HTX số 4700123456"."""
    date: VnDate | None = None
    """Its date."""
    file: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")] | None = None
    """A scan in the product's folder: "giay-dkkd.pdf" (a plain file name, no folders)."""


def _check_evidence_ids(evidence: dict[str, Evidence]) -> dict[str, Evidence]:
    from .law import ocop_law  # the law data names the dossier's items

    known = [e.id for e in ocop_law().evidence]
    for key in evidence:
        if key not in known:
            fail("ocop-evidence-unknown", key=key, choices=", ".join(known))
    return evidence


EvidenceMap = Annotated[dict[str, Evidence], Field(max_length=40), AfterValidator(_check_evidence_ids)]
"""Papers on hand, by the item ids of ocopdocs/law/ocop.yaml."""


class Producer(Model):
    """``producer.yaml``: the organisation responsible for the products in its folder."""

    sample: bool = False
    """True for the fictional sample data shipped with ocopdocs; printed on every document."""
    legal_name: ShortText
    """Full legal name, never abbreviated: "Hợp tác xã Nông sản Khuổi Dong"."""
    short_name: ShortText | None = None
    """Trading name."""
    abbreviation: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9-]{1,12}$")]
    """Upper-case short form used in document numbers: "Số: 01/KD/2026"."""
    legal_form: Literal["hop_tac_xa", "doanh_nghiep", "ho_kinh_doanh", "to_hop_tac"]
    """Cooperative, enterprise, household business or cooperative group."""
    registration: Registration
    """Business or cooperative registration."""
    head_office: Address
    """Registered head-office address."""
    production_sites: Annotated[list[ProductionSite], Field(min_length=1, max_length=20)]
    """Where the products are made."""
    legal_representative: Person
    """Who signs for the organisation."""
    contact: Contact = Contact()
    """Phone, e-mail, website."""
    member_of: ShortText | None = None
    """A union or association whose name may be added to labels (Decree 37/2026 Art. 44.1.a)."""
    gs1: Gs1Membership | None = None
    """GS1 Vietnam membership; needed for any GTIN."""
    food_safety_certificate: FoodSafetyCertificate | None = None
    """Food-safety establishment certificate or its exemption."""
    management_certificates: Annotated[list[ManagementCertificate], Field(max_length=20)] = []
    """HACCP, ISO 22000, VietGAP, organic certificates."""
    premises: Premises | None = None
    """Premises, for the food-safety certificate application."""
    equipment: Annotated[list[Equipment], Field(max_length=200)] = []
    """Equipment and tools, for the food-safety certificate application."""
    staff: Annotated[list[StaffMember], Field(max_length=500)] = []
    """The owner and direct workers, with health and training dates."""
    trademark: Trademark | None = None
    """A trademark covering the producer's products (a product's own ``trademark`` is filed apart)."""
    ocop_evidence: EvidenceMap = {}
    """OCOP dossier papers on hand that serve every product (business registration, accounting)."""

    def site(self, site_id: str | None) -> ProductionSite:
        """Return the production site ``site_id``, or the only one when it is not given."""
        if site_id is None:
            return self.production_sites[0]
        return next(s for s in self.production_sites if s.id == site_id)


# ------------------------------------------------------------------------------ product

Group = Literal["luong_thuc", "thuc_pham", "tpbvsk", "do_uong", "ruou", "phu_gia", "nguyen_lieu"]
"""Food groups of Decree 37/2026 App. I (rows 1, 2, 3, 6, 7, 9, 11)."""


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


NutritionExemption = Literal[
    "single_ingredient", "alcoholic_drink", "health_supplement", "plain_tea_coffee",
    "salt", "vinegar", "food_additive", "not_retail", "small_business"]
"""Grounds for leaving out the nutrition panel (Circular 30/2026 Art. 1.2)."""


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
    gtin: Gtin13
    """The GTIN-13 printed as EAN-13; its check digit is verified."""
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


class Lot(Model):
    """The production lot whose labels are being printed."""

    code: Annotated[str, AfterValidator(_check_lot)]
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

    resolver: Annotated[str, AfterValidator(_check_resolver)]
    """Base of the GS1 Digital Link: "https://id.example.vn"."""


class OcopCertificate(Model):
    """The product's OCOP certificate; the star badge is printed while it is valid."""

    stars: Annotated[int, Field(ge=1, le=5)]
    """Star rating (3 to 5 for a certificate)."""
    certificate_no: ShortText
    """Certificate or decision number."""
    issued_by: ShortText
    """Issuer: "UBND tỉnh Thái Nguyên"."""
    issued_on: VnDate
    """Issue date; valid for 36 months."""

    @field_validator("stars")
    @classmethod
    def _certified_band(cls, stars: int) -> int:
        if stars < 3:
            fail("ocop-stars", value=stars)
        return stars


Money = Annotated[Decimal, Field(ge=0, le=10**13)]
"""An amount in đồng."""
LongText = Annotated[str, StringConstraints(min_length=1, max_length=6000)]
"""A page of prose: the product story."""
OcopGroup = Literal["thuc_pham", "do_uong", "duoc_lieu", "thu_cong_my_nghe", "sinh_vat_canh",
                    "dich_vu_du_lich"]
"""OCOP product groups of Decision 148/2023 (ocopdocs/law/ocop.yaml names them)."""


class OcopCategory(Model):
    """Where the product sits in the OCOP classification."""

    group: OcopGroup
    """Product group: thuc_pham, do_uong, duoc_lieu, thu_cong_my_nghe, sinh_vat_canh, dich_vu_du_lich."""
    subgroup: ShortText
    """Subgroup as the province's sheet names it: "Thực phẩm chế biến"."""


class RawMaterial(Model):
    """Where the raw material comes from."""

    description: Text
    """What it is and how it is sourced: "Củ dong riềng trồng tại xã Côn Minh"."""
    area_ha: Annotated[Decimal, Field(gt=0, le=1_000_000)] | None = None
    """Growing area in hectares."""
    location: ShortText | None = None
    """Where the area lies."""
    own_share_percent: Annotated[Decimal, Field(ge=0, le=100)] | None = None
    """Share grown by the producer or its members; the rest is bought."""
    linked_households: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    """Households bound by supply contracts (chain linkage)."""
    certification: ShortText | None = None
    """VietGAP, organic or another certification of the area."""


class Capacity(Model):
    """Production capacity."""

    amount: Annotated[Decimal, Field(gt=0, le=10**12)]
    """How much per period."""
    unit: ShortText
    """Unit and period: "tấn/năm", "chai/năm"."""


class Market(Model):
    """A market or channel where the product sells."""

    name: ShortText
    """The market: "Siêu thị, cửa hàng OCOP trong tỉnh", "Sàn thương mại điện tử"."""
    scope: Literal["local", "province", "national", "export", "online"]
    """Local (commune), province, national, export or online."""
    share_percent: Annotated[Decimal, Field(ge=0, le=100)] | None = None
    """Share of sales."""


class Community(Model):
    """The people the product involves (part A3 of the self-assessment)."""

    members: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    """Members of the cooperative or group, if any."""
    households: Annotated[int, Field(ge=0, le=1_000_000)]
    """Households taking part (members, suppliers, workers)."""
    workers: Annotated[int, Field(ge=1, le=1_000_000)]
    """People working regularly on the product."""
    women: Annotated[int, Field(ge=0, le=1_000_000)]
    """Of the workers, women."""
    ethnic_minority: Annotated[int, Field(ge=0, le=1_000_000)]
    """Of the workers, people of ethnic minorities."""

    @model_validator(mode="after")
    def _parts_of_workers(self) -> Community:
        for name, count in (("women", self.women), ("ethnic_minority", self.ethnic_minority)):
            if count > self.workers:
                fail("ocop-community-count", field=name, count=count, workers=self.workers)
        return self


class OrgUnit(Model):
    """One unit of the organisation: the board, production team, sales team."""

    name: ShortText
    """Its name: "Ban giám đốc", "Tổ sản xuất"."""
    head: ShortText | None = None
    """Who leads it."""
    people: Annotated[int, Field(ge=1, le=100_000)] | None = None
    """How many people work in it."""
    duties: ShortText | None = None
    """What it does."""


class Organisation(Model):
    """The description of the organisation (bản mô tả bộ máy tổ chức)."""

    description: Text
    """How the producer is organised and run."""
    units: Annotated[list[OrgUnit], Field(max_length=30)] = []
    """Its units."""


class PlanCosts(Model):
    """A year's production costs, in đồng."""

    raw_materials_vnd: Money = Decimal(0)
    """Raw materials."""
    labour_vnd: Money = Decimal(0)
    """Wages."""
    packaging_vnd: Money = Decimal(0)
    """Packaging and labels."""
    other_vnd: Money = Decimal(0)
    """Energy, transport, marketing, depreciation and the rest."""

    @property
    def total(self) -> Decimal:
        """All costs of the year."""
        return self.raw_materials_vnd + self.labour_vnd + self.packaging_vnd + self.other_vnd


class PlanYear(Model):
    """One year of the business plan."""

    year: Annotated[int, Field(ge=2000, le=2100)]
    """The calendar year."""
    volume: Annotated[Decimal, Field(ge=0, le=10**12)]
    """Quantity sold, in the plan's unit."""
    price_vnd: Money
    """Average selling price per unit, in đồng."""
    costs: PlanCosts
    """Production costs."""
    investment_vnd: Money = Decimal(0)
    """Investment made in the year (equipment, premises), in đồng."""
    staff: Annotated[int, Field(ge=0, le=100_000)] | None = None
    """People employed."""
    revenue_target_vnd: Money | None = None
    """The revenue the producer aims at, in đồng."""


class BusinessPlan(Model):
    """The production and business plan (phương án sản xuất kinh doanh)."""

    unit: ShortText
    """The unit volumes and prices refer to: "kg", "gói 500 g", "chai 500 ml"."""
    years: Annotated[list[PlanYear], Field(min_length=1, max_length=10)]
    """Consecutive years, the first the current or the last closed one."""
    notes: Text | None = None
    """Assumptions behind the figures."""

    @model_validator(mode="after")
    def _consecutive(self) -> BusinessPlan:
        years = [y.year for y in self.years]
        if years != list(range(years[0], years[0] + len(years))):
            fail("ocop-plan-years", years=", ".join(str(y) for y in years))
        return self


class SelfAssessment(Model):
    """The producer's own scoring on the OCOP sheet in force on its date."""

    date: VnDate
    """When the self-assessment was made; picks the score split (Decision 148 or 1048)."""
    scores: Annotated[dict[str, Annotated[Decimal, Field(ge=0, le=100)]], Field(max_length=100)]
    """Score per criterion id of the sheet (ocopdocs/law/ocop.yaml): ``A1.1: 4``."""


class Ocop(Model):
    """The product's OCOP certificate and the data of its OCOP dossier."""

    certificate: OcopCertificate | None = None
    """The certificate in force, if any; the star badge is printed while it is valid."""
    status: Literal["existing", "new_idea"] | None = None
    """An existing product or a new product idea: decides the registration form."""
    date: VnDate | None = None
    """Date of the registration form."""
    category: OcopCategory | None = None
    """OCOP product group and subgroup."""
    raw_material: RawMaterial | None = None
    """Raw-material area and sourcing."""
    capacity: Capacity | None = None
    """Production capacity."""
    markets: Annotated[list[Market], Field(max_length=20)] = []
    """Where it sells."""
    community: Community | None = None
    """Members, households and workers involved."""
    story: LongText | None = None
    """The product story (câu chuyện sản phẩm)."""
    organisation: Organisation | None = None
    """The description of the organisation."""
    business_plan: BusinessPlan | None = None
    """Volumes, prices, costs, investment and targets by year."""
    evidence: EvidenceMap = {}
    """Papers on hand for this product (producer-wide ones go in producer.yaml ocop_evidence)."""
    self_assessment: SelfAssessment | None = None
    """Scores by criterion."""

    @property
    def filing(self) -> bool:
        """True when the file carries dossier data, not only a certificate."""
        return any(getattr(self, name) not in (None, [], {})
                   for name in type(self).model_fields if name != "certificate")

    @model_validator(mode="after")
    def _market_shares(self) -> Ocop:
        total = sum((m.share_percent or Decimal(0) for m in self.markets), Decimal(0))
        if total > 100:
            fail("ocop-market-shares", total=total)
        return self


class Accreditation(Model):
    """Why a lab's results count: ISO/IEC 17025 accreditation or a ministry designation."""

    kind: Literal["iso17025", "designated"]
    """Accredited to ISO/IEC 17025 (VILAS, BoA) or designated by a ministry."""
    number: ShortText
    """Accreditation or designation number: "VILAS 123"."""


class Criterion(Model):
    """One line of a test report."""

    name: ShortText
    """The criterion: "Chì (Pb)", "Tổng số vi sinh vật hiếu khí"."""
    unit: ShortText | None = None
    """Unit: "mg/kg", "CFU/g"."""
    limit: ShortText | None = None
    """The limit as written in the standard: "≤ 0,2"."""
    result: ShortText
    """The result as reported: "0,03", "KPH (LOD 0,01)"."""
    method: ShortText | None = None
    """Test method: "AOAC 2015.01", "TCVN 4884-1:2015"."""


class LabReport(Model):
    """A test report (phiếu kết quả kiểm nghiệm)."""

    lab: ShortText
    """The laboratory's name."""
    accreditation: Accreditation | None = None
    """Its accreditation or designation; a report without one cannot support a declaration."""
    report_no: ShortText
    """Report number."""
    date: VnDate
    """Date the report was issued; at most 12 months before the declaration."""
    criteria: Annotated[list[Criterion], Field(min_length=1, max_length=60)]
    """The criteria tested."""


class Publication(Model):
    """Where the self-declaration is published (Decree 15/2018 Art. 5.2.a)."""

    channel: Literal["website", "media", "notice"]
    """The organisation's website, the mass media, or a notice at the establishment."""
    where: ShortText | None = None
    """URL, newspaper, or where the notice hangs."""
    date: VnDate | None = None
    """Date of publication."""


class Declaration(Model):
    """The self-declaration's own details (Form 01, Decree 15/2018)."""

    number: Annotated[int, Field(ge=1, le=9999)] | None = None
    """Sequence number; printed "Số: 01/<ABBR>/<YYYY>"."""
    date: VnDate | None = None
    """Date of the declaration."""
    place: ShortText | None = None
    """Where it is signed: "Thái Nguyên"."""
    receiving_body: ShortText | None = None
    """The body the provincial People's Committee designates to receive it."""
    publication: Publication | None = None
    """Where it is published."""


class ContractManufacturer(Model):
    """The establishment that makes the product under contract, if not the producer itself."""

    name: ShortText
    """Its name."""
    address: Address
    """Its address."""


class FoodSafety(Model):
    """What the food-safety dossiers need about this product."""

    route: Literal["self_declaration", "registration", "none"] | None = None
    """Self-declaration (Decree 15/2018 Art. 4), registration with MOH (Art. 6–8), or none;
    default: registration for health supplements, self-declaration otherwise."""
    ministry: Literal["MOIT", "MAE", "MOH"] | None = None
    """The ministry line that manages the product (Decree 15/2018 App. II–IV)."""
    annual_output_kg: Annotated[Decimal, Field(gt=0, le=100_000_000)] | None = None
    """Yearly output; the largest product decides which ministry certifies the producer."""
    declaration: Declaration = Declaration()
    """The declaration's number, date, place, receiving body and publication."""
    safety_standards: Annotated[list[ShortText], Field(max_length=20)] = []
    """Section IV: the QCVN, TCVN or other basis the product meets, besides applied_standard."""
    test_reports: Annotated[list[LabReport], Field(max_length=10)] = []
    """Test reports supporting the declaration."""
    contract_manufacturer: ContractManufacturer | None = None
    """The contract manufacturer, if production is contracted out."""


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
    packages: Annotated[list[Package], Field(min_length=1, max_length=20)]
    """Packaging variants: one label each."""
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
