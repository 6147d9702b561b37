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
from .errors import Problem
from .messages import os_error, t
from .output import docx_path, unwritable, write_atomic
from .pdfvariant import VARIANTS, rgb_uses
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


_WORKER: tuple[jinja2.Environment, Renderer] | None = None


def _start_worker(templates: str) -> None:
    """In each worker process: one Jinja environment and one renderer, kept for every task."""
    global _WORKER  # noqa: PLW0603 - the process's own renderer, created once
    # Ctrl-C reaches every process of the terminal: the parent stops the build and lets each
    # worker finish its document, so a worker never dies with a KeyboardInterrupt traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER = (make_env(Path(templates)), Renderer())


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
    assert _WORKER is not None
    env, renderer = _WORKER
    return render_one(doc, env, renderer, Path(templates), Path(output))


class Workers:
    """Render documents here or in a pool of worker processes, yielding results as they come.

    Workers are started with "spawn", so none inherits a WeasyPrint that was imported before
    the fork (WeasyPrint issue 684); each imports it once and keeps its fonts and CSS.
    """

    def __init__(self, jobs: int, templates: Path, renderer: Renderer | None) -> None:
        self.jobs, self.templates, self.renderer = jobs, templates, renderer
        self.pool: concurrent.futures.ProcessPoolExecutor | None = None
        self.futures: dict[concurrent.futures.Future[tuple[Built | None, list[Problem]]], Any] = {}
        self.yielded: set[concurrent.futures.Future[tuple[Built | None, list[Problem]]]] = set()

    def __enter__(self) -> Workers:
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
        with _uninterrupted():  # the pool starts its processes here, in submit
            if self.pool is None:
                self.pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker, initargs=(str(self.templates),))
            futures = {self.pool.submit(_render_in_worker, doc, str(self.templates), str(output)): tag
                       for doc, tag in zip(docs, tags, strict=True)}
        self.futures.update(futures)
        for future in concurrent.futures.as_completed(futures):
            self.yielded.add(future)
            yield futures[future], future.result()

    def finish(self) -> list[tuple[Any, tuple[Built | None, list[Problem]]]]:
        """After an interruption: cancel what has not started, let each worker finish its document.

        Returns the results not yielded yet, so that the caller records every file written.
        """
        if self.pool is None:
            return []
        self.pool.shutdown(wait=True, cancel_futures=True)
        return [(tag, future.result()) for future, tag in self.futures.items()
                if future not in self.yielded and future.done() and not future.cancelled()
                and future.exception() is None]


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
    cmyk = doc.pdf_variant is not None and VARIANTS[doc.pdf_variant].cmyk
    layout: Layout | None = None
    rendered: list[str] = []  # the HTML of each attempt: the last is the one laid out
    try:
        template = env.get_template(doc.template)

        def attempt(step: int) -> Layout:
            html = template.render(**{**doc.context, **doc.fit_steps[step], "present": present,
                                      "built": built, "draft": draft, "cmyk": cmyk})
            rendered.append(html)
            return renderer.layout(html, base=templates / Path(doc.template).parent,
                                   stylesheets=[templates / s for s in doc.stylesheets],
                                   roots=[templates, *doc.roots], pdf_variant=doc.pdf_variant,
                                   cmyk_profile=doc.cmyk_profile)

        layout = _largest_that_fits(attempt, len(doc.fit_steps), doc.fit_sizes)
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
        pdf = renderer.write(layout, identifier=identifier, created=doc.rule_date)
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


def _largest_that_fits(attempt: Callable[[int], Layout], steps: int, sizes: list[float]) -> Layout:
    """Return the layout of the first (largest-type) step that fits, in few attempts.

    Step 0 is tried first because most documents fit at their designed size. Otherwise the
    first layout gives a guess: the blocks marked fixed keep their height, and the rest, text
    set in the body size, grows with about the square of it. The search walks down from the
    guess; when even the last step overflows, its layout is returned so that the caller can
    say by how much.
    """
    layout = attempt(0)
    if layout.overflow_mm == 0 or steps == 1 or layout.fit is None:
        return layout
    fit = layout.fit
    flowing = fit.content_mm - fit.fixed_mm
    room = fit.room_mm - fit.fixed_mm
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
