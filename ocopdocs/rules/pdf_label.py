"""Rules read back from a rendered label PDF: what the page shows, not what the template meant.

Only the first page is read: a label is one page, and the renderer already refuses content that
spills onto a second. PDF lengths are points (1 pt = 25.4/72 mm); findings give millimetres,
rounded to 0.01 mm (the module width X to 0.001 mm, since its limits are 0.264 and 0.660 mm).
The PDF is opened once, its text and paths read once, and only the symbols' regions rasterised.

Text sizes. pdfium's text page gives every character with its font size, its matrix (text
matrix × CTM: the size on the page, the *em*, is the font size × the matrix's vertical scale)
and its tight glyph box (the outline's bounding box). Letter heights are properties of a font,
so they are measured once per font from what the page shows: the cap height is the median
height ÷ em of the flat capitals and figures the font sets (``H``, ``E``, ``1`` …), the
x-height the lowest height ÷ em among its x-height letters (``a c e m n o r s u v w x z``; the
round ones overshoot, ``x`` and ``v`` do not). Accented letters are not used: their accents
change the box. A font without such letters falls back to DejaVu Sans' ratios. pdfium's boxes
come out about 1.5 % taller than the outlines (DejaVu Sans capitals 0.740 em instead of 1493/2048
= 0.729 em); that small leniency is accepted, and the fallbacks carry it too. Then:

- ``pdf-name-largest``: the cap height of the Vietnamese name (its smallest letter, at its
  largest printed occurrence) is not below that of any other character on the page, barcode
  digits and the OCOP badge included (Decree 37/2026 Art. 43.1).
- ``pdf-foreign-larger``: the English name's cap height is not above the Vietnamese name's
  (Art. 39).
- ``pdf-quantity-figure-height``: the figures of the net quantity are measured glyph by glyph:
  the shortest tight box among the digits of its largest printed occurrence (Circular 21/2014
  App. II).
- ``pdf-min-char-height``: the x-height of every character, barcode digits included, as the EU
  FIC Annex IV also measures its 0.9 mm minimum (Art. 37.3).
- ``pdf-text-missing``: texts are found with all whitespace removed, case and Unicode
  composition ignored, and a hyphen WeasyPrint adds at a line break optional.

EAN-13 geometry. gs1.py draws one ``<rect>`` per bar, which WeasyPrint writes as one filled path
each. Bars are the dark, filled, single-rectangle paths that stand upright (forms are entered,
their matrices applied); 30 of them sharing a top edge, at most 4 modules apart, make an EAN-13.
X = span of the bars ÷ 95 must lie in 80–200 % of 0.33 mm and within 3 % of the declared
magnification. The normal bar height is the median bar height (24 of the 30 bars are not guard
bars); it is compared with 22.85 mm at the *measured* magnification, so a symbol that is only
scaled reports its module width, not its height as well. Quiet zones (11X left, 7X right) are
checked on the raster over the normal bars' height: no pixel darker than mid-grey (a scanner
puts its threshold between the reflectance of bars and background) and no page edge inside
them. The guard bars reach down into the digit row, where the leading digit and the ``>`` mark
sit by design, so that row is not part of the zone. Measured on the raster, free space is
accurate to about one pixel (0.085 mm).

Symbols. Each symbol is rasterised alone, in grey at 300 dpi, on the pixel grid of the whole
label as cut (its TrimBox): the EAN-13 where its bars are (with its quiet zones and 3X more), a
QR where a dark square path of many pieces is (gs1.py draws one path for the modules), with a
fifth of its width around it. zxing-cpp decodes each region for its one symbology; the quiet
zones are measured on the EAN-13's region, whose pixels are those of the whole raster. A symbol
the label must carry and that is not found so (placed as an image, or broken) is looked for on
the raster of the whole label, as before. Measured: at 300 dpi EAN-13 decoded from 50 % to 200 %
magnification; at 200 dpi an 80 % symbol did not decode, at 150 dpi nothing below 100 %; the
regions are a tenth of the label's pixels or less, so 300 dpi is kept for them.

Covered text. ``pdf-mandatory-covered``: nothing else painted on the label may cross the glyphs
of mandatory text (Decree 37/2026 Art. 50.1: added content must not cover mandatory content).
The boxes are the page's path objects (rules, borders, frames, the OCOP badge, the bars, the QR
modules; forms entered) and image objects, read in the same pass as the bars. A path counts
where it is painted: its fill (even-odd or non-zero, as the path says) when the fill colour is not
near white, its stroke (half the line width either side) when the stroke colour is not. Curves
are flattened into 8 chords each, so a ring is a ring, not its bounding square; an image is its
rectangle. White or near-white paint (the page background, a pale panel under text) covers
nothing. The glyphs are pdfium's tight boxes of the characters found as mandatory text (the
required texts, the name and the quantity), shrunk by 0.05 mm so that a rule only touching a
descender does not count; text over text is not judged here. Only paths whose bounds meet a glyph
have their segments read.

Not handled: rotated symbols and text (bars are looked for upright), symbols placed as images
(not measured, still decoded), text drawn as outlines (not text to pdfium), clipping (a clipped
shape counts whole).
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import math
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial
from typing import Any, Literal

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]
import zxingcpp
from PIL import Image

from ..domain.label import LabelExpect
from ..gs1 import BAR_HEIGHT_NOMINAL_MM, EAN13_MODULES, QUIET_LEFT_X, QUIET_RIGHT_X, X_NOMINAL_MM
from . import check as register
from . import checks
from .findings import Finding

check = partial(register, area="label", scope="pdf")

PT_TO_MM = 25.4 / 72
DPI = 300
SCALE = DPI / 72
"""Raster pixels per point."""
DARK_LEVEL = 128
"""Grey level (0–255) below which a pixel counts as ink in a quiet zone."""

CAP_REFERENCE = frozenset("BDEFHIKLMNPRTVWXYZ147")
"""Capitals and figures that sit on the baseline and reach exactly the cap height."""
X_REFERENCE = frozenset("acemnorsuvwxz")
"""Lowercase letters without ascender, descender or accent: the lowest box is the x-height."""
DEFAULT_CAP_EM = 0.740
"""DejaVu Sans cap height as pdfium's boxes give it, for a font that shows no reference capital."""
DEFAULT_X_EM = 0.555
"""DejaVu Sans x-height as pdfium's boxes give it (the outline: 1120/2048 = 0.547 em)."""
LINE_END_HYPHENS = frozenset("-\u2010\u00ad")
"""Hyphens a renderer may add where it breaks a word."""
SNIPPET_CHARS = 40

X_MIN_MM = float(X_NOMINAL_MM * Decimal("0.8"))
X_MAX_MM = float(X_NOMINAL_MM * 2)
MAGNIFICATION_TOLERANCE = 0.03
BAR_HEIGHT_TOLERANCE = 0.03
EAN13_BARS = 30
"""Dark bars in an EAN-13: 2 + 2 + 2 guard bars and 2 for each of the 12 coded digits."""
BAR_TOP_TOLERANCE_PT = 0.2 / PT_TO_MM
BAR_GAP_MAX_PT = 4 * X_MAX_MM / PT_TO_MM + 0.1 / PT_TO_MM
"""The widest space between two bars: 4 modules at 200 %."""
BAR_TOUCH_PT = 0.05 / PT_TO_MM
"""Rectangles closer than this are one bar drawn in pieces."""
BAR_MIN_HEIGHT_PT = 3 / PT_TO_MM
QR_MIN_SEGMENTS = 50
"""Pieces of a path that may be a QR code: its three finder patterns alone take more."""
QR_MIN_PT = 3 / PT_TO_MM
QR_SQUARE = 0.03
"""How far a QR path's bounds may be from square, as a share of its width."""
QR_MARGIN = 0.2
"""Read around a QR path this share of its width each side: the 4-module quiet zone of the
smallest symbol (21 modules) is 19 %."""
LIGHT_LEVEL = 230
"""Grey level (0–255) from which paint is near white: a background that covers nothing."""
GLYPH_INSET_PT = 0.05 / PT_TO_MM
"""Glyph boxes are shrunk by this before they are tested: touching is not covering."""
CURVE_CHORDS = 8
"""Straight pieces a Bézier curve is flattened into."""
SIDE_STEP_PT = 0.01
"""How far either side of an outline its paint is probed."""

Box = tuple[float, float, float, float]
"""Left, bottom, right, top in PDF points (origin bottom left)."""
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class LabelPage:
    """A rendered label read once for every PDF rule: its first page, text, fonts and what it must show."""

    page: _Page
    text: _Text
    fonts: _FontMetrics
    expect: LabelExpect


def read_label(pdf: bytes, expect: LabelExpect) -> LabelPage:
    """Open the label PDF once: text, glyph boxes, bars and the decoded symbols of page 1."""
    page = _measure(pdf, expect)
    return LabelPage(page, _Text(page.chars), _FontMetrics(page.chars), expect)


def check_label_pdf(pdf: bytes, expect: LabelExpect) -> list[Finding]:
    """Read the rendered label PDF (do not trust the template) and return every breach.

    Args:
        pdf: The label PDF as written by the renderer.
        expect: What the label must show, derived from the product data.

    Returns:
        The findings of every registered PDF rule, each located on page 1; empty when the
        label passes.
    """
    label = read_label(pdf, expect)
    return [finding for registered in checks("pdf") if registered.function is not None
            for finding in registered.function(label)]


# --- reading the PDF ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Char:
    """One character of pdfium's text page."""

    text: str
    generated: bool
    """Added by pdfium (a space between runs, a line break), not printed."""
    font: int
    """Address of the font handle: the same embedded font program."""
    em: float
    """Font size on the page, in points; 0 for generated characters."""
    box: Box
    """Tight glyph box."""
    ink: bool
    """A printed, visible character: not generated, not whitespace, not a control."""
    source: int = 0
    """Address of its text object, to find where the text is painted among the other objects."""
    rgb: tuple[int, int, int] = (0, 0, 0)
    """Its fill colour, as pdfium shows it (CMYK converted)."""

    @property
    def height(self) -> float:
        """Height of the tight glyph box, in points."""
        return self.box[3] - self.box[1]


@dataclass(frozen=True)
class _Bars:
    """The bars of one EAN-13, in page points."""

    left: float
    right: float
    top: float
    bottom: float
    """Bottom of the normal bars (the guard bars reach lower)."""


@dataclass(frozen=True)
class _Page:
    """Everything the rules need from the first page, read while the PDF was open."""

    chars: list[_Char]
    bars: _Bars | None
    free_left: float
    """Ink-free space left of the bars, up to what the quiet zone needs (points)."""
    free_right: float
    symbols: list[_Symbol]
    """What a scanner reads, and where the symbol is."""
    shapes: list[_Shape]
    """Painted paths and images that meet some glyph's box and are not near white, in page points."""
    grounds: list[_Ground]
    """Filled paths under or over some glyph, of any colour: what text is read against."""
    order: dict[int, int]
    """Paint order of each text object (by address): a shape painted later lies over its text."""
    trim: Box
    """The TrimBox: the label as cut. Findings measure from its top left corner."""
    media: Box
    """The MediaBox: the trim, its bleed and the crop marks (the raster covers only the trim)."""

    @property
    def height(self) -> float:
        """The trim's top in points (PDF y runs upwards; findings give millimetres from the top)."""
        return self.trim[3]


Edge = tuple[float, float, float, float]
"""A straight piece of a shape's outline: x0, y0, x1, y1 in page points."""


@dataclass(frozen=True)
class _Shape:
    """A painted path or image: its bounds, its outline and how it is painted."""

    box: Box
    """Bounds of the paint, stroke width included."""
    edges: tuple[Edge, ...]
    """The outline's straight pieces (subpaths closed when filled)."""
    fill: Literal["even_odd", "winding"] | None
    """The fill rule when its inside is painted, else None."""
    half_width: float
    """Half the stroke width when its outline is painted, else 0."""
    order: int = 0
    """Its place in the page's paint order."""


@dataclass(frozen=True)
class _Ground:
    """A filled path as a background: its outline, fill rule, colour and paint order."""

    box: Box
    edges: tuple[Edge, ...]
    fill: Literal["even_odd", "winding"]
    rgb: tuple[int, int, int]
    order: int


def _measure(pdf: bytes, expect: LabelExpect) -> _Page:
    """Open ``pdf`` once, read its first page's text, paths and symbols, and close everything."""
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        try:
            media = tuple(page.get_mediabox())
            trim = tuple(page.get_trimbox())  # the MediaBox when the page has no TrimBox
            textpage = page.get_textpage()
            try:
                chars = _read_chars(textpage)
            finally:
                textpage.close()
            objects = _read_paint(page, [c.box for c in chars if c.ink], trim)
            bars = _find_bars(objects.rects)
            grid = _Grid(page, media, trim)
            symbols: list[_Symbol] = []
            free_left = free_right = 0.0
            if bars is not None:
                x = (bars.right - bars.left) / EAN13_MODULES
                # the symbol and its quiet zones, over the normal bars' height, and 3X more for the decoder
                region = (bars.left - (QUIET_LEFT_X + 3) * x, bars.bottom,
                          bars.right + (QUIET_RIGHT_X + 3) * x, bars.top + x)
                with grid.raster(region) as raster:
                    symbols += _decode_ean(raster)
                    free_left = _free_space(raster, bars, "left", trim)
                    free_right = _free_space(raster, bars, "right", trim)
            for box in objects.squares:
                m = (box[2] - box[0]) * QR_MARGIN
                with grid.raster((box[0] - m, box[1] - m, box[2] + m, box[3] + m)) as raster:
                    symbols += _decode_qr(raster)
            formats = {f for f, _, _ in symbols}
            if ((expect.gtin is not None and zxingcpp.BarcodeFormat.EAN13 not in formats)
                    or (expect.digital_link is not None and zxingcpp.BarcodeFormat.QRCode not in formats)):
                # a symbol that is wanted and not found where it is drawn: placed as an image, say,
                # or broken; the whole label as cut is read, as a scanner would read it
                with grid.raster(trim) as raster:
                    symbols = _decode_ean(raster) + _decode_qr(raster)
        finally:
            page.close()
    finally:
        document.close()
    return _Page(chars, bars, free_left, free_right, symbols, objects.shapes, objects.grounds, objects.order,
                 trim, media)


_Symbol = tuple[zxingcpp.BarcodeFormat, str, Box]
"""A decoded symbol: its format, its text and where it is on the page."""


@dataclass(frozen=True)
class _Raster:
    """A grey raster of part of the label, on the grid of the whole label's raster at ``SCALE``."""

    bitmap: pdfium.PdfBitmap
    image: Image.Image
    """The bitmap as a PIL image (sharing its memory)."""
    trim: Box
    left: int
    """Its first column in the label's raster (whose column 0 is the TrimBox's left edge)."""
    top: int
    """Its first row in the label's raster (whose row 0 is the TrimBox's top edge)."""


class _Grid:
    """Rasters of regions of the label as cut, each pixel where the whole label's raster has it.

    A region is rendered alone (pdfium clips the page to it), so reading a symbol costs its own
    pixels, not the label's; the pixels are those of the whole raster, so quiet zones measure
    the same as on it.
    """

    def __init__(self, page: pdfium.PdfPage, media: Box, trim: Box) -> None:
        self.page, self.trim = page, trim
        # pypdfium2 renders the MediaBox, cut by whole pixels: ceil(points × scale) each side
        self.width = math.ceil((media[2] - media[0]) * SCALE)
        self.height = math.ceil((media[3] - media[1]) * SCALE)
        self.cut_left = math.ceil((trim[0] - media[0]) * SCALE)
        self.cut_top = math.ceil((media[3] - trim[3]) * SCALE)
        self.cut_right = math.ceil((media[2] - trim[2]) * SCALE)
        self.cut_bottom = math.ceil((trim[1] - media[1]) * SCALE)

    @contextmanager
    def raster(self, region: Box) -> Iterator[_Raster]:
        """The grey raster of ``region`` (page points) within the TrimBox, at ``SCALE``."""
        trim = self.trim
        inner_width = self.width - self.cut_left - self.cut_right
        inner_height = self.height - self.cut_top - self.cut_bottom
        left = min(inner_width - 1, max(0, math.floor((region[0] - trim[0]) * SCALE)))
        right = max(left + 1, min(inner_width, math.ceil((region[2] - trim[0]) * SCALE)))
        top = min(inner_height - 1, max(0, math.floor((trim[3] - region[3]) * SCALE)))
        bottom = max(top + 1, min(inner_height, math.ceil((trim[3] - region[1]) * SCALE)))
        pixels = (self.cut_left + left, self.height - self.cut_top - bottom,
                  self.width - self.cut_left - right, self.cut_top + top)  # left, bottom, right, top
        # render() cuts ceil(crop × scale) pixels: a hair less than a whole number gives that number
        crop = tuple(max(0.0, (p - 0.001) / SCALE) for p in pixels)
        bitmap = self.page.render(scale=SCALE, grayscale=True, crop=crop)
        try:
            yield _Raster(bitmap, bitmap.to_pil(), trim, left, top)  # the image shares the bitmap's memory
        finally:
            bitmap.close()


def _read_chars(textpage: pdfium.PdfTextPage) -> list[_Char]:
    """Return every character of ``textpage`` with its font, size on the page and glyph box."""
    chars = []
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    # font, size, matrix and colour belong to the text object: asked once per object, not per character
    objects: dict[int, tuple[int, float, tuple[int, int, int]]] = {}
    raw = textpage.raw  # the handle itself: the wrapper would be converted on every call
    unicode, generated = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated
    text_object, char_box = pdfium_c.FPDFText_GetTextObject, pdfium_c.FPDFText_GetCharBox
    for i in range(textpage.count_chars()):
        text = chr(unicode(raw, i))
        if generated(raw, i):
            chars.append(_Char(text, True, 0, 0.0, (0.0, 0.0, 0.0, 0.0), False))
            continue
        source = text_object(raw, i)
        address = _address(source)
        if address not in objects:
            objects[address] = _text_object(raw, i, source)
        font, em, rgb = objects[address]
        char_box(raw, i, left, right, bottom, top)
        ink = em > 0 and not text.isspace() and unicodedata.category(text)[0] != "C"
        chars.append(_Char(text, False, font, em, (left.value, bottom.value, right.value, top.value), ink,
                           address, rgb))
    return chars


def _text_object(textpage: Any, i: int, source: Any) -> tuple[int, float, tuple[int, int, int]]:
    """The font (its address), size on the page and fill colour of character ``i``'s text object."""
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(textpage, i, matrix)
    # the font size is in text space; the matrix carries the CTM (0.75 for CSS px)
    em = pdfium_c.FPDFText_GetFontSize(textpage, i) * math.hypot(matrix.c, matrix.d)
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    pdfium_c.FPDFText_GetFillColor(textpage, i, red, green, blue, alpha)
    return _address(pdfium_c.FPDFTextObj_GetFont(source)), em, (red.value, green.value, blue.value)


PAINTED = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_TEXT)


def _address(handle: Any) -> int:
    return ctypes.c_void_p.from_buffer(handle).value or 0  # the pointer's value, read in place


def _page_objects(page: pdfium.PdfPage) -> Iterator[tuple[pdfium.PdfObject, Matrix]]:
    """Yield every path, image and text object of ``page`` in paint order.

    Each comes with the matrix from its space to the page's.
    """
    forms: list[Matrix] = []  # forms[level] maps level+1 objects to page space
    for obj in page.get_objects():
        del forms[obj.level:]
        to_page = forms[-1] if forms else IDENTITY
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            forms.append(_compose(to_page, tuple(obj.get_matrix().get())))
        elif obj.type in PAINTED:
            yield obj, to_page


@dataclass(frozen=True)
class _Objects:
    """What the rules take from the page's objects, read in one pass."""

    rects: list[Box]
    """Upright dark filled rectangles: bar candidates."""
    squares: list[Box]
    """Dark filled square paths of many pieces: where a QR code may be drawn."""
    shapes: list[_Shape]
    grounds: list[_Ground]
    order: dict[int, int]


def _read_paint(page: pdfium.PdfPage, glyphs: list[Box], trim: Box) -> _Objects:
    """Read the page's objects once: bar and QR candidates, shapes, grounds, the text's paint order.

    The rectangles that may be bars, the squares that may be QR codes, the shapes that may
    cover text, the fills text may stand on, and the place of each text object in the paint
    order.

    A shape or a ground is kept only when its bounds meet one of ``glyphs``; objects wholly
    outside the trim (the crop marks, the bleed) are left out.
    """
    rects, squares, shapes, grounds, order = [], [], [], [], {}
    centres = _BoxIndex([((g[0] + g[2]) / 2, (g[1] + g[3]) / 2) * 2 for g in glyphs])
    boxes = _BoxIndex(glyphs)
    for index, (obj, to_page) in enumerate(_page_objects(page)):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
            order[_address(obj.raw)] = index
            continue
        box = _transform(to_page, obj.get_bounds())
        if not _overlaps(box, trim):
            continue
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            if boxes.meets(box):
                shapes.append(_Shape(box, _rectangle_edges(box), "winding", 0.0, index))
            continue
        width, height = box[2] - box[0], box[3] - box[1]
        segments = pdfium_c.FPDFPath_CountSegments(obj)
        fill_mode, stroked = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroked)
        fill_level = _level(obj, pdfium_c.FPDFPageObj_GetFillColor)
        dark_fill = fill_mode.value != pdfium_c.FPDF_FILLMODE_NONE and fill_level < DARK_LEVEL
        if dark_fill and height >= BAR_MIN_HEIGHT_PT and 0 < width <= height / 4 and 4 <= segments <= 6:
            rects.append(box)
        elif (dark_fill and segments >= QR_MIN_SEGMENTS and width >= QR_MIN_PT
              and abs(width - height) <= QR_SQUARE * width):
            squares.append(box)
        paint = _Paint(fill_mode.value, bool(stroked.value), fill_level)
        matrix = _compose(to_page, tuple(obj.get_matrix().get()))
        shape = _shape(obj, matrix, box, paint, boxes)
        if shape is not None:
            shapes.append(replace(shape, order=index))
        if fill_mode.value != pdfium_c.FPDF_FILLMODE_NONE and centres.holds_point_in(box):
            rule: Literal["even_odd", "winding"] = (
                "even_odd" if fill_mode.value == pdfium_c.FPDF_FILLMODE_ALTERNATE else "winding")
            grounds.append(_Ground(box, tuple(_outline(obj, matrix, closed=True)), rule,
                                   _rgb(obj, pdfium_c.FPDFPageObj_GetFillColor), index))
    return _Objects(rects, squares, shapes, grounds, order)


def _rgb(obj: pdfium.PdfObject, get_colour: object) -> tuple[int, int, int]:
    """The object's fill or stroke colour as RGB (white when none)."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not get_colour(obj, r, g, b, a) or a.value == 0:  # type: ignore[operator]
        return 255, 255, 255
    return r.value, g.value, b.value


def _level(obj: pdfium.PdfObject, get_colour: object) -> float:
    """Return the grey level (0–255) of the object's fill or stroke colour; 255 when none or clear."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not get_colour(obj, r, g, b, a) or a.value == 0:  # type: ignore[operator]
        return 255.0
    return 0.299 * r.value + 0.587 * g.value + 0.114 * b.value


@dataclass(frozen=True)
class _Paint:
    """How a path object is drawn: pdfium's fill mode, whether it is stroked, its fill's grey level."""

    fill_mode: int
    stroked: bool
    fill_level: float


def _shape(obj: pdfium.PdfObject, matrix: Matrix, box: Box, paint: _Paint,
           glyphs: _BoxIndex) -> _Shape | None:
    """Return the painted shape of a path object, or None when it paints nothing near a glyph."""
    fill: Literal["even_odd", "winding"] | None = None
    if paint.fill_mode != pdfium_c.FPDF_FILLMODE_NONE and paint.fill_level < LIGHT_LEVEL:
        fill = "even_odd" if paint.fill_mode == pdfium_c.FPDF_FILLMODE_ALTERNATE else "winding"
    half = 0.0
    if paint.stroked and _level(obj, pdfium_c.FPDFPageObj_GetStrokeColor) < LIGHT_LEVEL:
        width = ctypes.c_float()
        if pdfium_c.FPDFPageObj_GetStrokeWidth(obj, width):
            half = width.value * math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2])) / 2
    if fill is None and half <= 0:
        return None
    # get_bounds() already includes the stroke; widen it anyway, pdfium may leave out the caps
    box = (box[0] - half, box[1] - half, box[2] + half, box[3] + half)
    if not glyphs.meets(box):
        return None
    return _Shape(box, tuple(_outline(obj, matrix, closed=fill is not None)), fill, half)


def _outline(obj: pdfium.PdfObject, matrix: Matrix, closed: bool) -> Iterator[Edge]:
    """Yield the straight pieces of a path's outline in page space, curves flattened.

    ``closed``: close every subpath (a fill); otherwise only those the path closes (a stroke).
    """
    x, y = ctypes.c_float(), ctypes.c_float()
    a, b, c, d, e, f = matrix
    points: list[tuple[float, float]] = []
    controls: list[tuple[float, float]] = []
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            yield from _edges(points, closed)
            points = [point]
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            controls.append(point)
            if len(controls) == 3 and points:
                points += _chords(points[-1], *controls)
                controls = []
        else:
            points.append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            yield from _edges(points, True)
            points = points[:1]
    yield from _edges(points, closed)


def _chords(p0: tuple[float, float], p1: tuple[float, float], p2: tuple[float, float],
            p3: tuple[float, float]) -> list[tuple[float, float]]:
    """Return the points that follow ``p0`` on a cubic Bézier curve, as ``CURVE_CHORDS`` chords."""
    out = []
    for k in range(1, CURVE_CHORDS + 1):
        t = k / CURVE_CHORDS
        u = 1 - t
        w0, w1, w2, w3 = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
        out.append((w0 * p0[0] + w1 * p1[0] + w2 * p2[0] + w3 * p3[0],
                    w0 * p0[1] + w1 * p1[1] + w2 * p2[1] + w3 * p3[1]))
    return out


def _edges(points: list[tuple[float, float]], closed: bool) -> Iterator[Edge]:
    """Yield the edges joining ``points`` in turn, and back to the first when ``closed``."""
    if closed and len(points) > 2 and points[0] != points[-1]:
        points = [*points, points[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        yield x0, y0, x1, y1


def _rectangle_edges(box: Box) -> tuple[Edge, ...]:
    left, bottom, right, top = box
    return ((left, bottom, right, bottom), (right, bottom, right, top), (right, top, left, top),
            (left, top, left, bottom))


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class _BoxIndex:
    """Boxes filed by the cells of a coarse grid they touch, to find those near a box quickly.

    A label has hundreds of glyphs and of paths; testing each path against each glyph was
    most of the time the rules took on the paths.
    """

    CELL = 24.0
    """Cell size in points (about 8.5 mm)."""

    def __init__(self, boxes: list[Box]) -> None:
        self.cells: dict[tuple[int, int], list[Box]] = defaultdict(list)
        for box in boxes:
            for cell in self._cells(box):
                self.cells[cell].append(box)

    def _cells(self, box: Box) -> Iterator[tuple[int, int]]:
        size = self.CELL
        for i in range(math.floor(box[0] / size), math.floor(box[2] / size) + 1):
            for j in range(math.floor(box[1] / size), math.floor(box[3] / size) + 1):
                yield i, j

    def _near(self, box: Box) -> Iterator[Box]:
        for cell in self._cells(box):
            yield from self.cells.get(cell, ())

    def meets(self, box: Box) -> bool:
        """True when ``box`` overlaps one of the boxes (as :func:`_overlaps`: touching is not)."""
        return any(_overlaps(box, g) for g in self._near(box))

    def holds_point_in(self, box: Box) -> bool:
        """For boxes that are points (left = right, bottom = top): one lies in ``box``, edges included."""
        return any(box[0] <= p[0] <= box[2] and box[1] <= p[1] <= box[3] for p in self._near(box))


def _clip(edge: Edge, box: Box) -> tuple[float, float] | None:
    """Return the part of the segment ``edge`` inside ``box`` as (t0, t1), or None (Liang–Barsky)."""
    x0, y0, x1, y1 = edge
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return None
        else:
            r = q / p
            if p < 0:
                low = max(low, r)
            else:
                high = min(high, r)
            if low > high:
                return None
    return low, high


def _segment_meets(edge: Edge, box: Box) -> bool:
    """True when the segment ``edge`` has a point inside ``box``."""
    return _clip(edge, box) is not None


def _inside(shape: _Shape | _Ground, x: float, y: float) -> bool:
    """True when the point is inside the filled shape (its fill rule)."""
    winding = crossings = 0
    for x0, y0, x1, y1 in shape.edges:
        if (y0 <= y) != (y1 <= y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            crossings += 1
            winding += 1 if y1 > y0 else -1
    return crossings % 2 == 1 if shape.fill == "even_odd" else winding != 0


def _covers(shape: _Shape, glyph: Box) -> bool:
    """True when the paint of ``shape`` meets the glyph box."""
    if not _overlaps(shape.box, glyph):
        return False
    if shape.half_width > 0:
        h = shape.half_width
        grown = (glyph[0] - h, glyph[1] - h, glyph[2] + h, glyph[3] + h)
        if any(_segment_meets(edge, grown) for edge in shape.edges):
            return True
    if shape.fill is None:
        return False
    if _inside(shape, (glyph[0] + glyph[2]) / 2, (glyph[1] + glyph[3]) / 2):
        return True
    # an outline crossing the glyph: painted on one side of it, unless an edge running the other
    # way cancels it (a border drawn as an outer minus an inner rectangle has zero-width sides)
    for edge in shape.edges:
        part = _clip(edge, glyph)
        if part is None:
            continue
        x0, y0, x1, y1 = edge
        length = math.hypot(x1 - x0, y1 - y0)
        if length == 0:
            continue
        t = (part[0] + part[1]) / 2
        x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        nx, ny = (y0 - y1) / length * SIDE_STEP_PT, (x1 - x0) / length * SIDE_STEP_PT
        for px, py in ((x + nx, y + ny), (x - nx, y - ny)):
            if glyph[0] <= px <= glyph[2] and glyph[1] <= py <= glyph[3] and _inside(shape, px, py):
                return True
    return False


def _compose(outer: Matrix, inner: Matrix) -> Matrix:
    """Return the matrix that applies ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    oa, ob, oc, od, oe, of = outer
    return (a * oa + b * oc, a * ob + b * od, c * oa + d * oc, c * ob + d * od,
            e * oa + f * oc + oe, e * ob + f * od + of)


def _transform(matrix: Matrix, box: Box) -> Box:
    """Return the bounds of ``box`` mapped by ``matrix``."""
    a, b, c, d, e, f = matrix
    left, bottom, right, top = box
    xs, ys = [], []
    for x, y in ((left, bottom), (left, top), (right, bottom), (right, top)):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return min(xs), min(ys), max(xs), max(ys)


def _find_bars(rects: list[Box]) -> _Bars | None:
    """Return the bars of the EAN-13 among the page's upright dark rectangles, or None."""
    for group in _bar_groups(rects):
        if len(group) == EAN13_BARS:
            bottoms = sorted(r[1] for r in group)
            return _Bars(group[0][0], max(r[2] for r in group), max(r[3] for r in group),
                         statistics.median(bottoms))
    return None


def _bar_groups(rects: list[Box]) -> list[list[Box]]:
    """Group bar rectangles into symbols: a shared top edge and small gaps; join touching pieces."""
    by_top: list[list[Box]] = []
    for rect in sorted(rects, key=lambda r: r[3]):
        if by_top and rect[3] - by_top[-1][0][3] <= BAR_TOP_TOLERANCE_PT:
            by_top[-1].append(rect)
        else:
            by_top.append([rect])
    groups: list[list[Box]] = []
    for row in by_top:
        current: list[Box] = []
        for rect in sorted(row):
            if current and rect[0] - current[-1][2] <= BAR_TOUCH_PT:
                last = current[-1]
                current[-1] = (last[0], min(last[1], rect[1]), max(last[2], rect[2]),
                               max(last[3], rect[3]))
            elif current and rect[0] - current[-1][2] > BAR_GAP_MAX_PT:
                groups.append(current)
                current = [rect]
            else:
                current.append(rect)
        if current:
            groups.append(current)
    return groups


def _free_space(raster: _Raster, bars: _Bars, side: Literal["left", "right"], trim: Box) -> float:
    """Return the ink-free width (points) beside the bars on ``side``, up to the zone's width.

    ``raster`` covers the zone as far as the TrimBox, whose edge ends the zone. The column of
    pixels touching the bars is skipped: it holds their anti-aliased edge. Columns and rows are
    counted in the whole label's raster, whose column 0 is the TrimBox's left edge.
    """
    x = (bars.right - bars.left) / EAN13_MODULES
    needed = x * (QUIET_LEFT_X if side == "left" else QUIET_RIGHT_X)
    room = bars.left - trim[0] if side == "left" else trim[2] - bars.right
    limit = max(0.0, min(needed, room))  # the label's edge ends the zone
    image = raster.image
    top = max(raster.top, math.floor((trim[3] - bars.top) * SCALE))
    bottom = min(raster.top + image.height, math.ceil((trim[3] - bars.bottom) * SCALE))
    if side == "left":
        edge = (bars.left - trim[0]) * SCALE
        first, stop = math.ceil(edge - limit * SCALE), math.floor(edge) - 1
    else:
        edge = (bars.right - trim[0]) * SCALE
        first, stop = math.floor(edge) + 2, math.floor(edge + limit * SCALE)
    first, stop = max(raster.left, first), min(raster.left + image.width, stop)
    if stop <= first or bottom <= top:
        return limit
    box = (first - raster.left, top - raster.top, stop - raster.left, bottom - raster.top)
    ink = image.crop(box).point(_INK_LUT).getbbox()
    if ink is None:
        return limit
    if side == "left":
        return max(0.0, (edge - (first + ink[2])) / SCALE)
    return max(0.0, (first + ink[0] - edge) / SCALE)


_INK_LUT = [255 if level < DARK_LEVEL else 0 for level in range(256)]


def _decode_ean(raster: _Raster) -> list[_Symbol]:
    """Every EAN-13 zxing-cpp reads in ``raster``, each with its box on the page."""
    return _decode(raster, zxingcpp.BarcodeFormat.EAN13)


def _decode_qr(raster: _Raster) -> list[_Symbol]:
    """Every QR code zxing-cpp reads in ``raster``, each with its box on the page."""
    return _decode(raster, zxingcpp.BarcodeFormat.QRCode)


def _decode(raster: _Raster, symbology: zxingcpp.BarcodeFormat) -> list[_Symbol]:
    """Decode every symbol of ``symbology`` in the grey ``raster``; each with its box on the page."""
    bitmap = raster.bitmap
    # a view of pdfium's buffer: handing zxing the PIL image would copy it first
    view = zxingcpp.ImageView(memoryview(bitmap.buffer), bitmap.width, bitmap.height,
                              zxingcpp.ImageFormat.Lum, bitmap.stride, 1)
    # 300 dpi never needs the downscaled passes; inverted (light-on-dark) symbols are not ours
    formats = zxingcpp.BarcodeFormats([symbology])
    results = zxingcpp.read_barcodes(view, formats=formats, try_downscale=False, try_invert=False)
    found = []
    for r in results:
        corners = [r.position.top_left, r.position.top_right, r.position.bottom_left, r.position.bottom_right]
        xs = [raster.trim[0] + (raster.left + p.x) / SCALE for p in corners]
        ys = [raster.trim[3] - (raster.top + p.y) / SCALE for p in corners]
        found.append((r.format, r.text, (min(xs), min(ys), max(xs), max(ys))))
    return found


# --- finding text ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """Return ``text`` as compared: lowercase, decomposed, without whitespace or controls."""
    folded = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c)[0] != "C")


class _Text:
    """The page's characters, searchable as text with whitespace removed."""

    def __init__(self, chars: list[_Char]) -> None:
        self.chars = chars
        self._layers = [self._squash(drop_hyphens=False), self._squash(drop_hyphens=True)]

    def _squash(self, drop_hyphens: bool) -> tuple[str, list[tuple[int, int]]]:
        """Return the folded text and, per code point, the characters it came from."""
        parts: list[str] = []
        owners: list[tuple[int, int]] = []
        i = 0
        while i < len(self.chars):
            end = i + 1  # a base character and the combining marks that follow it
            while end < len(self.chars) and unicodedata.combining(self.chars[end].text):
                end += 1
            if not (drop_hyphens and self._breaks_word(i)):
                folded = _fold("".join(c.text for c in self.chars[i:end]))
                parts.append(folded)
                owners += [(i, end - 1)] * len(folded)
            i = end
        return "".join(parts), owners

    def _breaks_word(self, i: int) -> bool:
        """True for a hyphen followed by a line break that pdfium added."""
        after = self.chars[i + 1] if i + 1 < len(self.chars) else None
        return (self.chars[i].text in LINE_END_HYPHENS and after is not None
                and after.generated and after.text in "\r\n")

    def find(self, needle: str) -> list[list[int]]:
        """Return, for every occurrence of ``needle``, the indexes of its printed characters."""
        target = _fold(needle)
        if not target:
            return []
        spans: dict[tuple[int, int], None] = {}  # both layers may find the same occurrence
        for folded, owners in self._layers:
            start = folded.find(target)
            while start >= 0:
                spans[(owners[start][0], owners[start + len(target) - 1][1])] = None
                start = folded.find(target, start + len(target))
        return [[k for k in range(a, b + 1) if self.chars[k].ink] for a, b in spans]

    def snippet(self, i: int) -> str:
        """Return the run of same-size text around character ``i`` on its line, shortened."""
        em = self.chars[i].em

        def same(k: int) -> bool:
            c = self.chars[k]
            return c.text not in "\r\n" and (c.em == 0 or math.isclose(c.em, em, rel_tol=0.01))

        start, end = i, i + 1
        while start > 0 and i - start < SNIPPET_CHARS // 2 and same(start - 1):
            start -= 1
        while end < len(self.chars) and end - start < SNIPPET_CHARS and same(end):
            end += 1
        text = " ".join("".join(c.text for c in self.chars[start:end]).split())
        before = start > 0 and same(start - 1)
        after = end < len(self.chars) and same(end)
        return ("…" if before else "") + text + ("…" if after else "")


class _FontMetrics:
    """Cap height and x-height of each font, as ratios of its em, measured on the page."""

    def __init__(self, chars: list[_Char]) -> None:
        caps: dict[int, list[float]] = defaultdict(list)
        xs: dict[int, list[float]] = defaultdict(list)
        for c in chars:
            if c.ink and c.text in CAP_REFERENCE:
                caps[c.font].append(c.height / c.em)
            elif c.ink and c.text in X_REFERENCE:
                xs[c.font].append(c.height / c.em)
        self._cap = {font: statistics.median(v) for font, v in caps.items()}
        # the lowest: round letters (o, c, s) overshoot the x-height, flat ones (x, v, z) do not
        self._x = {font: min(v) for font, v in xs.items()}

    def cap(self, c: _Char) -> float:
        """Return the cap height of ``c``'s font at ``c``'s size, in points."""
        return c.em * self._cap.get(c.font, DEFAULT_CAP_EM)

    def x_height(self, c: _Char) -> float:
        """Return the x-height of ``c``'s font at ``c``'s size, in points."""
        ratio = self._x.get(c.font)
        if ratio is None:  # a font set only in capitals or figures: keep DejaVu's proportion
            ratio = self._cap.get(c.font, DEFAULT_CAP_EM) * DEFAULT_X_EM / DEFAULT_CAP_EM
        return c.em * ratio

    def name_size(self, chars: list[_Char], spans: list[list[int]]) -> float:
        """Return the cap height of the largest occurrence, taken at its smallest letter."""
        return max((min(self.cap(chars[k]) for k in span) for span in spans if span), default=0.0)


def _mm(points: float, digits: int = 2) -> float:
    return round(points * PT_TO_MM, digits)


# --- rules ----------------------------------------------------------------------------------


@check("pdf-text-missing")
def _missing_texts(label: LabelPage) -> list[Finding]:
    text, expect = label.text, label.expect
    """``pdf-text-missing``: each mandatory text (and the names and quantity) is on the page."""
    wanted = [*expect.required_texts, expect.name_vi, expect.quantity]
    if expect.name_en:
        wanted.append(expect.name_en)
    return [Finding("pdf-text-missing", {"text": t}, page=1)
            for t in dict.fromkeys(wanted) if _fold(t) and not text.find(t)]


@check("pdf-name-largest")
def _name_largest(label: LabelPage) -> list[Finding]:
    text, fonts, expect = label.text, label.fonts, label.expect
    """``pdf-name-largest``: no character is taller than the name (a missing name is reported apart)."""
    spans = text.find(expect.name_vi)
    in_name = {k for span in spans for k in span}
    others = [k for k, c in enumerate(text.chars) if c.ink and k not in in_name]
    if not spans or not others:
        return []
    name = fonts.name_size(text.chars, spans)
    biggest = max(others, key=lambda k: fonts.cap(text.chars[k]))
    other = fonts.cap(text.chars[biggest])
    if _mm(other) <= _mm(name):
        return []
    return [Finding("pdf-name-largest", {"name_mm": _mm(name), "other_mm": _mm(other),
                                         "other_text": text.snippet(biggest)}, page=1)]


@check("pdf-foreign-larger")
def _foreign_larger(label: LabelPage) -> list[Finding]:
    text, fonts, expect = label.text, label.fonts, label.expect
    """``pdf-foreign-larger``: the English name's letters are not taller than the Vietnamese name."""
    if not expect.name_en:
        return []
    english, vietnamese = text.find(expect.name_en), text.find(expect.name_vi)
    if not english or not vietnamese:
        return []  # not printed: reported as missing text
    en = max(fonts.cap(text.chars[k]) for span in english for k in span)
    vi = fonts.name_size(text.chars, vietnamese)
    if _mm(en) <= _mm(vi):
        return []
    return [Finding("pdf-foreign-larger", {"en_mm": _mm(en), "vi_mm": _mm(vi)}, page=1)]


@check("pdf-quantity-figure-height")
def _quantity_height(label: LabelPage) -> list[Finding]:
    text, expect = label.text, label.expect
    """``pdf-quantity-figure-height``: the net-quantity figures are at least their band's height."""
    heights = []
    for span in text.find(expect.quantity):
        digits = [text.chars[k].height for k in span if text.chars[k].text.isdigit()]
        if digits:
            heights.append(min(digits))
    if not heights:
        return []  # not printed: reported as missing text
    measured, minimum = max(heights), round(float(expect.figure_min_mm), 2)
    if _mm(measured) >= minimum:
        return []
    return [Finding("pdf-quantity-figure-height",
                    {"measured_mm": _mm(measured), "min_mm": minimum, "quantity": expect.quantity}, page=1)]


@check("pdf-min-char-height")
def _min_char_height(label: LabelPage) -> list[Finding]:
    text, fonts, expect = label.text, label.fonts, label.expect
    """``pdf-min-char-height``: no character's x-height is below the minimum."""
    printed = [k for k, c in enumerate(text.chars) if c.ink]
    if expect.min_char_mm is None or not printed:
        return []
    smallest = min(printed, key=lambda k: fonts.x_height(text.chars[k]))
    measured, minimum = _mm(fonts.x_height(text.chars[smallest])), round(float(expect.min_char_mm), 2)
    if measured >= minimum:
        return []
    return [Finding("pdf-min-char-height",
                    {"measured_mm": measured, "min_mm": minimum, "text": text.snippet(smallest)}, page=1)]


@check("pdf-mandatory-covered")
def _covered(label: LabelPage) -> list[Finding]:
    """``pdf-mandatory-covered``: no painted box crosses a glyph of mandatory text; one finding a box."""
    text, page, expect = label.text, label.page, label.expect
    if not page.shapes:
        return []
    wanted = dict.fromkeys((*expect.required_texts, expect.name_vi, expect.quantity))
    mandatory = sorted({k for needle in wanted for span in text.find(needle) for k in span})
    # each glyph's box and paint order once, not once per shape
    glyphs = [(k, _inset(text.chars[k].box), page.order.get(text.chars[k].source, -1)) for k in mandatory]
    findings = []
    for shape in page.shapes:
        left, bottom, right, top = shape.box
        # painted before the text, a shape is its background, not a cover
        hit = next((k for k, box, painted in glyphs
                    if box[0] < right and left < box[2] and box[1] < top and bottom < box[3]
                    and painted < shape.order and _covers(shape, box)), None)
        if hit is not None:
            findings.append(Finding("pdf-mandatory-covered", {
                "text": text.snippet(hit), "x_mm": _mm(left - page.trim[0]), "y_mm": _mm(page.height - top),
                "width_mm": _mm(right - left), "height_mm": _mm(top - bottom)}, page=1))
    return findings


def _inset(box: Box) -> Box:
    inset = GLYPH_INSET_PT
    return (box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset)


@check("pdf-ean-missing", "pdf-ean-module-width", "pdf-ean-bar-height", "pdf-ean-quiet-zone")
def _ean_geometry(label: LabelPage) -> list[Finding]:
    page, expect = label.page, label.expect
    """``pdf-ean-missing``, ``-module-width``, ``-bar-height``, ``-quiet-zone``: GS1 geometry."""
    bars = page.bars
    if expect.gtin is None:  # a label without a barcode (no GTIN, or no GS1 prefix) is lawful
        return []
    if bars is None:
        return [Finding("pdf-ean-missing", {}, page=1)]
    findings = []
    x = (bars.right - bars.left) / EAN13_MODULES
    x_mm = x * PT_TO_MM
    declared = float(X_NOMINAL_MM * expect.magnification)
    window = declared * MAGNIFICATION_TOLERANCE
    if not X_MIN_MM <= round(x_mm, 3) <= X_MAX_MM:
        limits = (X_MIN_MM, X_MAX_MM)
    elif abs(x_mm - declared) > window:
        limits = (declared - window, declared + window)
    else:
        limits = None
    if limits is not None:
        findings.append(Finding("pdf-ean-module-width",
                                {"x_mm": round(x_mm, 3), "min_x_mm": round(limits[0], 3),
                                 "max_x_mm": round(limits[1], 3)}, page=1))
    needed_height = float(BAR_HEIGHT_NOMINAL_MM) * x_mm / float(X_NOMINAL_MM) * (1 - BAR_HEIGHT_TOLERANCE)
    if _mm(bars.top - bars.bottom) < round(needed_height, 2):
        findings.append(Finding("pdf-ean-bar-height", {"bar_height_mm": _mm(bars.top - bars.bottom),
                                                       "min_mm": round(needed_height, 2)}, page=1))
    for modules, free in ((QUIET_LEFT_X, page.free_left), (QUIET_RIGHT_X, page.free_right)):
        if _mm(free) < _mm(modules * x):
            # "modules" (11 left, 7 right) names the side in any language
            findings.append(Finding("pdf-ean-quiet-zone",
                                    {"modules": modules, "needed_mm": _mm(modules * x),
                                     "free_mm": _mm(free)}, page=1))
    return findings


@check("pdf-ean-decodes", "pdf-qr-digital-link")
def _symbols(label: LabelPage) -> list[Finding]:
    page, expect = label.page, label.expect
    """``pdf-ean-decodes`` and ``pdf-qr-digital-link``: what a scanner reads."""
    findings = []
    eans = [t for f, t, _ in page.symbols if f == zxingcpp.BarcodeFormat.EAN13]
    # with no bars and nothing decoded, pdf-ean-missing already says it all
    if expect.gtin is not None and expect.gtin not in eans and (eans or page.bars is not None):
        findings.append(Finding("pdf-ean-decodes", {"expected": expect.gtin, "got": eans[0] if eans else ""},
                                page=1))
    if expect.digital_link is not None:
        qrs = [t for f, t, _ in page.symbols if f == zxingcpp.BarcodeFormat.QRCode]
        if expect.digital_link not in qrs:
            findings.append(Finding("pdf-qr-digital-link",
                                    {"expected": expect.digital_link, "got": qrs[0] if qrs else ""}, page=1))
    return findings


# --- print geometry and legibility -----------------------------------------------------------


def _mandatory(label: LabelPage) -> dict[str, list[int]]:
    """Each mandatory text (the required texts, the name, the quantity) and its printed characters."""
    expect, text = label.expect, label.text
    wanted = dict.fromkeys((*expect.required_texts, expect.name_vi, expect.quantity))
    return {needle: sorted({k for span in text.find(needle) for k in span}) for needle in wanted if needle}


def _distance_inside(box: Box, trim: Box) -> float:
    """How far ``box`` lies inside ``trim`` at its nearest edge (negative: it crosses the edge)."""
    return min(box[0] - trim[0], box[1] - trim[1], trim[2] - box[2], trim[3] - box[3])


@check("pdf-safe-zone")
def _safe_zone(label: LabelPage) -> list[Finding]:
    """``pdf-safe-zone``: mandatory text, the EAN-13 and the QR keep ``safe_mm`` from the trim.

    A print shop cuts within about a millimetre of the trim; what lies closer may be cut off.
    One finding per mandatory text (its nearest character) and per symbol.
    """
    page, text = label.page, label.text
    safe = float(label.expect.safe_mm) / PT_TO_MM
    findings = []
    for chars in _mandatory(label).values():
        if not chars:
            continue  # not printed: pdf-text-missing says so
        nearest = min(chars, key=lambda k: _distance_inside(text.chars[k].box, page.trim))
        distance = _distance_inside(text.chars[nearest].box, page.trim)
        if distance < safe:
            findings.append(Finding("pdf-safe-zone", {"what": text.snippet(nearest), "distance_mm": _mm(
                distance), "safe_mm": float(label.expect.safe_mm)}, page=1))
    bars = page.bars
    symbols = [("EAN-13", (bars.left, bars.bottom, bars.right, bars.top))] if bars else []
    symbols += [("QR", box) for kind, _, box in page.symbols if kind == zxingcpp.BarcodeFormat.QRCode]
    for name, box in symbols:
        distance = _distance_inside(box, page.trim)
        if distance < safe:
            findings.append(Finding("pdf-safe-zone", {"what": name, "distance_mm": _mm(distance),
                                                      "safe_mm": float(label.expect.safe_mm)}, page=1))
    return findings


def _luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """The WCAG 2 contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


PAPER = (255, 255, 255)
COLOUR_MATCH = 60.0
"""Largest RGB distance at which a colour on the page is taken for a design colour (the PDF
viewer's CMYK conversion differs from the naive one the design data is compared in)."""


def _ground(page: _Page, char: _Char) -> tuple[int, int, int]:
    """The colour painted under ``char``'s centre before its text: the topmost fill, else paper."""
    x, y = (char.box[0] + char.box[2]) / 2, (char.box[1] + char.box[3]) / 2
    painted = page.order.get(char.source, -1)
    under = [g for g in page.grounds if g.order < painted and g.box[0] <= x <= g.box[2]
             and g.box[1] <= y <= g.box[3] and _inside(g, x, y)]
    return max(under, key=lambda g: g.order).rgb if under else PAPER


def _field_of(colour: tuple[int, int, int], expect: LabelExpect) -> str | None:
    """The design field whose colour ``colour`` is, or None."""
    best = min(expect.colours, key=lambda c: math.dist(c[1], colour), default=None)
    return best[0] if best is not None and math.dist(best[1], colour) <= COLOUR_MATCH else None


@check("pdf-text-contrast")
def _contrast(label: LabelPage) -> list[Finding]:
    """``pdf-text-contrast``: mandatory text stands out from what is painted under it.

    Decree 37/2026 Art. 38 asks for clearly legible text; the measure is WCAG 2's contrast ratio
    (4.5 for body text) between the text's colour and the fill painted under it before it,
    both as pdfium converts them. One finding per background colour, naming the design field
    that set it when it is one of the design's colours.
    """
    page, text, expect = label.page, label.text, label.expect
    worst: dict[tuple[int, int, int], tuple[float, int]] = {}
    for chars in _mandatory(label).values():
        for k in chars:
            char = text.chars[k]
            ground = _ground(page, char)
            ratio = contrast(char.rgb, ground)
            if ratio < float(expect.min_contrast) and ratio < worst.get(ground, (99.0, 0))[0]:
                worst[ground] = (ratio, k)
    findings = []
    for ground, (ratio, k) in worst.items():
        field = _field_of(ground, expect) or _field_of(text.chars[k].rgb, expect) or "—"
        findings.append(Finding("pdf-text-contrast", {
            "text": text.snippet(k), "ratio": round(ratio, 1), "min_ratio": float(expect.min_contrast),
            "field": field}, page=1))
    return findings


@check("pdf-space-unused")
def _space_unused(label: LabelPage) -> list[Finding]:
    """``pdf-space-unused``: more than a share of the label's height is left empty at its foot.

    The body size grows until the content fills the label or reaches the theme's largest; a
    label that is still this empty is larger than its text needs: the finding suggests the
    height that would hold it. Content is text, the bars and the QR; backgrounds do not count.
    """
    page, expect = label.page, label.expect
    if expect.unused_share is None:
        return []
    bottoms = [c.box[1] for c in label.text.chars if c.ink]
    if page.bars is not None:  # the guard bars and the digits reach 5 X below the bars
        bottoms.append(page.bars.bottom - 5 * (page.bars.right - page.bars.left) / EAN13_MODULES)
    bottoms += [box[1] for _, _, box in page.symbols]
    if not bottoms:
        return []
    height = page.trim[3] - page.trim[1]
    empty = min(bottoms) - page.trim[1] - float(expect.padding_mm) / PT_TO_MM
    if empty / height <= float(expect.unused_share):
        return []
    suggested = math.ceil((height - empty) * PT_TO_MM)
    return [Finding("pdf-space-unused", {"empty_percent": round(100 * empty / height), "height_mm": round(
        height * PT_TO_MM), "suggested_mm": suggested}, page=1)]
