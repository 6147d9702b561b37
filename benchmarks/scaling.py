"""How a cold build scales: time against the province's size, memory, documents per second per core.

    .venv/bin/python benchmarks/scaling.py [--sizes 200,1000,2000] [--jobs 1,2] [--jobs-at 200]

For each size, generates a synthetic province as ``province.py`` does (the samples varied, one
producer for every 2.2 products, as in the 200-product province of 90 producers) and builds it
cold with ``python build.py`` in a fresh process for each number of jobs. ``--jobs-at`` limits
the runs with other job counts than the largest to the sizes named (a 2,000-product build on one
core takes long, and documents per second do not depend on the size when time grows linearly).

Prints, per run: documents, seconds, documents per second, milliseconds a document and that
figure as a ratio to the smallest size's (1.0 everywhere = linear), and the peak resident memory
of the build's own process and of its largest worker (flat = memory does not grow with size).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from province import generate  # noqa: E402

# The build runs in a child that reports its own peak memory and its workers'. A worker's peak is
# read from its VmHWM while it runs: RUSAGE_CHILDREN would count, for each worker, the build's
# memory at the moment it was forked (Linux keeps the high-water mark across the exec of "spawn").
MEASURED_BUILD = """
import json, os, resource, sys, threading, time
sys.path.insert(0, {root!r})
from ocopdocs.cli import main
peaks = {{}}
def watch():
    me = str(os.getpid())
    while True:
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{{pid}}/stat") as stat:
                    if stat.read().rsplit(")", 1)[1].split()[1] != me:
                        continue
                with open(f"/proc/{{pid}}/status") as status:
                    kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
            except (OSError, StopIteration, IndexError):
                continue
            peaks[pid] = max(peaks.get(pid, 0), kb)
        time.sleep(0.25)
threading.Thread(target=watch, daemon=True).start()
code = main({argv!r})
print(json.dumps({{"code": code, "main_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "workers_kb": max(peaks.values(), default=0)}}), file=sys.stderr)
"""


def cold_build(products: Path, output: Path, jobs: int) -> dict[str, float]:
    """One cold build in a fresh process: seconds, documents written, peak RSS in MB."""
    argv = ["build", "--products", str(products), "--output", str(output),
            "--templates", str(ROOT / "templates"), "--jobs", str(jobs)]
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURED_BUILD.format(root=str(ROOT), argv=argv)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - started
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return {"seconds": seconds, "documents": len(list(output.rglob("*.pdf"))), "code": report["code"],
            "main_mb": report["main_kb"] / 1024, "workers_mb": report["workers_kb"] / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="200,1000,2000", help="products in each province")
    parser.add_argument("--jobs", default="1,2", help="worker counts to try")
    parser.add_argument("--jobs-at", default="200", help="sizes at which job counts below the largest run")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    jobs = sorted(int(j) for j in args.jobs.split(","))
    small_sizes = {int(s) for s in args.jobs_at.split(",")}

    rows: list[tuple[int, int, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            products = Path(tmp) / f"province-{size}" / "products"
            generate(products, size, max(1, round(size / 2.2)))
            for count in jobs:
                if count != jobs[-1] and size not in small_sizes:
                    continue
                output = Path(tmp) / f"out-{size}-{count}"
                result = cold_build(products, output, count)
                rows.append((size, count, result))
                shutil.rmtree(output)
                print(f"{size} products, {count} jobs: {result['documents']:.0f} PDFs in "
                      f"{result['seconds']:.1f} s (exit {result['code']:.0f})", flush=True)
            shutil.rmtree(products.parent)

    first: dict[int, float] = {}
    print("\n| products | jobs | PDFs | cold build | PDFs/s | ms a PDF | vs smallest | RSS build "
          "| RSS worker |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for size, count, r in rows:
        per_doc = r["seconds"] / r["documents"]
        first.setdefault(count, per_doc)
        print(f"| {size} | {count} | {r['documents']:.0f} | {r['seconds']:.1f} s | {1 / per_doc:.1f} | "
              f"{per_doc * 1000:.0f} | {per_doc / first[count]:.2f}× | {r['main_mb']:.0f} MB | "
              f"{r['workers_mb']:.0f} MB |")


if __name__ == "__main__":
    main()
