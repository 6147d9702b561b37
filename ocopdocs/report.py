"""The extension office's readiness report: ``output/index.html`` and ``output/report.csv``.

One row per product file, also for products that did not load: the producer, the OCOP
certificate and the self-assessment, every document kind (built, with problems, not built,
not applicable) with links to the PDFs, the problems, the missing evidence, and what has
expired or expires within the warning window of ``as_of``. A product is *ready to file* when
neither it nor its producer has an error, every document that applies to it is built and no
mandatory evidence is missing; otherwise it is *blocked*.

The report is made from the build's result, the final state of the output folder (documents
kept from earlier builds and kinds not rebuilt under ``--only`` included) and the plans; it is
pure Python and one Jinja render, and never part of the document state. It is keyed like a
document (:func:`key`): a build that changes nothing it shows leaves it as it was, and says
what :func:`kept` recorded. The page is one self-contained file: its stylesheet and script are
inlined, and a Content-Security-Policy allows no other script than that one and no network at all.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

import jinja2
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from .documents import Kind
from .documents.kinds import registered
from .domain import ocop
from .domain.dates import last_valid_day, standing, validity_months
from .domain.food_safety import is_exempt
from .errors import Problem
from .folder import CACHE_FOLDER, DEFAULT_TEMPLATES, REPORT, size_and_time
from .formatting import vn_date
from .law import Paper, ocop_law, papers_law
from .loader import ProductEntry
from .messages import CATALOGUES, language, t
from .output import State, docx_path, tool_hash, write_output
from .pipeline import BuildResult
from .templating import make_env
from .yamlio import read_limited

HTML = REPORT
CSV = "report.csv"
COMMUNES_CSV = "report-communes.csv"
RECORD = f"{CACHE_FOLDER}/report.json"
"""The key of the report last written and what it says of readiness (:func:`remember`)."""
RECORD_VERSION = 1
TEMPLATE = "report/index.html"
STYLE = "report/report.css"
SCRIPT = "report/report.js"
"""The report template shipped with ocopdocs, used when a build's templates folder has none."""

Status = Literal["built", "warnings", "incomplete", "failed", "na"]
"""Of one document kind for one product: built clean, built with warnings, built with
errors (a dossier with marked blanks), not built, or not applicable."""
STATUS_RANK: dict[Status, int] = {"failed": 0, "incomplete": 1, "warnings": 2, "built": 3, "na": 4}
"""Sort order of the kind columns: the worst first."""



@dataclass(frozen=True)
class Issue:
    """A problem as the report shows it."""

    severity: str
    message: str
    where: str
    """``file:line: field``."""
    code: str
    document: str | None


@dataclass(frozen=True)
class DocLink:
    """A document in the output folder."""

    path: str
    """Relative to the output folder; also the link's href."""
    kind: str
    pages: int
    sha256: str
    producer: str
    product: str | None
    variant: str | None
    docx: str | None = None
    """Its editable copy (``build --docx``), relative to the output folder."""
    docx_sha256: str | None = None

    @property
    def name(self) -> str:
        """The file name."""
        return self.path.rsplit("/", 1)[-1]


class _Counted:
    """Counts of a cell's or a row's problems by severity."""

    issues: list[Issue]

    @property
    def errors(self) -> int:
        """Error problems."""
        return sum(i.severity == "error" for i in self.issues)

    @property
    def gaps(self) -> int:
        """Gap problems: marked blanks, out-of-date attachments."""
        return sum(i.severity == "gap" for i in self.issues)

    @property
    def warnings(self) -> int:
        """Warning problems."""
        return sum(i.severity == "warning" for i in self.issues)


@dataclass
class Cell(_Counted):
    """One document kind of one product."""

    kind: str
    name: str
    status: Status
    documents: list[DocLink] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def rank(self) -> int:
        """Sort key: the worst status first."""
        return STATUS_RANK[self.status]

    @property
    def label(self) -> str:
        """The status in words."""
        return status_label(self.status)


@dataclass(frozen=True)
class Expiry:
    """A certificate or test report that has expired or expires within the window."""

    what: str
    until: date
    """The last day it is valid."""
    days: int
    """Days from ``as_of`` to ``until``; negative once expired."""
    producer_level: bool = False
    """A paper of the producer (a certificate, a worker's health check), shared by its products."""

    @property
    def expired(self) -> bool:
        """True once the last valid day is past."""
        return self.days < 0

    @property
    def text(self) -> str:
        """``hết hạn ngày 15/01/2027, còn 47 ngày``."""
        day = vn_date(self.until, 4)
        if self.days < 0:
            return t("report-expired", date=day, days=-self.days)
        if self.days == 0:
            return t("report-expires-today", date=day)
        return t("report-expiring", date=day, days=self.days)


@dataclass(frozen=True)
class Evidence:
    """A piece of OCOP evidence that is missing."""

    title: str
    mandatory: bool
    detail: str | None

    @property
    def text(self) -> str:
        """Title, whether it is mandatory, and why it is missing."""
        text = t("report-evidence-mandatory", title=self.title) if self.mandatory else self.title
        return f"{text}: {self.detail}" if self.detail else text


@dataclass(frozen=True)
class Scan:
    """A scan of an OCOP paper that the files declare, in the producer's folder."""

    title: str
    """The dossier item it proves."""
    name: str
    """Its file name."""
    path: Path
    size: int


@dataclass
class Row(_Counted):
    """One product file."""

    producer_slug: str
    producer_name: str
    product_slug: str
    product_name: str
    file: str
    loaded: bool
    """False when the product or its producer file did not validate."""
    sample: bool
    ocop_stars: int | None = None
    ocop_until: date | None = None
    score: Decimal | None = None
    self_stars: int | None = None
    cells: list[Cell] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    missing: list[Evidence] = field(default_factory=list)
    expiries: list[Expiry] = field(default_factory=list)
    bundle: str | None = None
    """The producer's submission bundle, relative to the output folder."""
    scans: list[Scan] = field(default_factory=list)
    """Evidence scans the files declare, found in the producer's folder."""
    commune: str = ""
    """The commune or ward of the production site (the OCOP programme runs commune by commune)."""
    province: str = ""
    phone: str = ""
    email: str = ""
    search: list[str] = field(default_factory=list)
    """Every field an officer may type into the search box: names, places, numbers, GTINs."""

    @property
    def contact(self) -> str:
        """Phone and e-mail, as one line."""
        return ", ".join(v for v in (self.phone, self.email) if v)

    @property
    def problems(self) -> list[Issue]:
        """Errors, gaps and warnings: what is to be fixed."""
        return [i for i in self.issues if i.severity != "info"]

    @property
    def notes(self) -> list[Issue]:
        """Information notes: nothing to fix now (a supporting paper not yet on hand, a route)."""
        return [i for i in self.issues if i.severity == "info"]

    @property
    def own_expiries(self) -> list[Expiry]:
        """Expiring papers of the product itself; the producer's are shown once, with the producer."""
        return [e for e in self.expiries if not e.producer_level]

    @property
    def next_expiry(self) -> Expiry | None:
        """The paper that expires (or expired) first."""
        return self.expiries[0] if self.expiries else None

    @property
    def first_reason(self) -> str:
        """The first reason it is blocked, or an empty string when it is ready."""
        reasons = self.reasons
        return reasons[0] if reasons else ""

    @property
    def id(self) -> str:
        """``producer/product``."""
        return f"{self.producer_slug}/{self.product_slug}"

    @property
    def missing_mandatory(self) -> int:
        """Missing mandatory evidence items."""
        return sum(e.mandatory for e in self.missing)

    @property
    def ready(self) -> bool:
        """Nothing keeps it from being filed: see :attr:`reasons`."""
        return not self.reasons

    @property
    def reasons(self) -> list[str]:
        """Why it is not ready to file, in words; empty when it is ready.

        Errors, gaps, documents not built, missing mandatory papers, and anything it relies on
        that has expired.
        """
        found = [] if self.loaded else [t("report-reason-unreadable")]
        if self.errors:
            found.append(t("report-reason-errors", count=self.errors))
        if self.gaps:
            found.append(t("report-reason-gaps", count=self.gaps))
        found += [t("report-reason-not-built", kind=c.name) for c in self.cells if c.status == "failed"]
        if self.missing_mandatory:
            found.append(t("report-reason-evidence", count=self.missing_mandatory))
        found += [t("report-reason-expired", what=e.what, date=vn_date(e.until, 4))
                  for e in self.expiries if e.expired]
        return found

    @property
    def expiring(self) -> bool:
        """Something has expired or expires within the window."""
        return bool(self.expiries)

    @property
    def first_expiry(self) -> date | None:
        """The earliest last-valid day among the expiring items, for sorting."""
        return min((e.until for e in self.expiries), default=None)

    @property
    def status_label(self) -> str:
        """``Sẵn sàng nộp`` or ``Còn vướng``."""
        return t("report-status-ready") if self.ready else t("report-status-blocked")

    @property
    def documents(self) -> list[DocLink]:
        """Every document of the row, in column order, producer-level ones included."""
        return [d for c in self.cells for d in c.documents]


@dataclass
class ProducerGroup:
    """A producer and its product rows: the facts about the producer are shown here once."""

    slug: str
    name: str
    commune: str
    province: str
    contact: str
    bundle: str | None
    expiries: list[Expiry]
    """The producer's own papers that expired or expire soon."""
    rows: list[Row]

    @property
    def ready(self) -> int:
        """Its products ready to file."""
        return sum(r.ready for r in self.rows)


@dataclass
class Commune:
    """The counts of one commune (or of the whole province, for the total line)."""

    commune: str
    province: str
    producers: int
    products: int
    ready: int
    blocked: int
    expiring: int


@dataclass
class Report:
    """Everything the page and the CSV show."""

    as_of: date
    generated: datetime
    warning_days: int
    kinds: list[tuple[str, str]]
    """(kind, name) in column order."""
    rows: list[Row]
    orphans: list[Issue]
    """Problems not tied to any product row (a badly named folder, a producer without products)."""
    documents: list[DocLink]
    """Every document in the output folder."""
    sample: bool

    @property
    def ready(self) -> int:
        """Products ready to file."""
        return sum(r.ready for r in self.rows)

    @property
    def blocked(self) -> int:
        """Products blocked."""
        return sum(not r.ready for r in self.rows)

    @property
    def expiring(self) -> int:
        """Products with something expired or expiring."""
        return sum(r.expiring for r in self.rows)

    @property
    def producers(self) -> int:
        """Producers with at least one product row."""
        return len({r.producer_slug for r in self.rows})

    def groups(self) -> list[ProducerGroup]:
        """The producers, each with its products, ordered by commune then name."""
        by_producer: dict[str, list[Row]] = defaultdict(list)
        for row in self.rows:
            by_producer[row.producer_slug].append(row)
        found = []
        for slug, rows in by_producer.items():
            first = rows[0]
            shared = list(dict.fromkeys(e for r in rows for e in r.expiries if e.producer_level))
            found.append(ProducerGroup(slug, first.producer_name, first.commune, first.province,
                                       first.contact, first.bundle, shared, rows))
        return sorted(found, key=lambda g: (_fold(g.province), _fold(g.commune), _fold(g.name)))

    def communes(self) -> list[Commune]:
        """The counts by commune, in name order; see :meth:`province_total`."""
        by_place: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for row in self.rows:
            by_place[row.commune, row.province].append(row)
        return [_count(commune, province, rows)
                for (commune, province), rows in sorted(by_place.items(),
                                                        key=lambda i: (_fold(i[0][1]), _fold(i[0][0])))]

    def province_total(self) -> Commune:
        """The counts of every product of the report."""
        provinces = sorted({r.province for r in self.rows if r.province})
        return _count("", ", ".join(provinces), self.rows)


def _count(commune: str, province: str, rows: list[Row]) -> Commune:
    return Commune(commune, province, len({r.producer_slug for r in rows}), len(rows),
                   sum(r.ready for r in rows), sum(not r.ready for r in rows), sum(r.expiring for r in rows))


def _fold(text: str) -> str:
    """For sorting Vietnamese names: without diacritics, lower case (đ as d)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def bundle_name(producer: str) -> str:
    """The producer's submission bundle in the output folder: ``htx-khuoi-dong.zip``."""
    return f"{producer}.zip"


def short_name(kind: str) -> str:
    """A kind's name short enough for a column heading (its full name when it has none)."""
    key = f"report-kind-short-{kind}"
    return t(key) if key in CATALOGUES[language()] else t(f"kind-{kind}")


def status_label(status: Status) -> str:
    """A document status in words."""
    return t(f"report-doc-{status}")


# ------------------------------------------------------------------------------ collect


def collect(result: BuildResult, *, generated: datetime | None = None) -> Report:
    """Make the report's rows from a build: its plans, its problems and the output's state.

    Kinds the build did not render (``--only``) show the documents of their last build, with
    the problems stored with those documents.
    """
    as_of, state = result.as_of, result.state
    problems = _problems(result, state, set(result.rendered))
    documents = [DocLink(path, e.kind, e.pages, e.sha256, e.producer, e.product, e.variant,
                         docx_path(path) if e.docx_sha256 else None, e.docx_sha256)
                 for path, e in sorted(state.documents.items())]
    # indexes, so that a province of hundreds of products stays linear
    docs_of: dict[tuple[str, str | None, str], list[DocLink]] = defaultdict(list)
    for doc in documents:
        docs_of[doc.kind, doc.product, doc.producer].append(doc)
    plans_of: dict[tuple[str, str | None, str], list[str]] = defaultdict(list)
    for doc_plan in result.plans:
        plans_of[doc_plan.kind, doc_plan.product, doc_plan.producer].append(doc_plan.path)
    problems_of: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        problems_of[problem.file].append(problem)
    every_kind = {k.id for k in registered()}
    warning_days = papers_law().longest_look_ahead
    rows: list[Row] = []
    claimed: set[str] = set()
    for entry in result.project.products:
        row = _row(entry, as_of, state)
        files = list(dict.fromkeys([entry.doc.display, entry.producer.doc.display]))
        own = [p for file in files for p in problems_of[file]]
        claimed.update(files)
        row.issues = list(dict.fromkeys(_issue(p) for p in own))
        kept_out = result.kept_out.get(entry.id, set()) if row.loaded else every_kind
        producer = entry.producer.slug
        row.cells = [_cell(kind, entry, problems=own, kept_out=kind.id in kept_out,
                           docs=[*docs_of[kind.id, entry.id, producer], *docs_of[kind.id, None, producer]],
                           wanted=[*plans_of[kind.id, entry.id, producer],
                                   *plans_of[kind.id, None, producer]])
                     for kind in registered()]
        rows.append(row)
    sample = any(r.sample for r in rows)
    orphans = [_issue(p) for p in problems if p.file not in claimed]
    bundled = {d.producer for d in documents}
    for row in rows:
        if row.producer_slug in bundled:
            row.bundle = bundle_name(row.producer_slug)
    kinds = [(kind.id, t(kind.name_key)) for kind in registered()]
    return Report(as_of, generated or datetime.now().replace(microsecond=0), warning_days, kinds, rows,
                  orphans, documents, sample)


def _problems(result: BuildResult, state: State, rebuilt: set[str]) -> list[Problem]:
    """This build's problems and those stored with documents of kinds it did not rebuild."""
    found = list(result.problems)
    for entry in state.documents.values():
        if entry.kind not in rebuilt:
            found.extend(entry.problems)
    return list(dict.fromkeys(found))  # problems are frozen dataclasses: equal ones once


def _issue(problem: Problem) -> Issue:
    return Issue(problem.severity, problem.message, problem.location(), problem.code, problem.document)


def _row(entry: ProductEntry, as_of: date, state: State) -> Row:
    producer, product = entry.producer.model, entry.model
    producer_name = producer.legal_name if producer else entry.producer.slug
    product_name = product.name.vi if product else entry.slug
    row = Row(entry.producer.slug, producer_name, entry.slug, product_name, entry.doc.display,
              loaded=producer is not None and product is not None,
              sample=bool((producer and producer.sample) or (product and product.sample)))
    if producer is not None:
        site = producer.site(product.production_site if product is not None
                             and product.production_site in {p.id for p in producer.production_sites}
                             else None)
        row.commune, row.province = site.address.commune, site.address.province
        row.phone, row.email = producer.contact.phone or "", producer.contact.email or ""
    certificate = ocop.certificate(product) if product is not None else None
    if product is not None and certificate is not None:
        row.ocop_stars, row.ocop_until = certificate.stars, ocop.certificate_until(product)
    row.expiries = expiries(entry, as_of)
    if row.loaded:
        summary = ocop.summary(entry, as_of, set(state.documents))
        row.score, row.self_stars = summary.score, summary.stars
        row.missing = [Evidence(i.title, i.mandatory, i.detail)
                       for i in summary.evidence if i.status == "missing"]
        row.scans = scans(entry)
    row.search = search_terms(entry, row)
    return row


def search_terms(entry: ProductEntry, row: Row) -> list[str]:
    """What the page's search box looks in: each field apart, so a phrase never spans two."""
    producer, product = entry.producer.model, entry.model
    terms = [row.producer_name, row.producer_slug, row.product_name, row.file, row.commune, row.province,
             row.phone, row.email]
    if producer is not None:
        terms += [producer.short_name or "", producer.registration.code, producer.head_office.commune,
                  producer.head_office.province]
        if producer.food_safety_certificate is not None:
            terms.append(producer.food_safety_certificate.number or "")
        terms += [c.number for c in producer.management_certificates]
        if producer.gs1 is not None:
            terms += [producer.gs1.company_prefix, producer.gs1.certificate_no or ""]
    if product is not None:
        terms += [p.gtin or "" for p in product.packages]
        terms += [r.report_no for r in product.food_safety.test_reports]
        held = ocop.certificate(product)
        if held is not None:
            terms.append(held.certificate_no)
    return list(dict.fromkeys(term.strip() for term in terms if term and term.strip()))


def scans(entry: ProductEntry) -> list[Scan]:
    """The declared scans that exist inside the producer's folder (never a link out of it)."""
    titles = {e.id: e.title for e in ocop_law().evidence}
    found = []
    for item, (paper, _) in sorted(ocop.declared(entry).items()):
        path = ocop.scan_path(entry, paper.file) if paper.file is not None else None
        if paper.file is not None and path is not None:
            found.append(Scan(titles.get(item, item), paper.file, path, path.stat().st_size))
    return found


def _shows(kind: Kind, problem: Problem, entry: ProductEntry) -> bool:
    """Whether a data problem (not tied to a document) concerns documents of ``kind``."""
    if kind.producer_file_only and problem.file != entry.producer.doc.display:
        return False
    return problem.area in kind.shows


def _cell(kind: Kind, entry: ProductEntry, *, docs: list[DocLink], wanted: list[str],
          problems: list[Problem], kept_out: bool) -> Cell:
    """The status, documents and problems of one kind for one product.

    ``docs`` are the kind's documents in the output folder for the product and its producer,
    ``wanted`` those planned; ``kept_out`` is True when the kind applies but errors kept it
    from being planned.
    """
    built = {d.path for d in docs}
    paths = built | set(wanted)
    issues = [_issue(p) for p in problems
              if (p.document in paths) or (p.document is None and _shows(kind, p, entry))]
    missing = [path for path in wanted if path not in built]
    if kept_out and not docs and not wanted:
        missing = ["?"]  # kept out of the build by errors
    if missing:
        status: Status = "failed"
    elif docs:
        severities = {i.severity for i in issues}
        status = ("incomplete" if severities & {"error", "gap"} else "warnings" if "warning" in severities
                  else "built")
    else:
        status, issues = "na", []  # data problems of a kind that does not apply are the row's
    return Cell(kind.id, t(kind.name_key), status, docs, issues)


def expiries(entry: ProductEntry, as_of: date) -> list[Expiry]:
    """What has expired on ``as_of`` or expires within its paper's look-ahead window."""
    producer, product = entry.producer.model, entry.model
    found: list[tuple[str, Paper, date]] = []
    if producer is not None:
        certificate = producer.food_safety_certificate
        if (certificate is not None and certificate.valid_until is not None
                and not is_exempt(producer, as_of)):
            found.append((_named(t("report-expiry-fs-certificate"), certificate.number),
                          "food_safety_certificate", certificate.valid_until))
        for cert in producer.management_certificates:
            if cert.valid_until is not None:
                found.append((t("report-expiry-management", scheme=cert.scheme, number=cert.number),
                              "management_certificate", cert.valid_until))
        months = validity_months("health_certificate")
        for person in producer.staff:
            if person.health_certificate_date is not None:
                found.append((t("report-expiry-health", name=person.name, months=months,
                                date=vn_date(person.health_certificate_date, 4)),
                              "health_certificate", last_valid_day("health_certificate",
                                                                   person.health_certificate_date)))
        if producer.gs1 is not None and producer.gs1.valid_until is not None:
            found.append((_named(t("report-expiry-gs1"), producer.gs1.certificate_no),
                          "gs1_membership", producer.gs1.valid_until))
    shared = len(found)  # the producer's papers come first
    if product is not None:
        held, until = ocop.certificate(product), ocop.certificate_until(product)
        if held is not None and until is not None:
            found.append((t("report-expiry-ocop", stars=held.stars, number=held.certificate_no),
                          "ocop_certificate", until))
        months = validity_months("test_report")
        for report in product.food_safety.test_reports:
            found.append((t("report-expiry-test-report", number=report.report_no,
                            date=vn_date(report.date, 4), months=months),
                          "test_report", last_valid_day("test_report", report.date)))
    judged = [(what, standing(paper, until, as_of), i < shared)
              for i, (what, paper, until) in enumerate(found)]
    return sorted((Expiry(what, v.until, v.days, level)
                   for what, v, level in judged if v.standing != "valid"),
                  key=lambda e: (e.until, e.what))


def _named(name: str, number: str | None) -> str:
    return f"{name} {number}" if number else name


# ------------------------------------------------------------------------------- write


def publish(result: BuildResult, *, output: Path, templates: Path) -> Report:
    """Write ``index.html``, ``report.csv`` and ``report-communes.csv``; return the report.

    Raises :class:`~ocopdocs.errors.OutputError` when the folder takes no more files.
    """
    report = collect(result)
    # written as it is made: a national registry's page is tens of MB, never held whole
    write_output(output / HTML, _encoded(html_pieces(report, templates)))
    write_output(output / CSV, render_csv(report))
    write_output(output / COMMUNES_CSV, render_communes_csv(report))
    return report


# ------------------------------------------------------------------------------- kept or not


@dataclass(frozen=True)
class Readiness:
    """What the command line says at the end of a build: the products not ready to file, and why."""

    total: int
    blocked: list[tuple[str, str, str]]
    """Each blocked product's name, file and reasons (joined with "; ")."""


def readiness(report: Report) -> Readiness:
    """The readiness the report shows."""
    return Readiness(len(report.rows), [(row.product_name, row.file, "; ".join(row.reasons))
                                        for row in report.rows if not row.ready])


def key(result: BuildResult, templates: Path) -> str:
    """The hash of everything the report and the bundles show, as a document's key is of its inputs.

    The day judged on, the language, ocopdocs itself (code, law, message catalogue), the report's
    templates, every product and producer file (the bytes that were judged), the plans, what
    errors kept out, every problem, every document in the folder with its sha256, and the size
    and time of every other file in the products folder (marks, evidence scans). The time of day
    the page says it was made is not part of it: a page kept says when it was made.
    """
    digest = hashlib.sha256()

    def add(value: object) -> None:
        digest.update(json.dumps(value, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")

    add([RECORD_VERSION, language(), result.as_of.isoformat(), tool_hash(), sorted(result.rendered)])
    add([_template_source(templates, name) for name in (TEMPLATE, STYLE, SCRIPT)])
    add([[e.id, e.doc.display, e.doc.digest, e.producer.doc.display, e.producer.doc.digest]
         for e in result.project.products])
    add([[p.kind, p.path, p.product, p.producer] for p in result.plans])
    add(sorted((product, sorted(kinds)) for product, kinds in result.kept_out.items()))
    add([[p.file, p.line, p.field, p.code, p.message, p.severity, p.document, p.article, p.hint, p.page,
          p.area] for p in _problems(result, result.state, set(result.rendered))])
    add([[path, e.kind, e.pages, e.sha256, e.producer, e.product, e.variant, e.docx_sha256]
         for path, e in sorted(result.state.documents.items())])
    add(_other_files(result.project.root))
    return digest.hexdigest()


def _template_source(templates: Path, name: str) -> str:
    """The sha256 of a report template as :func:`environment` finds it (the shipped one as fallback)."""
    for folder in (templates, DEFAULT_TEMPLATES):
        with suppress(OSError):
            return hashlib.sha256((folder / name).read_bytes()).hexdigest()
    return ""


def _other_files(root: Path) -> list[tuple[str, int, int]]:
    """Every file of the products folder that is not YAML, with its size and time (scans, marks)."""
    found = []
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(files):
            if not name.endswith(".yaml"):
                stat = size_and_time(Path(folder) / name)
                if stat is not None:
                    found.append((os.path.relpath(Path(folder) / name, root), *stat))
    return found


class _Record(BaseModel):
    """The report last written, as :data:`RECORD` keeps it; any other shape writes it again."""

    model_config = ConfigDict(strict=True)
    version: Literal[1]
    key: str
    files: dict[str, tuple[int, int]]
    total: Annotated[int, Field(ge=0)]
    blocked: list[tuple[str, str, str]]


def kept(output: Path, key: str) -> Readiness | None:
    """The readiness recorded with the report, when it was written for ``key`` and is still as written."""
    raw = read_limited(output / RECORD, MAX_RECORD_BYTES)
    if isinstance(raw, tuple):
        return None
    try:
        record = _Record.model_validate_json(raw)
    except ValueError:  # pydantic's ValidationError is one
        return None
    if record.key != key or any(record.files.get(name) != size_and_time(output / name) for name in _FILES):
        return None
    return Readiness(record.total, [tuple(item) for item in record.blocked])  # type: ignore[misc]


def forget(output: Path) -> None:
    """Drop the record before the report is written again: stopped half-way, all is written next time."""
    with suppress(FileNotFoundError):
        (output / RECORD).unlink()


def remember(output: Path, key: str, report: Report) -> Readiness:
    """Record the report just written (and the bundles made from it) under ``key``; return its readiness."""
    said = readiness(report)
    files = {name: size_and_time(output / name) for name in _FILES}
    record = {"version": RECORD_VERSION, "key": key, "files": files, "total": said.total,
              "blocked": said.blocked}
    write_output(output / RECORD, (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
    return said


_FILES = (HTML, CSV, COMMUNES_CSV)
MAX_RECORD_BYTES = 64 * 1024 * 1024


# ------------------------------------------------------------------------------- render


SCRIPT_STRINGS = ("page-shown",)
"""The sentences the page's script shows, handed to it as JSON in the page."""


def environment(templates: Path) -> jinja2.Environment:
    """The templating environment (autoescape, strict), with the shipped report as fallback."""
    env = make_env(templates)
    env.loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(templates)),
                                      jinja2.FileSystemLoader(str(DEFAULT_TEMPLATES))])
    return env


def render_html(report: Report, templates: Path) -> str:
    """The report page: one file, its stylesheet and script inlined."""
    return "".join(html_pieces(report, templates))


def _encoded(pieces: Iterable[str], size: int = 1 << 16) -> Iterator[bytes]:
    """``pieces`` as UTF-8, in blocks of about ``size`` characters (Jinja yields many small ones)."""
    block: list[str] = []
    length = 0
    for piece in pieces:
        block.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(block).encode("utf-8")
            block, length = [], 0
    yield "".join(block).encode("utf-8")


def html_pieces(report: Report, templates: Path) -> Iterator[str]:
    """The report page (:func:`render_html`) in the pieces Jinja makes it of, as they are made."""
    env = environment(templates)
    assert env.loader is not None
    style, _, _ = env.loader.get_source(env, STYLE)
    script, _, _ = env.loader.get_source(env, SCRIPT)
    strings = {key: t(key, shown="{shown}", total="{total}") for key in SCRIPT_STRINGS}
    # a JSON data block is not run; "<" escaped keeps a product text from closing the element
    data = json.dumps(strings, ensure_ascii=False).replace("<", "\\u003c")
    return env.get_template(TEMPLATE).generate(
        report=report, style=Markup(style), script=Markup(script), t=t, lang=language(),
        short_name=short_name, strings=Markup(data),
        style_hash=csp_hash(style), script_hash=csp_hash(script))


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script or style."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def csv_header(report: Report) -> list[str]:
    """The CSV's header row."""
    header = [t("report-csv-producer"), t("report-csv-producer-folder"), t("report-csv-commune"),
              t("report-csv-province"), t("report-csv-contact"), t("report-csv-product"),
              t("report-csv-file"), t("report-csv-status"), t("report-csv-first-reason"),
              t("report-csv-next-expiry"), t("report-csv-next-expiry-what"), t("report-csv-expiring"),
              t("report-csv-ocop-stars"), t("report-csv-ocop-until"), t("report-csv-score"),
              t("report-csv-self-stars")]
    for _, name in report.kinds:
        header += [t("report-csv-kind-status", kind=name), t("report-csv-kind-files", kind=name),
                   t("report-csv-kind-docx", kind=name)]
    header += [t("report-csv-errors"), t("report-csv-warnings"), t("report-csv-reasons"),
               t("report-csv-problems"), t("report-csv-notes"), t("report-csv-missing"),
               t("report-csv-expiries")]
    return header


def render_csv(report: Report) -> bytes:
    """``report.csv``: UTF-8 with a BOM (for Excel), one row per product, same facts as the page."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_header(report))
    yes, no = t("report-yes"), t("report-no")
    for row in report.rows:
        upcoming = row.next_expiry
        line = [row.producer_name, row.producer_slug, row.commune, row.province, row.contact,
                row.product_name, row.file, row.status_label, row.first_reason,
                "" if upcoming is None else upcoming.until.isoformat(),
                "" if upcoming is None else upcoming.what,
                yes if row.expiring else no,
                "" if row.ocop_stars is None else str(row.ocop_stars),
                "" if row.ocop_until is None else row.ocop_until.isoformat(),
                "" if row.score is None else str(row.score),
                "" if row.self_stars is None else str(row.self_stars)]
        for cell in row.cells:
            line += [cell.label, "; ".join(d.path for d in cell.documents),
                     "; ".join(d.docx for d in cell.documents if d.docx)]
        line += [str(row.errors), str(row.warnings), "; ".join(row.reasons),
                 "; ".join(f"{t(f'cli-severity-{i.severity}')} {i.where}: {i.message}" for i in row.problems),
                 "; ".join(f"{i.where}: {i.message}" for i in row.notes),
                 "; ".join(e.text for e in row.missing),
                 "; ".join(f"{e.what}: {e.text}" for e in row.expiries)]
        writer.writerow([_inert(value) for value in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_communes_csv(report: Report) -> bytes:
    """``report-communes.csv``: the counts by commune and for the province, like ``report.csv``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([t("report-csv-commune"), t("report-csv-province"), t("report-csv-producers"),
                     t("report-csv-products"), t("report-csv-ready"), t("report-csv-blocked"),
                     t("report-csv-expiring-count")])
    total = report.province_total()
    for place in [*report.communes(), replace(total, commune=t("report-csv-province-total"))]:
        writer.writerow([_inert(place.commune), _inert(place.province), place.producers, place.products,
                         place.ready, place.blocked, place.expiring])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _inert(value: str) -> str:
    """Keep spreadsheet programs from running product text as a formula (CSV injection)."""
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value
