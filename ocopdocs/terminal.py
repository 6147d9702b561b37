"""What the command line looks like: help in the user's language, colour, the progress bar.

Kept apart from :mod:`ocopdocs.cli`, which parses, builds and prints results, so that how a
terminal shows things is in one place:

- :class:`HelpParser`: argparse with its headings and ``--help`` in the message catalogue;
- :func:`language_option`: ``--lang en`` anywhere on the command line, for this run;
- :func:`paint`: LỖI / CÒN THIẾU / CẢNH BÁO in colour on a terminal only (never when
  ``NO_COLOR`` is set, never in a pipe or a log);
- :func:`progress`: a bar with the ETA and the current document on a terminal (``rich``);
  elsewhere one line per document, as logs want.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol, TextIO

from .errors import UsageError
from .messages import CATALOGUES, t

LANG_ENV = "OCOPDOCS_LANG"


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the epilog's lines (the exit codes) and says "usage" in the user's language."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, t("help-usage") + " " if prefix is None else prefix)


class HelpParser(argparse.ArgumentParser):
    """An argument parser whose headings and ``-h/--help`` come from the message catalogue."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.pop("add_help", True)
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False  # ours, in the user's language, below
        super().__init__(*args, **kwargs)
        self._positionals.title = t("help-positionals")
        self._optionals.title = t("help-options")
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=t("help-help"))


_ARGPARSE = (
    (re.compile(r"argument (?P<argument>\S+): invalid choice: '(?P<value>[^']*)' "
                r"\(choose from (?P<choices>.*)\)"),
     "cli-arg-invalid-choice"),
    (re.compile(r"unrecognized arguments: (?P<words>.*)"), "cli-arg-unrecognized"),
    (re.compile(r"the following arguments are required: (?P<names>.*)"), "cli-arg-required"),
    (re.compile(r"argument (?P<argument>\S+): expected one argument"), "cli-arg-expected-one"),
)
"""argparse's commonest errors (it writes them in English) and their sentences in the catalogue."""


def translate(message: str) -> str:
    """An argparse error ``message`` in the user's language (unknown ones are left as they are)."""
    for pattern, key in _ARGPARSE:
        found = pattern.fullmatch(message)
        if found:
            values = found.groupdict()
            if "choices" in values:
                values["choices"] = values["choices"].replace("'", "")
            return t(key, **values)
    return message


@contextlib.contextmanager
def language_option(argv: list[str]) -> Iterator[list[str]]:
    """``--lang en`` (or ``--lang=en``) anywhere in ``argv``: this run speaks that language.

    Yields ``argv`` without the option. The language is set through ``OCOPDOCS_LANG`` (so
    that worker processes speak it too) and restored afterwards.

    Raises:
        UsageError: The language is not one ocopdocs speaks.
    """
    rest: list[str] = []
    chosen: str | None = None
    words = iter(argv)
    for word in words:
        if word == "--lang":
            chosen = next(words, "")
        elif word.startswith("--lang="):
            chosen = word.split("=", 1)[1]
        else:
            rest.append(word)
    if chosen is None:
        yield rest
        return
    if chosen.lower() not in CATALOGUES:
        raise UsageError(t("cli-bad-lang", lang=chosen, known=", ".join(CATALOGUES)))
    before = os.environ.get(LANG_ENV)
    os.environ[LANG_ENV] = chosen.lower()
    try:
        yield rest
    finally:
        if before is None:
            os.environ.pop(LANG_ENV, None)
        else:
            os.environ[LANG_ENV] = before


COLOURS = {"error": "1;31", "gap": "1;35", "warning": "1;33", "info": "36"}
"""ANSI styles of the severities: bold red, bold magenta, bold yellow, cyan."""


def colour_on(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint(text: str, severity: str, on: bool) -> str:
    """``text`` in the colour of ``severity`` when ``on``."""
    style = COLOURS.get(severity)
    return f"\033[{style}m{text}\033[0m" if on and style else text


class Progress(Protocol):
    """Called with each :class:`ocopdocs.pipeline.Event` of a build; ``close()`` at the end."""

    def __call__(self, event: Any) -> None: ...  # noqa: D102

    def close(self) -> None: ...  # noqa: D102


class _Lines:
    """One line per rendered document: logs, CI and pipes."""

    def __init__(self, out: TextIO, output: Path) -> None:
        self.out, self.output = out, output

    def __call__(self, event: Any) -> None:
        if event.cached:
            return  # unchanged documents are counted in the summary, not listed
        key = "cli-progress" if event.ok else "cli-progress-failed"
        print(t(key, index=event.index, total=event.total, kind=t(f"kind-{event.plan.kind}"),
                name=event.plan.name, path=self.output / event.plan.path), file=self.out, flush=True)

    def close(self) -> None:
        """Nothing to end."""


class _Bar:
    """A rich progress bar: documents done of all, time left, and the document just finished."""

    def __init__(self, out: TextIO) -> None:
        from rich.console import Console  # only on a terminal: logs never load rich
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.kept = 0
        self.bar = Progress(BarColumn(bar_width=20), MofNCompleteColumn(), TextColumn(t("cli-bar-documents")),
                            TextColumn(t("cli-bar-eta")), TimeRemainingColumn(),
                            TextColumn("{task.description}"),
                            console=Console(file=out, no_color=bool(os.environ.get("NO_COLOR"))),
                            transient=False)
        self.task = self.bar.add_task("", total=None)
        self.bar.start()

    def __call__(self, event: Any) -> None:
        self.kept += event.cached
        plan = event.plan
        name = t("cli-bar-current", kind=t(f"kind-{plan.kind}"), name=plan.title or plan.name)
        if self.kept:
            name = t("cli-bar-kept", kept=self.kept) + " " + name
        self.bar.update(self.task, total=event.total, completed=event.index, description=name)

    def close(self) -> None:
        """End the bar's line."""
        self.bar.stop()


def progress(out: TextIO, output: Path) -> Progress:
    """What a build reports its progress to: a bar on a terminal, else one line per document."""
    isatty = getattr(out, "isatty", None)
    if isatty and isatty() and os.environ.get("TERM") != "dumb":
        return _Bar(out)
    return _Lines(out, output)
