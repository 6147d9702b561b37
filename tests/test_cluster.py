"""Render jobs behind an Executor: a local pool of processes, or Dask distributed (``--executor``).

A Dask ``LocalCluster`` of two worker processes stands in for a cluster: its documents must be
byte for byte those of ``--jobs 2``. A scheduler that cannot be reached, and a worker lost in
the middle of a build, are messages; no document is left half-written or recorded as built,
and the manifest lists exactly the files that are there.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import shutil
import signal
import socket
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ocopdocs import pipeline
from ocopdocs.cli import main
from ocopdocs.messages import t
from ocopdocs.output import TEMPORARY, State

from .conftest import TEMPLATES, copy_sample

AS_OF = date(2026, 11, 29)
pytestmark = pytest.mark.timeout(600)


def files(output: Path) -> dict[str, str]:
    """Every document of the folder (PDF, DOCX), the manifest and the report: path → sha256."""
    return {p.relative_to(output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(output.rglob("*")) if p.suffix in (".pdf", ".docx")}


def listed(output: Path) -> dict[str, str]:
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    return {d["path"]: d["sha256"] for d in manifest["documents"]}


def true_to_its_files(output: Path) -> None:
    """manifest = files, state = manifest, every PDF whole."""
    pdfs = {path: sha for path, sha in files(output).items() if path.endswith(".pdf")}
    assert listed(output) == pdfs
    assert set(State.load(output).documents) == set(pdfs)
    for path in output.rglob("*.pdf"):
        assert path.read_bytes().rstrip().endswith(b"%%EOF"), path


@pytest.fixture(scope="module")
def products(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A producer: 4 labels, the self-declarations that show them, OCOP dossiers (12 documents)."""
    return copy_sample(tmp_path_factory.mktemp("cluster"), "htx-khuoi-dong")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# ------------------------------------------------------------------------ the local pool


def test_a_worker_process_killed_mid_build_is_a_message(products: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    killed: list[int] = []

    def kill_a_worker(event: pipeline.Event) -> None:
        children = multiprocessing.active_children()
        if not killed and children:  # after the first document: the others are on their way
            killed.append(children[0].pid or 0)
            os.kill(killed[0], signal.SIGKILL)

    result = pipeline.build(products, output, TEMPLATES, as_of=AS_OF, jobs=2, progress=kill_a_worker)
    assert killed
    assert result.unwritten[-1] == t("executor-stopped", done=len(result.built), total=len(result.plans))
    assert result.unwritten[0].startswith(t("executor-lost", detail="")[:30])
    true_to_its_files(output)
    again = pipeline.build(products, output, TEMPLATES, as_of=AS_OF, jobs=2)  # the next build completes it
    assert not again.unwritten and len(again.built) == len(again.plans)
    true_to_its_files(output)
    assert not [p for p in output.rglob("*") if TEMPORARY.fullmatch(p.name)]


# ------------------------------------------------------------------------------- Dask

def dask_distributed() -> Any:
    return pytest.importorskip(
        "distributed", reason="Dask distributed is not installed: pip install -e '.[cluster]' (the cluster group)")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two worker processes, one thread each; a worker lost fails its documents at once."""
    distributed = dask_distributed()
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
            host="127.0.0.1") as local:
        yield local


def address(cluster: Any) -> str:
    return "dask://" + cluster.scheduler_address.removeprefix("tcp://")


def test_dask_workers_make_the_same_bytes_as_jobs_2(products: Path, tmp_path: Path, cluster: Any) -> None:
    local, remote = tmp_path / "jobs-2", tmp_path / "dask"
    pipeline.build(products, local, TEMPLATES, as_of=AS_OF, jobs=2)
    result = pipeline.build(products, remote, TEMPLATES, as_of=AS_OF, executor=address(cluster))
    assert not result.unwritten and len(result.built) == len(result.plans) >= 10
    assert files(remote) == files(local)
    assert listed(remote) == listed(local)
    true_to_its_files(remote)


def test_the_command_line_builds_on_dask(products: Path, tmp_path: Path, cluster: Any) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", "--products", str(products), "--output", str(tmp_path / "out"), "--as-of", "29/11/2026",
                 "--executor", address(cluster)], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    true_to_its_files(tmp_path / "out")


def test_a_scheduler_that_cannot_be_reached_writes_nothing(products: Path, tmp_path: Path) -> None:
    dask_distributed()
    import dask

    output = tmp_path / "output"
    where = f"dask://127.0.0.1:{free_port()}"
    err = io.StringIO()
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        code = main(["build", "--products", str(products), "--output", str(output), "--executor", where],
                    stdout=io.StringIO(), stderr=err)
    assert code == 1
    said = err.getvalue()
    assert said.startswith("ocopdocs: " + t("executor-unreachable", address=where, detail="")[:40]), said
    assert "Traceback" not in said
    assert [p.name for p in output.rglob("*")] == [".ocopdocs.lock"]  # no document, manifest, state, report


def test_an_executor_of_another_form_is_a_usage_error(products: Path, tmp_path: Path) -> None:
    err = io.StringIO()
    code = main(["build", "--products", str(products), "--output", str(tmp_path / "o"), "--executor",
                 "tcp://10.0.0.5:8786"], stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert t("executor-invalid", value="tcp://10.0.0.5:8786") in err.getvalue()
    assert not (tmp_path / "o").exists()


def test_without_dask_the_executor_says_how_to_install_it(products: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed: ImportError
    err = io.StringIO()
    code = main(["build", "--products", str(products), "--output", str(tmp_path / "o"), "--executor",
                 "dask://127.0.0.1:8786"], stdout=io.StringIO(), stderr=err)
    assert code == 1
    assert err.getvalue() == "ocopdocs: " + t("executor-missing", value="dask://127.0.0.1:8786") + "\n"


def test_a_dask_worker_lost_mid_build_is_a_message(products: Path, tmp_path: Path, cluster: Any) -> None:
    output = tmp_path / "output"
    shutil.rmtree(output, ignore_errors=True)
    with dask_distributed().Client(cluster.scheduler_address) as client:
        pids = list(client.run(os.getpid).values())
    killed: list[int] = []

    def kill_a_worker(event: pipeline.Event) -> None:
        if not killed:  # after the first document: the others are on the workers
            killed.append(pids[0])
            os.kill(pids[0], signal.SIGKILL)

    result = pipeline.build(products, output, TEMPLATES, as_of=AS_OF, executor=address(cluster),
                            progress=kill_a_worker)
    assert killed
    assert result.unwritten, "a lost worker stops the build"
    assert result.unwritten[0].startswith(t("executor-lost", detail="")[:30])
    assert result.unwritten[-1] == t("executor-stopped", done=len(result.built), total=len(result.plans))
    true_to_its_files(output)
    cluster.wait_for_workers(2, timeout=120)  # the nanny starts another
    again = pipeline.build(products, output, TEMPLATES, as_of=AS_OF, executor=address(cluster))
    assert not again.unwritten and len(again.built) == len(again.plans)
    true_to_its_files(output)
