"""Fault tests: the build killed or interrupted at random moments, two builds at once, an output
folder that is read-only, a file, or full.

What must hold whatever happens (README, "Safety"): no file is ever half written; the
manifest lists exactly the files that are there, with their sha256 (after kill -9, every file
it lists is there as listed, and the next build makes it exact again); a user error is a message,
never a traceback, from the build or from a worker.

The moments are random: ``OCOPDOCS_FAULT_SEED`` repeats a run (the seed is in every failure
message), ``OCOPDOCS_FAULT_RUNS`` (default 1) sets how many moments each case tries.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ocopdocs import output as output_module
from ocopdocs.cli import main
from ocopdocs.messages import t

from .conftest import ROOT, TEMPLATES, build_and_publish, copy_sample

PRODUCER, PRODUCT = "htx-khuoi-dong", "mien-dong"
SEED = int(os.environ.get("OCOPDOCS_FAULT_SEED") or random.SystemRandom().randrange(1 << 30))
RUNS = int(os.environ.get("OCOPDOCS_FAULT_RUNS") or 1)
AS_OF = "2026-11-29"
pytestmark = pytest.mark.timeout(240)


@pytest.fixture(autouse=True)
def vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCOPDOCS_LANG", raising=False)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A producer (3 products, 13 documents) built once, and its data in four versions.

    ``all`` and ``one`` (only mien-dong, 7 documents with its two A4 label sheets) as in the samples, ``all-edited`` and
    ``one-edited`` with the producer's name changed, which changes every document. A case
    builds a version into a copy of the first build's output: one product's build also
    deletes the others' documents.
    """
    root = tmp_path_factory.mktemp("faults")
    (root / "all").mkdir()
    copy_sample(root / "all", PRODUCER)
    build_and_publish(root / "all" / "products", root / "output", TEMPLATES,
                      as_of=date.fromisoformat(AS_OF))
    shutil.copytree(root / "all" / "products", root / "all-edited")
    (root / "one").mkdir()
    copy_sample(root / "one", PRODUCER, [PRODUCT])
    shutil.copytree(root / "one" / "products", root / "one-edited")
    for name in ("all-edited", "one-edited"):
        producer = root / name / PRODUCER / "producer.yaml"
        text = producer.read_text(encoding="utf-8")
        assert text.count("Hợp tác xã Nông sản Khuổi Dong") >= 1
        producer.write_text(text.replace("Hợp tác xã Nông sản Khuổi Dong", "Hợp tác xã Nông sản Khuổi Dong Mới"),
                            encoding="utf-8")
    return root


def fresh(base: Path, tmp_path: Path, version: str) -> tuple[Path, Path]:
    """(products, output): one version of the data and a copy of the first build's output."""
    output = tmp_path / "output"
    shutil.copytree(base / "output", output)
    products = base / version if version.endswith("edited") else base / version / "products"
    return products, output


def start(products: Path, output: Path, jobs: int, *extra: str) -> subprocess.Popen[bytes]:
    """``ocopdocs build`` in its own process group, as a terminal runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("OCOPDOCS_LANG", None)
    return subprocess.Popen(
        [sys.executable, "-c", "import sys; from ocopdocs.cli import main; sys.exit(main())", "build",
         "--products", str(products), "--output", str(output), "--as-of", AS_OF, "--jobs", str(jobs), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env)


def listed(output: Path) -> dict[str, str]:
    """The manifest's documents: path → sha256."""
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    return {d["path"]: d["sha256"] for d in manifest["documents"]}


def on_disk(output: Path) -> dict[str, str]:
    """The PDFs in the folder: path → sha256."""
    return {p.relative_to(output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in output.rglob("*.pdf")}


def assert_no_partial_file(output: Path, why: str) -> None:
    for path in output.rglob("*.pdf"):
        data = path.read_bytes()
        assert data.rstrip().endswith(b"%%EOF"), (why, path)
        pdfium.PdfDocument(data).close()  # opens: every object is there
    for path in output.glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    for path in output.glob("*.zip"):
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None, (why, path)


def assert_true_to_its_files(output: Path, why: str) -> None:
    """manifest = files, state = manifest, bundles = files, nothing being written."""
    assert listed(output) == on_disk(output), why
    assert set(output_module.State.load(output).documents) == set(listed(output)), why
    assert not [p for p in output.rglob("*") if output_module.TEMPORARY.fullmatch(p.name)], why
    assert_no_partial_file(output, why)


VERSION = {1: "one-edited", 2: "all-edited"}
"""The data each case builds: with --jobs 2, enough documents for the worker processes to start."""


def moments(jobs: int, signal_name: str) -> list[float]:
    """When to strike, in seconds: anywhere until the last document (these take ~4 s and ~8 s)."""
    rng = random.Random(f"{SEED}-{jobs}-{signal_name}")
    return [round(rng.uniform(0.0, 4.0 if jobs == 1 else 8.0), 2) for _ in range(RUNS)]


def wait_until_building(build: subprocess.Popen[bytes], output: Path) -> None:
    """Until the build holds the output folder's lock: its imports are done (Python's own start-up,
    about a second, ends with the interpreter's traceback on Ctrl-C, before ocopdocs runs)."""
    deadline = time.monotonic() + 60
    while (output / output_module.LOCK).read_bytes().strip() != str(build.pid).encode():
        assert time.monotonic() < deadline and build.poll() is None, "the build did not start"
        time.sleep(0.02)


def no_traceback(text: str) -> bool:
    return "Traceback" not in text and "KeyboardInterrupt" not in text and "Error:" not in text


# ------------------------------------------------------------------------- Ctrl-C and kill -9


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_at_a_random_moment(base: Path, tmp_path: Path, jobs: int) -> None:
    for run, delay in enumerate(moments(jobs, "int")):
        why = f"seed {SEED}, --jobs {jobs}, Ctrl-C {delay} s into the build"
        products, output = fresh(base, tmp_path / str(run), VERSION[jobs])
        build = start(products, output, jobs)
        wait_until_building(build, output)
        time.sleep(delay)
        os.killpg(build.pid, signal.SIGINT)  # the terminal sends it to every process of the build
        _, err = (s.decode() for s in build.communicate(timeout=120))
        if build.returncode == 130:
            assert err == t("cli-interrupted") + "\n", (why, err)
        else:  # it had finished
            assert build.returncode in (0, 1) and no_traceback(err), (why, err)
        assert_true_to_its_files(output, why)


@pytest.mark.parametrize("jobs", [1, 2])
def test_kill_9_at_a_random_moment(base: Path, tmp_path: Path, jobs: int) -> None:
    for run, moment in enumerate(moments(jobs, "kill")):
        delay = moment + 1.0  # from the start of the process: its start-up too
        why = f"seed {SEED}, --jobs {jobs}, kill -9 {delay} s after the start"
        products, output = fresh(base, tmp_path / str(run), VERSION[jobs])
        build = start(products, output, jobs)
        time.sleep(delay)
        os.killpg(build.pid, signal.SIGKILL)  # the machine stops: nothing runs after this
        build.communicate(timeout=120)
        files = on_disk(output)
        assert {path: files.get(path) for path in listed(output)} == listed(output), why  # listed = there
        assert_no_partial_file(output, why)
        err = io.StringIO()  # the next build (here, in this process: quicker) makes everything exact again
        code = main(["build", "--products", str(products), "--output", str(output), "--as-of", AS_OF, "--jobs", "1"],
                    stdout=io.StringIO(), stderr=err)
        assert code in (0, 1) and no_traceback(err.getvalue()), (why, err.getvalue())
        assert_true_to_its_files(output, why)
        with zipfile.ZipFile(output / f"{PRODUCER}.zip") as archive:
            for path, sha in on_disk(output).items():
                assert hashlib.sha256(archive.read(path.split("/", 1)[1])).hexdigest() == sha, (why, path)


# ----------------------------------------------------------------------------- two builds


def test_two_builds_at_once_write_one_after_the_other(base: Path, tmp_path: Path) -> None:
    products, output = fresh(base, tmp_path, "one-edited")
    first = start(base / "one" / "products", output, 1, "--force")
    wait_until_building(first, output)
    err = io.StringIO()
    code = main(["build", "--products", str(products), "--output", str(output), "--as-of", AS_OF, "--jobs", "1",
                 "--only", "label"], stdout=io.StringIO(), stderr=err)  # the labels: quicker, and enough
    _, first_err = (s.decode() for s in first.communicate(timeout=120))
    assert first.returncode in (0, 1) and no_traceback(first_err), first_err
    assert code in (0, 1) and no_traceback(err.getvalue())
    assert err.getvalue().startswith(t("output-busy-waiting", pid=first.pid, folder=output, seconds="600"))
    assert_true_to_its_files(output, "two builds")
    with zipfile.ZipFile(output / f"{PRODUCER}.zip") as archive:
        for path, sha in on_disk(output).items():
            assert hashlib.sha256(archive.read(path.split("/", 1)[1])).hexdigest() == sha, path
        assert all(sha in archive.read("MUC-LUC.txt").decode("utf-8-sig") for sha in on_disk(output).values())
    assert "Khuổi Dong Mới" in _text(output / PRODUCER / PRODUCT / "label-500g.pdf")  # the second build's data


def _text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def test_a_second_build_gives_up_after_waiting(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, PRODUCER, [PRODUCT])
    output = tmp_path / "output"
    output.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(output / output_module.LOCK)!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, str(os.getpid()).encode())\n"
        "print('held', flush=True); time.sleep(60)\n")], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        err = io.StringIO()
        started = time.monotonic()
        code = main(["build", "--products", str(products), "--output", str(output), "--wait", "0.5"],
                    stdout=io.StringIO(), stderr=err)
        assert time.monotonic() - started < 10
    finally:
        holder.kill()
        holder.communicate()
    assert code == 1
    assert err.getvalue() == (t("output-busy-waiting", pid=holder.pid, folder=output, seconds="0.5") + "\n"
                              + "ocopdocs: " + t("output-busy", folder=output, seconds="0.5") + "\n")
    assert not list(output.rglob("*.pdf"))


# ---------------------------------------------------------------- the output folder itself


def _mount(target: Path, options: str) -> bool:
    """Mount a small tmpfs at ``target`` when this process may (root in a container usually may)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
                          capture_output=True, check=False)
    return done.returncode == 0


def _unmount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


@pytest.fixture
def read_only(tmp_path: Path, base: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An output folder holding a build that cannot be written to any more.

    A read-only tmpfs when this process may mount one; otherwise the folder's write bit removed
    (which binds every user but root); otherwise, as root without mounts, EROFS injected.
    """
    folder = tmp_path / "ro"
    if _mount(folder, "size=4m"):
        shutil.copytree(base / "output", folder, dirs_exist_ok=True)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder
        _unmount(folder)
        return
    shutil.copytree(base / "output", folder)
    if os.geteuid() != 0:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        yield folder
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        return
    real_open, real_mkstemp = os.open, output_module.tempfile.mkstemp

    def refuse_open(path: object, flags: int, *args: object) -> int:
        if str(path).startswith(str(folder)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    def refuse_mkstemp(*args: object, dir: object = None, **kwargs: object) -> tuple[int, str]:
        if str(dir).startswith(str(folder)):
            raise OSError(errno.EROFS, "Read-only file system", str(dir))
        return real_mkstemp(*args, dir=dir, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(os, "open", refuse_open)
    monkeypatch.setattr(output_module.tempfile, "mkstemp", refuse_mkstemp)
    yield folder


def test_a_read_only_output_folder_is_a_message(base: Path, read_only: Path) -> None:
    before = {p: p.read_bytes() for p in read_only.rglob("*") if p.is_file()}
    err = io.StringIO()
    code = main(["build", "--products", str(base / "one-edited"), "--output", str(read_only), "--as-of", AS_OF,
                 "--jobs", "1"], stdout=io.StringIO(), stderr=err)
    assert code == 1, err.getvalue()
    [line] = err.getvalue().splitlines()
    assert line.startswith(f"ocopdocs: Không ghi được {read_only}")
    assert t("os-error-read-only") in line or t("os-error-permission") in line
    assert {p: p.read_bytes() for p in read_only.rglob("*") if p.is_file()} == before


def test_an_output_that_is_a_file_is_a_message(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, PRODUCER, [PRODUCT])
    notes = tmp_path / "notes.txt"
    notes.write_text("the officer's notes", encoding="utf-8")
    for target, code, message in [
            (notes, 2, t("output-not-folder", path=notes)),
            (notes / "output", 1, t("output-unwritable", path=notes / "output" / output_module.LOCK,
                                    reason=t("os-error-not-folder")))]:
        err = io.StringIO()
        assert main(["build", "--products", str(products), "--output", str(target)], stdout=io.StringIO(),
                    stderr=err) == code
        assert err.getvalue() == f"ocopdocs: {message}\n"
    assert notes.read_text(encoding="utf-8") == "the officer's notes"


@pytest.fixture
def small_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, object]]:
    """A 200 KB output folder: a tmpfs when mountable, else ENOSPC injected past 200 KB written.

    Yields the folder and a function that gives it room again.
    """
    folder = tmp_path / "small"
    if _mount(folder, "size=200k"):
        yield folder, lambda: subprocess.run(["mount", "-o", "remount,size=16m", str(folder)], check=True)
        _unmount(folder)
        return
    folder.mkdir()
    room = {"left": 200 * 1024}
    real_fdopen = os.fdopen

    class Full(io.RawIOBase):
        def __init__(self, fd: int) -> None:
            self.file = real_fdopen(fd, "wb")

        def write(self, data: object) -> int:
            size = len(data)  # type: ignore[arg-type]
            if size > room["left"]:
                raise OSError(errno.ENOSPC, "No space left on device")
            room["left"] -= size
            return self.file.write(data)  # type: ignore[arg-type]

        def fileno(self) -> int:
            return self.file.fileno()

        def close(self) -> None:
            self.file.close()
            super().close()

    monkeypatch.setattr(output_module.os, "fdopen", lambda fd, mode="r", *a, **k: Full(fd) if mode == "wb"
                        else real_fdopen(fd, mode, *a, **k))
    yield folder, lambda: room.update(left=1 << 40)


def test_a_full_disk_stops_the_build_with_a_message_and_a_true_manifest(
        base: Path, small_disk: tuple[Path, object]) -> None:
    folder, make_room = small_disk
    products = base / "one" / "products"
    err = io.StringIO()
    code = main(["build", "--products", str(products), "--output", str(folder), "--as-of", AS_OF, "--jobs", "1"],
                stdout=io.StringIO(), stderr=err)
    text = err.getvalue()
    assert code == 1 and no_traceback(text), text
    assert t("os-error-disk-full") in text and "dừng sau" in text
    assert_true_to_its_files(folder, "disk full")
    assert len(listed(folder)) < 7
    make_room()  # type: ignore[operator]
    err = io.StringIO()
    code = main(["build", "--products", str(products), "--output", str(folder), "--as-of", AS_OF, "--jobs", "1"],
                stdout=io.StringIO(), stderr=err)
    assert code in (0, 1) and t("os-error-disk-full") not in err.getvalue()
    assert_true_to_its_files(folder, "room again")
    assert len(listed(folder)) == 7
    assert (folder / "index.html").is_file() and (folder / "report.csv").is_file()
