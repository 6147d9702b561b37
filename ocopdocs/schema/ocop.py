"""OCOP: the certificate and the dossier data (category, plan, community, evidence, scores)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, field_validator, model_validator

from ..law import ocop_law
from .common import LongText, Model, Money, ShortText, Text, VnDate, fail, law_key


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


OcopGroup = Annotated[str, law_key(lambda: ocop_law().groups, "ocop_group")]
"""OCOP product groups of Decision 148/2023: the keys of ``groups`` in ocopdocs/law/ocop.yaml."""


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


class Evidence(Model):
    """A paper of the OCOP dossier that the producer has on hand."""

    document: ShortText
    """What it is: "Bản sao Giấy chứng nhận đăng ký HTX số 4700123456"."""
    date: VnDate | None = None
    """Its date."""
    file: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")] | None = None
    """A scan in the product's folder: "giay-dkkd.pdf" (a plain file name, no folders)."""


def _check_evidence_ids(evidence: dict[str, Evidence]) -> dict[str, Evidence]:
    known = [e.id for e in ocop_law().evidence]
    for key in evidence:
        if key not in known:
            fail("ocop-evidence-unknown", key=key, choices=", ".join(known))
    return evidence


EvidenceMap = Annotated[dict[str, Evidence], Field(max_length=40), AfterValidator(_check_evidence_ids)]
"""Papers on hand, by the item ids of ocopdocs/law/ocop.yaml."""


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
