"""Where each document goes in the output folder: the one place that names output files.

Paths are ``<producer>/<product>/<file>`` for a product's documents and ``<producer>/<file>``
for the producer's; dossiers that show or list other documents find them here.
"""

from __future__ import annotations

from ..loader import ProductEntry
from ..schema import Package
from .food_safety import route
from .trademark import Application

DECLARATION_FILE = "food-safety-declaration.pdf"
APPLICATION_FILE = "food-safety-certificate-application.pdf"
EXEMPTION_FILE = "food-safety-exemption-note.pdf"
COMMITMENT_FILE = "food-safety-commitment.pdf"
REGISTRATION_FILE = "food-safety-registration.pdf"
TRADEMARK_FILE = "trademark-application.pdf"
RULES_OF_USE_FILE = "trademark-rules-of-use.pdf"
OCOP_DOSSIER_FILE = "ocop-dossier.pdf"


def label_path(entry: ProductEntry, package: Package) -> str:
    """The label of one packaging variant."""
    return f"{entry.id}/label-{package.sku}.pdf"


def sheet_path(entry: ProductEntry, skus: list[str]) -> str:
    """An A4 sheet of labels: of one variant, or of several sharing it (``sheet-500g+200g.pdf``)."""
    return f"{entry.id}/sheet-{'+'.join(skus)}.pdf"


def declaration_path(entry: ProductEntry) -> str | None:
    """The product's self-declaration, or None when it takes another route."""
    assert entry.model is not None
    return f"{entry.id}/{DECLARATION_FILE}" if route(entry.model) == "self_declaration" else None


def certificate_path(producer: str, exempt: bool, *, commitment: bool = False) -> str:
    """The producer's certificate application, its exemption note, or its commune commitment."""
    if commitment:
        return f"{producer}/{COMMITMENT_FILE}"
    return f"{producer}/{EXEMPTION_FILE if exempt else APPLICATION_FILE}"


def registration_path(entry: ProductEntry) -> str | None:
    """The product's registration dossier, or None when it self-declares."""
    assert entry.model is not None
    return f"{entry.id}/{REGISTRATION_FILE}" if route(entry.model) == "registration" else None


def trademark_path(application: Application) -> str:
    """A trademark application form."""
    return f"{application.out_dir}/{TRADEMARK_FILE}"


def rules_of_use_path(application: Application) -> str:
    """The rules of use of a collective or certification mark."""
    return f"{application.out_dir}/{RULES_OF_USE_FILE}"


def dossier_path(entry: ProductEntry) -> str:
    """The product's OCOP dossier."""
    return f"{entry.id}/{OCOP_DOSSIER_FILE}"
