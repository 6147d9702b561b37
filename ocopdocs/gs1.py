"""GS1 numbers and symbols: check digits, Digital Link URIs, EAN-13 and QR as inline SVG.

The EAN-13 is drawn here at GS1 geometry (X = 0.33 mm × magnification, bars 22.85 mm ×
magnification, quiet zones 11X left and 7X right) from the module pattern python-barcode
encodes. Its own SVG writer has one quiet zone for both sides, no viewBox and styles that
WeasyPrint ignores, so we draw the bars ourselves. It also silently recomputes a wrong check
digit: callers validate with :func:`check_digit` first, and :func:`ean13_svg` refuses a GTIN
whose check digit is wrong.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import quote

X_NOMINAL_MM = Decimal("0.33")
BAR_HEIGHT_NOMINAL_MM = Decimal("22.85")
QUIET_LEFT_X = 11
QUIET_RIGHT_X = 7
EAN13_MODULES = 95
QR_QUIET_MODULES = 4

Ink = tuple[str, str]
"""The bars' colour and the background's, as SVG paints."""
RGB_INK: Ink = ("#000", "#fff")
CMYK_INK: Ink = ("device-cmyk(0 0 0 1)", "device-cmyk(0 0 0 0)")
"""Black ink only, on unprinted paper: what a press needs for a barcode (PDF/X)."""


def check_digit(digits: str) -> int:
    """Return the GS1 check digit for ``digits`` (the GTIN without its last digit)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def is_valid_gtin(gtin: str) -> bool:
    """Return True when ``gtin`` is all digits and its last digit is the right check digit."""
    return (gtin.isascii() and gtin.isdigit() and len(gtin) in (8, 12, 13, 14)
            and int(gtin[-1]) == check_digit(gtin[:-1]))


def gtin14(gtin: str) -> str:
    """Return the GTIN padded to 14 digits, as GS1 Digital Link writes it."""
    return gtin.zfill(14)


def yymmdd(day: date) -> str:
    """Return ``day`` as a GS1 date (YYMMDD); labels print DD/MM/YY instead."""
    return f"{day.year % 100:02d}{day.month:02d}{day.day:02d}"  # strftime pads no year below 1000


def digital_link(resolver: str, gtin: str, lot: str | None = None,
                 expiry: date | None = None, best_before: date | None = None, *,
                 serial: str | None = None) -> str:
    """Return the GS1 Digital Link URI ``<resolver>/01/<GTIN-14>/10/<lot>/21/<serial>?17=<YYMMDD>``.

    ``best_before`` uses AI 15 instead of AI 17 (expiry), as GS1 defines them. The lot (AI 10)
    and the serial (AI 21) are key qualifiers of the GTIN, in the path in that order.
    """
    uri = f"{resolver.rstrip('/')}/01/{gtin14(gtin)}"
    if lot:
        uri += f"/10/{quote(lot, safe='')}"
    if serial:
        uri += f"/21/{quote(serial, safe='')}"
    query = []
    if expiry is not None:
        query.append(f"17={yymmdd(expiry)}")
    if best_before is not None:
        query.append(f"15={yymmdd(best_before)}")
    return uri + ("?" + "&".join(query) if query else "")


@dataclass(frozen=True)
class Symbol:
    """An inline SVG symbol and its outer size in mm (quiet zones included)."""

    svg: str
    width_mm: Decimal
    height_mm: Decimal


def _mm(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.001')).normalize():f}"


def ean13_width_mm(magnification: Decimal = Decimal(1)) -> Decimal:
    """Width of the EAN-13 with its quiet zones: 113 modules of 0.33 mm × magnification."""
    return (QUIET_LEFT_X + EAN13_MODULES + QUIET_RIGHT_X) * X_NOMINAL_MM * magnification


DIGITS_FONT = "'OCR B', 'DejaVu Sans Mono', monospace"
"""GS1 General Specifications §5.2.5: the human-readable digits in OCR-B where it is installed."""
DIGITS_ADVANCE_EM = Decimal("0.723")
"""OCR-B's figure width, as a share of its size."""
DIGIT_PITCH_X = Decimal("6.9")
"""One digit per 7 modules under the bars: the digits' pitch in modules, a little less."""


@functools.lru_cache(maxsize=512)  # drawn again for every layout a label tries: kept, as it is immutable
def ean13_svg(gtin: str, magnification: Decimal = Decimal(1), ink: Ink = RGB_INK, *,
              font: str = DIGITS_FONT, advance_em: Decimal = DIGITS_ADVANCE_EM) -> Symbol:
    """Draw the EAN-13 for ``gtin`` at GS1 geometry as an inline SVG in mm, in ``ink``.

    ``font`` and ``advance_em``: the digits' font family list and the width of its figures, to
    space them one under each 7 modules. Raises ValueError for a GTIN with a wrong check digit
    instead of printing another number.
    """
    if not (len(gtin) == 13 and is_valid_gtin(gtin)):
        raise ValueError(f"not a valid GTIN-13: {gtin!r}")
    import barcode  # drawing happens in render workers; checking files needs no symbol library

    ean = barcode.get_barcode_class("ean13")(gtin[:12])
    if ean.get_fullcode() != gtin:  # python-barcode must encode exactly what we validated
        raise ValueError(f"python-barcode encoded {ean.get_fullcode()} for {gtin}")
    pattern = ean.build()[0]
    assert len(pattern) == EAN13_MODULES

    x = X_NOMINAL_MM * magnification
    bar_h = BAR_HEIGHT_NOMINAL_MM * magnification
    guard_h = bar_h + 5 * x  # guard bars descend 5X into the digit row
    font_size = x * Decimal("9.3")  # digits about 2.2 mm high at 100 %, as GS1 shows them
    digits_y = bar_h + 9 * x
    width = ean13_width_mm(magnification)
    height = digits_y + x  # text baseline plus descender room

    guards = {0, 1, 2, 45, 46, 47, 48, 49, 92, 93, 94}
    rects = []
    i = 0
    while i < EAN13_MODULES:
        if pattern[i] == "1":
            start = i
            while i < EAN13_MODULES and pattern[i] == "1":
                i += 1
            h = guard_h if start in guards else bar_h
            rects.append(f'<rect x="{_mm((QUIET_LEFT_X + start) * x)}" y="0" '
                         f'width="{_mm((i - start) * x)}" height="{_mm(h)}"/>')
        else:
            i += 1

    def text(s: str, centre_module: Decimal, anchor: str = "middle") -> str:
        return (f'<text x="{_mm(centre_module * x)}" y="{_mm(digits_y)}" '
                f'text-anchor="{anchor}">{s}</text>')

    left_start = QUIET_LEFT_X + 3
    right_start = QUIET_LEFT_X + 50
    texts = [text(gtin[0], Decimal(QUIET_LEFT_X - 1), "end"),
             text(gtin[1:7], Decimal(left_start) + Decimal(21)),
             text(gtin[7:], Decimal(right_start) + Decimal(21)),
             text("&gt;", Decimal(QUIET_LEFT_X + EAN13_MODULES + QUIET_RIGHT_X - 1), "end")]
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" class="ean13" '
           f'width="{_mm(width)}mm" height="{_mm(height)}mm" '
           f'viewBox="0 0 {_mm(width)} {_mm(height)}" role="img" aria-label="EAN-13 {gtin}">'
           f'<rect width="{_mm(width)}" height="{_mm(height)}" fill="{ink[1]}"/>'
           f'<g fill="{ink[0]}">{"".join(rects)}</g>'
           f'<g fill="{ink[0]}" font-family="{font}" font-size="{_mm(font_size)}" '
           f'letter-spacing="{_mm(x * DIGIT_PITCH_X - font_size * advance_em)}">{"".join(texts)}</g></svg>')
    return Symbol(svg, width, height)


@functools.lru_cache(maxsize=512)  # choosing the mask takes ~10 ms; a label is laid out 1–4 times
def qr_svg(data: str, size_mm: Decimal, ink: Ink = RGB_INK) -> Symbol:
    """Draw ``data`` as a QR code (error correction M) filling ``size_mm`` with its quiet zone."""
    import segno  # start-up speed: only rendering draws symbols

    qr = segno.make(data, error="m", micro=False, boost_error=False)
    modules = qr.symbol_size(scale=1, border=QR_QUIET_MODULES)[0]
    parts = []
    for y, row in enumerate(qr.matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                width = x - start
                parts.append(f"M{start + QR_QUIET_MODULES} {y + QR_QUIET_MODULES}h{width}v1h-{width}z")
            else:
                x += 1
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" class="qr" width="{_mm(size_mm)}mm" '
           f'height="{_mm(size_mm)}mm" viewBox="0 0 {modules} {modules}" role="img">'
           f'<rect width="{modules}" height="{modules}" fill="{ink[1]}"/>'
           f'<path fill="{ink[0]}" d="{"".join(parts)}"/></svg>')
    return Symbol(svg, size_mm, size_mm)


def qr_png(data: str) -> tuple[bytes, int]:
    """Return ``data`` as a QR code (error correction M) in a PNG, and its width in modules.

    One pixel a module, quiet zone included. Many small QR codes (traceability stamps) draw
    far faster as images than as SVG paths; printed without interpolation
    (``image-rendering: pixelated``), each pixel is an exact square module at any resolution.
    """
    import io

    import segno  # start-up speed: only rendering draws symbols

    qr = segno.make(data, error="m", micro=False, boost_error=False)
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=1, border=QR_QUIET_MODULES)
    return buffer.getvalue(), int(qr.symbol_size(scale=1, border=QR_QUIET_MODULES)[0])


@functools.lru_cache(maxsize=4096)
def qr_module_count(data: str) -> int:
    """Return the QR's width in modules including its quiet zone (to size it on a label).

    Only the version is worked out, as :func:`qr_svg`'s ``segno.make`` chooses it; choosing the
    mask (most of an encoding's 40 ms) is left to drawing.
    """
    from segno import encoder  # start-up speed: only labels need it

    segments = encoder.prepare_data(data, None, None)  # type: ignore[no-untyped-call]
    error = encoder.normalize_errorlevel("m")  # type: ignore[no-untyped-call]
    version = encoder.find_version(segments, error, eci=False, micro=False)  # type: ignore[no-untyped-call]
    return int(encoder.calc_matrix_size(version)) + 2 * QR_QUIET_MODULES  # type: ignore[no-untyped-call]


def qr_svg_modules(data: str, module_mm: Decimal, ink: Ink = RGB_INK) -> Symbol:
    """Draw ``data`` as a QR code whose modules are ``module_mm`` wide."""
    size = (qr_module_count(data) * module_mm).quantize(Decimal("0.01"))
    return qr_svg(data, size, ink)
