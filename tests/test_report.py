"""The readiness report (index.html, report.csv) and the producers' submission bundles."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
import shutil
import zipfile
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest

from ocopdocs import bundle, pipeline, report
from ocopdocs.render import Renderer

from .conftest import PRODUCTS, TEMPLATES, SampleBuild, build_and_publish, copy_sample, write_tree

HONEY = "htx-ong-mat-ho-xanh"
NOTHING = ["trademark-rules-of-use"]
"""A kind the honey cooperative has no document of: the build renders nothing, fast."""


class Page(HTMLParser):
    """The report's product rows: attributes, text, cells and links."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, object]] = {}
        self.links: list[str] = []
        self.summary: dict[str, int] = {}
        self._row: dict[str, object] | None = None
        self._cell: dict[str, str] | None = None
        self._number: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "tr" and a.get("data-for", "").startswith("p-"):  # a product's details row
            self._row = self.rows[a["data-for"][2:]]
        elif tag == "tr" and a.get("id", "").startswith("p-"):
            self._row = {"status": a["data-status"], "expiring": a["data-expiring"] == "1", "text": "",
                         "cells": [], "links": []}
            self.rows[a["id"][2:]] = self._row
        elif tag == "td" and self._row is not None:
            self._cell = {"label": a.get("data-label", ""), "sort": a.get("data-sort", ""),
                          "class": a.get("class", ""), "text": ""}
            self._row["cells"].append(self._cell)  # type: ignore[attr-defined]
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])
            if self._row is not None:
                self._row["links"].append(a["href"])  # type: ignore[attr-defined]
        elif tag == "span" and a.get("id", "").startswith("n-"):
            self._number = a["id"][2:]

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._row = None
        elif tag == "td":
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._number is not None:
            self.summary[self._number] = int(data)
            self._number = None
        if self._row is not None:
            self._row["text"] = str(self._row["text"]) + data
        if self._cell is not None:
            self._cell["text"] += data

    def cell(self, row: str, label: str) -> dict[str, str]:
        [found] = [c for c in self.rows[row]["cells"] if c["label"] == label]  # type: ignore[attr-defined]
        return found  # type: ignore[no-any-return]


def squash(text: object) -> str:
    return re.sub(r"\s+", " ", str(text))


def product_files() -> list[Path]:
    return sorted(p for p in PRODUCTS.glob("*/*.yaml") if p.name != "producer.yaml")


def read_csv(output: Path) -> list[list[str]]:
    data = (output / "report.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def build(products: Path, output: Path, renderer: Renderer, templates: Path = TEMPLATES,
          **options: object) -> pipeline.BuildResult:
    return build_and_publish(products, output, templates, renderer=renderer, **options)


# --------------------------------------------------------------------- the sample province


def test_every_sample_product_is_a_row_of_the_page_and_the_csv(sample_build: SampleBuild) -> None:
    output = sample_build.output
    page = Page((output / "index.html").read_text(encoding="utf-8"))
    expected = {f"{p.parent.name}-{p.stem}" for p in product_files()}
    assert len(expected) == 12
    assert set(page.rows) == expected
    assert page.summary["products"] == 12
    assert page.summary["ready"] + page.summary["blocked"] == 12
    assert page.summary["ready"] == sum(r["status"] == "ready" for r in page.rows.values()) >= 1
    assert page.summary["expiring"] == sum(bool(r["expiring"]) for r in page.rows.values()) >= 1
    assert page.summary["documents"] == len(list(output.rglob("*.pdf")))

    rows = read_csv(output)
    header, body = rows[0], rows[1:]
    assert header[:8] == ["Tổ chức", "Thư mục tổ chức", "Xã, phường", "Tỉnh", "Liên hệ", "Sản phẩm",
                          "Tệp khai báo", "Tình trạng"]
    assert "nhãn: tình trạng" in header and "Minh chứng còn thiếu" in header
    assert len(body) == 12 and all(len(r) == len(header) for r in body)
    by_file = {Path(r[6]).resolve(): r for r in body}
    assert set(by_file) == set(product_files())
    for path in product_files():
        line = by_file[path]
        html_row = page.rows[f"{path.parent.name}-{path.stem}"]
        assert line[7] == ("Sẵn sàng nộp" if html_row["status"] == "ready" else "Còn vướng")
        assert line[5] in squash(html_row["text"])
        for pdf in line[header.index("nhãn: tệp PDF")].split("; "):
            assert (output / pdf).is_file() and pdf in html_row["links"]


def test_the_page_is_one_self_contained_file(sample_build: SampleBuild) -> None:
    text = (sample_build.output / "index.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in text and 'name="viewport"' in text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)  # no CDN, no network
    assert "<link rel=\"stylesheet\"" not in text and "<script src" not in text
    assert "@import" not in text and "url(" not in text
    # the CSP allows exactly the inlined script and style
    [script] = re.findall(r"<script>(.*?)</script>", text, re.S)
    [style] = re.findall(r"<style>(.*?)</style>", text, re.S)
    for inline in (script, style):
        digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in text
    assert "default-src 'none'" in text
    assert "Dữ liệu mẫu" in text  # the samples are fictional, and the page says so
    assert date.today().strftime("%d/%m/%Y") in text


def test_links_point_to_the_pdfs_and_bundles_in_the_output(sample_build: SampleBuild) -> None:
    output = sample_build.output
    page = Page((output / "index.html").read_text(encoding="utf-8"))
    pdfs = {p.relative_to(output).as_posix() for p in output.rglob("*.pdf")}
    linked = set(page.links)
    assert pdfs <= linked  # every document is reachable from the page
    for href in linked:
        assert not href.startswith(("/", "file:", "http")) and ".." not in href
        assert (output / href).is_file(), href
    assert {h for h in linked if h.endswith(".zip")} == {p.name for p in output.glob("*.zip")}


def test_a_product_with_a_gap_is_blocked_and_shows_the_message(sample_build: SampleBuild) -> None:
    output = sample_build.output
    page = Page((output / "index.html").read_text(encoding="utf-8"))
    errors = [p for p in sample_build.result.problems if p.file.endswith(".yaml") and p.severity == "gap"]
    assert errors  # the samples keep deliberate gaps (README)
    for problem in errors:
        path = Path(problem.file).resolve()
        folder = path.parent.name
        products = [path] if path.name != "producer.yaml" else [
            p for p in product_files() if p.parent.name == folder]
        for product in products:
            row = page.rows[f"{folder}-{product.stem}"]
            assert row["status"] == "blocked"
            assert squash(problem.message) in squash(row["text"])
    # the too-old test report of the ginger drink: blocked, and the report says it expired
    ginger = page.rows["htx-khuoi-ma-tra-gung"]
    assert ginger["status"] == "blocked" and ginger["expiring"]
    assert "Đã hết hạn" in str(ginger["text"])
    assert page.cell("htx-khuoi-ma-tra-gung", "Hết hạn tiếp theo")["sort"] <= date.today().isoformat()


def test_a_product_that_does_not_load_is_a_blocked_row(tmp_path: Path, renderer: Renderer) -> None:
    products = copy_sample(tmp_path, HONEY)
    honey = products / HONEY / "mat-ong.yaml"
    text = honey.read_text(encoding="utf-8")
    honey.write_text(re.sub(r'gtin: "(\d{12})(\d)"', lambda m: f'gtin: "{m[1]}{(int(m[2]) + 1) % 10}"',
                            text, count=1), encoding="utf-8")
    (products / HONEY / "hong.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    empty_templates = tmp_path / "templates"  # the report template falls back to the shipped one
    empty_templates.mkdir()
    output = tmp_path / "output"
    build(products, output, renderer, empty_templates, only=NOTHING)
    page = Page((output / "index.html").read_text(encoding="utf-8"))
    assert set(page.rows) == {f"{HONEY}-mat-ong", f"{HONEY}-hong"}
    for key in page.rows:
        assert page.rows[key]["status"] == "blocked"
        assert "failed" in page.cell(key, "Nhãn")["class"]
        assert "Chưa dựng được" in squash(page.rows[key]["text"])
    assert "Số kiểm tra" in squash(page.rows[f"{HONEY}-mat-ong"]["text"])  # the GTIN check digit
    assert "chưa được đóng" in squash(page.rows[f"{HONEY}-hong"]["text"])  # the unclosed bracket, in words
    assert not list(output.glob("*.zip"))  # nothing built, nothing to bundle
    [_, *lines] = read_csv(output)
    assert sorted(line[7] for line in lines) == ["Còn vướng", "Còn vướng"]


def test_expired_and_expiring_certificates_are_listed(tmp_path: Path, renderer: Renderer) -> None:
    products = copy_sample(tmp_path, HONEY)
    producer = products / HONEY / "producer.yaml"
    text = producer.read_text(encoding="utf-8")
    text = text.replace("valid_until: 2028-06-30", "valid_until: 2026-11-19")  # HACCP: 10 days ago
    text = text.replace("valid_until: 2028-10-31", "valid_until: 2027-01-28")  # GS1: in 60 days
    text = text.replace("management_certificates:\n", "management_certificates:\n"
                        '  - scheme: "VietGAP"\n    number: "VG-1"\n    valid_until: 2027-06-01\n')
    text = text.replace("health_certificate_date: 2026-01-20", "health_certificate_date: 2025-12-20", 1)
    producer.write_text(text, encoding="utf-8")
    output = tmp_path / "output"
    build(products, output, renderer, only=NOTHING, as_of=date(2026, 11, 29))
    page = Page((output / "index.html").read_text(encoding="utf-8"))
    row = f"{HONEY}-mat-ong"
    assert page.rows[row]["expiring"]
    # the producer's papers: once, in the producer's line
    listed = squash(re.sub(r"<[^>]+>", " ", (output / "index.html").read_text(encoding="utf-8")))
    assert listed.count("HACCP-VB-0625-0318: hết hạn ngày 19/11/2026") == 1
    assert re.search(r"Chứng nhận HACCP số HACCP-VB-0625-0318: hết hạn ngày 19/11/2026, "
                     r"đã quá 10 ngày", listed), listed
    assert re.search(r"Giấy chứng nhận sử dụng mã số mã vạch GS1 21488/2025/GS1VN: "
                     r"hết hạn ngày 28/01/2027, còn 60 ngày", listed), listed
    assert re.search(r"Giấy xác nhận đủ sức khỏe của [^,]+ ngày 20/12/2025 \(có giá trị 12 tháng\): "
                     r"hết hạn ngày 20/12/2026, còn 21 ngày", listed), listed
    assert "VietGAP" not in listed  # 184 days away: outside the 90-day window
    assert page.cell(row, "Hết hạn tiếp theo")["sort"] == "2026-11-19"
    [header, line] = read_csv(output)
    expiries = line[header.index("Giấy tờ đã hết hạn hoặc sắp hết hạn")]
    assert "đã quá 10 ngày" in expiries and "còn 60 ngày" in expiries
    assert line[header.index("Có giấy tờ hết hạn hoặc sắp hết hạn")] == "Có"


def test_product_text_is_escaped(tmp_path: Path, renderer: Renderer) -> None:
    products = copy_sample(tmp_path, HONEY)
    honey = products / HONEY / "mat-ong.yaml"
    honey.write_text(honey.read_text(encoding="utf-8").replace(
        'vi: "Mật ong hoa rừng"', 'vi: "<script>alert(1)</script> Mật ong <b>rừng</b>"'), encoding="utf-8")
    producer = products / HONEY / "producer.yaml"
    producer.write_text(producer.read_text(encoding="utf-8").replace(
        'legal_name: "Hợp tác xã Nuôi ong Hồ Xanh"', 'legal_name: "HTX <img src=x onerror=alert(2)>"'),
        encoding="utf-8")
    output = tmp_path / "output"
    build(products, output, renderer, only=NOTHING)
    text = (output / "index.html").read_text(encoding="utf-8")
    assert text.count("<script>") == 1 and text.count('<script type="application/json"') == 1
    assert text.count("<script") == 2 and "<img" not in text and "<b>rừng" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Mật ong &lt;b&gt;rừng&lt;/b&gt;" in text
    assert "HTX &lt;img src=x onerror=alert(2)&gt;" in text
    [_, line] = read_csv(output)
    assert line[0] == "HTX <img src=x onerror=alert(2)>"  # the CSV holds the text as written


def test_csv_cells_never_start_a_formula(tmp_path: Path, renderer: Renderer) -> None:
    products = copy_sample(tmp_path, HONEY)
    honey = products / HONEY / "mat-ong.yaml"
    honey.write_text(honey.read_text(encoding="utf-8").replace(
        'vi: "Mật ong hoa rừng"', 'vi: "=HYPERLINK(\\"http://x.example\\")"'), encoding="utf-8")
    output = tmp_path / "output"
    build(products, output, renderer, only=NOTHING)
    [header, line] = read_csv(output)
    assert line[header.index("Sản phẩm")] == "'=HYPERLINK(\"http://x.example\")"


def test_a_broken_report_template_is_a_bug_not_a_data_problem(tmp_path: Path, renderer: Renderer) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES / "report", templates / "report")
    write_tree(templates, {"report/index.html": "<p>{{ report.no_such_thing }}</p>\n"})
    products = copy_sample(tmp_path, HONEY)
    with pytest.raises(jinja2.UndefinedError, match="no_such_thing"):  # a bug, not a data problem
        build(products, tmp_path / "output", renderer, templates, only=NOTHING)
    assert not (tmp_path / "output" / "index.html").exists()


# ------------------------------------------------------------------------------- bundles


def test_each_producer_bundle_holds_exactly_its_pdfs_and_a_contents_list(sample_build: SampleBuild) -> None:
    output = sample_build.output
    producers = sorted(p.parent.name for p in PRODUCTS.glob("*/producer.yaml"))
    assert sorted(p.stem for p in output.glob("*.zip")) == producers
    for producer in producers:
        folder = output / producer
        pdfs = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.pdf"))
        editable = [p.removesuffix(".pdf") + ".docx" for p in pdfs
                    if (folder / (p.removesuffix(".pdf") + ".docx")).is_file()]
        with zipfile.ZipFile(output / f"{producer}.zip") as archive:
            assert archive.namelist() == [bundle.CONTENTS, *pdfs, *editable]
            for name in editable:
                assert archive.read(name) == (folder / name).read_bytes()
            for name in pdfs:
                assert archive.read(name) == (folder / name).read_bytes()
            listing = archive.read(bundle.CONTENTS).decode("utf-8-sig")
        legal_name = re.search(r'legal_name: "([^"]+)"', (PRODUCTS / producer / "producer.yaml")
                               .read_text(encoding="utf-8"))
        assert legal_name and legal_name[1] in listing
        assert date.today().strftime("%d/%m/%Y") in listing
        for name in pdfs:
            assert name in listing
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() in listing
    with zipfile.ZipFile(output / "htx-khuoi-ma.zip") as archive:  # the ginger drink's gaps
        listing = archive.read(bundle.CONTENTS).decode("utf-8-sig")
    assert "Trà gừng hòa tan" in listing and "Còn vướng" in listing and "KN2506-0873/VB" in listing


def test_bundles_are_byte_identical_on_rebuild_and_removed_with_their_producer(
        tmp_path: Path, renderer: Renderer) -> None:
    products = copy_sample(tmp_path, HONEY)
    copy_sample(tmp_path, "cty-pac-nghe", ["mau-curcumin"])
    output = tmp_path / "output"
    build(products, output, renderer, only=["label", "food-safety-certificate"])
    zips = {p.name: p.read_bytes() for p in output.glob("*.zip")}
    assert set(zips) == {f"{HONEY}.zip", "cty-pac-nghe.zip"}
    with zipfile.ZipFile(io.BytesIO(zips[f"{HONEY}.zip"])) as archive:
        assert archive.namelist() == [bundle.CONTENTS, "food-safety-exemption-note.pdf",
                                      "mat-ong/label-250g.pdf", "mat-ong/label-500g.pdf"]
        assert {i.date_time for i in archive.infolist()} == {bundle.TIMESTAMP}

    # another build of only the labels: the exemption note is kept, so are the bundles' bytes
    (output / f"{HONEY}.zip").unlink()
    (output / "notes.zip").write_bytes(b"the officer's own file")
    build(products, output, renderer, only=["label"])
    assert {p.name: p.read_bytes() for p in output.glob("*.zip") if p.name != "notes.zip"} == zips
    page = Page((output / "index.html").read_text(encoding="utf-8"))
    exemption = page.cell(f"{HONEY}-mat-ong", "Cơ sở ATTP")
    assert "Đã dựng" in str(page.rows[f"{HONEY}-mat-ong"]["text"]) and "k built" in exemption["class"]

    shutil.rmtree(products / "cty-pac-nghe")
    build(products, output, renderer, only=["label", "food-safety-certificate"])
    assert sorted(p.name for p in output.glob("*.zip")) == [f"{HONEY}.zip", "notes.zip"]
    assert (output / "notes.zip").read_bytes() == b"the officer's own file"  # not ours: kept
    assert not (output / "cty-pac-nghe").exists()


def test_declared_scans_go_into_the_bundle_but_never_a_link_out(tmp_path: Path, renderer: Renderer,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    products = copy_sample(tmp_path, HONEY)
    folder = products / HONEY
    (folder / "so-sach.pdf").write_bytes(b"%PDF-1.4 the accounts")
    (folder / "moi-truong.pdf").write_bytes(b"%PDF-1.4 " + b"x" * 2000)
    secret = tmp_path / "secret.txt"
    secret.write_text("outside the producer's folder", encoding="utf-8")
    (folder / "dkkd.pdf").symlink_to(secret)
    producer = folder / "producer.yaml"
    producer.write_text(producer.read_text(encoding="utf-8").replace(
        "    date: 2026-03-31\n",
        "    date: 2026-03-31\n    file: so-sach.pdf\n"
        "  business_registration: {document: Bản sao đăng ký HTX, file: dkkd.pdf}\n"
        "  environment: {document: Cam kết môi trường, file: moi-truong.pdf}\n", 1), encoding="utf-8")
    monkeypatch.setattr(bundle, "MAX_SCAN_BYTES", 1536)  # moi-truong.pdf (2009 bytes) is "too large"
    output = tmp_path / "output"
    result = build(products, output, renderer, only=["label"])
    [link] = [p for p in result.problems if p.code == "ocop-evidence-file-missing"]
    assert link.field == "ocop_evidence.business_registration.file" and "dkkd.pdf" in link.message
    with zipfile.ZipFile(output / f"{HONEY}.zip") as archive:
        names = archive.namelist()
        assert f"{bundle.SCANS}/so-sach.pdf" in names
        assert archive.read(f"{bundle.SCANS}/so-sach.pdf") == b"%PDF-1.4 the accounts"
        assert not [n for n in names if "dkkd" in n or "moi-truong" in n]
        assert all(b"outside the producer" not in archive.read(n) for n in names)
        listing = archive.read(bundle.CONTENTS).decode("utf-8-sig")
    assert f"Hồ sơ kế toán cơ bản: {bundle.SCANS}/so-sach.pdf" in listing
    assert f"{bundle.SCANS}/moi-truong.pdf lớn hơn 1,5 KB nên không được đưa vào gói" in listing


@pytest.mark.parametrize(("limit", "lang", "expected"), [
    (20 * 1024 * 1024, "vi", "3. Cam kết: minh-chung/a.pdf lớn hơn 20 MB nên không được đưa vào gói; hãy nộp riêng."),
    (1536 * 1024, "vi", "lớn hơn 1,5 MB nên"),
    (1536 * 1024, "en", "is larger than 1.5 MB, so"),
    (1024 * 1024 - 1, "vi", "lớn hơn 1024 KB nên"),
    (1536, "vi", "lớn hơn 1,5 KB nên"),
    (1000, "vi", "lớn hơn 1000 byte nên"),
    (1000, "en", "is larger than 1000 bytes, so"),
])
def test_a_scan_too_large_names_the_limit_in_mb_kb_or_bytes(monkeypatch: pytest.MonkeyPatch, limit: int, lang: str,
                                                            expected: str) -> None:
    monkeypatch.setattr(bundle, "MAX_SCAN_BYTES", limit)
    monkeypatch.setenv("OCOPDOCS_LANG", lang)
    assert expected in bundle._scan_too_large(3, "Cam kết", "minh-chung/a.pdf")


def test_zip_bytes_depend_only_on_the_files() -> None:
    files = [("MUC-LUC.txt", "Mục lục".encode()), ("a/label.pdf", b"%PDF-1.7 x")]
    assert bundle.zip_bytes(files) == bundle.zip_bytes(list(files))
    with zipfile.ZipFile(io.BytesIO(bundle.zip_bytes(files))) as archive:
        assert archive.testzip() is None
        assert archive.getinfo("a/label.pdf").compress_type == zipfile.ZIP_STORED


@pytest.mark.parametrize("as_of, expected", [
    (date(2027, 1, 15), "còn hiệu lực đến hết hôm nay, 15/01/2027"),
    (date(2027, 1, 14), "hết hạn ngày 15/01/2027, còn 1 ngày"),
    (date(2027, 1, 16), "hết hạn ngày 15/01/2027, đã quá 1 ngày"),
])
def test_expiry_wording_around_the_last_valid_day(as_of: date, expected: str) -> None:
    until = date(2027, 1, 15)
    item = report.Expiry("x", until, (until - as_of).days)
    assert item.text == expected
    assert item.expired == (as_of > until)


def test_report_html_escapes_even_without_the_pipeline() -> None:
    page = report.Report(date(2026, 11, 29), datetime(2026, 11, 29, 8, 0), 90, [("label", "nhãn")],
                         [report.Row("p", "<i>P</i>", "x", "X & Y", "products/p/x.yaml", True, False)],
                         [], [], sample=False)
    text = report.render_html(page, TEMPLATES)
    assert "&lt;i&gt;P&lt;/i&gt;" in text and "X &amp; Y" in text and "<i>P" not in text
    # publish writes the page in blocks as it is made: the same bytes, Vietnamese included
    blocks = list(report._encoded(report.html_pieces(page, TEMPLATES), size=100))
    assert len(blocks) > 10 and b"".join(blocks) == text.encode("utf-8")


# ------------------------------------------------------------ the officer's desk (issue 17)


def test_the_csv_has_places_contact_next_expiry_reasons_and_notes_apart(sample_build: SampleBuild) -> None:
    rows = read_csv(sample_build.output)
    header, body = rows[0], rows[1:]
    line = {r[header.index("Tệp khai báo")].rsplit("/", 1)[-1]: dict(zip(header, r, strict=True)) for r in body}
    mien = line["mien-dong.yaml"]
    assert (mien["Xã, phường"], mien["Tỉnh"]) == ("xã Côn Minh", "tỉnh Thái Nguyên")
    assert "0209 3871 425" in mien["Liên hệ"]
    ginger = line["tra-gung.yaml"]
    assert ginger["Tình trạng"] == "Còn vướng" and ginger["Lý do còn vướng đầu tiên"]
    assert ginger["Lý do còn vướng đầu tiên"] in ginger["Mọi lý do còn vướng"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", ginger["Ngày hết hạn gần nhất"])
    assert ginger["Giấy tờ hết hạn gần nhất"]
    assert any(r["Ghi chú"] for r in line.values())  # info notes apart from the problems
    assert not any("THÔNG TIN" in r["Lỗi và cảnh báo"] for r in line.values())
    assert all(r["Xã, phường"] for r in line.values())


def test_the_communes_csv_counts_each_commune_and_the_province(sample_build: SampleBuild) -> None:
    data = (sample_build.output / "report-communes.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert header == ["Xã, phường", "Tỉnh", "Số tổ chức", "Số sản phẩm", "Sẵn sàng nộp", "Còn vướng",
                      "Hết hạn / sắp hết hạn"]
    *communes, total = body
    assert total[0] == "Cả tỉnh" and total[1] == "tỉnh Thái Nguyên"
    con_minh = next(r for r in communes if r[0] == "xã Côn Minh")
    assert con_minh[2:4] == ["1", "3"]
    for column in range(2, 7):
        assert sum(int(r[column]) for r in communes) == int(total[column])
    assert int(total[3]) == 12 and int(total[4]) + int(total[5]) == 12


def test_libreoffice_reads_the_csv_with_its_vietnamese_and_columns(sample_build: SampleBuild,
                                                                    tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    import subprocess

    import openpyxl
    source = tmp_path / "report.csv"
    shutil.copy(sample_build.output / "report.csv", source)
    subprocess.run([office, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    sheet = openpyxl.load_workbook(tmp_path / "report.xlsx").active
    cells = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    expected = read_csv(sample_build.output)
    assert cells[0] == expected[0]  # the header, column by column, accents intact
    assert len(cells) == len(expected)
    communes = [row[2] for row in cells[1:]]
    assert "xã Côn Minh" in communes


def test_a_ready_product_is_never_listed_under_not_in_the_bundle(sample_build: SampleBuild) -> None:
    with zipfile.ZipFile(sample_build.output / "htx-khuoi-dong.zip") as archive:
        listing = archive.read(bundle.CONTENTS).decode("utf-8-sig")
    documents, gaps = listing.split("Chưa có trong gói hoặc còn vướng:")
    assert "Không có: mọi sản phẩm đều sẵn sàng nộp." in gaps  # all three products are ready
    assert "Miến dong (" in documents and "Sẵn sàng nộp" in documents
    # each document under its product's heading
    heading = documents.index("Miến dong (")
    assert documents.index("mien-dong/label-", heading) > heading
    with zipfile.ZipFile(sample_build.output / "htx-khuoi-ma.zip") as archive:
        listing = archive.read(bundle.CONTENTS).decode("utf-8-sig")
    gaps = listing.split("Chưa có trong gói hoặc còn vướng:")[1]
    assert "Trà gừng hòa tan" in gaps.split("Lưu ý")[0]


def test_the_page_and_bundle_index_speak_english(sample_build: SampleBuild, monkeypatch: pytest.MonkeyPatch) -> None:
    from ocopdocs.messages import CATALOGUES

    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    readiness = report.collect(sample_build.result)
    text = report.render_html(readiness, TEMPLATES)
    assert '<html lang="en">' in text and "Ready to file" in text and "Summary by commune" in text
    page_keys = [k for k in CATALOGUES["vi"] if k.startswith("page-")]
    for key in page_keys:
        vi = CATALOGUES["vi"][key]
        if len(vi) > 12 and "{" not in vi and vi != CATALOGUES["en"][key]:
            assert vi not in text, f"{key}: Vietnamese on the English page"
    assert '"page-shown": "{shown} / {total} products"' in text  # the script's sentence
    csv_header = report.render_csv(readiness).decode("utf-8-sig").splitlines()[0]
    assert csv_header.startswith("Producer,Producer folder,Commune,Province,Contact,Product")
    assert report.render_communes_csv(readiness).decode("utf-8-sig").startswith("Commune,Province")
    listing = bundle.contents(readiness, "htx-khuoi-dong", "HTX", [d for d in readiness.documents
                                                               if d.producer == "htx-khuoi-dong"])
    assert "Documents in this bundle" in listing and "Not in this bundle, or blocked:" in listing
    assert "Tài liệu" not in listing


# ------------------------------------------------------------------ kept when nothing shown changed


def test_the_report_and_bundles_are_kept_when_nothing_they_show_changed(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from ocopdocs.cli import main

    products = copy_sample(tmp_path, HONEY)
    folder = products / HONEY
    (folder / "so-sach.pdf").write_bytes(b"%PDF-1.4 the accounts")
    producer = folder / "producer.yaml"
    producer.write_text(producer.read_text(encoding="utf-8").replace(
        "    date: 2026-03-31\n", "    date: 2026-03-31\n    file: so-sach.pdf\n", 1), encoding="utf-8")
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    output = tmp_path / "output"
    shown = [output / name for name in (report.HTML, report.CSV, report.COMMUNES_CSV, f"{HONEY}.zip")]

    def build(*extra: str) -> tuple[str, dict[Path, int]]:
        out = io.StringIO()
        code = main(["build", "--products", str(products), "--output", str(output), "--templates", str(templates),
                     "--as-of", "29/11/2026", "--jobs", "1", *extra], stdout=out,
                    stderr=io.StringIO())
        assert code in (0, 1)
        return out.getvalue(), {p: p.stat().st_mtime_ns for p in shown}

    monkeypatch.delenv("OCOPDOCS_LANG", raising=False)
    said, first = build()
    again, second = build()
    assert second == first  # nothing written
    # what it says of readiness, from the record: the same lines
    assert again[again.index("Danh mục"):] == said[said.index("Danh mục"):]
    assert "Mật ong" in again.splitlines()[-1]

    def rewritten(*extra: str) -> bool:
        nonlocal first
        _, now = build(*extra)
        changed = now[shown[0]] != first[shown[0]]
        first = now
        assert now == build(*extra)[1], "and kept again by the next build"
        return changed

    assert rewritten("--as-of", "30/11/2026")  # "expires in N days" moves with the day
    assert rewritten() and not rewritten()  # back to the 29th; then nothing changed
    (folder / "so-sach.pdf").write_bytes(b"%PDF-1.4 the accounts, signed")  # a scan the bundle holds
    assert rewritten()
    (templates / report.STYLE).write_text((templates / report.STYLE).read_text(encoding="utf-8") + "\n",
                                          encoding="utf-8")
    assert rewritten()
    (output / report.CSV).write_bytes(b"edited by hand")
    assert rewritten()
    (output / f"{HONEY}.zip").unlink()
    assert rewritten()
    assert (output / f"{HONEY}.zip").is_file()
    (output / report.RECORD).write_text('{"version": 1, "key": 5}', encoding="utf-8")
    assert rewritten()
    product = folder / "mat-ong.yaml"
    product.write_text(product.read_text(encoding="utf-8").replace("Mật ong", "Mật ong rừng", 1), encoding="utf-8")
    assert rewritten()
    assert "Mật ong rừng" in (output / report.HTML).read_text(encoding="utf-8")
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    assert rewritten()
    assert '<html lang="en"' in (output / report.HTML).read_text(encoding="utf-8")
