"""Province-scale benchmark: a synthetic province built cold, rebuilt, edited; memory; baseline.

    .venv/bin/python benchmarks/province.py [--products 200] [--producers 90] [--jobs 2]
                                            [--renders 5000] [--baseline 6]

Generates a province by varying the samples (new producers with their own GS1 prefixes and
GTINs, renamed products), then measures in one run:
- a cold build, a no-op rebuild, a rebuild after editing one product and after editing the
  label stylesheet, each as `python build.py` in a fresh process (what a user runs);
- labels per second (a labels-only cold build), peak RSS of the build's processes;
- memory over many renders of one label in one process with a shared renderer;
- the baseline, in the same run: documents rendered each in a fresh Python process.
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
            samples.append((folder.name, producer, items))
    variants = 0
    for i in range(producers):
        slug, producer, items = samples[i % len(samples)]
        data = copy.deepcopy(producer)
        prefix = f"893{7000000 + i:07d}"  # a 10-digit prefix: 100 GTINs per producer
        data.setdefault("gs1", {})["company_prefix"] = prefix  # a household sample has none
        data["legal_name"] = f"{data['legal_name']} số {i + 1}"
        folder = target / f"p{i + 1:03d}-{slug}"
        folder.mkdir(parents=True)
        (folder / "producer.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                              encoding="utf-8")
        for image in (ROOT / "products" / slug).glob("*"):  # mark samples and logos the files name
            if image.suffix.lower() in (".png", ".jpg", ".jpeg", ".svg"):
                shutil.copy(image, folder)
        count = products // producers + (1 if i < products % producers else 0)
        item_ref = 0
        for j in range(count):
            product = copy.deepcopy(items[j % len(items)])
            product["name"]["vi"] = f"{product['name']['vi']} {j + 1}"
            for package in product["packages"]:
                body = prefix + f"{item_ref:02d}"
                package["gtin"] = body + str(gs1.check_digit(body))
                item_ref += 1
                variants += 1
            (folder / f"san-pham-{j + 1:02d}.yaml").write_text(
                yaml.safe_dump(product, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return variants


def run_build(products: Path, output: Path, templates: Path, jobs: int, *extra: str) -> tuple[float, int]:
    """Run `python build.py` in a fresh process; returns (seconds, peak RSS in MB of its processes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--products", str(products),
                    "--output", str(output), "--templates", str(templates), "--jobs", str(jobs), *extra],
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return seconds, peak // 1024


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def memory_over_renders(renders: int) -> tuple[float, float, float, float]:
    """Render one sample label ``renders`` times with one renderer: (first, after 10 %, last MB, s/label)."""
    from ocopdocs import pipeline, workers
    from ocopdocs.render import Renderer
    from ocopdocs.templating import make_env

    plans = [p for p in pipeline.plan(pipeline.check(ROOT / "products")) if p.kind == "label"]
    doc = max(plans, key=lambda p: (p.size_mm or (0, 0))[0] * (p.size_mm or (0, 0))[1])  # fits first try
    renderer, env = Renderer(), make_env(ROOT / "templates")
    with tempfile.TemporaryDirectory() as tmp:
        workers.render_one(doc, env, renderer, ROOT / "templates", Path(tmp))
        first = rss_mb()
        early = first
        started = time.perf_counter()
        for i in range(renders):
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--producers", type=int, default=90)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--renders", type=int, default=5000)
    parser.add_argument("--baseline", type=int, default=6)
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        products, templates, output = work / "products", work / "templates", work / "output"
        variants = generate(products, args.products, args.producers)
        shutil.copytree(ROOT / "templates", templates)

        cold, peak = run_build(products, output, templates, args.jobs)
        manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
        documents = len(manifest["documents"])
        noop, _ = run_build(products, output, templates, args.jobs)
        edited = products / "p001-cty-pac-nghe" / "san-pham-01.yaml"
        edited.write_text(edited.read_text(encoding="utf-8").replace("storage: ", "storage: Giữ kín. ", 1),
                          encoding="utf-8")
        one, _ = run_build(products, output, templates, args.jobs)
        css = templates / "label" / "label.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
        template, _ = run_build(products, output, templates, args.jobs)
        labels_only, _ = run_build(products, work / "labels", templates, args.jobs, "--only", "label")

    per_document = cold / documents
    fresh = baseline(args.baseline)
    first, early, last, per_render = memory_over_renders(args.renders)
    per_label = labels_only / variants
    rows += [
        ("synthetic province", f"{args.products} products, {args.producers} producers",
         f"{documents} PDFs ({variants} labels)"),
        ("cold build", f"{cold:.1f} s", f"target ≤ 120 s; {per_document * 1000:.0f} ms a document"),
        ("no-op rebuild", f"{noop:.2f} s", "target ≤ 1 s"),
        ("rebuild after editing one product", f"{one:.2f} s", "target ≤ 3 s"),
        ("rebuild after editing the label stylesheet", f"{template:.1f} s",
         "every label and the dossiers that show them"),
        ("labels, cold, labels only", f"{per_label * 1000:.0f} ms a label",
         f"{1 / per_label:.1f} labels/s on {args.jobs} workers; {per_label / 0.020:.1f}× Typst's 20 ms"),
        ("baseline: a fresh process per document", f"{fresh * 1000:.0f} ms a document",
         f"cold build is {fresh / per_document:.0f}× faster per document (target ≥ 25×)"),
        ("peak RSS, largest build process", f"{peak} MB", "target ≤ 400 MB"),
        (f"memory over {args.renders} renders (one process)", f"{first:.0f} → {early:.0f} → {last:.0f} MB",
         f"start, after 10 %, end; {per_render * 1000:.0f} ms a label"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"| {'measure':<{width}} | figure | note |")
    print(f"| {'-' * width} | --- | --- |")
    for name, figure, note in rows:
        print(f"| {name:<{width}} | {figure} | {note} |")


if __name__ == "__main__":
    main()
