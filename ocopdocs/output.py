"""What a build leaves in the output folder: atomic writes, state, manifest, clean-up.

Nothing is ever written or deleted outside the output folder, whatever the state file says: a
state of any other shape, or naming a path outside the folder, is a cold build. A document's
key is a hash of everything that decides its bytes: its kind, path, template and context (the
context already holds every value taken from the product and producer files), every template
its template extends, includes or imports (as Jinja finds them), its stylesheets and
``templates/base/``, the files it names as inputs, the law data (the rule set), the ocopdocs
code itself (the tool version) and the documents it embeds. A document whose key matches the
last build's and whose file is still the file that build wrote is not rendered again; its
problems from rendering are replayed.

The lock that keeps a second build out is in :mod:`ocopdocs.folder`.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

import jinja2
from jinja2 import meta
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from . import parsecache
from .documents import Plan
from .errors import Problem
from .folder import CACHE_FOLDER, unwritable
from .folder import LOCK as _LOCK
from .folder import LOCK_WAIT as _LOCK_WAIT
from .folder import MANIFEST as _MANIFEST
from .folder import locked as _locked
from .messages import os_error, t
from .templating import make_env
from .yamlio import read_limited

STATE = ".ocopdocs-state.json"
STATE_VERSION = 2
MANIFEST_VERSION = 1
# the output folder's own names and its lock live in folder.py (light, for the command line);
# named here too, for the modules and tests that look for them beside the manifest
MANIFEST, LOCK, LOCK_WAIT, locked = _MANIFEST, _LOCK, _LOCK_WAIT, _locked
MAX_STATE_BYTES = 64 * 1024 * 1024
"""A province's state is a few MB; a larger file is not ours and is not read."""
PACKAGE = Path(__file__).resolve().parent
TEMPORARY = re.compile(r"\.(?P<name>[^/]+)\.[a-z0-9_]{8}\.tmp")
"""The name :func:`write_atomic` gives a file being written (``mkstemp``): ``.<name>.XXXXXXXX.tmp``."""


def _hash_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path).encode())
        digest.update(path.read_bytes() if path.is_file() else b"\0missing")
    return digest.hexdigest()


def tool_hash() -> str:
    """The ocopdocs code, law and design data: editing any rebuilds everything."""
    return parsecache.tool_hash()


def referenced_templates(templates: Path, name: str) -> set[Path]:
    """The template ``name`` and every template it extends, includes or imports, recursively.

    Jinja is asked (``find_referenced_templates``), so that no list is kept by hand. A name
    computed at render time cannot be known: then every template of the folder counts. Only
    files Jinja can load are listed (never one outside ``templates/``).
    """
    env = make_env(templates)
    assert env.loader is not None
    seen: set[str] = set()
    found: set[Path] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            source, filename, _ = env.loader.get_source(env, current)
            references = _references(env, source)
        except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError):
            continue  # the render reports the mistake, and such a document is never kept
        found.add(Path(filename) if filename else templates / current)
        if None in references:
            return found | {p for p in templates.rglob("*.html") if p.is_file()}
        todo += [ref for ref in references if ref is not None]
    return found


_REFERENCES: dict[str, list[str | None]] = {}
"""What each template source references (None: a name computed at render), by the sha256 of the
source: parsing every template costs a no-op build more than all its other template work."""
_USED: set[str] = set()
REFERENCES = f"{CACHE_FOLDER}/templates.json"
MAX_REFERENCES_BYTES = 4 * 1024 * 1024


def _references(env: jinja2.Environment, source: str) -> list[str | None]:
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
    if digest not in _REFERENCES:
        _REFERENCES[digest] = list(meta.find_referenced_templates(env.parse(source)))
    _USED.add(digest)
    return _REFERENCES[digest]


class _ReferencesFile(BaseModel):
    model_config = ConfigDict(strict=True)
    version: Literal[1]
    jinja: str
    tool: str
    references: dict[str, list[str | None]]


def read_references(output: Path) -> None:
    """Take what the last build found templates reference (:data:`REFERENCES`), when it is ours."""
    _USED.clear()
    raw = read_limited(output / REFERENCES, MAX_REFERENCES_BYTES)
    if isinstance(raw, tuple):
        return
    try:
        found = _ReferencesFile.model_validate_json(raw)
    except ValueError:  # another shape: the templates are parsed again
        return
    if (found.jinja, found.tool) == (jinja2.__version__, tool_hash()):
        for digest, names in found.references.items():
            _REFERENCES.setdefault(digest, names)


def write_references(output: Path) -> None:
    """Keep what this build's templates reference for the next build; a file not written is no loss."""
    data = json.dumps({"version": 1, "jinja": jinja2.__version__, "tool": tool_hash(),
                       "references": {d: _REFERENCES[d] for d in sorted(_USED)}}, ensure_ascii=False)
    with suppress(OSError):
        if read_limited(output / REFERENCES, MAX_REFERENCES_BYTES) != data.encode("utf-8"):
            write_atomic(output / REFERENCES, data.encode("utf-8"))


@cache
def template_hash(templates: Path, names: tuple[str, ...]) -> str:
    """The template (with all it references), the stylesheets, and ``base/`` (shared assets)."""
    files = set().union(*(referenced_templates(templates, n) if n.endswith(".html") else {templates / n}
                          for n in names))
    files |= {p for p in (templates / "base").rglob("*") if p.is_file()}
    return _hash_files(list(files))


def file_sha256(path: Path) -> str | None:
    """The sha256 of a file, or None when it does not exist."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def document_key(doc: Plan, templates: Path, output: Path) -> str:
    """The hash of everything ``doc``'s bytes depend on."""
    digest = hashlib.sha256()
    described = {"kind": doc.kind, "path": doc.path, "template": doc.template,
                 "stylesheets": doc.stylesheets, "context": doc.context, "fit": repr(doc.fit),
                 "required": doc.required_texts, "expect": repr(doc.pdf_expect),
                 "rule_date": str(doc.rule_date), "size": doc.size_mm, "bleed": doc.bleed_mm,
                 "fonts": doc.fonts, "paged": doc.paged, "docx": doc.docx, "pdf_variant": doc.pdf_variant}
    digest.update(json.dumps(described, sort_keys=True, default=str).encode())
    digest.update(tool_hash().encode())
    parts = tuple(name for part in doc.fitted for name in (part.template, *part.stylesheets))
    digest.update(template_hash(templates, (doc.template, *doc.stylesheets, *parts)).encode())
    digest.update(_hash_files(list(doc.inputs)).encode())
    for attachment in doc.attachments:
        digest.update(f"{attachment.path}:{file_sha256(output / attachment.path)}".encode())
    for path in doc.reports_on:
        digest.update(f"{path}:{(output / path).is_file()}".encode())
    return digest.hexdigest()


@dataclass
class Entry:
    """What the last build recorded about one document."""

    key: str
    sha256: str
    pages: int
    page_size_mm: tuple[float, float]
    kind: str
    producer: str
    product: str | None
    variant: str | None
    problems: list[Problem] = field(default_factory=list)
    docx_sha256: str | None = None
    """The sha256 of its editable copy (:func:`docx_path`), when the build wrote one."""
    pdf_variant: str | None = None
    """The PDF standard it was written to (``pdf/x-4``, ``pdf/a-3b``); None for plain PDF."""

    def as_json(self, path: str) -> dict[str, Any]:
        """The document's entry in ``manifest.json``."""
        entry: dict[str, Any] = {"producer": self.producer, "product": self.product, "kind": self.kind,
                 "variant": self.variant, "path": path, "sha256": self.sha256, "pages": self.pages,
                 "page_size_mm": list(self.page_size_mm), "pdf_variant": self.pdf_variant}
        if self.docx_sha256 is not None:
            entry["docx"] = {"path": docx_path(path), "sha256": self.docx_sha256}
        return entry


def docx_path(path: str) -> str:
    """Where the editable copy of the document at ``path`` goes: ``….pdf`` → ``….docx``."""
    return str(PurePosixPath(path).with_suffix(".docx"))


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("not finite")
    return value


_Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class _RecordedDocx(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")
    sha256: _Sha256


class _Recorded(BaseModel):
    """One document as the state file records it; any other shape makes the build cold."""

    model_config = ConfigDict(strict=True, extra="ignore")
    key: str
    sha256: _Sha256
    pages: Annotated[int, Field(ge=1)]
    page_size_mm: tuple[Annotated[float, AfterValidator(_finite)], Annotated[float, AfterValidator(_finite)]]
    kind: str
    producer: str
    product: str | None
    variant: str | None
    problems: list[Problem]
    docx: _RecordedDocx | None = None
    pdf_variant: str | None = None


class _StateFile(BaseModel):
    model_config = ConfigDict(strict=True)
    version: Literal[2]
    documents: dict[str, _Recorded]


DOCUMENT_PATH = re.compile(
    r"(?:[A-Za-z0-9][A-Za-z0-9._-]{0,150}/){1,2}[A-Za-z0-9][A-Za-z0-9._-]{0,150}\.(?:pdf|docx)")
"""A document's path in the output folder: ``producer/[product/]name.pdf`` or its ``.docx`` copy."""


def document_path(output: Path, relative: str) -> Path | None:
    """``output / relative`` for a path a document may have (never ``..``, absolute, hidden)."""
    if not DOCUMENT_PATH.fullmatch(relative) or ".." in relative.split("/"):
        return None
    return inside(output, relative)


@dataclass
class State:
    """The documents the last build wrote, by path in the output folder."""

    documents: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, output: Path) -> State:
        """Read the state of ``output``: a cold build when there is none that can be trusted.

        A missing or unreadable state, one of any other shape, or one that names a path outside
        the folder, is a cold build.
        """
        raw = read_limited(output / STATE, MAX_STATE_BYTES)
        if isinstance(raw, tuple):
            return cls()
        try:
            record = _StateFile.model_validate_json(raw)
        except ValueError:  # pydantic's ValidationError is one
            return cls()
        if not _all_inside(output, list(record.documents)):
            return cls()  # a state that names a path outside output/ is not ours: obey nothing in it
        return cls({path: Entry(e.key, e.sha256, e.pages, e.page_size_mm, e.kind, e.producer, e.product,
                                e.variant, list(e.problems), e.docx.sha256 if e.docx else None,
                                e.pdf_variant)
                    for path, e in record.documents.items()})

    def fresh(self, path: str, key: str, output: Path) -> Entry | None:
        """The recorded entry when the key matches and the file is the one recorded."""
        entry = self.documents.get(path)
        if entry is None or entry.key != key:
            return None
        if entry.docx_sha256 is not None and file_sha256(output / docx_path(path)) != entry.docx_sha256:
            return None
        return entry if file_sha256(output / path) == entry.sha256 else None

    def dump(self) -> str:
        """The state as JSON text."""
        documents: dict[str, Any] = {
            path: {**e.as_json(path), "key": e.key, "problems": [p.as_json() for p in e.problems]}
            for path, e in sorted(self.documents.items())}
        return json.dumps({"version": STATE_VERSION, "documents": documents}, ensure_ascii=False) + "\n"


def _all_inside(output: Path, paths: list[str]) -> bool:
    """:func:`document_path` of every path is not None: the folders each resolved once, not once a file."""
    folders: dict[str, Path | None] = {}
    for relative in paths:
        if not DOCUMENT_PATH.fullmatch(relative) or ".." in relative.split("/"):
            return False
        parent, _, name = relative.rpartition("/")
        if parent not in folders:
            folders[parent] = inside(output, parent)
        folder = folders[parent]
        if folder is None:
            return False
        if (folder / name).is_symlink() and inside(output, relative) is None:  # a link out of the folder
            return False
    return True


def inside(output: Path, relative: str) -> Path | None:
    """``output / relative`` when it stays inside ``output`` (no ``..``, no absolute path)."""
    try:
        root = output.resolve()
        target = (root / relative).resolve()
    except (OSError, RuntimeError):  # a link loop
        return None
    return target if target != root and target.is_relative_to(root) else None


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    ``data`` is the bytes, or pieces of them written as they come (a page made as it is written).

    The file gets the mode the umask allows (``mkstemp`` would leave it 0600, unreadable to a
    web server or to others sharing the folder). Raises OSError; the temporary file is gone.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            for piece in [data] if isinstance(data, bytes) else data:
                f.write(piece)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: put it straight back
    os.umask(mask)
    return mask


def write_output(path: Path, data: bytes | Iterable[bytes]) -> None:
    """:func:`write_atomic` for the build's own files: a failure is an :class:`OutputError` in words."""
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise unwritable(path, exc) from exc


def sweep_temporary(output: Path, folders: Iterable[Path]) -> None:
    """Delete what a killed build was writing (``.<name>.XXXXXXXX.tmp``), in ``output`` and ``folders``.

    Only the folders of the build's own documents are looked in, and only names
    :func:`write_atomic` gives; a temporary file is never a document, so nothing else changes.
    """
    root = output.resolve()
    for folder in {output, *folders}:
        with suppress(OSError, RuntimeError):  # RuntimeError: a link loop
            if not folder.resolve().is_relative_to(root):
                continue
            for path in folder.iterdir():
                if TEMPORARY.fullmatch(path.name) and path.is_file() and not path.is_symlink():
                    path.unlink(missing_ok=True)


def remove_stale(old: State, state: State, output: Path) -> list[str]:
    """Delete documents the last build wrote that this build no longer has (inside ``output`` only).

    Returns, in words, what could not be deleted.
    """
    root = output.resolve()
    failed = []
    for path, entry in sorted(old.documents.items()):
        kept = state.documents.get(path)
        if entry.docx_sha256 is None or (kept is not None and kept.docx_sha256 is not None):
            continue
        copy = inside(output, docx_path(path)) if document_path(output, path) is not None else None
        if copy is None:
            continue
        try:
            copy.unlink(missing_ok=True)  # an editable copy this build no longer makes
        except OSError as exc:
            failed.append(t("output-undeletable", path=output / docx_path(path), reason=os_error(exc)))
    for path in sorted(set(old.documents) - set(state.documents)):
        target = document_path(output, path)
        if target is None:
            continue  # a state file naming a path outside the output folder is not obeyed
        try:
            target.unlink(missing_ok=True)
        except OSError as exc:
            failed.append(t("output-undeletable", path=output / path, reason=os_error(exc)))
            continue
        for folder in target.parents:
            if folder == root or not folder.is_relative_to(root):
                break
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break
    return failed


def manifest(state: State, problems: list[Problem]) -> str:
    """Return ``manifest.json``: every document in the output folder and every problem found."""
    data = {"version": MANIFEST_VERSION,
            "documents": [e.as_json(path) for path, e in sorted(state.documents.items())],
            "problems": [p.as_json() for p in problems]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
