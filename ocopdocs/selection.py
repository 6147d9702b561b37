"""What ``--products`` names: a products folder, one producer folder or one product file.

Apart from :mod:`ocopdocs.loader`, which reads and validates the files, so that the command line
can tell what a build will read before it loads anything (:mod:`ocopdocs.noop`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PRODUCER_FILE = "producer.yaml"


@dataclass(frozen=True)
class Selection:
    """What ``--products`` names inside its products folder: everything, one producer or one product.

    The whole folder is still read and checked (the checks across files need every product);
    only the selected products' documents are built and their problems reported.
    """

    producer: str | None = None
    """The producer folder's name, or None for every producer."""
    product: str | None = None
    """The product file's stem inside that folder, or None for all of its products."""

    @property
    def everything(self) -> bool:
        """True when nothing is left out."""
        return self.producer is None

    def has(self, producer: str, product: str | None) -> bool:
        """True for a document of ``producer`` about ``product`` (``producer/product``, or None).

        A producer's own documents (product None) belong to a producer selection, not to a
        product selection.
        """
        if self.producer is None:
            return True
        if producer != self.producer:
            return False
        return self.product is None or product == f"{self.producer}/{self.product}"


def locate(path: Path) -> tuple[Path, Selection]:
    """The products folder and the selection that ``--products path`` names.

    ``path`` is a products folder (folders of producers), a producer folder (it holds
    ``producer.yaml`` or product files) or one product file.
    """
    if path.is_file():
        folder = path.resolve().parent
        if path.name == PRODUCER_FILE:
            return folder.parent, Selection(folder.name)
        return folder.parent, Selection(folder.name, path.stem)
    if path.is_dir() and ((path / PRODUCER_FILE).is_file()
                          or any(not p.name.startswith(".") for p in path.glob("*.yaml"))):
        return path.resolve().parent, Selection(path.resolve().name)
    return path, Selection()
