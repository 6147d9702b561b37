"""Where a dossier's time goes: every sample document kind, in one process, one shared renderer.

    .venv/bin/python benchmarks/profile_dossier.py [--rounds 3] [--pdf-variant pdf/a-3b] [--docx]
                                                   [--kinds ocop-dossier,...] [--labels]
                                                   [--cprofile 25] [--wall]

Builds the samples (``products/``) with ``jobs=1``, so that every document renders here with
the same renderer, as one worker of a build renders its share. The first build warms the
renderer (fonts, stylesheets, caches), as the first documents of a worker do; the figures are
from the best of ``--rounds`` forced rebuilds after it, in CPU time of this process (steadier
than the wall clock on a machine shared with other work; ``--wall`` for the wall clock). For
each document (labels and sheets only with ``--labels``) it prints the pages, the milliseconds a
page, and where the time goes:

- ``fill``: the Jinja template filled (every layout attempt);
- ``layout``: WeasyPrint's layout, with the measuring of the laid-out boxes;
- ``write``: WeasyPrint writing the PDF (PDF/A metadata and output intent included);
- ``embed``: the label PDFs placed into the dossier (``compose.place``, pypdf);
- ``rules``: the PDF rules read back (labels), the RGB check (PDF/X);
- ``docx``: the editable Word copy (``--docx``);
- ``file``: the atomic writes of the PDF and its copy;
- ``other``: the rest of ``render_one`` (blanks, fonts check, the document's key).

It also prints the process's memory after the warm-up build and after each round: with the
renderer's caches bounded it stays flat. ``--cprofile N`` also prints the N functions with the
most cumulative time over the documents shown, from one more round under cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jinja2  # noqa: E402

from ocopdocs import docx, pdfvariant, pipeline, workers  # noqa: E402
from ocopdocs.render import Renderer  # noqa: E402

PARTS = ("fill", "layout", "write", "embed", "rules", "docx", "file")
LABELS = ("label", "label-sheet")


class Timers:
    """Seconds spent in each part, per document; the document being rendered is ``current``."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.current: str | None = None
        self.spent: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.pages: dict[str, int] = {}
        self.kinds: dict[str, str] = {}

    def wrap(self, part: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = self.clock()
            try:
                return function(*args, **kwargs)
            finally:
                if self.current is not None:
                    self.spent[self.current][part] += self.clock() - started
        return timed

    def document(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(doc: Any, *args: Any, **kwargs: Any) -> Any:
            self.current = doc.path
            started = self.clock()
            try:
                built, problems = function(doc, *args, **kwargs)
            finally:
                self.spent[doc.path]["total"] += self.clock() - started
                self.current = None
            self.kinds[doc.path] = doc.kind
            self.pages[doc.path] = built.pages if built is not None else 0
            return built, problems
        return timed


@contextmanager
def instrumented(timers: Timers, renderer: Renderer) -> Iterator[None]:
    """Time the parts of ``workers.render_one`` by wrapping what it calls."""
    patches: list[tuple[Any, str, Any]] = [
        (workers, "render_one", timers.document(workers.render_one)),
        (jinja2.environment.Template, "render", timers.wrap("fill", jinja2.environment.Template.render)),
        (renderer, "layout", timers.wrap("layout", renderer.layout)),
        (renderer, "write", timers.wrap("write", renderer.write)),
        (workers, "_place_attachments", timers.wrap("embed", workers._place_attachments)),
        (workers, "run_pdf", timers.wrap("rules", workers.run_pdf)),
        (workers, "rgb_uses", timers.wrap("rules", workers.rgb_uses)),
        (docx, "html_to_docx", timers.wrap("docx", docx.html_to_docx)),
        (workers, "write_atomic", timers.wrap("file", workers.write_atomic)),
    ]
    saved = [(owner, name, owner.__dict__.get(name)) for owner, name, _ in patches]
    for owner, name, value in patches:
        setattr(owner, name, value)
    try:
        yield
    finally:
        for owner, name, value in saved:
            if value is None:
                delattr(owner, name)  # a bound method patched on the instance
            else:
                setattr(owner, name, value)


def rss_mb() -> float:
    """The resident memory of this process, in MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def build(renderer: Renderer, output: Path, args: argparse.Namespace) -> pipeline.BuildResult:
    variants = pdfvariant.parse([args.pdf_variant]) if args.pdf_variant else []
    return pipeline.build(ROOT / "products", output, ROOT / "templates", renderer=renderer,
                          as_of=args.as_of, jobs=1, force=True, docx=args.docx, pdf_variants=variants)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="forced rebuilds measured (best kept)")
    parser.add_argument("--pdf-variant", default="", help="as build --pdf-variant: pdf/a-3b, pdf/x-4")
    parser.add_argument("--docx", action="store_true", help="also write the editable Word copies")
    parser.add_argument("--kinds", default="", help="only these kinds, comma-separated")
    parser.add_argument("--labels", action="store_true", help="also show labels and label sheets")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="the build's day")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="print the top N functions")
    parser.add_argument("--wall", action="store_true", help="wall-clock time instead of CPU time")
    args = parser.parse_args()
    kinds = {k for k in args.kinds.split(",") if k}

    def shown(path: str, kind: str) -> bool:
        return kind in kinds if kinds else (args.labels or kind not in LABELS)

    renderer = Renderer()
    best: dict[str, dict[str, float]] = {}
    timers = Timers(time.perf_counter if args.wall else time.process_time)
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp)
        started = time.perf_counter()
        build(renderer, output, args)  # warm: fonts, stylesheets, the renderer's caches
        warm = time.perf_counter() - started
        memory = [rss_mb()]
        with instrumented(timers, renderer):
            for _ in range(args.rounds):
                timers.spent.clear()
                build(renderer, output, args)
                for path, spent in timers.spent.items():
                    if path not in best or spent["total"] < best[path]["total"]:
                        best[path] = dict(spent)
                memory.append(rss_mb())
        profile = None
        if args.cprofile:
            profile = cProfile.Profile()
            wanted = {p for p, k in timers.kinds.items() if shown(p, k)}
            inner = workers.render_one

            def profiled(doc: Any, *a: Any, **kw: Any) -> Any:
                if doc.path not in wanted:
                    return inner(doc, *a, **kw)
                return profile.runcall(inner, doc, *a, **kw)  # type: ignore[union-attr]

            workers.render_one = profiled  # type: ignore[assignment]
            try:
                build(renderer, output, args)
            finally:
                workers.render_one = inner  # type: ignore[assignment]

    rows = sorted((p for p in best if shown(p, timers.kinds[p])), key=lambda p: (timers.kinds[p], p))
    head = f"{'document':<52} {'pages':>5} {'ms/page':>8} {'total':>7} " + " ".join(f"{p:>7}" for p in PARTS)
    print(head + f" {'other':>7}")
    sums: dict[str, float] = defaultdict(float)
    pages = 0
    for path in rows:
        spent, count = best[path], max(1, timers.pages[path])
        other = spent["total"] - sum(spent.get(p, 0.0) for p in PARTS)
        cells = " ".join(f"{spent.get(p, 0.0) * 1000:>7.1f}" for p in PARTS)
        print(f"{path[-52:]:<52} {count:>5} {spent['total'] * 1000 / count:>8.1f} "
              f"{spent['total'] * 1000:>7.0f} {cells} {other * 1000:>7.1f}")
        for part in (*PARTS, "total"):
            sums[part] += spent.get(part, 0.0)
        pages += count
    if pages:
        other = sums["total"] - sum(sums[p] for p in PARTS)
        cells = " ".join(f"{sums[p] * 1000 / pages:>7.1f}" for p in PARTS)
        print(f"{'all shown, ms a page':<52} {pages:>5} {sums['total'] * 1000 / pages:>8.1f} "
              f"{'':>7} {cells} {other * 1000 / pages:>7.1f}")
    print(f"({len(rows)} documents, {'wall-clock' if args.wall else 'CPU'} ms, best of {args.rounds} rounds"
          f" after a warm-up build of {warm:.1f} s;"
          f" variant {args.pdf_variant or 'plain PDF'}{', with docx' if args.docx else ''})")
    print("memory after the warm-up build, then after each round: "
          + " → ".join(f"{mb:.0f}" for mb in memory) + " MB")
    if profile is not None:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.cprofile)


if __name__ == "__main__":
    main()
