"""WeasyPrint internals that ocopdocs.render relies on, checked on the installed WeasyPrint.

``render.py`` measures a laid-out document through WeasyPrint's private page box
(``Page._page_box``) and the formatting-structure boxes under it: none of that is public API, so
any WeasyPrint release may rename it. pyproject.toml pins WeasyPrint to the tested major version;
these tests say exactly what is missing when that pin is moved.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from ocopdocs.render import Renderer

from .conftest import ROOT

HTML = """<!DOCTYPE html><html><head><style>@page { size: 50mm 30mm; margin: 2mm }</style></head>
<body><p id="para">Miến dong</p></body></html>"""

PAGE_BOX_METHODS = ("descendants", "content_box_x")
"""Called on ``page._page_box`` by render._measure."""
BOX_METHODS = ("margin_width", "margin_height", "border_box_x", "border_box_y", "border_width",
               "border_height")
"""Called on the boxes under the page box by render._measure and render.element_boxes."""
BOX_ATTRIBUTES = ("children", "element", "element_tag", "position_x", "width")
"""Read on those boxes."""


def _weasyprint_version() -> str:
    import weasyprint

    return str(weasyprint.__version__)


def _missing(what: str) -> str:
    return (f"WeasyPrint {_weasyprint_version()}: {what} is missing. ocopdocs/render.py uses this "
            "private WeasyPrint API; adapt render.py before widening the weasyprint pin in pyproject.toml.")


@pytest.fixture(scope="module")
def page(renderer: Renderer) -> object:
    layout = renderer.layout(HTML, base=ROOT, stylesheets=[], roots=[ROOT])
    return layout.document.pages[0]


def test_a_rendered_page_has_the_private_page_box(page: object) -> None:
    if not hasattr(page, "_page_box"):
        pytest.fail(_missing("Page._page_box"))
    page_box = page._page_box  # type: ignore[attr-defined]
    for name in PAGE_BOX_METHODS:
        if not callable(getattr(page_box, name, None)):
            pytest.fail(_missing(f"the page box's {name}()"))
    for name in BOX_ATTRIBUTES:
        if not hasattr(page_box, name):
            pytest.fail(_missing(f"the page box's attribute {name}"))


def test_the_boxes_under_the_page_box_have_what_render_reads(page: object) -> None:
    boxes = list(page._page_box.descendants())  # type: ignore[attr-defined]
    texts = [box for box in boxes if isinstance(getattr(box, "text", None), str)]
    if not texts:
        pytest.fail(_missing("a text box with a str attribute text"))
    assert "".join(box.text for box in texts) == "Miến dong"
    para = next((box for box in boxes if getattr(box, "element_tag", None) == "p"
                 and getattr(getattr(box, "element", None), "get", lambda _: None)("id") == "para"), None)
    if para is None:
        pytest.fail(_missing("a box whose element (with .get) and element_tag give the <p id=para>"))
    for name in BOX_METHODS:
        if not callable(getattr(para, name, None)):
            pytest.fail(_missing(f"the box method {name}()"))
    for name in BOX_ATTRIBUTES:
        if not hasattr(para, name):
            pytest.fail(_missing(f"the box attribute {name}"))
    assert para.border_width() > 0 and para.margin_height() > 0


def test_the_installed_weasyprint_is_the_pinned_one() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [spec] = [d for d in pyproject["project"]["dependencies"] if d.startswith("weasyprint")]
    found = re.fullmatch(r"weasyprint>=(\d+),<(\d+)", spec.replace(" ", ""))
    assert found, spec
    low, high = int(found[1]), int(found[2])
    major = int(_weasyprint_version().split(".")[0])
    assert low <= major < high, (
        f"WeasyPrint {_weasyprint_version()} is installed but pyproject.toml pins {spec}: run the tests "
        "against the pinned version, or adapt render.py's private API use and move the pin")


def test_render_uses_no_other_private_weasyprint_attribute() -> None:
    source = (Path(__file__).resolve().parent.parent / "ocopdocs" / "render.py").read_text(encoding="utf-8")
    private = set(re.findall(r"(?<![\w])(?!self\.)\w+\.(_[a-z]\w*)", source))
    assert private == {"_page_box", "_get_png_data"}, (
        f"render.py now uses {sorted(private)}: add what is WeasyPrint's to the checks above")


def test_raster_images_have_the_png_encoder_render_keeps() -> None:
    from weasyprint import images

    if not callable(getattr(images.RasterImage, "_get_png_data", None)):
        pytest.fail(_missing("RasterImage._get_png_data"))
    assert getattr(images.RasterImage._get_png_data, "keeps", False)  # a Renderer was made: installed


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "P"])
def test_kept_png_data_writes_the_same_pdf(renderer: Renderer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           mode: str) -> None:
    """PNG data kept between documents (by file bytes or pixels) gives the bytes WeasyPrint writes itself."""
    from PIL import Image
    from weasyprint import images

    from ocopdocs import render

    logo = Image.new("RGBA", (300, 200), (200, 40, 40, 255))
    logo.paste(Image.new("RGBA", (100, 100), (20, 20, 160, 90)), (20, 20))
    (logo.convert("P") if mode == "P" else logo.convert(mode)).save(tmp_path / "logo.png")
    html = '<html><body><p>Logo</p><img src="logo.png" style="width: 30mm"></body></html>'

    def pdf() -> bytes:
        layout = renderer.layout(html, base=tmp_path, stylesheets=[], roots=[tmp_path])
        return renderer.write(layout, identifier=b"0" * 32)

    render._PNG_DATA.clear()
    first, kept = pdf(), pdf()  # the second from the kept data
    assert render._PNG_DATA
    encode = images.RasterImage._get_png_data.__closure__[0].cell_contents  # WeasyPrint's own
    monkeypatch.setattr(images.RasterImage, "_get_png_data", staticmethod(encode))
    assert first == kept == pdf()
    monkeypatch.undo()
    other = logo.copy()
    other.paste(Image.new("RGBA", (50, 50), (0, 120, 0, 255)), (200, 100))  # same size, other pixels
    (other.convert("P") if mode == "P" else other.convert(mode)).save(tmp_path / "logo.png")
    assert pdf() != first
