"""Place finished PDFs into boxes of another PDF, as vector art (labels into dossiers).

A dossier shows the product's real label: not a re-rendering and not a raster, but the label
PDF's own page drawn into the box its template reserved, scaled by the factor printed under it.
A label is shown as cut: its TrimBox fills the box, and its bleed and crop marks are clipped.

A PDF/X-4 label paints in DeviceCMYK. A PDF/A dossier (sRGB output intent) may show device
colours of another model only with a default colour space that says what they mean, so a label
that carries a CMYK ICC profile (its press condition) brings it as ``DefaultCMYK``; a plain
label, painting its theme's colours in DeviceCMYK, gets the build's CMYK profile as its own.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any, cast

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
)

from .kept import Kept

Matrix = tuple[float, float, float, float, float, float]
Operations = list[tuple[Any, bytes]]
"""A content stream parsed by pypdf: (operands, operator) pairs."""

PARSED_KEPT = 8
"""Labels whose parsed content is kept (about 1 MB each): a producer's labels, shown in several dossiers."""
_PARSED: Kept[bytes, Operations] = Kept()


@dataclass(frozen=True)
class Placement:
    """Where one PDF page goes: page index of the target and a box in PDF points."""

    page: int
    x: float
    y: float
    """Bottom-left corner, PDF coordinates (origin bottom-left)."""
    width: float
    height: float
    pdf: bytes


def place(target: bytes, placements: list[Placement], cmyk_profile: bytes | None = None) -> bytes:
    """Return ``target`` with the first page of each placement drawn into its box.

    ``cmyk_profile`` (a PDF/A target): the ICC profile named ``DefaultCMYK`` for a label that
    paints DeviceCMYK without one of its own (a plain label in its theme's CMYK colours).
    """
    if not placements:
        return target
    reader = PdfReader(io.BytesIO(target))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header  # keep the version WeasyPrint wrote (PDF/A-3: 1.7)
    unnamed: set[int] = set()  # pages showing a label that names no CMYK profile
    for placement in placements:
        source = PdfReader(io.BytesIO(placement.pdf)).pages[0]
        if not _default_cmyk(source):
            unnamed.add(placement.page)
        box = source.trimbox  # the MediaBox when the page has no TrimBox
        source.cropbox = box  # pypdf clips what it merges to the source's CropBox
        scale_x = placement.width / float(box.width)
        scale_y = placement.height / float(box.height)
        transform = (Transformation().translate(-float(box.left), -float(box.bottom))
                     .scale(scale_x, scale_y).translate(placement.x, placement.y))
        _merge(writer.pages[placement.page], source, transform.ctm)
    if unnamed and cmyk_profile is not None:
        stream = DecodedStreamObject()
        stream.set_data(cmyk_profile)
        stream[NameObject("/N")] = NumberObject(4)
        space = ArrayObject([NameObject("/ICCBased"), writer._add_object(stream)])
        for index in sorted(unnamed):  # after merging: the labels' forms are on the page now
            _name_default_cmyk(writer.pages[index], space)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_RESOURCES = ("/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/XObject", "/Font", "/Properties")
"""The resource kinds pypdf merges, in its order (new objects are numbered in this order)."""


def _merge(page: PageObject, source: PageObject, ctm: Matrix) -> None:
    """``page.merge_transformed_page(source, ctm)`` with ``source``'s content parsed once.

    The same steps as pypdf's merge into a writer's page (resources merged and renamed, the
    page's own content isolated, the source clipped to its CropBox, transformed and isolated),
    giving the same bytes. A source with annotations, or resources that are not a dictionary
    of the page itself, is left to pypdf.
    """
    resources, own = page.get("/Resources"), source.get("/Resources")
    if ("/Annots" in source or resources is None or own is None
            or not isinstance(resources.get_object(), DictionaryObject)
            or not isinstance(own.get_object(), DictionaryObject)):
        page.merge_transformed_page(source, ctm)
        return
    target = cast(DictionaryObject, resources.get_object())
    theirs = cast(DictionaryObject, own.get_object())
    rename: dict[Any, Any] = {}
    for kind in _RESOURCES:
        if kind in theirs:
            if kind not in target:
                target[NameObject(kind)] = DictionaryObject()
            rename.update(page._merge_resources(target, theirs, kind, False)[1])
    if "/ProcSet" in theirs:
        if "/ProcSet" not in target:
            target[NameObject("/ProcSet")] = ArrayObject()
        sets = cast(ArrayObject, target["/ProcSet"])
        for name in cast(ArrayObject, theirs["/ProcSet"]):
            if name not in sets:
                sets.append(name)
        sets.sort()
    contents = ArrayObject()
    original = page.get_contents()
    if original is not None:
        original.isolate_graphics_state()
        contents.append(original)
    label = source.get_contents()
    if label is not None:
        box = source.cropbox  # what pypdf clips a merged page to
        clip = [FloatObject(v) for v in (box.left, box.bottom, box.width, box.height)]
        stream = ContentStream(None, None)
        stream.operations = [([], b"q"), ([FloatObject(v) for v in ctm], b"cm"), (clip, b"re"), ([], b"W"),
                             ([], b"n"), *_renamed(_parsed(label), rename), ([], b"Q")]
        contents.append(stream)
    page.replace_contents(contents)


def _parsed(content: ContentStream) -> Operations:
    """The operations of a label's content, parsed once per content (kept for :data:`PARSED_KEPT` labels)."""
    key = hashlib.sha256(content.get_data()).digest()
    return _PARSED.get(key, lambda: content.operations, PARSED_KEPT)


def _renamed(operations: Operations, rename: dict[Any, Any]) -> Operations:
    """A copy of ``operations`` with the resource names ``rename`` maps (the kept parse stays as it is)."""
    copied: Operations = []
    for operands, operator in operations:
        if isinstance(operands, dict):
            copied.append(({k: rename.get(v, v) if isinstance(v, NameObject) else v
                            for k, v in operands.items()}, operator))
        else:
            copied.append(([rename.get(v, v) if isinstance(v, NameObject) else v for v in operands],
                           operator))
    return copied


def _name_default_cmyk(page: PageObject, space: ArrayObject) -> None:
    """Name ``space`` the ``DefaultCMYK`` of ``page`` and of the forms it draws (their own resources)."""
    resources = cast(DictionaryObject, page["/Resources"].get_object())
    forms = cast(DictionaryObject, (resources.get("/XObject") or DictionaryObject()).get_object())
    holders = [resources] + [cast(DictionaryObject, form.get_object()["/Resources"].get_object())
                             for form in forms.values() if "/Resources" in form.get_object()]
    for holder in holders:
        if "/ColorSpace" not in holder:
            holder[NameObject("/ColorSpace")] = DictionaryObject()
        spaces = cast(DictionaryObject, holder["/ColorSpace"].get_object())
        if "/DefaultCMYK" not in spaces:
            spaces[NameObject("/DefaultCMYK")] = space


def _default_cmyk(page: PageObject) -> bool:
    """Name the page's CMYK ICC profile, if it has one, its ``DefaultCMYK``; True when it has.

    WeasyPrint shares one colour-space dictionary between a page and its forms, so the
    default reaches every form the label brings along.
    """
    resources = page.get("/Resources")
    spaces = resources.get_object().get("/ColorSpace") if resources is not None else None
    if spaces is None:
        return False
    spaces = spaces.get_object()
    assert isinstance(spaces, DictionaryObject)
    if "/DefaultCMYK" in spaces:
        return True
    for value in list(spaces.values()):
        space = value.get_object()
        if (isinstance(space, list) and len(space) == 2 and space[0] == "/ICCBased"
                and space[1].get_object().get("/N") == 4):
            spaces[NameObject("/DefaultCMYK")] = value
            return True
    return False
