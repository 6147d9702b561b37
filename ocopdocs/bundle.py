"""Submission bundles: ``output/<producer>.zip`` with the producer's documents and a contents list.

Each bundle holds the producer's PDFs under their paths inside ``output/<producer>/``, the
evidence scans its files declare (in ``_minh-chung/``, a name no product folder can have, up to
20 MB each), and ``MUC-LUC.txt``: the producer, the ``as_of`` date, every document (kind,
product, file, pages, sha256), the scans, and what is *not* in the bundle yet (documents not
built, blocked products, missing evidence, expired certificates), so that the officer sees the
gaps. No two entries have the same name, even to a file system that ignores case. The bytes
are deterministic (fixed timestamps and attributes, sorted entries), so an unchanged build
gives an identical zip. A bundle is keyed on what it holds: the sha256 of every PDF as it was
packed, recorded in ``.ocopdocs-bundles.json``; a bundle whose documents, scans or contents list
changed, or whose file was touched, is written again. A recorded bundle whose producer has no
documents any more is deleted, and no other file is ever touched.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import zipfile
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from .folder import size_and_time
from .formatting import vn_date
from .messages import language, t
from .output import document_path, write_output
from .report import DocLink, Report, Row, Scan, bundle_name
from .yamlio import read_limited

RECORD = ".ocopdocs-bundles.json"
RECORD_VERSION = 2
"""2: bundles keyed on the sha256 of what they hold."""
CONTENTS = "MUC-LUC.txt"
SCANS = "_minh-chung"
"""The bundle folder of the producer's own evidence scans: "_" is in no product folder's name."""
MAX_SCAN_BYTES = 20 * 1024 * 1024
"""A larger scan is listed but left out, to keep bundles and memory bounded."""
TIMESTAMP = (1980, 1, 1, 0, 0, 0)
"""Every entry's date: the earliest a zip can hold, so that rebuilds give identical bytes."""


def producer_scans(report: Report, producer: str) -> list[Scan]:
    """The producer's declared evidence scans, each once, in name order.

    Their names differ even to a file system that ignores case (``A.pdf`` and ``a.pdf`` would
    overwrite each other when unzipped on Windows: the second is ``a-2.pdf``).
    """
    found = {s.name: s for r in report.rows if r.producer_slug == producer for s in r.scans}
    taken: set[str] = set()
    scans = []
    for name in sorted(found):
        unique, number = name, 1
        while unique.casefold() in taken:
            number += 1
            unique = f"{PurePosixPath(name).stem}-{number}{PurePosixPath(name).suffix}"
        taken.add(unique.casefold())
        scans.append(dataclasses.replace(found[name], name=unique))
    return scans


def contents(report: Report, producer: str, name: str, documents: list[DocLink]) -> str:
    """The text of ``MUC-LUC.txt`` for one producer."""
    rows = [r for r in report.rows if r.producer_slug == producer]
    products = {r.id: r.product_name for r in rows}
    lines = [t("bundle-title", producer=name), t("bundle-as-of", date=vn_date(report.as_of, 4))]
    if any(r.sample for r in rows):
        lines.append(t("bundle-sample"))
    lines += ["", t("bundle-documents", count=len(documents))]
    index = 0
    # each document under its heading: the producer's own first, then each product's
    sections = [(t("bundle-producer-documents"), [d for d in documents if d.product is None])]
    sections += [(t("bundle-product", product=r.product_name, file=r.file, status=r.status_label),
                  [d for d in documents if d.product == r.id]) for r in rows]
    for heading, listed in sections:
        if not listed:
            continue
        lines.append(heading)
        for doc in listed:
            index += 1
            product = products.get(doc.product or "", doc.product or t("report-producer-level"))
            lines.append(t("bundle-document", index=index, kind=t(f"kind-{doc.kind}"), product=product,
                           file=relative(doc), pages=doc.pages))
            lines.append(f"   sha256: {doc.sha256}")
            if doc.docx:
                lines.append(f"   {relative_path(doc.docx)}")
    scans = producer_scans(report, producer)
    if scans:
        lines += ["", t("bundle-scans", folder=SCANS, count=len(scans))]
        for i, scan in enumerate(scans, 1):
            file = f"{SCANS}/{scan.name}"
            lines.append(t("bundle-scan", index=i, title=scan.title, file=file) if scan.size <= MAX_SCAN_BYTES
                         else _scan_too_large(i, scan.title, file))
    gaps = [line for row in rows if not row.ready for line in _gaps(row)]
    lines += ["", t("bundle-gaps")]
    lines += gaps or [t("bundle-no-gaps")]
    notes = [line for row in rows for line in _notes(row)]
    if notes:
        lines += ["", t("bundle-notes"), *notes]
    return "\r\n".join(lines) + "\r\n"


def _scan_too_large(index: int, title: str, file: str) -> str:
    """The contents line of a scan left out for being over :data:`MAX_SCAN_BYTES`.

    The limit is shown in MB from 1 MB, in KB from 1 KB and in bytes below, with one decimal
    at most, so that no limit reads as "0 MB".

    Args:
        index: The scan's number in the list.
        title: What the scan is, as the producer declared it.
        file: The scan's path inside the bundle.

    Returns:
        The line, in the current language.
    """
    limit = MAX_SCAN_BYTES
    if limit >= 1024 * 1024:
        return t("bundle-scan-too-large", index=index, title=title, file=file,
                 limit_mb=_one_decimal(limit / (1024 * 1024)))
    if limit >= 1024:
        return t("bundle-scan-too-large-kb", index=index, title=title, file=file,
                 limit_kb=_one_decimal(limit / 1024))
    return t("bundle-scan-too-large-bytes", index=index, title=title, file=file, limit_bytes=limit)


def _one_decimal(value: float) -> str:
    """``value`` with one decimal at most (``20``, ``1.5``), a decimal comma in Vietnamese."""
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if language() == "vi" else text


def _gaps(row: Row) -> list[str]:
    """What keeps a blocked product from being filed, as lines of the contents list."""
    items = [t("bundle-gap-document", kind=cell.name, status=cell.label)
             for cell in row.cells if cell.status in ("failed", "incomplete")]
    items += [t("bundle-gap-error", where=i.where, message=i.message)
              for i in row.issues if i.severity == "error"]
    items += [t("bundle-gap-evidence", evidence=e.text) for e in row.missing if e.mandatory]
    items += [t("bundle-gap-expiry", what=e.what, status=e.text) for e in row.expiries if e.expired]
    if not items:
        items = list(row.reasons)
    return [t("bundle-gap-product", product=row.product_name, file=row.file, status=row.status_label),
            *(f"   - {item}" for item in items)]


def _notes(row: Row) -> list[str]:
    """What is worth knowing about a product but does not keep it from being filed."""
    items = [t("bundle-gap-evidence", evidence=e.text) for e in row.missing if not e.mandatory]
    items += [t("bundle-gap-expiry", what=e.what, status=e.text) for e in row.expiries if not e.expired]
    if not items:
        return []
    return [t("bundle-gap-product", product=row.product_name, file=row.file, status=row.status_label),
            *(f"   - {item}" for item in items)]


def relative(doc: DocLink) -> str:
    """The document's path inside the bundle: inside ``output/<producer>/``."""
    return relative_path(doc.path)


def relative_path(path: str) -> str:
    """A path of the output folder as the bundle holds it: inside ``output/<producer>/``."""
    return path.split("/", 1)[1]


def zip_bytes(files: list[tuple[str, bytes]]) -> bytes:
    """A zip of ``files`` (name, bytes) whose bytes depend only on them.

    Raises ValueError for two names that are one to a file system ignoring case: unzipped, the
    second would replace the first (a bug: the callers' names never meet).
    """
    names = [name.casefold() for name, _ in files]
    if len(set(names)) != len(names):
        raise ValueError(f"two bundle entries of one name: {sorted(n for n in names if names.count(n) > 1)}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=TIMESTAMP)
            # PDFs are compressed already: stored, they cost no time and never vary with zlib
            info.compress_type = zipfile.ZIP_STORED if name.endswith(".pdf") else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def write_bundles(report: Report, output: Path) -> list[str]:
    """Write every producer's bundle that changed and delete those of vanished producers.

    Returns the bundles' paths relative to ``output``. Raises
    :class:`~ocopdocs.errors.OutputError` when the folder takes no more files.
    """
    record = _load(output)
    names = {r.producer_slug: r.producer_name for r in report.rows}
    by_producer: dict[str, list[DocLink]] = {}
    for doc in report.documents:
        by_producer.setdefault(doc.producer, []).append(doc)
    written: dict[str, Any] = {}
    for producer, unsorted in sorted(by_producer.items()):
        target = bundle_name(producer)
        documents = sorted(unsorted, key=lambda d: d.path)
        scans = [s for s in producer_scans(report, producer) if s.size <= MAX_SCAN_BYTES]
        text = contents(report, producer, names.get(producer, producer), documents)
        # a scan counts by its size and time, so that a no-op build does not read every scan
        inputs = _inputs_hash(text, scans)
        members = _members(documents)
        old = record.get(target)
        if (old is not None and old.inputs == inputs and old.members == members
                and old.file == size_and_time(output / target)):
            written[target] = old.model_dump()  # it holds exactly these documents, untouched: keep it
            continue
        packed: list[tuple[DocLink, str, bytes]] = []
        for doc in documents:
            path = document_path(output, doc.path)
            if path is None or not path.is_file():
                continue  # gone since the build (never outside output/): listed as not in the bundle
            data = path.read_bytes()
            as_packed = dataclasses.replace(doc, sha256=hashlib.sha256(data).hexdigest())
            packed.append((as_packed, relative(doc), data))
            docx = document_path(output, doc.docx) if doc.docx else None
            if docx is not None and docx.is_file():
                packed.append((as_packed, relative_path(str(doc.docx)), docx.read_bytes()))
        documents = list({doc.path: doc for doc, _, _ in packed}.values())
        text = contents(report, producer, names.get(producer, producer), documents)
        files = [(CONTENTS, ("\ufeff" + text).encode("utf-8"))]
        files += sorted(((name, body) for _, name, body in packed),
                        key=lambda item: item[0].endswith(".docx"))  # the PDFs, then their editable copies
        for scan in scans:  # read bounded: a scan that grew or turned into a pipe since is left out
            content = read_limited(scan.path, MAX_SCAN_BYTES)
            if isinstance(content, bytes):
                files.append((f"{SCANS}/{scan.name}", content))
        data = zip_bytes(files)
        write_output(output / target, data)
        written[target] = {"inputs": _inputs_hash(text, scans), "sha256": hashlib.sha256(data).hexdigest(),
                           "file": size_and_time(output / target),
                           "members": {name: hashlib.sha256(body).hexdigest() for _, name, body in packed}}
    for stale in sorted(set(record) - set(written)):
        (output / stale).unlink(missing_ok=True)  # recorded names are only names this module gives
    recorded = {name: entry.model_dump() for name, entry in record.items()}
    if written != recorded or not (output / RECORD).is_file():  # intact() needs a record, even of none
        write_output(output / RECORD, (json.dumps({"version": RECORD_VERSION, "bundles": written},
                                                  indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return sorted(written)


def intact(output: Path) -> bool:
    """Whether the bundles the last build recorded are all there, each the file it wrote (size and time)."""
    try:
        record = _Record.model_validate_json((output / RECORD).read_bytes()).bundles
    except (OSError, ValueError):  # none, or of another shape: the bundles are made again
        return False
    return all(size_and_time(output / name) == entry.file for name, entry in record.items())


def _members(documents: list[DocLink]) -> dict[str, str]:
    """Each entry a bundle of ``documents`` holds, PDF and editable copy, with its sha256."""
    members = {relative(d): d.sha256 for d in documents}
    members |= {relative_path(d.docx): d.docx_sha256 for d in documents if d.docx and d.docx_sha256}
    return members


def _inputs_hash(text: str, scans: list[Scan]) -> str:
    seen = [(s.name, size_and_time(s.path)) for s in scans]
    return hashlib.sha256(json.dumps([text, seen]).encode()).hexdigest()


_BUNDLE = r"^[a-z0-9][a-z0-9-]{0,39}\.zip$"
"""The only names this module gives bundles, and so the only files it ever deletes."""


class _Bundle(BaseModel):
    """A bundle as the record keeps it; any other shape and the bundles are all written again."""

    model_config = ConfigDict(strict=True)
    inputs: str
    sha256: str
    file: tuple[int, int] | None
    members: dict[str, str]
    """Each PDF's entry name and the sha256 of the bytes packed."""


class _Record(BaseModel):
    model_config = ConfigDict(strict=True)
    version: Literal[2]
    bundles: dict[Annotated[str, StringConstraints(pattern=_BUNDLE)], _Bundle]


def _load(output: Path) -> dict[str, _Bundle]:
    """The bundles the last build wrote: name → inputs, sha256, file (size, mtime_ns), members."""
    try:
        return dict(_Record.model_validate_json((output / RECORD).read_bytes()).bundles)
    except (OSError, ValueError):  # missing, or of another shape (pydantic's errors are ValueErrors)
        return {}
