"""How numbers and dates are written on Vietnamese documents: the bottom of the house.

Rules, documents, the report and templates (as filters) all format with these, so a date or
an amount reads the same on a label, in a dossier and in a message.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal


def vn_date(day: date, year_digits: int = 2) -> str:
    """Format a date the Vietnamese way, DD/MM/YY (or DD/MM/YYYY).

    Not ``strftime``: its ``%Y`` gives "1" for the year 1 on glibc, not "0001".
    """
    year = f"{day.year % 100:02d}" if year_digits == 2 else f"{day.year:04d}"
    return f"{day.day:02d}/{day.month:02d}/{year}"


def vn_number(value: Decimal | int | float, places: int | None = None) -> str:
    """Format a number with a decimal comma and dot thousands: ``1.234,5``."""
    number = Decimal(str(value))
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
    text = f"{number.normalize():f}" if places is None else f"{number:f}"
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + fraction if fraction else "")


NBSP = "\u00a0"
"""The space between a figure and its unit: a line never breaks there ("90" here, "%" below)."""


def with_unit(figure: str, unit: str) -> str:
    """``500`` and ``g`` → ``500 g``, joined by a no-break space."""
    return f"{figure}{NBSP}{unit}"


_FIGURE_SPACE_UNIT = re.compile(
    r"(?<=\d) (?=(?:%|‰|kcal|kJ|kg|mg|µg|mcg|ml|mL|cl|g|L|l|°C|mm|cm|IU)(?![\w]))")


def keep_with_unit(text: str) -> str:
    """Free text with a no-break space between each figure and the unit after it: ``1 gói (12 g)``."""
    return _FIGURE_SPACE_UNIT.sub(NBSP, text)


def vn_percent(value: Decimal | int | float) -> str:
    """Format a percentage as Vietnamese labels print it: ``2,5 %`` (a no-break space)."""
    return with_unit(vn_number(value), "%")


def place_and_date(place: str | None, day: date | None) -> str | None:
    """``Thái Nguyên, ngày 20 tháng 09 năm 2026`` as administrative documents write it."""
    if place is None or day is None:
        return None
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def province_short(province: str) -> str:
    """``tỉnh Thái Nguyên`` → ``Thái Nguyên``, as a place line or a heading names it."""
    return province.removeprefix("tỉnh ").removeprefix("thành phố ")
