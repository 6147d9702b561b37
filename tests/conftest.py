"""Shared fixtures: one build of the sample products per test session, and PDF readers."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from pypdf import PdfReader

from ocopdocs import bundle, pipeline, report
from ocopdocs.render import Renderer
from ocopdocs.templating import make_env

ROOT = Path(__file__).resolve().parent.parent
PRODUCTS = ROOT / "products"
TEMPLATES = ROOT / "templates"
PT_TO_MM = 25.4 / 72


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    """One renderer (fonts, parsed CSS) for the whole session, as the pipeline uses it."""
    return Renderer()


@dataclass
class SampleBuild:
    output: Path
    result: pipeline.BuildResult


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory, renderer: Renderer) -> SampleBuild:
    """The sample products, built once (dossiers also as DOCX) for every test that reads them."""
    output = tmp_path_factory.mktemp("output")
    result = build_and_publish(PRODUCTS, output, TEMPLATES, renderer=renderer, docx=True)
    return SampleBuild(output, result)


def build_and_publish(products: Path, output: Path, templates: Path, **options: object) -> pipeline.BuildResult:
    """Build, then write the readiness report and the bundles, as ``ocopdocs build`` does."""
    result = pipeline.build(products, output, templates, **options)  # type: ignore[arg-type]
    bundle.write_bundles(report.publish(result, output=output, templates=templates), output)
    return result


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Create ``files`` (relative path → text) under ``root``; returns ``root``."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def copy_sample(tmp: Path, producer: str, products: list[str] | None = None) -> Path:
    """Copy one sample producer (optionally only some products) into ``tmp/products``."""
    source = PRODUCTS / producer
    target = tmp / "products" / producer
    target.mkdir(parents=True)
    shutil.copy(source / "producer.yaml", target)
    for path in source.glob("*.yaml"):
        if path.name != "producer.yaml" and (products is None or path.stem in products):
            shutil.copy(path, target)
    return tmp / "products"


def pdf_text(path: Path) -> str:
    """All text of a PDF, as a reader (or an inspector's search) sees it."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def page_size_mm(path: Path, index: int = 0) -> tuple[float, float]:
    """Width and height of a page as cut, in mm: its TrimBox (a label's size), else its MediaBox."""
    boxes = page_boxes_mm(path, index)
    left, bottom, right, top = boxes.get("TrimBox", boxes["MediaBox"])
    return right - left, top - bottom


def page_boxes_mm(path: Path, index: int = 0) -> dict[str, tuple[float, float, float, float]]:
    """The page's boxes as the file writes them (pypdf): {"MediaBox": (left, bottom, right, top)}, mm."""
    page = PdfReader(io.BytesIO(path.read_bytes())).pages[index]
    found = {}
    for name in ("MediaBox", "TrimBox", "BleedBox"):
        box = page.get(f"/{name}")
        if box is not None:
            values = [float(v) * PT_TO_MM for v in box]
            found[name] = (min(values[0], values[2]), min(values[1], values[3]),
                           max(values[0], values[2]), max(values[1], values[3]))
    return found


def decode_symbols(path: Path, dpi: int = 300, index: int = 0) -> list[tuple[str, str]]:
    """Rasterise a page and decode every barcode on it: [(format, text)]."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        image = pdf[index].render(scale=dpi / 72).to_pil()
    finally:
        pdf.close()
    return [("".join(c for c in str(r.format).split(".")[-1] if c.isalnum()), r.text)
            for r in zxingcpp.read_barcodes(image)]


def fonts_embedded(path: Path) -> dict[str, bool]:
    """Every font the PDF uses, and whether its program is embedded."""
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    fonts: dict[str, bool] = {}

    def visit(resources: object) -> None:
        if not resources:
            return
        resources = resources.get_object()  # type: ignore[attr-defined]
        for reference in (resources.get("/Font") or {}).values():
            font = reference.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            fonts[str(font.get("/BaseFont"))] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        for xobject in (resources.get("/XObject") or {}).values():
            visit(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return fonts


def fill_templates(result: pipeline.BuildResult) -> None:
    """Fill every planned document's template (at its predicted size) as a worker would: no PDF."""
    env = make_env(TEMPLATES)
    for plan in result.plans:
        env.get_template(plan.template).render(**{**plan.context, **plan.fit_context(), "built": [],
                                                  "present": {a.slot: False for a in plan.attachments},
                                                  "draft": plan.draft})
