"""The message catalogue: every sentence ocopdocs shows a user, in every language it speaks.

Messages are whole sentences with named placeholders, keyed by the problem code or a CLI key,
so a translator sees each sentence once and whole. Vietnamese is the default; set
``OCOPDOCS_LANG=en`` for English. Noun phrases that name label items are entries too, so
that both languages stay complete; ``tests/test_messages.py`` checks that they are.

The sentences live in one module per area (:mod:`.files`, :mod:`.schema`, :mod:`.label`,
:mod:`.food_safety`, :mod:`.trademark`, :mod:`.ocop`, :mod:`.pdf`, :mod:`.report`,
:mod:`.cli`), each with its ``VI`` and ``EN`` side by side, so that a rule's message and its
fix hint (``hint-<code>``) sit with the other messages of their area. This module merges them
into :data:`VI`, :data:`EN` and :data:`CATALOGUES`, and is the only way to look a message up:
:func:`t` in the language of :func:`language`. Merging fails at import when two areas define
the same key, or when an area's ``VI`` and ``EN`` have different keys.
"""

from __future__ import annotations

import errno
import os
import string
from collections.abc import Iterable
from types import ModuleType
from typing import Any, Final

from . import (
    cli,
    files,
    food_safety,
    guide,
    label,
    ocop,
    pdf,
    report,
    schema,
    sheets,
    stamps,
    stocks,
    trademark,
)

AREAS: Final[tuple[ModuleType, ...]] = (files, schema, label, food_safety, trademark, ocop, pdf, report,
                                        cli, guide, sheets, stocks, stamps)
"""The area modules, each defining ``VI`` and ``EN`` with the same keys."""


def _merge(areas: Iterable[ModuleType]) -> dict[str, dict[str, str]]:
    """Merge the areas' catalogues into one catalogue per language.

    Args:
        areas: Modules that each define ``VI`` and ``EN``, dicts from key to sentence.

    Returns:
        ``{"vi": ..., "en": ...}``, the areas' entries in the order of ``areas``.

    Raises:
        ValueError: An area's ``VI`` and ``EN`` have different keys, or two areas define the
            same key.
    """
    merged: dict[str, dict[str, str]] = {"vi": {}, "en": {}}
    owner: dict[str, str] = {}
    for area in areas:
        vi: dict[str, str] = area.VI
        en: dict[str, str] = area.EN
        if vi.keys() != en.keys():
            raise ValueError(f"{area.__name__}: VI and EN have different keys: only in VI "
                             f"{sorted(vi.keys() - en.keys())}, only in EN {sorted(en.keys() - vi.keys())}")
        for key in vi:
            if key in owner:
                raise ValueError(f"message key {key!r} is defined in both {owner[key]} and {area.__name__}")
            owner[key] = area.__name__
        merged["vi"].update(vi)
        merged["en"].update(en)
    return merged


CATALOGUES: Final[dict[str, dict[str, str]]] = _merge(AREAS)
VI: Final[dict[str, str]] = CATALOGUES["vi"]
EN: Final[dict[str, str]] = CATALOGUES["en"]


def language() -> str:
    """Return the language chosen by ``OCOPDOCS_LANG`` (``vi`` unless set to a known one)."""
    lang = os.environ.get("OCOPDOCS_LANG", "vi").split("_")[0].lower()
    return lang if lang in CATALOGUES else "vi"


class _Plurals(string.Formatter):
    """``str.format`` plus plural forms: ``{count:# file|# files}`` gives "1 file", "2 files".

    The form before ``|`` is for 1, the one after for any other number; ``#`` is the number.
    Vietnamese has no plural and never needs it; English sentences use it for every count.
    """

    def format_field(self, value: Any, format_spec: str) -> Any:
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return (one if value == 1 else many).replace("#", str(value))
        return super().format_field(value, format_spec)


_PLURALS: Final = _Plurals()


def fill(text: str, /, **values: object) -> str:
    """``text`` with ``values`` in its placeholders, plural forms chosen (see :class:`_Plurals`)."""
    if "|" not in text:  # no plural form: str.format fills it alike, 20 times faster (a province's problems)
        return text.format(**values)
    return _PLURALS.format(text, **values)


def t(msg_key: str, /, **values: object) -> str:
    """Return the message ``msg_key`` in the current language with ``values`` filled in."""
    return fill(CATALOGUES[language()][msg_key], **values)


_OS_ERRORS: Final[dict[int, str]] = {
    errno.ENOSPC: "os-error-disk-full", errno.EDQUOT: "os-error-disk-full",
    errno.EROFS: "os-error-read-only", errno.EACCES: "os-error-permission",
    errno.EPERM: "os-error-permission", errno.ENOENT: "os-error-not-found",
    errno.ENOTDIR: "os-error-not-folder", errno.EEXIST: "os-error-exists",
    errno.EISDIR: "os-error-is-folder", errno.ELOOP: "os-error-loop",
    errno.ENAMETOOLONG: "os-error-name-too-long", errno.EIO: "os-error-io",
}


def os_error(exc: OSError) -> str:
    """Why an operating-system call failed, in words of the current language (no errno jargon)."""
    key = _OS_ERRORS.get(exc.errno or 0)
    return t(key) if key is not None else t("os-error-other", detail=exc.strerror or exc)
