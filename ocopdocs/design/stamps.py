"""The settings of traceability stamps, as data (``stamps.yaml``): limits, sizes, timeouts."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..law import read
from . import HERE
from .stocks import shipped_stocks


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModuleRange(_Model):
    """The smallest and the largest QR module, in mm."""

    min: Annotated[Decimal, Field(gt=0)]
    max: Annotated[Decimal, Field(gt=0)]


class StampSettings(_Model):
    """``stamps.yaml``."""

    max_count: Annotated[int, Field(ge=1, le=100_000)]
    default_stock: str
    serial_digits: Annotated[int, Field(ge=1, le=20)]
    qr_module_mm: ModuleRange
    padding_mm: Annotated[Decimal, Field(ge=0)]
    serial_font_pt: Annotated[Decimal, Field(gt=0)]
    lock_timeout_s: Annotated[float, Field(gt=0)]

    @model_validator(mode="after")
    def _stock_exists(self) -> StampSettings:
        if self.default_stock not in shipped_stocks():
            raise ValueError(f"default_stock {self.default_stock!r} is not in stocks.yaml")
        if self.qr_module_mm.min > self.qr_module_mm.max:
            raise ValueError("qr_module_mm: min is larger than max")
        return self


@cache
def stamp_settings() -> StampSettings:
    """The settings of ``stamps.yaml``, read once."""
    return read("stamps.yaml", StampSettings, folder=HERE)
