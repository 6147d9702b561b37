"""Print data that is not law: label stocks, traceability stamps, design themes.

Facts that change with the market (the A4 sheets sold, a sticker's size) are YAML in this
folder, read once through :mod:`ocopdocs.yamlio` and validated, like the law data: a mistake in
them names its file and line. Correct a figure here, not in code.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import OcopError
from ..messages import t
from ..yamlio import format_loc, load_yaml

HERE = Path(__file__).parent
_T = TypeVar("_T", bound=BaseModel)


class DesignDataError(OcopError):
    """A design data file that cannot be read or does not hold what ocopdocs expects."""


def read(name: str, model: type[_T]) -> _T:
    """Read and validate one data file of this folder; a mistake names its file and line."""
    path = HERE / name
    doc = load_yaml(path, str(path))
    if doc.problems:
        raise DesignDataError("\n".join(str(p) for p in doc.problems))
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        lines = []
        for error in exc.errors(include_url=False):
            loc = tuple(str(part) if not isinstance(part, int) else part for part in error["loc"])
            lines.append(t("design-data-invalid", file=path, line=doc.line_of(loc) or "?",
                           field=format_loc(loc), detail=error["msg"]))
        raise DesignDataError("\n".join(lines)) from None


def design_files() -> list[Path]:
    """The data files of this folder (their bytes are part of every document's key)."""
    return sorted(HERE.glob("*.yaml"))
