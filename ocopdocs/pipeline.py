"""The build, as one straight line: load → check → plan → render → write → manifest.

Every stage reports problems instead of raising them, so that one bad product never stops
the others; outputs are written atomically, so a crash never leaves half a PDF behind.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import re
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from . import rules
from .cache import STATE, Entry, State, document_key
from .documents import Plan, food_safety, label, ocop, trademark
from .errors import Problem
from .loader import Project, load_project
from .messages import t
from .render import Layout, Renderer, RenderFailure, element_boxes
from .rules import data as data_rules
from .rules import food_safety as _food_safety_rules  # noqa: F401 - registers its checks
from .rules import ocop as _ocop_rules  # noqa: F401 - registers its checks
from .rules import trademark as _trademark_rules  # noqa: F401 - registers its checks
from .rules.findings import Finding
from .templating import make_env

KINDS: dict[str, Callable[[list[Any], date], list[Plan]]] = {
    label.KIND: label.plan,
    food_safety.DECLARATION: food_safety.plan_declarations,
    food_safety.CERTIFICATE: food_safety.plan_certificates,
    trademark.KIND: trademark.plan_applications,
    trademark.RULES_KIND: trademark.plan_rules_of_use,
    ocop.KIND: ocop.plan,
}
"""Document kinds in build order (labels first: dossiers include them), each with its planner."""
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


@dataclass
class Built:
    """A document written to the output folder."""

    plan: Plan
    sha256: str
    pages: int
    page_size_mm: tuple[float, float]


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
    """What a build did."""

    project: Project
    built: list[Built] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    kept: int = 0
    """Documents unchanged since the last build, kept without rendering."""

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity error."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems of severity warning."""
        return [p for p in self.problems if p.severity == "warning"]


def check(products: Path, as_of: date | None = None) -> BuildResult:
    """Load every product and run the data rules, without rendering anything.

    ``as_of`` is the day grace periods are judged on (default: today).
    """
    started = time.perf_counter()
    as_of = as_of or date.today()
    project = load_project(products)
    result = BuildResult(project)
    for problem in project.problems:
        annotated = rules.annotate(problem, as_of)
        if annotated is not None:
            result.problems.append(annotated)
    seen = {_key(p) for p in result.problems}
    for entry in project.buildable():
        for problem in data_rules.run(entry, as_of):
            if _key(problem) not in seen:  # a producer-file problem is found once per product
                seen.add(_key(problem))
                result.problems.append(problem)
    result.seconds = time.perf_counter() - started
    return result


def _key(problem: Problem) -> tuple[object, ...]:
    return (problem.file, problem.line, problem.field, problem.code, problem.document, problem.message)


def plan(result: BuildResult, only: Iterable[str] | None = None, as_of: date | None = None) -> list[Plan]:
    """Plan every document of every product whose data is free of errors."""
    kinds = [k for k in KINDS if only is None or k in set(only)]
    # only problems that make a label wrong keep a product out; dossier gaps are shown as blanks
    bad = {p.file for p in result.errors
           if p.document is None and not p.code.startswith(("fs-", "tm-", "ocop-"))}
    entries = [e for e in result.project.buildable()
               if e.doc.display not in bad and e.producer.doc.display not in bad]
    return [doc for kind in kinds for doc in KINDS[kind](entries, as_of or date.today())]


def build(products: Path, output: Path, templates: Path, *, only: Iterable[str] | None = None,
          progress: Callable[[Event], None] | None = None, renderer: Renderer | None = None,
          as_of: date | None = None, jobs: int = 1, force: bool = False) -> BuildResult:
    """Build every document of every valid product into ``output`` and write the manifest.

    Documents whose inputs have not changed since the last build are kept (``force`` renders
    everything again); documents of products or variants that no longer exist are removed.
    With ``jobs`` > 1, documents render in that many worker processes.
    """
    started = time.perf_counter()
    result = check(products, as_of)
    plans = plan(result, only, as_of)
    kinds = set(only) if only is not None else set(KINDS)
    output.mkdir(parents=True, exist_ok=True)
    old = State() if force else State.load(output)
    state = State({path: e for path, e in old.documents.items() if e.kind not in kinds})
    total, done = len(plans), 0
    # documents that embed others (dossiers showing labels) wait for them; documents that
    # list what was built (the OCOP dossier's checklist) come last
    stages: list[list[Plan]] = [[], [], []]
    for doc in plans:
        stages[2 if doc.reports_on else 1 if doc.attachments else 0].append(doc)
    with _Workers(jobs, templates, renderer) as workers:
        for stage in stages:
            todo: list[tuple[Plan, str]] = []
            for doc in stage:
                key = document_key(doc, templates, output)
                entry = old.fresh(doc.path, key, output)
                if entry is None:
                    todo.append((doc, key))
                    continue
                state.documents[doc.path] = entry
                result.kept += 1
                result.built.append(Built(doc, entry.sha256, entry.pages, entry.page_size_mm))
                result.problems.extend(entry.problems)
                done += 1
                if progress is not None:
                    progress(Event(done, total, doc, ok=True, cached=True))
            todo.sort(key=lambda item: _cost(item[0]), reverse=True)  # long documents first
            for (doc, key), (built, problems) in workers.render([d for d, _ in todo], output, todo):
                result.problems.extend(problems)
                if built is not None:
                    result.built.append(built)
                    state.documents[doc.path] = Entry(key, built.sha256, built.pages, built.page_size_mm,
                                                      doc.kind, doc.producer, doc.product, doc.variant,
                                                      problems)
                done += 1
                if progress is not None:
                    progress(Event(done, total, doc, ok=built is not None))
    _remove_stale(old, state, output)
    write_atomic(output / STATE, state.dump().encode("utf-8"))
    write_atomic(output / MANIFEST, manifest(result, state).encode("utf-8"))
    from . import report  # the readiness report and the bundles (report imports this module)

    result.problems.extend(report.publish(result, state, plans, as_of=as_of or date.today(), output=output,
                                          templates=templates, rebuilt=kinds))
    result.seconds = time.perf_counter() - started
    return result


def _cost(doc: Plan) -> float:
    """A rough render time, to start long documents first and keep every worker busy."""
    width, height = doc.size_mm or (210.0, 297.0)
    return (1000.0 if doc.paged else 0.0) + width * height / 1000


def _remove_stale(old: State, state: State, output: Path) -> None:
    """Delete documents the last build wrote that this build no longer has."""
    for path in sorted(set(old.documents) - set(state.documents)):
        target = output / path
        target.unlink(missing_ok=True)
        for folder in target.parents:
            if folder == output or not folder.is_relative_to(output):
                break
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break


_WORKER: tuple[jinja2.Environment, Renderer] | None = None


def _start_worker(templates: str) -> None:
    """In each worker process: one Jinja environment and one renderer, kept for every task."""
    global _WORKER  # noqa: PLW0603 - the process's own renderer, created once
    _WORKER = (make_env(Path(templates)), Renderer())


def _render_in_worker(doc: Plan, templates: str, output: str) -> tuple[Built | None, list[Problem]]:
    assert _WORKER is not None
    env, renderer = _WORKER
    return render_one(doc, env, renderer, Path(templates), Path(output))


class _Workers:
    """Render documents here or in a pool of worker processes, yielding results as they come.

    Workers are started with "spawn", so none inherits a WeasyPrint that was imported before
    the fork (WeasyPrint issue 684); each imports it once and keeps its fonts and CSS.
    """

    def __init__(self, jobs: int, templates: Path, renderer: Renderer | None) -> None:
        self.jobs, self.templates, self.renderer = jobs, templates, renderer
        self.pool: concurrent.futures.ProcessPoolExecutor | None = None

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def render(self, docs: list[Plan], output: Path,
               tags: list[Any]) -> Iterator[tuple[Any, tuple[Built | None, list[Problem]]]]:
        """Render ``docs``; yields (tag, result) in completion order."""
        if not docs:
            return  # a no-op rebuild never loads WeasyPrint
        if self.jobs <= 1 or len(docs) < 2 * self.jobs:
            if self.renderer is None:
                self.renderer = Renderer()
            env = make_env(self.templates)
            for doc, tag in zip(docs, tags, strict=True):
                yield tag, render_one(doc, env, self.renderer, self.templates, output)
            return
        if self.pool is None:
            self.pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker, initargs=(str(self.templates),))
        futures = {self.pool.submit(_render_in_worker, doc, str(self.templates), str(output)): tag
                   for doc, tag in zip(docs, tags, strict=True)}
        for future in concurrent.futures.as_completed(futures):
            yield futures[future], future.result()


def render_one(doc: Plan, env: jinja2.Environment, renderer: Renderer, templates: Path,
               output: Path) -> tuple[Built | None, list[Problem]]:
    """Render ``doc``, trying smaller type until it fits; write it only if nothing is wrong."""
    target = output / doc.path
    problems: list[Problem] = []

    def problem(code: str, **values: object) -> Problem:
        return Problem(doc.source, None, doc.source_field, code,
                       t(code, document=doc.path, **values), "error", doc.path)

    present = {a.slot: (output / a.path).is_file() for a in doc.attachments}
    built = [path for path in doc.reports_on if (output / path).is_file()]
    for attachment in doc.attachments:
        if not present[attachment.slot] and doc.rule_date is not None:
            missing = rules.to_problem(Finding("fs-attachment-missing", {"attachment": attachment.path}),
                                       doc.rule_date, file=doc.source, line=None, field=doc.source_field,
                                       document=doc.path)
            problems.extend([missing] if missing else [])
    layout: Layout | None = None
    try:
        template = env.get_template(doc.template)

        def attempt(step: int) -> Layout:
            html = template.render(**{**doc.context, **doc.fit_steps[step], "present": present,
                                      "built": built})
            return renderer.layout(html, base=templates / Path(doc.template).parent,
                                   stylesheets=[templates / s for s in doc.stylesheets],
                                   roots=[templates, *doc.roots])

        layout = _largest_that_fits(attempt, len(doc.fit_steps), doc.fit_sizes, doc.fit_height_mm)
    except jinja2.TemplateError as exc:
        name, line = _template_position(exc)
        problems.append(problem("template-error", template=name, line=line, detail=exc.message or exc))
    except RenderFailure as exc:
        problems.append(problem(exc.code, **exc.values))
    def blocking() -> bool:  # a missing attachment still leaves a document with a marked blank
        return any(p.code != "fs-attachment-missing" for p in problems)

    if layout is not None and not blocking():
        width, height = doc.size_mm or layout.page_size_mm
        if layout.overflow_mm > 0 and not doc.paged:
            problems.append(problem("render-overflow", width=_num(width), height=_num(height),
                                    overflow=_num(layout.overflow_mm)))
        if layout.overflow_right_mm > 0.05:
            problems.append(problem("render-overflow-width", width=_num(width),
                                    overflow=_num(layout.overflow_right_mm)))
        page_text = _squash(layout.text)
        for text in doc.required_texts:
            if _squash(text) not in page_text:
                problems.append(problem("render-missing-text", text=text))
    if layout is None or blocking():
        target.unlink(missing_ok=True)  # never leave an outdated document looking current
        return None, problems
    identifier = hashlib.sha256(doc.path.encode()).hexdigest()[:32].encode()
    try:
        pdf = renderer.write(layout, identifier=identifier)
    except RenderFailure as exc:
        target.unlink(missing_ok=True)
        return None, [*problems, problem(exc.code, **exc.values)]
    pdf = _place_attachments(doc, layout, pdf, output, present)
    try:
        write_atomic(target, pdf)
    except OSError as exc:
        return None, [*problems, problem("write-failed", path=target, detail=exc.strerror or exc)]
    if doc.pdf_expect is not None and doc.rule_date is not None:
        from .rules.pdf_label import check_label_pdf  # pypdfium2 and zxing-cpp: only when building

        for finding in check_label_pdf(pdf, doc.pdf_expect):
            found = rules.to_problem(finding, doc.rule_date, file=doc.source, line=None,
                                     field=doc.source_field, document=doc.path)
            if found is not None:
                problems.append(found)
    for detail in dict.fromkeys(layout.warnings):  # once each, in order
        problems.append(replace(problem("render-warning", detail=detail), severity="warning"))
    return Built(doc, hashlib.sha256(pdf).hexdigest(), layout.pages, layout.page_size_mm), problems


def _place_attachments(doc: Plan, layout: Layout, pdf: bytes, output: Path,
                       present: dict[str, bool]) -> bytes:
    """Draw each attached PDF (a label) into the box its slot element occupies."""
    wanted = {a.slot for a in doc.attachments if present[a.slot]}
    if not wanted:
        return pdf
    from .compose import Placement, place  # pypdf: only when a document embeds another
    boxes = element_boxes(layout, wanted)
    placements = [Placement(*boxes[a.slot], pdf=(output / a.path).read_bytes())
                  for a in doc.attachments if a.slot in boxes]
    return place(pdf, placements)


FIT_FIXED_IDS = {"fit-fixed-head", "fit-fixed-codes"}
"""Blocks whose height does not follow the body type size (name, quantity, barcodes)."""


def _largest_that_fits(attempt: Callable[[int], Layout], steps: int, sizes: list[float],
                       available_mm: float) -> Layout:
    """Return the layout of the first (largest-type) step that fits, in few attempts.

    Step 0 is tried first because most documents fit at their designed size. Otherwise the
    first layout gives a guess: the blocks marked fixed keep their height, and the rest, text
    set in the body size, grows with about the square of it. The search walks down from the
    guess; when even the last step overflows, its layout is returned so that the caller can
    say by how much.
    """
    layout = attempt(0)
    if layout.overflow_mm == 0 or steps == 1:
        return layout
    fixed = sum(box[4] for box in element_boxes(layout, FIT_FIXED_IDS).values()) * 25.4 / 72
    flowing = available_mm + layout.overflow_mm - fixed
    room = available_mm - fixed
    ratio = room / flowing if flowing > 0 and room > 0 else 0.0
    guess = sizes[0] * ratio**0.5
    index = next((i for i in range(1, steps) if sizes[i] <= guess), steps - 1)
    for step in range(index, steps):
        layout = attempt(step)
        if layout.overflow_mm == 0:
            break
    return layout


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _template_position(exc: jinja2.TemplateError) -> tuple[str, int | str]:
    """Find the template file and line of a Jinja error, syntax or runtime."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.name or exc.filename or "?", exc.lineno
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".css", ".j2")):
            return frame.filename, frame.lineno or "?"
    return "?", "?"


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


def manifest(result: BuildResult, state: State) -> str:
    """Return ``manifest.json``: every document in the output folder and every problem found."""
    data = {"version": MANIFEST_VERSION,
            "documents": [e.as_json(path) for path, e in sorted(state.documents.items())],
            "problems": [p.as_json() for p in result.problems]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
