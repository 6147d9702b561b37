"""A build with nothing to do says what the last build said, without loading anything.

After a build that wrote all it had to, :func:`remember` keeps what the command line printed
from (the problems judged, the counts, the products not ready to file) under a key of all that
the build read and left: its options, the day judged on, the language, the working folder (the
problems name files from it), ocopdocs itself (code, law data, messages), every file of the
products folder (YAML files by their bytes, others by size and time), every file of the
templates folder (by their bytes), and every file of the output folder (by size and time). A
build whose key is the same would read the same files, judge them the same, keep every
document and leave the report and the bundles as they are: :func:`recall` gives it the record
instead, and the command line prints it. Anything else (a file saved, touched, added or
removed, a document deleted, another day) and the build runs.

Nothing here imports the schema, the rules, Jinja or WeasyPrint: a no-op costs Python's start-up,
reading the YAML files' bytes and a look at every file's size and time. The record is plain
JSON, read with bounds and checked field by field: one of any other shape is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, get_args

from .errors import Area, Problem, Severity
from .folder import CACHE_FOLDER, DEFAULT_TEMPLATES, LOCK
from .messages import language
from .parsecache import tool_hash
from .selection import locate
from .yamlio import read_limited

RECORD = f"{CACHE_FOLDER}/noop.json"
VERSION = 1
MAX_RECORD_BYTES = 64 * 1024 * 1024


@dataclass
class Summary:
    """What a build says at its end."""

    problems: list[Problem]
    """The problems judged, each once, in the order printed."""
    products: int
    """Product files judged (those ``--products`` names)."""
    producers: int
    built: int
    """Documents in the output folder of the kinds and products built."""
    kept: int
    """Of those, documents unchanged since the build before, not rendered again."""
    total: int | None = None
    """Products of the readiness report; None when none was made (``check``)."""
    blocked: list[tuple[str, str, str]] = field(default_factory=list)
    """The products not ready to file: name, file, reasons."""
    seconds: float = 0.0


@dataclass(frozen=True)
class Options:
    """What a build is asked to do, as far as it decides what the build reads and says."""

    products: Path
    output: Path
    templates: Path
    only: tuple[str, ...] | None
    as_of: date | None
    docx: bool
    pdf_variants: tuple[str, ...] = ()
    cmyk_profile: Path | None = None
    """The CMYK profile the variants use (found or given): its bytes are read too."""


def inputs(options: Options) -> str:
    """The hash of everything the build reads besides its output folder."""
    root, selection = locate(options.products)
    digest = hashlib.sha256()
    said = [VERSION, tool_hash(), language(), os.getcwd(), (options.as_of or date.today()).isoformat(),
            str(options.products), _resolved(root), selection.producer, selection.product,
            _resolved(options.output), _resolved(options.templates), options.only, options.docx,
            options.pdf_variants, str(options.cmyk_profile)]
    digest.update(json.dumps(said, ensure_ascii=False).encode("utf-8", "surrogateescape"))
    if options.cmyk_profile is not None:
        raw = read_limited(options.cmyk_profile, MAX_RECORD_BYTES)
        digest.update(hashlib.sha256(raw).digest() if isinstance(raw, bytes) else b"?")
    _walk(root, digest, read=lambda name: name.endswith((".yaml", ".yml")))
    _walk(options.templates, digest, read=lambda name: True)
    _walk(DEFAULT_TEMPLATES / "report", digest, read=lambda name: True)  # the report's fallback
    return digest.hexdigest()


def _outputs(output: Path) -> str:
    """The hash of every file of the output folder: name, size and time (not the lock, not the record)."""
    digest = hashlib.sha256()
    _walk(output, digest, read=lambda name: False, skip={LOCK, RECORD})
    return digest.hexdigest()


def _resolved(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # a link loop: the build will say so
        return f"!{path}"


def _walk(root: Path, digest: Any, *, read: Any, skip: frozenset[str] | set[str] = frozenset()) -> None:
    """Add every entry under ``root`` to ``digest``: name, kind, size and time, the bytes of some.

    The bytes are those of the files ``read`` names. Links are described, not followed; a folder
    that cannot be listed is described as such.
    """
    todo = [("", str(root))]
    while todo:
        relative, folder = todo.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            digest.update(b"!" + os.fsencode(relative) + f" {exc.errno}\n".encode())
            continue
        for entry in reversed(entries):  # taken from the end: in name order
            name = f"{relative}/{entry.name}" if relative else entry.name
            if name in skip:
                continue
            line = [b"", os.fsencode(name)]
            try:
                if entry.is_symlink():
                    line[0] = b"l"
                    line.append(os.fsencode(os.readlink(entry.path)))
                    info = os.stat(entry.path)  # what it leads to, if anything
                elif entry.is_dir(follow_symlinks=False):
                    line[0] = b"d"
                    todo.append((name, entry.path))
                    digest.update(b" ".join(line) + b"\n")
                    continue
                else:
                    line[0] = b"f"
                    info = entry.stat(follow_symlinks=False)
                line.append(f"{info.st_mode:o} {info.st_size} {info.st_mtime_ns}".encode())
                if read(entry.name) and not entry.is_dir():
                    raw = read_limited(Path(entry.path), MAX_RECORD_BYTES)
                    line.append(hashlib.sha256(raw).hexdigest().encode() if isinstance(raw, bytes) else b"?")
            except OSError as exc:
                line.append(f"!{exc.errno}".encode())
            digest.update(b" ".join(line) + b"\n")


def recall(options: Options, before: str) -> Summary | None:
    """What the last build said, when it read and left exactly what a build of ``options`` would find.

    ``before`` is :func:`inputs` of ``options``, taken once the output folder is locked.
    """
    raw = read_limited(options.output / RECORD, MAX_RECORD_BYTES)
    if isinstance(raw, tuple):
        return None
    try:
        record = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, not UTF-8
        return None
    if (not isinstance(record, dict) or record.get("version") != VERSION
            or record.get("key") != _key(before, options.output)):
        return None
    try:
        return _summary(record.get("summary"))
    except (TypeError, ValueError):  # of another shape: the build runs
        return None


def remember(options: Options, before: str, summary: Summary) -> None:
    """Record what this build said, under the key of what it read and left.

    Nothing is recorded when the files the build read changed while it ran (``before`` is what
    they were when it began): the record would answer for files that no build has read.
    """
    from .output import write_output  # only after a build that ran, which loaded it already

    if inputs(options) != before:
        return
    problems = [[p.file, p.line, p.field, p.code, p.message, p.severity, p.document, p.article, p.hint,
                 p.page, p.area] for p in summary.problems]
    record = {"version": VERSION, "key": _key(before, options.output),
              "summary": {"problems": problems, "products": summary.products, "producers": summary.producers,
                          "built": summary.built, "total": summary.total,
                          "blocked": [list(b) for b in summary.blocked]}}
    write_output(options.output / RECORD, json.dumps(record, ensure_ascii=False).encode("utf-8"))


def forget(output: Path) -> None:
    """Drop the record: the next build runs."""
    with suppress(FileNotFoundError):
        (output / RECORD).unlink()


def _key(before: str, output: Path) -> str:
    return hashlib.sha256(f"{before}\n{_outputs(output)}".encode()).hexdigest()


_SEVERITIES = frozenset(get_args(Severity))
_AREAS = frozenset(get_args(Area))


def _summary(data: Any) -> Summary:
    """The summary a record holds; raises TypeError or ValueError for any other shape."""
    if not isinstance(data, dict) or data.keys() != {"problems", "products", "producers", "built", "total",
                                                     "blocked"}:
        raise TypeError
    counts = [data["products"], data["producers"], data["built"]]
    if not all(type(n) is int and n >= 0 for n in counts) or not _optional(data["total"], int):
        raise TypeError
    problems = [_problem(item) for item in _list(data["problems"])]
    blocked = [tuple(item) for item in _list(data["blocked"])]
    if not all(len(b) == 3 and all(type(x) is str for x in b) for b in blocked):
        raise TypeError
    built = data["built"]
    # a build with nothing to do keeps every document it has
    return Summary(problems, data["products"], data["producers"], built, built, data["total"], blocked)


def _problem(item: Any) -> Problem:
    if type(item) is not list or len(item) != 11:
        raise TypeError
    file, line, where, code, message, severity, document, article, hint, page, area = item
    texts = (file, where, code, message)
    if not (all(type(x) is str for x in texts) and _optional(line, int) and _optional(page, int)
            and all(_optional(x, str) for x in (document, article, hint))
            and severity in _SEVERITIES and area in _AREAS):
        raise TypeError
    return Problem(file, line, where, code, message, severity, document, article, hint, page, area)


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise TypeError
    return value


def _optional(value: object, kind: type) -> bool:
    return value is None or type(value) is kind
