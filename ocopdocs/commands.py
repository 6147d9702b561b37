"""The commands besides the build: ``new``, ``schema``, ``import``, ``export``, ``serve``, ``stamps``.

Kept apart from :mod:`ocopdocs.cli` (which parses, builds and prints the build's results):
each command here is a parser and a handler that calls one module (:mod:`.scaffold`,
:mod:`.guide`, :mod:`.sheets`, :mod:`.preview`, :mod:`.stamps`). Questions are asked only on a terminal; every
answer also has a flag, for scripts.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TextIO

from . import guide, scaffold
from .design.stamps import stamp_settings
from .design.stocks import shipped_stocks
from .errors import UsageError
from .loader import Selection
from .loader import locate as _locate
from .messages import t
from .output import LOCK_WAIT

NAMES = ("new", "schema", "import", "export", "serve", "stamps")


def parse_date(value: str) -> date:
    """A day written 15/09/2026 (as Vietnamese documents and the product files do) or 2026-09-15."""
    match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", value.strip())
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(t("cli-bad-date", value=value)) from exc


def locate(path: Path) -> tuple[Path, Selection]:
    """``--products``: a products folder, a producer folder or one product file.

    Returns the products folder to read and what to build and report in it.

    Raises:
        UsageError: ``path`` does not exist, or is a file that is not a product file.
    """
    if not path.exists() or (path.is_file() and path.suffix not in (".yaml", ".yml")):
        raise UsageError(t("cli-products-missing", folder=path))
    return _locate(path)


def suggestion(message: str, choices: list[str]) -> str | None:
    """"did you mean …?" for a mistyped command or option in argparse's ``message``."""
    found = re.search(r"invalid choice: '([^']*)'|unrecognized arguments: (\S+)", message)
    if not found:
        return None
    word = found[1] or found[2]
    close = difflib.get_close_matches(word.split("=")[0], choices, n=1, cutoff=0.6)
    return t("cli-did-you-mean", word=word, suggestion=close[0]) if close else None


def add(sub: argparse._SubParsersAction,  # type: ignore[type-arg]
        parser_class: type[argparse.ArgumentParser]) -> None:
    """Add the commands to the command line's subparsers."""
    def products(p: argparse.ArgumentParser) -> None:
        p.add_argument("--products", type=Path, default=Path("products"), help=t("help-products-folder"))

    new = sub.add_parser("new", help=t("help-new"), description=t("help-new"))
    kinds = new.add_subparsers(dest="what", required=True, parser_class=parser_class,
                               metavar="producer|product")
    producer = kinds.add_parser("producer", help=t("help-new-producer"))
    products(producer)
    producer.add_argument("--name", help=t("help-new-name"))
    producer.add_argument("--folder", help=t("help-new-folder"))
    producer.add_argument("--abbreviation")
    producer.add_argument("--legal-form", default="hop_tac_xa",
                          choices=["hop_tac_xa", "doanh_nghiep", "ho_kinh_doanh", "to_hop_tac"])
    producer.add_argument("--registration")
    producer.add_argument("--village")
    producer.add_argument("--commune")
    producer.add_argument("--province")
    producer.add_argument("--representative")
    producer.add_argument("--title")
    producer.add_argument("--phone")
    producer.add_argument("--gs1-prefix")
    product = kinds.add_parser("product", help=t("help-new-product"))
    products(product)
    product.add_argument("--producer", help=t("help-new-producer-folder"))
    product.add_argument("--name", help=t("help-new-product-name"))
    product.add_argument("--file")
    product.add_argument("--group", default="thuc_pham")
    product.add_argument("--kind")
    product.add_argument("--size", action="append", default=[], help=t("help-new-size"))
    product.add_argument("--gtin", action="append", default=[], help=t("help-new-gtin"))

    schema = sub.add_parser("schema", help=t("help-schema"), description=t("help-schema"))
    products(schema)
    schema.add_argument("--output", type=Path, default=None, help=t("help-schema-output"))
    schema.add_argument("--markdown", type=Path, default=None, metavar="FILE.md",
                        help=t("help-schema-markdown"))

    importer = sub.add_parser("import", help=t("help-import"), description=t("help-import"))
    products(importer)
    importer.add_argument("file", type=Path, nargs="?", metavar="FILE.xlsx|FILE.csv")
    importer.add_argument("--template", type=Path, default=None, metavar="FILE.xlsx",
                          help=t("help-import-template"))
    importer.add_argument("--update", action="store_true", help=t("help-import-update"))

    exporter = sub.add_parser("export", help=t("help-export"), description=t("help-export"))
    products(exporter)
    exporter.add_argument("file", type=Path, metavar="FILE.xlsx")

    serve = sub.add_parser("serve", help=t("help-serve"), description=t("help-serve"))
    products(serve)
    serve.add_argument("--port", type=int, default=8047, help=t("help-serve-port"))
    serve.add_argument("--templates", type=Path, default=None, help=argparse.SUPPRESS)
    serve.add_argument("--no-browser", action="store_true", help=t("help-serve-no-browser"))

    settings = stamp_settings()
    stamps = sub.add_parser("stamps", help=t("help-stamps"), description=t("help-stamps"))
    products(stamps)
    stamps.add_argument("product", metavar="PRODUCT", help=t("help-stamps-product"))
    stamps.add_argument("--lot", required=True, help=t("help-stamps-lot"))
    stamps.add_argument("--count", type=int, required=True, metavar="N",
                        help=t("help-stamps-count", limit=settings.max_count))
    stamps.add_argument("--stock", default=None, metavar="STOCK",
                        help=t("help-stamps-stock", default=settings.default_stock,
                               stocks=", ".join(s for s, stock in shipped_stocks().items() if stock.die_cut)))
    stamps.add_argument("--size", default=None, metavar="SKU", help=t("help-stamps-size"))
    stamps.add_argument("--output", type=Path, default=Path("output"), help=t("help-stamps-output"))
    stamps.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, metavar="N",
                        help=t("help-jobs"))
    stamps.add_argument("--templates", type=Path, default=None, help=argparse.SUPPRESS)


def _ask(question: str, given: str | None, out: TextIO, ask: Callable[[str], str] | None) -> str | None:
    """The flag's value, or on a terminal the answer to ``question`` (empty: fill in later)."""
    if given is not None or ask is None:
        return given
    answer = ask(t("new-ask", question=question) + " ").strip()
    return answer or None


def run(args: argparse.Namespace, out: TextIO, err: TextIO, root: Path) -> int:
    """Run one of :data:`NAMES`; returns the exit code."""
    ask = input if sys.stdin is not None and sys.stdin.isatty() else None
    if args.command == "new":
        return _new(args, out, ask)
    if args.command == "schema":
        folder = args.output or args.products / guide.SCHEMA_FOLDER
        for path in guide.write_schemas(folder):
            print(t("guide-written", path=path), file=out)
        if args.markdown is not None:
            print(t("guide-written", path=guide.write_reference(args.markdown)), file=out)
        return 0
    if args.command == "stamps":
        return _stamps(args, out, err, root)
    if args.command in ("import", "export"):
        from . import sheets  # openpyxl: only for the spreadsheet commands

        return int(sheets.command(args, out, err))
    from . import preview  # the server, pypdfium2 and watchfiles: only for serve

    products, _ = locate(args.products)
    return preview.serve(products, args.templates or root / "templates", port=args.port, out=out,
                         open_browser=not args.no_browser)


def _stamps(args: argparse.Namespace, out: TextIO, err: TextIO, root: Path) -> int:
    from . import stamps  # WeasyPrint and the registry: only for this command

    request = stamps.Request(args.product, args.lot, args.count, stock=args.stock, size=args.size)
    def waiting(pid: str) -> None:
        print(t("output-busy-waiting", pid=pid, folder=args.output, seconds=f"{LOCK_WAIT:g}"),
              file=err, flush=True)

    result = stamps.make_stamps(args.products, args.output, args.templates or root / "templates", request,
                                jobs=max(1, args.jobs), waiting=waiting)
    for void in result.void:
        print(t("stamps-void", first=stamps.serial_text(void.first), last=stamps.serial_text(void.last),
                lot=void.lot, issued_at=void.issued_at), file=err)
    issue = result.issue
    print(t("stamps-written", count=issue.count, first=stamps.serial_text(issue.first),
            last=stamps.serial_text(issue.last), gtin=issue.gtin, lot=issue.lot, pdf=result.pdf,
            sheets=result.sheets, stock=result.stock, csv=result.csv), file=out)
    return 0


def _new(args: argparse.Namespace, out: TextIO, ask: Callable[[str], str] | None) -> int:
    if args.what == "producer":
        name = _ask(t("new-ask-name"), args.name, out, ask) or scaffold.fill(t("new-ask-name"))
        answers = scaffold.ProducerAnswers(
            name, folder=args.folder, abbreviation=args.abbreviation, legal_form=args.legal_form,
            registration=_ask(t("new-ask-registration"), args.registration, out, ask),
            village=args.village, commune=_ask(t("new-ask-commune"), args.commune, out, ask),
            province=_ask(t("new-ask-province"), args.province, out, ask),
            representative=_ask(t("new-ask-representative"), args.representative, out, ask),
            title=args.title, phone=args.phone, gs1_prefix=args.gs1_prefix)
        path = scaffold.new_producer(args.products, answers)
    else:
        producer = _ask(t("new-ask-producer"), args.producer, out, ask)
        if producer is None:  # the only producer, if there is one
            folders = sorted(p.parent.name for p in args.products.glob("*/producer.yaml"))
            producer = folders[0] if len(folders) == 1 else ""
        name = _ask(t("new-ask-product"), args.name, out, ask) or scaffold.fill(t("new-ask-product"))
        sizes = args.size or [s.strip() for s in (_ask(t("new-ask-sizes"), None, out, ask) or "").split(",")
                              if s.strip()]
        path = scaffold.new_product(args.products, scaffold.ProductAnswers(
            producer, name, group=args.group, file=args.file, sizes=sizes, gtins=args.gtin, kind=args.kind))
    guide.write_schemas(args.products / guide.SCHEMA_FOLDER)  # what the file's first line names
    print(t("new-written", path=path, products=args.products), file=out)
    return 0
