"""Document kinds. Each module plans the documents a product needs and builds their contexts.

A :class:`Kind` says what a document kind is to the rest of ocopdocs: its planner, when it is
built, which problems keep it from being built and which its report column shows. Every kind
is listed once, in :data:`ocopdocs.documents.kinds.KINDS`; the build, the report, the bundles
and the command line read that list and nothing else.

A :class:`Plan` is plain data (picklable, so it can go to a worker process): where the output
goes, which template renders it, the context, the type-size steps to try when content does
not fit, and the texts that must be found on the rendered page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from ..domain.label import LabelExpect
from ..errors import Area, Missing, Problem
from ..loader import ProductEntry
from ..yamlio import Loc, YamlDoc, format_loc

Stage = Literal["first", "embeds", "lists"]
"""When a kind is built: with the first documents, after the documents it embeds (a dossier
showing labels), or last, after every document it lists (the OCOP dossier's checklist)."""
STAGES: tuple[Stage, ...] = ("first", "embeds", "lists")


@dataclass(frozen=True)
class Blanks:
    """Makes the :class:`Missing` markers of one document, located in its product or producer file."""

    code: str
    product: YamlDoc | None
    producer: YamlDoc

    def need(self, value: Any, loc: Loc, what: str, *, producer: bool = False) -> Any:
        """``value``, or a marker when it is None, empty text or an empty list."""
        if value is None or value in ("", []):
            return self.missing(loc, what, producer=producer)
        return value

    def missing(self, loc: Loc, what: str, *, producer: bool = False, code: str | None = None,
                **values: str) -> Missing:
        """A marker for the field at ``loc`` (in ``producer.yaml`` when ``producer``).

        ``code`` and ``values`` report it under another rule than the document's blank rule.
        """
        doc = self.producer if producer or self.product is None else self.product
        return Missing(what, code or self.code, doc.display, doc.line_of(loc), format_loc(loc),
                       tuple(sorted(values.items())))


def markers(context: Any) -> list[Missing]:
    """Every :class:`Missing` in a context, in document order, each once."""
    found: dict[Missing, None] = {}

    def walk(value: Any) -> None:
        if isinstance(value, Missing):
            found[value] = None
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    walk(context)
    return list(found)


@dataclass(frozen=True)
class Fit:
    """The body sizes a document may take to fill its box, and its layouts with their predicted sizes.

    The template receives ``fit``: ``{"body_pt": Decimal, "layout": str}``. The renderer lays
    the first layout out at its predicted size, then at the size the measured layout predicts;
    the next layout is tried only when one does not fit even at ``min_pt``.
    """

    min_pt: Decimal
    """The smallest lawful body size."""
    max_pt: Decimal
    """The largest the design allows."""
    choices: tuple[tuple[str, Decimal], ...]
    """Layout variants (labels: ``stacked``, ``side``) and the size each is predicted to take
    from the text and the free area, before any layout; the largest first."""

    def context(self, body_pt: Decimal | None = None, layout: str | None = None) -> dict[str, Any]:
        """What the template receives (by default: the first layout at its predicted size)."""
        first, guess = self.choices[0]
        return {"fit": {"body_pt": guess if body_pt is None else body_pt, "layout": layout or first}}


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
    source_line: int | None = None
    """The line of ``source_field``, so that a problem found while rendering points at it."""
    fit: Fit | None = None
    """How the body type is sized to fill the document's box (labels); None: laid out once."""
    required_texts: list[str] = field(default_factory=list)
    """Texts that must be on the rendered page (catches clipping)."""
    stylesheets: list[str] = field(default_factory=list)
    """Stylesheets inside ``templates/``, parsed once per renderer."""
    roots: list[Path] = field(default_factory=list)
    """Folders the document may load files from, besides ``templates/``."""
    title: str = ""
    """PDF title."""
    size_mm: tuple[float, float] | None = None
    """Expected page size (a label's trim size), for messages."""
    bleed_mm: float | None = None
    """How far the page's BleedBox lies outside its TrimBox, for pages printed with a bleed."""
    fonts: list[str] = field(default_factory=list)
    """Font families the document is designed in: without one, it is not built (no substitute)."""
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
    """The date its rules are judged on: the label's print date, the declaration's date."""
    unbuilt: list[tuple[tuple[str, ...], Missing]] = field(default_factory=list)
    """Blanks printed only when one of these documents of the build is not there (a listed
    document that failed): reported when rendering, since only then is it known."""
    draft: bool = False
    """True when the document has a gap or an error: it carries the draft band on every page."""
    docx: bool = False
    """Also write an editable Word copy next to the PDF, from the same HTML (``build --docx``)."""
    pdf_variant: str | None = None
    """The PDF standard it is written to (``pdf/x-4``, ``pdf/a-3b``); None for plain PDF."""
    cmyk_profile: Path | None = None
    """The press condition's ICC profile, for a CMYK variant: its output intent."""
    fitted: list[Plan] = field(default_factory=list)
    """Documents whose own fit search runs first (the labels of an A4 sheet); the template
    receives ``fits``, the ``fit`` each settled on, so that each is set as on its own page
    (the context's ``fits``, their predicted sizes, stand in where no search runs)."""

    def fit_context(self) -> dict[str, Any]:
        """The template's ``fit`` at the predicted size, for a document laid out once (tests, previews)."""
        return self.fit.context() if self.fit is not None else {}

    @property
    def name(self) -> str:
        """A short name for progress lines and messages: ``htx-x/mien-dong label-500g``."""
        return f"{self.product or self.producer} {Path(self.path).stem}"


Planner = Callable[[list[ProductEntry], date], list[Plan]]
"""Plans the documents of a kind for the given products, judging certificates on the day given."""


@dataclass(frozen=True)
class Kind:
    """A document kind: how it is planned and built, and what the report shows of it."""

    id: str
    """As in ``--only`` and the manifest: ``label``; its name is the message ``kind-<id>``."""
    plan: Planner
    applies: Callable[[ProductEntry, date], bool]
    """Whether a product has documents of this kind on a day (asked of products kept out by errors)."""
    stage: Stage = "first"
    blocked_by: frozenset[Area] = frozenset({"input", "label"})
    """Areas whose errors in a product's or its producer's file keep its documents unplanned."""
    shows: frozenset[Area] = frozenset()
    """Areas whose problems its report column shows (besides the problems of its documents)."""
    producer_file_only: bool = False
    """True for a producer's document: it shows only the problems found in ``producer.yaml``."""
    artwork: bool = False
    """Print artwork (labels, label sheets, stamps) rather than a filed dossier: PDF/X applies
    to it, PDF/A to the others (``build --pdf-variant``)."""

    @property
    def name_key(self) -> str:
        """The message key of the kind's name."""
        return f"kind-{self.id}"

    def shows_problem(self, problem: Problem, product_file: str, producer_file: str) -> bool:
        """Whether a data problem (not tied to a document) concerns this kind's documents of a product."""
        if problem.document is not None or problem.file not in (product_file, producer_file):
            return False
        if self.producer_file_only and problem.file != producer_file:
            return False
        return problem.area in self.shows
