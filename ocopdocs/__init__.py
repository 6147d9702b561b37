"""ocopdocs: print-ready labels and filing documents for Vietnamese OCOP products.

Public API: :func:`build` and :func:`check` (the pipeline), :func:`load_project` (read and
validate a products folder), and :class:`OcopError`, the base of user-facing errors. The
pipeline is imported when first asked for (start-up speed): importing any module of the
package, as the command line does, does not load it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import OcopError, Problem

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .loader import load_project
    from .pipeline import build, check

__all__ = ["OcopError", "Problem", "__version__", "build", "check", "load_project"]


def __getattr__(name: str) -> Any:
    if name == "load_project":
        from .loader import load_project

        return load_project
    if name in ("build", "check"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
