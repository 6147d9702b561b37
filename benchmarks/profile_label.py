"""Where a label's time goes, in one process with one shared renderer (as the build renders).

    .venv/bin/python benchmarks/profile_label.py [--rounds N] [--cprofile]

Renders the sample labels ``--rounds`` times after one warm-up round and prints, per label,
the milliseconds of each step: the template filled, each layout (and how many a label needs,
with the sizes tried), the PDF written, each step of the PDF rules (the PDF opened, its text
and paths read, the raster, each decode, the quiet zones, each rule) and the file write.
The steps are timed by wrapping the functions that do them, so the figures include nothing
the build does not. ``--cprofile`` also prints cProfile's 30 costliest functions.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import functools
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jinja2  # noqa: E402

from ocopdocs import gs1, pipeline, workers  # noqa: E402
from ocopdocs.render import Renderer  # noqa: E402
from ocopdocs.rules import pdf_label, run  # noqa: E402
from ocopdocs.templating import make_env  # noqa: E402

SPENT: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
ORDER: list[str] = []


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` adding its wall time to ``SPENT[name]``."""
    if name not in ORDER:
        ORDER.append(name)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[name] += time.perf_counter() - started
            CALLS[name] += 1

    return wrapper


def patch(owner: Any, attribute: str, name: str) -> None:
    setattr(owner, attribute, timed(name, getattr(owner, attribute)))


def instrument() -> list[tuple[str, Any]]:
    """Wrap every step of a label's render; returns the sizes each layout was tried at."""
    patch(workers, "render_one", "label, in all")
    patch(jinja2.Template, "render", "template fill")
    patch(Renderer, "layout", "layout")
    patch(Renderer, "write", "write_pdf")
    patch(workers, "run_pdf", "PDF rules, in all")
    patch(pdf_label.pdfium.PdfPage, "render", "  rules: rasterise")
    steps = (("_measure", "  rules: read-back in all"), ("_read_chars", "  rules: read the text"),
             ("_read_paint", "  rules: read paths (bars, shapes, grounds)"),
             ("_decode_ean", "  rules: decode EAN-13"), ("_decode_qr", "  rules: decode QR"),
             ("_free_space", "  rules: quiet zones"), ("_Text", "  rules: index the text"),
             ("_FontMetrics", "  rules: font metrics"))
    if not hasattr(pdf_label, "_decode_ean"):  # before issue 16: the whole page, both symbologies at once
        steps += (("_decode", "  rules: decode EAN-13 and QR"),)
    for attribute, name in steps:
        if hasattr(pdf_label, attribute):
            patch(pdf_label, attribute, name)
    checks = run.checks

    def timed_checks(scope: Any) -> list[Any]:
        found = checks(scope)
        if scope != "pdf":
            return found
        return [dataclasses.replace(c, function=timed(f"  rule {c.codes[0]}", c.function)) for c in found]

    run.checks = timed_checks  # type: ignore[assignment]
    patch(workers, "write_atomic", "file write")
    tried: list[tuple[str, Any]] = []
    with_layout = workers._with_layout

    def logged(attempt: Any, variant: str, size: Any) -> Any:
        tried.append((variant, size))
        return with_layout(attempt, variant, size)

    workers._with_layout = logged  # type: ignore[assignment]
    return tried


def fresh_symbols() -> None:
    """Forget the symbols drawn so far: in a province every label has its own GTIN and link."""
    for draw in (gs1.ean13_svg, gs1.qr_svg):
        getattr(draw, "cache_clear", lambda: None)()  # kept only since issue 16


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3, help="times each sample label is rendered")
    parser.add_argument("--cprofile", action="store_true", help="also print cProfile's costliest functions")
    args = parser.parse_args()
    templates = ROOT / "templates"
    plans = [p for p in pipeline.plan(pipeline.check(ROOT / "products")) if p.kind == "label"]
    renderer, env = Renderer(), make_env(templates)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for doc in plans:  # warm: fonts, parsed CSS, each template compiled
            workers.render_one(doc, env, renderer, templates, out)
        tried = instrument()
        layouts: dict[str, list[tuple[str, Any]]] = {}
        profiler = cProfile.Profile() if args.cprofile else None
        if profiler is not None:
            profiler.enable()
        for _ in range(args.rounds):
            for doc in plans:
                tried.clear()
                fresh_symbols()
                built, problems = workers.render_one(doc, env, renderer, templates, out)
                assert built is not None, [p.message for p in problems]
                layouts[doc.path] = list(tried)
        if profiler is not None:
            profiler.disable()
    labels = args.rounds * len(plans)
    total = SPENT["label, in all"] / labels
    print(f"{len(plans)} sample labels × {args.rounds} rounds, one process, one renderer")
    print(f"{'step':<46} {'ms a label':>10} {'calls a label':>14}")
    for name in ORDER:
        if CALLS[name]:
            print(f"{name:<46} {SPENT[name] / labels * 1000:>10.1f} {CALLS[name] / labels:>14.2f}")
    steps = ("template fill", "layout", "write_pdf", "PDF rules, in all", "file write")
    rest = total - sum(SPENT[s] for s in steps) / labels
    print(f"{'other (contexts, checks, hashing)':<46} {rest * 1000:>10.1f}")
    counts = [len(v) for v in layouts.values()]
    print(f"\nlayouts a label: {sum(counts) / len(counts):.2f} on average; "
          f"{sum(c == 1 for c in counts)} of {len(counts)} labels laid out once")
    for path, sizes in layouts.items():
        if len(sizes) > 1:
            print(f"  {path}: " + ", ".join(f"{variant} {size} pt" for variant, size in sizes))
    if profiler is not None:
        print()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
