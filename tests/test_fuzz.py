"""Property-based fuzzing (hypothesis): whatever the files say, ocopdocs answers, never raises.

Generated inputs, valid and broken: the sample product and producer files with random fields
replaced (random types, lengths, unicode, control and invisible characters, dates from year 1 to
9999, nested structures) or random text spliced into the YAML, arbitrary bytes as a YAML file,
and random SVG documents and PNG headers as trademark marks. Each must give documents or
problems located at file, line and field: planning, every template, the report, the bundle
contents, the manifest and the printed lines run on the result, so a crash anywhere after
loading counts too.

Profiles: the test command runs ``ci`` (about 600 examples, 25 s). ``OCOPDOCS_FUZZ=long`` runs ``long``, 50
times as many examples (and rendered PDFs), about half an hour of CPU; ``OCOPDOCS_FUZZ=10`` ten
times as many. Run it with ``--hypothesis-show-statistics`` for the figures.
"""

from __future__ import annotations

import base64
import math
import os
import shutil
import struct
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ocopdocs import bundle, cli, output, pipeline, report
from ocopdocs.documents.trademark import plan_applications
from ocopdocs.errors import Problem
from ocopdocs.loader import load_project
from ocopdocs.markimage import MarkFile, Refused, inspect
from ocopdocs.render import Renderer
from ocopdocs.templating import make_env
from ocopdocs.workers import render_one
from ocopdocs.yamlio import load_yaml

from .conftest import PRODUCTS, TEMPLATES, fill_templates

_FUZZ = os.environ.get("OCOPDOCS_FUZZ", "")
SCALE = 50 if _FUZZ == "long" else int(_FUZZ) if _FUZZ.isdigit() else 1
"""How many times the test command's examples: ``OCOPDOCS_FUZZ=long`` (50) or a number."""
_COMMON = {"deadline": None, "suppress_health_check": list(HealthCheck), "print_blob": True}
settings.register_profile("ci", max_examples=100, **_COMMON)
settings.register_profile("long", max_examples=5000, **_COMMON)
PROFILE = "long" if SCALE > 1 else "ci"
pytestmark = pytest.mark.timeout(300 * SCALE)


def examples(ci: int) -> settings:
    """``ci`` examples in the test command, 50 times as many in the long profile."""
    return settings(settings.get_profile(PROFILE), max_examples=ci * SCALE)


WHOLE_FILE = {"file-name", "file-outside", "file-unreadable", "file-not-regular", "yaml-too-large"}
"""Problems about a file as a whole, which have no line; every other problem has one."""

# ------------------------------------------------------------------------------ strategies

CONTROL = [chr(c) for c in [*range(0, 32), *range(0x7F, 0xA0)]]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202d", "\u202e",
             "\u2066", "\u2067", "\u2069", "\u2060", "\ufeff", "\xad", "\u034f", "\u115f", "\u3164",
             "\ufe0f", "\ue000", "\U000e0041", "\u2028", "\u2029", "\ufffe", "\U0010ffff"]
VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậđeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ AĐƯ"
YAML_SIGNS = list(":-{}[]#&*!|>'\"%@`,?\\\n\t ")
characters = st.one_of(st.sampled_from(list(VIETNAMESE)), st.characters(codec="utf-8"),
                       st.sampled_from(CONTROL + INVISIBLE + YAML_SIGNS), st.characters(categories=["Cs"]))
texts = st.one_of(st.text(characters, max_size=40), st.text(st.sampled_from(list(VIETNAMESE)), min_size=1500,
                                                            max_size=7000))
scalars = st.one_of(
    texts, st.integers(), st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(),
    st.dates(min_value=date.min, max_value=date.max), st.datetimes(),
    st.from_regex(r"[0-9]{1,14}", fullmatch=True),
    st.sampled_from(["", " ", "~", "null", "yes", "0x1F", "1e400", ".nan", "-.inf", "2026-02-30", "31/12/9999",
                     "00/00/0000", "9999-12-31", "0001-01-01", "500 g", "1e6 kg", "../../etc/passwd",
                     "file:///etc/passwd", "=cmd|' /C calc'!A0", "<script>alert(1)</script>", "{{ 7*7 }}"]))


def _keys() -> list[str]:
    """Every key the sample files use, so that generated structures look like real ones."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            found.update(str(k) for k in value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in PRODUCTS.rglob("*.yaml"):
        walk(load_yaml(path, path.name).data)
    return sorted(found)


KEYS = _keys()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(KEYS) | st.text(characters, max_size=12), inner, max_size=4), max_leaves=12)
PRODUCT_FILES = sorted(p for p in PRODUCTS.rglob("*.yaml") if p.name != "producer.yaml")
PRODUCER_FILES = sorted(PRODUCTS.rglob("producer.yaml"))


def _paths(value: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a parsed file: keys of mappings and indexes of lists."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*at, key)
            yield from _paths(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*at, index)
            yield from _paths(item, (*at, index))


printable = st.text(st.one_of(st.sampled_from(list(VIETNAMESE) + YAML_SIGNS[:-3]),
                             st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"])),
                   min_size=1, max_size=80)
"""Text a user could mean: letters of any script, digits, punctuation, symbols, spaces."""


def _mutate(data: Any, draw: Any) -> Any:
    """Replace, delete, add or empty 1–6 random places of ``data``; or, gently, change texts only
    (so that most products still load, and every template and the renderer see odd text)."""
    gentle = draw(st.booleans())
    for _ in range(draw(st.integers(1, 6))):
        places = list(_paths(data))
        if not places:
            return draw(values)
        place = draw(st.sampled_from(places))
        parent = data
        for part in place[:-1]:
            parent = parent[part]
        if gentle:
            if isinstance(parent[place[-1]], str):
                parent[place[-1]] = draw(printable)
            continue
        operation = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add", "empty"]))
        if operation == "replace":
            parent[place[-1]] = draw(values)
        elif operation == "delete":
            del parent[place[-1]]
        elif operation == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS) | st.text(characters, max_size=12))] = draw(values)
        elif operation == "empty":
            parent[place[-1]] = draw(st.sampled_from([[], {}, "", None]))
    return data


def _dump(data: Any, draw: Any) -> bytes:
    """YAML text of ``data``; sometimes random text spliced in, to break the syntax anywhere."""
    try:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=draw(st.sampled_from([80, 10**6])))
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        text = repr(data)
    if draw(st.integers(0, 4)) == 0:
        where = draw(st.integers(0, len(text)))
        text = text[:where] + draw(st.text(characters, max_size=20)) + text[where:]
    raw = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 30)) == 0:
        raw = text.encode(draw(st.sampled_from(["utf-16", "latin-1", "cp1258"])), "replace")
    return raw


@contextmanager
def _project(product: Path, product_bytes: bytes | None = None,
             producer_bytes: bytes | None = None) -> Iterator[Path]:
    """A products folder: ``product``'s producer folder (marks included), files replaced as given."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        products = Path(folder) / "products"
        target = products / product.parent.name
        shutil.copytree(product.parent, target)
        for other in target.glob("*.yaml"):
            if other.name not in (product.name, "producer.yaml"):
                other.unlink()
        if product_bytes is not None:
            (target / product.name).write_bytes(product_bytes)
        if producer_bytes is not None:
            (target / "producer.yaml").write_bytes(producer_bytes)
        yield products


def _everything(products: Path, as_of: date, html: bool) -> pipeline.BuildResult:
    """Load and check, plan, fill every template, make the report and the bundle lists."""
    started = time.perf_counter()
    result = pipeline.check(products, as_of)
    fill_templates(result)
    made = report.collect(result)
    report.render_csv(made)
    if html:
        report.render_html(made, TEMPLATES).encode("utf-8")
    # what is written and printed: the manifest and the command line's lines, all UTF-8
    output.manifest(output.State(), result.problems).encode("utf-8")
    "\n".join(cli._line(p) for p in result.problems).encode("utf-8")
    for producer in {row.producer_slug for row in made.rows}:
        bundle.contents(made, producer, producer, [])
    assert time.perf_counter() - started < 30, "bounded: one product never takes this long"
    return result


def _located(problems: list[Problem]) -> None:
    for problem in problems:
        assert problem.file, problem
        assert problem.line is not None or problem.code in WHOLE_FILE, problem
        assert isinstance(problem.field, str) and problem.message and "{" not in problem.code, problem
        assert "Traceback" not in problem.message, problem


def _documents_or_problems(result: pipeline.BuildResult) -> None:
    """A product with no error gets its documents planned; one with an error says where."""
    errors = {p.file for p in result.errors}
    for entry in result.project.products:
        if entry.model is None or entry.producer.model is None:
            assert entry.doc.display in errors or entry.producer.doc.display in errors or any(
                p.code in WHOLE_FILE for p in result.problems), entry.id
    clean = [e for e in result.project.loaded() if not {e.doc.display, e.producer.doc.display} & errors]
    labels = {p.product for p in result.plans if p.kind == "label"}
    assert {e.id for e in clean} <= labels


# ------------------------------------------------------------------------------------ tests


@examples(100)
@given(data=st.data(), product=st.sampled_from(PRODUCT_FILES), as_of=st.dates(date.min, date.max))
def test_any_product_file_gives_documents_or_located_problems(data: st.DataObject, product: Path,
                                                              as_of: date) -> None:
    parsed = load_yaml(product, product.name).data
    raw = _dump(_mutate(parsed, data.draw), data.draw)
    with _project(product, product_bytes=raw) as products:
        result = _everything(products, as_of, html=data.draw(st.integers(0, 5)) == 0)
    _located(result.problems)
    _documents_or_problems(result)
    event(f"documents planned: {'none' if not result.plans else 'some'}")
    event(f"errors: {'none' if not result.errors else 'some'}")


@examples(40)
@given(data=st.data(), producer=st.sampled_from(PRODUCER_FILES), as_of=st.dates(date.min, date.max))
def test_any_producer_file_gives_documents_or_located_problems(data: st.DataObject, producer: Path,
                                                               as_of: date) -> None:
    product = next(p for p in PRODUCT_FILES if p.parent == producer.parent)
    raw = _dump(_mutate(load_yaml(producer, producer.name).data, data.draw), data.draw)
    with _project(product, producer_bytes=raw) as products:
        result = _everything(products, as_of, html=False)
    _located(result.problems)
    _documents_or_problems(result)


yaml_like = st.lists(st.one_of(st.text(characters, max_size=30), st.sampled_from(
    ["a: b\n", "  - x\n", "- [", "{a: ", "'", '"', "&a ", "*a", "!!python/object:os.system ", "%YAML 1.1\n",
     "---\n", "...\n", "? ", "<<: *a\n", "|\n", ">-\n", "\t", "\ufeff", ": ", "#"])), max_size=40).map("".join)


@examples(300)
@given(content=st.one_of(st.binary(max_size=2000), yaml_like.map(lambda s: s.encode("utf-8", "surrogatepass")),
                         yaml_like.map(lambda s: s.encode("utf-16", "surrogatepass"))))
def test_any_bytes_as_a_yaml_file(content: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        path = Path(folder) / "p.yaml"
        path.write_bytes(content)
        doc = load_yaml(path, "p.yaml")
    _located(doc.problems)
    assert doc.data is None or doc.problems or isinstance(doc.data, (dict, list, str, int, float, bool, date))


NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                    st.sampled_from(["1e400", "inf", "-5", "0", "NaN", "1e-30", "0.0001", "1e7", "10mm", "3.5cm",
                                     "100%", "", " ", "1,2", "9" * 400, "0x10", "2pt", "1e308mm"]),
                    st.integers(-10, 10**9).map(str))
ATTRIBUTE_VALUES = st.one_of(NUMBERS, st.sampled_from([
    "#B22222", "#777", "#12", "rgb(1.5.3", "url(#g)", "url(http://x/a)", "\\75rl(http://x)", "red",
    "data:image/png;base64,AAAA", "file:///etc/passwd", "#a", "http://x/y.svg", "other.svg#a"]),
    st.text(characters, max_size=20))


def _png(width: int, height: int, tail: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(tail)) + chunk(b"IEND", b"")


pngs = st.builds(_png, st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.binary(max_size=64))


@st.composite
def svgs(draw: Any) -> bytes:
    """Random SVG documents: random sizes, elements, references, CSS, embedded rasters."""
    root = {name: draw(NUMBERS) for name in draw(st.sets(st.sampled_from(["width", "height"])))}
    if draw(st.booleans()):
        root["viewBox"] = " ".join(draw(st.lists(NUMBERS, min_size=0, max_size=5)))
    children = []
    for _ in range(draw(st.integers(0, 8))):
        tag = draw(st.sampled_from(["rect", "path", "image", "use", "text", "g", "linearGradient", "style",
                                    "foreignObject", "feImage", "polyline"]))
        attributes = {draw(st.sampled_from(["fill", "stroke", "style", "href", "xlink:href", "d", "points",
                                            "stop-color", "src", "id"])): draw(ATTRIBUTE_VALUES)
                      for _ in range(draw(st.integers(0, 3)))}
        if tag == "image" and draw(st.booleans()):
            attributes["href"] = "data:image/png;base64," + base64.b64encode(draw(pngs)).decode()
        text = draw(st.sampled_from(["", "@import 'a.css';", "rect{fill:\\23 B22222}", "@im\\70 ort 'x'",
                                     "a{fill:url(#g)}", "<![CDATA[x{fill:url(/etc/x)}]]>"])) if tag == "style" else ""
        rendered = " ".join(f'{k}="{_escape(v)}"' for k, v in attributes.items())
        children.append(f"<{tag} {rendered}>{text}</{tag}>")
    head = draw(st.sampled_from(["", '<?xml version="1.0"?>', "<!DOCTYPE svg>", '<?xml-stylesheet href="a.css"?>',
                                 '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>']))
    attributes = " ".join(f'{k}="{_escape(v)}"' for k, v in root.items())
    return (f'{head}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'{attributes}>{"".join(children)}</svg>').encode("utf-8", "surrogatepass")


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


MARK_PRODUCT = PRODUCTS / "htx-lung-vai" / "ruou-men-la.yaml"


@examples(150)
@given(content=st.one_of(svgs(), pngs, st.binary(max_size=300)), suffix=st.sampled_from([".svg", ".png", ".jpg"]))
def test_any_mark_file_is_read_or_refused(content: bytes, suffix: str) -> None:
    with _project(MARK_PRODUCT) as products:
        folder = products / MARK_PRODUCT.parent.name
        for old in [*folder.glob("*.svg"), *folder.glob("*.png")]:
            old.unlink()
        name = f"nhan-hieu-lung-vai{suffix}"
        (folder / name).write_bytes(content)
        started = time.perf_counter()
        found = inspect(folder, name, 8192, 40_000_000)
        assert time.perf_counter() - started < 5
        assert isinstance(found, (MarkFile, Refused))
        if isinstance(found, MarkFile):
            assert math.isfinite(found.width) and math.isfinite(found.height) and found.long_side > 0
            width, height = found.fit(Decimal(80))
            assert max(width, height) <= Decimal(80)
        producer_text = (folder / "producer.yaml").read_text(encoding="utf-8")
        product_text = MARK_PRODUCT.read_text(encoding="utf-8").replace("nhan-hieu-lung-vai.svg", name)
        (folder / MARK_PRODUCT.name).write_text(product_text, encoding="utf-8")
        assert producer_text
        project = load_project(products)
        plan_applications(project.loaded(), date(2026, 11, 29))  # planning never raises on a mark


@pytest.fixture(scope="module")
def fuzz_renderer() -> Renderer:
    return Renderer()


@examples(3)
@given(data=st.data(), product=st.sampled_from(PRODUCT_FILES))
def test_random_products_render_or_say_why(fuzz_renderer: Renderer, data: st.DataObject, product: Path) -> None:
    """A few full renders (WeasyPrint and the PDF rules) of randomly changed products."""
    raw = _dump(_mutate(load_yaml(product, product.name).data, data.draw), data.draw)
    with _project(product, product_bytes=raw) as products, tempfile.TemporaryDirectory() as out:
        result = pipeline.check(products, date(2026, 11, 29))
        env = make_env(TEMPLATES)
        plans = [p for p in pipeline.plan(result) if p.kind == "label"][:2]
        event(f"labels rendered: {len(plans)}")
        for plan in plans:
            built, problems = render_one(plan, env, fuzz_renderer, TEMPLATES, Path(out))
            _located(problems)
            assert built is not None or [p for p in problems if p.severity == "error"]
