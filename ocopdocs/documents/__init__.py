"""Document kinds. Each module plans the documents a product needs and builds their contexts.

A :class:`Plan` is plain data (picklable, so it can go to a worker process): where the output
goes, which template renders it, the context, the type-size steps to try when content does
not fit, and the texts that must be found on the rendered page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..rules.findings import LabelExpect


@dataclass(frozen=True)
class Attachment:
    """Another document placed, as vector art, into a box of this one (a label in a dossier)."""

    slot: str
    """The id of the element whose box receives it."""
    path: str
    """Its path in the output folder; it is built earlier in the same build."""


@dataclass
class Plan:
    """One document to render."""

    kind: str
    """Document kind, as in ``--only`` and the manifest: ``label``."""
    product: str | None
    """``producer/product``; None for documents about the producer as a whole."""
    variant: str | None
    """Packaging variant (SKU) for per-variant documents."""
    path: str
    """Output path relative to the output folder."""
    template: str
    """Template name inside ``templates/``."""
    source: str
    """The product file, for problems."""
    source_field: str
    """The field of the product file the document comes from: ``packages[0]``."""
    context: dict[str, Any]
    """What the template receives."""
    fit_steps: list[dict[str, Any]] = field(default_factory=lambda: [{}])
    """Context overrides tried in order until the content fits (smaller type each time)."""
    fit_sizes: list[float] = field(default_factory=lambda: [1.0])
    """The type size of each fit step (any unit), to guess the step that fits."""
    fit_height_mm: float = 0.0
    """Height available to the content, to turn an overflow into a guess."""
    required_texts: list[str] = field(default_factory=list)
    """Texts that must be on the rendered page (catches clipping)."""
    stylesheets: list[str] = field(default_factory=list)
    """Stylesheets inside ``templates/``, parsed once per renderer."""
    roots: list[Path] = field(default_factory=list)
    """Folders the document may load files from, besides ``templates/``."""
    title: str = ""
    """PDF title."""
    size_mm: tuple[float, float] | None = None
    """Expected page size, for messages."""
    producer: str = ""
    """The producer's folder name."""
    paged: bool = False
    """True for documents that may run over several pages (dossiers); labels are one page."""
    attachments: list[Attachment] = field(default_factory=list)
    """Documents to place into boxes of this one."""
    reports_on: list[str] = field(default_factory=list)
    """Other documents of the build whose presence this one states (a dossier's checklist);
    the template receives ``built``, those of them that were written."""
    inputs: list[Path] = field(default_factory=list)
    """Files whose bytes the document depends on beyond its context (images it loads)."""
    pdf_expect: LabelExpect | None = None
    """What the rendered PDF must show, for the PDF rules (labels)."""
    rule_date: date | None = None
    """The date that picks the rule set: the label's print date."""

    @property
    def name(self) -> str:
        """A short name for progress lines and messages: ``htx-x/mien-dong label-500g``."""
        return f"{self.product or self.producer} {Path(self.path).stem}"
