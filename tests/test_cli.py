"""The command line, run in process: exit codes, progress lines, summary, --info.

Messages are compared in Vietnamese, the default language (OCOPDOCS_LANG is unset here).
"""

from __future__ import annotations

import io
import json
import platform
import re
import sys
from datetime import date
from pathlib import Path

import pytest

from ocopdocs import __version__, pipeline
from ocopdocs.cli import main
from ocopdocs.documents.kinds import KINDS
from ocopdocs.render import info

from .conftest import copy_sample


@pytest.fixture(autouse=True)
def vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCOPDOCS_LANG", raising=False)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def summary(built: int, errors: int = 0, warnings: int = 0, gaps: int = 0) -> str:
    """The build's summary line, whatever the time it took."""
    return rf"Đã dựng {built} tài liệu trong \d+\.\d giây; {errors} lỗi, {gaps} chỗ còn thiếu, {warnings} cảnh báo\."


def test_build_exit_0_with_progress_and_summary(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong"])
    output = tmp_path / "out"
    code, out, err = run("build", "--products", str(products), "--output", str(output), "--as-of", "2026-11-29")
    # one note: VietGAP is a good practice, not the quality-management papers of the OCOP checklist
    assert code == 0 and err.startswith("Có thêm 1 ghi chú") and err.count("\n") == 1, err
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    documents = sorted(str(output / d["path"]) for d in manifest["documents"])
    total = len(documents)
    # two labels and their two A4 sheets, the declaration, the OCOP dossier, the producer's
    # certificate dossier
    assert total == 7
    *progress, built, manifest_line, report_line, ready = out.splitlines()
    steps = [re.fullmatch(rf"\[(\d+)/{total}\] .+ → (.+\.pdf)", line) for line in progress]
    assert all(steps), progress
    assert [int(m[1]) for m in steps if m] == list(range(1, total + 1))
    assert sorted(m[2] for m in steps if m) == documents
    assert re.fullmatch(summary(total), built), built
    assert manifest_line == f"Danh mục tài liệu: {output / 'manifest.json'}"
    assert report_line == f"Báo cáo tình trạng hồ sơ: {output / 'index.html'}"
    assert ready == "Cả 1 sản phẩm đều sẵn sàng nộp."
    # nothing changed: no document is listed, all are counted as kept
    code, out, err = run("build", "--products", str(products), "--output", str(output), "--as-of", "2026-11-29")
    assert code == 0 and err.startswith("Có thêm 1 ghi chú") and err.count("\n") == 1, err
    built, kept, *_ = out.splitlines()
    assert re.fullmatch(summary(total), built), built
    assert kept == f"{total} tài liệu không đổi so với lần dựng trước nên được giữ nguyên."
    assert len(out.splitlines()) == 5


def test_check_reports_problems_with_file_line_field_and_exit_1(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong", "mien-dong-goi-nho"])
    path = products / "htx-khuoi-dong" / "mien-dong.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "alergens: [lạc]\n", encoding="utf-8")
    code, out, err = run("check", "--products", "products", "--as-of", "2026-11-29")
    assert code == 1
    lines = path.read_text(encoding="utf-8").count("\n")
    assert err.splitlines()[:2] == [
        "1 vấn đề trong 1 tệp:",
        f"  products/htx-khuoi-dong/mien-dong.yaml:{lines}: alergens: Không có trường nào tên “alergens”; "
        "có phải bạn định viết “allergens”?  [unknown-field, LỖI]"]
    assert out == "Đã kiểm tra 2 sản phẩm của 1 tổ chức: 1 lỗi, 0 chỗ còn thiếu, 0 cảnh báo.\n"


def test_warnings_exit_0_unless_strict(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong"])
    path = products / "htx-khuoi-dong" / "mien-dong.yaml"
    text = path.read_text(encoding="utf-8")
    # a second product: the same file with GTINs of its own
    (path.parent / "mien-dong-2.yaml").write_text(
        text.replace("8936043120011", "8936043120059").replace("8936043120028", "8936043120066"), encoding="utf-8")
    code, out, err = run("check", "--products", str(products), "--as-of", "2026-11-29")
    # notes only (VietGAP is not the quality-management papers the OCOP checklist asks for)
    assert (code, out) == (0, "Đã kiểm tra 2 sản phẩm của 1 tổ chức: 0 lỗi, 0 chỗ còn thiếu, 0 cảnh báo.\n")
    assert err.startswith("Có thêm ") and "CẢNH BÁO" not in err
    path.write_text(text.replace('net_quantity: "500 g"', 'net_quantity: "1000 g"', 1), encoding="utf-8")
    code, out, err = run("check", "--products", str(products), "--as-of", "2026-11-29")
    assert (code, out) == (0, "Đã kiểm tra 2 sản phẩm của 1 tổ chức: 0 lỗi, 0 chỗ còn thiếu, 1 cảnh báo.\n")
    assert err.startswith("1 vấn đề trong 1 tệp:\n") and "[label-quantity-unit, CẢNH BÁO;" in err
    code, out, err = run("check", "--strict", "--products", str(products), "--as-of", "2026-11-29")
    assert (code, out) == (1, "Đã kiểm tra 2 sản phẩm của 1 tổ chức: 0 lỗi, 0 chỗ còn thiếu, 1 cảnh báo.\n")
    assert err.endswith("Chế độ --strict: 1 chỗ còn thiếu và cảnh báo được tính là lỗi.\n")


def test_notes_are_counted_and_listed_with_verbose(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong-goi-nho"])  # OCOP papers not on hand
    notes = [p for p in pipeline.check(products, date(2026, 11, 29)).problems if p.severity == "info"]
    assert len(notes) == 5  # with the quality-management papers: VietGAP is a good practice, not a system
    code, _, err = run("check", "--products", str(products), "--as-of", "2026-11-29")
    assert code == 0 and "THÔNG TIN]" not in err
    assert err == (f"Có thêm {len(notes)} ghi chú (mức THÔNG TIN, ví dụ minh chứng OCOP chưa có); thêm --verbose "
                   "để xem, hoặc mở báo cáo tình trạng hồ sơ.\n")
    code, _, verbose = run("check", "--products", str(products), "--as-of", "2026-11-29", "--verbose")
    assert code == 0
    assert verbose.splitlines()[0] == f"{len(notes)} vấn đề trong 1 tệp:"
    assert verbose.count(", THÔNG TIN") == len(notes)
    assert "Có thêm" not in verbose


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("build", "--only", "poster") == (2, "", (
        "ocopdocs: argument --only: Không có loại tài liệu “poster”; các loại có: "
        f"{', '.join(k.id for k in KINDS)}.\n"))
    nowhere = tmp_path / "nowhere"
    assert run("build", "--products", str(nowhere)) == (2, "", f"ocopdocs: Không có thư mục sản phẩm, thư mục tổ chức hay tệp sản phẩm {nowhere}.\n")
    assert run("frobnicate") == (2, "", "ocopdocs: LỆNH: không có “frobnicate”; chọn một trong: build, check, rules, new, schema, import, export, serve, stamps\n")


def test_build_py_defaults_to_build(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong"])
    code, out, _ = run("--products", str(products), "--output", str(tmp_path / "o"), "--only", "label")
    assert code == 0
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(d["path"] for d in manifest["documents"]) == [
        "htx-khuoi-dong/mien-dong/label-200g.pdf", "htx-khuoi-dong/mien-dong/label-500g.pdf"]
    assert re.search(summary(2), out)


def test_info_prints_versions() -> None:
    import weasyprint

    code, out, err = run("--info")
    assert (code, err) == (0, "")
    versions = info()
    subset = "có (libharfbuzz-subset)" if versions["harfbuzz_subset"] == "yes" else (
        "không: cài gói libharfbuzz-subset0 để dựng nhanh hơn khoảng 7 lần")
    assert out.splitlines() == [f"ocopdocs {__version__}",
                                f"Python {platform.python_version()} ({sys.executable})",
                                f"WeasyPrint {weasyprint.__version__}",
                                f"Pango {versions['pango']}",
                                f"HarfBuzz subset: {subset}"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", versions["pango"])


def test_only_judges_on_the_kinds_it_builds(tmp_path: Path) -> None:
    """Perfect labels exit 0 under --only label, whatever gaps the dossiers have; the gaps count otherwise."""
    products = copy_sample(tmp_path, "htx-lung-vai", ["o-mai-mo"])  # ô mai has no test report: a dossier gap
    code, _, err = run("build", "--products", str(products), "--output", str(tmp_path / "a"),
                         "--as-of", "2026-11-29", "--only", "label", "--strict")
    assert code == 0 and "CÒN THIẾU" not in err, err
    code, _, err = run("build", "--products", str(products), "--output", str(tmp_path / "b"),
                         "--as-of", "2026-11-29", "--strict")
    assert code == 1 and "fs-field-missing, CÒN THIẾU" in err
