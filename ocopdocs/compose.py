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
import re
import threading
from collections import OrderedDict
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
    create_string_object,
)

Matrix = tuple[float, float, float, float, float, float]
Operations = list[tuple[Any, bytes]]
"""A content stream parsed by pypdf: (operands, operator) pairs."""

PARSED_KEPT = 8
"""Labels whose parsed content is kept (about 1 MB each): a producer's labels, shown in several dossiers."""
_PARSED: OrderedDict[bytes, Operations] = OrderedDict()
_PARSED_LOCK = threading.Lock()  # a Dask worker renders in several threads


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
    data = content.get_data()
    key = hashlib.sha256(data).digest()
    with _PARSED_LOCK:
        operations = _PARSED.get(key)
        if operations is not None:
            _PARSED.move_to_end(key)
            return operations
    operations = _parse(data) or content.operations
    with _PARSED_LOCK:
        _PARSED[key] = operations
        while len(_PARSED) > PARSED_KEPT:
            _PARSED.popitem(last=False)
    return operations


_SPACE = rb"[\x00\t\n\f\r ]*"
"""What pypdf skips between the tokens of a content stream."""
_PLAIN = rb"(?:(?![()<>\[\]{}/%#])[!-~])"
"""A character of a name or an operator that needs no decoding (no ``#xx``, ASCII)."""
_END = rb"(?=[\t\n\x0b\f\r ()<>\[\]{}/%]|\Z)"
"""Where pypdf ends a name or an operator."""
_TOKEN = re.compile(_SPACE + rb"(?:(?P<number>[+\-.0-9][+,\-.0-9]{0,18})(?![+,\-.0-9])"
                    rb"|/(?P<name>" + _PLAIN + rb"*)" + _END
                    + rb"|<(?P<hex>[0-9A-Fa-f\x00\t\n\f\r ]*)>|(?P<open>\[)|(?P<close>\])"
                    rb"|(?P<operator>[A-Za-z'\"]" + _PLAIN + rb"*)" + _END + rb")")
_TRAILING = re.compile(_SPACE + rb"\Z")
_HEX_SPACE = re.compile(rb"[\x00\t\n\f\r ]")


def _parse(data: bytes) -> Operations | None:
    """``data`` parsed into the objects pypdf's own parser makes, or None when it holds more than this reads.

    pypdf reads a content stream a byte at a time (a label's in about 70 ms); this reads the
    tokens WeasyPrint writes with one regular expression and makes each object with pypdf's
    constructors, as pypdf's parser does. Comments, literal strings, dictionaries, inline
    images, names with ``#`` escapes and long numbers are left to pypdf (None).
    """
    operations: Operations = []
    operands: list[Any] = []
    arrays: list[list[Any]] = []  # the arrays being read, innermost last
    made: dict[bytes, Any] = {}  # numbers and names met before: a label repeats them thousands of times
    position = 0
    for token in _TOKEN.finditer(data):
        if token.start() != position:  # something between two tokens that pypdf reads otherwise
            return None
        position = token.end()
        kind = token.lastgroup
        value: Any
        if kind in {"number", "name"}:
            text = token[kind]
            value = made.get(text if kind == "number" else b"/" + text)
            if value is None:
                if kind == "number":
                    value = made[text] = FloatObject(text) if b"." in text else NumberObject(text)
                else:
                    value = made[b"/" + text] = NameObject("/" + text.decode("ascii"))
        elif kind == "operator":
            operator = token[kind]
            if arrays or operator == b"BI":  # true, false, null in an array; an inline image
                return None
            operations.append((operands, operator))
            operands = []
            continue
        elif kind == "hex":
            digits = _HEX_SPACE.sub(b"", token[kind])
            value = create_string_object(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii")))
        elif kind == "open":
            arrays.append(ArrayObject())
            continue
        else:  # close
            if not arrays:
                return None
            value = arrays.pop()
        (arrays[-1] if arrays else operands).append(value)
    if arrays or _TRAILING.match(data, position) is None:
        return None
    return operations


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
