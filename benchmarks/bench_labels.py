"""Labels per second in one process, against a fresh process per label, measured in one run.

    .venv/bin/python benchmarks/bench_labels.py [--rounds N]

The baseline is what a naive script does: start Python, import everything, render one label,
exit. The figure is how the pipeline renders: one process, one shared renderer, PDF rules
included. The anchor, in the same run: Typst compiling the same miến dong 500 g label with its
compiler reused (benchmarks/typst_anchor.py; the `bench` extra), against ours for that label.
Symbols drawn for one label are forgotten before the next: in a province each label has its own.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jinja2  # noqa: E402

from benchmarks.typst_anchor import typst_label_seconds  # noqa: E402
from ocopdocs import gs1, pipeline, workers  # noqa: E402
from ocopdocs.documents import Plan  # noqa: E402
from ocopdocs.render import Renderer  # noqa: E402
from ocopdocs.templating import make_env  # noqa: E402

ONE_LABEL = """
import sys, pathlib
sys.path.insert(0, {root!r})
from ocopdocs import pipeline, workers
from ocopdocs.render import Renderer
from ocopdocs.templating import make_env
root = pathlib.Path({root!r})
plans = [p for p in pipeline.plan(pipeline.check(root / "products")) if p.kind == "label"]
doc = plans[{index}]
workers.render_one(doc, make_env(root / "templates"), Renderer(), root / "templates", pathlib.Path({out!r}))
"""


def render_fresh(doc: Plan, env: jinja2.Environment, renderer: Renderer, templates: Path, out: Path) -> None:
    """Render ``doc`` as a build renders a label it has not drawn symbols for."""
    gs1.ean13_svg.cache_clear()
    gs1.qr_svg.cache_clear()
    built, problems = workers.render_one(doc, env, renderer, templates, out)
    assert built is not None, [p.message for p in problems]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5, help="times each sample label is rendered")
    parser.add_argument("--baseline", type=int, default=5, help="fresh processes for the baseline")
    args = parser.parse_args()
    templates = ROOT / "templates"
    plans = [p for p in pipeline.plan(pipeline.check(ROOT / "products")) if p.kind == "label"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        renderer, env = Renderer(), make_env(templates)
        workers.render_one(plans[0], env, renderer, templates, out)  # warm fonts and CSS
        started = time.perf_counter()
        for _ in range(args.rounds):
            for doc in plans:
                render_fresh(doc, env, renderer, templates, out)
        in_process = (time.perf_counter() - started) / (args.rounds * len(plans))
        [same] = [p for p in plans if p.path.endswith("mien-dong/label-500g.pdf")]
        started = time.perf_counter()
        for _ in range(args.rounds * 3):
            render_fresh(same, env, renderer, templates, out)
        same_label = (time.perf_counter() - started) / (args.rounds * 3)
        typst = typst_label_seconds()

        started = time.perf_counter()
        for i in range(args.baseline):
            code = ONE_LABEL.format(root=str(ROOT), index=i % len(plans), out=tmp)
            subprocess.run([sys.executable, "-c", code], check=True)
        fresh = (time.perf_counter() - started) / args.baseline

    print(f"{'how':<44} {'per label':>10} {'labels/s':>9} {'speed-up':>9}")
    baseline = "fresh Python process per label (baseline)"
    print(f"{baseline:<44} {fresh * 1000:>8.0f}ms {1 / fresh:>9.1f} {1:>8.1f}x")
    print(f"{'one process, shared renderer':<44} {in_process * 1000:>8.0f}ms {1 / in_process:>9.1f} "
          f"{fresh / in_process:>8.1f}x")
    print(f"{'one process, the miến dong 500 g label':<44} {same_label * 1000:>8.0f}ms "
          f"{1 / same_label:>9.1f} {fresh / same_label:>8.1f}x")
    if typst is None:
        print("Typst: not installed (pip install -e .[bench]); no anchor in this run")
    else:
        print(f"{'Typst, the same label, compiler reused':<44} {typst * 1000:>8.0f}ms {1 / typst:>9.1f} "
              f"{fresh / typst:>8.1f}x")
        print(f"ours ÷ Typst: {in_process / typst:.1f}× over the samples, {same_label / typst:.1f}× on the "
              "same label (target ≤ 2×)")
    print(f"({len(plans)} sample labels x {args.rounds} rounds; baseline {args.baseline} processes)")


if __name__ == "__main__":
    main()
