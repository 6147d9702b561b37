"""A build with nothing to do says what the last build said, and loads nothing to say it.

The record (``.ocopdocs-cache/noop.json``) answers only when the build would read and find
exactly what the last one read and left: any file saved, touched, added or removed, in the
products, the templates or the output folder, another day, language, working folder or
option, and the build runs.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ocopdocs import noop, pipeline
from ocopdocs.cli import main

from .conftest import ROOT, TEMPLATES, copy_sample

HONEY = "htx-ong-mat-ho-xanh"


class Tree:
    """A producer's products, templates and output, built once by the command line."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.products = copy_sample(root, HONEY)
        self.templates = root / "templates"
        shutil.copytree(TEMPLATES, self.templates)
        self.output = root / "output"
        self.record = self.output / noop.RECORD

    def build(self, *extra: str, products: Path | None = None) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = main(["build", "--products", str(products or self.products), "--output", str(self.output),
                     "--templates", str(self.templates), "--as-of", "29/11/2026", "--jobs", "1", *extra],
                    stdout=out, stderr=err)
        return code, out.getvalue(), err.getvalue()

    def ran(self, *extra: str, products: Path | None = None) -> bool:
        """Build; True when the build ran (and wrote the record again), False when it was answered."""
        before = self.record.stat().st_mtime_ns if self.record.exists() else None
        self.build(*extra, products=products)
        return not self.record.exists() or self.record.stat().st_mtime_ns != before


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Tree:
    monkeypatch.delenv("OCOPDOCS_LANG", raising=False)
    monkeypatch.chdir(tmp_path)
    tree = Tree(tmp_path)
    tree.build()
    assert tree.record.is_file()
    return tree


def _said(text: str) -> list[str]:
    """The lines, but the seconds of the first."""
    return [line for line in text.splitlines() if not line.startswith("Đã dựng")]


@pytest.mark.parametrize("extra", [(), ("--verbose",), ("--strict",)])
def test_it_says_what_a_build_that_ran_would_say(tree: Tree, extra: tuple[str, ...]) -> None:
    tree.record.unlink()
    ran = tree.build(*extra)  # runs: loads, checks, keeps every document, records
    answered = tree.build(*extra)
    assert not tree.ran(*extra)
    assert answered[0] == ran[0] and _said(answered[1]) == _said(ran[1]) and answered[2] == ran[2]
    assert "Đã dựng 5 tài liệu" in answered[1] and "5 tài liệu không đổi" in answered[1]


def test_it_loads_nothing_but_the_files_bytes(tree: Tree) -> None:
    script = ("import sys; from ocopdocs.cli import main; main(sys.argv[1:]); "
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('weasyprint', 'pypdf', 'pypdfium2', "
              "'zxingcpp', 'pydantic', 'jinja2', 'PIL') or m in ('ocopdocs.pipeline', 'ocopdocs.schema', "
              "'ocopdocs.rules', 'ocopdocs.documents')))")
    done = subprocess.run([sys.executable, "-c", script, "build", "--products", str(tree.products), "--output",
                           str(tree.output), "--templates", str(tree.templates), "--as-of", "29/11/2026"],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=tree.root)
    assert done.stdout.splitlines()[-1] == "[]", done.stdout + done.stderr


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CHANGES: dict[str, Callable[[Tree], None]] = {
    "a product saved": lambda t: _edit(t.products / HONEY / "mat-ong.yaml", "Mật ong", "Mật ông"),
    "a product saved as it was": lambda t: (t.products / HONEY / "mat-ong.yaml").write_bytes(
        (t.products / HONEY / "mat-ong.yaml").read_bytes().replace(b"\n", b"\n", 1) + b"# \n"),
    "a file added to a producer": lambda t: (t.products / HONEY / "so-sach.pdf").write_bytes(b"%PDF-1.4"),
    "a product added": lambda t: shutil.copy(t.products / HONEY / "mat-ong.yaml", t.products / HONEY / "mat.yaml"),
    "a template saved": lambda t: _edit(t.templates / "label" / "label.css", "}", "} "),
    "a document deleted": lambda t: next(t.output.rglob("label-*.pdf")).unlink(),
    "a document touched": lambda t: os.utime(next(t.output.rglob("label-*.pdf")), ns=(0, 0)),
    "what a killed build was writing": lambda t: (t.output / HONEY / ".x.pdf.abcd1234.tmp").write_bytes(b""),
    "the report edited": lambda t: (t.output / "index.html").write_text("mine", encoding="utf-8"),
    "a record of another shape": lambda t: t.record.write_text('{"version": 1, "key": 5}', encoding="utf-8"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_change_and_the_build_runs(tree: Tree, change: str) -> None:
    assert not tree.ran()
    CHANGES[change](tree)
    assert tree.ran()
    assert not tree.ran()  # and is answered again once it has run


def test_another_day_language_folder_or_option_and_the_build_runs(tree: Tree, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert not tree.ran()
    assert tree.ran("--as-of", "30/11/2026")
    assert tree.ran("--as-of", "29/11/2026")
    assert tree.ran("--force") and not tree.ran()
    assert tree.ran("--docx") and not tree.ran("--docx") and tree.ran()
    assert tree.ran("--only", "label") and not tree.ran("--only", "label") and tree.ran()
    assert tree.ran(products=tree.products / HONEY / "mat-ong.yaml") and tree.ran()
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    assert tree.ran() and not tree.ran()
    monkeypatch.delenv("OCOPDOCS_LANG")
    assert tree.ran()
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # the problems name files from the working folder
    assert tree.ran() and not tree.ran()
    monkeypatch.setattr(noop, "tool_hash", lambda: "another ocopdocs")
    assert tree.ran()


def test_nothing_is_recorded_when_a_file_changes_during_the_build(tree: Tree,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    build = pipeline.build

    def saving_meanwhile(*args: object, **kwargs: object) -> pipeline.BuildResult:
        result = build(*args, **kwargs)  # type: ignore[arg-type]
        _edit(tree.products / HONEY / "mat-ong.yaml", "Mật ong", "Mật ông")
        return result

    monkeypatch.setattr(pipeline, "build", saving_meanwhile)
    tree.record.unlink()
    tree.build()
    assert not tree.record.exists()  # the next build runs, and reads the file as saved
    monkeypatch.undo()
    assert tree.ran() and tree.record.exists()


def test_nothing_is_recorded_when_a_document_failed(tree: Tree) -> None:
    _edit(tree.products / HONEY / "mat-ong.yaml", "storage: ", "storage: " + "Giữ nơi khô ráo. " * 80)
    code, _, err = tree.build()
    assert code == 1 and "render-overflow" in err
    assert not tree.record.exists()  # the failed label is tried again by every build, as it was


def test_a_record_of_any_other_shape_is_never_obeyed(tree: Tree) -> None:
    record = json.loads(tree.record.read_text(encoding="utf-8"))
    record["summary"]["problems"].append(["x", "one", "", "c", "m", "error", None, None, None, None, "input"])
    tree.record.write_text(json.dumps(record), encoding="utf-8")
    assert tree.ran()
