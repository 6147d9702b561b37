"""Mark sample files: their size, shape and colour, read without trusting them.

Product folders are untrusted. A mark file is looked for only as a plain file name directly in
the product's folder (no separators, no ``..``, no symbolic link leading out); it is refused
unread above a size limit, and a raster image is refused before decoding above a pixel
limit (decompression bombs). SVG files are parsed with defusedxml, which refuses a DOCTYPE and
entities, so that nothing is expanded; every element is then looked at: an SVG that refers to
another file or address (also through CSS, escaped or not) is refused, and so is one with more
elements or coordinates than a mark needs, or with embedded images beyond the pixel limit.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import math
import re
import threading
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote_to_bytes
from xml.etree import ElementTree

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeElementTree
from PIL import Image, ImageChops, UnidentifiedImageError

RASTER_FORMATS = {"PNG", "JPEG"}
GREY_TOLERANCE = 12
"""Largest channel difference (0–255) still counted as grey: JPEG noise on a grey mark."""
GREYS_KEPT = 100_000
"""Greyscale answers a process keeps: a national registry's marks and logos, a few bytes each."""
_GREYS: dict[str, bool] = {}
"""Whether a raster image is grey, by the sha256 of its file: telling needs the pixels decoded,
most of what checking a province's marks costs. Kept between builds by :mod:`ocopdocs.parsecache`;
a wrong answer there can only change a warning, as every limit is checked on the file itself."""
_ASKED: set[str] = set()
_GREYS_LOCK = threading.Lock()  # a Dask worker renders in several threads


def remember_greys(answers: Mapping[str, bool]) -> None:
    """Take greyscale answers found by an earlier build (:func:`asked_greys`), by file sha256."""
    with _GREYS_LOCK:
        for digest, grey in answers.items():
            if len(_GREYS) >= GREYS_KEPT:
                break
            _GREYS.setdefault(digest, grey)


def asked_greys() -> dict[str, bool]:
    """The greyscale answers of the raster images looked at since :func:`start_asking`, by file sha256."""
    with _GREYS_LOCK:
        return {digest: _GREYS[digest] for digest in sorted(_ASKED) if digest in _GREYS}


def start_asking() -> None:
    """A build begins: :func:`asked_greys` answers for the images it looks at, not earlier builds'."""
    with _GREYS_LOCK:
        _ASKED.clear()


@dataclass(frozen=True)
class MarkFile:
    """A readable mark sample."""

    path: Path
    format: str
    """``PNG``, ``JPEG`` or ``SVG``."""
    width: float
    """Pixels for raster images, user units for SVG."""
    height: float
    greyscale: bool | None
    """True when every visible colour is a grey; None when it cannot be told (an SVG with images)."""

    @property
    def vector(self) -> bool:
        """True for SVG, which prints sharp at any size."""
        return self.format == "SVG"

    @property
    def long_side(self) -> float:
        """The longer of width and height."""
        return max(self.width, self.height)

    def fit(self, box_mm: Decimal) -> tuple[Decimal, Decimal]:
        """Width and height in mm of the image scaled to fit a ``box_mm`` square, ratio kept."""
        scale = box_mm / Decimal(str(self.long_side))
        width = (Decimal(str(self.width)) * scale).quantize(Decimal("0.01"))
        height = (Decimal(str(self.height)) * scale).quantize(Decimal("0.01"))
        return width, height


@dataclass(frozen=True)
class Refused:
    """Why a mark file cannot be used: a message key of :mod:`ocopdocs.messages`."""

    reason: str
    """``tm-image-reason-…``."""


def resolve(folder: Path, name: str) -> Path | None:
    """Return the file ``name`` directly inside ``folder``, or None when it would be elsewhere."""
    if not name or name in (".", "..") or name.startswith(".") or "/" in name or "\\" in name or "\0" in name:
        return None
    try:
        root = folder.resolve()
        path = (root / name).resolve()  # follows links: one that leads out is refused below
    except (OSError, RuntimeError):  # a link loop
        return None
    return path if path.parent == root else None


def inspect(folder: Path, name: str, max_kb: int, max_pixels: int) -> MarkFile | Refused:
    """Read the mark file ``name`` of ``folder``, or say why it cannot be used."""
    path = resolve(folder, name)
    if path is None:
        return Refused("tm-image-reason-outside")
    if not path.is_file():
        return Refused("tm-image-reason-not-found")
    stat = path.stat()
    if stat.st_size > max_kb * 1024:
        return Refused("tm-image-reason-too-large")
    found, digest = _inspect(path, stat.st_mtime_ns, stat.st_size, max_pixels)
    if digest is not None:
        with _GREYS_LOCK:
            if len(_ASKED) < GREYS_KEPT:
                _ASKED.add(digest)
    return found


@lru_cache(maxsize=64)
def _inspect(path: Path, mtime_ns: int, size: int, max_pixels: int) -> tuple[MarkFile | Refused, str | None]:
    """The file's facts and, for a raster image, its sha256.

    Cached by path, modification time and size: checks and documents read each file once.
    """
    if path.suffix.lower() == ".svg":
        return _svg(path, max_pixels), None
    try:
        with path.open("rb") as file:
            data = file.read(size + 1)
        if len(data) > size:  # grew since it was measured against the limit
            return Refused("tm-image-reason-too-large"), None
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in RASTER_FORMATS:
                    return Refused("tm-image-reason-format"), None
                width, height = image.size
                if width * height > max_pixels or width < 1 or height < 1:
                    return Refused("tm-image-reason-too-large"), None
                digest = hashlib.sha256(data).hexdigest()
                return MarkFile(path, image.format, width, height, _grey(image, digest)), digest
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return Refused("tm-image-reason-too-large"), None
    except UnidentifiedImageError:
        return Refused("tm-image-reason-format"), None
    except (OSError, ValueError, SyntaxError):
        return Refused("tm-image-reason-unreadable"), None


def _grey(image: Image.Image, digest: str) -> bool:
    """:func:`_raster_is_grey`, answered once per file content, ``digest`` (see :data:`_GREYS`)."""
    with _GREYS_LOCK:
        known = _GREYS.get(digest)
    if known is not None:
        return known
    grey = _raster_is_grey(image)
    with _GREYS_LOCK:
        if len(_GREYS) < GREYS_KEPT:
            _GREYS[digest] = grey
    return grey


def _raster_is_grey(image: Image.Image) -> bool:
    """True when every visible pixel is a grey (transparent ones count as the white paper)."""
    if image.mode in ("1", "L", "LA", "I", "I;16", "F"):
        return True
    image.draft("RGB", (512, 512))  # JPEG: decode at a reduced size
    small = image.copy()
    small.thumbnail((512, 512))
    rgba = small.convert("RGBA")
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    rgb = Image.alpha_composite(paper, rgba).convert("RGB")
    red, green, blue = rgb.split()
    spread = 0
    for a, b in ((red, green), (green, blue)):
        low_high = ImageChops.difference(a, b).getextrema()  # one band: (min, max)
        assert isinstance(low_high, tuple) and isinstance(low_high[1], (int, float))
        spread = max(spread, int(low_high[1]))
    return spread <= GREY_TOLERANCE


SVG_NS = "{http://www.w3.org/2000/svg}"
MAX_SVG_ELEMENTS = 5_000
"""A drawn mark has a few hundred elements; WeasyPrint takes about 1 s a form for 5,000 and 33 s
for 130,000, on every document that shows the mark."""
MAX_SVG_NUMBERS = 100_000
"""Coordinates in path data and point lists: about 1 s of drawing a form at this bound."""
MAX_NESTED_IMAGES = 16
"""Raster images embedded in an SVG as ``data:`` URLs; their pixels count against the same
limit as a raster mark, all together."""
SIZE_RANGE = (1e-3, 1e7)
"""Width and height, in user units: a finite size a drawing can have (``1e400`` is infinity)."""
_LENGTH = re.compile(r"\s*\+?((?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)\s*(px|mm|cm|in|pt|pc)?\s*")
_NUMBERS = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_CSS_HEX = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?")
_CSS_FETCH = re.compile(r"@import|@font-face|(?<![\w-])(?:url|src|image|image-set|cross-fade|element)\("
                        r"\s*(['\"]?)\s*(.?)", re.I)
"""What makes CSS load something; only ``url(#fragment)`` stays inside the file."""
_COLOUR = re.compile(r"""(?:fill|stroke|stop-color|flood-color|lighting-color|color)\s*[:=]\s*["']?\s*"""
                     r"""(#[0-9a-f]{3,8}\b|rgba?\([^)]*\)|[a-z]+)""", re.I)
_COLOUR_ATTRIBUTES = {"fill", "stroke", "stop-color", "flood-color", "lighting-color", "color"}
_GREY_NAMES = {"black", "white", "gray", "grey", "silver", "gainsboro", "whitesmoke", "dimgray", "dimgrey",
               "darkgray", "darkgrey", "lightgray", "lightgrey", "slategray", "slategrey", "none",
               "transparent", "currentcolor", "inherit", "initial", "unset", "context-fill", "context-stroke"}
_UNITS = {None: 1.0, "px": 1.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0, "pt": 96 / 72, "pc": 16.0}


def _svg(path: Path, max_pixels: int) -> MarkFile | Refused:
    r"""Parse an SVG mark with defusedxml (no DTD, no entity) and look at every element.

    Refused: a reference to anything but a fragment of itself (``href``, ``src``, CSS ``url()``
    and ``@import``, also when CSS-escaped as ``\75rl(``), a processing instruction (an
    ``xml-stylesheet`` would load a file), more elements or coordinates than the renderer
    draws in about a second, embedded images that are not PNG or JPEG or hold too many pixels,
    and a size that is not a finite number.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return Refused("tm-image-reason-unreadable")
    if re.search(rb"<\?(?!xml[ \t\r\n])", data):
        return Refused("tm-image-reason-svg-external")  # <?xml-stylesheet href=...?> and the like
    root: ElementTree.Element | None = None
    elements = 0
    try:
        for _, element in SafeElementTree.iterparse(io.BytesIO(data), events=("start",), forbid_dtd=True):
            root = element if root is None else root
            elements += 1
            if elements > MAX_SVG_ELEMENTS:
                return Refused("tm-image-reason-svg-complex")
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        return Refused("tm-image-reason-svg-entities")  # no entity expansion for the XML parser
    except (ElementTree.ParseError, ValueError, RecursionError):
        return Refused("tm-image-reason-format")
    if root is None or root.tag not in (f"{SVG_NS}svg", "svg"):
        return Refused("tm-image-reason-format")
    colours: list[str] = []
    numbers, nested_pixels, nested = 0, 0, 0
    for element in root.iter():
        local = str(element.tag).rpartition("}")[2]
        texts = [element.text or ""] if local == "style" else []
        for name, value in element.attrib.items():
            attribute = name.rpartition("}")[2]
            if attribute in ("href", "src"):
                target = value.strip()
                if target.startswith("#"):
                    continue
                if local != "image" or target[:5].lower() != "data:":
                    return Refused("tm-image-reason-svg-external")
                pixels = _embedded_pixels(target, max_pixels - nested_pixels)
                nested += 1
                if pixels is None or nested > MAX_NESTED_IMAGES:
                    return Refused("tm-image-reason-svg-nested")
                nested_pixels += pixels
                continue
            if attribute in ("d", "points"):
                numbers += len(_NUMBERS.findall(value))
            elif attribute in _COLOUR_ATTRIBUTES:
                colours.append(_css_text(value).strip())
            texts.append(value)
        for text in texts:
            css = _css_text(text)
            if not _css_stays_inside(css):
                return Refused("tm-image-reason-svg-external")
            colours += _COLOUR.findall(css)
        if numbers > MAX_SVG_NUMBERS:
            return Refused("tm-image-reason-svg-complex")
    size = _svg_size(root)
    if size is None:
        return Refused("tm-image-reason-svg-size")
    grey: bool | None = all(_is_grey(c) for c in colours)  # no colour at all: black
    if nested:
        grey = None if grey else False  # an embedded raster could hold any colour
    return MarkFile(path, "SVG", size[0], size[1], grey)


def _css_text(text: str) -> str:
    r"""CSS with its escapes resolved (``\75rl(`` is ``url(``), as the renderer reads it."""
    def code_point(match: re.Match[str]) -> str:
        code = int(match[1], 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    text = _CSS_HEX.sub(code_point, text)
    return re.sub(r"\\(.)", r"\1", text.replace("\\\n", ""), flags=re.S)


def _css_stays_inside(css: str) -> bool:
    """True when the CSS loads nothing: no ``@import``, no URL but a fragment (``url(#g)``)."""
    return all(match[0].lower().startswith("url") and match[2] == "#" for match in _CSS_FETCH.finditer(css))


def _embedded_pixels(url: str, max_pixels: int) -> int | None:
    """Pixels of a PNG or JPEG ``data:`` URL, read from its header; None when it is anything else."""
    header, _, payload = url.partition(",")
    try:
        raw = base64.b64decode(payload) if header.lower().endswith(";base64") else unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as image:
                width, height = image.size
                if image.format not in RASTER_FORMATS or not 1 <= width * height <= max_pixels:
                    return None
                return width * height
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, UnidentifiedImageError, OSError,
            ValueError, SyntaxError):
        return None


def _length(value: str | None) -> float | None:
    """A finite, positive SVG length in user units (CSS px), or None."""
    match = _LENGTH.fullmatch(value) if value else None
    if match is None:
        return None
    size = float(match[1]) * _UNITS[match[2]]
    return size if math.isfinite(size) and SIZE_RANGE[0] <= size <= SIZE_RANGE[1] else None


def _svg_size(root: ElementTree.Element) -> tuple[float, float] | None:
    """Width and height from the root's width and height, else from its viewBox."""
    width, height = _length(root.get("width")), _length(root.get("height"))
    if width is not None and height is not None:
        return width, height
    parts = re.split(r"[\s,]+", (root.get("viewBox") or "").strip())
    if len(parts) == 4:
        box = [_length(part) for part in parts[2:]]
        if box[0] is not None and box[1] is not None:
            return box[0], box[1]
    return None


def _is_grey(colour: str) -> bool:
    """True for a grey (or no colour); a value that is no colour at all draws nothing coloured."""
    value = colour.strip().lower()
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits[:3])
        if len(digits) not in (6, 8) or not all(c in "0123456789abcdef" for c in digits):
            return True
        r, g, b = (int(digits[i:i + 2], 16) for i in (0, 2, 4))
        return max(r, g, b) - min(r, g, b) <= GREY_TOLERANCE
    if value.startswith("rgb"):
        numbers = re.findall(r"([0-9]*\.?[0-9]+)(%?)", value)[:3]
        channels = [float(n) * (2.55 if percent else 1) for n, percent in numbers]
        return len(channels) != 3 or max(channels) - min(channels) <= GREY_TOLERANCE
    return value in _GREY_NAMES or value.startswith("url") or not value.isalpha()
