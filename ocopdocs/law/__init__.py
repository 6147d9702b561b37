"""Dated legal facts, kept as data in this folder's YAML files and read once.

Code asks questions ("which regime applies on this print date?") and never hard-codes a
figure: when a rule changes or a figure turns out wrong, the YAML is what gets corrected.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

HERE = Path(__file__).parent


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
    quantity_figure_heights_mm: list[HeightBand]
    min_character_height_mm: Decimal
    ocop_certificate_months: int

    def regime_on(self, day: date) -> Regime:
        """Return the labelling regime in force on ``day``."""
        for regime in self.regimes:
            if regime.applies_from <= day and (regime.applies_until is None or day <= regime.applies_until):
                return regime
        return self.regimes[0]

    def nutrition_on(self, day: date) -> NutritionRule:
        """Return the nutrition-labelling rule in force on ``day``."""
        for rule in self.nutrition:
            if rule.applies_from <= day and (rule.applies_until is None or day <= rule.applies_until):
                return rule
        return self.nutrition[0]

    def min_figure_height(self, nominal: Decimal) -> Decimal:
        """Return the minimum height in mm of the quantity figures for ``nominal`` g or ml."""
        for band in self.quantity_figure_heights_mm:
            if band.up_to is None or nominal <= band.up_to:
                return band.min_mm
        raise AssertionError("the last band has no upper limit")


@cache
def label_law() -> LabelLaw:
    """Return the labelling facts (read once per process)."""
    with open(HERE / "label.yaml", encoding="utf-8") as f:
        return LabelLaw.model_validate(yaml.safe_load(f))


class SelfDeclarationLaw(_Data):
    """Decree 15/2018 self-declaration facts."""

    instrument: str
    form: str
    article: str
    confidence: str
    test_report_max_age_months: int


class RegistrationLaw(_Data):
    """Products that register their declaration instead (Decree 15/2018 Art. 6–8)."""

    instrument: str
    article: str
    groups: list[str]
    receiving_body: str


class CertificateLaw(_Data):
    """The establishment certificate: validity, warnings, exemptions."""

    instrument: str
    article: str
    validity_years: int
    expiry_warning_days: int
    health_certificate_max_age_months: int
    exempting_schemes: list[str]


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
    ministries: dict[str, MinistryLine]


@cache
def food_safety_law() -> FoodSafetyLaw:
    """Return the food-safety dossier facts (read once per process)."""
    with open(HERE / "food_safety.yaml", encoding="utf-8") as f:
        return FoodSafetyLaw.model_validate(yaml.safe_load(f))


def law_files() -> list[Path]:
    """Return the data files, so that builds can notice when the law data changes."""
    return sorted(HERE.glob("*.yaml"))
