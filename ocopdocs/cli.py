"""The command line: parses arguments, calls the pipeline, prints. The only module that prints.

The pipeline, the report and the rest are imported where they are used (start-up speed): a
build with nothing to do (:mod:`ocopdocs.noop`) loads none of them.

Exit codes: 0 when everything was built (or checked) without errors, 1 when any input had
problems (the rest was still built), 2 for a wrong command line, 3 for a bug in ocopdocs
(printed with its traceback and a request to report it; a user's mistake never shows one).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import traceback
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__, commands, noop, pdfvariant, terminal
from .errors import OcopError, OutputError, Problem, UsageError
from .folder import LOCK_WAIT, MANIFEST, REPORT, locked
from .messages import t

if TYPE_CHECKING:  # loaded where they are used: a build with nothing to do needs none of them
    from . import pipeline, report

BUG = 3
"""Exit code of a bug in ocopdocs (a traceback is printed); 1 is for problems in the input."""
ROOT = Path(__file__).resolve().parent.parent
"""The project folder: templates/ and the sample products/ live here in a checkout."""


class _Parser(terminal.HelpParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        words: list[str] = []

        def gather(parser: argparse.ArgumentParser) -> None:  # commands and options, all levels
            words.extend(parser._option_string_actions)
            for action in parser._actions:
                if isinstance(action, argparse._SubParsersAction):
                    words.extend(action.choices)
                    for inner in action.choices.values():
                        gather(inner)

        gather(_parser())
        close = commands.suggestion(message, words)
        said = terminal.translate(message)
        raise UsageError(f"{said}; {close}" if close else said)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ocopdocs", description=t("help-description"), epilog=t("help-epilog"))
    parser.add_argument("--info", action="store_true", help=t("help-info"))
    parser.add_argument("--version", action="version", version=f"ocopdocs {__version__}",
                        help=t("help-version"))
    # read before parsing, by terminal.language_option: listed here for the help
    parser.add_argument("--lang", choices=["vi", "en"], help=t("help-lang"))
    sub = parser.add_subparsers(dest="command", title=t("help-commands"), metavar=t("help-command"))
    common = _Parser(add_help=False)
    common.add_argument("--products", type=Path, default=Path("products"), metavar="PRODUCTS",
                        help=t("help-products"))
    common.add_argument("--strict", action="store_true", help=t("help-strict"))
    common.add_argument("--verbose", "-v", action="store_true", help=t("help-verbose"))
    common.add_argument("--as-of", type=_date, default=None, metavar="DD/MM/YYYY", help=t("help-as-of"))
    build = sub.add_parser("build", parents=[common], help=t("help-build"), description=t("help-build"),
                           epilog=t("help-epilog"))
    build.add_argument("--output", type=Path, default=Path("output"), help=t("help-output"))
    only = build.add_argument("--only", type=_kinds, default=None, metavar="KIND,...",
                              help=t("help-only-build", kinds="%(kinds)s"))
    only.kinds = _KindNames()  # type: ignore[attr-defined]  # argparse fills %(kinds)s when it shows help
    build.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, metavar="N",
                       help=t("help-jobs"))
    build.add_argument("--executor", type=_executor, default=None, metavar="dask://HOST:PORT",
                       help=t("help-executor"))
    build.add_argument("--force", action="store_true", help=t("help-force"))
    build.add_argument("--docx", action="store_true", help=t("help-docx"))
    build.add_argument("--wait", type=float, default=LOCK_WAIT, metavar="SECONDS",
                       help=t("help-wait", seconds=f"{LOCK_WAIT:g}"))
    build.add_argument("--pdf-variant", type=_pdf_variants, action="extend", default=[],
                       metavar="VARIANT,...",
                       help=t("help-pdf-variant", variants=", ".join(pdfvariant.VARIANTS)))
    build.add_argument("--cmyk-profile", type=Path, default=None, metavar="FILE.icc",
                       help=t("help-cmyk-profile"))
    build.add_argument("--templates", type=Path, default=ROOT / "templates", help=argparse.SUPPRESS)
    check = sub.add_parser("check", parents=[common], help=t("help-check"), description=t("help-check"),
                           epilog=t("help-epilog"))
    check.add_argument("--only", type=_kinds, default=None, metavar="KIND,...", help=t("help-only-check"))
    rules = sub.add_parser("rules", help=t("help-rules"), description=t("help-rules"))
    rules.add_argument("--on", type=_date, default=None, metavar="DD/MM/YYYY", help=t("help-on"))
    commands.add(sub, _Parser)
    return parser


def _date(value: str) -> date:
    return commands.parse_date(value)  # 15/09/2026 or 2026-09-15, as in the product files


def _executor(value: str) -> str:
    from .workers import executor_address

    if executor_address(value) is None:
        raise argparse.ArgumentTypeError(t("executor-invalid", value=value))
    return value


class _KindNames:
    """The kinds' names, looked up only when the help is shown: the registry loads every document kind."""

    def __str__(self) -> str:
        from .documents.kinds import registered

        return ", ".join(k.id for k in registered())


def _kinds(value: str) -> list[str]:
    from .documents.kinds import registered

    kinds = [k.strip() for k in value.split(",") if k.strip()]
    known = [k.id for k in registered()]
    for kind in kinds:
        if kind not in known:
            raise argparse.ArgumentTypeError(t("cli-only-unknown", kind=kind, kinds=", ".join(known)))
    return kinds


def _pdf_variants(value: str) -> list[pdfvariant.PdfVariant]:
    try:
        return pdfvariant.parse([value])
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def main(argv: list[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        with terminal.language_option(list(sys.argv[1:] if argv is None else argv)) as rest:
            return _main(rest, stdout, stderr)  # with --lang en: help and messages in English
    except UsageError as exc:
        print(f"ocopdocs: {exc}", file=stderr or sys.stderr)
        return 2


def _main(argv: list[str], stdout: TextIO | None, stderr: TextIO | None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    if not argv:  # a bare `ocopdocs` shows what it can do rather than building
        _parser().print_help(file=out)
        return 0
    if argv[0].startswith("-") and not {"--info", "-h", "--help", "--version"} & set(argv):
        argv.insert(0, "build")  # `python build.py --only label` means `ocopdocs build --only label`
    try:
        args = _parser().parse_args(argv)
        if args.info:
            return _info(out)
        command = args.command
        if command is None:
            _parser().print_help(file=out)
            return 0
        if command == "rules":
            return _rules(out, args.on)
        if command in commands.NAMES:
            return commands.run(args, out, err, ROOT)
        products, select = commands.locate(args.products)  # a folder of producers, one, or a file
        if command == "check":
            from . import pipeline

            return _report(_summary(pipeline.check(products, args.as_of, select), args), args, command,
                           out, err)
        if args.output.exists() and not args.output.is_dir():
            raise UsageError(t("output-not-folder", path=args.output))
        try:
            variants = pdfvariant.parse(v.id for v in args.pdf_variant)  # also across repeats
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        printing = pdfvariant.choose(variants, args.cmyk_profile)  # no CMYK profile: say so, touch nothing

        def waiting(pid: str) -> None:
            print(t("output-busy-waiting", pid=pid, folder=args.output, seconds=f"{args.wait:g}"),
                  file=err, flush=True)

        # one build at a time in a folder, from the first document to the last bundle
        with locked(args.output, wait=args.wait, waiting=waiting):
            summary, unwritten = _build(args, products, select, out, variants, printing.cmyk_profile)
        code = _report(summary, args, command, out, err)
        for line in unwritten:  # after the problems: what the output folder is missing, and why
            print(f"ocopdocs: {line}", file=err)
        return max(code, 1) if unwritten else code
    except UsageError as exc:
        print(f"ocopdocs: {exc}", file=err)
        return 2
    except OcopError as exc:
        print(f"ocopdocs: {exc}", file=err)
        return 1
    except KeyboardInterrupt:
        print(t("cli-interrupted"), file=err)
        return 130
    except BrokenPipeError:  # `ocopdocs rules | head`: the reader left, nothing is wrong
        return 0
    except Exception:  # a bug in ocopdocs, not in the user's files: show it whole, ask for a report
        traceback.print_exc(file=err)
        print(t("cli-bug"), file=err)
        return BUG


def _build(args: argparse.Namespace, products: Path, select: Any, out: TextIO,  # noqa: PLR0917
           variants: list[pdfvariant.PdfVariant], profile: Path | None) -> tuple[noop.Summary, list[str]]:
    """Build, write the report and the bundles; or say what the last build said, when nothing changed.

    ``profile`` is the CMYK profile the PDF variants use, if any. Returns what to say and what
    the output folder is missing (and why).
    """
    started = time.perf_counter()
    options = noop.Options(args.products, args.output, args.templates,
                           tuple(args.only) if args.only is not None else None, args.as_of, args.docx,
                           tuple(v.id for v in variants), profile)
    before = noop.inputs(options)
    recalled = None if args.force else noop.recall(options, before)
    if recalled is not None:
        recalled.seconds = time.perf_counter() - started
        return recalled, []
    noop.forget(args.output)
    from . import pipeline

    show = terminal.progress(out, args.output)
    try:
        result = pipeline.build(products, args.output, args.templates, only=args.only, progress=show,
                                as_of=args.as_of, jobs=max(1, args.jobs), force=args.force, select=select,
                                docx=args.docx, pdf_variants=variants, cmyk_profile=args.cmyk_profile,
                                executor=args.executor)
    finally:
        show.close()
    unwritten = list(result.unwritten)
    readiness = None
    try:
        readiness = _publish(result, args.output, args.templates)
    except OutputError as exc:
        unwritten.append(str(exc))
    summary = _summary(result, args, readiness)
    wanted = {p.path for p in result.plans if p.kind in result.rendered and result.selection.has(p.producer,
                                                                                                    p.product)}
    if not unwritten and wanted <= set(result.state.documents):  # none failed: a build would find all kept
        noop.remember(options, before, summary)
    return summary, unwritten


def _summary(result: pipeline.BuildResult, args: argparse.Namespace,
             readiness: report.Readiness | None = None) -> noop.Summary:
    """What a check or a build says: its problems judged, each once, in order, and its counts."""
    judged = result.judged(args.only)
    # a blank or a producer-file problem found in several documents is listed once
    unique = {(p.file, p.line, p.field, p.code, p.message): p for p in judged}
    problems = sorted(unique.values(), key=lambda p: (p.file, p.line or 0, p.field))
    chosen = result.selected()
    producers = (len(result.project.producers) if result.selection.everything
                 else len({e.producer.slug for e in chosen}))
    return noop.Summary(problems, len(chosen), producers, len(result.built), result.kept,
                        readiness.total if readiness else None, readiness.blocked if readiness else [],
                        result.seconds)


def _publish(result: pipeline.BuildResult, output: Path, templates: Path) -> report.Readiness:
    """Write the report and the bundles, unless nothing they show changed and they are as written."""
    from . import bundle, report

    key = report.key(result, templates)
    kept = report.kept(output, key)
    if kept is not None and bundle.intact(output):
        return kept
    report.forget(output)
    made = report.publish(result, output=output, templates=templates)
    bundle.write_bundles(made, output)
    return report.remember(output, key, made)  # last: a build stopped before writes them all again


def _report(summary: noop.Summary, args: argparse.Namespace, command: str, out: TextIO, err: TextIO) -> int:
    problems = summary.problems
    notes = [p for p in problems if p.severity == "info"]
    shown = problems if args.verbose else [p for p in problems if p.severity != "info"]
    if shown:
        files = len({p.file for p in shown})
        print(t("cli-problems-header", count=len(shown), files=files), file=err)
        colour = terminal.colour_on(err)
        for problem in shown:
            print(f"  {_line(problem, colour)}", file=err)
    if notes and not args.verbose:
        print(t("cli-notes-hidden", count=len(notes)), file=err)
    errors = sum(p.severity == "error" for p in problems)
    gaps = sum(p.severity == "gap" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    if not summary.products and not problems:
        print(t("no-products", folder=args.products), file=err)
        return 1
    if command == "check" and not problems:
        print(t("cli-check-ok", products=summary.products, producers=summary.producers), file=out)
    elif command == "check":
        print(t("cli-check-summary", products=summary.products, producers=summary.producers,
                errors=errors, gaps=gaps, warnings=warnings), file=out)
    else:
        print(t("cli-summary", built=summary.built, seconds=f"{summary.seconds:.1f}",
                errors=errors, gaps=gaps, warnings=warnings), file=out)
        if summary.kept:
            print(t("cli-kept", kept=summary.kept), file=out)
        print(t("cli-manifest", path=args.output / MANIFEST), file=out)
        print(t("cli-report", path=args.output / REPORT), file=out)
        if summary.total is not None and args.only is None:
            _not_ready(summary, out)
    if errors:
        return 1
    if (gaps or warnings) and args.strict:
        print(t("cli-strict-failed", count=gaps + warnings), file=err)
        return 1
    return 0


def _not_ready(summary: noop.Summary, out: TextIO) -> None:
    """The products that are not ready to file, and why: the last thing a build prints."""
    if not summary.blocked:
        print(t("cli-all-ready", total=summary.total), file=out)
        return
    print(t("cli-not-ready-header", count=len(summary.blocked), total=summary.total), file=out)
    for product, file, reason in summary.blocked:
        print("  " + t("cli-not-ready", product=product, file=file, reason=reason), file=out)


def _line(problem: Problem, colour: bool = False) -> str:
    level = terminal.paint(t(f"cli-severity-{problem.severity}"), problem.severity, colour)
    where = f"{problem.document}, {t('cli-page', page=problem.page)}: " if problem.page else ""
    line = f"{problem.location()}: {where}{problem.message}  [{problem.code}, {level}"
    line += f"; {problem.article}]" if problem.article else "]"
    if problem.hint:
        line += f"\n      → {problem.hint}"
    return line


def _rules(out: TextIO, on: date | None) -> int:
    """Print the rule catalogue (or the rules in force on one day)."""
    from .rules import catalogue

    for rule in catalogue().rules:
        if on is not None and not rule.applies_on(on):
            continue
        until = rule.applies_until.isoformat() if rule.applies_until else "…"
        print(f"{rule.code:<32} {t(f'cli-severity-{rule.severity}'):<9} {rule.target:<4} "
              f"{rule.applies_from.isoformat()} – {until:<10}  {rule.citation} [{rule.confidence}]",
              file=out)
        print(f"{'':<32} → {t(f'hint-{rule.code}')}", file=out)
    return 0


def _info(out: TextIO) -> int:
    from .render import info

    versions = info()
    subset = t("cli-info-subset-yes") if versions["harfbuzz_subset"] == "yes" else t("cli-info-subset-no")
    print(f"ocopdocs {__version__}", file=out)
    print(f"Python {platform.python_version()} ({sys.executable})", file=out)
    print(f"WeasyPrint {versions['weasyprint']}", file=out)
    print(f"Pango {versions['pango']}", file=out)
    print(f"HarfBuzz subset: {subset}", file=out)
    return 0
