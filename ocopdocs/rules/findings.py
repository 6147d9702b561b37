"""What a rule check returns: a finding, which the rule runner turns into a located problem."""

from __future__ import annotations

from dataclasses import dataclass, field

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
