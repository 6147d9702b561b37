"""The output folder's own names and its lock: what the command line needs before it loads anything.

One build at a time writes to an output folder: :func:`locked` holds an advisory lock on
:data:`LOCK` inside it; a second build waits, then gives up with a message. Kept apart from
:mod:`ocopdocs.output` (documents, state, manifest) so that a build with nothing to do
(:mod:`ocopdocs.noop`) takes the lock without loading the rest of ocopdocs.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import OutputError
from .messages import os_error, t

try:  # POSIX; elsewhere builds are not locked against each other
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

MANIFEST = "manifest.json"
REPORT = "index.html"
"""The readiness report's page (:mod:`ocopdocs.report`)."""
DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
"""The templates of a checkout; the report falls back on them for a folder without its own."""
CACHE_FOLDER = ".ocopdocs-cache"
"""What builds keep to go faster, never a document: deleting it only makes the next build slower."""
LOCK = ".ocopdocs.lock"
LOCK_WAIT = 600.0
"""Seconds a second build waits for the first (a province's cold build takes about two minutes)."""


def size_and_time(path: Path) -> tuple[int, int] | None:
    """A file's size and modification time, or None when it is gone.

    A file someone replaced or touched since it was written is written again.
    """
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def unwritable(path: Path, exc: OSError) -> OutputError:
    """The error of a file that cannot be written: where and why, in the user's language."""
    return OutputError(t("output-unwritable", path=path, reason=os_error(exc)))


_HELD: dict[Path, int] = {}
_HELD_LOCK = threading.Lock()


@contextmanager
def locked(output: Path, *, wait: float = LOCK_WAIT,
           waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock: one build at a time writes into it.

    A second build calls ``waiting`` with the holder's process id once, waits up to ``wait``
    seconds, then raises :class:`OutputError`. The lock is the kernel's (``flock``), so a build
    that is killed releases it; it is re-entrant within a process (the command line holds it
    across the build, the report and the bundles). Creating the lock file is also the first
    write: a read-only or missing folder fails here, in words, before any work.
    """
    try:
        key = output.resolve()
    except (OSError, RuntimeError) as exc:  # a link loop
        raise OutputError(t("output-unwritable", path=output, reason=t("os-error-loop"))) from exc
    with _HELD_LOCK:
        depth = _HELD.get(key, 0)
        if depth:
            _HELD[key] = depth + 1
    if depth:
        try:
            yield
        finally:
            with _HELD_LOCK:
                _HELD[key] -= 1
        return
    path = output / LOCK
    try:
        output.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        raise unwritable(path, exc) from exc
    try:
        if fcntl is not None and not _try_lock(fd):
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            if waiting is not None:
                waiting(holder)
            deadline = time.monotonic() + wait
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    raise OutputError(t("output-busy", folder=output, seconds=f"{wait:g}"))
                time.sleep(0.2)
        with suppress(OSError):  # the holder's id, for the message of a build that waits
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        with _HELD_LOCK:
            _HELD[key] = 1
        try:
            yield
        finally:
            with _HELD_LOCK:
                del _HELD[key]
    finally:
        os.close(fd)  # releases the lock


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
