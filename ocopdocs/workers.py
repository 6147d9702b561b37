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
import math
import multiprocessing
import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from .documents import Fit, Plan
from .errors import ExecutorError, Problem, WorkerLost
from .folder import unwritable
from .messages import os_error, t
from .output import docx_path, write_atomic
from .pdfvariant import VARIANTS, PrintSetupError, find_cmyk_profile, rgb_uses
from .render import FitBox, Layout, Renderer, RenderFailure, element_boxes
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
    fit: dict[str, Any] | None = None
    """What the fit search chose, as the template received it (``{"body_pt", "layout"}``): a
    sheet of labels lays each out as its own PDF has it. Only for documents rendered in this build."""


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
                with _uninterrupted():  # the pool starts its processes here, in submit
                    self.running[pool.submit(_render_in_worker, _portable(doc), templates, folder)] = tag
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


def _portable(doc: Plan) -> Plan:
    """``doc`` with every path absolute: a worker elsewhere has another working folder."""
    return replace(doc, roots=[root.resolve() for root in doc.roots],
                   fitted=[_portable(part) for part in doc.fitted],
                   cmyk_profile=doc.cmyk_profile.resolve() if doc.cmyk_profile is not None else None)


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
    for family in doc.fonts:
        if not renderer.font_installed(family):
            problems.append(problem("render-font-missing", font=family))
    draft = doc.draft or not all(present.values()) or bool(unbuilt)
    cmyk = doc.pdf_variant is not None and VARIANTS[doc.pdf_variant].cmyk
    chosen: _Attempt | None = None
    if any(p.code == "render-font-missing" for p in problems):
        target.unlink(missing_ok=True)
        return None, problems
    fits: list[dict[str, Any]] = []  # the fit each part settled on (a label on a sheet)
    try:
        for part in doc.fitted:
            settled = _largest_fitting(part, {"cmyk": cmyk}, env, renderer, templates, doc)
            if settled.layout.overflow_mm > 0:
                width, height = part.size_mm or settled.layout.page_size_mm
                problems.append(problem("render-overflow", width=_num(width), height=_num(height),
                                        overflow=_num(settled.layout.overflow_mm)))
            fits.append(settled.fit)
        parts = {"fits": fits} if doc.fitted else {}  # else the context's own (predicted sizes)
        chosen = _largest_fitting(doc, {"present": present, "built": built, "draft": draft, "cmyk": cmyk,
                                        **parts}, env, renderer, templates, doc)
    except RenderFailure as exc:
        problems.append(problem(exc.code, **exc.values))

    def blocking() -> bool:  # a gap (a missing attachment) still leaves a document with a marked blank
        return any(p.severity == "error" for p in problems)

    layout = chosen.layout if chosen is not None else None
    if layout is not None and not blocking():
        width, height = doc.size_mm or layout.page_size_mm
        if layout.overflow_mm > 0 and not doc.paged:
            problems.append(problem("render-overflow", width=_num(width), height=_num(height),
                                    overflow=_num(layout.overflow_mm)))
        if layout.overflow_right_mm > RIGHT_TOLERANCE_MM:
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
        pdf = renderer.write(layout, identifier=identifier, created=doc.rule_date, bleed_mm=doc.bleed_mm)
    except RenderFailure as exc:
        target.unlink(missing_ok=True)
        return None, [*problems, problem(exc.code, **exc.values)]
    if cmyk:  # a press would convert a stray RGB colour on its own: refuse the file instead
        for use in rgb_uses(pdf):
            if use.what == "image":
                problems.append(problem("print-rgb-image", where=use.where, size=use.detail))
            else:
                problems.append(problem("print-rgb-colour", where=use.where, colour=use.detail))
        if blocking():
            target.unlink(missing_ok=True)
            return None, problems
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
        assert chosen is not None
        editable = html_to_docx(chosen.html, file_resolver([templates, *doc.roots]), title=doc.title)
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
    assert chosen is not None
    return Built(doc, hashlib.sha256(pdf).hexdigest(), layout.pages, layout.page_size_mm,
                 docx_sha256, chosen.fit or None), problems


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
    profile = None
    if doc.pdf_variant is not None and VARIANTS[doc.pdf_variant].srgb:  # PDF/A: CMYK needs a meaning
        with suppress(PrintSetupError):
            profile = find_cmyk_profile(doc.cmyk_profile).read_bytes()
    return place(pdf, placements, profile)


@dataclass
class _Attempt:
    """A layout the fit search tried, the HTML it laid out, and the fit the template received."""

    layout: Layout
    html: str
    fit: dict[str, Any]


def _largest_fitting(plan: Plan, values: dict[str, Any], env: jinja2.Environment,  # noqa: PLR0917
                     renderer: Renderer, templates: Path, doc: Plan) -> _Attempt:
    """``plan`` (a document, or a label of ``doc``'s sheet) laid out with the largest type that fits.

    ``values`` are added to the plan's context; the layout is made for ``doc``'s PDF variant.
    """
    template = env.get_template(plan.template)
    tried: list[_Attempt] = []

    def attempt(body_pt: Decimal | None, variant: str | None = None) -> Layout:
        fit = plan.fit.context(body_pt, variant) if plan.fit is not None else {}
        html = template.render(**{**plan.context, **fit, **values})
        laid_out = renderer.layout(html, base=templates / Path(plan.template).parent,
                                   stylesheets=[templates / s for s in plan.stylesheets],
                                   roots=[templates, *plan.roots], pdf_variant=doc.pdf_variant,
                                   cmyk_profile=doc.cmyk_profile)
        tried.append(_Attempt(laid_out, html, fit.get("fit", {})))
        return laid_out

    layout = fill(attempt, plan.fit) if plan.fit is not None else attempt(None)
    return next(a for a in tried if a.layout is layout)


_FOLDER_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}
"""Write errors of the output folder as a whole, not of one document."""


FIT_STEP = Decimal("0.1")
"""Body sizes are chosen to a tenth of a point."""
AIM = 0.985
"""Aim this far below the larger size a fitting layout predicts: one more layout costs more than 1.5 %."""
AIM_DOWN = 0.97
"""After an overflow, aim lower: the text under a float or a moved block makes it less even."""
LINE = 1.22
"""Line height of the body text, as a share of its size (label.css): an overflow by less than
a line is a line that wrapped at this size, and a step smaller is where it fits, about."""
PT_MM = 25.4 / 72
GROW_MIN = Decimal("0.3")
"""A layout that fits is laid out again larger only for this much more type: a layout costs more
than 0.3 pt of body text is worth, and a size that 0.5 pt more would still fit is rarely left."""
MAX_LAYOUTS = 4
"""Layouts of one variant at most."""
BISECT_GAP = Decimal("0.5")
"""Between a size that fits and one that overflows, a gap this wide is halved once more."""
RIGHT_TOLERANCE_MM = 0.05
"""Content reaching this little past the right edge is rounding, not overflow."""


def fill(attempt: Callable[[Decimal, str], Layout], fit: Fit) -> Layout:
    """Return the layout with about the largest body size that fits, in one or two layouts.

    Each layout variant is tried in turn, the one predicted to take the largest type first, and
    the next only when one does not fit even at the smallest size. The first layout of a variant
    is at the size predicted from the text. Measured, it predicts better: the text set in the
    body size grows with about the square of it, the rest keeps its height. A layout that fits
    and leaves room is followed by one at the larger predicted size, when that is at least
    :data:`GROW_MIN` larger; one that overflows by less than a line by one a step smaller, else by
    smaller ones until one fits or the smallest size is reached, whose layout is then returned so
    that the caller can say by how much it overflows. Between a size that fits and one that
    overflows, a gap wider than :data:`BISECT_GAP` is halved, within :data:`MAX_LAYOUTS`.
    """
    layout: Layout | None = None
    for variant, guess in fit.choices:
        layout = _fill_one(partial(_with_layout, attempt, variant), fit, guess)
        if layout.overflow_mm == 0 and layout.overflow_right_mm <= RIGHT_TOLERANCE_MM:
            break
    assert layout is not None
    return layout


def _with_layout(attempt: Callable[[Decimal, str], Layout], variant: str, size: Decimal) -> Layout:
    return attempt(size, variant)


def _fill_one(attempt: Callable[[Decimal], Layout], fit: Fit, guess: Decimal) -> Layout:
    """The largest-type layout of one variant (see :func:`fill`)."""
    size = _clamp(guess, fit)
    layout = attempt(size)
    count = 1
    best: tuple[Decimal, Layout] | None = (size, layout) if layout.overflow_mm == 0 else None
    ceiling = None if best else size  # the smallest size known to overflow
    grown = False
    while count < MAX_LAYOUTS and layout.fit is not None:
        if best is not None and ceiling is not None:  # between a fit and an overflow: halve the gap
            if ceiling - best[0] < BISECT_GAP:
                break
            target = _floor(float(best[0] + ceiling) / 2)
        elif best is not None:  # it fits: grow once to the predicted size, unless it is about this one
            target = _clamp(_floor(_predicted(size, layout.fit) * AIM), fit)
            if target - size < GROW_MIN or grown:
                break
            grown = True
        else:  # it overflows: shrink, at least a step, unless at the smallest
            target = size - FIT_STEP
            if layout.overflow_mm >= LINE * float(size) * PT_MM:  # more than a line that wrapped
                target = min(_floor(_predicted(size, layout.fit) * AIM_DOWN), target)
            target = _clamp(target, fit)
            if target >= size:
                break
        layout, size = attempt(target), target
        count += 1
        if layout.overflow_mm == 0:
            best = (size, layout)
        else:
            ceiling = size if ceiling is None else min(ceiling, size)
    return best[1] if best is not None else layout


def _predicted(size: Decimal, box: FitBox) -> float:
    """The body size at which the content measured at ``size`` would just fill ``box``.

    The flow (text set in the body size) grows with the square of the size; the rest keeps its
    height: what stands above or below the flow, and a column beside it, which must fit too.
    """
    others = box.content_mm - max(box.flow_mm, box.beside_mm)
    room = box.room_mm - others
    if box.flow_mm <= 0 or room <= 0:
        return float(size) if box.content_mm <= box.room_mm else 0.0
    if box.beside_mm > room:  # the column beside overflows on its own: only the head can shrink
        return float(size) * box.room_mm / box.content_mm
    return float(size) * math.sqrt(room / box.flow_mm)


def _floor(size: float) -> Decimal:
    return (Decimal(str(size)) / FIT_STEP).to_integral_value(rounding=ROUND_FLOOR) * FIT_STEP


def _clamp(size: Decimal, fit: Fit) -> Decimal:
    return max(fit.min_pt, min(fit.max_pt, size))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",")
