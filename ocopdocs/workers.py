"""Rendering documents: here or in worker processes, each with the largest type that fits.

Workers are started with "spawn" (WeasyPrint must not be imported before a fork, WeasyPrint
issue 684); each keeps one Jinja environment and one renderer (fonts, parsed CSS) for every
document it renders. A document is written, atomically, only when nothing is wrong with it;
a label is then read back and checked by the PDF rules.
"""

from __future__ import annotations

import concurrent.futures
import errno
import hashlib
import multiprocessing
import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from .documents import Plan
from .errors import ExecutorError, Problem, WorkerLost
from .folder import unwritable
from .messages import os_error, t
from .output import docx_path, write_atomic
from .render import Layout, Renderer, RenderFailure, element_boxes
from .rules import Dates, to_problem
from .rules.findings import Finding
from .rules.run import run_pdf
from .templating import make_env


@dataclass
class Built:
    """A document written to the output folder."""

    plan: Plan
    sha256: str
    pages: int
    page_size_mm: tuple[float, float]
    docx_sha256: str | None = None
    """The editable copy's sha256, when the plan asks for one."""


_WORKER = threading.local()
"""In a worker (a process of the pool, a thread of a Dask worker): its Jinja environment and renderer."""


def _start_worker(templates: str) -> None:
    """In each worker process of the pool: ignore Ctrl-C, set up the renderer before the first task."""
    # Ctrl-C reaches every process of the terminal: the parent stops the build and lets each
    # worker finish its document, so a worker never dies with a KeyboardInterrupt traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker(templates)


def _worker(templates: str) -> tuple[jinja2.Environment, Renderer]:
    """This thread's environment and renderer, made on its first document and kept for every other."""
    kept: tuple[str, jinja2.Environment, Renderer] | None = getattr(_WORKER, "kept", None)
    if kept is None or kept[0] != templates:
        kept = (templates, make_env(Path(templates)), Renderer())
        _WORKER.kept = kept
    return kept[1], kept[2]


@contextmanager
def _uninterrupted() -> Iterator[None]:
    """Ignore Ctrl-C while worker processes start: they inherit the ignoring from their first instant."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _render_in_worker(doc: Plan, templates: str, output: str) -> tuple[Built | None, list[Problem]]:
    env, renderer = _worker(templates)
    return render_one(doc, env, renderer, Path(templates), Path(output))


Result = tuple[Built | None, list[Problem]]
DASK = re.compile(r"dask://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(?P<port>[0-9]{1,5})")
"""``--executor dask://HOST:PORT``: a Dask distributed scheduler (host name, IPv4, or IPv6 in brackets)."""


def executor_address(value: str) -> str | None:
    """The scheduler's ``tcp://`` address for ``dask://HOST:PORT``, or None when ``value`` is not one."""
    match = DASK.fullmatch(value)
    if match is None or not 0 < int(match["port"]) < 65536:
        return None
    return f"tcp://{match['host']}:{int(match['port'])}"


class Workers:
    """Render documents here or through a :class:`concurrent.futures.Executor`, yielding results as they come.

    Locally, the executor is a pool of worker processes started with "spawn", so none inherits
    a WeasyPrint that was imported before the fork (WeasyPrint issue 684); each imports it
    once and keeps its fonts and CSS. With ``executor`` (``dask://HOST:PORT``), it is the
    executor of a Dask distributed client: the workers must see the same ``templates/``,
    products and output folder at the same paths. Few documents at a time are handed to the
    executor (twice as many as it runs at once), so that stopping waits for those only, and
    none is written after the build has recorded what is in the folder.
    """

    def __init__(self, jobs: int, templates: Path, renderer: Renderer | None,
                 executor: str | None = None) -> None:
        self.jobs, self.templates, self.renderer = jobs, templates, renderer
        self.executor = executor
        self.pool: concurrent.futures.Executor | None = None
        self.client: Any = None
        self.window = 2 * max(1, jobs)
        self.running: dict[concurrent.futures.Future[Result], Any] = {}

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)  # every document handed over is finished or failed by now
        if self.client is not None:
            with suppress(Exception):  # a scheduler that is gone by now has nothing left to close
                self.client.close()

    def render(self, docs: list[Plan], output: Path, tags: list[Any]) -> Iterator[tuple[Any, Result]]:
        """Render ``docs``; yields (tag, result) in completion order.

        Raises :class:`~ocopdocs.errors.WorkerLost` when a worker stops before it answers (killed,
        out of memory, a Dask worker or scheduler gone), and :class:`~ocopdocs.errors.ExecutorError`
        when the Dask scheduler cannot be reached or Dask is not installed.
        """
        if not docs:
            return  # a no-op rebuild never loads WeasyPrint
        if not self._pooled(len(docs)):
            if self.renderer is None:
                self.renderer = Renderer()
            env = make_env(self.templates)
            for doc, tag in zip(docs, tags, strict=True):
                yield tag, render_one(doc, env, self.renderer, self.templates, output)
            return
        pool = self._start()
        templates, folder = str(self.templates.resolve()), str(output.resolve())
        waiting = list(zip(docs, tags, strict=True))[::-1]  # long documents first: taken from the end
        while waiting or self.running:
            while waiting and len(self.running) < self.window:
                doc, tag = waiting.pop()
                # a worker elsewhere has another working folder: every path it is given is absolute
                portable = replace(doc, roots=[root.resolve() for root in doc.roots])
                with _uninterrupted():  # the pool starts its processes here, in submit
                    self.running[pool.submit(_render_in_worker, portable, templates, folder)] = tag
            done, _ = concurrent.futures.wait(self.running, return_when=concurrent.futures.FIRST_COMPLETED)
            for future in [f for f in self.running if f in done]:  # in the order they were handed over
                tag = self.running.pop(future)
                yield tag, _outcome(future)

    def _pooled(self, count: int) -> bool:
        """Whether ``count`` documents go to the executor (a few render faster here)."""
        return self.executor is not None or (self.jobs > 1 and count >= 2 * self.jobs)

    def start(self, count: int) -> None:
        """Before ``count`` documents are rendered: start the executor they need, connecting to Dask."""
        if self._pooled(count):
            self._start()

    def _start(self) -> concurrent.futures.Executor:
        if self.pool is not None:
            return self.pool
        if self.executor is None:
            with _uninterrupted():
                self.pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker, initargs=(str(self.templates.resolve()),))
            return self.pool
        self.client = _connect(self.executor)
        self.window = 2 * max(1, sum(self.client.nthreads().values()))
        self.pool = self.client.get_executor(pure=False)  # every task renders, even one like another
        return self.pool

    def finish(self) -> list[tuple[Any, Result]]:
        """After a stop: wait for the documents handed over, none of which is cancelled once begun.

        Returns the results not yielded yet that are documents, so that the caller records every
        file written; a document whose worker was lost is left out.
        """
        running, self.running = self.running, {}
        concurrent.futures.wait(running)
        finished = []
        for future, tag in running.items():
            with suppress(Exception, concurrent.futures.CancelledError):
                finished.append((tag, _outcome(future)))
        return finished


def _outcome(future: concurrent.futures.Future[Result]) -> Result:
    """The future's result; a worker that is gone (not a bug in a document) is :class:`WorkerLost`."""
    try:
        return future.result()
    except concurrent.futures.CancelledError as exc:  # a Dask client cancels what its scheduler lost
        raise WorkerLost(t("executor-lost", detail=t("executor-cancelled"))) from exc
    except concurrent.futures.BrokenExecutor as exc:  # a worker process of the pool was killed
        raise WorkerLost(t("executor-lost", detail=str(exc) or type(exc).__name__)) from exc
    except Exception as exc:
        if type(exc).__module__.split(".")[0] == "distributed":  # KilledWorker, CommClosedError…
            raise WorkerLost(t("executor-lost", detail=f"{type(exc).__name__}: {exc}")) from exc
        raise  # a bug in ocopdocs, or the output folder refusing a file: the caller knows them


def _connect(address: str) -> Any:
    """A Dask distributed client of the scheduler at ``dask://HOST:PORT``, or an ExecutorError in words."""
    scheduler = executor_address(address)
    if scheduler is None:
        raise ExecutorError(t("executor-invalid", value=address))
    try:
        from distributed import Client  # the optional `cluster` group; imported only for --executor
    except ImportError as exc:
        raise ExecutorError(t("executor-missing", value=address)) from exc
    try:
        # how long to try is Dask's own setting (distributed.comm.timeouts.connect)
        return Client(scheduler, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        detail = str(exc) or type(exc).__name__
        raise ExecutorError(t("executor-unreachable", address=address, detail=detail)) from exc


def render_one(doc: Plan, env: jinja2.Environment, renderer: Renderer, templates: Path,
               output: Path) -> tuple[Built | None, list[Problem]]:
    """Render ``doc``, trying smaller type until it fits; write it only if nothing is wrong."""
    target = output / doc.path
    problems: list[Problem] = []

    def problem(code: str, **values: object) -> Problem:
        return Problem(doc.source, doc.source_line, doc.source_field, code,
                       t(code, document=doc.path, **values), "error", doc.path)

    present = {a.slot: (output / a.path).is_file() for a in doc.attachments}
    built = [path for path in doc.reports_on if (output / path).is_file()]
    unbuilt = [blank for files, blank in doc.unbuilt if not all(f in built for f in files)]
    for blank in unbuilt:
        found = to_problem(Finding(blank.code, {"field": blank.field, **dict(blank.values)}),
                           Dates.on(doc.rule_date or date.today()), file=blank.file, line=blank.line,
                           field=blank.field, document=doc.path)
        problems.extend([found] if found else [])
    for attachment in doc.attachments:
        if not present[attachment.slot] and doc.rule_date is not None:
            missing = to_problem(Finding("fs-attachment-missing", {"attachment": attachment.path}),
                                 Dates.on(doc.rule_date), file=doc.source, line=doc.source_line,
                                 field=doc.source_field, document=doc.path)
            problems.extend([missing] if missing else [])
    draft = doc.draft or not all(present.values()) or bool(unbuilt)
    layout: Layout | None = None
    rendered: list[str] = []  # the HTML of each attempt: the last is the one laid out
    try:
        template = env.get_template(doc.template)

        def attempt(step: int) -> Layout:
            html = template.render(**{**doc.context, **doc.fit_steps[step], "present": present,
                                      "built": built, "draft": draft})
            rendered.append(html)
            return renderer.layout(html, base=templates / Path(doc.template).parent,
                                   stylesheets=[templates / s for s in doc.stylesheets],
                                   roots=[templates, *doc.roots])

        layout = _largest_that_fits(attempt, len(doc.fit_steps), doc.fit_sizes, doc.fit_height_mm)
    except RenderFailure as exc:
        problems.append(problem(exc.code, **exc.values))
    def blocking() -> bool:  # a gap (a missing attachment) still leaves a document with a marked blank
        return any(p.severity == "error" for p in problems)

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
    if doc.pdf_expect is not None and doc.rule_date is not None:
        problems += run_pdf(pdf, doc.pdf_expect, Dates.on(doc.rule_date), file=doc.source,
                            line=doc.source_line, field=doc.source_field, document=doc.path)
        if blocking():  # a label the rules find unlawful is not written
            target.unlink(missing_ok=True)
            return None, problems
    try:
        write_atomic(target, pdf)
    except OSError as exc:
        with suppress(OSError):
            target.unlink(missing_ok=True)  # never an outdated document left looking current
        if exc.errno in _FOLDER_ERRORS:  # the output folder takes nothing more: stop the build
            raise unwritable(target, exc) from exc
        return None, [*problems, problem("write-failed", path=target, detail=os_error(exc))]
    docx_sha256 = None
    if doc.docx:
        from .docx import file_resolver, html_to_docx  # python-docx: only for builds that ask for it
        editable = html_to_docx(rendered[-1], file_resolver([templates, *doc.roots]), title=doc.title)
        copy = output / docx_path(doc.path)
        try:
            write_atomic(copy, editable)
        except OSError as exc:
            with suppress(OSError):
                target.unlink(missing_ok=True)  # the PDF without its asked-for copy is not built
            if exc.errno in _FOLDER_ERRORS:
                raise unwritable(copy, exc) from exc
            return None, [*problems, problem("write-failed", path=copy, detail=os_error(exc))]
        docx_sha256 = hashlib.sha256(editable).hexdigest()
    for detail in dict.fromkeys(layout.warnings):  # once each, in order
        problems.append(replace(problem("render-warning", detail=detail), severity="warning"))
    return Built(doc, hashlib.sha256(pdf).hexdigest(), layout.pages, layout.page_size_mm,
                 docx_sha256), problems


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


_FOLDER_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}
"""Write errors of the output folder as a whole, not of one document."""

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
