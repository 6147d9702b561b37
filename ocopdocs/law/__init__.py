"""Dated legal facts, kept as data in this folder's YAML files and read once.

Code asks questions ("which regime applies on this print date?") and never hard-codes a
figure: when a rule changes or a figure turns out wrong, the YAML is what gets corrected.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import OcopError
from ..messages import t
from ..yamlio import format_loc, load_yaml

HERE = Path(__file__).parent
_T = TypeVar("_T", bound=BaseModel)


class LawDataError(OcopError):
    """A law data file that cannot be read or does not hold what ocopdocs expects."""


def read(name: str, model: type[_T], folder: Path = HERE) -> _T:
    """Read and validate one data file of ``folder`` (this one); a mistake names its file and line."""
    path = folder / name
    doc = load_yaml(path, str(path))
    if doc.problems:
        raise LawDataError("\n".join(str(p) for p in doc.problems))
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        lines = []
        for error in exc.errors(include_url=False):
            loc = tuple(str(part) if not isinstance(part, int) else part for part in error["loc"])
            lines.append(t("law-data-invalid", file=path, line=doc.line_of(loc) or "?",
                           field=format_loc(loc), detail=error["msg"]))
        raise LawDataError("\n".join(lines)) from None


class Dated(Protocol):
    """Anything that is in force between two days (None: open-ended)."""

    @property
    def applies_from(self) -> date | None: ...  # noqa: D102

    @property
    def applies_until(self) -> date | None: ...  # noqa: D102


def applies_on(item: Dated, day: date) -> bool:
    """True when ``day`` lies within the item's dates, both ends included."""
    return ((item.applies_from is None or item.applies_from <= day)
            and (item.applies_until is None or day <= item.applies_until))


_D = TypeVar("_D", bound=Dated)


def in_force(items: Sequence[_D], day: date) -> _D | None:
    """The first of ``items`` in force on ``day``, or None."""
    return next((item for item in items if applies_on(item, day)), None)


def in_force_or_nearest(items: Sequence[_D], day: date) -> _D:
    """The item in force on ``day``; before them all the first, after them all the last."""
    found = in_force(items, day)
    if found is not None:
        return found
    first = items[0].applies_from
    return items[0] if first is not None and day < first else items[-1]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Regime(_Data):
    """One labelling regime and the dates it governs."""

    id: str
    instrument: str
    short: str
    applies_from: date
    applies_until: date | None
    usable_until: date | None
    min_character_height_mm: Decimal | None
    """The smallest character height for mandatory text (None: the regime sets none)."""
    confidence: str


class GroupRule(_Data):
    """A Decree 37/2026 App. I row: the items a label in that group must carry."""

    row: int
    name: str
    items: list[str]
    fixed_sentences: list[str] = []


class NutritionRule(_Data):
    """Which nutrition circular applies, and from which production date it is mandatory."""

    instrument: str
    applies_from: date
    applies_until: date | None
    mandatory_for_products_made_from: date


class HeightBand(_Data):
    """A band of the net-quantity figure-height table."""

    up_to: Decimal | None
    min_mm: Decimal


class LabelLaw(_Data):
    """Everything in ``label.yaml``."""

    regimes: list[Regime]
    groups: dict[str, GroupRule]
    nutrition: list[NutritionRule]
    nutrition_exemptions: dict[str, list[str]]
    """Grounds for leaving out the nutrition panel, each with the groups it can apply to (none: any)."""
    quantity_figure_heights_mm: list[HeightBand]

    def regime_on(self, day: date) -> Regime:
        """Return the labelling regime in force on ``day``."""
        return in_force(self.regimes, day) or self.regimes[0]

    def nutrition_on(self, day: date) -> NutritionRule:
        """Return the nutrition-labelling rule in force on ``day``."""
        return in_force(self.nutrition, day) or self.nutrition[0]

    def min_figure_height(self, nominal: Decimal) -> Decimal:
        """Return the minimum height in mm of the quantity figures for ``nominal`` g or ml."""
        for band in self.quantity_figure_heights_mm:
            if band.up_to is None or nominal <= band.up_to:
                return band.min_mm
        raise AssertionError("the last band has no upper limit")


@cache
def label_law() -> LabelLaw:
    """Return the labelling facts (read once per process)."""
    return read("label.yaml", LabelLaw)


class SelfDeclarationLaw(_Data):
    """Decree 15/2018 self-declaration facts."""

    instrument: str
    form: str
    article: str
    confidence: str


class RegistrationAttachment(_Data):
    """A paper of the registration dossier (Art. 7.2), and how sure we are of it."""

    id: Literal["form", "test_report", "efficacy", "gmp", "label"]
    title: str
    confidence: str


class RegistrationLaw(_Data):
    """Products that register their declaration instead (Decree 15/2018 Art. 6–8)."""

    instrument: str
    article: str
    groups: list[str]
    receiving_body: str
    form: str
    dossier_article: str
    confidence: str
    attachments: list[RegistrationAttachment]


class CommitmentLaw(_Data):
    """Who signs a food-safety commitment with the commune instead of holding a certificate."""

    legal_forms: list[str]
    ministries: list[str]
    basis: str
    receiving_body: str
    """With ``{commune}``: the commune of the production site."""
    confidence: str


ManagementKind = Literal["food_safety_system", "quality_system", "good_practice", "organic"]
"""What a management certificate is: a food-safety or a quality management system, a good
agricultural practice, or organic production."""


class LegalFormWording(_Data):
    """How a legal form is named on forms: its registration number, its representative, its seal."""

    registration: str
    representative: str
    seal: bool


class SpiritsLaw(_Data):
    """The licence and the stamp of spirits (Decree 105/2017)."""

    instrument: str
    licence: str
    licence_article: str
    stamp_article: str
    min_ethanol_percent: Decimal


class CertificateLaw(_Data):
    """The establishment certificate: validity, warnings, exemptions."""

    instrument: str
    article: str
    validity_years: int
    exempting_kinds: list[ManagementKind]
    exempting_article: str
    renewal_window_months: int


class MinistryLine(_Data):
    """A ministry line that certifies establishments, and its dossier's basis."""

    name: str
    issuer: str
    instrument: str
    confidence: str


class FoodSafetyLaw(_Data):
    """Everything in ``food_safety.yaml``."""

    self_declaration: SelfDeclarationLaw
    registration: RegistrationLaw
    certificate: CertificateLaw
    commitment: CommitmentLaw
    management_schemes: dict[str, ManagementKind]
    legal_forms: dict[str, LegalFormWording]
    spirits: SpiritsLaw
    ministries: dict[str, MinistryLine]

    def management_kind(self, scheme: str) -> ManagementKind | None:
        """What a certificate of ``scheme`` is ("VietGAP" → good_practice), or None when unknown."""
        folded = scheme.casefold()
        matches = [k for k in self.management_schemes if folded.startswith(k.casefold())]
        return self.management_schemes[max(matches, key=len)] if matches else None


@cache
def food_safety_law() -> FoodSafetyLaw:
    """Return the food-safety dossier facts (read once per process)."""
    return read("food_safety.yaml", FoodSafetyLaw)


class FormEra(_Data):
    """The trademark application form in force for filings in a date range."""

    id: str
    form: str
    appendix: str
    instrument: str
    template: str
    applies_from: date
    applies_until: date | None
    confidence: str

    @property
    def citation(self) -> str:
        """``Mẫu số 08, Phụ lục I, Nghị định 65/2023/NĐ-CP``."""
        return f"{self.form}, {self.appendix}, {self.instrument}"


FeePer = Literal["application", "class", "class_from_2nd", "priority_claim"]


class FeeItem(_Data):
    """One line of the fee schedule for trademarks."""

    id: str
    name: str
    kind: Literal["phi", "le_phi"]
    """Phí (a charge, Mục B of the schedule) or lệ phí (a levy, Mục A)."""
    per: FeePer
    amount: int
    item_surcharge: int = 0
    """Per good or service beyond ``items_per_class`` in each class."""
    confidence: str


class FeeSchedule(_Data):
    """A fee schedule and the filing dates it governs."""

    instrument: str
    applies_from: date
    applies_until: date | None
    items_per_class: int
    confidence: str
    upfront: list[FeeItem]
    at_grant: list[FeeItem]


class FeeReduction(_Data):
    """A reduction of the lệ phí for a filing channel, in force for some dates."""

    id: str
    instrument: str
    channel: Literal["online", "paper"]
    percent: int
    applies_from: date | None
    applies_until: date | None
    applied: bool
    """True: computed into the totals. False: only noted under the fee table (not read in a text)."""
    note: str = ""
    confidence: str


class MarkSample(_Data):
    """What the mark sample box asks of the image."""

    box_mm: Decimal
    min_dpi: int
    min_element_mm: Decimal
    paper_copies: int
    form_copies_paper: int
    max_file_kb: int
    max_pixels: int

    @property
    def min_pixels(self) -> int:
        """The long side a raster sample needs to print at ``box_mm`` and ``min_dpi``: 945 for 80 mm."""
        return math.ceil(self.box_mm / Decimal("25.4") * self.min_dpi)


class NiceKind(_Data):
    """A product kind and the Nice classes its goods usually go in."""

    name: str
    classes: list[int]
    also: list[int] = []
    goods: list[str]
    confidence: str

    @property
    def plausible(self) -> list[int]:
        """The usual classes and those plausible in some framings."""
        return [*self.classes, *self.also]


class NiceTerm(_Data):
    """A goods word and the class of the goods it heads."""

    term: str
    nice_class: int


class NiceTable(_Data):
    """Help for classifying goods: kinds to classes, words to classes."""

    edition: str
    services_any: list[int]
    kinds: dict[str, NiceKind]
    terms: list[NiceTerm]


class TrademarkLaw(_Data):
    """Everything in ``trademark.yaml``."""

    office: str
    forms: list[FormEra]
    fees: list[FeeSchedule]
    reductions: list[FeeReduction]
    mark_sample: MarkSample
    priority_months: int
    collective_owner_forms: list[str]
    mark_kinds: dict[str, str]
    mark_types: dict[str, str]
    legal_forms: dict[str, str]
    application_documents: dict[str, str]
    """Block 11 of the form: what an application may include, by id, in the form's order."""
    nice: NiceTable
    place_names: list[str]

    def form_on(self, day: date) -> FormEra:
        """Return the application form for a filing on ``day`` (the nearest era outside them all)."""
        return in_force_or_nearest(self.forms, day)

    def fees_on(self, day: date) -> FeeSchedule:
        """Return the fee schedule for a filing on ``day``."""
        return in_force_or_nearest(self.fees, day)

    def reductions_on(self, day: date, channel: str) -> list[FeeReduction]:
        """Return the reductions of the lệ phí for a filing on ``day`` through ``channel``."""
        return [r for r in self.reductions if r.channel == channel and applies_on(r, day)]


@cache
def trademark_law() -> TrademarkLaw:
    """Return the trademark application facts (read once per process)."""
    return read("trademark.yaml", TrademarkLaw)


class OcopProcedure(_Data):
    """Who receives and grades an OCOP dossier (Decision 1489/2025)."""

    receiving_body: str
    grading_body: str
    national_from_score: int
    confidence: str


class OcopEra(_Data):
    """The score split in force between two dates, and its self-assessment sheet."""

    id: str
    instrument: str
    applies_from: date
    applies_until: date | None
    parts: dict[str, int]
    sheet: str | None
    confidence: str


class StarBand(_Data):
    """Scores from ``min`` up to the next band's minimum earn ``stars``."""

    min: Decimal
    stars: int
    meaning: str


class OcopGroup(_Data):
    """An OCOP product group of Decision 148 and its subgroups."""

    name: str
    subgroups: list[str]


class SheetCriterion(_Data):
    """One criterion of a self-assessment sheet."""

    id: str
    part: str
    section: str
    name: str
    max: Decimal
    mandatory: bool = False
    evidence: str | None = None
    """A dossier paper (an evidence id) that must be on hand for any score above 0."""


class Sheet(_Data):
    """A self-assessment sheet: criteria whose maxima add up to the era's parts."""

    confidence: str
    criteria: list[SheetCriterion]


class EvidenceRule(_Data):
    """An item of the producer's dossier and how ocopdocs knows it is on hand."""

    id: str
    title: str
    mandatory: bool
    source: Literal["declared", "dossier", "labels", "declaration", "trademark",
                    "food_safety_certificate", "test_reports", "barcode", "quality_management"]
    new_idea: bool = False


class OcopLaw(_Data):
    """Everything in ``ocop.yaml``."""

    instrument: str
    procedure: OcopProcedure
    eras: list[OcopEra]
    parts: dict[str, str]
    bands: list[StarBand]
    mandatory_from_stars: int
    label_groups: dict[str, list[str]]
    """The OCOP groups a product of each App. I label group may be filed under."""
    mandatory_confidence: str
    groups: dict[str, OcopGroup]
    participants: dict[str, str]
    sheets: dict[str, Sheet]
    evidence: list[EvidenceRule]

    def era_on(self, day: date) -> OcopEra:
        """Return the score split in force on ``day`` (the newest for later days)."""
        return in_force_or_nearest(self.eras, day)

    def stars_for(self, score: Decimal) -> StarBand:
        """Return the star band of a total score: ≥ 90 five stars … < 30 one star."""
        return next(band for band in self.bands if score >= band.min)


@cache
def ocop_law() -> OcopLaw:
    """Return the OCOP programme facts (read once per process)."""
    return read("ocop.yaml", OcopLaw)


def law_files() -> list[Path]:
    """Return the data files, so that builds can notice when the law data changes."""
    return sorted(HERE.glob("*.yaml"))


Paper = Literal["food_safety_certificate", "management_certificate", "gs1_membership",
                "ocop_certificate", "test_report", "health_certificate"]


class PaperValidity(_Data):
    """How long one kind of paper stays valid, and how early ocopdocs warns before its end."""

    months: int | None = None
    """Months of validity from its date, for papers that print no end date (None: they do)."""
    ends: Literal["same_day", "day_before"] = "same_day"
    """The last valid day: the same calendar day ``months`` later, or the day before it."""
    look_ahead_days: int
    """Days before the last valid day from which the paper is reported as expiring."""
    instrument: str
    confidence: str


class Papers(_Data):
    """Everything in ``papers.yaml``."""

    papers: dict[Paper, PaperValidity]

    @property
    def longest_look_ahead(self) -> int:
        """The widest warning window, as the report's heading states it."""
        return max(p.look_ahead_days for p in self.papers.values())


@cache
def papers_law() -> Papers:
    """Return the validity of certificates, test reports and other papers (read once)."""
    return read("papers.yaml", Papers)
