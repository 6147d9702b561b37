"""Trademark fees: the schedule in force on the filing date, applied to one application.

Phí and lệ phí per application, per class and per good or service beyond those a class fee
covers, with the reductions in force for the filing channel (Circular 263/2016/TT-BTC as
amended; the dated schedules are in ``law/trademark.yaml``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..formatting import vn_number
from ..law import FeeItem, trademark_law


@dataclass(frozen=True)
class FeeLine:
    """One line of the fee table."""

    id: str
    name: str
    kind: str
    """``phi`` or ``le_phi``."""
    units: str
    """What is charged: "2 nhóm; 3 sản phẩm/dịch vụ từ thứ 7"."""
    formula: str
    """How the amount is made: "2 × 180.000 + 3 × 30.000"."""
    full_amount: int
    amount: int
    reduction: str | None = None
    """The reduction applied, as printed, or None."""


@dataclass(frozen=True)
class Fees:
    """The fees of one application under the schedule in force on its filing date."""

    schedule: str
    upfront: tuple[FeeLine, ...]
    at_grant: tuple[FeeLine, ...]
    notes: tuple[str, ...]
    """Reductions reported but not read in a text: printed, not applied."""
    classes: int
    items: int
    extra_items: int
    """Goods and services beyond the 6 each class fee covers, summed over the classes."""

    @property
    def upfront_total(self) -> int:
        """What is paid with the application."""
        return sum(line.amount for line in self.upfront)

    @property
    def grant_total(self) -> int:
        """What is paid when the office decides to grant the certificate."""
        return sum(line.amount for line in self.at_grant)


def _units(item: FeeItem, classes: int, extra: int, claims: int) -> tuple[int, str, str]:
    """(amount, units, formula) of one schedule line."""
    money = vn_number
    if item.per == "application":
        return item.amount, "1 đơn", money(item.amount)
    if item.per == "priority_claim":
        return item.amount * claims, f"{claims} yêu cầu", f"{claims} × {money(item.amount)}"
    if item.per == "class_from_2nd":
        more = max(0, classes - 1)
        return item.amount * more, f"{more} nhóm từ nhóm thứ 2", f"{more} × {money(item.amount)}"
    units, formula = f"{classes} nhóm", f"{classes} × {money(item.amount)}"
    if extra and item.item_surcharge:
        units += f"; {extra} sản phẩm/dịch vụ từ thứ 7"
        formula += f" + {extra} × {money(item.item_surcharge)}"
    return item.amount * classes + item.item_surcharge * extra, units, formula


def compute_fees(items_per_class: Sequence[int], *, on: date, channel: str = "paper",
                 priority_claims: int = 0) -> Fees:
    """Compute the fees of an application with ``items_per_class`` goods in each class.

    The schedule and the reductions are those in force on ``on`` (the filing date); a
    reduction of the lệ phí applies only to the ``channel`` it is for and only if its data
    says it was read in a text (``applied``); the others become notes. Fees due at grant are
    at the full rate: the grant comes a year or more after filing, outside any reduction known.
    """
    law = trademark_law()
    schedule = law.fees_on(on)
    counts = [n for n in items_per_class if n > 0]
    classes = len(counts)
    extra = sum(max(0, n - schedule.items_per_class) for n in counts)
    reductions = law.reductions_on(on, channel)
    applied = max((r for r in reductions if r.applied), key=lambda r: r.percent, default=None)
    upfront = []
    for item in schedule.upfront:
        amount, units, formula = _units(item, classes, extra, priority_claims)
        if item.per == "priority_claim" and priority_claims == 0:
            continue
        reduced, note = amount, None
        if applied is not None and item.kind == "le_phi" and amount:
            reduced = amount * (100 - applied.percent) // 100
            note = f"giảm {applied.percent} % khi nộp trực tuyến ({applied.instrument})"
            formula = f"{formula if ' ' not in formula else f'({formula})'} × {100 - applied.percent} %"
        upfront.append(FeeLine(item.id, item.name, item.kind, units, formula, amount, reduced, note))
    at_grant = []
    for item in schedule.at_grant:
        amount, units, formula = _units(item, classes, extra, priority_claims)
        if amount:
            at_grant.append(FeeLine(item.id, item.name, item.kind, units, formula, amount, amount))
    notes = tuple(f"{r.instrument}: {r.note}" for r in reductions if not r.applied)
    return Fees(schedule.instrument, tuple(upfront), tuple(at_grant), notes, classes, sum(counts), extra)
