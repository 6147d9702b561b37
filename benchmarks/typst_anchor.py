"""The anchor measured in the same run: Typst compiling the same label, the compiler reused.

    .venv/bin/python benchmarks/typst_anchor.py [--compiles N]

Our machines differ by 2× in absolute times, so a label's time is also given as a ratio to
Typst's on the same machine in the same run (issue 16: within 2×). The label is
``benchmarks/typst/mien-dong-500g.typ``, the sample miến dong 500 g label: its EAN-13 and QR are
drawn by ocopdocs.gs1 as our template draws them and handed to Typst as SVG images. One
``typst.Compiler`` compiles it ``N`` times to PDF bytes, each time with another lot number
(a reused compiler caches what did not change: the same text every time would measure the
cache; measured on 2026-11-30: 4 ms for the same input, 8–12 ms with a new lot or every
paragraph changed, 45 ms with a new compiler each time, which finds the fonts again).
Typst is the ``bench`` optional dependency group: ``pip install -e .[bench]``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ocopdocs import gs1  # noqa: E402

LABEL = ROOT / "benchmarks" / "typst" / "mien-dong-500g.typ"
GTIN = "8936043120011"
LINK = "https://truyxuat.khuoidong.example.vn/01/08936043120011/10/L260915A?17=270915"
QR_MODULE_MM = Decimal("0.45")


def typst_label_seconds(compiles: int = 30) -> float | None:
    """Seconds a compile of the Typst label takes, the compiler reused; None without ``typst``."""
    try:
        import typst
    except ImportError:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / LABEL.name
        shutil.copy(LABEL, source)
        (folder / "ean.svg").write_text(gs1.ean13_svg(GTIN, Decimal(1)).svg, encoding="utf-8")
        (folder / "qr.svg").write_text(gs1.qr_svg_modules(LINK, QR_MODULE_MM).svg, encoding="utf-8")
        compiler = typst.Compiler(str(source), root=str(folder))
        pdf = compiler.compile(format="pdf", sys_inputs={"lot": "L000000W"})  # fonts found, caches warm
        assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")
        started = time.perf_counter()
        for i in range(compiles):
            compiler.compile(format="pdf", sys_inputs={"lot": f"L{260915 + i:06d}A"})
        return (time.perf_counter() - started) / compiles


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--compiles", type=int, default=30)
    args = parser.parse_args()
    seconds = typst_label_seconds(args.compiles)
    if seconds is None:
        print("typst is not installed: pip install -e .[bench]")
        return
    print(f"Typst, the miến dong 500 g label, compiler reused: {seconds * 1000:.1f} ms a compile "
          f"({args.compiles} compiles)")


if __name__ == "__main__":
    main()
