"""Submission bundles: ``output/<producer>.zip`` with the producer's documents and a contents list.

Each bundle holds the producer's PDFs under their paths inside ``output/<producer>/``, the
evidence scans its files declare (in ``minh-chung/``, up to 20 MB each), and ``MUC-LUC.txt``:
the producer, the ``as_of`` date, every document (kind, product, file, pages, sha256), the
scans, and what is *not* in the bundle yet (documents not built, blocked products, missing
evidence, expired certificates), so that the officer sees the gaps. The bytes are
deterministic (fixed timestamps and attributes, sorted entries), so an unchanged build gives
an identical zip; a bundle whose inputs did not change (and whose file was not touched since)
is not written again. Bundles are recorded in ``.ocopdocs-bundles.json``; a recorded bundle
whose producer has no documents any more is deleted, and no other file is ever touched.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from .formatting import vn_date
from .messages import language, t
from .output import write_atomic
from .report import DocLink, Report, Row, Scan, bundle_name

RECORD = ".ocopdocs-bundles.json"
RECORD_VERSION = 1
CONTENTS = "MUC-LUC.txt"
SCANS = "minh-chung"
"""The bundle folder of the producer's own evidence scans."""
MAX_SCAN_BYTES = 20 * 1024 * 1024
"""A larger scan is listed but left out, to keep bundles and memory bounded."""
TIMESTAMP = (1980, 1, 1, 0, 0, 0)
"""Every entry's date: the earliest a zip can hold, so that rebuilds give identical bytes."""


def producer_scans(report: Report, producer: str) -> list[Scan]:
    """The producer's declared evidence scans, each once, in name order."""
    found = {s.name: s for r in report.rows if r.producer_slug == producer for s in r.scans}
    return [found[name] for name in sorted(found)]


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
    """A zip of ``files`` (name, bytes) whose bytes depend only on them."""
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

    Returns the bundles' paths relative to ``output``.
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
        text = contents(report, producer, names.get(producer, producer), documents)
        scans = [s for s in producer_scans(report, producer) if s.size <= MAX_SCAN_BYTES]
        # a scan counts by its size and time, so that a no-op build does not read every scan
        inputs = hashlib.sha256(json.dumps([text, [(d.path, d.sha256, d.docx_sha256) for d in documents],
                                            [(s.name, _stat(s.path)) for s in scans]]).encode())
        old = record.get(target) or {}
        if old.get("inputs") == inputs.hexdigest() and old.get("file") == _stat(output / target):
            written[target] = old  # unchanged inputs, and the zip is the one written: keep it
            continue
        files = [(CONTENTS, ("\ufeff" + text).encode("utf-8"))]
        files += [(relative(d), (output / d.path).read_bytes()) for d in documents]
        files += [(relative_path(d.docx), (output / d.docx).read_bytes()) for d in documents if d.docx]
        files += [(f"{SCANS}/{s.name}", s.path.read_bytes()) for s in scans]
        data = zip_bytes(files)
        write_atomic(output / target, data)
        written[target] = {"inputs": inputs.hexdigest(), "sha256": hashlib.sha256(data).hexdigest(),
                           "file": _stat(output / target)}
    for stale in sorted(set(record) - set(written)):
        if re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}\.zip", stale):  # only names this module gives
            (output / stale).unlink(missing_ok=True)
    if written != record:
        write_atomic(output / RECORD, (json.dumps({"version": RECORD_VERSION, "bundles": written},
                                                  indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return sorted(written)


def _load(output: Path) -> dict[str, Any]:
    """The bundles the last build wrote: name → {inputs, sha256, file: [size, mtime_ns]}."""
    try:
        raw = json.loads((output / RECORD).read_text(encoding="utf-8"))
        if raw.get("version") != RECORD_VERSION or not isinstance(raw.get("bundles"), dict):
            return {}
        return dict(raw["bundles"])
    except (OSError, ValueError, AttributeError):
        return {}


def _stat(path: Path) -> list[int] | None:
    """Size and modification time: a zip someone replaced or touched is written again."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return [info.st_size, info.st_mtime_ns]
