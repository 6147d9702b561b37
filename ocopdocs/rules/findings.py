"""What a rule check returns: a finding, which the rule runner turns into a located problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..yamlio import Loc


@dataclass(frozen=True)
class Finding:
    """One breach of one rule.

    ``values`` fill the rule's message in :mod:`ocopdocs.messages` (key = the rule code).
    Data rules locate a finding by ``loc`` (a field path in the product file); PDF rules by
    ``page`` (1-based) in the rendered document.
    """

    code: str
    values: dict[str, object] = field(default_factory=dict)
    loc: Loc = ()
    page: int | None = None
    in_producer: bool = False
    """True when ``loc`` is a field of ``producer.yaml`` rather than of the product file."""


@dataclass(frozen=True)
class LabelExpect:
    """What a rendered label must show, derived from the data; PDF rules compare against it."""

    name_vi: str
    """The Vietnamese product name, which must be the largest text."""
    name_en: str | None
    """The English name, if printed; never larger than the Vietnamese."""
    quantity: str
    """The net-quantity figures as printed, e.g. "500 g" or "1,5 kg"."""
    figure_min_mm: Decimal
    """Minimum height of the quantity figures (2 / 3 / 4 / 6 mm by band)."""
    min_char_mm: Decimal | None
    """Minimum character height for all text, or None (small pack, or a regime without it)."""
    gtin: str
    """The GTIN-13 the EAN-13 must encode."""
    magnification: Decimal
    """Declared EAN-13 magnification (X = 0.33 mm × this)."""
    digital_link: str | None
    """The URI the QR must decode to, or None when the label has no QR."""
    required_texts: tuple[str, ...]
    """Mandatory texts that must be found in the PDF's text (whitespace ignored)."""
