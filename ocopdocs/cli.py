"""The command line: parses arguments, calls the pipeline, prints. The only module that prints.

Exit codes: 0 when everything was built (or checked) without errors, 1 when any input had
problems (the rest was still built), 2 for a wrong command line, 3 for a bug in ocopdocs
(printed with its traceback and a request to report it; a user's mistake never shows one).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import traceback
from datetime import date
from pathlib import Path
from typing import TextIO

from . import __version__, bundle, pipeline, report
from .documents.kinds import registered
from .errors import OcopError, OutputError, Problem, UsageError
from .messages import t
from .output import LOCK_WAIT, MANIFEST, locked
from .render import info
from .rules import catalogue

BUG = 3
"""Exit code of a bug in ocopdocs (a traceback is printed); 1 is for problems in the input."""
ROOT = Path(__file__).resolve().parent.parent
"""The project folder: templates/ and the sample products/ live here in a checkout."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ocopdocs", description=(
        "Build print-ready labels and filing documents for OCOP products from YAML files."))
    parser.add_argument("--info", action="store_true",
                        help="print versions of Python, WeasyPrint, Pango and HarfBuzz subsetting")
    parser.add_argument("--version", action="version", version=f"ocopdocs {__version__}")
    sub = parser.add_subparsers(dest="command")
    common = _Parser(add_help=False)
    common.add_argument("--products", type=Path, default=Path("products"),
                        help="folder of producer folders (default: products)")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument("--verbose", "-v", action="store_true",
                        help="also list notes (info), such as supporting OCOP papers not yet on hand")
    common.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD",
                        help="judge grace periods and expiries on this day (default: today)")
    build = sub.add_parser("build", parents=[common], help="check the products and build their documents")
    build.add_argument("--output", type=Path, default=Path("output"),
                       help="where documents go (default: output)")
    build.add_argument("--only", type=_kinds, default=None, metavar="KIND,...",
                       help=f"build only these kinds ({', '.join(k.id for k in registered())})")
    build.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, metavar="N",
                       help="worker processes (default: the number of cores)")
    build.add_argument("--force", action="store_true",
                       help="render every document again, even unchanged ones")
    build.add_argument("--wait", type=float, default=LOCK_WAIT, metavar="SECONDS",
                       help="when another build writes to the same output, wait this long for it "
                            f"(default: {LOCK_WAIT:g})")
    build.add_argument("--templates", type=Path, default=ROOT / "templates", help=argparse.SUPPRESS)
    sub.add_parser("check", parents=[common], help="validate the product files without rendering")
    rules = sub.add_parser("rules", help="list the rule catalogue")
    rules.add_argument("--on", type=_date, default=None, metavar="YYYY-MM-DD",
                       help="only the rules in force for labels printed on this day")
    return parser


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _kinds(value: str) -> list[str]:
    kinds = [k.strip() for k in value.split(",") if k.strip()]
    known = [k.id for k in registered()]
    for kind in kinds:
        if kind not in known:
            raise argparse.ArgumentTypeError(t("cli-only-unknown", kind=kind, kinds=", ".join(known)))
    return kinds


def main(argv: list[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    if not {"build", "check", "rules", "--info", "-h", "--help", "--version"} & set(argv):
        argv.insert(0, "build")  # `python build.py --only label` means `ocopdocs build --only label`
    try:
        args = _parser().parse_args(argv)
        if args.info:
            return _info(out)
        command = args.command
        if command == "rules":
            return _rules(out, args.on)
        if not args.products.is_dir():
            raise UsageError(t("cli-products-missing", folder=args.products))
        if command == "check":
            result = pipeline.check(args.products, args.as_of)
        else:
            if args.output.exists() and not args.output.is_dir():
                raise UsageError(t("output-not-folder", path=args.output))
            show = _Progress(out, args.output)

            def waiting(pid: str) -> None:
                print(t("output-busy-waiting", pid=pid, folder=args.output, seconds=f"{args.wait:g}"),
                      file=err, flush=True)

            # one build at a time in a folder, from the first document to the last bundle
            with locked(args.output, wait=args.wait, waiting=waiting):
                try:
                    result = pipeline.build(args.products, args.output, args.templates, only=args.only,
                                            progress=show, as_of=args.as_of, jobs=max(1, args.jobs),
                                            force=args.force)
                finally:
                    show.close()
                unwritten = list(result.unwritten)
                try:
                    bundle.write_bundles(report.publish(result, output=args.output, templates=args.templates),
                                         args.output)
                except OutputError as exc:
                    unwritten.append(str(exc))
            code = _report(result, args, command, out, err)
            for line in unwritten:  # after the problems: what the output folder is missing, and why
                print(f"ocopdocs: {line}", file=err)
            return max(code, 1) if unwritten else code
        return _report(result, args, command, out, err)
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


class _Progress:
    """A bar on a terminal; otherwise (logs, CI, tests) one line per document rendered."""

    def __init__(self, out: TextIO, output: Path) -> None:
        self.out, self.output = out, output
        self.bar = out.isatty()
        self.kept = 0

    def __call__(self, event: pipeline.Event) -> None:
        self.kept += event.cached
        if self.bar:
            width = 30
            filled = width * event.index // max(event.total, 1)
            line = t("cli-progress-bar", bar="█" * filled + "·" * (width - filled), index=event.index,
                     total=event.total, kept=self.kept)
            print(f"\r{line}", end="", file=self.out, flush=True)
            return
        if event.cached:
            return  # unchanged documents are counted in the summary, not listed
        key = "cli-progress" if event.ok else "cli-progress-failed"
        print(t(key, index=event.index, total=event.total, kind=t(f"kind-{event.plan.kind}"),
                name=event.plan.name, path=self.output / event.plan.path), file=self.out, flush=True)

    def close(self) -> None:
        """End the bar's line."""
        if self.bar:
            print(file=self.out, flush=True)


def _report(result: pipeline.BuildResult, args: argparse.Namespace, command: str,
            out: TextIO, err: TextIO) -> int:
    problems = sorted(result.problems, key=lambda p: (p.file, p.line or 0, p.field))
    notes = [p for p in problems if p.severity == "info"]
    shown = problems if args.verbose else [p for p in problems if p.severity != "info"]
    if shown:
        files = len({p.file for p in shown})
        print(t("cli-problems-header", count=len(shown), files=files), file=err)
        for problem in shown:
            print(f"  {_line(problem)}", file=err)
    if notes and not args.verbose:
        print(t("cli-notes-hidden", count=len(notes)), file=err)
    project = result.project
    errors, warnings = len(result.errors), len(result.warnings)
    if not project.products and not problems:
        print(t("no-products", folder=args.products), file=err)
        return 1
    if command == "check" and not problems:
        print(t("cli-check-ok", products=len(project.products), producers=len(project.producers)),
              file=out)
    elif command == "check":
        print(t("cli-check-summary", products=len(project.products), producers=len(project.producers),
                errors=errors, warnings=warnings), file=out)
    else:
        print(t("cli-summary", built=len(result.built), seconds=f"{result.seconds:.1f}",
                errors=errors, warnings=warnings), file=out)
        if result.kept:
            print(t("cli-kept", kept=result.kept), file=out)
        print(t("cli-manifest", path=args.output / MANIFEST), file=out)
        print(t("cli-report", path=args.output / report.HTML), file=out)
    if errors:
        return 1
    if warnings and args.strict:
        print(t("cli-strict-failed", count=warnings), file=err)
        return 1
    return 0


def _line(problem: Problem) -> str:
    level = t(f"cli-severity-{problem.severity}")
    where = f"{problem.document}, {t('cli-page', page=problem.page)}: " if problem.page else ""
    line = f"{problem.location()}: {where}{problem.message}  [{problem.code}, {level}"
    line += f"; {problem.article}]" if problem.article else "]"
    if problem.hint:
        line += f"\n      → {problem.hint}"
    return line


def _rules(out: TextIO, on: date | None) -> int:
    """Print the rule catalogue (or the rules in force on one day)."""
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
    versions = info()
    subset = t("cli-info-subset-yes") if versions["harfbuzz_subset"] == "yes" else t("cli-info-subset-no")
    print(f"ocopdocs {__version__}", file=out)
    print(f"Python {platform.python_version()} ({sys.executable})", file=out)
    print(f"WeasyPrint {versions['weasyprint']}", file=out)
    print(f"Pango {versions['pango']}", file=out)
    print(f"HarfBuzz subset: {subset}", file=out)
    return 0
