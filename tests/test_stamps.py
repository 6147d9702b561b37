"""Traceability stamps: read back from the PDF, and a registry that never issues a serial twice.

Every stamp is decoded from the rasterised sheet and compared with the CSV and the registry;
its QR is found on the page and measured against the stock's cells. The registry is driven
across runs, by two processes at once, and through a crash between allocation and writing.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp

from ocopdocs import stamps
from ocopdocs.cli import main
from ocopdocs.design.stamps import stamp_settings
from ocopdocs.design.stocks import layout, shipped_stocks
from ocopdocs.errors import OcopError, OutputError, UsageError
from ocopdocs.messages import t
from ocopdocs.output import LOCK
from ocopdocs.render import Renderer
from ocopdocs.serials import REGISTRY_FILE, Registry, RegistryError

from .conftest import PT_TO_MM, ROOT, TEMPLATES, copy_sample, page_size_mm

PRODUCT = "htx-khuoi-dong/mien-dong"
LOT = "L260915A"
GTIN = "8936043120011"
RESOLVER = "https://truyxuat.khuoidong.example.vn"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the rice-noodle cooperative, the working directory, with its products folder."""
    monkeypatch.chdir(tmp_path)
    return copy_sample(tmp_path, "htx-khuoi-dong")


def run(products: Path, renderer: Renderer, count: int, **options: object) -> stamps.Result:
    request = stamps.Request(str(options.pop("product", PRODUCT)), str(options.pop("lot", LOT)), count,
                             stock=options.pop("stock", None),  # type: ignore[arg-type]
                             size=options.pop("size", "500g"))  # type: ignore[arg-type]
    return stamps.make_stamps(products, Path("output"), TEMPLATES, request, renderer=renderer,
                              **options)  # type: ignore[arg-type]


def serial_of(uri: str) -> str:
    path = urlparse(uri).path.split("/")
    return path[path.index("21") + 1]


def read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")  # Excel shows the Vietnamese
    return list(csv.DictReader(io.StringIO(text[1:])))


def decoded(pdf_path: Path) -> list[list[str]]:
    """Every QR on every page, decoded from a 300 dpi raster."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [[r.text for r in zxingcpp.read_barcodes(page.render(scale=300 / 72).to_pil())
                 if "QR" in str(r.format)] for page in pdf]
    finally:
        pdf.close()


def test_every_stamp_decodes_to_a_distinct_serial_that_the_csv_and_registry_hold(
        project: Path, renderer: Renderer) -> None:
    result = run(project, renderer, 70)  # more than one sheet of 65
    assert result.pdf == Path(f"output/{PRODUCT}/stamps-{LOT}-000001-000070.pdf")
    assert (result.issue.first, result.issue.last, result.sheets) == (1, 70, 2)
    pages = decoded(result.pdf)
    assert [len(p) for p in pages] == [65, 5]
    uris = [uri for page in pages for uri in page]
    serials = sorted(serial_of(uri) for uri in uris)
    assert serials == [f"{n:06d}" for n in range(1, 71)]  # every one, once
    for uri in uris:
        assert uri == f"{RESOLVER}/01/0{GTIN}/10/{LOT}/21/{serial_of(uri)}?17=270915"
    rows = read_csv(result.csv)
    assert [r[t("stamps-csv-serial")] for r in rows] == [f"{n:06d}" for n in range(1, 71)]
    assert sorted(r[t("stamps-csv-link")] for r in rows) == sorted(uris)
    first = rows[0]
    assert (first[t("stamps-csv-gtin")], first[t("stamps-csv-lot")], first[t("stamps-csv-product")],
            first[t("stamps-csv-producer")], first[t("stamps-csv-origin")],
            first[t("stamps-csv-production-date")], first[t("stamps-csv-expiry")]) == \
        (GTIN, LOT, "Miến dong", "Hợp tác xã Nông sản Khuổi Dong", "Việt Nam", "2026-09-15", "2027-09-15")
    assert first[t("stamps-csv-address")] == "thôn Chè Cọ, xã Côn Minh, tỉnh Thái Nguyên"
    issues = Registry(project.parent / REGISTRY_FILE, 1).issues(GTIN)
    assert [(i.first, i.last, i.lot, i.status, i.document) for i in issues] == \
        [(1, 70, LOT, "written", f"{PRODUCT}/stamps-{LOT}-000001-000070.pdf")]


def test_each_qr_sits_in_its_cell_of_the_stock_and_its_serial_under_it(
        project: Path, renderer: Renderer) -> None:
    result = run(project, renderer, 66)
    grid = layout(shipped_stocks()["a4-65-38x21"])
    pdf = pdfium.PdfDocument(str(result.pdf))
    try:
        assert page_size_mm(result.pdf) == pytest.approx((210, 297), abs=0.01)
        page = pdf[0]
        text = page.get_textpage()
        images = list(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4))
        assert len(images) == 65
        boxes = [i.get_bounds() for i in images]
        boxes.sort(key=lambda b: (-round(b[3]), round(b[0])))  # row by row, left to right
        for slot, (left, bottom, right, top) in zip(grid.slots, boxes, strict=True):
            x, y_top = left * PT_TO_MM, 297 - top * PT_TO_MM
            size = (right - left) * PT_TO_MM
            assert size == pytest.approx((top - bottom) * PT_TO_MM, abs=0.01)  # square
            assert 14 < size < float(grid.cell_mm[1])
            # centred across the cell, and within the cell from top to bottom
            assert x == pytest.approx(float(slot.x_mm) + (float(slot.width_mm) - size) / 2, abs=0.2)
            assert float(slot.y_mm) <= y_top and y_top + size <= float(slot.y_mm + slot.height_mm)
            # the serial: under its QR, inside the cell
            serial = f"{slot.index + 1:06d}"
            found = text.search(serial).get_next()
            assert found is not None, serial
            char = text.get_charbox(found[0])
            char_top, char_bottom = 297 - char[3] * PT_TO_MM, 297 - char[1] * PT_TO_MM
            assert y_top + size <= char_top + 0.05 and char_bottom <= float(slot.y_mm + slot.height_mm)
            assert float(slot.x_mm) < char[0] * PT_TO_MM < float(slot.x_mm + slot.width_mm)
    finally:
        pdf.close()


def test_a_rerun_and_a_second_lot_continue_the_serials(project: Path, renderer: Renderer) -> None:
    run(project, renderer, 3)
    again = run(project, renderer, 4)
    assert (again.issue.first, again.issue.last) == (4, 7)
    path = project / "htx-khuoi-dong" / "mien-dong.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(LOT, "L261020B"), encoding="utf-8")
    second = run(project, renderer, 2, lot="L261020B")
    assert (second.issue.first, second.issue.last) == (8, 9)  # per GTIN: never a serial twice
    assert [serial_of(u) for u in decoded(second.pdf)[0]] in (["000008", "000009"], ["000009", "000008"])
    other = run(project, renderer, 2, lot="L261020B", size="200g")  # another GTIN: its own serials
    assert (other.issue.gtin, other.issue.first) == ("8936043120028", 1)


def test_after_a_failure_between_allocation_and_writing_the_next_run_skips_the_gap(
        project: Path, renderer: Renderer, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(stamps, "render_one", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        run(project, renderer, 5)
    monkeypatch.undo()
    monkeypatch.chdir(project.parent)
    assert not list(Path("output").rglob("*.pdf"))
    result = run(project, renderer, 2)
    assert (result.issue.first, result.issue.last) == (6, 7)  # 1–5 are void: a gap, never a reuse
    assert [(v.first, v.last, v.status) for v in result.void] == [(1, 5, "allocated")]


CRASH = """\
import os, sys
from pathlib import Path
from ocopdocs import stamps
def die(*args, **kwargs):
    os._exit(9)  # killed between the committed allocation and the PDF
stamps.encode = die
request = stamps.Request("{product}", "{lot}", 5, size="500g")
stamps.make_stamps(Path("products"), Path("output"), Path(r"{templates}"), request)
"""


def test_a_run_killed_after_allocation_leaves_a_gap(project: Path, renderer: Renderer) -> None:
    script = CRASH.format(product=PRODUCT, lot=LOT, templates=TEMPLATES)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run([sys.executable, "-c", script], cwd=project.parent, env=env, check=False)
    assert killed.returncode == 9
    issues = Registry(project.parent / REGISTRY_FILE, 1).issues(GTIN)
    assert [(i.first, i.last, i.status) for i in issues] == [(1, 5, "allocated")]
    assert not list((project.parent / "output").rglob("*.pdf"))
    out, err = io.StringIO(), io.StringIO()
    code = main(["stamps", PRODUCT, "--lot", LOT, "--count", "3", "--size", "500g"], out, err)
    assert code == 0, err.getvalue()
    assert "000006–000008" in out.getvalue()
    assert t("stamps-void", first="000001", last="000005", lot=LOT, issued_at=issues[0].issued_at) \
        in err.getvalue()


def _allocate_many(path: str, worker: int, rounds: int, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    registry = Registry(Path(path), 30)
    got = [registry.allocate(gtin=GTIN, lot=LOT, count=1 + (i + worker) % 3, product="p", sku="s",
                             issued_at=str(worker)) for i in range(rounds)]
    queue.put([(i.first, i.last) for i in got])


def test_two_processes_at_once_never_share_a_serial(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    path = str(tmp_path / REGISTRY_FILE)
    workers = [context.Process(target=_allocate_many, args=(path, w, 40, queue)) for w in range(2)]
    for worker in workers:
        worker.start()
    ranges = [r for _ in workers for r in queue.get(timeout=120)]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    serials = [n for first, last in ranges for n in range(first, last + 1)]
    assert len(serials) == len(set(serials))  # no serial twice
    assert sorted(serials) == list(range(1, len(serials) + 1))  # and no gap either


def test_two_stamp_runs_at_once_issue_distinct_serials(project: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OCOPDOCS_LANG": "en"}
    command = [sys.executable, "-c", "from ocopdocs.cli import main; raise SystemExit(main())",
               "stamps", PRODUCT, "--lot", LOT, "--count", "4", "--size", "500g", "--jobs", "1"]
    runs = [subprocess.Popen(command, cwd=project.parent, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [r.communicate(timeout=240) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], results
    issues = Registry(project.parent / REGISTRY_FILE, 1).issues(GTIN)
    assert sorted((i.first, i.last) for i in issues) == [(1, 4), (5, 8)]
    found = [serial_of(u) for i in issues for u in decoded(Path(project.parent / "output" / str(i.document)))[0]]
    assert sorted(found) == [f"{n:06d}" for n in range(1, 9)]


# ------------------------------------------------------------------------- refusals


def load_lot(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("lot:", 1)[1].split("code:", 1)[1].split("\n", 1)[0].strip().strip('"')


def nothing_issued(project: Path) -> bool:
    registry = project.parent / REGISTRY_FILE
    return (not registry.exists() or Registry(registry, 1).issues() == []) and \
        not (project.parent / "output").exists()


@pytest.mark.parametrize(("count", "message"), [
    (0, t("stamps-count-invalid", count=0)),
    (-5, t("stamps-count-invalid", count=-5)),
    (stamp_settings().max_count + 1,
     t("stamps-count-too-many", count=stamp_settings().max_count + 1, limit=stamp_settings().max_count)),
])
def test_a_count_of_zero_negative_or_absurd_issues_nothing(project: Path, renderer: Renderer, count: int,
                                                          message: str) -> None:
    with pytest.raises(UsageError) as caught:
        run(project, renderer, count)
    assert str(caught.value) == message
    assert nothing_issued(project)


def test_the_command_line_refusals_exit_2_and_issue_nothing(project: Path) -> None:
    cases = {
        ("--count", "0"): t("stamps-count-invalid", count=0),
        ("--size", "1kg"): t("stamps-size-unknown", size="1kg", sizes="500g, 200g"),
        ("--lot", "L000000X"): t("stamps-lot-unknown", lot="L000000X", current=LOT),
        ("--stock", "a4-99"): t("stock-unknown", stock="a4-99", stocks=", ".join(shipped_stocks())),
    }
    for (option, value), message in cases.items():
        argv = {"--lot": LOT, "--count": "3", "--size": "500g", option: value}
        out, err = io.StringIO(), io.StringIO()
        code = main(["stamps", PRODUCT, *[x for pair in argv.items() for x in pair]], out, err)
        assert (code, err.getvalue()) == (2, f"ocopdocs: {message}\n")
    out, err = io.StringIO(), io.StringIO()
    assert main(["stamps", "htx-khuoi-dong/mien", "--lot", LOT, "--count", "3"], out, err) == 2
    assert t("stamps-product-close", product="htx-khuoi-dong/mien", folder="products",
             products="htx-khuoi-dong/mien-dong, htx-khuoi-dong/mien-dong-goi-nho") in err.getvalue()
    assert main(["stamps", PRODUCT, "--lot", LOT, "--count", "3"], out, err) == 2
    assert t("stamps-size-needed", sizes="500g, 200g") in err.getvalue()
    assert nothing_issued(project)


def test_a_product_without_gtin_resolver_or_valid_file_gets_no_stamps(project: Path,
                                                                      renderer: Renderer) -> None:
    path = project / "htx-khuoi-dong" / "mien-dong.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace('gtin: "8936043120011"', "gtin: null"), encoding="utf-8")
    with pytest.raises(OcopError) as caught:
        run(project, renderer, 3)
    assert str(caught.value) == t("stamps-no-gtin", size="500g")
    copy_sample(project.parent, "hkd-ruou-ngo-ban-chang")  # a household without a GS1 prefix
    with pytest.raises(OcopError) as caught:
        run(project, renderer, 3, product="hkd-ruou-ngo-ban-chang/ruou-ngo-men-la",
            lot=load_lot(project / "hkd-ruou-ngo-ban-chang" / "ruou-ngo-men-la.yaml"), size="500ml")
    assert str(caught.value) == t("stamps-no-gtin", size="500ml")
    path.write_text(original.replace(f'resolver: "{RESOLVER}"', "").replace("traceability:", ""),
                    encoding="utf-8")
    with pytest.raises(OcopError) as caught:
        run(project, renderer, 3)
    assert str(caught.value) == t("stamps-no-resolver")
    path.write_text(original.replace('gtin: "8936043120011"', 'gtin: "8936043120015"'), encoding="utf-8")
    with pytest.raises(OcopError) as caught:
        run(project, renderer, 3)
    assert str(caught.value) == t("stamps-product-invalid", file="products/htx-khuoi-dong/mien-dong.yaml",
                                  count=1)
    assert nothing_issued(project)


def test_a_stock_too_small_for_the_qr_is_refused_with_the_stocks_that_fit(project: Path,
                                                                          renderer: Renderer) -> None:
    path = project / "htx-khuoi-dong" / "producer.yaml"
    path.write_text(path.read_text(encoding="utf-8") + textwrap.dedent("""\
        label_stocks:
          - id: tem-nho
            name: "Tem 20 × 12 mm"
            label: {width_mm: 20, height_mm: 12}
            columns: 9
            rows: 22
            top_mm: 10
            left_mm: 10
        """), encoding="utf-8")
    with pytest.raises(OcopError) as caught:
        run(project, renderer, 3, stock="tem-nho")
    assert str(caught.value).startswith(t("stamps-stock-too-small", stock="tem-nho", width="20", height="12",
                                          need="16,3 × 18,4", module="0,3"))
    assert "a4-65-38x21" in str(caught.value)
    with pytest.raises(OcopError, match="a4-nguyen-to"):
        run(project, renderer, 3, stock="a4-nguyen-to")  # uncut: stamps need die-cut stickers
    assert nothing_issued(project)


def test_a_locked_registry_times_out_with_a_message_and_issues_nothing(project: Path,
                                                                       renderer: Renderer) -> None:
    path = project.parent / REGISTRY_FILE
    Registry(path, 1).issues()  # create it
    Registry(path, 1).allocate(gtin="1", lot="L", count=1, product="p", sku="s", issued_at="x")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another run, in the middle of its allocation
    try:
        with pytest.raises(RegistryError) as caught:
            run(project, renderer, 3, registry=Registry(path, 0.2))
        assert str(caught.value) == t("serials-locked", path=path, seconds="0.2")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert Registry(path, 1).issues(GTIN) == []
    assert not (project.parent / "output").exists()


def test_an_output_folder_another_build_holds_issues_nothing(project: Path, renderer: Renderer) -> None:
    import fcntl

    output = project.parent / "output"
    output.mkdir()
    holder = os.open(output / LOCK, os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)  # a build in progress
    try:
        with pytest.raises(OutputError) as caught:
            run(project, renderer, 3, lock_wait=0.3)
        assert str(caught.value) == t("output-busy", folder=Path("output"), seconds="0.3")
    finally:
        os.close(holder)
    assert Registry(project.parent / REGISTRY_FILE, 1).issues() == []
    assert not list(output.rglob("*.pdf"))


@pytest.mark.parametrize("kind", ["not sqlite", "another database", "wrong columns"])
def test_a_corrupt_or_foreign_registry_is_refused_and_left_alone(project: Path, renderer: Renderer,
                                                                 kind: str) -> None:
    path = project.parent / REGISTRY_FILE
    if kind == "not sqlite":
        path.write_bytes(b"serials: 1-70\n" * 200)
    else:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE notes (text TEXT)" if kind == "another database" else
                   "CREATE TABLE issues (id INTEGER PRIMARY KEY, gtin TEXT)")
        if kind == "wrong columns":
            db.execute("PRAGMA application_id = 1329811539")  # ours, but not our tables
            db.execute("PRAGMA user_version = 1")
        db.commit()
        db.close()
    before = path.read_bytes()
    with pytest.raises(RegistryError) as caught:
        run(project, renderer, 3)
    code = "serials-corrupt" if kind == "not sqlite" else "serials-not-ours"
    assert caught.value.code == code
    assert str(caught.value).startswith(t(code, path=path, detail="")[:30])
    assert path.read_bytes() == before
    assert not (project.parent / "output").exists()


def test_qr_codes_encoded_in_worker_processes_are_the_same() -> None:
    links = [f"{RESOLVER}/01/0{GTIN}/10/{LOT}/21/{n:06d}" for n in range(stamps.PARALLEL_FROM)]
    assert stamps.encode(links, jobs=2) == stamps.encode(links, jobs=1)


def test_serial_width_and_module_bounds_are_data() -> None:
    settings = stamp_settings()
    assert stamps.serial_text(7) == "7".zfill(settings.serial_digits)
    assert settings.qr_module_mm.min <= Decimal("0.35") <= settings.qr_module_mm.max
