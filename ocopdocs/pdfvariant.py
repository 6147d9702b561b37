"""PDF variants: PDF/X-4 for print artwork (labels), PDF/A-3b for filed dossiers.

A variant belongs to one family of documents. ``pdf/x-4`` is for artwork a print shop
receives: every colour is CMYK, and the output intent is a CMYK ICC profile (the press
condition the colours are meant for). ``pdf/a-3b`` is for the documents an officer files and
archives: sRGB output intent, XMP identification, fonts embedded. A build chooses at most one
variant per family; the other family keeps plain PDF.

The X-4 check here reads the written PDF back and lists every RGB colour, colour space and
image it still holds, so that an X-4 label with an RGB colour is refused rather than sent to
a press that would convert it on its own.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import OcopError
from .messages import t

Family = Literal["artwork", "dossier"]
"""Artwork goes to a print shop (labels); a dossier is filed with an authority."""


@dataclass(frozen=True)
class PdfVariant:
    """A PDF standard a family of documents can be written to."""

    id: str
    """WeasyPrint's name for it, as on the command line: ``pdf/x-4``."""
    family: Family
    cmyk: bool
    """Every colour in CMYK, with a CMYK profile as output intent (PDF/X)."""
    srgb: bool = False
    """An sRGB output intent (PDF/A)."""
    stylesheet: str | None = None
    """A stylesheet in ``templates/`` added after the document's own (the default colours)."""


X4 = PdfVariant("pdf/x-4", "artwork", cmyk=True, stylesheet="print/pdf-x-4.css")
A3B = PdfVariant("pdf/a-3b", "dossier", cmyk=False, srgb=True)
VARIANTS: dict[str, PdfVariant] = {v.id: v for v in (X4, A3B)}

CMYK_PROFILES: tuple[Path, ...] = (
    Path("/usr/share/color/icc/colord/FOGRA39L_coated.icc"),  # colord-data, where it still ships it
    Path("/usr/share/color/icc/ghostscript/default_cmyk.icc"),  # Debian libgs-common (set-up installs it)
)
"""Free CMYK output profiles looked for, in order, when no ``--cmyk-profile`` is given."""


class PrintSetupError(OcopError):
    """A variant asked for cannot be made on this machine (no CMYK profile): nothing is built."""


@dataclass(frozen=True)
class Choice:
    """The variants a build writes, one per family at most, and the CMYK profile X-4 uses."""

    artwork: PdfVariant | None = None
    dossier: PdfVariant | None = None
    cmyk_profile: Path | None = None

    def for_family(self, family: Family) -> PdfVariant | None:
        """The variant of ``family``'s documents, or None for plain PDF."""
        return self.artwork if family == "artwork" else self.dossier


def parse(values: Iterable[str]) -> list[PdfVariant]:
    """``pdf/x-4,pdf/a-3b`` (or the two given apart) as variants.

    Raises ValueError with a catalogue sentence for an unknown name, or for two variants of
    one family.
    """
    chosen: dict[Family, PdfVariant] = {}
    for value in values:
        for name in (v.strip().lower() for v in value.split(",") if v.strip()):
            variant = VARIANTS.get(name)
            if variant is None:
                raise ValueError(t("print-variant-unknown", variant=name, variants=", ".join(VARIANTS)))
            other = chosen.get(variant.family)
            if other is not None and other != variant:
                raise ValueError(t("print-variant-twice", first=other.id, second=variant.id))
            chosen[variant.family] = variant
    return list(chosen.values())


def choose(variants: Iterable[PdfVariant], cmyk_profile: Path | None = None) -> Choice:
    """The build's choice; finds and checks the CMYK profile when a CMYK variant is asked for.

    Raises :class:`PrintSetupError` when no usable profile is found, before anything is built.
    """
    by_family = {v.family: v for v in variants}
    artwork, dossier = by_family.get("artwork"), by_family.get("dossier")
    profile = None
    if any(v.cmyk for v in by_family.values()):
        profile = find_cmyk_profile(cmyk_profile)
    return Choice(artwork, dossier, profile)


def find_cmyk_profile(explicit: Path | None = None) -> Path:
    """The CMYK output profile to use: ``explicit``, else the first of :data:`CMYK_PROFILES`."""
    if explicit is not None:
        if not explicit.is_file():
            raise PrintSetupError(t("print-profile-not-found", path=explicit))
        _check_cmyk(explicit)
        return explicit.resolve()
    for path in CMYK_PROFILES:
        if path.is_file():
            _check_cmyk(path)
            return path
    raise PrintSetupError(t("print-profile-missing", paths=", ".join(str(p) for p in CMYK_PROFILES)))


def profile_name(path: Path) -> str:
    """The description an ICC profile gives itself (as the output intent names it)."""
    from PIL import ImageCms  # start-up speed: only a CMYK build reads profiles

    profile = ImageCms.getOpenProfile(str(path)).profile
    return str(profile.model or profile.profile_description).strip()


def _check_cmyk(path: Path) -> None:
    from PIL import ImageCms  # start-up speed: only a CMYK build reads profiles

    try:
        profile = ImageCms.getOpenProfile(str(path)).profile
    except (OSError, ImageCms.PyCMSError) as exc:
        raise PrintSetupError(t("print-profile-invalid", path=path, detail=exc)) from exc
    if profile.xcolor_space.strip() != "CMYK" or profile.device_class != "prtr":
        detail = f"{profile.device_class} {profile.xcolor_space.strip()}"
        raise PrintSetupError(t("print-profile-invalid", path=path, detail=detail))


@dataclass(frozen=True)
class RgbUse:
    """An RGB colour, colour space or image left in a PDF that should be CMYK only."""

    what: Literal["colour", "space", "image"]
    where: str
    """``page 1``, ``page 1 > x0`` (a form inside it): where a reader finds it."""
    detail: str
    """The colour as ``#rrggbb``, the colour space, or the image's size in pixels."""


_RGB_OPERATORS = {b"rg", b"RG"}
_RGB_SPACES = {"/DeviceRGB", "/CalRGB", "/RGB"}


def rgb_uses(pdf: bytes) -> list[RgbUse]:
    """Every RGB colour, colour space and image a PDF's pages, forms and patterns use."""
    from pypdf import PdfReader  # start-up speed: only CMYK builds check their PDFs here

    reader = PdfReader(io.BytesIO(pdf))
    found: dict[RgbUse, None] = {}
    seen: set[int] = set()

    def visit(data: bytes, resources: Any, where: str) -> None:
        resources = resources.get_object() if resources is not None else {}
        for name, space in dict(resources.get("/ColorSpace") or {}).items():
            if _is_rgb(space):
                found[RgbUse("space", where, f"{name} {_space_name(space)}")] = None
        for operands, operator in _operations(data):
            if operator in _RGB_OPERATORS:
                found[RgbUse("colour", where, _hex(operands))] = None
            elif operator in (b"cs", b"CS") and operands and operands[0].decode() in _RGB_SPACES:
                found[RgbUse("space", where, operands[0].decode())] = None
        for key, reference in dict(resources.get("/XObject") or {}).items():
            xobject = reference.get_object()
            ident = getattr(reference, "idnum", None)
            if ident is not None and ident in seen:
                continue
            if ident is not None:
                seen.add(ident)
            inner = f"{where} > {key.lstrip('/')}"
            if xobject.get("/Subtype") == "/Image":
                if _is_rgb(xobject.get("/ColorSpace")):
                    size = f"{xobject.get('/Width')} × {xobject.get('/Height')}"
                    found[RgbUse("image", inner, size)] = None
            else:
                group = xobject.get("/Group") or {}
                if _is_rgb(group.get("/CS")):
                    found[RgbUse("space", inner, _space_name(group.get("/CS")))] = None
                visit(xobject.get_data(), xobject.get("/Resources") or resources, inner)
        for key, reference in dict(resources.get("/Pattern") or {}).items():
            pattern = reference.get_object()
            if pattern.get("/PatternType") == 1:
                inner = f"{where} > {key.lstrip('/')}"
                visit(pattern.get_data(), pattern.get("/Resources") or resources, inner)
        for key, reference in dict(resources.get("/Shading") or {}).items():
            if _is_rgb(reference.get_object().get("/ColorSpace")):
                found[RgbUse("space", f"{where} > {key.lstrip('/')}", "shading")] = None

    for number, page in enumerate(reader.pages, start=1):
        where = t("print-where-page", page=number)
        group = page.get("/Group")
        if group is not None and _is_rgb(group.get_object().get("/CS")):
            found[RgbUse("space", where, "/Group")] = None
        contents = page.get_contents()
        if contents is not None:
            visit(contents.get_data(), page.get("/Resources"), where)
    return list(found)


_STRINGS = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>")
"""Literal and hex strings, which may hold any bytes (WeasyPrint writes glyphs as hex)."""
_END = rb"(?![^\s\[\]()<>/{}%])"
_RGB_OP = re.compile(rb"(?<![^\s\])>])(?:rg|RG)" + _END)
_NUMBER = re.compile(rb"[-+]?[\d.]+")
_SPACE_OP = re.compile(rb"(/[^\s\[\]()<>/{}%]+)\s+(?:cs|CS)" + _END)


def _operations(data: bytes) -> list[tuple[list[bytes], bytes]]:
    """The RGB colour operators (``rg``, ``RG``) and colour-space operators of a content stream.

    Read with regular expressions (a label's content stream has thousands of operators, which
    pypdf's parser takes 50 ms to read); strings are dropped first, since text may hold any
    bytes and never names a colour.
    """
    data = _STRINGS.sub(b" ", data)
    found = [(_NUMBER.findall(data, max(0, m.start() - 40), m.start())[-3:], b"rg")
             for m in _RGB_OP.finditer(data)]
    found += [([m[1]], b"cs") for m in _SPACE_OP.finditer(data)]
    return found


def _is_rgb(space: Any) -> bool:
    """Whether a colour space (a name or an array) is RGB: device, calibrated or a 3-channel ICC."""
    if space is None:
        return False
    space = space.get_object() if hasattr(space, "get_object") else space
    if isinstance(space, str):
        return space in _RGB_SPACES
    if isinstance(space, list) and space:
        family = str(space[0])
        if family in _RGB_SPACES:
            return True
        if family == "/ICCBased":
            return int(space[1].get_object().get("/N", 0)) == 3
        if family == "/Indexed":
            return _is_rgb(space[1])
    return False


def _space_name(space: Any) -> str:
    space = space.get_object() if hasattr(space, "get_object") else space
    if isinstance(space, list) and space:
        return f"{space[0]} RGB" if str(space[0]) == "/ICCBased" else str(space[0])
    return str(space)


def _hex(operands: list[bytes]) -> str:
    try:
        return "#" + "".join(f"{round(float(v) * 255):02x}" for v in operands[-3:])
    except ValueError:
        return " ".join(v.decode() for v in operands)


_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-fA-F-]{36}")


def pin_document_id(metadata: bytes, identifier: bytes) -> bytes:
    """Replace the random XMP DocumentID WeasyPrint writes for PDF/X-4 with one from ``identifier``.

    The same document keeps the same id across rebuilds (what xmpMM:DocumentID is for), so an
    unchanged X-4 label is rebuilt byte for byte.
    """
    import hashlib
    import uuid

    pinned = uuid.UUID(bytes=hashlib.sha256(identifier).digest()[:16], version=4)
    return _DOCUMENT_ID.sub(f"xmp.did:{pinned}".encode(), metadata)
