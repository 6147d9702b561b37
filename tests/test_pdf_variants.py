"""PDF/X-4 labels and PDF/A-3b dossiers (build --pdf-variant), read back from the files.

One product (miến dong: two labels, the self-declaration that shows them, the OCOP dossier)
is built with both variants, once more with a fresh renderer into another folder (the bytes
must not change), and its labels once as plain PDF (the RGB scan must see that one).
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageCms
from pypdf import PdfReader
from pypdf.generic import ContentStream

from ocopdocs import cli, output, pdfvariant, pipeline, render
from ocopdocs.domain.design import look
from ocopdocs.loader import load_project
from ocopdocs.render import Renderer

from .conftest import TEMPLATES, copy_sample, decode_symbols, fonts_embedded, pdf_text

PRODUCT = "htx-khuoi-dong/mien-dong"
BOTH = [pdfvariant.X4, pdfvariant.A3B]


@dataclass
class Builds:
    products: Path
    first: Path
    second: Path
    plain: Path
    result: pipeline.BuildResult


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, renderer: Renderer) -> Builds:
    root = tmp_path_factory.mktemp("variants")
    products = copy_sample(root, "htx-khuoi-dong", ["mien-dong"])
    first, second, plain = root / "first", root / "second", root / "plain"
    result = pipeline.build(products, first, TEMPLATES, renderer=renderer, pdf_variants=BOTH)
    # the second renderer has written other variant documents first, as a worker process has
    fresh, other = Renderer(), copy_sample(root / "other", "htx-khuoi-dong", ["tinh-bot-dong-rieng"])
    pipeline.build(other, root / "other" / "out", TEMPLATES, renderer=fresh, pdf_variants=BOTH,
                   only=["label", "food-safety-declaration"])
    pipeline.build(products, second, TEMPLATES, renderer=fresh, pdf_variants=BOTH)
    pipeline.build(products, plain, TEMPLATES, renderer=renderer, only=["label"])
    return Builds(products, first, second, plain, result)


def labels(folder: Path) -> list[Path]:
    found = sorted((folder / PRODUCT).glob("label-*.pdf"))
    assert len(found) == 2
    return found


def dossiers(folder: Path) -> list[Path]:
    return [folder / PRODUCT / "food-safety-declaration.pdf", folder / PRODUCT / "ocop-dossier.pdf"]


# ------------------------------------------------------------ an independent RGB scan

STRINGS = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>")
TOKEN = re.compile(rb"[^\s\[\]()<>/{}%]+")


def _rgb_space(space: Any) -> bool:
    space = space.get_object() if hasattr(space, "get_object") else space
    if isinstance(space, list) and space:
        if space[0] == "/ICCBased":
            return space[1].get_object().get("/N") == 3
        return space[0] in ("/DeviceRGB", "/CalRGB") or (space[0] == "/Indexed" and _rgb_space(space[1]))
    return space in ("/DeviceRGB", "/CalRGB")


def rgb_traces(path: Path) -> list[str]:
    """Every RGB operator, colour space and image in a PDF, found object by object.

    This walks every object of the file (not the pages' resource trees, as ocopdocs does) and
    reads each content stream's operators as plain tokens.
    """
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    traces = []
    contents = {id(page.get_contents()): page.get_contents() for page in reader.pages}
    for number, generation in ((n, g) for g, numbers in reader.xref.items() for n in numbers):
        obj = reader.get_object(number) if generation == 0 else None
        if obj is None or not hasattr(obj, "get"):
            continue
        for key in ("/ColorSpace", "/CS"):
            value = obj.get(key)
            values = value.get_object().values() if hasattr(value, "get_object") and hasattr(
                value.get_object(), "values") else [value]
            traces += [f"{number}: {key} {v}" for v in values if v is not None and _rgb_space(v)]
        if obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1:
            contents[number] = obj
    for key, stream in contents.items():
        if stream is None:
            continue
        data = STRINGS.sub(b" ", stream.get_data())
        traces += [f"{key}: {t.decode()}" for t in TOKEN.findall(data) if t in (b"rg", b"RG")]
    return traces


def cmyk_colours(path: Path) -> set[tuple[float, ...]]:
    """The CMYK colours the page's content and forms set (``k``, or ``scn`` after ``/DeviceCMYK cs``)."""
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    found: set[tuple[float, ...]] = set()

    def read(operations: list[tuple[Any, bytes]]) -> None:
        space = None
        for operands, operator in operations:
            if operator in (b"cs", b"CS"):
                space = operands[0]
            elif operator in (b"k", b"K") or (operator in (b"scn", b"sc") and space == "/DeviceCMYK"):
                found.add(tuple(round(float(v), 3) for v in operands))

    page = reader.pages[0]
    read(page.get_contents().operations)
    for xobject in page["/Resources"]["/XObject"].values():
        if xobject.get_object().get("/Subtype") == "/Form":
            read(ContentStream(xobject.get_object(), reader).operations)
    return found


def xmp(path: Path) -> str:
    reader = PdfReader(path)
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def intent(path: Path) -> Any:
    intents = PdfReader(path).trailer["/Root"]["/OutputIntents"]
    assert len(intents) == 1
    return intents[0].get_object()


# ------------------------------------------------------------ PDF/X-4 labels

def test_the_rgb_scan_sees_rgb_in_a_plain_label(builds: Builds) -> None:
    for path in labels(builds.plain):
        assert rgb_traces(path), path  # black text and the barcodes' fills are rg in plain PDF
        assert pdfvariant.rgb_uses(path.read_bytes())


def test_x4_label_has_no_rgb_anywhere(builds: Builds) -> None:
    for path in labels(builds.first):
        assert rgb_traces(path) == []
        assert pdfvariant.rgb_uses(path.read_bytes()) == []


def test_x4_label_text_and_barcodes_are_black_ink_only(builds: Builds) -> None:
    project = load_project(builds.products)
    entry = next(e for e in project.products if e.id == PRODUCT)
    assert entry.model is not None and entry.producer.model is not None
    theme = {tuple(round(float(v) / 100, 4) for v in colour.cmyk)
             for colour in look(entry.producer.model, entry.model).colours.values()}
    for path in labels(builds.first):
        colours = cmyk_colours(path)
        assert (0.0, 0.0, 0.0, 1.0) in colours
        # 100 % K (text, rules, symbols), unprinted paper (the symbols' light background), the
        # theme's colours, the OCOP stars' gold and the crop marks' registration colour
        allowed = {(0.0, 0.0, 0.0, 1.0), (0.0, 0.0, 0.0, 0.0), (0.0, 0.2, 1.0, 0.0), (1.0, 1.0, 1.0, 1.0)}
        assert colours <= allowed | theme, colours


def test_x4_label_has_the_cmyk_output_intent_and_identifies_as_x4(builds: Builds) -> None:
    profile = pdfvariant.find_cmyk_profile()
    for path in labels(builds.first):
        assert path.read_bytes().startswith(b"%PDF-1.6")
        oi = intent(path)
        assert oi["/S"] == "/GTS_PDFX"
        assert oi["/OutputConditionIdentifier"] == pdfvariant.profile_name(profile)
        icc = oi["/DestOutputProfile"].get_object()
        assert icc["/N"] == 4
        described = ImageCms.ImageCmsProfile(io.BytesIO(icc.get_data())).profile
        assert described.xcolor_space.strip() == "CMYK" and described.device_class == "prtr"
        meta = xmp(path)
        assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in meta
        assert re.search(r"<xmpMM:DocumentID>xmp\.did:[0-9a-f-]{36}</xmpMM:DocumentID>", meta)
        info = PdfReader(path).metadata
        assert info is not None and info["/Trapped"] == "/False"
        assert info["/CreationDate"].startswith("D:2026") and "<xmp:CreateDate>2026-" in meta
        page = PdfReader(path).pages[0]
        assert "/TrimBox" in page and "/BleedBox" in page
        assert fonts_embedded(path) and all(fonts_embedded(path).values())


def test_x4_label_still_scans_and_reads(builds: Builds) -> None:
    project = load_project(builds.products)
    entry = next(e for e in project.products if e.id == PRODUCT)
    assert entry.model is not None
    for package in entry.model.packages:
        path = builds.first / PRODUCT / f"label-{package.sku}.pdf"
        symbols = dict(decode_symbols(path))
        assert symbols["EAN13"] == package.gtin
        assert symbols["QRCode"].startswith("https://") and "/01/0" in symbols["QRCode"]
        text = re.sub(r"\s+", "", pdf_text(path))
        assert "Miếndong" in text and "Khốilượngtịnh" in text


# ------------------------------------------------------------ PDF/A-3b dossiers

def test_dossiers_are_pdfa_3b(builds: Builds) -> None:
    for path in dossiers(builds.first):
        data = path.read_bytes()
        assert data.startswith(b"%PDF-1.7\n%") and min(data[10:14]) > 127  # binary comment
        meta = xmp(path)
        assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
        oi = intent(path)
        assert oi["/S"] == "/GTS_PDFA1"
        assert oi["/DestOutputProfile"].get_object()["/N"] == 3
        reader = PdfReader(path)
        assert len(reader.trailer["/ID"]) == 2
        info = reader.metadata
        assert info is not None and f'pdf:Producer="{info["/Producer"]}"' in meta
        assert f">{info['/Title']}</rdf:li>" in meta
        assert fonts_embedded(path) and all(fonts_embedded(path).values()), fonts_embedded(path)


def test_a_dossier_showing_x4_labels_names_their_cmyk(builds: Builds) -> None:
    """DeviceCMYK in a PDF/A file with an sRGB intent needs a DefaultCMYK in the same resources."""
    path = dossiers(builds.first)[0]
    reader = PdfReader(path)

    def default_cmyk(resources: Any) -> Any:
        return resources.get_object()["/ColorSpace"].get_object()["/DefaultCMYK"].get_object()

    painted = []
    for page in reader.pages:
        if b"/DeviceCMYK" in page.get_contents().get_data():
            painted.append(default_cmyk(page["/Resources"]))
        for form in (x.get_object() for x in (page["/Resources"].get("/XObject") or {}).values()):
            if form.get("/Subtype") == "/Form" and b"/DeviceCMYK" in form.get_data():
                painted.append(default_cmyk(form["/Resources"]))  # a form's own resources count
    assert painted
    assert all(d[0] == "/ICCBased" and d[1].get_object()["/N"] == 4 for d in painted)
    gtins = {text for index in range(len(reader.pages))
             for kind, text in decode_symbols(path, index=index) if kind == "EAN13"}
    assert len(gtins) == 2  # both labels still scan from the dossier


def test_a_pdfa_dossier_showing_plain_labels_names_their_cmyk(tmp_path: Path, renderer: Renderer) -> None:
    """Plain labels paint their theme's colours in DeviceCMYK: a PDF/A dossier names a profile for it."""
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong"])
    out = tmp_path / "out"
    pipeline.build(products, out, TEMPLATES, renderer=renderer, pdf_variants=[pdfvariant.A3B],
                   only=["label", "food-safety-declaration"])
    reader = PdfReader(out / PRODUCT / "food-safety-declaration.pdf")
    painted = 0
    for page in reader.pages:
        spaces = [args for args, op in page.get_contents().operations if op in (b"cs", b"CS")]
        if any(args and args[0] == "/DeviceCMYK" for args in spaces):
            default = page["/Resources"]["/ColorSpace"].get_object()["/DefaultCMYK"].get_object()
            assert default[0] == "/ICCBased" and default[1].get_object()["/N"] == 4
            painted += 1
    assert painted  # the labels are there, in CMYK, each with its meaning


# ------------------------------------------------------------ a real checker, determinism, keys

@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed (dev.sh test installs it)")
def test_qpdf_finds_no_error(builds: Builds) -> None:
    for path in [*labels(builds.first), *dossiers(builds.first)]:
        run = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, check=False)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "No syntax or stream encoding errors found" in run.stdout


def test_rebuilds_are_byte_identical(builds: Builds) -> None:
    written = sorted(builds.first.rglob("*.pdf"))
    assert len(written) == 7  # the two A4 label sheets and the producer's certificate application too
    for path in written:
        again = builds.second / path.relative_to(builds.first)
        assert path.read_bytes() == again.read_bytes(), path.name


def test_manifest_records_the_variant_and_switching_rebuilds(builds: Builds, tmp_path: Path,
                                                             renderer: Renderer) -> None:
    manifest = json.loads((builds.first / output.MANIFEST).read_text(encoding="utf-8"))
    variants = {d["kind"]: d["pdf_variant"] for d in manifest["documents"]}
    assert variants["label"] == variants["label-sheet"] == "pdf/x-4"  # a sheet of labels is artwork
    assert variants["food-safety-declaration"] == variants["ocop-dossier"] == "pdf/a-3b"
    folder = tmp_path / "out"
    shutil.copytree(builds.second, folder)
    same = pipeline.build(builds.products, folder, TEMPLATES, renderer=renderer, pdf_variants=BOTH)
    assert same.kept == len(same.built)  # nothing changed: nothing rendered
    plain = pipeline.build(builds.products, folder, TEMPLATES, renderer=renderer, only=["label"])
    assert plain.kept == 0 and len(plain.built) == 2
    manifest = json.loads((folder / output.MANIFEST).read_text(encoding="utf-8"))
    assert {d["pdf_variant"] for d in manifest["documents"] if d["kind"] == "label"} == {None}
    assert rgb_traces(folder / PRODUCT / "label-500g.pdf")


# ------------------------------------------------------------ refusals

def test_an_rgb_colour_refuses_the_x4_label(tmp_path: Path, renderer: Renderer) -> None:
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong"])
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    with (templates / "label" / "label.css").open("a", encoding="utf-8") as css:
        css.write("\n.name { color: #c00; }\n")
    output.template_hash.cache_clear()
    result = pipeline.build(products, tmp_path / "out", templates, renderer=renderer, only=["label"],
                            pdf_variants=[pdfvariant.X4])
    output.template_hash.cache_clear()
    assert result.built == []
    refused = [p for p in result.problems if p.code == "print-rgb-colour"]
    assert {p.document for p in refused} == {f"{PRODUCT}/label-200g.pdf", f"{PRODUCT}/label-500g.pdf"}
    assert all("#cc0000" in p.message and p.severity == "error" for p in refused)
    assert not list((tmp_path / "out").rglob("label-*.pdf"))


def test_without_a_cmyk_profile_nothing_is_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong"])
    monkeypatch.setattr(pdfvariant, "CMYK_PROFILES", (tmp_path / "none.icc",))
    with pytest.raises(pdfvariant.PrintSetupError, match="PDF/X-4"):
        pipeline.build(products, tmp_path / "out", TEMPLATES, pdf_variants=[pdfvariant.X4])
    assert not (tmp_path / "out").exists()
    err = io.StringIO()
    code = cli.main(["build", "--products", str(products), "--output", str(tmp_path / "out"),
                     "--pdf-variant", "pdf/x-4"], stdout=io.StringIO(), stderr=err)
    assert code == 1 and "none.icc" in err.getvalue() and "--cmyk-profile" in err.getvalue()
    assert not (tmp_path / "out").exists()


def test_cmyk_profile_option_must_name_a_cmyk_print_profile(tmp_path: Path) -> None:
    rgb = tmp_path / "srgb.icc"
    rgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    with pytest.raises(pdfvariant.PrintSetupError, match="CMYK"):
        pdfvariant.choose([pdfvariant.X4], rgb)
    with pytest.raises(pdfvariant.PrintSetupError, match=r"missing\.icc"):
        pdfvariant.choose([pdfvariant.X4], tmp_path / "missing.icc")
    assert pdfvariant.choose([pdfvariant.A3B], rgb).cmyk_profile is None  # PDF/A needs none
    chosen = pdfvariant.choose(BOTH, pdfvariant.find_cmyk_profile())
    assert chosen.for_family("artwork") == pdfvariant.X4 and chosen.for_family("dossier") == pdfvariant.A3B


def test_variant_names_on_the_command_line() -> None:
    assert pdfvariant.parse(["pdf/x-4,PDF/A-3B"]) == BOTH
    assert pdfvariant.parse(["pdf/a-3b", "pdf/a-3b"]) == [pdfvariant.A3B]
    with pytest.raises(ValueError, match="pdf/x-1a"):
        pdfvariant.parse(["pdf/x-1a"])
    err = io.StringIO()
    assert cli.main(["build", "--pdf-variant", "pdf/x-9"], stdout=io.StringIO(), stderr=err) == 2
    assert "pdf/x-4, pdf/a-3b" in err.getvalue()


# ------------------------------------------------------------ raster images in CMYK

def _image_spaces(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [str(x.get_object()["/ColorSpace"]) for x in reader.pages[0]["/Resources"]["/XObject"].values()
            if x.get_object().get("/Subtype") == "/Image"]


def _logo(mode: str, colour: tuple[int, ...] | int) -> Image.Image:
    image = Image.new(mode, (60, 40), colour)
    dark: tuple[int, ...] | int = 0 if isinstance(colour, int) else (20, 20, 20, *colour[3:])
    image.paste(Image.new(mode, (20, 20), dark), (5, 5))  # a dark square: not one flat colour
    return image


@pytest.mark.parametrize(("mode", "colour", "spaces"), [
    ("RGB", (200, 30, 30), ["/DeviceCMYK"]),           # a colour logo: CMYK JPEG
    ("RGBA", (200, 30, 30, 255), ["/DeviceCMYK"]),     # alpha that is all opaque: the same
    ("RGB", (128, 128, 128), ["/DeviceGray"]),         # a grey logo saved in RGB: black ink only
    ("RGBA", (90, 90, 90, 0), ["/DeviceGray"]),        # grey with a transparent background
    ("1", 1, ["/DeviceGray"]),                         # a QR as segno writes it (WeasyPrint: RGB)
    ("RGBA", (200, 30, 30, 0), None)])                 # colour and transparency: refused
@pytest.mark.parametrize("source", ["file", "data"])
def test_raster_images_become_cmyk_or_grey_or_are_refused(
        tmp_path: Path, renderer: Renderer, mode: str, colour: tuple[int, ...] | int,
        spaces: list[str] | None, source: str) -> None:
    buffer = io.BytesIO()
    _logo(mode, colour).save(buffer, format="PNG")
    (tmp_path / "logo.png").write_bytes(buffer.getvalue())
    src = "logo.png" if source == "file" else "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    html = f'<html><body><p>Logo</p><img src="{src}" style="width: 20mm"></body></html>'
    layout = renderer.layout(html, base=tmp_path, stylesheets=[TEMPLATES / "print" / "pdf-x-4.css"],
                             roots=[TEMPLATES, tmp_path], pdf_variant="pdf/x-4",
                             cmyk_profile=pdfvariant.find_cmyk_profile())
    pdf = renderer.write(layout, identifier=b"0" * 32)
    uses = pdfvariant.rgb_uses(pdf)
    if spaces is not None:
        assert _image_spaces(pdf) == spaces and uses == []
    else:
        assert [u.what for u in uses] == ["image"] and uses[0].detail == "60 × 40"


def test_converted_images_kept_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker meets every producer's logos: it keeps the last few conversions, each still right."""
    monkeypatch.setattr(render, "CMYK_IMAGES_KEPT", 2)
    fresh = Renderer()  # not the session's: its kept conversions are counted
    profile = pdfvariant.find_cmyk_profile()
    paths = []
    for index, colour in enumerate([(200, 30, 30), (30, 200, 30), (30, 30, 200)]):
        paths.append(tmp_path / f"logo-{index}.png")
        _logo("RGB", colour).save(paths[-1], format="PNG")
    first = [fresh.cmyk_image(path, profile) for path in paths]
    assert len(fresh._cmyk_images) == 2
    assert [fresh.cmyk_image(path, profile) for path in paths] == first  # converted again alike
    assert all(c is not None and c[1]["Content-Type"] == "image/jpeg" for c in first)
