"""``producer.yaml``: the organisation, its registration, sites and papers."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from ..design.stocks import Stock, shipped_stocks
from ..law import ocop_law
from .common import Address, CompanyPrefix, Contact, Model, Person, ShortText, Slug, VnDate, fail, law_key
from .food_safety import (
    Equipment,
    FoodSafetyCertificate,
    ManagementCertificate,
    Premises,
    SpiritLicence,
    StaffMember,
)
from .label import LabelDesign
from .ocop import EvidenceMap
from .trademark import Trademark

LegalForm = Annotated[str, law_key(lambda: ocop_law().participants, "legal_form")]
"""Cooperative, enterprise, household business or cooperative group: the keys of
``participants`` in ocopdocs/law/ocop.yaml."""


def _own_stocks(stocks: list[Stock]) -> list[Stock]:
    """A producer's stocks have ids of their own: not twice, not a shipped stock's."""
    seen: set[str] = set()
    for stock in stocks:
        if stock.id in shipped_stocks():
            fail("stock-shipped-id", id=stock.id)
        if stock.id in seen:
            fail("stock-duplicate", id=stock.id)
        seen.add(stock.id)
    return stocks


class Registration(Model):
    """The cooperative's or enterprise's registration."""

    code: Annotated[str, StringConstraints(min_length=1, max_length=30)]
    """Mã số HTX / mã số doanh nghiệp (also the tax code), or a household business's number.
    A form ocopdocs does not know is a warning (registration-format), not a refusal."""
    issued_on: VnDate | None = None
    """Date of first registration."""
    issued_by: ShortText | None = None
    """The registering office, e.g. "Phòng Tài chính – Kế hoạch, Sở Tài chính tỉnh Thái Nguyên"."""


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
    legal_form: LegalForm
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
    spirit_licence: SpiritLicence | None = None
    """The licence to make spirits by hand for sale (Decree 105/2017), for a spirit maker."""
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
    design: LabelDesign | None = None
    """How the producer's labels look: theme, brand colours, logo, font, layout."""
    label_stocks: Annotated[list[Stock], Field(max_length=20), AfterValidator(_own_stocks)] = []
    """Label sheets of the producer's own, measured, for stamps and label sheets: a die-cut sheet
    (label size, columns, rows, first label, gutters) or an uncut one (margin, gutters)."""

    def site(self, site_id: str | None) -> ProductionSite:
        """Return the production site ``site_id``, or the only one when it is not given."""
        if site_id is None:
            return self.production_sites[0]
        return next(s for s in self.production_sites if s.id == site_id)
