"""``ocopdocs stamps``: sheets of traceability stamps with serials that are never issued twice.

Each stamp is a QR code holding the label's GS1 Digital Link plus a serial (AI 21), with the
serial printed under it, on a die-cut sticker sheet (:mod:`ocopdocs.design.stocks`). The run:

1. check the request (count, product, variant, lot, GTIN, resolver, stock, fit): a refusal
   issues nothing;
2. allocate the serials in the registry (:mod:`ocopdocs.serials`), one committed transaction;
3. render every stamp in one document and write the PDF atomically, then the CSV for the
   traceability portal (Decree 37/2026 Art. 23.5: product, producer, address, origin, lot,
   serial, expiry);
4. mark the range written.

A crash after 2 leaves the range allocated and unwritten: a gap, never a reuse.
"""

from __future__ import annotations

import base64
import concurrent.futures
import csv
import difflib
import io
import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

from . import gs1, pipeline
from .design.stamps import StampSettings, stamp_settings
from .design.stocks import Stock, StockError, available, layout, mm
from .documents import Plan
from .domain.label import digital_link, expiry_date, printed_gtin
from .errors import OcopError, Problem, UsageError
from .loader import ProductEntry, Selection
from .messages import t
from .output import LOCK_WAIT, locked, write_output
from .render import Renderer
from .schema import Package
from .serials import REGISTRY_FILE, Issue, Registry
from .templating import make_env
from .workers import render_one

TEMPLATE = "stamps/stamps.html"
STYLESHEET = "stamps/stamps.css"
PT_TO_MM = Decimal("25.4") / 72


@dataclass(frozen=True)
class Request:
    """What the command line asks for."""

    product: str
    """A product file, ``producer/product`` or a product file's name."""
    lot: str
    count: int
    stock: str | None = None
    size: str | None = None


@dataclass
class Result:
    """What a run issued and wrote."""

    issue: Issue
    pdf: Path
    csv: Path
    sheets: int
    stock: str
    void: list[Issue] = field(default_factory=list)
    """Earlier ranges of this GTIN whose run did not finish: void serials."""
    problems: list[Problem] = field(default_factory=list)
    """Warnings from rendering."""


@dataclass(frozen=True)
class _Fit:
    module_mm: Decimal
    qr_mm: Decimal
    top_mm: Decimal


def registry_path(products: Path) -> Path:
    """The registry of the project whose products folder is ``products``: next to it."""
    return products.resolve().parent / REGISTRY_FILE


def check_count(count: int, settings: StampSettings | None = None) -> None:
    """Refuse a count of 0, a negative one, or one above the limit in ``stamps.yaml``."""
    limit = (settings or stamp_settings()).max_count
    if count < 1:
        raise UsageError(t("stamps-count-invalid", count=count))
    if count > limit:
        raise UsageError(t("stamps-count-too-many", count=count, limit=limit))


def _find(products: Path, wanted: str) -> tuple[Path, Selection]:
    """The products folder and the one product that ``wanted`` names."""
    path = Path(wanted)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        folder = path.resolve().parent
        return folder.parent, Selection(folder.name, path.stem)
    producer, _, name = wanted.strip("/").rpartition("/")
    files = sorted((p for p in products.glob("*/*.yaml") if p.name != "producer.yaml"
                    and not p.name.startswith(".") and not p.parent.name.startswith(".")),
                   key=lambda p: (p.parent.name, p.stem))
    found = [p for p in files if p.stem == name and (not producer or p.parent.name == producer)]
    if not found:
        ids = [f"{p.parent.name}/{p.stem}" for p in files]
        close = [i for i in ids if wanted in i] or difflib.get_close_matches(wanted, ids, n=5, cutoff=0.6)
        if close:
            raise UsageError(t("stamps-product-close", product=wanted, folder=products,
                               products=", ".join(close)))
        raise UsageError(t("stamps-product-unknown", product=wanted, folder=products,
                           products=", ".join(ids)))
    if len(found) > 1:
        raise UsageError(t("stamps-product-ambiguous", product=wanted,
                           products=", ".join(f"{p.parent.name}/{p.stem}" for p in found)))
    return products, Selection(found[0].parent.name, found[0].stem)


def _fit(stock: Stock, cell: tuple[Decimal, Decimal], modules: int, settings: StampSettings) -> _Fit:
    """The largest QR module the cell allows, within the bounds of ``stamps.yaml``."""
    text_mm = settings.serial_font_pt * PT_TO_MM  # line-height 1
    room_h = cell[1] - 2 * settings.padding_mm - text_mm
    room_w = cell[0] - 2 * settings.padding_mm
    module = min(settings.qr_module_mm.max, room_h / modules, room_w / modules)
    module = module.quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    if module < settings.qr_module_mm.min:
        need = modules * settings.qr_module_mm.min
        raise StockError("stamps-stock-too-small", stock=stock.id, width=mm(cell[0]), height=mm(cell[1]),
                         need=f"{mm(need + 2 * settings.padding_mm)} × "
                              f"{mm(need + 2 * settings.padding_mm + text_mm.quantize(Decimal('0.1')))}",
                         module=mm(settings.qr_module_mm.min))
    qr = (modules * module).quantize(Decimal("0.01"))  # as gs1.qr_svg_modules draws it
    top = ((cell[1] - qr - text_mm) / 2).quantize(Decimal("0.01"))
    return _Fit(module, qr, top)


def serial_text(serial: int, settings: StampSettings | None = None) -> str:
    """A serial as printed and encoded: zero-padded to ``serial_digits``."""
    return str(serial).zfill((settings or stamp_settings()).serial_digits)


@dataclass(frozen=True)
class Target:
    """What the stamps are for, once the request is checked."""

    entry: ProductEntry
    index: int
    """The packaging variant's index in ``packages``."""
    gtin: str
    stock: Stock
    stocks: dict[str, Stock]
    """Every stock the producer may use, for the hint when this one is too small."""

    @property
    def package(self) -> Package:
        """The packaging variant."""
        assert self.entry.model is not None
        return self.entry.model.packages[self.index]

    def link(self, serial: int) -> str:
        """The Digital Link of one stamp: the label's, with the serial (AI 21)."""
        assert self.entry.model is not None
        uri = digital_link(self.entry.model, self.gtin, serial_text(serial))
        assert uri is not None
        return uri


def target(products: Path, request: Request) -> tuple[Path, Target]:
    """The products folder and what ``request`` asks stamps for; refuses what cannot have them.

    Raises:
        UsageError: An unknown product, variant, lot or stock.
        OcopError: A product with errors, without a GTIN or a resolver; an uncut stock.
    """
    settings = stamp_settings()
    products, select = _find(products, request.product)
    checked = pipeline.check(products, date.today(), select)
    entry = checked.selected()[0]
    if entry.id not in {e.id for e in checked.buildable()}:
        errors = [p for p in checked.judged() if p.severity == "error"]
        raise OcopError(t("stamps-product-invalid", file=entry.doc.display, count=max(1, len(errors))))
    producer, product = entry.producer.model, entry.model
    assert producer is not None and product is not None
    sizes = ", ".join(p.sku for p in product.packages)
    if request.size is None and len(product.packages) > 1:
        raise UsageError(t("stamps-size-needed", sizes=sizes))
    index = next((i for i, p in enumerate(product.packages)
                  if request.size is None or p.sku == request.size), None)
    if index is None:
        raise UsageError(t("stamps-size-unknown", size=request.size, sizes=sizes))
    if request.lot != product.lot.code:
        raise UsageError(t("stamps-lot-unknown", lot=request.lot, current=product.lot.code))
    gtin = printed_gtin(producer, product.packages[index])
    if gtin is None:
        raise OcopError(t("stamps-no-gtin", size=product.packages[index].sku))
    if product.traceability is None:
        raise OcopError(t("stamps-no-resolver"))
    stocks = available(producer.label_stocks)
    stock_id = request.stock or settings.default_stock
    if stock_id not in stocks:
        raise UsageError(t("stock-unknown", stock=stock_id, stocks=", ".join(stocks)))
    if not stocks[stock_id].die_cut:
        raise OcopError(t("stamps-stock-uncut", stock=stock_id, default=settings.default_stock))
    return products, Target(entry, index, gtin, stocks[stock_id], stocks)


def make_stamps(products: Path, output: Path, templates: Path, request: Request, *,
                renderer: Renderer | None = None, registry: Registry | None = None,
                now: datetime | None = None, jobs: int = 1,
                waiting: Callable[[str], None] | None = None, lock_wait: float = LOCK_WAIT) -> Result:
    """Check ``request``, issue its serials, and write the stamps' PDF and CSV.

    ``jobs`` > 1 encodes the QR codes in that many processes (most of the time of a large run).
    The output folder's lock is held from before the allocation to the last file, as a build
    holds it; ``waiting`` is told the holder's process id when another holds it, and after
    ``lock_wait`` seconds the run gives up.

    Raises:
        UsageError: The command line names a count, product, variant, lot or stock that does
            not exist or is not allowed; nothing is issued.
        OcopError: The product cannot carry stamps (errors, no GTIN, no resolver), the stock
            cannot take them, the registry is busy or not ours, or the output folder is busy or
            cannot be written; nothing is issued. Also
            when drawing fails after the serials were issued: they are then void.
    """
    settings = stamp_settings()
    check_count(request.count, settings)
    products, aim = target(products, request)
    registry = registry or Registry(registry_path(products), settings.lock_timeout_s)
    earlier = registry.issues(aim.gtin)
    # the QR's size follows the link's length, which the serials to come decide: checked
    # before anything is issued (a concurrent run could only lengthen them past a power of ten)
    upcoming = gs1.qr_module_count(aim.link(max((i.last for i in earlier), default=0) + request.count))
    try:
        _fit(aim.stock, layout(aim.stock).cell_mm, upcoming, settings)
    except StockError as exc:
        fits = [s.id for s in sorted(aim.stocks.values(), key=lambda s: -_per_sheet(s))
                if s.die_cut and _fits(s, upcoming, settings)]
        hint = t("stock-fitting", stocks=", ".join(fits)) if fits else t("stock-fitting-none")
        raise OcopError(f"{exc} {hint}") from None
    # the output folder first (a build writing there, or a folder that cannot be written, stops
    # the run before any serial is issued), then the registry
    with locked(output, wait=lock_wait, waiting=waiting):
        issued_at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
        issue = registry.allocate(gtin=aim.gtin, lot=request.lot, count=request.count,
                                  product=aim.entry.id, sku=aim.package.sku, issued_at=issued_at)
        # from here on the serials are issued: any failure leaves a gap, never a reuse
        pdf, csv_path, sheets, problems = _draw(aim, issue, output, templates, renderer, jobs)
        registry.written(issue, str(pdf.relative_to(output)))
    return Result(issue, pdf, csv_path, sheets, aim.stock.id,
                  [i for i in earlier if i.status == "allocated"], problems)


def _draw(aim: Target, issue: Issue, output: Path, templates: Path, renderer: Renderer | None,  # noqa: PLR0917
          jobs: int) -> tuple[Path, Path, int, list[Problem]]:
    """Draw the stamps of ``issue`` in one document; write its PDF, then its CSV."""
    settings = stamp_settings()
    product = aim.entry.model
    assert product is not None
    grid = layout(aim.stock)
    serials = list(range(issue.first, issue.last + 1))
    links = [aim.link(n) for n in serials]
    symbols = encode(links, jobs)
    fit = _fit(aim.stock, grid.cell_mm, max(modules for _, modules in symbols), settings)
    stamps = [{"serial": serial_text(n, settings), "link": uri, "qr_mm": modules * fit.module_mm,
               "qr": "data:image/png;base64," + base64.b64encode(png).decode("ascii")}
              for n, uri, (png, modules) in zip(serials, links, symbols, strict=True)]
    pages = [stamps[i:i + grid.per_sheet] for i in range(0, len(stamps), grid.per_sheet)]
    first, last = serial_text(issue.first, settings), serial_text(issue.last, settings)
    relative = f"{aim.entry.id}/stamps-{issue.lot}-{first}-{last}.pdf"
    title = t("stamps-title", product=product.name.vi, lot=issue.lot, first=first, last=last)
    context = {
        "title": title,
        "sheet": {"width_mm": aim.stock.sheet.width_mm, "height_mm": aim.stock.sheet.height_mm},
        "cell": {"width_mm": grid.cell_mm[0], "height_mm": grid.cell_mm[1], "top_mm": fit.top_mm},
        "font_pt": settings.serial_font_pt,
        "pages": [[{**stamp, "x_mm": slot.x_mm, "y_mm": slot.y_mm}
                   for stamp, slot in zip(page, grid.slots, strict=False)] for page in pages],
    }
    plan = Plan(kind="stamps", product=aim.entry.id, variant=aim.package.sku, path=relative,
                template=TEMPLATE, source=aim.entry.doc.display, source_field=f"packages[{aim.index}]",
                source_line=aim.entry.doc.line_of(("packages", aim.index)),
                context=context, required_texts=[str(s["serial"]) for s in stamps],
                stylesheets=[STYLESHEET], title=title, producer=aim.entry.producer.slug, paged=True,
                size_mm=(float(aim.stock.sheet.width_mm), float(aim.stock.sheet.height_mm)))
    built, problems = render_one(plan, make_env(templates), renderer or Renderer(), templates, output)
    errors = [p for p in problems if p.severity == "error"]
    if built is None or errors:
        detail = errors[0].message if errors else "?"
        if len(errors) > 1:
            detail += " (+" + str(len(errors) - 1) + ")"
        raise OcopError(t("stamps-render-failed", detail=detail, first=first, last=last))
    csv_path = (output / relative).with_suffix(".csv")
    rows = [(str(stamp["serial"]), str(stamp["link"])) for stamp in stamps]
    write_output(csv_path, portal_csv(aim.entry, aim.index, rows))
    return output / relative, csv_path, len(pages), problems


PARALLEL_FROM = 200
"""Fewer QR codes than this encode faster here than in worker processes that must start first."""


def encode(links: list[str], jobs: int) -> list[tuple[bytes, int]]:
    """Each link as a QR code PNG and its width in modules (:func:`gs1.qr_png`), in order.

    Choosing the best of the eight masks, as ISO/IEC 18004 describes, is most of a stamp's
    time; with ``jobs`` > 1 the codes are encoded in worker processes.
    """
    if jobs <= 1 or len(links) < PARALLEL_FROM:
        return [gs1.qr_png(uri) for uri in links]
    spawn = multiprocessing.get_context("spawn")  # as the build's workers (WeasyPrint issue 684)
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=spawn) as pool:
        return list(pool.map(gs1.qr_png, links, chunksize=max(1, len(links) // (4 * jobs))))


def _per_sheet(stock: Stock) -> int:
    return layout(stock).per_sheet if stock.die_cut else 0


def _fits(stock: Stock, modules: int, settings: StampSettings) -> bool:
    try:
        _fit(stock, layout(stock).cell_mm, modules, settings)
    except StockError:
        return False
    return True


def portal_csv(entry: ProductEntry, index: int, stamps: list[tuple[str, str]]) -> bytes:
    """The issued serials, one row each, with what a traceability portal asks of a product.

    Decree 37/2026 Art. 23.5 and 23.7: name, producer, address, origin, brand, lot or serial,
    expiry. UTF-8 with a BOM (so that Excel shows the Vietnamese); dates ISO 8601.
    """
    producer, product = entry.producer.model, entry.model
    assert producer is not None and product is not None
    package = product.packages[index]
    expiry = expiry_date(product)
    site = producer.site(product.production_site)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([t("stamps-csv-serial"), t("stamps-csv-gtin"), t("stamps-csv-lot"), t("stamps-csv-link"),
                     t("stamps-csv-product"), t("stamps-csv-brand"), t("stamps-csv-sku"),
                     t("stamps-csv-quantity"), t("stamps-csv-producer"), t("stamps-csv-address"),
                     t("stamps-csv-origin"), t("stamps-csv-production-date"), t("stamps-csv-expiry")])
    common = [product.name.vi, product.brand or "", package.sku, str(package.net_quantity),
              producer.legal_name, site.address.one_line(), product.origin.country,
              product.lot.production_date.isoformat(), expiry.isoformat() if expiry else ""]
    for serial, link in stamps:
        writer.writerow([_inert(v) for v in (serial, package.gtin or "", product.lot.code, link, *common)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _inert(value: str) -> str:
    """Keep spreadsheet programs from running product text as a formula (CSV injection)."""
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value
