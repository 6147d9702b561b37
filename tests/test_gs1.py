"""GS1 numbers and symbols: check digits, Digital Link URIs, EAN-13 geometry and QR matrices."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import barcode
import pytest
import segno

from ocopdocs import gs1

GTIN = "8936043120011"
X = Decimal("0.33")
RECT = re.compile(r'<rect x="([0-9.]+)" y="0" width="([0-9.]+)" height="([0-9.]+)"/>')


def bar_rects(svg: str) -> list[tuple[Decimal, Decimal, Decimal]]:
    """The bars of an EAN-13 SVG as (x, width, height) in mm, left to right."""
    return [(Decimal(x), Decimal(w), Decimal(h)) for x, w, h in RECT.findall(svg)]


def svg_size(svg: str) -> tuple[str, str, str]:
    match = re.match(r'<svg [^>]*width="([0-9.]+)mm" height="([0-9.]+)mm" viewBox="([^"]+)"', svg)
    assert match, svg[:200]
    return match.group(1), match.group(2), match.group(3)


# ------------------------------------------------------------------------------ numbers


@pytest.mark.parametrize(("digits", "expected"), [
    ("590123412345", 7),   # GS1's own worked example
    ("893604312001", 1),
    ("893604312002", 8),
    ("893604312007", 3),
    ("629104150021", 3),
    ("9638507", 4),        # GTIN-8 96385074
    ("0000000000000", 0),
])
def test_check_digit(digits, expected):
    assert gs1.check_digit(digits) == expected


@pytest.mark.parametrize("gtin", ["5901234123457", "8936043120011", "8936043120028", "96385074",
                                  "036000291452", "08936043120011"])
def test_is_valid_gtin_accepts(gtin):
    assert gs1.is_valid_gtin(gtin)


@pytest.mark.parametrize("gtin", [
    "5901234123458", "8936043120015", "893604312001", "893604312001a", "", "89360431200111", "123456789",
    pytest.param("８９３６０４３１２００１１", id="full-width-digits"),  # str.isdigit() is true for these
    pytest.param("٨٩٣٦٠٤٣١٢٠٠١١", id="arabic-indic-digits"),
])
def test_is_valid_gtin_refuses(gtin):
    assert not gs1.is_valid_gtin(gtin)


def test_gtin14_pads_with_zeros():
    assert gs1.gtin14(GTIN) == "08936043120011"
    assert gs1.gtin14("96385074") == "00000096385074"
    assert gs1.gtin14("08936043120011") == "08936043120011"


def test_yymmdd():
    assert gs1.yymmdd(date(2028, 10, 2)) == "281002"
    assert gs1.yymmdd(date(1, 1, 1)) == "010101"
    assert gs1.yymmdd(date(9999, 12, 31)) == "991231"


# ------------------------------------------------------------------------- digital link


def test_digital_link_with_lot_and_expiry():
    uri = gs1.digital_link("https://id.example.vn", GTIN, lot="L2604A", expiry=date(2028, 10, 2))
    assert uri == "https://id.example.vn/01/08936043120011/10/L2604A?17=281002"


def test_digital_link_best_before_uses_ai_15():
    uri = gs1.digital_link("https://id.example.vn", GTIN, lot="L2604A", best_before=date(2028, 10, 2))
    assert uri == "https://id.example.vn/01/08936043120011/10/L2604A?15=281002"


def test_digital_link_trailing_slash_and_no_lot_no_date():
    assert gs1.digital_link("https://id.example.vn/", GTIN) == "https://id.example.vn/01/08936043120011"


def test_digital_link_escapes_lot():
    uri = gs1.digital_link("https://id.example.vn", GTIN, lot="A/B C")
    assert uri == "https://id.example.vn/01/08936043120011/10/A%2FB%20C"


def test_digital_link_serial_follows_the_lot():
    # GS1 Digital Link: the key qualifiers of AI 01 come in the order 22, 10, 21
    uri = gs1.digital_link("https://id.example.vn", GTIN, lot="L2604A", expiry=date(2028, 10, 2),
                           serial="000123")
    assert uri == "https://id.example.vn/01/08936043120011/10/L2604A/21/000123?17=281002"


# ------------------------------------------------------------------------------- EAN-13


@pytest.mark.parametrize("gtin", ["8936043120015", "5901234123458", "893604312001", "89360431200111",
                                  "893604312001x", "８９３６０４３１２００１１"])
def test_ean13_refuses_wrong_check_digit_or_length(gtin):
    # python-barcode would silently print 8936043120011 for 8936043120015: we must not.
    with pytest.raises(ValueError, match="not a valid GTIN-13"):
        gs1.ean13_svg(gtin)


def test_python_barcode_really_would_fix_the_digit():
    """The reason for the test above: python-barcode recomputes the check digit on its own."""
    assert barcode.get_barcode_class("ean13")("8936043120015").get_fullcode() == "8936043120011"


@pytest.mark.parametrize(("magnification", "width", "bar_height"), [
    (Decimal("1.0"), Decimal("37.29"), Decimal("22.85")),
    (Decimal("0.8"), Decimal("29.832"), Decimal("18.28")),
    (Decimal("2.0"), Decimal("74.58"), Decimal("45.7")),
])
def test_ean13_geometry(magnification, width, bar_height):
    symbol = gs1.ean13_svg(GTIN, magnification)
    x = X * magnification
    assert 113 * x == width
    assert symbol.width_mm == width
    svg_width, _svg_height, viewbox = svg_size(symbol.svg)
    assert Decimal(svg_width) == width
    assert Decimal(viewbox.split()[2]) == width
    rects = bar_rects(symbol.svg)
    # left quiet zone of 11X, right quiet zone of 7X
    first_x = rects[0][0]
    last_x, last_w, _ = rects[-1]
    assert first_x == 11 * x
    assert last_x + last_w == width - 7 * x
    assert last_x + last_w - first_x == 95 * x
    # ordinary bars are 22.85 mm × magnification, guard bars longer
    heights = {h for _, _, h in rects}
    assert min(heights) == bar_height
    assert max(heights) > bar_height
    assert symbol.height_mm > max(heights)
    # every bar is a whole number of modules wide, 1 to 4
    for _, w, _ in rects:
        assert w / x in {1, 2, 3, 4}


def test_ean13_first_bar_at_nominal_size():
    rects = bar_rects(gs1.ean13_svg(GTIN).svg)
    assert rects[0][0] == Decimal("3.63")
    assert rects[-1][0] + rects[-1][1] == Decimal("37.29") - Decimal("2.31")


def modules_from_svg(svg: str, magnification: Decimal) -> str:
    x = X * magnification
    pattern = ["0"] * 95
    for left, width, _ in bar_rects(svg):
        start = (left / x) - 11
        count = width / x
        assert start == int(start) and count == int(count)
        for i in range(int(start), int(start + count)):
            pattern[i] = "1"
    return "".join(pattern)


@pytest.mark.parametrize("gtin", [GTIN, "5901234123457", "8936043120028", "0000000000000"])
@pytest.mark.parametrize("magnification", [Decimal("0.8"), Decimal(1), Decimal("1.5"), Decimal(2)])
def test_ean13_modules_match_python_barcode(gtin, magnification):
    expected = barcode.get_barcode_class("ean13")(gtin[:12]).build()[0]
    assert len(expected) == 95
    assert modules_from_svg(gs1.ean13_svg(gtin, magnification).svg, magnification) == expected


def test_ean13_guard_bars_are_the_long_ones():
    symbol = gs1.ean13_svg(GTIN)
    long_bars = [round((left / X) - 11) for left, _, h in bar_rects(symbol.svg) if h > Decimal("22.85")]
    assert long_bars == [0, 2, 46, 48, 92, 94]


def test_ean13_human_readable_digits():
    svg = gs1.ean13_svg(GTIN).svg
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert texts == ["8", "936043", "120011", "&gt;"]
    assert 'aria-label="EAN-13 8936043120011"' in svg


def test_ean13_decodes():
    zxingcpp = pytest.importorskip("zxingcpp")
    image_module = pytest.importorskip("PIL.Image")
    pattern = modules_from_svg(gs1.ean13_svg(GTIN).svg, Decimal(1))
    scale, quiet = 4, 11
    row = [255] * (quiet * scale) + [0 if m == "1" else 255 for m in pattern for _ in range(scale)] \
        + [255] * (quiet * scale)
    image = image_module.new("L", (len(row), 60))
    image.putdata(row * 60)
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.EAN13)
    assert [r.text for r in results] == [GTIN]


# ----------------------------------------------------------------------------------- QR

LINK = "https://id.example.vn/01/08936043120011/10/L2604A?17=281002"
PATH_PART = re.compile(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z")


def qr_matrix_from_svg(svg: str) -> tuple[int, list[list[bool]]]:
    viewbox = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    assert viewbox and viewbox.group(1) == viewbox.group(2)
    size = int(viewbox.group(1))
    grid = [[False] * size for _ in range(size)]
    d = re.search(r'<path fill="[^"]+" d="([^"]*)"/>', svg)
    assert d
    parts = PATH_PART.findall(d.group(1))
    assert "".join(f"M{a} {b}h{c}v1h-{e}z" for a, b, c, e in parts) == d.group(1)
    for x, y, run, back in parts:
        assert run == back
        for i in range(int(x), int(x) + int(run)):
            assert not grid[int(y)][i], "overlapping runs"
            grid[int(y)][i] = True
    return size, grid


@pytest.mark.parametrize("data", [LINK, "x", "https://truyxuat.example.vn/01/08936043120028/10/L260915A"])
def test_qr_matrix_round_trip(data):
    symbol = gs1.qr_svg(data, Decimal(20))
    size, grid = qr_matrix_from_svg(symbol.svg)
    qr = segno.make(data, error="m", micro=False, boost_error=False)
    matrix = [[bool(v) for v in row] for row in qr.matrix]
    n = len(matrix)
    assert size == n + 2 * 4  # 4-module quiet zone on every side
    assert size == gs1.qr_module_count(data)
    assert sum(map(sum, grid)) == sum(map(sum, matrix))
    # the quiet zone is empty and the symbol is exactly segno's
    for y in range(size):
        for x in range(size):
            inside = 4 <= x < 4 + n and 4 <= y < 4 + n
            assert grid[y][x] == (matrix[y - 4][x - 4] if inside else False)


def test_qr_error_correction_m():
    qr = segno.make(LINK, error="m", micro=False, boost_error=False)
    assert qr.error == "M"
    assert not qr.is_micro


def test_qr_size_in_mm():
    symbol = gs1.qr_svg(LINK, Decimal(18))
    width, height, _ = svg_size(symbol.svg)
    assert (width, height) == ("18", "18")
    assert symbol.width_mm == symbol.height_mm == Decimal(18)


def test_qr_decodes():
    zxingcpp = pytest.importorskip("zxingcpp")
    image_module = pytest.importorskip("PIL.Image")
    size, grid = qr_matrix_from_svg(gs1.qr_svg(LINK, Decimal(20)).svg)
    scale = 6
    image = image_module.new("L", (size * scale, size * scale))
    image.putdata([0 if grid[y // scale][x // scale] else 255
                   for y in range(size * scale) for x in range(size * scale)])
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [r.text for r in results] == [LINK]
