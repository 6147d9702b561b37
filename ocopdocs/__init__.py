"""ocopdocs: print-ready labels and filing documents for Vietnamese OCOP products.

Public API: :func:`build` and :func:`check` (the pipeline), :func:`load_project` (read and
validate a products folder), and :class:`OcopError`, the base of user-facing errors.
"""

__version__ = "0.1.0"

from .errors import OcopError, Problem
from .loader import load_project
from .pipeline import build, check

__all__ = ["OcopError", "Problem", "__version__", "build", "check", "load_project"]
