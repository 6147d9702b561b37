"""Reading YAML safely and remembering the line of every value."""

from __future__ import annotations

import re
import time
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from ocopdocs import messages, yamlio
from ocopdocs.messages import t
from ocopdocs.yamlio import format_loc, load_yaml

PRODUCT = """\
name:
  vi: "Miến dong"
group: thuc_pham
claims:
  - "Không chất tẩy trắng"
  - "Không pha bột sắn"
packages:
  - sku: 500g
    gtin: "8936043120011"
    label:
      width_mm: 100
  - sku: 200g

    gtin: "8936043120028"
    languages: [vi, en]
lot: {code: L2604A, production_date: 2026-04-15}
"""


def load(tmp_path: Path, text: str | bytes, name: str = "p.yaml") -> yamlio.YamlDoc:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return load_yaml(path, name)


# ------------------------------------------------------------------------------ format_loc


@pytest.mark.parametrize(("loc", "expected"), [
    (("packages", 1, "gtin"), "packages[1].gtin"),
    (("packages", 0, "label", "width_mm"), "packages[0].label.width_mm"),
    (("claims", 1), "claims[1]"),
    (("name",), "name"),
    (("lot", "code"), "lot.code"),
    ((), ""),
    ((0, "x"), "[0].x"),
])
def test_format_loc(loc, expected):
    assert format_loc(loc) == expected


# ------------------------------------------------------------------------------- lines


def test_data(tmp_path):
    doc = load(tmp_path, PRODUCT)
    assert doc.problems == []
    assert doc.data == {
        "name": {"vi": "Miến dong"},
        "group": "thuc_pham",
        "claims": ["Không chất tẩy trắng", "Không pha bột sắn"],
        "packages": [
            {"sku": "500g", "gtin": "8936043120011", "label": {"width_mm": 100}},
            {"sku": "200g", "gtin": "8936043120028", "languages": ["vi", "en"]},
        ],
        "lot": {"code": "L2604A", "production_date": date(2026, 4, 15)},
    }


@pytest.mark.parametrize(("loc", "line"), [
    ((), 1),
    (("name",), 1),
    (("name", "vi"), 2),
    (("group",), 3),
    (("claims",), 4),
    (("claims", 0), 5),
    (("claims", 1), 6),
    (("packages",), 7),
    (("packages", 0), 8),
    (("packages", 0, "sku"), 8),
    (("packages", 0, "gtin"), 9),
    (("packages", 0, "label"), 10),
    (("packages", 0, "label", "width_mm"), 11),
    (("packages", 1), 12),
    (("packages", 1, "sku"), 12),
    (("packages", 1, "gtin"), 14),   # after a blank line
    (("packages", 1, "languages"), 15),
    (("packages", 1, "languages", 1), 15),
    (("lot",), 16),
    (("lot", "production_date"), 16),
])
def test_lines(tmp_path, loc, line):
    doc = load(tmp_path, PRODUCT)
    assert doc.lines[loc] == line
    assert doc.line_of(loc) == line


def test_line_of_falls_back_to_enclosing_field(tmp_path):
    doc = load(tmp_path, PRODUCT)
    # A field that is missing is reported at the mapping that lacks it.
    assert doc.line_of(("packages", 1, "net_quantity")) == 12
    assert doc.line_of(("packages", 0, "label", "height_mm")) == 10
    assert doc.line_of(("nutrition", "energy_kcal")) == 1


def test_problem_is_located(tmp_path):
    doc = load(tmp_path, PRODUCT)
    problem = doc.problem(("packages", 1, "gtin"), "gtin-check-digit", "Sai.")
    assert str(problem) == "p.yaml:14: packages[1].gtin: Sai."
    assert (problem.line, problem.field, problem.code, problem.severity) == (
        14, "packages[1].gtin", "gtin-check-digit", "error")


def test_merge_keys_resolve(tmp_path):
    doc = load(tmp_path, "base: &b {width_mm: 100, height_mm: 50}\nlabel:\n  <<: *b\n  bleed_mm: 3\n")
    assert doc.problems == []
    assert doc.data["label"] == {"width_mm": 100, "height_mm": 50, "bleed_mm": 3}


def test_merge_keys_can_be_overridden(tmp_path):
    doc = load(tmp_path, "base: &b {width_mm: 100, height_mm: 50}\nlabel:\n  <<: *b\n  height_mm: 60\n")
    assert doc.problems == []
    assert doc.data["label"] == {"width_mm": 100, "height_mm": 60}


def test_empty_file_is_an_empty_mapping(tmp_path):
    doc = load(tmp_path, "# only a comment\n")
    assert (doc.data, doc.problems) == ({}, [])


# ------------------------------------------------------------------------ duplicate keys


def test_duplicate_key_reports_both_lines(tmp_path):
    doc = load(tmp_path, "name:\n  vi: A\ngroup: thuc_pham\nstorage: x\ngroup: ruou\n")
    assert [str(p) for p in doc.problems] == [
        "p.yaml:5: group: Trường “group” được khai hai lần (lần đầu ở dòng 3); hãy giữ một.",
    ]
    assert doc.problems[0].code == "yaml-duplicate-key"
    assert doc.data["group"] == "thuc_pham"  # the first one is kept


def test_duplicate_nested_key_in_english(tmp_path, monkeypatch):
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    doc = load(tmp_path, "packages:\n  - sku: a\n  - sku: b\n    gtin: '1'\n    gtin: '2'\n")
    assert [str(p) for p in doc.problems] == [
        "p.yaml:5: packages[1].gtin: The field “gtin” is given twice (first at line 4); keep one.",
    ]


def test_duplicate_keys_all_reported(tmp_path):
    doc = load(tmp_path, "a: 1\nb: 2\na: 3\nb: 4\na: 5\n")
    assert [(p.line, p.field) for p in doc.problems] == [(3, "a"), (4, "b"), (5, "a")]
    assert all("dòng 1" in p.message for p in doc.problems if p.field == "a")


# ---------------------------------------------------------------------------- syntax


def test_syntax_error_has_line_and_column(tmp_path):
    doc = load(tmp_path, "name:\n  vi: A\ngroup: thuc_pham: x\n")
    assert doc.data is None
    assert [str(p) for p in doc.problems] == [
        "p.yaml:3: Dấu hai chấm ở cột 17 của dòng này không hợp lệ ở đây: có lẽ một giá trị có “: ” "
        "mà không đặt trong ngoặc kép, hoặc dòng này thụt đầu dòng sai.",
    ]
    assert doc.problems[0].code == "yaml-syntax"
    assert doc.problems[0].hint is not None and 'storage: "Bảo quản: nơi khô ráo"' in doc.problems[0].hint


def test_syntax_error_tab_indent(tmp_path, monkeypatch):
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    doc = load(tmp_path, "claims:\n\t- a\n")
    assert [str(p) for p in doc.problems] == [
        "p.yaml:2: There is a tab at column 1 of this line; YAML indents with spaces only.",
    ]


def test_unclosed_flow_sequence(tmp_path):
    doc = load(tmp_path, "a: 1\nlanguages: [vi, en\nb: 2\n")
    assert doc.data is None
    [problem] = doc.problems
    assert problem.code == "yaml-syntax"
    assert problem.line is not None and problem.line >= 2


def test_python_tags_refused(tmp_path):
    doc = load(tmp_path, "a: 1\nb: !!python/object:os.system echo\n")
    assert doc.data is None
    [problem] = doc.problems
    assert (problem.code, problem.line) == ("yaml-syntax", 2)
    assert "python/object:os.system" in problem.message


@pytest.mark.parametrize(("text", "tag"), [
    ("a: 1\nb: !!python/object/apply:os.system ['echo hi']\n",
     "tag:yaml.org,2002:python/object/apply:os.system"),
    ("a: 1\nb: !!set {x, y}\n", "tag:yaml.org,2002:set"),
    ("a: 1\nb: !custom [1]\n", "!custom"),
])
def test_tags_on_collections_refused(tmp_path, text, tag):
    doc = load(tmp_path, text)
    assert doc.data is None
    [problem] = doc.problems
    assert (problem.code, problem.line) == ("yaml-unsupported", 2)
    assert tag in problem.message


def test_explicit_plain_tags_allowed(tmp_path):
    doc = load(tmp_path, "a: !!map {b: !!seq [1]}\nc: !!str 12\n")
    assert (doc.data, doc.problems) == ({"a": {"b": [1]}, "c": "12"}, [])


def test_complex_key_refused(tmp_path):
    doc = load(tmp_path, "? [a, b]\n: c\n")
    assert doc.data is None
    assert [p.code for p in doc.problems] == ["yaml-syntax"]


# ------------------------------------------------------------------------------ limits


def _laughs(levels: int, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@pytest.mark.timeout(10)  # without the value limit this expands ~3.5 billion strings: fail, never hang
def test_billion_laughs_refused_quickly(tmp_path):
    text = _laughs(10)  # 9**10 ≈ 3.5 billion strings once expanded
    assert len(text) < 1000
    started = time.perf_counter()
    doc = load(tmp_path, text)
    elapsed = time.perf_counter() - started
    assert elapsed < 2
    assert doc.data is None
    [problem] = doc.problems
    assert problem.severity == "error"
    assert problem.code.startswith("yaml-")
    assert doc.values_seen <= yamlio.MAX_VALUES + 1


def test_modest_aliases_are_fine(tmp_path):
    doc = load(tmp_path, _laughs(3, width=3))
    assert doc.problems == []
    assert doc.data["a2"] == [[["lol"] * 3] * 3] * 3


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a {b: *a}\n", "x: 1\na: &a\n  - b: *a\n"])
def test_recursive_alias_is_a_problem_not_a_crash(tmp_path, text):
    doc = load(tmp_path, text)
    assert doc.data is None
    assert [(p.code, p.severity) for p in doc.problems] == [("yaml-unsupported", "error")]


def test_deep_nesting_refused(tmp_path):
    doc = load(tmp_path, "a: " + "[" * 100 + "]" * 100 + "\n")
    assert doc.data is None
    assert [(p.code, p.line) for p in doc.problems] == [("yaml-unsupported", 1)]


def test_ordinary_nesting_allowed(tmp_path):
    doc = load(tmp_path, "a: " + "[" * 20 + "]" * 20 + "\n")
    assert doc.problems == []


def test_very_deep_flow_nesting_is_a_problem_not_a_crash(tmp_path):
    doc = load(tmp_path, "a: " + "[" * 1000 + "]" * 1000 + "\n")
    assert doc.data is None
    assert [p.code for p in doc.problems] == ["yaml-unsupported"]


def test_file_over_256_kb_refused(tmp_path):
    size = 256 * 1024 + 1
    text = "a: 1\n" + "#" * (size - 6) + "\n"
    assert len(text.encode()) == size
    doc = load(tmp_path, text)
    assert doc.data is None
    assert [str(p) for p in doc.problems] == [
        "p.yaml: Tệp lớn hơn 256 KB, quá lớn cho một tệp khai báo; ocopdocs không đọc nó.",
    ]
    assert doc.problems[0].code == "yaml-too-large"


def test_file_of_exactly_256_kb_is_read(tmp_path):
    size = 256 * 1024
    text = "a: 1\n" + "#" * (size - 6) + "\n"
    assert len(text.encode()) == size
    doc = load(tmp_path, text)
    assert (doc.data, doc.problems) == ({"a": 1}, [])


def test_unreadable_file(tmp_path):
    doc = load_yaml(tmp_path / "missing.yaml", "missing.yaml")
    assert doc.data is None
    assert [p.code for p in doc.problems] == ["file-unreadable"]
    assert str(doc.problems[0]).startswith("missing.yaml: Không đọc được tệp: ")


def test_not_utf8(tmp_path):
    doc = load(tmp_path, "a: 1\nname: Mi\xe9n\n".encode("latin-1"))
    assert doc.data is None
    assert [(p.code, p.line) for p in doc.problems] == [("file-not-utf8", 2)]
    [problem] = doc.problems
    assert problem.message.startswith("Tệp không được lưu ở dạng UTF-8: byte 0xE9 ở cột 9 của dòng này")
    assert "codec" not in problem.message
    assert problem.hint is not None and "UTF-8" in problem.hint


# ------------------------------------------------------------------------------- text


def test_nfc_normalisation(tmp_path):
    decomposed = "Miê\u0301n dong"
    assert unicodedata.normalize("NFC", decomposed) == "Miến dong"
    assert decomposed != "Miến dong"
    doc = load(tmp_path, f'name:\n  vi: "{decomposed}"\nclaims: ["Kho\u0302ng"]\n')
    assert doc.data["name"]["vi"] == "Miến dong"
    assert doc.data["claims"] == ["Không"]
    assert unicodedata.is_normalized("NFC", doc.data["name"]["vi"])


def test_fully_decomposed_text_normalised(tmp_path):
    nfd = unicodedata.normalize("NFD", "Hợp tác xã Nông sản Khuổi Dong")
    doc = load(tmp_path, f"legal_name: {nfd}\n")
    assert doc.data == {"legal_name": "Hợp tác xã Nông sản Khuổi Dong"}


def test_keys_normalised_too(tmp_path):
    doc = load(tmp_path, "te\u0302n: 1\ntên: 2\n")
    assert doc.data == {"tên": 1}
    assert [(p.code, p.line) for p in doc.problems] == [("yaml-duplicate-key", 2)]


def test_bom(tmp_path):
    doc = load(tmp_path, b"\xef\xbb\xbf" + "name:\n  vi: Miến\ngroup: ruou\n".encode())
    assert doc.problems == []
    assert doc.data == {"name": {"vi": "Miến"}, "group": "ruou"}
    assert doc.lines[("group",)] == 3
    assert "\ufeff" not in next(iter(doc.data))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_is_refused_not_misread(tmp_path, encoding):
    doc = load(tmp_path, "name: Miến\n".encode(encoding))
    assert doc.data is None
    assert [(p.code, p.line) for p in doc.problems] == [("file-not-utf8", 1)]
    assert "UTF-16" in doc.problems[0].message and doc.problems[0].hint


def test_crlf_line_numbers(tmp_path):
    doc = load(tmp_path, b"a: 1\r\nb:\r\n  - x\r\n  - y\r\n")
    assert doc.data == {"a": 1, "b": ["x", "y"]}
    assert doc.lines[("b", 1)] == 4


def test_values_keep_yaml_types(tmp_path):
    doc = load(tmp_path, "n: 12\nf: 0.5\nb: true\nd: 2026-04-15\ns: '12'\nz: ~\n")
    assert doc.data == {"n": 12, "f": 0.5, "b": True, "d": date(2026, 4, 15), "s": "12", "z": None}


def test_impossible_unquoted_date_is_kept_as_text(tmp_path):
    """YAML reads 2026-02-30 as a date and fails; the text is kept for the schema to report."""
    doc = load(tmp_path, "lot:\n  production_date: 2026-02-30\n  print_date: 2026-02-28\n")
    assert doc.problems == []
    assert doc.data == {"lot": {"production_date": "2026-02-30", "print_date": date(2026, 2, 28)}}
    assert doc.lines[("lot", "production_date")] == 2


# ------------------------------------------------ hardening (issue 13): bad bytes, special files


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x0c", "\x1b", "\x7f", "\x86", "\x9f", "\ufffe"])
@pytest.mark.parametrize("where", ["value", "key", "block", "producer"])
def test_control_character_anywhere_is_a_syntax_problem(tmp_path, char, where):
    text = {"value": f"a: 1\nb: x{char}y\n", "key": f"a: 1\nb{char}: 2\n",
            "block": f"a: 1\nb: |\n  x\n  y{char}\n", "producer": f"legal_name: HTX\naddress: {char}\n"}[where]
    doc = load(tmp_path, text, "producer.yaml" if where == "producer" else "p.yaml")
    assert doc.data is None
    [problem] = doc.problems
    assert (problem.code, problem.line) == ("yaml-syntax", 4 if where == "block" else 2)
    assert f"U+{ord(char):04X}" in problem.message and problem.hint


@pytest.mark.parametrize("escape", ["\\x01", "\\0", "\\e", "\\x7f", "\\x85", "\\u200b", "\\ud800", "\\L"])
def test_escaped_control_character_is_refused_with_its_field(tmp_path, escape):
    doc = load(tmp_path, f'a: 1\nname:\n  vi: "Mi{escape}ến"\n')
    assert [(p.code, p.line, p.field) for p in doc.problems] == [("text-invisible-char", 3, "name.vi")]
    assert "ở vị trí thứ 3" in doc.problems[0].message


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e",
                                  "\u2066", "\u2069", "\u2060", "\ufeff", "\xad", "\u034f", "\u115f",
                                  "\u3164", "\ufe0f", "\ue000", "\U000e0041", "\U000f0000", "\u0378"])
def test_invisible_and_bidi_characters_are_refused_at_load(tmp_path, char):
    doc = load(tmp_path, f"a: 1\nname:\n  vi: Miến{char} dong\nclaims:\n  - ok\n  - x{char}\n")
    problems = [(p.code, p.line, p.field) for p in doc.problems]
    assert problems == [("text-invisible-char", 3, "name.vi"), ("text-invisible-char", 6, "claims[1]")]
    assert f"U+{ord(char):04X}" in doc.problems[0].message


def test_invisible_character_in_a_key_is_refused(tmp_path):
    doc = load(tmp_path, "a: 1\nna\u200bme: x\n")
    assert [(p.code, p.line, p.field) for p in doc.problems] == [("text-invisible-char", 2, "na\u200bme")]


def test_vietnamese_and_typography_are_not_invisible(tmp_path):
    text = ("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữự"
            "vxyỳýỷỹỵ AĂÂĐÊÔƠƯ – — … “ ” ‘ ’ • ° ± × ½ ≤ ≥ ™ ® © € ₫ µ ‰ № ¼ \u00a0")
    doc = load(tmp_path, f'a: "{text}"\n')
    assert doc.problems == []
    from .conftest import PRODUCTS
    for path in PRODUCTS.rglob("*.yaml"):
        assert [p for p in load_yaml(path, path.name).problems if p.code == "text-invisible-char"] == []


def test_an_impossible_date_as_a_key_is_text_not_a_crash(tmp_path):
    doc = load(tmp_path, "2026-02-30: x\n2026-02-31:\n  2026-13-01: y\n")
    assert doc.problems == []
    assert doc.data == {"2026-02-30": "x", "2026-02-31": {"2026-13-01": "y"}}


@pytest.mark.timeout(10)
def test_fifo_is_refused_without_blocking(tmp_path):
    import os
    os.mkfifo(tmp_path / "p.yaml")
    doc = load_yaml(tmp_path / "p.yaml", "p.yaml")
    assert [p.code for p in doc.problems] == ["file-not-regular"]


@pytest.mark.timeout(10)
@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom"])
def test_link_to_a_device_is_refused_unread(tmp_path, target):
    (tmp_path / "p.yaml").symlink_to(target)
    doc = load_yaml(tmp_path / "p.yaml", "p.yaml")
    assert [p.code for p in doc.problems] == ["file-not-regular"]


def test_folder_named_like_a_file_is_refused(tmp_path):
    (tmp_path / "p.yaml").mkdir()
    doc = load_yaml(tmp_path / "p.yaml", "p.yaml")
    assert [p.code for p in doc.problems] == ["file-not-regular"]


@pytest.mark.timeout(10)
def test_huge_sparse_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "p.yaml"
    with path.open("wb") as file:
        file.truncate(8 * 1024**3)  # 8 GB of holes: reading it would take minutes and the memory
    started = time.perf_counter()
    doc = load_yaml(path, "p.yaml")
    assert time.perf_counter() - started < 0.5
    assert [p.code for p in doc.problems] == ["yaml-too-large"]


def test_unreadable_file_says_why_in_words(tmp_path):
    doc = load_yaml(tmp_path / "missing.yaml", "missing.yaml")
    assert [str(p) for p in doc.problems] == ["missing.yaml: Không đọc được tệp: không có tệp hay thư mục này."]


# ---------------------------------------------------- hardening (issue 13): syntax in words


SYNTAX_CASES = [
    # (text, kind, line the problem points at, words the message must hold)
    ("a: 1\nb: x: y\n", "colon-in-value", 2, "cột 5"),
    ("a: 1\nb\nc: 2\n", "missing-colon", 2, "dòng 3"),
    ("a:\n\t- x\n", "tab", 2, "tab"),
    ("a: @x\n", "bad-start", 1, "“@”"),
    ("a: `x\n", "bad-start", 1, "“`”"),
    ('a: 1\nb: "abc\nc: 2\nd: 3\n', "quote", 2, "cột 4"),
    ("a: 1\nb: 'abc\nc: 2\n", "quote", 2, "cột 4"),
    ('a: "x\\qy"\n', "escape", 1, "(q)"),
    ("a: 1\nb: [x, y\nc: 2\n", "flow", 2, "“[”"),
    ("a: 1\nb: {x: 1, y: 2\nc: 2\n", "flow", 2, "“{”"),
    ("a: *nothing\n", "alias", 1, "“*”"),
    ("a: &\n", "alias", 1, "“&”"),
    ("a: !!python/object:os.system x\n", "tag", 1, "python/object:os.system"),
    ("a: !x!y z\n", "tag", 1, "!x!"),
    ("%YAML 2.0\n---\na: 1\n", "directive", 1, "“%”"),
    ("%TAG !x! tag:a,2000:\n%TAG !x! tag:b,2000:\n---\na: 1\n", "directive", 2, "“%”"),
    ("a: 1\n---\nb: 2\n", "documents", 2, "“---”"),
    ("a: |x\n  b\n", "block-scalar", 1, "“|”"),
    ("a: [, x]\n", "value-missing", 1, "“,”"),
    ("? [a, b]\n: c\n", "complex-key", 1, "phải là một chữ"),
    ("a:\n  b: 1\n c: 2\n", "indent", 3, "dòng 1"),
    ("a:\n  - x\n  y: 2\n", "indent", 3, "dòng 2"),
]


@pytest.mark.parametrize(("text", "kind", "line", "words"), SYNTAX_CASES)
def test_syntax_errors_in_words_with_a_fix(tmp_path, text, kind, line, words):
    doc = load(tmp_path, text)
    assert doc.data is None
    [problem] = doc.problems
    assert (problem.code, problem.line) == ("yaml-syntax", line)
    assert problem.message.startswith(messages.VI[f"yaml-syntax-{kind}"].split("{")[0])
    assert words in problem.message
    assert problem.hint == t(f"yaml-syntax-{kind}-fix")
    # the parser's English never reaches a Vietnamese user
    assert not re.search(r"\b(expected|found|while|scanning|parsing|allowed|token|mapping|block end)\b",
                         problem.message)


def test_every_syntax_kind_has_a_case():
    assert {kind for _, kind, _, _ in SYNTAX_CASES} == set(yamlio._SYNTAX_KEYS) - {"control-char"}


@pytest.mark.parametrize("key", sorted({*yamlio._SYNTAX_KEYS.values()}))
def test_every_syntax_message_fills_its_values(key):
    values = {"line": 7, "column": 3, "start_line": 5, "start_column": 9, "found": "x", "bracket": "["}
    for language in ("vi", "en"):
        for k in key:
            text = messages.CATALOGUES[language][k].format(**values)
            assert "{" not in text and text.strip() == text
