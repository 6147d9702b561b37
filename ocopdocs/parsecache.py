"""Parsed YAML files kept between builds, keyed by their bytes: an unchanged file is not parsed again.

Parsing (libyaml, then a walk that records every value's line and refuses invisible
characters) is most of what a no-op build spends on reading a province's files; validating the
parsed data with the schema is a tenth of it. So the cache keeps what :func:`~ocopdocs.yamlio.parse_yaml`
returns (the data, the line of every field, the problems found while reading) and the loader
validates that data as it validates a file's: the problems are the same, line for line.

An entry is keyed by the sha256 of the file's bytes and the language of the messages, and the
cache as a whole by :func:`tool_hash`: a new ocopdocs (code, schema or law data) starts empty.
The cache is plain JSON with tagged dates, read with bounds and checked entry by entry: a file
that is not ours, of another shape or corrupt is ignored, and an entry of any other shape is
parsed again; nothing in it is ever run or trusted beyond being data to validate. It lives in
the output folder (:data:`CACHE_FILE`) and holds only the files the last build read, so it
never grows past the project.

The cache also keeps whether each raster mark or logo is grey, by the sha256 of the image file
(:func:`ocopdocs.markimage.asked_greys`): telling means decoding every pixel, which a province's
marks made the costliest part of checking it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, get_args

from .errors import Area, Problem, Severity
from .folder import CACHE_FOLDER
from .messages import language, t
from .yamlio import YamlDoc, parse_yaml, read_limited, read_yaml_bytes

CACHE_FILE = f"{CACHE_FOLDER}/parsed.json"
VERSION = 1
MAX_CACHE_BYTES = 128 * 1024 * 1024
"""A province's parsed files take a few MB; a larger file is not read (and not written)."""
PACKAGE = Path(__file__).resolve().parent


@cache
def tool_hash() -> str:
    """The ocopdocs code and its data (law, design, schema guide): editing any starts every cache afresh."""
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.yaml")]):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


class _Uncacheable(Exception):
    """A value the cache cannot keep exactly: its file is parsed again next time."""


class _Foreign(Exception):
    """The cache holds something of another shape: ignore it."""


@dataclass
class ParseCache:
    """The parsed files of the last build, and those of this build, by their key.

    The file is a header line, then one line per parsed file: its key, a space, and the entry
    as JSON. Lines are kept as bytes and decoded only when their file is read, so that reading
    the cache costs what the files of this build cost, and a line that is not an entry of the
    right shape is that file parsed again.
    """

    old: dict[str, bytes] = field(default_factory=dict)
    """The entries of the cache file, as written, by key: checked when used."""
    greys: dict[str, bool] = field(default_factory=dict)
    """Whether each raster image of the last build is grey, by its file's sha256."""
    new: dict[str, bytes] = field(default_factory=dict)
    """The entries of the files this build read, as they are written."""
    hits: int = 0
    misses: int = 0

    @classmethod
    def read(cls, output: Path) -> ParseCache:
        """The cache of ``output``, as a build begins; an empty one when there is none or it is not ours."""
        raw = read_limited(output / CACHE_FILE, MAX_CACHE_BYTES)
        return cls.decode(raw if isinstance(raw, bytes) else b"")

    @classmethod
    def decode(cls, raw: bytes) -> ParseCache:
        """The cache from its bytes; an empty one when they are not a cache of this ocopdocs.

        A build begins with it: the greyscale answers it holds are remembered, and those the build
        asks for from now on are the ones :meth:`encode` writes.
        """
        from . import markimage  # Pillow: not for a no-op build, which reads no cache

        head, _, body = raw.partition(b"\n")
        if head != _header():
            markimage.start_asking()
            return cls()
        old: dict[str, bytes] = {}
        greys: dict[str, bool] = {}
        for line in body.split(b"\n"):
            key, _, entry = line.partition(b" ")
            if _KEY.fullmatch(key):
                old[key.decode("ascii")] = entry
            elif _GREY_KEY.fullmatch(key) and entry in (b"0", b"1"):
                greys[key[:64].decode("ascii")] = entry == b"1"
        markimage.start_asking()
        markimage.remember_greys(greys)
        return cls(old=old, greys=greys)

    def load(self, path: Path, display: str) -> YamlDoc:
        """Read ``path`` as :func:`~ocopdocs.yamlio.load_yaml` does, parsing it only when it is new."""
        raw = read_yaml_bytes(path)
        if isinstance(raw, tuple):  # unreadable, too large, not a file: said again every time
            key, values = raw
            doc = YamlDoc(path, display)
            doc.problems.append(doc.problem((), key, t(key, **values)))
            return doc
        digest = hashlib.sha256(raw).hexdigest()
        key = f"{digest}:{language()}"
        entry = self.old.get(key)
        if entry is not None:
            try:
                doc = _doc(entry, path, display)
            except _Foreign:
                pass  # another shape: parsed again below, and the entry replaced
            else:
                doc.digest = digest
                self.new[key] = entry
                self.hits += 1
                return doc
        self.misses += 1
        doc = parse_yaml(raw, path, display, digest)
        with suppress(_Uncacheable):  # kept out of the cache, parsed again next time
            self.new[key] = _entry(doc)
        return doc

    @property
    def changed(self) -> bool:
        """True when the file should be written again: a file was parsed, or one is no longer read."""
        from . import markimage

        return (self.misses > 0 or self.new.keys() != self.old.keys()
                or markimage.asked_greys() != self.greys)

    def encode(self) -> bytes | None:
        """The bytes of the cache file holding what this build read; None when it would be too large."""
        lines = [key.encode("ascii") + b" " + entry for key, entry in self.new.items()]
        from . import markimage

        greys = markimage.asked_greys()
        lines += [f"{digest}:grey {int(grey)}".encode("ascii") for digest, grey in greys.items()]
        data = b"\n".join([_header(), *lines])
        return data if len(data) <= MAX_CACHE_BYTES else None


_KEY = re.compile(rb"[0-9a-f]{64}:[a-z]{2}")
_GREY_KEY = re.compile(rb"[0-9a-f]{64}:grey")


def _header() -> bytes:
    return json.dumps({"ocopdocs-parse-cache": VERSION, "tool": tool_hash()}).encode("ascii")


# ------------------------------------------------------------------------------- entries


_SEVERITIES = frozenset(get_args(Severity))
_AREAS = frozenset(get_args(Area))


def _entry(doc: YamlDoc) -> bytes:
    """A parsed file as a cache line: its data tagged, its lines and problems without its name."""
    if any((p.file, p.document, p.article, p.page) != (doc.display, None, None, None) for p in doc.problems):
        raise _Uncacheable  # a reading problem names the file itself and nothing else
    entry = {"data": _tag(doc.data), "locs": list(doc.lines), "at": list(doc.lines.values()),
             "problems": [[p.line, p.field, p.code, p.message, p.severity, p.hint, p.area]
                          for p in doc.problems],
             "values": doc.values_seen}
    try:  # one line: JSON escapes every line break inside text
        return json.dumps(entry, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    except (ValueError, UnicodeEncodeError) as exc:  # never expected (text is made printable when read)
        raise _Uncacheable from exc


def _doc(line: bytes, path: Path, display: str) -> YamlDoc:
    """The parsed file a cache line holds, its shape checked; raises _Foreign for any other shape."""
    try:
        entry = json.loads(line, object_hook=_untag, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, nested too deep
        raise _Foreign from exc
    if type(entry) is not dict or entry.keys() != {"data", "locs", "at", "problems", "values"}:
        raise _Foreign
    values, locs, at, problems = entry["values"], entry["locs"], entry["at"], entry["problems"]
    if (type(values) is not int or type(locs) is not list or type(at) is not list or len(locs) != len(at)
            or type(problems) is not list or not all(type(line) is int for line in at)):
        raise _Foreign
    doc = YamlDoc(path, display, data=entry["data"], values_seen=values)
    try:
        doc.lines = dict(zip(map(tuple, locs), at, strict=True))
    except TypeError as exc:  # a place that is no list of keys and indexes
        raise _Foreign from exc
    doc.problems = [_problem(item, display) for item in problems]
    return doc


def _problem(item: Any, display: str) -> Problem:
    if type(item) is not list or len(item) != 7:
        raise _Foreign
    line, where, code, message, severity, hint, area = item
    if not (_optional(line, int) and type(where) is str and type(code) is str and type(message) is str
            and severity in _SEVERITIES and _optional(hint, str) and area in _AREAS):
        raise _Foreign
    return Problem(display, line, where, code, message, severity, hint=hint, area=area)


def _optional(value: object, kind: type) -> bool:
    return value is None or type(value) is kind


# ------------------------------------------------------------------------------- tagged data
# YAML gives str, int, float, bool, None, dates, timestamps, bytes, lists and mappings whose keys
# may be any of the scalars; JSON has fewer. A mapping with keys other than text, or with a key
# starting with "$", and every date, timestamp, bytes and non-finite float is a one-key object
# tagged "$…"; a plain mapping of one key never has such a key, so nothing is read back as
# another type.

_TAGS = frozenset({"$map", "$date", "$time", "$bytes", "$float"})


def _tag(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return value if math.isfinite(value) else {"$float": repr(value)}
    if kind is list:
        return [_tag(item) for item in value]
    if kind is dict:
        if all(type(key) is str and not key.startswith("$") for key in value):
            return {key: _tag(item) for key, item in value.items()}
        return {"$map": [[_tag(key), _tag(item)] for key, item in value.items()]}
    if kind is date:
        return {"$date": value.isoformat()}
    if kind is datetime:
        return {"$time": value.isoformat()}
    if kind is bytes:
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    raise _Uncacheable


def _untag(obj: dict[str, Any]) -> Any:
    """``json.loads``' object hook: a tagged value back to its type; raises _Foreign for a bad tag."""
    if len(obj) != 1:
        return obj
    ((name, value),) = obj.items()
    if name not in _TAGS:
        return obj
    if name == "$map":
        return _mapping(value)
    if type(value) is not str:
        raise _Foreign
    try:
        if name == "$date":
            return date.fromisoformat(value)
        if name == "$time":
            return datetime.fromisoformat(value)
        if name == "$bytes":
            return base64.b64decode(value, validate=True)
        number = float(value)
    except ValueError as exc:
        raise _Foreign from exc
    if math.isfinite(number):
        raise _Foreign
    return number


def _mapping(pairs: Any) -> dict[Any, Any]:
    if type(pairs) is not list or not all(type(pair) is list and len(pair) == 2 for pair in pairs):
        raise _Foreign
    try:
        return dict(pairs)
    except TypeError as exc:  # a key YAML never gives (a list, a mapping)
        raise _Foreign from exc


def _no_constant(name: str) -> Any:
    raise _Foreign  # NaN and Infinity are written tagged, never bare
