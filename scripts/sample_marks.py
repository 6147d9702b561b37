"""Draw the fictional mark samples of the sample products (run once; the PNGs are committed).

    .venv/bin/python scripts/sample_marks.py

The marks are invented designs (text and simple shapes) for invented cooperatives; any
likeness to a registered mark is accidental. The SVG mark of htx-lung-vai is written by hand
in its folder. PNGs are saved without metadata, so the files are the same on every run.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = Path("/usr/share/fonts/truetype/liberation2")


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """A Liberation font at ``size`` pixels."""
    return ImageFont.truetype(str(FONTS / name), size)


def centred(draw: ImageDraw.ImageDraw, y: int, text: str, face: ImageFont.FreeTypeFont, *, fill: object,
            width: int) -> None:
    """Draw ``text`` centred across ``width`` with its top at ``y``."""
    left, _, right, _ = draw.textbbox((0, 0), text, font=face)
    draw.text(((width - (right - left)) / 2 - left, y), text, font=face, fill=fill)


def khuoi_ma() -> None:
    """HTX Khuổi Mạ: a turmeric root on a yellow disc with two leaves, in three colours."""
    size = 1200
    yellow, green, brown = (232, 163, 23), (58, 125, 44), (139, 58, 26)
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((250, 90, 950, 790), fill=yellow)
    draw.ellipse((330, 170, 870, 710), outline=brown, width=14)
    draw.polygon([(600, 230), (470, 420), (600, 560), (600, 230)], fill=green)      # left leaf
    draw.polygon([(600, 230), (730, 420), (600, 560), (600, 230)], fill=(76, 150, 58))  # right leaf
    for box in ((430, 540, 620, 640), (560, 520, 770, 630), (520, 600, 690, 680)):   # the root
        draw.ellipse(box, fill=brown)
    centred(draw, 835, "KHUỔI MẠ", font("LiberationSans-Bold.ttf", 150), fill=brown, width=size)
    centred(draw, 1020, "Nghệ – Gừng", font("LiberationSerif-Italic.ttf", 96), fill=green, width=size)
    image.save(ROOT / "products/htx-khuoi-ma/nhan-hieu-khuoi-ma.png", optimize=True)


def na_tong() -> None:
    """HTX Nà Tồng's collective mark: a rice sheaf in a ring, black on white (greyscale)."""
    size = 1000
    image = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(image)
    draw.ellipse((150, 40, 850, 740), outline=0, width=18)
    draw.ellipse((190, 80, 810, 700), outline=0, width=6)
    for dx in (-120, -60, 0, 60, 120):  # stalks
        draw.line((500 + dx // 3, 640, 500 + dx, 220), fill=0, width=12)
        for k in range(5):  # grains
            y = 240 + k * 62
            x = 500 + dx - (dx * (y - 220)) // 1260
            draw.ellipse((x - 26, y - 14, x - 2, y + 14), fill=0)
            draw.ellipse((x + 2, y - 14, x + 26, y + 14), fill=0)
    draw.rectangle((420, 560, 580, 590), fill=0)  # the band
    centred(draw, 770, "GẠO NÀ TỒNG", font("LiberationSans-Bold.ttf", 112), fill=0, width=size)
    centred(draw, 895, "CHỢ ĐỒN", font("LiberationSans-Regular.ttf", 80), fill=0, width=size)
    image.save(ROOT / "products/htx-lua-gao-na-tong/nhan-hieu-tap-the-na-tong.png", optimize=True)


if __name__ == "__main__":
    khuoi_ma()
    na_tong()
