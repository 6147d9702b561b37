"""The last values used, kept between documents by a long-lived worker, so that its memory stays flat."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """Values by key, the least recently used dropped first; safe for a Dask worker's threads.

    The bound is given at each call, so that it is read where it is defined (a test may lower it).
    """

    def __init__(self) -> None:
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._values.clear()

    def get(self, key: K, make: Callable[[], V], limit: int,
            worth: Callable[[V], bool] = lambda value: True) -> V:
        """The value kept for ``key``, or ``make()``'s, kept if ``worth`` it among the last ``limit``.

        ``make`` runs outside the lock: two threads asking at once may both make the value.
        """
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()
        if worth(value):
            with self._lock:
                self._values[key] = value
                while len(self._values) > limit:
                    self._values.popitem(last=False)
        return value
