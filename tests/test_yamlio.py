"""Reading YAML safely and remembering the line of every value."""

from __future__ import annotations

import time
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from ocopdocs import yamlio
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
        "p.yaml:3: Tệp viết sai cú pháp YAML ở cột 17 của dòng này: mapping values are not allowed here.",
    ]
    assert doc.problems[0].code == "yaml-syntax"


def test_syntax_error_tab_indent(tmp_path, monkeypatch):
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    doc = load(tmp_path, "claims:\n\t- a\n")
    assert [str(p) for p in doc.problems] == [
        "p.yaml:2: The file is not valid YAML at column 1 of this line: "
        "found character '\\t' that cannot start any token.",
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
    doc = load(tmp_path, "name: Mi\xe9n\n".encode("latin-1"))
    assert doc.data is None
    assert [(p.code, p.line) for p in doc.problems] == [("file-unreadable", None)]


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


def test_utf16_is_refused_not_misread(tmp_path):
    doc = load(tmp_path, "name: Miến\n".encode("utf-16"))
    assert doc.data is None
    assert [p.code for p in doc.problems] == ["file-unreadable"]


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
