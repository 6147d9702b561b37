"""Labels placed into dossiers: the same bytes as pypdf's own merge, with the label parsed once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader

from ocopdocs import compose
from ocopdocs.compose import Placement, place

from .conftest import SampleBuild, pdf_text


def _pypdf_merge(page: PageObject, source: PageObject, ctm: compose.Matrix) -> None:
    page.merge_transformed_page(source, ctm)


def _samples(sample_build: SampleBuild) -> tuple[bytes, list[bytes]]:
    """A WeasyPrint dossier (its resource names clash with a label's) and three sample labels."""
    output = sample_build.output
    dossier = next(iter(sorted(output.rglob("ocop-dossier.pdf")))).read_bytes()
    labels = [p.read_bytes() for p in sorted(output.rglob("label-*.pdf"))[:3]]
    assert len(labels) == 3
    return dossier, labels


@pytest.mark.parametrize("profile", [None, b"\x00" * 128], ids=["plain", "pdf-a-default-cmyk"])
def test_place_writes_what_pypdf_merge_writes(sample_build: SampleBuild, monkeypatch: pytest.MonkeyPatch,
                                              profile: bytes | None) -> None:
    dossier, labels = _samples(sample_build)
    placements = [Placement(0, 60, 400, 200, 140, labels[0]), Placement(1, 60, 300, 150, 105, labels[1]),
                  Placement(1, 300, 300, 150, 105, labels[0])]  # the same label twice: kept parse reused
    compose._PARSED.clear()
    ours = place(dossier, placements, profile)
    again = place(dossier, placements, profile)  # every label's parse kept from the first call
    monkeypatch.setattr(compose, "_merge", _pypdf_merge)
    reference = place(dossier, placements, profile)
    assert ours == reference
    assert again == reference
    assert ours != dossier


def pdf_text_of(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_kept_parses_are_bounded(sample_build: SampleBuild, monkeypatch: pytest.MonkeyPatch) -> None:
    dossier, labels = _samples(sample_build)
    monkeypatch.setattr(compose, "PARSED_KEPT", 2)
    compose._PARSED.clear()
    placed = [place(dossier, [Placement(0, 60, 400, 200, 140, label)]) for label in labels * 2]
    assert len(compose._PARSED) == 2  # the two used last; the first label was parsed again
    assert placed[:3] == placed[3:]


def test_placed_label_text_is_on_the_dossier_page(sample_build: SampleBuild, tmp_path: Path) -> None:
    dossier, labels = _samples(sample_build)
    out = tmp_path / "placed.pdf"
    out.write_bytes(place(dossier, [Placement(0, 60, 400, 200, 140, labels[2])]))
    label_text = pdf_text_of(labels[2]).split()
    placed = pdf_text(out)
    assert sum(word in placed for word in label_text) >= len(label_text) * 0.9
