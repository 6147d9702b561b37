"""The command line as people expect: help in Vietnamese (English on request) with the exit codes
and the language setting, ``--products`` naming a folder, a producer or one file, colour on a
terminal only, a progress bar with ETA on a terminal and one line per document in logs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ocopdocs.cli import main

from .conftest import copy_sample


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCOPDOCS_LANG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def run(*argv: str, out: io.StringIO | None = None, err: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = out or io.StringIO(), err or io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def help_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_help_is_vietnamese_with_exit_codes_and_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run()  # bare ocopdocs
    assert code == 0
    assert out.startswith("cách dùng: ocopdocs")
    assert "tùy chọn:" in out and "in trợ giúp này rồi thoát" in out
    assert "Mã thoát:" in out and "  3  lỗi của chính ocopdocs" in out and "  2  dòng lệnh sai" in out
    assert "OCOPDOCS_LANG=en" in out and "--lang" in out
    out = help_of(capsys, "build", "--help")
    assert "Mã thoát:" in out and "một tệp sản phẩm" in out and "15/09/2026" in out


def test_help_in_english_with_lang_or_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = help_of(capsys, "--lang", "en", "--help")
    assert out.startswith("usage: ocopdocs") and "Exit codes:" in out
    assert "a bug in ocopdocs itself" in out and "OCOPDOCS_LANG=en" in out
    out = help_of(capsys, "check", "--help", "--lang=en")  # anywhere on the line
    assert "one product file" in out
    import os
    assert "OCOPDOCS_LANG" not in os.environ  # the option lasts for its run only
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    assert run()[1].startswith("usage: ocopdocs")
    assert run("--lang", "fr") == (2, "", "ocopdocs: There is no language “fr”; ocopdocs speaks: vi, en.\n")


def test_usage_errors_in_the_users_language() -> None:
    assert run("buidl")[2] == ("ocopdocs: LỆNH: không có “buidl”; chọn một trong: build, check, rules, new, "
                               "schema, import, export, serve, stamps; có phải bạn định viết “build” thay cho “buidl”?\n")
    assert run("--lang", "en", "check", "--strickt")[2] == (
        "ocopdocs: not understood: --strickt; did you mean “--strict” instead of “--strickt”?\n")


def broken(tmp_path: Path) -> Path:
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong", "tinh-bot-dong-rieng"])
    path = products / "htx-khuoi-dong" / "mien-dong.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("group: thuc_pham", "group: banh"),
                    encoding="utf-8")
    return products


def test_colour_on_a_terminal_only_and_never_with_no_color(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    products = broken(tmp_path)
    code, _, err = run("check", "--products", str(products), err=Terminal())
    assert code == 1
    assert "\033[1;31mLỖI\033[0m" in err
    _, _, plain = run("check", "--products", str(products))  # a pipe or a log
    assert "\033[" not in plain and "LỖI" in plain
    monkeypatch.setenv("NO_COLOR", "1")
    _, _, no_color = run("check", "--products", str(products), err=Terminal())
    assert "\033[" not in no_color and "LỖI" in no_color


def test_english_counts_are_plural_correct(tmp_path: Path) -> None:
    products = broken(tmp_path)
    _, out, err = run("--lang", "en", "check", "--products", str(products / "htx-khuoi-dong" / "mien-dong.yaml"))
    assert "2 problems in 1 file:" in err
    assert "Checked 1 product of 1 producer: 2 errors, 0 gaps, 0 warnings." in out, out


def test_products_takes_a_producer_folder_or_one_product_file(tmp_path: Path) -> None:
    products = broken(tmp_path)
    folder = products / "htx-khuoi-dong"
    code, out, err = run("check", "--products", str(folder / "tinh-bot-dong-rieng.yaml"))
    assert code == 0, err
    assert "mien-dong.yaml" not in err  # the other product's error is not this file's
    assert "1 sản phẩm của 1 tổ chức" in out
    code, out, err = run("check", "--products", str(folder))
    assert code == 1 and "mien-dong.yaml" in err and "2 sản phẩm của 1 tổ chức" in out
    assert run("check", "--products", str(folder / "nothing.yaml"))[0] == 2


def test_build_of_one_product_file_keeps_the_others(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong", "tinh-bot-dong-rieng"])
    output = tmp_path / "out"
    assert run("build", "--products", str(products), "--output", str(output), "--only", "label", "--jobs", "1",
               "--as-of", "2026-11-29")[0] == 0
    before = json.loads((output / "manifest.json").read_text(encoding="utf-8"))["documents"]
    starch = products / "htx-khuoi-dong" / "tinh-bot-dong-rieng.yaml"
    starch.write_text(starch.read_text(encoding="utf-8").replace("lot:", "lot:  # edited", 1), encoding="utf-8")
    code, out, err = run("build", "--products", str(products / "htx-khuoi-dong" / "mien-dong.yaml"),
                         "--output", str(output), "--only", "label", "--jobs", "1", "--as-of", "2026-11-29",
                         "--force")
    assert code == 0, err
    rendered = [line for line in out.splitlines() if line.startswith("[")]
    assert rendered and all("mien-dong/" in line for line in rendered), rendered  # only that product
    after = json.loads((output / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert [d["path"] for d in after] == [d["path"] for d in before]  # the others are kept
    assert (output / "htx-khuoi-dong" / "tinh-bot-dong-rieng").is_dir()


def test_progress_bar_on_a_terminal_lines_in_logs(tmp_path: Path) -> None:
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong"])
    out = Terminal()
    code, shown, err = run("build", "--products", str(products), "--output", str(tmp_path / "out"), "--only",
                           "label", "--jobs", "1", "--as-of", "2026-11-29", out=out)
    assert code == 0, err
    assert "2/2" in shown and "tài liệu" in shown and "còn khoảng" in shown  # done of all, time left
    assert "nhãn Miến dong – 200 g" in shown  # the current document
    assert "[1/2]" not in shown  # no log lines on a terminal
