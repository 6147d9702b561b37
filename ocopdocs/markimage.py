"""Mark sample files: their size, shape and colour, read without trusting them.

Product folders are untrusted. A mark file is looked for only as a plain file name directly in
the product's folder (no separators, no ``..``, no symbolic link leading out); it is refused
unread above a size limit, and a raster image is refused before decoding above a pixel
limit (decompression bombs). SVG files are read as text, never parsed as XML: only the root
element's size and the colours written in them are looked at. An SVG that refers to another
file or address is refused (the renderer would refuse it anyway), and so is one that declares
a DOCTYPE or entities, so that no entity is ever expanded when the renderer parses it.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, UnidentifiedImageError

RASTER_FORMATS = {"PNG", "JPEG"}
GREY_TOLERANCE = 12
"""Largest channel difference (0–255) still counted as grey: JPEG noise on a grey mark."""


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
    root = folder.resolve()
    path = (root / name).resolve()  # follows links: one that leads out is refused below
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
    return _inspect(path, stat.st_mtime_ns, stat.st_size, max_pixels)


@lru_cache(maxsize=64)
def _inspect(path: Path, mtime_ns: int, size: int, max_pixels: int) -> MarkFile | Refused:
    """Cached by path, modification time and size: checks and documents read each file once."""
    if path.suffix.lower() == ".svg":
        return _svg(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format not in RASTER_FORMATS:
                    return Refused("tm-image-reason-format")
                width, height = image.size
                if width * height > max_pixels or width < 1 or height < 1:
                    return Refused("tm-image-reason-too-large")
                return MarkFile(path, image.format, width, height, _raster_is_grey(image))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return Refused("tm-image-reason-too-large")
    except UnidentifiedImageError:
        return Refused("tm-image-reason-format")
    except (OSError, ValueError, SyntaxError):
        return Refused("tm-image-reason-unreadable")


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


_SVG_ROOT = re.compile(r"<svg\b([^>]*)>", re.S)
_ATTRIBUTE = r'\b{}\s*=\s*["\']([^"\']*)["\']'
_NUMBER = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px|mm|cm|in|pt|pc)?\s*$")
_EXTERNAL = re.compile(r"""(?:href\s*=\s*["'](?!\s*#|\s*data:))|(?:url\(\s*["']?(?!\s*#))|@import""", re.I)
_COLOUR = re.compile(r"""(?:fill|stroke|stop-color|flood-color|color)\s*[:=]\s*["']?\s*"""
                     r"""(#[0-9a-f]{3,8}\b|rgba?\([^)]*\)|[a-z]+)""", re.I)
_GREY_NAMES = {"black", "white", "gray", "grey", "silver", "gainsboro", "whitesmoke", "dimgray", "dimgrey",
               "darkgray", "darkgrey", "lightgray", "lightgrey", "slategray", "slategrey", "none",
               "transparent", "currentcolor", "inherit", "initial", "unset", "context-fill", "context-stroke"}
_UNITS = {None: 1.0, "px": 1.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0, "pt": 96 / 72, "pc": 16.0}


def _svg(path: Path) -> MarkFile | Refused:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return Refused("tm-image-reason-unreadable")
    root = _SVG_ROOT.search(text)
    if root is None:
        return Refused("tm-image-reason-format")
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.I):
        return Refused("tm-image-reason-svg-entities")  # no entity expansion for the XML parser
    if _EXTERNAL.search(text):
        return Refused("tm-image-reason-svg-external")
    size = _svg_size(root.group(1))
    if size is None:
        return Refused("tm-image-reason-svg-size")
    grey: bool | None = all(_is_grey(c) for c in _COLOUR.findall(text))  # no colour at all: black
    if re.search(r"<image\b", text, re.I):
        grey = None if grey else False  # an embedded raster could hold any colour
    return MarkFile(path, "SVG", size[0], size[1], grey)


def _svg_size(attributes: str) -> tuple[float, float] | None:
    """Width and height from the root's width and height, else from its viewBox."""
    def attribute(name: str) -> str | None:
        found = re.search(_ATTRIBUTE.format(re.escape(name)), attributes)
        return found.group(1) if found else None

    width, height = attribute("width"), attribute("height")
    if width and height:
        w, h = _NUMBER.match(width), _NUMBER.match(height)
        if w and h and float(w[1]) > 0 and float(h[1]) > 0:
            return float(w[1]) * _UNITS[w[2]], float(h[1]) * _UNITS[h[2]]
    box = attribute("viewBox")
    if box:
        parts = re.split(r"[\s,]+", box.strip())
        try:
            w_, h_ = float(parts[2]), float(parts[3])
        except (IndexError, ValueError):
            return None
        if w_ > 0 and h_ > 0:
            return w_, h_
    return None


def _is_grey(colour: str) -> bool:
    value = colour.strip().lower()
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits[:3])
        r, g, b = (int(digits[i:i + 2], 16) for i in (0, 2, 4))
        return max(r, g, b) - min(r, g, b) <= GREY_TOLERANCE
    if value.startswith("rgb"):
        numbers = re.findall(r"[0-9.]+%?", value)[:3]
        channels = [float(n[:-1]) * 2.55 if n.endswith("%") else float(n) for n in numbers]
        return len(channels) == 3 and max(channels) - min(channels) <= GREY_TOLERANCE
    return value in _GREY_NAMES or value.startswith("url")
