"""Editable dossiers: each dossier kind as DOCX, read back and compared with its PDF.

The DOCX is written from the HTML the PDF is rendered from, so the words must be the same:
every word of the DOCX is in the PDF, and every word of the PDF is in the DOCX except the page
numbers, the draft band (the DOCX's page header) and the embedded label pages (a PDF of its
own). Tables keep their cells; the national heading is a borderless two-column table; blanks
are highlighted; the fonts are named.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn

from ocopdocs.documents.kinds import registered
from ocopdocs.docx import html_to_docx
from ocopdocs.output import docx_path

from .conftest import SampleBuild, pdf_text


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold()))


def blocks(container) -> list[object]:
    """Paragraphs and tables of a document or cell, in order, merged cells once."""
    return list(container.iter_inner_content())


def docx_text(path: Path) -> tuple[str, list[list[list[str]]], str]:
    """The body text, the tables (rows of cell texts) and the header text of a DOCX."""
    document = docx.Document(str(path))
    parts: list[str] = []
    tables: list[list[list[str]]] = []

    def walk(container) -> None:
        for block in blocks(container):
            if hasattr(block, "rows"):
                rows = []
                for row in block.rows:
                    seen, cells = set(), []
                    for cell in row.cells:
                        if id(cell._tc) not in seen:
                            seen.add(id(cell._tc))
                            cells.append(cell.text)
                            walk(cell)
                    rows.append(cells)
                tables.append(rows)
            else:
                parts.append(block.text)

    walk(document)
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    return "\n".join(parts), tables, header


def dossiers(sample_build: SampleBuild) -> list[tuple[str, str]]:
    return sorted((p.kind, p.path) for p in sample_build.result.plans if p.paged)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text)).casefold()


def test_every_dossier_kind_is_written_as_docx_and_recorded(sample_build: SampleBuild) -> None:
    out = sample_build.output
    paged = {kind for kind, _ in dossiers(sample_build)}
    # every kind but labels and their A4 sheets (print artwork) is a dossier
    assert paged == {k.id for k in registered()} - {"label", "label-sheet"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    recorded = {d["path"]: d.get("docx") for d in manifest["documents"]}
    for _, path in dossiers(sample_build):
        if path not in recorded:
            continue  # not built (an error kept it out): no DOCX either
        assert recorded[path] is not None and recorded[path]["path"] == docx_path(path), path
        assert (out / docx_path(path)).is_file()
    labels = [p for p, entry in recorded.items() if p.rsplit("/", 1)[-1].startswith("label-")]
    assert labels and all(recorded[p] is None for p in labels)
    assert not list(out.rglob("label-*.docx")) and not list(out.rglob("sheet-*.docx"))


@pytest.mark.parametrize("kind", sorted({k.id for k in registered()} - {"label", "label-sheet"}))
def test_docx_round_trip_matches_the_pdf(sample_build: SampleBuild, kind: str) -> None:
    out = sample_build.output
    built = [path for k, path in dossiers(sample_build) if k == kind and (out / docx_path(path)).is_file()]
    assert built, f"no {kind} was built as DOCX"
    for path in built:
        body, tables, header = docx_text(out / docx_path(path))
        pdf = pdf_text(out / path)
        mine, theirs = words(body + "\n" + header), words(pdf)
        assert not (mine - theirs), f"{path}: words in the DOCX that the PDF lacks: {mine - theirs}"
        embedded = Counter()
        for label in out.glob(str(Path(path).parent / "label-*.pdf").replace(str(out) + "/", "")):
            embedded += words(pdf_text(label))
        banner = words(header)  # the draft band: once in the DOCX header, on every page of the PDF
        lost = {w: n for w, n in (theirs - mine - embedded).items() if not w.isdigit() and w not in banner}
        # the mark sample may be an SVG with lettering: a few words at most
        assert sum(lost.values()) <= 6, f"{path}: words of the PDF missing from the DOCX: {lost}"
        for table in tables:  # each cell's words are the PDF's (a cell may wrap between columns there)
            for row in table:
                for cell in row:
                    assert not (words(cell) - theirs), f"{path}: table cell not in the PDF: {cell!r}"


def test_the_national_heading_blanks_fonts_and_signature_survive(sample_build: SampleBuild) -> None:
    out = sample_build.output
    document = docx.Document(str(out / "htx-khuoi-dong/mien-dong/food-safety-declaration.docx"))
    heading = document.tables[0]
    assert len(heading.columns) == 2 and len(heading.rows) == 1
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading.cell(0, 1).text
    assert "Độc lập - Tự do - Hạnh phúc" in heading.cell(0, 1).text
    assert "Hợp tác xã" in heading.cell(0, 0).text and "Số:" in heading.cell(0, 0).text
    borders = heading._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None and {b.get(qn("w:val")) for b in borders} == {"nil"}
    # the signature block: a two-column table whose right column asks for the signature
    signature = [t for t in document.tables if "(Ký, ghi rõ họ tên và đóng dấu)" in t.cell(0, len(t.columns) - 1).text]
    assert signature, "no signature block"
    # Times New Roman 13 pt named for every script; A4 with the Decree 30/2020 margins
    normal = document.styles["Normal"]
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
    assert normal.font.size.pt == 13
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 30
    document = docx.Document(str(out / "htx-lua-gao-na-tong/food-safety-certificate-application.docx"))
    # marked blanks are highlighted, and say what is missing
    blanks = []
    for path in out.rglob("*.docx"):
        marked = docx.Document(str(path))
        runs = [r for p in marked.paragraphs for r in p.runs]
        runs += [r for t in marked.tables for row in t.rows for c in row.cells for p in c.paragraphs
                 for r in p.runs]
        blanks += [r for r in runs if "[còn thiếu:" in r.text]
    assert blanks and all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in blanks)
    section = document.sections[0]
    assert "BẢN NHÁP" in section.header.paragraphs[0].text  # this application has gaps


def test_docx_bytes_depend_only_on_the_html() -> None:
    html = '<html><body><div class="heading"><div>A</div><div>B</div></div><p>x <mark class="blank">[còn thiếu: y]</mark></p></body></html>'
    assert html_to_docx(html) == html_to_docx(html)


def test_a_docx_opens_in_libreoffice(sample_build: SampleBuild, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    source = sample_build.output / "htx-khuoi-dong/mien-dong/ocop-dossier.docx"
    subprocess.run([office, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    converted = pdf_text(tmp_path / "ocop-dossier.pdf")
    assert squash("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") in squash(converted)
    assert "Miến dong" in converted
    mine, theirs = words(docx_text(source)[0]), words(converted)
    assert sum((mine - theirs).values()) <= 0.02 * sum(mine.values())


def test_an_unchanged_rebuild_keeps_the_docx_and_dropping_docx_removes_it(tmp_path: Path, renderer) -> None:
    from ocopdocs import pipeline

    from .conftest import TEMPLATES, copy_sample
    products = copy_sample(tmp_path, "htx-ong-mat-ho-xanh")
    out = tmp_path / "out"
    pipeline.build(products, out, TEMPLATES, renderer=renderer, docx=True)
    note = out / "htx-ong-mat-ho-xanh/food-safety-exemption-note.docx"
    first = note.read_bytes()
    again = pipeline.build(products, out, TEMPLATES, renderer=renderer, docx=True)
    assert again.kept == len(again.built) and note.read_bytes() == first
    note.write_bytes(b"edited")  # an edited copy is written again
    third = pipeline.build(products, out, TEMPLATES, renderer=renderer, docx=True)
    assert third.kept < len(third.built) and note.read_bytes() == first
    pipeline.build(products, out, TEMPLATES, renderer=renderer)
    assert not list(out.rglob("*.docx"))
