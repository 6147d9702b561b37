"""Dates and periods: adding months, and how long each kind of paper stays valid.

The validity and the warning window of every paper come from ``law/papers.yaml``; this is
the one place that turns a paper's date into its last valid day and its standing on a day.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from ..law import Paper, papers_law

Standing = Literal["valid", "expiring", "expired"]


def add_months(day: date, months: int) -> date:
    """Return ``day`` plus ``months`` calendar months, clamped to the month's last day.

    A result beyond the calendar (year 9999 plus a shelf life) is the last day there is.
    """
    month = day.month - 1 + months
    year = day.year + month // 12
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_days(day: date, days: int) -> date:
    """Return ``day`` plus ``days`` (negative: minus), clamped to the calendar."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def valid_on(until: date | None, day: date) -> bool:
    """True when a paper whose last valid day is ``until`` (None: no end) is still valid on ``day``."""
    return until is None or until >= day


def last_valid_day(paper: Paper, dated: date) -> date:
    """The last day a paper of kind ``paper`` dated ``dated`` is valid (its months from the law)."""
    rule = papers_law().papers[paper]
    assert rule.months is not None, f"{paper} carries its own end date"
    end = add_months(dated, rule.months)
    return add_days(end, -1) if rule.ends == "day_before" and end != date.max else end


def validity_months(paper: Paper) -> int:
    """How many months a paper of kind ``paper`` is valid from its date."""
    months = papers_law().papers[paper].months
    assert months is not None, f"{paper} carries its own end date"
    return months


@dataclass(frozen=True)
class Validity:
    """Where one paper stands on a day."""

    until: date
    """Its last valid day."""
    days: int
    """Days from the day judged to ``until``; negative once expired."""
    standing: Standing


def standing(paper: Paper, until: date, on: date) -> Validity:
    """Judge a paper whose last valid day is ``until`` on the day ``on``."""
    days = (until - on).days
    window = papers_law().papers[paper].look_ahead_days
    state: Standing = "expired" if days < 0 else "expiring" if days <= window else "valid"
    return Validity(until, days, state)
