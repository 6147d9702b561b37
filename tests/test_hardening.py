"""Hardening (issue 13): each class of what an attack on main broke, held by a test.

The classes found by the attack and the tests that hold them are listed in README.md,
"Safety". Tests here need no rendering; the fault tests (kill, interrupt, full disk, two
builds at once) are in ``test_faults.py`` and the property-based fuzzing in ``test_fuzz.py``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import stat
import zipfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from ocopdocs import bundle, pipeline, report
from ocopdocs import output as output_module
from ocopdocs.cli import main
from ocopdocs.domain import ocop as ocop_domain
from ocopdocs.loader import SLUG, load_project
from ocopdocs.render import Renderer
from ocopdocs.report import Scan

from .conftest import PRODUCTS, TEMPLATES, SampleBuild, build_and_publish, copy_sample, fill_templates

HONEY = "htx-ong-mat-ho-xanh"

DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def render_all(result: pipeline.BuildResult) -> None:
    """Plan every document, fill every template, make the report and the bundle lists: no PDF."""
    fill_templates(result)
    made = report.collect(result)
    report.render_html(made, TEMPLATES)
    report.render_csv(made)
    for producer in {row.producer_slug for row in made.rows}:
        bundle.contents(made, producer, producer, [])


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_every_date_of_the_samples_at_the_ends_of_the_calendar(tmp_path: Path, day: str) -> None:
    """Every date field (213 in the samples) at year 9999 or year 1, judged on both ends too."""
    products = tmp_path / "products"
    shutil.copytree(PRODUCTS, products)
    replaced = 0
    for path in products.rglob("*.yaml"):
        text, count = DATE.subn(day, path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
        replaced += count
    assert replaced > 150
    for as_of in (date.min, date.max, date(2026, 11, 29)):
        result = pipeline.check(products, as_of)
        assert [p for p in result.problems if p.line is None and p.code != "file-name"] == []
        render_all(result)


def test_a_broken_gtin_never_reaches_the_barcode_on_a_day_before_its_rules(tmp_path: Path) -> None:
    """Judged in 1999 the GTIN rules are not in force; the label is planned, its barcode is not.

    Found by the long fuzzing profile: ``gtin: '0'`` with ``--as-of 1999-01-01`` raised in the
    EAN-13 drawing.
    """
    products = tmp_path / "products"
    shutil.copytree(PRODUCTS, products)
    path = products / "htx-lung-vai" / "o-mai-mo.yaml"
    text, count = re.subn(r"gtin: *['\"]?\d{13}['\"]?", "gtin: '0'", path.read_text(encoding="utf-8"), count=1)
    assert count == 1
    path.write_text(text, encoding="utf-8")
    result = pipeline.check(products, date(1999, 1, 1))
    labels = [p for p in result.plans if p.kind == "label" and p.product == "htx-lung-vai/o-mai-mo"]
    assert labels and all(p.context["label"]["gtin"] is None for p in labels)
    render_all(result)


# ----------------------------------------------------------- the state and the bundles record


def _copy_build(sample_build: SampleBuild, tmp_path: Path) -> Path:
    output = tmp_path / "output"
    shutil.copytree(sample_build.output, output, symlinks=True)
    return output


def _rebuild(output: Path, only: tuple[str, ...] = ()) -> pipeline.BuildResult:
    """A build that renders nothing (``--only`` of no kind), then the report and the bundles."""
    return build_and_publish(PRODUCTS, output, TEMPLATES, only=only, as_of=date(2026, 11, 29))


STATE_SHAPES = [
    "[]", "null", "7", '"x"', "{}", '{"version": 2}', '{"version": 2, "documents": []}',
    '{"version": "2", "documents": {}}', '{"version": 2, "documents": {"a/b.pdf": []}}',
    '{"version": 2, "documents": {"a/b.pdf": {"key": 1}}}', "{" * 100_000, "\ufeff{}", "not json",
]


@pytest.mark.parametrize("text", STATE_SHAPES)
def test_a_state_of_any_other_shape_is_a_cold_build(tmp_path: Path, text: str) -> None:
    (tmp_path / output_module.STATE).write_text(text, encoding="utf-8")
    assert output_module.State.load(tmp_path).documents == {}


def _entry(**changes: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "key": "k", "sha256": "0" * 64, "pages": 1, "page_size_mm": [100.0, 140.0], "kind": "label",
        "producer": "htx-a", "product": "htx-a/mien", "variant": "500g",
        "problems": [{"file": "f", "line": 3, "field": "x", "code": "c", "message": "m", "severity": "error",
                      "document": None, "article": None, "hint": None, "page": None, "area": "input"}]}
    entry.update(changes)
    return entry


@pytest.mark.parametrize("changes", [
    {"pages": "1"}, {"pages": 0}, {"pages": True}, {"pages": 1.5}, {"sha256": "x"}, {"sha256": None},
    {"page_size_mm": [100.0]}, {"page_size_mm": "ab"}, {"page_size_mm": [1e400, 1]}, {"key": ["k"]},
    {"product": 5}, {"problems": {}}, {"problems": [None]}, {"problems": [{"file": "f"}]},
    {"problems": [{**_entry()["problems"][0], "line": "3"}]},  # type: ignore[index]
    {"problems": [{**_entry()["problems"][0], "severity": "fatal"}]},  # type: ignore[index]
])
def test_a_state_entry_of_any_other_type_is_a_cold_build(tmp_path: Path, changes: dict[str, object]) -> None:
    good = {"version": 2, "documents": {"htx-a/mien/label-500g.pdf": _entry()}}
    (tmp_path / output_module.STATE).write_text(json.dumps(good), encoding="utf-8")
    assert len(output_module.State.load(tmp_path).documents) == 1
    bad = {"version": 2, "documents": {"htx-a/mien/label-500g.pdf": _entry(**changes)}}
    (tmp_path / output_module.STATE).write_text(json.dumps(bad), encoding="utf-8")
    assert output_module.State.load(tmp_path).documents == {}


@pytest.mark.timeout(10)
@pytest.mark.parametrize("kind", ["fifo", "folder", "zero", "huge"])
def test_a_state_file_that_is_no_file_is_a_cold_build(tmp_path: Path, kind: str) -> None:
    path = tmp_path / output_module.STATE
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        with path.open("wb") as file:
            file.truncate(4 * 1024**3)
    assert output_module.State.load(tmp_path).documents == {}


@pytest.mark.parametrize("path", ["../victim.txt", "../../victim.txt", "/tmp/victim.pdf", "htx/../../victim.pdf",
                                  "htx-khuoi-dong/../../victim.pdf", "htx/./x.pdf", "htx//x.pdf", "x.pdf",
                                  "htx/.hidden.pdf", "htx\\..\\victim.pdf", "link/victim.pdf"])
def test_a_state_naming_a_path_outside_is_obeyed_in_nothing(sample_build: SampleBuild, tmp_path: Path,
                                                            path: str) -> None:
    output = _copy_build(sample_build, tmp_path)
    victim = tmp_path / "victim.pdf"
    victim.write_bytes(b"%PDF-1.4 SECRET OUTSIDE THE OUTPUT FOLDER")
    (tmp_path / "victim.txt").write_bytes(b"SECRET OUTSIDE THE OUTPUT FOLDER")
    (output / "link").symlink_to(tmp_path)
    if path.startswith("/"):
        path = str(victim)
    state = json.loads((output / output_module.STATE).read_text(encoding="utf-8"))
    entry = next(iter(state["documents"].values()))
    state["documents"][path] = {**entry, "kind": "food-safety-declaration", "sha256": hashlib.sha256(
        victim.read_bytes()).hexdigest()}
    (output / output_module.STATE).write_text(json.dumps(state), encoding="utf-8")
    _rebuild(output)  # no kind rendered: every recorded document is kept, and bundled
    assert victim.exists() and (tmp_path / "victim.txt").exists()
    everything = b"".join(p.read_bytes() for p in output.rglob("*") if p.is_file() and not p.is_symlink())
    for archive in output.glob("*.zip"):
        with zipfile.ZipFile(archive) as opened:
            everything += b"".join(opened.read(name) for name in opened.namelist())
    assert b"SECRET OUTSIDE" not in everything


BUNDLE_RECORDS = [
    "[]", '{"version": 2, "bundles": []}', '{"version": 2, "bundles": {"htx-khuoi-dong.zip": []}}',
    '{"version": 2, "bundles": {"htx-khuoi-dong.zip": {"inputs": 1}}}',
    '{"version": 2, "bundles": {"../../victim.zip": {"inputs": "x", "sha256": "x", "file": null, "members": {}}}}',
    '{"version": 1, "bundles": {"htx-khuoi-dong.zip": "x"}}', "{" * 100_000,
]


@pytest.mark.parametrize("text", BUNDLE_RECORDS)
def test_a_bundles_record_of_any_other_shape_rewrites_the_bundles(sample_build: SampleBuild, tmp_path: Path,
                                                                 text: str) -> None:
    output = _copy_build(sample_build, tmp_path)
    (tmp_path / "victim.zip").write_bytes(b"not ours")
    (output / "htx-khuoi-dong.zip").write_bytes(b"damaged")
    (output / bundle.RECORD).write_text(text, encoding="utf-8")
    _rebuild(output)
    with zipfile.ZipFile(output / "htx-khuoi-dong.zip") as archive:
        assert archive.testzip() is None and bundle.CONTENTS in archive.namelist()
    assert (tmp_path / "victim.zip").read_bytes() == b"not ours"


def test_a_bundle_is_keyed_on_the_bytes_it_holds(sample_build: SampleBuild, tmp_path: Path) -> None:
    """A bundle packed while another build had replaced a PDF is repaired by the next build."""
    output = _copy_build(sample_build, tmp_path)
    result = _rebuild(output)
    made = report.collect(result)
    label = next(d for d in made.documents if d.kind == "label" and d.producer == "htx-khuoi-dong")
    path = output / label.path
    right = path.read_bytes()
    path.write_bytes(right.replace(b"%%EOF", b"%%EOF\n% written by another build"))  # between two builds
    (output / "htx-khuoi-dong.zip").unlink()  # which the other build is writing again
    bundle.write_bundles(made, output)
    path.write_bytes(right)  # the other build is over: the file is the one the state records
    bundle.write_bundles(made, output)
    with zipfile.ZipFile(output / "htx-khuoi-dong.zip") as archive:
        assert archive.read(bundle.relative(label)) == right


def test_no_two_bundle_entries_have_one_name(tmp_path: Path, renderer: Renderer) -> None:
    """A product folder named like the scans' folder, and a scan named like one of its PDFs."""
    products = copy_sample(tmp_path, HONEY)
    folder = products / HONEY
    (folder / "mat-ong.yaml").rename(folder / "minh-chung.yaml")
    (folder / "label-250g.pdf").write_bytes(b"%PDF-1.4 the producer's own scan")
    producer = folder / "producer.yaml"
    producer.write_text(producer.read_text(encoding="utf-8").replace(
        "    date: 2026-03-31\n", "    date: 2026-03-31\n    file: label-250g.pdf\n", 1), encoding="utf-8")
    output = tmp_path / "output"
    build_and_publish(products, output, TEMPLATES, renderer=renderer, only=["label"], as_of=date(2026, 11, 29))
    with zipfile.ZipFile(output / f"{HONEY}.zip") as archive:
        names = archive.namelist()
        assert len({n.casefold() for n in names}) == len(names)
        assert archive.read("minh-chung/label-250g.pdf") == (output / HONEY / "minh-chung" / "label-250g.pdf").read_bytes()
        assert archive.read(f"{bundle.SCANS}/label-250g.pdf") == b"%PDF-1.4 the producer's own scan"
    assert not SLUG.fullmatch(bundle.SCANS)


def test_scans_whose_names_differ_only_in_case_get_distinct_names() -> None:
    scans = [Scan("Một", "A.pdf", Path("A.pdf"), 1), Scan("Hai", "a.pdf", Path("a.pdf"), 1),
             Scan("Ba", "a-2.pdf", Path("a-2.pdf"), 1)]
    row = SimpleNamespace(producer_slug="htx", scans=scans)
    made = SimpleNamespace(rows=[row])
    names = [s.name for s in bundle.producer_scans(made, "htx")]  # type: ignore[arg-type]
    assert len({n.casefold() for n in names}) == 3 and "A.pdf" in names
    with pytest.raises(ValueError, match="two bundle entries"):
        bundle.zip_bytes([("x/A.pdf", b"1"), ("x/a.pdf", b"2")])


# ------------------------------------------------------------------- files, modes, templates


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_outputs_get_the_mode_the_umask_allows(tmp_path: Path, umask: int, mode: int) -> None:
    previous = os.umask(umask)
    try:
        output_module.write_atomic(tmp_path / "a" / "index.html", b"<p>")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "a" / "index.html").stat().st_mode) == mode


def test_what_a_killed_build_was_writing_is_swept(sample_build: SampleBuild, tmp_path: Path) -> None:
    output = _copy_build(sample_build, tmp_path)
    ours = [output / ".manifest.json.k3j_x9a2.tmp", output / "htx-khuoi-dong" / "mien-dong" / ".label-500g.pdf.abcdefgh.tmp"]
    theirs = [output / ".notes.tmp", output / "keep.abcdefgh.tmp", output / "htx-khuoi-dong" / "ghi-chu.txt"]
    for path in [*ours, *theirs]:
        path.write_bytes(b"half a file")
    _rebuild(output)
    assert [p.exists() for p in ours] == [False, False]
    assert [p.exists() for p in theirs] == [True, True, True]


def test_a_document_key_covers_every_template_it_extends_includes_or_imports(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    found = {p.relative_to(templates).as_posix() for p in output_module.referenced_templates(templates, "trademark/form-04.html")}
    assert found == {"trademark/form-04.html", "trademark/application.html", "base/macros.html"}
    result = pipeline.check(PRODUCTS, date(2026, 11, 29))
    plans = pipeline.plan(result)
    before = {p.path: output_module.document_key(p, templates, tmp_path) for p in plans}
    parent = templates / "trademark" / "application.html"
    parent.write_text(parent.read_text(encoding="utf-8") + "\n{# edited #}\n", encoding="utf-8")
    output_module.template_hash.cache_clear()
    after = {p.path: output_module.document_key(p, templates, tmp_path) for p in plans}
    changed = {path for path in before if before[path] != after[path]}
    output_module.template_hash.cache_clear()
    trademark = {p.path for p in plans if p.template in ("trademark/form-04.html", "trademark/form-08.html")}
    assert trademark and changed == trademark


def test_a_template_named_at_render_time_makes_every_template_count(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("{% include name %}", encoding="utf-8")
    (tmp_path / "b.html").write_text("b", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text("c", encoding="utf-8")
    assert output_module.referenced_templates(tmp_path, "a.html") == {tmp_path / "a.html", tmp_path / "b.html",
                                                               tmp_path / "sub" / "c.html"}


def test_every_test_the_safety_section_names_exists() -> None:
    readme = (PRODUCTS.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Safety"):readme.index("## Performance")]
    named = {m for m in re.findall(r"\btest_[a-z0-9_]+\b", section) if not (PRODUCTS.parent / "tests" / f"{m}.py").exists()}
    defined = {m for path in (PRODUCTS.parent / "tests").glob("test_*.py")
               for m in re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.M)}
    assert len(named) > 30
    assert sorted(named - defined) == []


# ------------------------------------------------------------------------ link loops, listings


def test_link_loops_are_problems_not_crashes(tmp_path: Path, renderer: Renderer) -> None:
    """A link to itself as a product file, a mark, a scan, a producer folder, the output folder."""
    products = copy_sample(tmp_path, "htx-lung-vai")
    folder = products / "htx-lung-vai"
    (folder / "vong.yaml").symlink_to("vong.yaml")
    (folder / "nhan-hieu-lung-vai.svg").symlink_to("nhan-hieu-lung-vai.svg")  # the mark
    (folder / "so-sach.pdf").symlink_to("so-sach.pdf")
    (products / "htx-vong").symlink_to("htx-vong")
    result = build_and_publish(products, tmp_path / "output", TEMPLATES, renderer=renderer, only=["label"],
                               as_of=date(2026, 11, 29))
    [loop] = [p for p in result.problems if p.file.endswith("vong.yaml")]
    assert (loop.code, loop.message) == ("file-unreadable", "Không đọc được tệp: đường dẫn có liên kết vòng.")
    assert any(p.code == "tm-image-missing" for p in result.problems)
    entry = next(e for e in result.project.loaded() if e.producer.slug == "htx-lung-vai")
    assert ocop_domain.scan_path(entry, "so-sach.pdf") is None
    (tmp_path / "loop").symlink_to("loop")
    err = io.StringIO()
    assert main(["build", "--products", str(products), "--output", str(tmp_path / "loop")],
                stdout=io.StringIO(), stderr=err) == 1
    assert "liên kết vòng" in err.getvalue() and "Traceback" not in err.getvalue()


def test_a_folder_that_cannot_be_listed_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    products = copy_sample(tmp_path, "htx-lung-vai")
    copy_sample(tmp_path, "htx-khuoi-dong", ["mien-dong"])
    real = Path.iterdir

    def iterdir(self: Path) -> object:
        if self.name == "htx-lung-vai":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    project = load_project(products)
    assert [(p.code, p.message) for p in project.problems] == [
        ("file-unreadable", "Không đọc được tệp: tài khoản đang dùng không có quyền.")]
    assert [e.id for e in project.products] == ["htx-khuoi-dong/mien-dong"]


@pytest.mark.parametrize("as_of", [date.min, date(1999, 12, 31), date(475, 5, 1)])
def test_a_file_that_does_not_load_says_why_on_any_day(tmp_path: Path, as_of: date) -> None:
    """Found by the fuzzing: before 2000 (no era of the rules), a schema error vanished, and
    with it the product, silently."""
    products = copy_sample(tmp_path, HONEY)
    path = products / HONEY / "mat-ong.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('net_quantity: "500 g"', 'net_quantity: "500g"', 1),
                    encoding="utf-8")
    result = pipeline.check(products, as_of)
    assert [(p.code, p.severity) for p in result.errors if p.file.endswith("mat-ong.yaml")] == [
        ("quantity-format", "error")]


def test_a_template_naming_a_file_outside_templates_is_not_read(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (tmp_path / "secret.html").write_text("secret", encoding="utf-8")
    (templates / "a.html").write_text('{% include "../secret.html" %}{% import "b.html" as b %}', encoding="utf-8")
    (templates / "b.html").write_text("b", encoding="utf-8")
    assert output_module.referenced_templates(templates, "a.html") == {templates / "a.html", templates / "b.html"}


def test_a_recorded_document_deleted_by_hand_is_left_out_of_its_bundle(sample_build: SampleBuild,
                                                                      tmp_path: Path) -> None:
    output = _copy_build(sample_build, tmp_path)
    gone = output / "htx-khuoi-dong" / "mien-dong" / "ocop-dossier.pdf"
    gone.unlink()
    _rebuild(output)  # no kind rendered: the state still lists it
    with zipfile.ZipFile(output / "htx-khuoi-dong.zip") as archive:
        assert "mien-dong/ocop-dossier.pdf" not in archive.namelist()
        assert "mien-dong/label-500g.pdf" in archive.namelist()


def test_force_still_deletes_the_documents_of_removed_products(tmp_path: Path, renderer: Renderer) -> None:
    products = copy_sample(tmp_path, HONEY)
    output = tmp_path / "output"
    pipeline.build(products, output, TEMPLATES, renderer=renderer, only=["label"], as_of=date(2026, 11, 29))
    assert (output / HONEY / "mat-ong").exists()
    (products / HONEY / "mat-ong.yaml").unlink()
    (products / HONEY / "hong.yaml").write_text((PRODUCTS / HONEY / "mat-ong.yaml").read_text(encoding="utf-8"),
                                                encoding="utf-8")
    pipeline.build(products, output, TEMPLATES, renderer=renderer, only=["label"], force=True,
                   as_of=date(2026, 11, 29))
    assert not (output / HONEY / "mat-ong").exists()
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*.pdf")) == sorted(
        json.loads((output / "manifest.json").read_text(encoding="utf-8"))["documents"][i]["path"]
        for i in range(2))


# ------------------------------------------------------------- names and values that are not UTF-8


def test_a_surrogate_in_a_key_or_a_value_never_reaches_a_written_file(tmp_path: Path) -> None:
    """Found by the fuzzing: a YAML escape "\\ud800" made report.csv, the manifest and printing raise."""
    products = copy_sample(tmp_path, HONEY)
    path = products / HONEY / "mat-ong.yaml"
    path.write_text(path.read_text(encoding="utf-8") + '"\\ud800x": "y\\udfff"\n', encoding="utf-8")
    result = pipeline.check(products, date(2026, 11, 29))
    assert {p.code for p in result.errors if p.file.endswith("mat-ong.yaml")} >= {"text-invisible-char"}
    made = report.collect(result)
    report.render_csv(made).decode("utf-8")
    report.render_html(made, TEMPLATES).encode("utf-8")
    output_module.manifest(output_module.State(), result.problems).encode("utf-8")


def test_file_names_that_are_not_utf8_are_messages(tmp_path: Path, renderer: Renderer) -> None:
    """Files copied from an old Windows machine: their names are Windows-1258, not UTF-8."""
    products = copy_sample(tmp_path, HONEY)
    os.makedirs(os.fsencode(products) + b"/htx-\xff")
    (Path(os.fsdecode(os.fsencode(products) + b"/htx-\xff")) / "producer.yaml").write_text("a: 1\n", encoding="utf-8")
    Path(os.fsdecode(os.fsencode(products / HONEY) + b"/m\xe9.yaml")).write_text("a: 1\n", encoding="utf-8")
    output = tmp_path / "output"
    err = io.StringIO()
    code = main(["build", "--products", str(products), "--output", str(output), "--only", "label", "--as-of",
                 "2026-11-29"], stdout=io.StringIO(), stderr=err)
    assert code == 1 and "Traceback" not in err.getvalue()
    assert "htx-\ufffd" in err.getvalue() and "m\ufffd.yaml" in err.getvalue()
    assert "htx-\ufffd" in (output / "manifest.json").read_text(encoding="utf-8")
