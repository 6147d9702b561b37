"""What a build leaves in the output folder: atomic writes, state, manifest, clean-up.

Nothing is ever written or deleted outside the output folder, whatever the state file says.
A document's key is a hash of everything that decides its bytes: its kind, path, template and
context (the context already holds every value taken from the product and producer files),
the files of its template folder and of ``templates/base/``, the files it names as inputs,
the law data (the rule set), the ocopdocs code itself (the tool version) and the documents
it embeds. A document whose key matches the last build's and whose file is still the file
that build wrote is not rendered again; its problems from rendering are replayed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from .documents import Plan
from .errors import Problem
from .law import law_files
from .templating import referenced

STATE = ".ocopdocs-state.json"
STATE_VERSION = 2
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
PACKAGE = Path(__file__).resolve().parent


def _hash_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path).encode())
        digest.update(path.read_bytes() if path.is_file() else b"\0missing")
    return digest.hexdigest()


@cache
def tool_hash() -> str:
    """The ocopdocs code and law data: editing either rebuilds everything."""
    return _hash_files([*PACKAGE.rglob("*.py"), *law_files()])


@cache
def template_hash(templates: Path, names: tuple[str, ...]) -> str:
    """The template and stylesheet files a document uses, the templates they import, and ``base/``."""
    files = [templates / used for name in names
             for used in (referenced(templates, name) if name.endswith(".html") else [name])]
    files += [p for p in (templates / "base").rglob("*") if p.is_file()]
    return _hash_files(files)


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
                 "stylesheets": doc.stylesheets, "context": doc.context, "fit": doc.fit_steps,
                 "required": doc.required_texts, "expect": repr(doc.pdf_expect),
                 "rule_date": str(doc.rule_date), "size": doc.size_mm, "paged": doc.paged,
                 "docx": doc.docx, "pdf_variant": doc.pdf_variant}
    digest.update(json.dumps(described, sort_keys=True, default=str).encode())
    digest.update(tool_hash().encode())
    digest.update(template_hash(templates, (doc.template, *doc.stylesheets)).encode())
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


@dataclass
class State:
    """The documents the last build wrote, by path in the output folder."""

    documents: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, output: Path) -> State:
        """Read the state of ``output``; a missing or unreadable state means a cold build."""
        try:
            raw = json.loads((output / STATE).read_text(encoding="utf-8"))
            if raw.get("version") != STATE_VERSION:
                return cls()
            return cls({path: Entry(e["key"], e["sha256"], e["pages"], tuple(e["page_size_mm"]),
                                    e["kind"], e["producer"], e["product"], e["variant"],
                                    [Problem(**p) for p in e["problems"]],
                                    (e.get("docx") or {}).get("sha256"), e.get("pdf_variant"))
                        for path, e in raw["documents"].items()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):  # any other shape: cold
            return cls()

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


def inside(output: Path, relative: str) -> Path | None:
    """``output / relative`` when it stays inside ``output`` (no ``..``, no absolute path)."""
    root = output.resolve()
    target = (root / relative).resolve()
    return target if target != root and target.is_relative_to(root) else None


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale(old: State, state: State, output: Path) -> None:
    """Delete documents the last build wrote that this build no longer has (inside ``output`` only)."""
    root = output.resolve()
    for path, entry in sorted(old.documents.items()):
        kept = state.documents.get(path)
        copy = inside(output, docx_path(path))
        if entry.docx_sha256 is not None and (kept is None or kept.docx_sha256 is None) and copy is not None:
            copy.unlink(missing_ok=True)  # an editable copy this build no longer makes
    for path in sorted(set(old.documents) - set(state.documents)):
        target = inside(output, path)
        if target is None:
            continue  # a state file naming a path outside the output folder is not obeyed
        target.unlink(missing_ok=True)
        for folder in target.parents:
            if folder == root or not folder.is_relative_to(root):
                break
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break


def manifest(state: State, problems: list[Problem]) -> str:
    """Return ``manifest.json``: every document in the output folder and every problem found."""
    data = {"version": MANIFEST_VERSION,
            "documents": [e.as_json(path) for path, e in sorted(state.documents.items())],
            "problems": [p.as_json() for p in problems]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
