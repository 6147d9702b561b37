"""HTML → PDF with WeasyPrint: the only module that imports it.

WeasyPrint is imported lazily, inside :class:`Renderer`, so that worker processes can be
forked before it loads (WeasyPrint issue 684). One renderer keeps one FontConfiguration and
parses each stylesheet once (a new FontConfiguration per render leaks about 0.25 MB).

Nothing fails silently here:
- every URL goes through :class:`SandboxFetcher`, which serves ``data:`` URLs and files inside
  the allowed folders only and stops the render for anything else;
- ERROR records that WeasyPrint logs during a render (a missing image, a broken SVG) fail it;
- content that spills onto a second page, or past the right edge, is measured and reported,
  because WeasyPrint drops overflowing lines without a word.

A PDF variant (:mod:`ocopdocs.pdfvariant`) is chosen per layout: for PDF/X-4 the CMYK profile
becomes the ``device-cmyk`` colour profile and the output intent, raster images are converted
to CMYK on the way in, and the XMP document id and dates are pinned so that rebuilds stay
byte-identical.

Between documents a renderer keeps what does not change: the fonts, the parsed stylesheets,
raster images converted for a CMYK press, and the PNG data WeasyPrint writes for a raster image
(:func:`_keep_png_data`).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import zlib
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlparse

from .kept import Kept
from .pdfvariant import VARIANTS, pin_document_id

PX_TO_MM = 25.4 / 96
"""CSS px are 1/96 in."""


class FetchRefused(Exception):
    """Raised (wrapped in WeasyPrint's fatal error) when a document asks for a forbidden URL."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class RenderFailure(Exception):
    """A render failed for a reason the user can act on; ``code`` is a message key."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code, values)
        self.code = code
        self.values = values


@dataclass
class Layout:
    """A laid-out document, measured before it is written."""

    document: Any
    """WeasyPrint's Document."""
    pages: int
    page_size_mm: tuple[float, float]
    overflow_mm: float
    """Height of content that did not fit on the first page (0 when it fits)."""
    overflow_right_mm: float
    """How far content reaches past the right edge of the page's content area."""
    text: str
    """The text of every laid-out line, in order; what the page shows, not what we sent."""
    warnings: list[str] = field(default_factory=list)
    fit: FitBox | None = None
    """The measures of the element marked ``data-fit="box"``, for documents that have one."""
    pdf_variant: str | None = None
    """The PDF variant it was laid out for (WeasyPrint lays out X-4 with a CMYK default)."""
    output_intent: str | None = None
    """The colour profile named as output intent, when ocopdocs chose it (PDF/A: sRGB)."""


SRGB = "--srgb"
"""The name of the sRGB output-intent profile among a document's colour profiles."""
CMYK_IMAGES_KEPT = 64
"""Converted images a renderer keeps: a producer's marks and logos, used by each of its labels."""
RASTER_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"}
"""Images converted to CMYK for a CMYK variant (SVG keeps the colours it names)."""


@dataclass(frozen=True)
class FitBox:
    """How the content of a fixed-size box (a label) fills it, measured on the laid-out page.

    WeasyPrint breaks a page where the content reaches the page's bottom, not the box's inner
    bottom, so the content is measured by its lines and images: on the first page down from the
    box's content top, plus what went on to later pages.
    """

    room_mm: float
    """Height inside the box's padding."""
    content_mm: float
    """Height the content takes, laid out in one piece."""
    flow_mm: float
    """Height of the block marked ``data-fit="flow"``: the text set in the body size."""
    beside_mm: float
    """Height of a block marked ``data-fit="beside"``, which stands beside the flow (0: none)."""
    right_mm: float = 0.0
    """How far text or an image reaches past the right edge inside the box's padding."""

    @property
    def overflow_mm(self) -> float:
        """How much content does not fit inside the box (0 when it fits)."""
        return max(0.0, self.content_mm - self.room_mm)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


PNG_KEPT = 16
"""Images whose PNG data is kept: a producer's marks and logos, shown on each of its labels."""
PNG_KEPT_LARGEST = 8 * 2**20
"""PNG data larger than this is not kept (memory stays flat over a national build)."""
_PNG_DATA: Kept[bytes, bytes] = Kept()


def _keep_png_data(images: Any) -> None:
    """Have WeasyPrint's raster images keep the PNG data they write, by pixels, between documents.

    WeasyPrint encodes each PNG image again every time it writes a PDF (the pixels, and the
    alpha channel apart): about 50 ms for a 1200-pixel mark, on every label and dossier showing
    it. The encoder gives the same bytes for the same pixels, so the data is looked up by the
    image's mode, size and pixels, and the PDF stays byte-identical.
    """
    encode = images.RasterImage._get_png_data
    if getattr(encode, "keeps", False):
        return

    def png_data(pillow_image: Any) -> bytes:
        digest = hashlib.sha256(f"{pillow_image.mode} {pillow_image.size}".encode())
        source = getattr(pillow_image, "fp", None)
        if isinstance(source, io.BytesIO) and getattr(pillow_image, "_im", True) is None:
            digest.update(b"file " + source.getvalue())  # an image file not decoded yet: its bytes
        else:
            digest.update(b"pixels " + pillow_image.tobytes())
        return _PNG_DATA.get(digest.digest(), lambda: cast(bytes, encode(pillow_image)), PNG_KEPT,
                             worth=lambda data: len(data) <= PNG_KEPT_LARGEST)

    png_data.keeps = True  # type: ignore[attr-defined]
    images.RasterImage._get_png_data = staticmethod(png_data)


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


class Renderer:
    """Turns HTML strings into measured layouts and PDFs, sharing fonts and stylesheets."""

    def __init__(self) -> None:
        import weasyprint  # only where documents are rendered: a no-op build never pays for it
        from weasyprint import images
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

        self._wp = weasyprint
        _keep_png_data(images)
        self._fatal = FatalURLFetchingError
        self.font_config = FontConfiguration()
        self._css: dict[tuple[Path, int, int, tuple[Path, ...]], Any] = {}
        self._fonts: dict[str, bool] = {}
        self._profiles: dict[tuple[Path, int, int], dict[str, Any]] = {}
        self._cmyk_images: Kept[tuple[Path, int, int, Path], tuple[bytes, dict[str, str]] | None] = Kept()
        self._srgb: Any = None
        self._originals: dict[int, tuple[Any, bytes]] = {}  # id(profile) → (profile, its file deflated)
        fatal = FatalURLFetchingError
        renderer = self

        class SandboxFetcher(URLFetcher):  # type: ignore[misc]
            """Serves ``data:`` URLs and files inside ``roots``; refuses everything else.

            With a CMYK profile, raster images are served converted to CMYK.
            """

            def __init__(self, roots: list[Path], cmyk_profile: Path | None = None) -> None:
                super().__init__(allowed_protocols={"data", "file"}, fail_on_errors=True)
                self.roots = [r.resolve() for r in roots]
                self.cmyk_profile = cmyk_profile

            def fetch(self, url: str, headers: Any = None) -> Any:
                parsed = urlparse(url)
                if parsed.scheme == "data":
                    response = super().fetch(url, headers)
                    kind = url[5:40].lower()
                    if self.cmyk_profile is None or not kind.startswith("image/") or "svg" in kind:
                        return response
                    data = response.read()  # a symbol drawn as a PNG, say: converted as a file is
                    converted = _to_cmyk(data, self.cmyk_profile)
                    return URLFetcherResponse(url, *(converted or (data, response.headers)))
                if parsed.scheme == "file" and parsed.netloc in ("", "localhost"):
                    try:
                        path = Path(unquote(parsed.path)).resolve()
                    except (OSError, RuntimeError):  # a link loop
                        raise fatal(url) from FetchRefused(url)
                    if _inside(path, self.roots) and path.is_file():
                        if self.cmyk_profile is not None and path.suffix.lower() in RASTER_SUFFIXES:
                            converted = renderer.cmyk_image(path, self.cmyk_profile)
                            if converted is not None:
                                return URLFetcherResponse(url, *converted)
                        return super().fetch(url, headers)
                raise fatal(url) from FetchRefused(url)

        self.Fetcher = SandboxFetcher

    def font_installed(self, family: str) -> bool:
        """True when fontconfig has ``family`` itself, not a substitute (answers cached)."""
        if family not in self._fonts:
            from weasyprint.text.ffi import ffi, fontconfig

            pattern = fontconfig.FcPatternCreate()
            fontconfig.FcPatternAddString(pattern, b"family", family.encode())
            fontconfig.FcConfigSubstitute(ffi.NULL, pattern, fontconfig.FcMatchPattern)
            fontconfig.FcDefaultSubstitute(pattern)
            match = fontconfig.FcFontMatch(ffi.NULL, pattern, ffi.new("FcResult *"))
            value = ffi.new("FcChar8 **")
            found = ""
            if match != ffi.NULL:
                if fontconfig.FcPatternGetString(match, b"family", 0, value) == fontconfig.FcResultMatch:
                    found = ffi.string(value[0]).decode()
                fontconfig.FcPatternDestroy(match)
            fontconfig.FcPatternDestroy(pattern)
            self._fonts[family] = found.casefold() == family.casefold()
        return self._fonts[family]

    def stylesheet(self, path: Path, roots: list[Path]) -> Any:
        """Return ``path`` parsed as CSS, parsing each version of each file once per renderer."""
        stat = path.stat()  # an edited stylesheet is parsed again, even by a long-lived renderer
        key = (path, stat.st_mtime_ns, stat.st_size, tuple(roots))
        if key not in self._css:
            self._css[key] = self._wp.CSS(filename=str(path), font_config=self.font_config,
                                          url_fetcher=self.Fetcher(roots))
        return self._css[key]

    def colour_profiles(self, path: Path) -> dict[str, Any]:
        """WeasyPrint's colour profiles with ``path`` as ``device-cmyk``, read once per renderer."""
        stat = path.stat()
        key = (path, stat.st_mtime_ns, stat.st_size)
        if key not in self._profiles:
            profiles: dict[str, Any] = {}
            # the profile lives outside templates/ and the products: only this sheet may read it
            css = (f"@color-profile device-cmyk {{ src: url({path.resolve().as_uri()});"
                   " components: c, m, y, k }")
            self._wp.CSS(string=css, font_config=self.font_config, color_profiles=profiles,
                         url_fetcher=self.Fetcher([path.resolve().parent]))
            if "device-cmyk" not in profiles:
                raise RenderFailure("print-profile-unreadable", path=path)
            self._keep_original(profiles["device-cmyk"], path.read_bytes())
            self._profiles[key] = profiles
        return self._profiles[key]

    def _finisher(self, layout: Layout, identifier: bytes) -> Any:
        """A WeasyPrint finisher for a PDF variant: stable bytes, and the profiles deflated once.

        - WeasyPrint writes colour profiles by asking Pillow to serialise them again, and once
          a profile's name has been read (the output intent names it) the bytes differ from
          the first time: the first document of a process would differ from the next. Every
          profile is written as the file's own bytes instead, deflated once per renderer (a
          CMYK profile is 187 kB, about 90 ms at level 9 for every label).
        - PDF/X: WeasyPrint writes a random xmpMM:DocumentID; the same document now keeps one
          made from ``identifier`` (what that id is for).
        """
        profiles = [p for p in layout.document.color_profiles.values() if id(p) in self._originals]
        pin = layout.pdf_variant is not None and layout.pdf_variant.startswith("pdf/x")

        def finish(document: Any, pdf: Any) -> None:
            reference = pdf.catalog.get("Metadata")
            if pin and reference is not None:
                metadata = _pdf_object(pdf, reference)
                metadata.stream = [pin_document_id(b"".join(metadata.stream), identifier)]
            for profile in profiles:
                if profile.pdf_reference is not None:
                    stream = _pdf_object(pdf, profile.pdf_reference)
                    stream.stream, stream.compress = [self._originals[id(profile)][1]], False
                    stream.extra["Filter"] = "/FlateDecode"  # what pydyf itself would have written

        return finish

    def _keep_original(self, profile: Any, data: bytes) -> None:
        self._originals[id(profile)] = (profile, zlib.compress(data, 9))  # the profile kept alive

    def srgb_profile(self) -> Any:
        """WeasyPrint's sRGB profile (the PDF/A output intent), read once per renderer."""
        if self._srgb is None:
            from importlib.resources import files

            from weasyprint.css import ColorProfile

            data = (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
            self._srgb = ColorProfile(io.BytesIO(data), "sRGB2014.icc", "relative-colorimetric",
                                      ["r", "g", "b"])
            self._keep_original(self._srgb, data)
        return self._srgb

    def cmyk_image(self, path: Path, profile: Path) -> tuple[bytes, dict[str, str]] | None:
        """``path`` converted for a CMYK press with ``profile`` (:func:`_to_cmyk`), once per file.

        The last :data:`CMYK_IMAGES_KEPT` conversions are kept, so that a worker's memory stays flat.
        """
        stat = path.stat()
        key = (path, stat.st_mtime_ns, stat.st_size, profile)
        # a worker of a national build meets thousands of images
        return self._cmyk_images.get(key, lambda: _to_cmyk(path.read_bytes(), profile), CMYK_IMAGES_KEPT)

    def layout(self, html: str, *, base: Path, stylesheets: list[Path], roots: list[Path],
               pdf_variant: str | None = None, cmyk_profile: Path | None = None) -> Layout:
        """Lay out ``html`` (relative URLs resolve against ``base``) and measure it.

        ``pdf_variant`` is the PDF standard it will be written to; a CMYK variant needs
        ``cmyk_profile``, the press condition's ICC profile. Raises :class:`RenderFailure` for
        a refused URL or an error WeasyPrint logs.
        """
        logger = logging.getLogger("weasyprint")
        handler = _Collect()
        logger.addHandler(handler)
        cmyk = pdf_variant is not None and VARIANTS[pdf_variant].cmyk
        try:
            # stylesheets come from templates/ (the first root) and load nothing from products,
            # so one parse serves every product
            sheets = [self.stylesheet(p, roots[:1]) for p in stylesheets]
            profiles: dict[str, Any] = {}
            options: dict[str, Any] = {"pdf_variant": pdf_variant} if pdf_variant else {}
            if cmyk:
                assert cmyk_profile is not None, "a CMYK variant needs its profile"
                profiles = dict(self.colour_profiles(cmyk_profile))
            elif pdf_variant is not None and VARIANTS[pdf_variant].srgb:
                # WeasyPrint's own sRGB intent leaves its profile file open (a ResourceWarning
                # per document): give it the same profile, read once, under our name
                profiles = {SRGB: self.srgb_profile()}
                options["output_intent"] = SRGB
            fetcher = self.Fetcher(roots, cmyk_profile if cmyk else None)
            document = self._wp.HTML(string=html, base_url=str(base) + os.sep,
                                     url_fetcher=fetcher).render(
                stylesheets=sheets, font_config=self.font_config, color_profiles=profiles, **options)
        except self._fatal as exc:
            cause = exc.__cause__
            url = cause.url if isinstance(cause, FetchRefused) else str(exc)
            raise RenderFailure("render-fetch-refused", url=url) from exc
        finally:
            logger.removeHandler(handler)
        errors = [r.getMessage() for r in handler.records if r.levelno >= logging.ERROR]
        if errors:
            raise RenderFailure("render-weasyprint-error", detail=errors[0])
        warnings = [r.getMessage() for r in handler.records if r.levelno < logging.ERROR]
        layout = _measure(document, warnings)
        layout.pdf_variant = pdf_variant
        layout.output_intent = options.get("output_intent")
        return layout

    def write(self, layout: Layout, *, identifier: bytes, created: date | None = None,
              bleed_mm: float | None = None) -> bytes:
        """Return the PDF bytes of ``layout``; ``identifier`` keeps rebuilds byte-identical.

        ``created`` dates a PDF/X file that has no ``dcterms.created`` of its own (WeasyPrint
        would stamp the current time), and its XMP document id comes from ``identifier``.
        ``bleed_mm``: the BleedBox's distance from the TrimBox. WeasyPrint sets the TrimBox at
        the page's size and the MediaBox out to the CSS bleed, but puts the BleedBox at most
        10 pt out; a page whose CSS bleed also holds crop marks gets it set here instead.
        """
        logger = logging.getLogger("weasyprint")
        handler = _Collect()
        logger.addHandler(handler)
        options: dict[str, Any] = {}
        finishers = []
        if bleed_mm is not None:
            finishers.append(partial(_set_bleed_box, bleed_mm / PX_TO_MM * 0.75))
        if layout.pdf_variant is not None:
            options["pdf_variant"] = layout.pdf_variant
            finishers.append(self._finisher(layout, identifier))
        if finishers:
            options["finisher"] = partial(_finish, finishers)
        if layout.output_intent is not None:
            options["output_intent"] = layout.output_intent
        if layout.pdf_variant is not None and layout.pdf_variant.startswith("pdf/x"):
            metadata = layout.document.metadata
            day = created or date(2000, 1, 1)
            metadata.created = metadata.created or f"{day.isoformat()}T00:00:00+07:00"
            metadata.modified = metadata.modified or metadata.created
        try:
            pdf: bytes = layout.document.write_pdf(pdf_identifier=identifier, **options)
        except self._fatal as exc:  # attachments are fetched only now
            cause = exc.__cause__
            raise RenderFailure("render-fetch-refused",
                                url=cause.url if isinstance(cause, FetchRefused) else str(exc)) from exc
        finally:
            logger.removeHandler(handler)
        errors = [r.getMessage() for r in handler.records if r.levelno >= logging.ERROR]
        if errors:
            raise RenderFailure("render-weasyprint-error", detail=errors[0])
        layout.warnings.extend(r.getMessage() for r in handler.records)
        return pdf


def _finish(finishers: list[Any], document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: each of ``finishers`` in turn."""
    for finisher in finishers:
        finisher(document, pdf)


def _set_bleed_box(bleed_pt: float, document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: every page's BleedBox ``bleed_pt`` out from its TrimBox."""
    import pydyf  # type: ignore[import-untyped]  # WeasyPrint's PDF writer

    kids = pdf.pages["Kids"]
    for number in kids[::3]:  # "n 0 R" references
        page = pdf.objects[number]
        left, top, right, bottom = (float(v) for v in page["TrimBox"])
        page["BleedBox"] = pydyf.Array([min(left, right) - bleed_pt, min(top, bottom) - bleed_pt,
                                        max(left, right) + bleed_pt, max(top, bottom) + bleed_pt])


def _pdf_object(pdf: Any, reference: Any) -> Any:
    """The pydyf object a reference (``b"12 0 R"``) points to."""
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    return pdf.objects[int(text.split()[0])]


def _to_cmyk(data: bytes, profile: Path) -> tuple[bytes, dict[str, str]] | None:
    """A raster image made printable in a CMYK file: its bytes and headers; None to keep it.

    - grey images (what segno writes for a QR, a one-colour logo saved in RGB) become a
      lossless greyscale PNG, with their transparency: grey prints in black ink only;
    - colour images become CMYK for ``profile`` (sRGB to CMYK, perceptual), as a JPEG at
      quality 95 without chroma subsampling: WeasyPrint carries CMYK only as a JPEG;
    - a colour image with transparency cannot be carried so, and is kept as it is: the X-4
      check refuses it with a message saying what to export instead.

    Greyscale, greyscale with alpha and CMYK images are kept as they are.
    """
    from PIL import Image, ImageChops, ImageCms  # only CMYK builds with images convert them

    try:
        opened = Image.open(io.BytesIO(data))
        opened.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        return None  # WeasyPrint reports an unreadable image itself
    if opened.mode == "CMYK" or (opened.mode in ("L", "LA") and "transparency" not in opened.info):
        return None
    rgba = opened.convert("RGBA")
    red, green, blue, alpha = rgba.split()
    transparent = alpha.getextrema() != (255, 255)
    out = io.BytesIO()
    if not (ImageChops.difference(red, green).getbbox() or ImageChops.difference(green, blue).getbbox()):
        grey = Image.merge("LA", (red, alpha)) if transparent else red
        grey.save(out, format="PNG")
        return out.getvalue(), {"Content-Type": "image/png"}
    if transparent:
        return None
    converted = ImageCms.profileToProfile(
        rgba.convert("RGB"), ImageCms.createProfile("sRGB"), str(profile),
        renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="CMYK")
    assert converted is not None
    converted.save(out, format="JPEG", quality=95, subsampling=0, dpi=opened.info.get("dpi", (300, 300)))
    return out.getvalue(), {"Content-Type": "image/jpeg"}


def _measure(document: Any, warnings: list[str]) -> Layout:
    """Measure page count, overflow and the laid-out text of a rendered document."""
    first = document.pages[0]
    page_box = first._page_box
    size = (round(first.width * PX_TO_MM, 2), round(first.height * PX_TO_MM, 2))
    overflow = 0.0
    for page in document.pages[1:]:
        root = page._page_box.children[0] if page._page_box.children else None
        if root is not None:
            overflow += root.margin_height() * PX_TO_MM
    right_edge = page_box.content_box_x() + page_box.width
    reach = right_edge
    texts: list[str] = []
    for page in document.pages:
        # placeholders=True: also what is positioned absolutely (stamps, sheets of labels)
        for box in page._page_box.descendants(placeholders=True):
            text = getattr(box, "text", None)
            if isinstance(text, str):
                texts.append(text)
            if page is first and box is not page_box and box.element_tag not in ("html", "body"):
                reach = max(reach, box.position_x + box.margin_width())
    right = max(0.0, reach - right_edge) * PX_TO_MM
    fit = _fit_box(document)
    if fit is not None:  # the box, not the page, is what the content must fit
        overflow, right = fit.overflow_mm, fit.right_mm
        if len(document.pages) > 1:
            overflow = max(overflow, 0.1)
    return Layout(document, len(document.pages), size, round(overflow, 1), round(right, 1),
                  " ".join(texts), warnings, fit)


_LEAVES = frozenset({"LineBox", "InlineReplacedBox", "BlockReplacedBox"})
"""Boxes whose bottom is where content ends: lines of text, images and SVG."""
_INK = frozenset({"TextBox", "InlineReplacedBox", "BlockReplacedBox"})
"""Boxes whose right edge is where content ends: runs of text, images and SVG."""


def _in_flow(box: Any) -> Any:
    """Yield the descendants of ``box``, leaving out positioned decoration (and what it holds)."""
    for child in getattr(box, "children", ()):
        if child.style["position"] in ("absolute", "fixed"):
            continue
        yield child
        yield from _in_flow(child)


def _marked(box: Any, value: str) -> bool:
    element = getattr(box, "element", None)
    return element is not None and element.get("data-fit") == value and box.element_tag != "html"


CUT_LINE = 1.22
"""What a column cut short lost at least: a line of the box's text (label.css's line height)."""


def _cut_short(document: Any, first: Any) -> bool:
    """Whether an element marked ``data-fit="end"`` inside the box is on no page.

    WeasyPrint drops the lines of a float that runs past the page's bottom, rather than moving
    them to another page, so a column beside the text can lose its last lines (a caption, a
    note) with nothing to measure: the mark after them is gone too.
    """
    ends = {id(e) for e in first.element.iter() if e.get("data-fit") == "end"}
    if not ends:
        return False
    placed = {id(b.element) for page in document.pages for b in page._page_box.descendants()
              if _marked(b, "end")}
    return not ends <= placed


def _fit_box(document: Any) -> FitBox | None:
    """Measure the first element marked ``data-fit="box"``, or None when there is none."""
    first: Any = None
    content = flow = beside = reach = 0.0
    for index, page in enumerate(document.pages):
        # a box split over pages has one fragment on each; only the first page's gives the room
        fragment = next((b for b in page._page_box.descendants() if _marked(b, "box")), None)
        if fragment is None:
            continue
        boxes = list(_in_flow(fragment))
        bottoms = [(b.position_y, b.position_y + b.height) if type(b).__name__ == "LineBox"
                   else (b.border_box_y(), b.border_box_y() + b.border_height())
                   for b in boxes if type(b).__name__ in _LEAVES]
        flow += sum(b.margin_height() for b in boxes if _marked(b, "flow"))
        beside += sum(b.margin_height() for b in boxes if _marked(b, "beside"))
        if index == 0:
            first = fragment
            edge = first.content_box_x() + first.width
            reach = max((b.position_x + b.margin_width() - edge for b in boxes if type(b).__name__ in _INK),
                        default=0.0)
            top = first.content_box_y()
            content = max((bottom for _, bottom in bottoms), default=top) - top
        elif bottoms:  # from the fragment's top: a block moved whole keeps its border and padding
            content += max(b for _, b in bottoms) - min(fragment.content_box_y(), *(t for t, _ in bottoms))
    if first is None:
        return None
    height = first.style["height"]
    room = first.height
    if getattr(height, "unit", None) == "px":  # a fixed height: the first page's fragment may be cut
        edges = first.padding_top + first.padding_bottom + first.border_top_width + first.border_bottom_width
        room = height.value - (edges if first.style["box_sizing"] == "border-box" else 0)
    if _cut_short(document, first):  # at least a line is lost, unmeasured: it does not fit
        content = max(content, room + first.style["font_size"] * CUT_LINE)
    return FitBox(round(room * PX_TO_MM, 2), round(content * PX_TO_MM, 2), round(flow * PX_TO_MM, 2),
                  round(beside * PX_TO_MM, 2), round(max(0.0, reach) * PX_TO_MM, 2))


def element_boxes(layout: Layout, ids: set[str]) -> dict[str, tuple[int, float, float, float, float]]:
    """Find elements by id: {id: (page index, x, y, width, height)} in PDF points, y from the bottom."""
    found: dict[str, tuple[int, float, float, float, float]] = {}
    for index, page in enumerate(layout.document.pages):
        page_height = page.height * 0.75
        for box in page._page_box.descendants(placeholders=True):
            element = getattr(box, "element", None)
            key = element.get("id") if element is not None else None
            if key in ids and key not in found and box.element_tag != "html":
                x, y = box.border_box_x() * 0.75, box.border_box_y() * 0.75
                width, height = box.border_width() * 0.75, box.border_height() * 0.75
                found[key] = (index, x, page_height - y - height, width, height)
    return found


def info() -> dict[str, str]:
    """Versions of the native stack, for ``ocopdocs --info`` and bug reports."""
    import weasyprint  # start-up speed: only ``--info`` and renderers load it
    from weasyprint.text import ffi

    version = ffi.pango.pango_version()
    return {
        "weasyprint": weasyprint.__version__,
        "pango": f"{version // 10000}.{version // 100 % 100}.{version % 100}",
        "harfbuzz_subset": "yes" if getattr(ffi, "harfbuzz_subset", None) is not None else "no",
    }
