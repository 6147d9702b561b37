"""The build, as one straight line: load → check → plan → render → write → manifest.

Every stage reports problems instead of raising them, so that one bad product never stops
the others; outputs are written atomically, so a crash never leaves half a PDF behind. A bug
in ocopdocs (a planner or a template that raises) is not a problem of the data: it propagates.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from . import rules
from .documents import STAGES, Kind, Plan, markers
from .documents.kinds import registered
from .errors import OutputError, Problem, WorkerLost
from .folder import CACHE_FOLDER, LOCK_WAIT, MANIFEST, locked, unwritable
from .loader import ProductEntry, Project, load_project, selected_files
from .messages import t
from .output import (
    STATE,
    Entry,
    State,
    document_key,
    document_path,
    file_sha256,
    manifest,
    read_references,
    remove_stale,
    sweep_temporary,
    write_atomic,
    write_output,
    write_references,
)
from .parsecache import CACHE_FILE, ParseCache
from .pdfvariant import PdfVariant, choose
from .render import Renderer
from .rules.findings import Finding
from .rules.run import run as run_rules
from .selection import Selection
from .workers import Built, Workers


@dataclass
class Event:
    """Progress of one document, for the CLI to show."""

    index: int
    total: int
    plan: Plan
    ok: bool
    cached: bool = False
    """True when the document was unchanged and kept from the last build."""


@dataclass
class BuildResult:
    """What a check or a build found and did."""

    project: Project
    as_of: date
    built: list[Built] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    """Every document that applies, of every kind, also those not rendered under ``--only``."""
    rendered: frozenset[str] = field(default_factory=lambda: frozenset(k.id for k in registered()))
    """The kinds this build rendered (``--only``); the others keep their last build."""
    kept_out: dict[str, set[str]] = field(default_factory=dict)
    """Product id → kinds that apply to it but were not planned because of errors."""
    state: State = field(default_factory=State)
    """The documents in the output folder after the build."""
    seconds: float = 0.0
    kept: int = 0
    """Documents unchanged since the last build, kept without rendering."""
    selection: Selection = field(default_factory=Selection)
    """The products ``--products`` names (a producer folder, one product file): only these are
    built and judged; the others keep their last build."""

    def selected(self) -> list[ProductEntry]:
        """The product files of the selection, loaded or not."""
        return [e for e in self.project.products if self.selection.has(e.producer.slug, e.id)]
    unwritten: list[str] = field(default_factory=list)
    """Why the output folder is not complete: files that could not be written or deleted, in words."""

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity error."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems of severity warning."""
        return [p for p in self.problems if p.severity == "warning"]

    def judged(self, kinds: Iterable[str] | None = None) -> list[Problem]:
        """The problems that concern documents of ``kinds`` (default: all): ``--only`` judges on these.

        A problem found in a document counts for that document's kind; a data problem for the
        kinds whose report column shows its area or whose planning it blocks.
        """
        problems = self.problems
        if not self.selection.everything:
            files = selected_files(self.selection, self.project)
            paths = {p.path for p in self.plans if self.selection.has(p.producer, p.product)}
            problems = [p for p in problems if p.file in files or p.document in paths]
        if kinds is None:
            return list(problems)
        chosen = [k for k in registered() if k.id in set(kinds)]
        paths = {p.path for p in self.plans if p.kind in {k.id for k in chosen}}
        areas = {area for k in chosen for area in k.shows | k.blocked_by}
        return [p for p in problems
                if p.document in paths or (p.document is None and p.area in areas)]

    def entries_for(self, kind: Kind) -> list[ProductEntry]:
        """Products free of the errors that keep ``kind``'s documents from being planned."""
        bad = {p.file for p in self.errors if p.document is None and p.area in kind.blocked_by}
        return [e for e in self.project.loaded()
                if e.doc.display not in bad and e.producer.doc.display not in bad]

    def buildable(self) -> list[ProductEntry]:
        """Products whose label can be built (no error about the input or the label)."""
        return self.entries_for(registered()[0])  # the labels, which every product has


def check(products: Path, as_of: date | None = None, select: Selection | None = None,
          cache: ParseCache | None = None) -> BuildResult:
    """Load every product, run the data rules and plan the documents, without rendering anything.

    ``as_of`` is the day grace periods and certificates are judged on (default: today). The
    blanks the planned documents would print are reported with the rules' problems. ``select``
    narrows what is judged (:meth:`BuildResult.judged`); every file is still read and checked.
    With ``cache``, files parsed by an earlier build are not parsed again.
    """
    started = time.perf_counter()
    as_of = as_of or date.today()
    project = load_project(products, cache)
    result = BuildResult(project, as_of, selection=select or Selection())
    for problem in project.problems:
        # a file that did not load says why on any day, even one before every era of its rule
        annotated = rules.annotate(problem, rules.Dates.on(as_of))
        result.problems.append(problem if annotated is None else annotated)
    result.problems += run_rules(project, as_of)
    plan(result)
    result.seconds = time.perf_counter() - started
    return result


def plan(result: BuildResult) -> list[Plan]:
    """Plan every document of every kind for the products its blocking errors leave in.

    The plans are kept in ``result.plans`` and returned. Each blank a plan's context marks
    becomes a problem (a gap), and a plan with a gap or an error is marked a draft.
    """
    result.plans, result.kept_out = [], {}
    for kind in registered():
        entries = result.entries_for(kind)
        result.plans += kind.plan(entries, result.as_of)
        planned = {e.id for e in entries}
        for entry in result.project.loaded():
            if entry.id not in planned and kind.applies(entry, result.as_of):
                result.kept_out.setdefault(entry.id, set()).add(kind.id)
    blanks = {plan.path: _blanks(plan, result.as_of) for plan in result.plans}
    known = set(result.problems)
    result.problems += [p for p in dict.fromkeys(p for found in blanks.values() for p in found)
                        if p not in known]
    kinds = {k.id: k for k in registered()}
    producer_files = {e.producer.slug: e.producer.doc.display for e in result.project.products}
    blocking: dict[str, list[Problem]] = defaultdict(list)  # by file: a province stays linear
    for problem in result.problems:
        if problem.severity in DRAFT_SEVERITIES and problem.document is None:
            blocking[problem.file].append(problem)
    for doc in result.plans:
        kind, producer_file = kinds[doc.kind], producer_files.get(doc.producer, "")
        candidates = blocking[doc.source] + (blocking[producer_file] if producer_file != doc.source else [])
        doc.draft = bool(blanks[doc.path]) or any(
            kind.shows_problem(p, doc.source, producer_file) for p in candidates)
    return result.plans


DRAFT_SEVERITIES = ("error", "gap")
"""Severities that keep a document from being filed as it is."""


def _blanks(doc: Plan, as_of: date) -> list[Problem]:
    """The problems of the blanks a plan's context marks, judged on ``as_of``."""
    found = []
    for blank in markers(doc.context):
        finding = Finding(blank.code, {"field": blank.field, **dict(blank.values)})
        problem = rules.to_problem(finding, rules.Dates.on(doc.rule_date or as_of), file=blank.file,
                                   line=blank.line, field=blank.field)
        if problem is not None:
            found.append(problem)
    return found


def build(products: Path, output: Path, templates: Path, *, only: Iterable[str] | None = None,
          progress: Callable[[Event], None] | None = None, renderer: Renderer | None = None,
          as_of: date | None = None, jobs: int = 1, force: bool = False,
          select: Selection | None = None, docx: bool = False, lock_wait: float = LOCK_WAIT,
          waiting: Callable[[str], None] | None = None, pdf_variants: Iterable[PdfVariant] = (),
          cmyk_profile: Path | None = None, executor: str | None = None) -> BuildResult:
    """Build every document of every valid product into ``output`` and write the manifest.

    Documents whose inputs have not changed since the last build are kept (``force`` renders
    everything again); documents of products or variants that no longer exist are removed.
    With ``jobs`` > 1, documents render in that many worker processes; with ``executor``
    (``dask://HOST:PORT``), on the workers of that Dask scheduler. With ``select``, only the
    selected products' documents are rendered or removed; the others stay as the last build
    left them (with the problems it found in them). The readiness report
    and the bundles are made from the result afterwards (:func:`ocopdocs.report.publish`).
    With ``docx``, every dossier (a paged document; not a label) also gets an editable Word
    copy next to its PDF, made from the same HTML. ``pdf_variants`` writes artwork (labels) as
    PDF/X-4 and dossiers as PDF/A-3b, each family to the variant given for it; X-4 takes its
    output intent from ``cmyk_profile`` or a profile the set-up installs, and without one
    raises :class:`ocopdocs.pdfvariant.PrintSetupError` before anything is built.

    One build at a time writes into ``output`` (:func:`~ocopdocs.folder.locked`: ``waiting``
    is told the other build's process, and an :class:`~ocopdocs.errors.OutputError` ends the
    wait after ``lock_wait`` seconds). ``manifest.json`` never lists a file that is not in the
    folder as listed, even when the build is killed: before documents are rendered again, the
    manifest drops them. Interrupted (Ctrl-C), or stopped because the folder takes no more
    writes, the build records exactly the files that are there; the stop is in
    ``result.unwritten``, and so is any of its own files it could not write.
    """
    started = time.perf_counter()
    chosen_pdf = choose(pdf_variants, cmyk_profile)
    parsed = ParseCache.read(output)
    result = check(products, as_of, select, parsed)
    kinds = {k.id: k for k in registered()}
    for doc in result.plans:
        doc.docx = docx and doc.paged
        variant = chosen_pdf.for_family("artwork" if kinds[doc.kind].artwork else "dossier")
        if variant is not None:
            doc.pdf_variant = variant.id
            if variant.stylesheet:
                doc.stylesheets = [*doc.stylesheets, variant.stylesheet]
            if variant.cmyk:
                doc.cmyk_profile = chosen_pdf.cmyk_profile
                doc.inputs = [*doc.inputs, *([doc.cmyk_profile] if doc.cmyk_profile else [])]
    result.rendered = frozenset(only) if only is not None else frozenset(k.id for k in registered())
    chosen = result.selection
    plans = [p for p in result.plans if p.kind in result.rendered and chosen.has(p.producer, p.product)]
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise unwritable(output, exc) from exc
    with locked(output, wait=lock_wait, waiting=waiting):
        _probe(output)
        old = State.load(output)
        paths = [*old.documents, *(d.path for d in plans)]
        # what a killed build left
        sweep_temporary(output, {(output / path).parent for path in paths} | {output / CACHE_FOLDER})
        state = State({path: e for path, e in old.documents.items() if e.kind not in result.rendered})
        known = set(result.problems)
        for path, kept in old.documents.items():
            if kept.kind in result.rendered and not chosen.has(kept.producer, kept.product):
                state.documents[path] = kept  # outside the selection: as the last build left it
                result.problems.extend(p for p in kept.problems if p not in known)
        read_references(output)
        _render(result, plans, old=old, state=state, output=output, templates=templates, progress=progress,
                renderer=renderer, jobs=jobs, force=force, executor=executor)
        _keep(parsed, output)
        write_references(output)
        if not result.unwritten:
            with _deferred_interrupt():  # the manifest, the clean-up and the state, or none of them
                _finish(result, old, state, output)
    result.seconds = time.perf_counter() - started
    return result


def _render(result: BuildResult, plans: list[Plan], *, old: State, state: State, output: Path,
            templates: Path, progress: Callable[[Event], None] | None, renderer: Renderer | None,
            jobs: int, force: bool, executor: str | None) -> None:
    """Keep the fresh documents and render the others into ``state``, stage by stage."""
    stage_of = {k.id: STAGES.index(k.stage) for k in registered()}
    total, done = len(plans), 0
    submitted: set[str] = set()
    finished: set[str] = set()

    def record(doc: Plan, key: str, built: Built | None, problems: list[Problem]) -> None:
        nonlocal done
        finished.add(doc.path)
        result.problems.extend(problems)
        if built is not None:
            # a worker's result carries its own copy of the plan, context and all: keep ours, so
            # that a province's build holds each plan once
            built = replace(built, plan=doc)
            result.built.append(built)
            state.documents[doc.path] = Entry(key, built.sha256, built.pages, built.page_size_mm,
                                              doc.kind, doc.producer, doc.product, doc.variant, problems,
                                              built.docx_sha256, doc.pdf_variant)
        done += 1
        if progress is not None:
            progress(Event(done, total, doc, ok=built is not None))

    with Workers(jobs, templates, renderer, executor) as workers:
        try:
            # documents that embed others (dossiers showing labels) wait for them; documents that
            # list what was built (the OCOP dossier's checklist) come last
            for stage in range(len(STAGES)):
                todo: list[tuple[Plan, str]] = []
                for doc in (p for p in plans if stage_of[p.kind] == stage):
                    key = document_key(doc, templates, output)
                    entry = None if force else old.fresh(doc.path, key, output)
                    if entry is None:
                        todo.append((doc, key))
                        continue
                    state.documents[doc.path] = entry
                    result.kept += 1
                    result.built.append(Built(doc, entry.sha256, entry.pages, entry.page_size_mm,
                                              entry.docx_sha256))
                    result.problems.extend(_relocated(entry.problems, doc))
                    done += 1
                    if progress is not None:
                        progress(Event(done, total, doc, ok=True, cached=True))
                if not todo:
                    continue
                workers.start(len(todo))  # a scheduler that cannot be reached stops the build before a write
                submitted.update(doc.path for doc, _ in todo)
                # what is about to be rewritten leaves the manifest first: killed at any moment,
                # the build leaves a manifest whose every file is there as listed
                write_output(output / MANIFEST, manifest(_on_disk(old, state, submitted, finished, output),
                                                         result.problems).encode("utf-8"))
                todo.sort(key=lambda item: _cost(item[0]), reverse=True)  # long documents first
                for (doc, key), (built, problems) in workers.render([d for d, _ in todo], output, todo):
                    record(doc, key, built, problems)
        except (KeyboardInterrupt, OutputError, WorkerLost) as stop:
            for (doc, key), (built, problems) in workers.finish():
                record(doc, key, built, problems)
            kept = _on_disk(old, state, submitted, finished, output, settle=True)
            with suppress(OSError):  # a full disk may refuse these too: the manifest on disk stays true
                write_atomic(output / MANIFEST, manifest(kept, result.problems).encode("utf-8"))
                write_atomic(output / STATE, kept.dump().encode("utf-8"))
            result.state = kept
            if isinstance(stop, KeyboardInterrupt):
                raise
            stopped = "executor-stopped" if isinstance(stop, WorkerLost) else "output-stopped"
            result.unwritten += [str(stop), t(stopped, done=done, total=total)]


def _relocated(problems: list[Problem], doc: Plan) -> list[Problem]:
    """A kept document's problems at the line its field is on now (lines move; the key ignores them)."""
    return [replace(p, line=doc.source_line) if (p.file, p.field) == (doc.source, doc.source_field) else p
            for p in problems]


def _on_disk(old: State, state: State, submitted: set[str], finished: set[str], output: Path, *,
             settle: bool = False) -> State:
    """The documents in the output folder as listed: this build's, and the last build's untouched.

    A document of the last build stays unless a render of it has begun. With ``settle`` (the
    build stops), one whose render had begun without a result stays only if its file is still
    the one recorded; any other file at its path is deleted, so that the folder holds exactly
    what the state lists.
    """
    documents = dict(state.documents)
    for path, entry in old.documents.items():
        if path in documents or path in finished:
            continue
        if path not in submitted or (settle and file_sha256(output / path) == entry.sha256):
            documents[path] = entry
    if settle:
        for path in submitted - finished - set(documents):
            target = document_path(output, path)
            if target is not None:
                with suppress(OSError):
                    target.unlink(missing_ok=True)
    return State(documents)


def _finish(result: BuildResult, old: State, state: State, output: Path) -> None:
    """Write the manifest, delete what is stale, write the state: each step leaves the folder true."""
    result.state = state
    try:
        write_output(output / MANIFEST, manifest(state, result.problems).encode("utf-8"))
    except OutputError as exc:
        result.unwritten.append(str(exc))
        return  # stale documents stay, listed by the manifest on disk, until a build can write
    result.unwritten += remove_stale(old, state, output)
    try:
        write_output(output / STATE, state.dump().encode("utf-8"))
    except OutputError as exc:
        result.unwritten.append(str(exc))


@contextmanager
def _deferred_interrupt() -> Iterator[None]:
    """Hold Ctrl-C back while the build's own files are written (milliseconds), then let it stop."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[object] = []
    previous = signal.signal(signal.SIGINT, lambda *args: caught.append(args))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught and previous is signal.default_int_handler:
            raise KeyboardInterrupt


def _keep(parsed: ParseCache, output: Path) -> None:
    """Write the parse cache when this build parsed a file; a cache that cannot be written is no loss."""
    data = parsed.encode() if parsed.changed else None
    if data is not None:
        with suppress(OSError):
            write_atomic(output / CACHE_FILE, data)


def _probe(output: Path) -> None:
    """Fail now, in words, if ``output`` takes no file (read-only, full), not after rendering."""
    try:
        fd, name = tempfile.mkstemp(dir=output, prefix=".ocopdocs-probe.", suffix=".tmp")
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        raise unwritable(output, exc) from exc


def _cost(doc: Plan) -> float:
    """A rough render time, to start long documents first and keep every worker busy."""
    width, height = doc.size_mm or (210.0, 297.0)
    return (1000.0 if doc.paged else 0.0) + width * height / 1000
