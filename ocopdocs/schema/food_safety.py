"""Food-safety dossiers: the establishment certificate, premises, staff, test reports, declaration."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from ..law import food_safety_law
from .common import Address, Model, ShortText, Text, VnDate, law_key

Ministry = Annotated[str, law_key(lambda: food_safety_law().ministries, "ministry")]
"""A ministry line (MOIT, MAE, MOH): the keys of ``ministries`` in ocopdocs/law/food_safety.yaml."""


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
    ministry: Ministry | None = None
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
    ministry: Ministry | None = None
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
    key_criteria: Annotated[list[ShortText], Field(max_length=20)] = []
    """Registration route, form section II.3: the main quality criteria that make the product's
    effect, with their levels: "Curcumin: 150 mg/viên"."""
    efficacy_evidence: Annotated[list[Text], Field(max_length=20)] = []
    """Registration route: the scientific evidence of the effect of the product or of its
    active ingredient (Decree 15/2018 Art. 7.2.c), each as title, authors, journal, year."""


class SpiritLicence(Model):
    """The licence to make spirits by hand for sale (Decree 105/2017 Art. 9, 25)."""

    number: ShortText
    """Licence number."""
    issued_on: VnDate | None = None
    """Issue date."""
    issued_by: ShortText | None = None
    """Issuing body: the commune People's Committee (since 1/7/2025) or the former district office."""
    valid_until: VnDate | None = None
    """Expiry, when the licence states one."""


class Spirit(Model):
    """How a spirit is sold, which decides its licence and stamp (Decree 105/2017 Art. 4, 6, 10)."""

    sale: Literal["home_market", "export", "reprocessing"] = "home_market"
    """Sold in Viet Nam, exported, or only to a licensed producer for re-processing."""
    stamp: bool = False
    """True when every bottle made for the home market carries the alcohol stamp (tem rượu)."""
