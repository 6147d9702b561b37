"""The command line, run in process: exit codes, progress lines, summary, --info."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ocopdocs.cli import main

from .conftest import copy_sample


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_build_exit_0_with_progress_and_summary(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong"])
    code, out, err = run("build", "--products", str(products), "--output", str(tmp_path / "out"))
    assert code == 0, err
    assert "[1/" in out and "label-" in out and "→" in out
    assert "Đã dựng" in out and "0 lỗi" in out
    assert (tmp_path / "out" / "manifest.json").is_file()


def test_check_reports_problems_with_file_line_field_and_exit_1(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong"])
    path = products / "htx-khuoi-dong" / "mien-dong.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "alergens: [lạc]\n", encoding="utf-8")
    code, _, err = run("check", "--products", "products")
    assert code == 1
    lines = path.read_text(encoding="utf-8").count("\n")
    assert f"products/htx-khuoi-dong/mien-dong.yaml:{lines}: alergens: " in err
    assert "allergens" in err and "[unknown-field, LỖI]" in err


def test_notes_are_counted_and_listed_with_verbose(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong-goi-nho"])  # OCOP papers not on hand
    code, _, err = run("check", "--products", str(products), "--as-of", "2026-11-29")
    assert code == 0 and "[ocop-evidence-supporting-missing" not in err
    assert "ghi chú (mức THÔNG TIN" in err and "--verbose" in err
    code, _, verbose = run("check", "--products", str(products), "--as-of", "2026-11-29", "--verbose")
    notes = verbose.count("[ocop-evidence-supporting-missing, THÔNG TIN")
    assert code == 0 and notes > 0
    assert f"Có thêm {notes} ghi chú" in err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("build", "--only", "poster")[0] == 2
    assert run("build", "--products", str(tmp_path / "nowhere"))[0] == 2
    assert run("frobnicate")[0] == 2


def test_build_py_defaults_to_build(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong"])
    code, _, _ = run("--products", str(products), "--output", str(tmp_path / "o"), "--only", "label")
    assert code == 0
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))
    assert {d["kind"] for d in manifest["documents"]} == {"label"}


def test_info_prints_versions() -> None:
    code, out, _ = run("--info")
    assert code == 0
    for word in ("Python", "WeasyPrint", "Pango", "HarfBuzz"):
        assert word in out
