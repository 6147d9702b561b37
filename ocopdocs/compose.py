"""Place finished PDFs into boxes of another PDF, as vector art (labels into dossiers).

A dossier shows the product's real label: not a re-rendering and not a raster, but the label
PDF's own page drawn into the box its template reserved, scaled by the factor printed under it.
A label is shown as cut: its TrimBox fills the box, and its bleed and crop marks are clipped.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter, Transformation


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


def place(target: bytes, placements: list[Placement]) -> bytes:
    """Return ``target`` with the first page of each placement drawn into its box."""
    if not placements:
        return target
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(target)))
    for placement in placements:
        source = PdfReader(io.BytesIO(placement.pdf)).pages[0]
        box = source.trimbox  # the MediaBox when the page has no TrimBox
        source.cropbox = box  # pypdf clips what it merges to the source's CropBox
        scale_x = placement.width / float(box.width)
        scale_y = placement.height / float(box.height)
        transform = (Transformation().translate(-float(box.left), -float(box.bottom))
                     .scale(scale_x, scale_y).translate(placement.x, placement.y))
        writer.pages[placement.page].merge_transformed_page(source, transform)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
