"""Problems found in user input, and the exceptions that carry them.

A *problem* is something wrong with the user's files (a product YAML, a template they edited):
it is reported with file, line and field, and never comes with a traceback. Anything else that
goes wrong is a bug in ocopdocs and propagates as an ordinary exception.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import Literal

Severity = Literal["error", "gap", "warning", "info"]
"""error: invalid input, the document is not built; gap: built with marked blanks, not ready to
file; warning and info: worth knowing, nothing blocked."""
Area = Literal["input", "label", "gtin", "sheet", "food_safety", "trademark", "ocop"]
"""What a problem concerns: the input itself (a file that cannot be read or validated) or
one area of the law. Document kinds say which areas block them and which they show; "gtin" (the
barcode numbers) blocks only the labels, which print them; "sheet" (an A4 sheet of labels that
does not fit its stock) blocks only the sheets."""


_SURROGATES = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    r"""``text`` with lone surrogates replaced by U+FFFD, so that it can be written as UTF-8.

    They come from file names that are not UTF-8 (Python keeps their bytes as surrogates) and
    from YAML escapes such as ``"\ud800"``; printed, or written to a file, they raise.
    """
    return text if text.isascii() else _SURROGATES.sub("\ufffd", text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input, located as precisely as we can."""

    file: str
    """Path of the file, relative to the working directory when possible."""
    line: int | None
    """1-based line in ``file``; ``None`` when the problem concerns the whole file."""
    field: str
    """Dotted field path such as ``packages[1].gtin``; empty for whole-file problems."""
    code: str
    """Stable machine-readable code, e.g. ``gtin-check-digit``."""
    message: str
    """A whole sentence in the user's language saying what is wrong and what to do."""
    severity: Severity = "error"
    document: str | None = None
    """For problems found while rendering: the document's path in the output folder."""
    article: str | None = None
    """For breaches of a catalogued rule: the instrument and article it comes from."""
    hint: str | None = None
    """For breaches of a catalogued rule: one line on how to fix it."""
    page: int | None = None
    """For problems found in a rendered PDF: the 1-based page."""
    area: Area = "input"
    """What the problem concerns (a rule's area; "input" for reading and schema problems)."""

    def __post_init__(self) -> None:
        # a file name or a value that is not UTF-8 must not make the manifest or a print raise
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, str) and printable(value) is not value:
                object.__setattr__(self, item.name, printable(value))

    def location(self) -> str:
        """Return ``file:line: field`` the way editors and terminals link it."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}" if self.field else where

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"

    def as_json(self) -> dict[str, object]:
        """Return the problem as a plain dict for ``manifest.json``."""
        return asdict(self)


@dataclass(frozen=True)
class Missing:
    """A value a document needs and the files do not give: the one source of every blank.

    The template prints it as a marked blank (``value()`` in ``templates/base/macros.html``)
    and the build reports it as a gap at its file, line and field; a document never prints a
    blank that is not one of these.
    """

    what: str
    """What is missing, in the document's words: "số điện thoại"."""
    code: str
    """The rule it breaks: ``fs-field-missing``."""
    file: str
    line: int | None
    field: str
    values: tuple[tuple[str, str], ...] = ()
    """Values of the code's message besides ``field`` (a criterion's id, a paper's title)."""


class OcopError(Exception):
    """Base class of errors that are the user's to fix; the CLI prints them without traceback."""


class UsageError(OcopError):
    """The command line itself is wrong (exit code 2)."""


class OutputError(OcopError):
    """The output folder cannot be written (read-only, full, locked by another build): exit 1."""
