"""Province-scale benchmark: a synthetic province built cold, rebuilt, edited; memory; baseline.

    .venv/bin/python benchmarks/province.py [--products 200] [--producers 90] [--jobs 2]
                                            [--renders 5000] [--baseline 6]
                                            [--skip stylesheet,labels,dossiers,baseline,memory]

Generates a province by varying the samples (new producers with their own GS1 prefixes and
GTINs, renamed products), then measures in one run:
- a cold build, a no-op rebuild (best of 3; and the heavy packages it imports), the same with
  its record deleted (checked in full), a rebuild after editing one product and after editing
  the label stylesheet, each as `python build.py` in a fresh process (what a user runs), with
  its CPU seconds (user + system, workers included: steadier than the wall clock under load);
- labels per second (a labels-only cold build), peak RSS of the build's processes;
- milliseconds a dossier page: the dossiers alone (every kind that is not artwork), built cold
  into the labels-only build's folder, so that they embed the labels as in a full build;
- memory over many renders of one label in one process with a shared renderer;
- the baseline, in the same run: documents rendered each in a fresh Python process;
- the anchor, in the same run: Typst compiling the same label, its compiler reused
  (benchmarks/typst_anchor.py, the `bench` extra); label times are also given as ratios to it.
Prints a table with ratios to paste into the README.
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.typst_anchor import typst_label_seconds  # noqa: E402
from ocopdocs import gs1  # noqa: E402
from ocopdocs.yamlio import load_yaml  # noqa: E402


def read_sample(path: Path) -> Any:
    """A sample file's data, read as ocopdocs reads it (the samples are valid)."""
    doc = load_yaml(path, str(path))
    assert not doc.problems, doc.problems
    return doc.data


def generate(target: Path, products: int, producers: int) -> int:
    """Write a synthetic province into ``target``; returns the number of packaging variants."""
    samples = []
    for folder in sorted((ROOT / "products").iterdir()):
        if (folder / "producer.yaml").is_file():  # not products/.schema
            producer = read_sample(folder / "producer.yaml")
            items = [read_sample(p) for p in sorted(folder.glob("*.yaml")) if p.name != "producer.yaml"]
            assets = [p for p in sorted(folder.iterdir()) if p.is_file() and p.suffix != ".yaml"]
            samples.append((folder.name, producer, items, assets))
    variants = 0
    for i in range(producers):
        slug, producer, items, assets = samples[i % len(samples)]
        data = copy.deepcopy(producer)
        prefix = f"893{7000000 + i:07d}"  # a 10-digit prefix: 100 GTINs per producer
        if "gs1" in data:  # a household business that is no GS1 member prints no barcode
            data["gs1"]["company_prefix"] = prefix
        data["legal_name"] = f"{data['legal_name']} số {i + 1}"
        folder = target / f"p{i + 1:03d}-{slug}"
        folder.mkdir(parents=True)
        for asset in assets:  # the marks and logos the files name
            shutil.copy(asset, folder / asset.name)
        (folder / "producer.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                              encoding="utf-8")
        count = products // producers + (1 if i < products % producers else 0)
        item_ref = 0
        for j in range(count):
            product = copy.deepcopy(items[j % len(items)])
            product["name"]["vi"] = f"{product['name']['vi']} {j + 1}"
            for package in product["packages"]:
                if "gtin" not in package:
                    variants += 1
                    continue
                body = prefix + f"{item_ref:02d}"
                package["gtin"] = body + str(gs1.check_digit(body))
                item_ref += 1
                variants += 1
            (folder / f"san-pham-{j + 1:02d}.yaml").write_text(
                yaml.safe_dump(product, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return variants


CPU: list[float] = [0.0]
"""The CPU seconds (user + system) of the last `run_build`, its worker processes included."""


def run_build(products: Path, output: Path, templates: Path, jobs: int, *extra: str) -> tuple[float, int]:
    """Run `python build.py` in a fresh process; returns (seconds, peak RSS in MB of its processes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--products", str(products),
                    "--output", str(output), "--templates", str(templates), "--jobs", str(jobs), *extra],
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[0] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    peak = max(before.ru_maxrss, after.ru_maxrss)
    return seconds, peak // 1024


def best_of(runs: int, build: Any) -> tuple[float, float]:
    """The quickest of ``runs`` builds (the others met more load): (seconds, CPU seconds)."""
    found = []
    for _ in range(runs):
        seconds, _ = build()
        found.append((seconds, CPU[0]))
    return min(found)


HEAVY = ("weasyprint", "pypdf", "pypdfium2", "zxingcpp", "pydantic", "jinja2")


def imported(products: Path, output: Path, templates: Path) -> list[str]:
    """The heavy packages a build imports (run it where it has nothing to do: a no-op)."""
    script = (f"import sys, json; sys.path.insert(0, {str(ROOT)!r}); from ocopdocs.cli import main; "
              "main(sys.argv[1:]); "
              f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))")
    done = subprocess.run([sys.executable, "-c", script, "build", "--products", str(products), "--output",
                           str(output), "--templates", str(templates)], capture_output=True, text=True,
                          check=False)
    found: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def memory_over_renders(renders: int) -> tuple[float, float, float, float]:
    """Render the miến dong 500 g label ``renders`` times: (first, after 10 %, last MB, s a label)."""
    from ocopdocs import pipeline, workers
    from ocopdocs.render import Renderer
    from ocopdocs.templating import make_env

    plans = [p for p in pipeline.plan(pipeline.check(ROOT / "products")) if p.kind == "label"]
    [doc] = [p for p in plans if p.path.endswith("mien-dong/label-500g.pdf")]  # the label Typst compiles
    renderer, env = Renderer(), make_env(ROOT / "templates")
    with tempfile.TemporaryDirectory() as tmp:
        workers.render_one(doc, env, renderer, ROOT / "templates", Path(tmp))
        first = rss_mb()
        early = first
        started = time.perf_counter()
        for i in range(renders):
            gs1.ean13_svg.cache_clear()  # each label of a province draws its own symbols
            gs1.qr_svg.cache_clear()
            workers.render_one(doc, env, renderer, ROOT / "templates", Path(tmp))
            if i == renders // 10:
                early = rss_mb()
        per_label = (time.perf_counter() - started) / renders
    return first, early, rss_mb(), per_label


BASELINE = """
import sys, pathlib
sys.path.insert(0, {root!r})
from ocopdocs import pipeline, workers
from ocopdocs.render import Renderer
from ocopdocs.templating import make_env
root = pathlib.Path({root!r})
plans = pipeline.plan(pipeline.check(root / "products"))
doc = plans[{index}]
out = pathlib.Path({out!r})
for a in doc.attachments:  # a dossier needs its labels in place, as in a real build
    src = pathlib.Path({labels!r}) / a.path
    (out / a.path).parent.mkdir(parents=True, exist_ok=True)
    (out / a.path).write_bytes(src.read_bytes())
workers.render_one(doc, make_env(root / "templates"), Renderer(), root / "templates", out)
"""


def baseline(count: int) -> float:
    """Seconds per document when each is rendered in a fresh Python process (the naive script)."""
    from ocopdocs import pipeline

    plans = pipeline.plan(pipeline.check(ROOT / "products"))
    picks = [i for i, p in enumerate(plans) if p.kind == "label"][: count - count // 3]
    picks += [i for i, p in enumerate(plans) if p.kind != "label"][: count // 3]
    with tempfile.TemporaryDirectory() as tmp:
        labels = Path(tmp) / "labels"
        pipeline.build(ROOT / "products", labels, ROOT / "templates", only=["label"])
        started = time.perf_counter()
        for index in picks:
            out = Path(tmp) / f"o{index}"
            subprocess.run([sys.executable, "-c", BASELINE.format(root=str(ROOT), index=index, out=str(out),
                                                                  labels=str(labels))], check=True)
        return (time.perf_counter() - started) / len(picks)


def dossier_pages(products: Path, output: Path, templates: Path, jobs: int) -> tuple[str, str, str]:
    """The dossiers alone, built cold into ``output`` (where the labels they show are): a row."""
    from ocopdocs.documents.kinds import registered

    kinds = [k.id for k in registered() if not k.artwork]
    seconds, _ = run_build(products, output, templates, jobs, "--only", ",".join(kinds))
    cpu = CPU[0]
    documents = [d for d in json.loads((output / "manifest.json").read_text(encoding="utf-8"))["documents"]
                 if d["kind"] in kinds]
    pages = sum(d["pages"] for d in documents)
    ocop = [d for d in documents if d["kind"] == "ocop-dossier"]
    ocop_pages = sum(d["pages"] for d in ocop)
    return ("dossier pages, cold, dossiers only", f"{seconds / pages * 1000:.1f} ms a page",
            f"target ≤ 30 ms; {pages} pages of {len(documents)} dossiers on {jobs} workers, "
            f"labels embedded; CPU {cpu / pages * 1000:.0f} ms a page; "
            f"OCOP dossiers {ocop_pages / max(1, len(ocop)):.1f} pages each")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--producers", type=int, default=90)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--renders", type=int, default=5000)
    parser.add_argument("--baseline", type=int, default=6)
    parser.add_argument("--skip", default="",
                        help="parts left out: stylesheet,labels,dossiers,baseline,memory")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    rows: list[tuple[str, str, str]] = []
    typst = typst_label_seconds()

    def to_typst(seconds: float) -> str:
        return "Typst not installed (the bench extra)" if typst is None else f"{seconds / typst:.1f}× Typst"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        products, templates, output = work / "products", work / "templates", work / "output"
        variants = generate(products, args.products, args.producers)
        shutil.copytree(ROOT / "templates", templates)

        cold, peak = run_build(products, output, templates, args.jobs)
        cold_cpu = CPU[0]
        manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
        documents = len(manifest["documents"])
        noop, noop_cpu = best_of(3, lambda: run_build(products, output, templates, args.jobs))
        heavy = imported(products, output, templates)
        record = output / ".ocopdocs-cache" / "noop.json"

        def checked() -> tuple[float, int]:  # the build runs in full: it finds every document kept
            record.unlink(missing_ok=True)
            return run_build(products, output, templates, args.jobs)

        full, full_cpu = best_of(3, checked)
        edited = products / "p001-cty-pac-nghe" / "san-pham-01.yaml"
        edited.write_text(edited.read_text(encoding="utf-8").replace("storage: ", "storage: Giữ kín. ", 1),
                          encoding="utf-8")
        one, _ = run_build(products, output, templates, args.jobs)
        one_cpu = CPU[0]
        rows += [
            ("synthetic province", f"{args.products} products, {args.producers} producers",
             f"{documents} PDFs ({variants} labels)"),
            ("cold build", f"{cold:.1f} s (CPU {cold_cpu:.0f} s)",
             f"target ≤ 60 s; {cold / documents * 1000:.0f} ms a document"),
            ("no-op rebuild", f"{noop:.2f} s (CPU {noop_cpu:.2f} s)",
             f"target ≤ 0.5 s; best of 3; imports {', '.join(heavy) or 'none of ' + ', '.join(HEAVY)}"),
            ("no-op rebuild, checked in full", f"{full:.2f} s (CPU {full_cpu:.2f} s)",
             "its record deleted: files read (parse cache), checked, planned, every document kept"),
            ("rebuild after editing one product", f"{one:.2f} s (CPU {one_cpu:.2f} s)", "target ≤ 1 s"),
        ]
        if "stylesheet" not in skip:
            css = templates / "label" / "label.css"
            css.write_text(css.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
            template, _ = run_build(products, output, templates, args.jobs)
            rows.append(("rebuild after editing the label stylesheet", f"{template:.1f} s",
                         "every label and the dossiers that show them"))
        if "labels" not in skip:
            labels_only, _ = run_build(products, work / "labels", templates, args.jobs, "--only", "label")
            per_label = labels_only / variants
            rows.append(("labels, cold, labels only", f"{per_label * 1000:.0f} ms a label",
                         f"{1 / per_label:.1f} labels/s on {args.jobs} workers; {to_typst(per_label)} "
                         "(target ≤ 2×, ≤ 40 ms)"))
            if "dossiers" not in skip:
                rows.append(dossier_pages(products, work / "labels", templates, args.jobs))

    per_document = cold / documents
    if "baseline" not in skip:
        fresh = baseline(args.baseline)
        rows.append(("baseline: a fresh process per document", f"{fresh * 1000:.0f} ms a document",
                     f"cold build is {fresh / per_document:.0f}× faster per document (target ≥ 25×)"))
    rows.append(("peak RSS, largest build process", f"{peak} MB", "target ≤ 400 MB"))
    if "memory" not in skip:
        first, early, last, per_render = memory_over_renders(args.renders)
        rows.append((f"memory over {args.renders} renders of the Typst label (one process)",
                     f"{first:.0f} → {early:.0f} → {last:.0f} MB",
                     f"start, after 10 %, end; {per_render * 1000:.0f} ms a label, {to_typst(per_render)}"))
    if typst is not None:
        rows.append(("Typst: the same label, compiler reused (anchor)", f"{typst * 1000:.1f} ms a label",
                     "benchmarks/typst_anchor.py, in this run"))
    width = max(len(r[0]) for r in rows)
    print(f"| {'measure':<{width}} | figure | note |")
    print(f"| {'-' * width} | --- | --- |")
    for name, figure, note in rows:
        print(f"| {name:<{width}} | {figure} | {note} |")


if __name__ == "__main__":
    main()
