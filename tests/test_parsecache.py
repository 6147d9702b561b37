"""The parse cache: files parsed by an earlier build give exactly what parsing them gives."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from ocopdocs import markimage, parsecache, pipeline
from ocopdocs.loader import Project, load_project
from ocopdocs.parsecache import CACHE_FILE, ParseCache
from ocopdocs.yamlio import YamlDoc

from .conftest import PRODUCTS, TEMPLATES, write_tree

PRODUCER = (PRODUCTS / "htx-khuoi-dong" / "producer.yaml").read_text(encoding="utf-8")
PRODUCT = (PRODUCTS / "htx-khuoi-dong" / "mien-dong.yaml").read_text(encoding="utf-8")

BROKEN: dict[str, bytes] = {
    "unclosed-quote": b'name:\n  vi: "M\xc3\xacen\nkind: x\n',
    "tab": b"name:\n\tvi: x\n",
    "duplicate-key": PRODUCT.replace("storage:", "storage: a\nstorage:", 1).encode(),
    "invisible": PRODUCT.replace("storage: \"", "storage: \"\u200b", 1).encode(),
    "bidi-key": ("\u202ename: x\n" + PRODUCT).encode(),
    "latin1": "name: Mi\xean\n".encode("latin-1"),
    "utf16": "name: x\n".encode("utf-16"),
    "control": b"name: a\x07b\n",
    "alias-bomb": b"a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                  b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
    "deep": ("a:\n" + "".join("  " * i + f"- b{i}:\n" for i in range(1, 45))).encode(),
    "odd-keys": b"1: a\n2026-01-01: b\nno: c\n~: d\n$date: e\n1.5: f\n",
    "odd-values": b"a: !!binary aGVsbG8=\nb: 2026-01-01 10:00:00+07:00\nc: .nan\nd: -.inf\ne: "
                  + str(10**40).encode() + b"\nf: 2026-02-30\ng: {$date: x}\nh: [1.0, -0.0, 1e300]\n",
    "python-tag": b"a: !!python/object:os.system x\n",
    "surrogate": b'name: "\\ud800"\n',
    "empty": b"",
    "comments": b"# only a comment\n",
    "a-list": b"- a\n- b\n",
    "date-as-text": PRODUCT.replace("storage: \"", "storage: 2026-01-01\nx_storage: \"", 1).encode(),
    "to-fill": PRODUCT.replace("storage: \"", "storage: \"[ĐIỀN] cách bảo quản ", 1).encode(),
    "bad-gtin": PRODUCT.replace("8936043120011", "8936043120015", 1).encode(),
    "two-documents": b"a: 1\n---\nb: 2\n",
}


def _tree(root: Path, samples: bool = True) -> Path:
    """Every sample (or none), and one broken file of each kind in a producer folder of its own."""
    products = root / "products"
    if samples:
        shutil.copytree(PRODUCTS, products, ignore=shutil.ignore_patterns(".*"))
    write_tree(products, {"htx-broken/producer.yaml": PRODUCER})
    for name, raw in BROKEN.items():
        (products / "htx-broken" / f"{name}.yaml").write_bytes(raw)
    (products / "htx-bad-producer").mkdir()
    (products / "htx-bad-producer" / "producer.yaml").write_bytes(BROKEN["duplicate-key"])
    (products / "htx-bad-producer" / "mien-dong.yaml").write_text(PRODUCT, encoding="utf-8")
    os.mkfifo(products / "htx-broken" / "fifo.yaml")  # not a file: never read, never cached
    return products


def typed(value: Any) -> Any:
    """``value`` with the type of every part, so that 1, 1.0 and True, or a date and its text, differ."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    return (type(value).__name__, repr(value))


def docs(project: Project) -> list[YamlDoc]:
    return [*(p.doc for p in project.producers), *(e.doc for e in project.products)]


def same(cached: Project, parsed: Project) -> None:
    """The cached load gives what parsing gives: problems (file, line, field, message), data, models."""
    assert cached.problems == parsed.problems
    assert len(docs(cached)) == len(docs(parsed))
    for a, b in zip(docs(cached), docs(parsed), strict=True):
        assert (a.path, a.display, typed(a.data), a.lines, a.problems, a.values_seen, a.digest) == \
               (b.path, b.display, typed(b.data), b.lines, b.problems, b.values_seen, b.digest), a.display
    assert [(e.id, e.model, e.marked) for e in cached.products] == [(e.id, e.model, e.marked)
                                                                     for e in parsed.products]
    assert [(p.slug, p.model, p.marked) for p in cached.producers] == [(p.slug, p.model, p.marked)
                                                                        for p in parsed.producers]


def test_every_sample_and_broken_file_gives_the_same_problems_from_the_cache(tmp_path: Path) -> None:
    products = _tree(tmp_path)
    parsed = load_project(products)
    assert {p.code for p in parsed.problems} >= {
        "yaml-syntax", "yaml-duplicate-key", "text-invisible-char", "file-not-utf8", "yaml-unsupported",
        "file-not-regular", "value-to-fill", "producer-invalid", "unknown-field", "wrong-type-text"}
    first = ParseCache()
    same(load_project(products, first), parsed)
    assert first.hits == 0 and first.misses == len(docs(parsed)) - 1  # the FIFO is not read
    data = first.encode()
    assert data is not None
    again = ParseCache.decode(data)
    same(load_project(products, again), parsed)
    assert again.hits == first.misses and again.misses == 0 and not again.changed


def test_messages_of_another_language_are_not_taken_from_the_cache(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    products = _tree(tmp_path)
    vi = ParseCache()
    load_project(products, vi)
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    english = ParseCache.decode(vi.encode() or b"")
    same(load_project(products, english), load_project(products))
    assert english.hits == 0


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Project, bytes]:
    """The broken files (no samples: quick to load again), as parsed, and their cache's bytes."""
    products = _tree(tmp_path_factory.mktemp("broken"), samples=False)
    cache = ParseCache()
    load_project(products, cache)
    return products, load_project(products), cache.encode() or b""


def _entries(data: bytes) -> dict[str, Any]:
    """The cache file's entries by key, as JSON."""
    return {key.decode(): json.loads(entry) for key, _, entry in
            (line.partition(b" ") for line in data.split(b"\n")[1:])}


@pytest.mark.parametrize("corrupt", [
    lambda d: b"\x00garbage" + d,
    lambda d: d[: len(d) // 2],
    lambda d: b"[]",
    lambda d: b'{"version": 1, "tool": "x", "entries": {}}',
    lambda d: d.replace(b'"ocopdocs-parse-cache": 1', b'"ocopdocs-parse-cache": 99', 1),
    lambda d: d.replace(b'"tool": "', b'"tool": "0', 1),
    lambda d: b"[" * 100000,
    lambda d: b"\n" + d,
])
def test_a_cache_that_is_not_ours_is_ignored(broken: tuple[Path, Project, bytes], corrupt: Any) -> None:
    products, parsed, data = broken
    ignored = ParseCache.decode(corrupt(data))
    same(load_project(products, ignored), parsed)  # a line cut short is that file parsed again


def _forge(entry: dict[str, Any], how: str) -> dict[str, Any]:
    forged = json.loads(json.dumps(entry))
    if how == "extra-key":
        forged["run"] = "os.system"
    elif how == "bad-date":
        forged["data"] = {"a": {"$date": "2026-13-45"}}
    elif how == "date-not-text":
        forged["data"] = {"a": {"$date": 5}}
    elif how == "bad-map":
        forged["data"] = {"$map": [[["unhashable"], 1]]}
    elif how == "finite-float-tag":
        forged["data"] = {"a": {"$float": "1.5"}}
    elif how == "bad-bytes":
        forged["data"] = {"a": {"$bytes": "not base64!"}}
    elif how == "lines-not-numbers":
        forged["at"] = ["one"] * len(forged["at"])
    elif how == "more-lines-than-places":
        forged["at"].append(1)
    elif how == "place-not-a-list":
        forged["locs"] = [5] * len(forged["locs"])
    elif how == "unhashable-place":
        forged["locs"] = [[["a"]]] * len(forged["locs"])
    elif how == "bad-severity":
        forged["problems"] = [[1, "", "x", "y", "fatal", None, "input"]]
    elif how == "bad-area":
        forged["problems"] = [[1, "", "x", "y", "error", None, "anywhere"]]
    elif how == "short-problem":
        forged["problems"] = [[1, "", "x"]]
    elif how == "values-not-int":
        forged["values"] = "many"
    elif how == "nan":
        forged["data"] = {"a": float("nan")}
    return forged


FORGERIES = ["extra-key", "bad-date", "date-not-text", "bad-map", "finite-float-tag", "bad-bytes",
             "lines-not-numbers", "more-lines-than-places", "place-not-a-list", "unhashable-place", "bad-severity",
             "bad-area", "short-problem", "values-not-int", "nan", "not-json", "deep"]


@pytest.mark.parametrize("how", FORGERIES)
def test_an_entry_of_any_other_shape_is_parsed_again(broken: tuple[Path, Project, bytes], how: str) -> None:
    products, parsed, data = broken
    head, *lines = data.split(b"\n")
    forged_lines, untouched = [head], 0
    for line in lines:
        key, _, entry = line.partition(b" ")
        if how == "not-json":
            body = entry[:-3]
        elif how == "deep":
            body = b'{"data":' + b"[" * 100000
        else:
            body = json.dumps(_forge(json.loads(entry), how)).encode()
            untouched += json.loads(body) == json.loads(entry)  # nothing to forge (a file with no lines)
        forged_lines.append(key + b" " + body)
    forged = ParseCache.decode(b"\n".join(forged_lines))
    assert forged.old and untouched < len(lines)
    same(load_project(products, forged), parsed)
    assert forged.hits == untouched and forged.changed


def test_a_build_keeps_the_cache_of_what_it_read_in_the_output_folder(tmp_path: Path) -> None:
    products = write_tree(tmp_path / "products", {
        "htx-a/producer.yaml": PRODUCER, "htx-a/mien-dong.yaml": PRODUCT,
        "htx-a/broken.yaml": BROKEN["unclosed-quote"].decode()})
    output = tmp_path / "output"

    def build() -> pipeline.BuildResult:
        return pipeline.build(products, output, TEMPLATES, only=[], as_of=date(2026, 11, 29))

    first = build()
    cache = output / CACHE_FILE
    assert len(_entries(cache.read_bytes())) == 3
    written = cache.stat().st_mtime_ns
    second = build()
    assert second.problems == first.problems
    assert cache.stat().st_mtime_ns == written  # nothing parsed: nothing written
    (products / "htx-a" / "broken.yaml").unlink()
    build()
    assert len(_entries(cache.read_bytes())) == 2  # only what the last build read: never grows
    assert not list(cache.parent.glob("*.tmp"))


def test_a_cache_too_large_is_neither_read_nor_written(tmp_path: Path, broken: tuple[Path, Project, bytes],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    products, _, data = broken
    cache = ParseCache()
    load_project(products, cache)
    monkeypatch.setattr(parsecache, "MAX_CACHE_BYTES", len(data) - 1)
    assert cache.encode() is None
    (tmp_path / "out" / parsecache.CACHE_FOLDER).mkdir(parents=True)
    (tmp_path / "out" / CACHE_FILE).write_bytes(data)
    assert ParseCache.read(tmp_path / "out").old == {}


def test_a_new_ocopdocs_starts_an_empty_cache(broken: tuple[Path, Project, bytes],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, data = broken
    assert ParseCache.decode(data).old
    monkeypatch.setattr(parsecache, "tool_hash", lambda: "another version")
    assert ParseCache.decode(data).old == {}


def test_whether_a_mark_is_grey_is_kept_between_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    image = tmp_path / "mark.png"
    Image.new("RGB", (40, 30), (200, 30, 30)).save(image)
    digest = hashlib.sha256(image.read_bytes()).hexdigest()
    monkeypatch.setattr(markimage, "_GREYS", {})
    markimage._inspect.cache_clear()

    def looked_at() -> markimage.MarkFile:
        found = markimage.inspect(tmp_path, "mark.png", 1024, 10**7)
        assert isinstance(found, markimage.MarkFile)
        return found

    first = ParseCache.decode(b"")  # a build begins, with no cache
    assert looked_at().greyscale is False
    assert first.changed
    data = first.encode()
    assert data is not None and f"{digest}:grey 0".encode() in data.split(b"\n")

    # the next build, in a new process: the answer comes from the cache, the pixels stay undecoded
    monkeypatch.setattr(markimage, "_GREYS", {})
    markimage._inspect.cache_clear()
    monkeypatch.setattr(markimage, "_raster_is_grey", lambda image: pytest.fail("decoded again"))
    second = ParseCache.decode(data)
    assert second.greys == {digest: False}
    assert looked_at().greyscale is False
    assert not second.changed and second.encode() == data

    # an answer of another shape is no answer
    monkeypatch.setattr(markimage, "_GREYS", {})
    assert ParseCache.decode(data.replace(b":grey 0", b":grey 2")).greys == {}
