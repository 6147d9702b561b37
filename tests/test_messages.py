"""The message catalogue: both languages complete, and every key the code uses defined."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path
from types import ModuleType

import pytest

import ocopdocs
from ocopdocs import messages
from ocopdocs.documents.kinds import KINDS
from ocopdocs.messages import EN, VI, t

PACKAGE = Path(ocopdocs.__file__).parent
CATALOGUE = Path(messages.__file__).parent
# The code that uses keys: every module of the package but the catalogue, which defines them.
SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts and CATALOGUE not in p.parents)
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

# Functions whose first argument is a catalogue key, and the placeholders they fill themselves.
KEYED_CALLS = {"t": set(), "fail": set(), "problem": {"document"}, "RenderFailure": {"document"},
               "Finding": set()}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def keyed_calls() -> list[tuple[str, int, str, ast.Call]]:
    """(file, line, function, call) for every call of a keyed function in the package."""
    found = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in KEYED_CALLS and node.args:
                found.append((path.relative_to(PACKAGE).as_posix(), node.lineno, _name(node.func), node))
    return found


def literal_keys() -> dict[str, list[str]]:
    """Catalogue keys written literally as the first argument of a keyed call → where."""
    keys: dict[str, list[str]] = {}
    for file, line, _, call in keyed_calls():
        first = call.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            keys.setdefault(first.value, []).append(f"{file}:{line}")
    return keys


def prefixes() -> set[str]:
    """Prefixes of keys built with f-strings, such as ``t(f"item-{item}")``."""
    found = set()
    for _, _, _, call in keyed_calls():
        first = call.args[0]
        if isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
            found.add(first.values[0].value)
    return found


def regex_keys() -> set[str]:
    """The same keys found the simple way, as a cross-check of the AST walk."""
    pattern = re.compile(r'\b(?:t|fail|problem|RenderFailure)\(\s*"([a-z0-9-]+)"')
    return {key for path in SOURCES for key in pattern.findall(path.read_text(encoding="utf-8"))}


# ------------------------------------------------------------------------- catalogues


def test_catalogues_have_the_same_keys():
    assert sorted(set(VI) - set(EN)) == []
    assert sorted(set(EN) - set(VI)) == []
    assert messages.CATALOGUES == {"vi": VI, "en": EN}


def area_name(area: ModuleType) -> str:
    return area.__name__.rpartition(".")[2]


def fake_area(name: str, vi: dict[str, str], en: dict[str, str]) -> ModuleType:
    area = ModuleType(f"ocopdocs.messages.{name}")
    area.VI, area.EN = vi, en
    return area


def test_every_area_module_is_merged():
    on_disk = {p.stem for p in CATALOGUE.glob("*.py")} - {"__init__"}
    assert sorted(area_name(a) for a in messages.AREAS) == sorted(on_disk)
    assert CATALOGUE / "__init__.py" in PACKAGE.rglob("*.py")
    assert not [p for p in SOURCES if CATALOGUE in p.parents]


@pytest.mark.parametrize("area", messages.AREAS, ids=area_name)
def test_each_area_has_the_same_keys_in_both_languages(area):
    assert sorted(set(area.VI) - set(area.EN)) == []
    assert sorted(set(area.EN) - set(area.VI)) == []
    assert list(area.VI) == list(area.EN), "keep VI and EN in the same order, so they read side by side"


def test_no_key_is_in_two_areas():
    areas: dict[str, list[str]] = {}
    for area in messages.AREAS:
        for key in area.VI:
            areas.setdefault(key, []).append(area_name(area))
    assert {key: names for key, names in areas.items() if len(names) > 1} == {}
    assert {key: text for area in messages.AREAS for key, text in area.VI.items()} == VI
    assert {key: text for area in messages.AREAS for key, text in area.EN.items()} == EN


def test_a_hint_lives_with_its_message():
    area_of = {key: area_name(area) for area in messages.AREAS for key in area.VI}
    hints = [key for key in VI if key.startswith("hint-")]
    assert hints
    assert [k for k in hints if area_of.get(k.removeprefix("hint-")) != area_of[k]] == []


def test_merging_fails_on_a_key_in_two_areas():
    one = fake_area("one", {"x": "Một"}, {"x": "One"})
    two = fake_area("two", {"x": "Hai"}, {"x": "Two"})
    with pytest.raises(ValueError, match=r"'x' is defined in both ocopdocs.messages.one and ocopdocs.messages.two"):
        messages._merge([one, two])


def test_merging_fails_when_an_area_lacks_a_translation():
    area = fake_area("one", {"x": "Một", "y": "Hai"}, {"x": "One", "z": "Three"})
    with pytest.raises(ValueError, match=r"one: VI and EN have different keys: only in VI \['y'\], only in EN \['z'\]"):
        messages._merge([area])
    assert messages._merge([fake_area("one", {"x": "Một"}, {"x": "One"})]) == {"vi": {"x": "Một"}, "en": {"x": "One"}}


def test_keys_are_well_formed():
    assert [k for k in VI if not KEY.match(k)] == []


@pytest.mark.parametrize("key", sorted(VI))
def test_placeholders_identical(key):
    assert placeholders(VI[key]) == placeholders(EN[key])


@pytest.mark.parametrize("key", sorted(VI))
def test_every_message_formats(key):
    values = {name: "<" + name + ">" for name in placeholders(VI[key])}
    for catalogue in (VI, EN):
        text = messages.fill(catalogue[key], **values)
        assert text.strip() == text
        assert text
        assert "{" not in text and "}" not in text


@pytest.mark.parametrize("key", sorted(VI))
def test_the_fast_fill_matches_the_plural_formatter(key):
    values = {name: 3 for name in placeholders(VI[key])}
    for catalogue in (VI, EN):
        try:
            expected = messages._PLURALS.format(catalogue[key], **values)
        except (ValueError, TypeError):  # a spec for text, such as "{name:>10}", given a number
            values = {name: "<" + name + ">" for name in values}
            expected = messages._PLURALS.format(catalogue[key], **values)
        assert messages.fill(catalogue[key], **values) == expected


def test_english_counts_are_plural_correct():
    assert messages.fill("{count:# problem|# problems} in {files:# file|# files}:", count=7, files=1) == \
        "7 problems in 1 file:"
    assert messages.fill("{count:# problem|# problems}", count=1) == "1 problem"
    assert messages.fill("{count:>3}", count=1) == "  1"  # ordinary specs still work


def test_english_counts_use_plural_forms():
    """Every count in an English sentence picks its form: no "1 files" anywhere."""
    counted = re.compile(r"\{(count|files|products|producers|errors|gaps|warnings|built|kept|total|days|pages"
                         r"|rows|stars)\} (more )?(?!is\b|has\b|does\b)[a-z]+s\b")
    # the report page's script fills its own counts in (a table of products is always plural there)
    assert [k for k, text in EN.items() if counted.search(text) and not k.startswith("page-")] == []


@pytest.mark.parametrize("key", sorted(VI))
def test_vietnamese_is_vietnamese(key):
    """Catch an English sentence pasted into the Vietnamese catalogue (or vice versa)."""
    if VI[key] == EN[key]:
        # Only a format line without words may be the same in both.
        assert not re.search(r"[a-z]{4,}", re.sub(r"\{[a-z_]+\}", "", VI[key]))


# ------------------------------------------------------------------------ keys in use


def test_source_scan_finds_keys():
    """The scan itself works: it sees keys we know are used, and agrees with a plain regex."""
    keys = literal_keys()
    for known in ("gtin-prefix", "missing-field", "yaml-syntax", "unknown-field-suggest",
                  "label-mandatory-item", "cli-summary", "render-overflow"):
        assert known in keys
    assert regex_keys() <= set(keys)
    assert {"item-", "kind-"} <= prefixes()


def test_every_cli_key_is_in_both_catalogues():
    """CLI keys are sometimes chosen first (``key = "cli-progress" if ok else ...``), then used."""
    keys = {node.value for path in SOURCES for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and re.fullmatch(r"cli-[a-z-]+[a-z]", node.value)}
    assert {"cli-progress", "cli-progress-failed"} <= keys
    assert sorted(k for k in keys if k not in VI or k not in EN) == []


def test_every_literal_key_is_in_both_catalogues():
    missing = {key: where for key, where in literal_keys().items() if key not in VI or key not in EN}
    assert missing == {}


def test_every_keyed_call_fills_exactly_the_placeholders():
    wrong = []
    for file, line, function, call in keyed_calls():
        first = call.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)) or first.value not in VI:
            continue
        if any(k.arg is None for k in call.keywords):  # **values: checked where they are built
            continue
        given = {k.arg for k in call.keywords} | KEYED_CALLS[function]
        if function == "Finding":  # Finding(code, {values}, ...): the rule runner adds {document}
            if len(call.args) < 2 or not isinstance(call.args[1], ast.Dict):
                continue
            given = {k.value for k in call.args[1].keys if isinstance(k, ast.Constant)}
            given |= {"document"} if first.value.startswith("pdf-") else set()
        if given != placeholders(VI[first.value]):
            wrong.append(f"{file}:{line}: {first.value}: gives {sorted(given)}, "
                         f"needs {sorted(placeholders(VI[first.value]))}")
    assert wrong == []


def test_only_known_prefixes_are_built_dynamically():
    assert prefixes() == {"item-", "kind-", "hint-", "cli-severity-", "report-doc-"}


def test_every_report_status_has_words():
    from typing import get_args

    from ocopdocs.report import Status

    keys = [f"report-doc-{status}" for status in get_args(Status)]
    assert [k for k in keys if k not in VI or k not in EN] == []


def test_every_rule_has_a_message_and_a_hint_in_both_catalogues():
    from ocopdocs.rules import catalogue

    missing = [key for code in catalogue().codes() for key in (code, f"hint-{code}")
               if key not in VI or key not in EN]
    assert missing == []
    assert {"cli-severity-error", "cli-severity-warning"} <= set(VI) & set(EN)


def test_every_label_item_has_a_noun_phrase():
    from ocopdocs.law import label_law
    from ocopdocs.rules import label as data

    items = {item for group in label_law().groups.values() for item in group.items} | set(data._PROVIDED)
    assert sorted(f"item-{i}" for i in items if f"item-{i}" not in VI or f"item-{i}" not in EN) == []


def test_every_document_kind_has_a_name():
    assert KINDS
    assert sorted(k.name_key for k in KINDS if k.name_key not in VI or k.name_key not in EN) == []


def test_loader_codes_are_in_both_catalogues():
    from ocopdocs import loader

    codes = set(loader._TYPE_CODES.values()) | set(loader._PATTERN_CODES.values()) | {"ins-format"}
    assert sorted(c for c in codes if c not in VI or c not in EN) == []


def test_loader_passes_every_fail_code_through():
    """A code raised with schema.fail() must reach the user as its own sentence, not wrapped."""
    from ocopdocs import loader, schema

    fail_codes = {key for _, _, function, call in keyed_calls() if function == "fail"
                  for key in [getattr(call.args[0], "value", None)] if isinstance(key, str)}
    assert "gs1-prefix-digits" in fail_codes
    for code in sorted(fail_codes):
        error = {"type": code, "msg": "the sentence", "loc": ("x",), "input": "v"}
        assert loader._translate(error, schema.Product, ("x",)) == (code, "the sentence"), code


# -------------------------------------------------------------------------- language


@pytest.mark.parametrize(("setting", "expected"), [
    (None, "vi"), ("vi", "vi"), ("en", "en"), ("EN", "en"), ("en_GB.UTF-8", "en"), ("vi_VN", "vi"),
    ("fr", "vi"), ("", "vi"),
])
def test_language_selection(monkeypatch, setting, expected):
    if setting is None:
        monkeypatch.delenv("OCOPDOCS_LANG", raising=False)
    else:
        monkeypatch.setenv("OCOPDOCS_LANG", setting)
    assert messages.language() == expected


def test_t_fills_values_in_the_chosen_language(monkeypatch):
    monkeypatch.delenv("OCOPDOCS_LANG", raising=False)
    assert t("gtin-check-digit", expected=1, got=5) == \
        "Số kiểm tra (chữ số cuối) của mã GTIN phải là 1, nhưng đang là 5."
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    assert t("gtin-check-digit", expected=3, got=5) == "check digit should be 3, got 5."


def test_t_unknown_key_is_a_bug_not_a_message():
    with pytest.raises(KeyError):
        t("no-such-key")


def test_t_missing_value_is_a_bug():
    with pytest.raises(KeyError):
        t("gtin-check-digit", expected=1)
