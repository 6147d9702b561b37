"""Trademark facts: the applications a product or producer files, their marks and their goods.

An application is one ``trademark`` section, in a product file for that product or in
``producer.yaml`` for a mark covering the producer's products. This module answers what the
application form and the rules need: the filing date, the mark sample file, place names that
need the provincial permission, the usual Nice class of a good, the goods by class, the fees,
and the fields the form needs that the files do not give.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from ..law import trademark_law
from ..loader import ProductEntry
from ..markimage import MarkFile, Refused, inspect, resolve
from ..schema import Producer, Trademark
from ..yamlio import Loc, YamlDoc
from .fees import Fees, compute_fees


@dataclass(frozen=True)
class Application:
    """One trademark application: the mark, its applicant and the products it covers."""

    mark: Trademark
    producer: Producer
    producer_slug: str
    entries: tuple[ProductEntry, ...]
    """The products it covers: the product whose file holds it, or all the producer's products."""
    doc: YamlDoc
    """The file the trademark section is in."""
    in_producer: bool

    @property
    def folder(self) -> Path:
        """The producer's folder: the mark sample and the map are looked for there."""
        return self.doc.path.parent

    @property
    def product(self) -> str | None:
        """``producer/product`` for a product's mark, None for a producer's mark."""
        return None if self.in_producer else self.entries[0].id

    @property
    def out_dir(self) -> str:
        """Where its documents go in the output folder."""
        return self.product or self.producer_slug

    @property
    def sample(self) -> bool:
        """True for the fictional sample data."""
        return self.producer.sample or any(e.model is not None and e.model.sample for e in self.entries)


def applications(entries: list[ProductEntry]) -> list[Application]:
    """Every application among ``entries``: products' own marks, then one per producer mark."""
    found: list[Application] = []
    by_producer: dict[str, list[ProductEntry]] = {}
    for entry in entries:
        producer, product = entry.producer.model, entry.model
        assert producer is not None and product is not None
        if product.trademark is not None:
            found.append(Application(product.trademark, producer, entry.producer.slug, (entry,), entry.doc,
                                     False))
        by_producer.setdefault(entry.producer.slug, []).append(entry)
    for slug, group in sorted(by_producer.items()):
        producer = group[0].producer.model
        assert producer is not None
        if producer.trademark is not None:
            found.append(Application(producer.trademark, producer, slug, tuple(group), group[0].producer.doc,
                                     True))
    return sorted(found, key=lambda a: a.out_dir)


def marks_of(entry: ProductEntry) -> list[Application]:
    """The applications that concern one product: its own mark and its producer's."""
    producer, product = entry.producer.model, entry.model
    assert producer is not None and product is not None
    found = []
    if product.trademark is not None:
        found.append(Application(product.trademark, producer, entry.producer.slug, (entry,), entry.doc,
                                 False))
    if producer.trademark is not None:
        found.append(Application(producer.trademark, producer, entry.producer.slug, (entry,),
                                 entry.producer.doc, True))
    return found


def filing_date(mark: Trademark, as_of: date) -> date:
    """The filing date, or ``as_of`` when the file does not give it yet."""
    return mark.filing.date or as_of


def mark_sample(application: Application) -> MarkFile | Refused | None:
    """The mark sample file, why it cannot be used, or None for a word mark printed as text."""
    mark, limits = application.mark, trademark_law().mark_sample
    if mark.image is None:
        return None if mark.mark_kind == "word" else Refused("tm-image-reason-absent")
    return inspect(application.folder, mark.image, limits.max_file_kb, limits.max_pixels)


def area_map_present(application: Application) -> bool:
    """True when the map of the area named in the file is there."""
    name = application.mark.area_map
    if name is None:
        return False
    limits = trademark_law().mark_sample
    if name.lower().endswith(".pdf"):
        path = resolve(application.folder, name)
        return path is not None and path.is_file()
    return isinstance(inspect(application.folder, name, limits.max_file_kb, limits.max_pixels), MarkFile)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _find(term: str, text: str) -> re.Match[str] | None:
    """``term`` in ``text`` as whole words, ignoring case (both already folded)."""
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text)


def place_names_in(text: str | None) -> list[str]:
    """The place names of the data list found in ``text``, longest first, none inside another."""
    if not text:
        return []
    folded = _fold(text)
    names = sorted((n for n in trademark_law().place_names if _find(_fold(n), folded)), key=len, reverse=True)
    kept: list[str] = []
    for name in names:
        if not any(_find(_fold(name), _fold(longer)) for longer in kept):
            kept.append(name)
    return kept


def places_needing_permission(mark: Trademark) -> list[str]:
    """Place names that need the provincial permission and a map.

    Always for collective and certification marks; for other marks unless the name is
    disclaimed (a descriptive place name in an ordinary mark is not protected on its own).
    """
    names = place_names_in(mark.mark_text)
    if mark.mark_type in ("collective", "certification"):
        return names
    disclaimed = [_fold(d) for d in mark.disclaimed]
    return [n for n in names if not any(_find(_fold(n), d) for d in disclaimed)]


@cache
def usual_class(item: str) -> int | None:
    """The class goods worded ``item`` usually go in, by their head word; None if unknown."""
    text = _fold(item)
    best: tuple[tuple[int, int], int] | None = None
    for term in trademark_law().nice.terms:
        found = _find(_fold(term.term), text)
        if found is not None:
            key = (found.start(), -len(term.term))
            if best is None or key < best[0]:
                best = (key, term.nice_class)
    return best[1] if best else None


def goods_by_class(mark: Trademark) -> list[tuple[int, list[str]]]:
    """Goods grouped by class in ascending order; a class given twice is merged, repeats dropped."""
    grouped: dict[int, dict[str, str]] = {}
    for goods in mark.goods:
        items = grouped.setdefault(goods.nice_class, {})
        for item in goods.items:
            items.setdefault(_fold(item), item)
    return [(nice_class, list(grouped[nice_class].values())) for nice_class in sorted(grouped)]


def mark_fees(mark: Trademark, as_of: date) -> Fees:
    """The fees of ``mark`` on its filing date."""
    return compute_fees([len(items) for _, items in goods_by_class(mark)], on=filing_date(mark, as_of),
                        channel=mark.filing.channel, priority_claims=len(mark.priority))


def gaps(application: Application) -> list[Loc]:
    """Fields the application needs and the file does not give (each printed as a blank)."""
    mark = application.mark
    missing: list[Loc] = []
    if mark.mark_kind in ("word", "combined") and not mark.mark_text:
        missing.append(("trademark", "mark_text"))
    if mark.description is None:
        missing.append(("trademark", "description"))
    if not mark.goods:
        missing.append(("trademark", "goods"))
    if mark.filing.date is None:
        missing.append(("trademark", "filing", "date"))
    if mark.place_name_permission is not None and mark.place_name_permission.issued_by is None:
        missing.append(("trademark", "place_name_permission", "issued_by"))
    representative = mark.representative
    if representative.role != "legal_representative":
        for name in ("name", "address"):
            if getattr(representative, name) is None:
                missing.append(("trademark", "representative", name))
        attorney = representative.power_of_attorney
        if attorney is None or attorney.date is None:
            missing.append(("trademark", "representative", "power_of_attorney"))
    if mark.mark_type in ("collective", "certification"):
        if mark.characteristics is None and (mark.mark_type == "certification"
                                             or places_needing_permission(mark)):
            missing.append(("trademark", "characteristics"))
        rules = mark.rules_of_use
        if rules is None:
            missing.append(("trademark", "rules_of_use"))
        else:
            needed = (("membership_criteria", "users", "conditions", "sanctions")
                      if mark.mark_type == "collective"
                      else ("conditions", "characteristics", "evaluation", "control"))
            for name in needed:
                if not getattr(rules, name):
                    missing.append(("trademark", "rules_of_use", name))
    return missing
