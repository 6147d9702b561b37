"""The shared pieces of the schema: the base model, :func:`fail`, scalar types, addresses, people.

Validators raise :func:`fail` with a code from :mod:`ocopdocs.messages`; the loader turns
every error into a :class:`~ocopdocs.errors.Problem` with file, line and field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, NoReturn

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from .. import gs1
from ..messages import t


def fail(code: str, **values: object) -> NoReturn:
    """Raise a validation error whose type is ``code`` and whose message is the catalogue's."""
    message = t(code, **values).replace("{", "{{").replace("}", "}}")
    raise PydanticCustomError(code, message)


class Model(BaseModel):
    """Base of every schema model: strict about keys, immutable, documented per field."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True,
                              str_strip_whitespace=True, coerce_numbers_to_str=True)


# ---------------------------------------------------------------------------- scalar types

Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
"""Free text. Bounded so that a runaway file cannot make a label render forever."""
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
"""Lower-case ASCII letters, digits and hyphens: safe in file names."""


def _parse_vn_date(value: Any) -> Any:
    """Accept YAML dates (2026-04-15) and the Vietnamese day/month/year (15/04/2026)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value.strip())
        try:
            if match:
                day, month, year = (int(g) for g in match.groups())
                return date(year, month, day)
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    fail("wrong-type-date", value=value)


DMY_PATTERN = r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$"
VnDate = Annotated[date, BeforeValidator(_parse_vn_date),
                   WithJsonSchema({"type": "string", "anyOf": [{"pattern": r"^\d{4}-\d{2}-\d{2}$"},
                                                                {"pattern": DMY_PATTERN}]})]


def gtin13_problem(text: str) -> tuple[str, dict[str, object]] | None:
    """What is wrong with a GTIN-13 as written (code and message values), or None.

    The check digit is verified, never recomputed (python-barcode would silently fix it).
    """
    if not (text.isascii() and text.isdigit()):
        return "gtin-digits", {"value": text}
    if len(text) != 13:
        return "gtin-length", {"value": text, "count": len(text)}
    expected = gs1.check_digit(text[:12])
    if int(text[12]) != expected:
        return "gtin-check-digit", {"expected": expected, "got": text[12]}
    return None


def _gtin_text(value: Any) -> Any:
    return str(value).strip() if isinstance(value, int) and not isinstance(value, bool) else value


Gtin13 = Annotated[str, BeforeValidator(_gtin_text), StringConstraints(min_length=1, max_length=20)]
"""A GTIN-13 as written. Its digits are checked by the rules (:func:`gtin13_problem`), not
here, so that a wrong code keeps only the labels from being built, not the dossiers."""


def _check_prefix(value: Any) -> str:
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and 7 <= len(text) <= 12 and text.startswith("893")):
        fail("gs1-prefix-digits", value=value)
    return text


CompanyPrefix = Annotated[str, BeforeValidator(_check_prefix)]

_UNITS = {"mg": ("mass", Decimal("0.001")), "g": ("mass", Decimal(1)),
          "kg": ("mass", Decimal(1000)), "ml": ("volume", Decimal(1)),
          "mL": ("volume", Decimal(1)), "cl": ("volume", Decimal(10)),
          "L": ("volume", Decimal(1000)), "l": ("volume", Decimal(1000))}


@dataclass(frozen=True)
class Quantity:
    """A quantity as printed, ``500 g``: a number, one space, a legal unit symbol."""

    value: Decimal
    unit: str
    text: str

    @property
    def kind(self) -> str:
        """``mass`` or ``volume``."""
        return _UNITS[self.unit][0]

    @property
    def base(self) -> Decimal:
        """The quantity in g or ml, the unit of the metrology tables."""
        return self.value * _UNITS[self.unit][1]

    def __str__(self) -> str:
        return self.text


def _parse_quantity(value: Any) -> Quantity:
    if isinstance(value, Quantity):
        return value
    text = str(value).strip() if isinstance(value, (str, int, float)) else ""
    match = re.fullmatch(r"(\d{1,6}(?:[.,]\d{1,3})?) (mg|g|kg|ml|mL|cl|L|l)", text)
    if not match:
        fail("quantity-format", value=value)
    number = Decimal(match[1].replace(",", "."))
    if number <= 0:
        fail("quantity-format", value=value)
    return Quantity(number, match[2], text)


QuantityText = Annotated[Quantity, BeforeValidator(_parse_quantity), PlainSerializer(str),
                         WithJsonSchema({"type": "string",
                                         "pattern": r"^\d{1,6}([.,]\d{1,3})? (mg|g|kg|ml|mL|cl|L|l)$"})]


def _check_lot(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9-]{1,20}", value):
        fail("lot-code-chars", value=value)
    return value


def _check_resolver(value: str) -> str:
    if not re.fullmatch(r"https://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~/-]*)?", value):
        fail("resolver-url", value=value)
    return value.rstrip("/")


LotCode = Annotated[str, AfterValidator(_check_lot)]
"""A lot code as printed and encoded in the QR: ASCII letters, digits and hyphens, at most 20."""
ResolverUrl = Annotated[str, AfterValidator(_check_resolver)]
"""An https base URL without a trailing slash."""


@dataclass(frozen=True)
class LawKey:
    """A string field whose allowed values are the keys of a table in the law data.

    It validates before str coercion, as a ``Literal`` compares (5, True or " x " are refused
    as given), and its JSON Schema lists the keys as an ``enum``. ``choices`` names the entry of
    the field guide's ``_law_choices`` that gives each key's meaning.
    """

    keys: Callable[[], Iterable[str]]
    choices: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        def check(value: Any) -> Any:
            known = list(self.keys())
            if value not in known:
                fail("not-one-of", value=value, choices=", ".join(known))
            return value

        return core_schema.no_info_before_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        found = handler(schema)
        found["enum"] = list(self.keys())
        return found


def law_key(keys: Callable[[], Iterable[str]], choices: str) -> LawKey:
    """Return a validator that accepts only the keys of a table in the law data.

    The law YAML stays the one list of allowed values: ``Annotated[str, law_key(lambda:
    label_law().groups)]`` accepts the groups ``label.yaml`` names, in the file's order, and
    fails as a ``Literal`` of them would, with ``not-one-of`` and the choices.

    Args:
        keys: Returns the allowed values. Called when a value is checked, so that importing the
            schema reads no file.
        choices: The entry of the field guide's ``_law_choices`` with the values' meanings.

    Returns:
        The validator, to put in ``Annotated[str, ...]``.
    """
    return LawKey(keys, choices)


Money = Annotated[Decimal, Field(ge=0, le=10**13)]
"""An amount in đồng."""
LongText = Annotated[str, StringConstraints(min_length=1, max_length=6000)]
"""A page of prose: the product story."""


# ----------------------------------------------------------------------- shared pieces


class Address(Model):
    """A Vietnamese address, written as since 1/7/2025: thôn – xã/phường – tỉnh."""

    line: Text
    """House number and street, or the village: "thôn Chè Cọ"."""
    commune: ShortText
    """The commune or ward with its word: "xã Côn Minh", "phường Bắc Kạn"."""
    district: ShortText | None = None
    """Only for addresses written before the district level was abolished (1/7/2025)."""
    province: ShortText
    """The province with its word: "tỉnh Thái Nguyên"."""
    country: ShortText = "Việt Nam"
    """Written in full; never abbreviated (Decree 37/2026 Art. 39)."""

    def one_line(self, with_country: bool = False) -> str:
        """Return the address as one comma-separated line, as printed on labels and forms."""
        parts = [self.line, self.commune, self.district, self.province]
        if with_country:
            parts.append(self.country)
        return ", ".join(p for p in parts if p)


class Person(Model):
    """A named person acting for the organisation."""

    name: ShortText
    """Full name, not abbreviated."""
    title: ShortText
    """Position: "Giám đốc", "Chủ tịch HĐQT"."""
    id_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{9,12}$")] | None = None
    """Citizen ID number (CCCD), needed on trademark and dossier forms."""


class Contact(Model):
    """How to reach the organisation."""

    phone: ShortText | None = None
    """Phone number as printed."""
    email: ShortText | None = None
    """E-mail address."""
    website: ShortText | None = None
    """Website, without https:// if you prefer."""
    fax: ShortText | None = None
    """Fax, still asked for by some forms."""
