"""``ocopdocs serve``: the live preview in Debian's Chromium, and its read-only, loopback-only server.

The browser test edits a product file as a user would and waits for the page to follow:
the label image and the problem list change, a broken file shows its errors and no label.
The path tests ask with plain http.client for everything that could reach outside the
preview folder.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ocopdocs.preview import CSP, FOLDER, Preview, Server, served_file

from .conftest import TEMPLATES, copy_sample
from .test_browser import ARGS, CHROMIUM

PRODUCT = "htx-khuoi-dong/tinh-bot-dong-rieng"
GTIN = '    gtin: "8936043120103"\n'


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    products = copy_sample(tmp_path, "htx-khuoi-dong", ["tinh-bot-dong-rieng"])
    server = Server(Preview(products, TEMPLATES, tmp_path / FOLDER))
    try:
        yield server, products
    finally:
        server.close()


def get(server: Server, path: str, *, host: str | None = None, method: str = "GET") -> tuple[int, bytes]:
    port = urlsplit(server.url).port
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.putrequest(method, path, skip_host=True)
        connection.putheader("Host", host or f"127.0.0.1:{port}")
        connection.putheader("Content-Length", "0")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_page_follows_edits_in_chromium(served: tuple[Server, Path]) -> None:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium", pytrace=False)
    from playwright.sync_api import sync_playwright

    server, products = served
    path = products / "htx-khuoi-dong" / "tinh-bot-dong-rieng.yaml"
    original = path.read_text(encoding="utf-8")
    assert GTIN in original
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server.url)
            page.click("text=Tinh bột dong riềng")
            page.wait_for_selector("figure img", timeout=60_000)
            assert page.eval_on_selector("figure img", "i => i.complete && i.naturalWidth > 0")
            first = image_digest(server, page)
            assert page.query_selector('li[data-code="label-no-barcode"]') is None
            # the labels come first; the page reloads itself once the other documents are built
            page.wait_for_selector("#pending", state="detached", timeout=60_000)
            assert page.query_selector("text=bản tự công bố") is not None

            # an edit: the variant loses its GTIN, so its label loses the barcode and gains a note
            started = time.perf_counter()
            path.write_text(original.replace(GTIN, ""), encoding="utf-8")
            page.wait_for_selector('li[data-code="label-no-barcode"]', timeout=60_000)
            followed = time.perf_counter() - started
            page.wait_for_selector("figure img", timeout=10_000)
            assert image_digest(server, page) != first  # the label image changed
            print(f"preview followed the edit in {followed:.1f} s")
            assert followed < 15  # about 1 s on an idle machine; generous for a loaded one

            # a broken file: its errors, and no label as if it were current
            path.write_text(original.replace("group: nguyen_lieu", "group: banh"), encoding="utf-8")
            page.wait_for_selector("#errors", timeout=60_000)
            assert page.query_selector("figure img") is None
            assert page.query_selector('li.error[data-code="not-one-of"]') is not None
            assert "banh" in page.inner_text(".problems")

            # fixed again: the label is back
            path.write_text(original, encoding="utf-8")
            page.wait_for_selector("figure img", timeout=60_000)
            assert page.query_selector("#errors") is None
            assert errors == []  # no CSP violation, no script error
        finally:
            browser.close()
    assert path.read_text(encoding="utf-8") == original  # only the test wrote it


def image_digest(server: Server, page: object) -> str:
    src = page.get_attribute("figure img", "src")  # type: ignore[attr-defined]
    status, body = get(server, urlsplit(src).path)
    assert status == 200 and body.startswith(b"\x89PNG")
    return hashlib.sha256(body).hexdigest()


def test_only_the_preview_folder_is_served_and_nothing_is_written(served: tuple[Server, Path],
                                                                   tmp_path: Path) -> None:
    server, products = served
    before = {p: p.read_bytes() for p in products.rglob("*") if p.is_file()}
    status, page = get(server, f"/p/{PRODUCT}")
    assert status == 200 and b"label-bao-25kg.png" in page
    label = f"/files/{PRODUCT}/label-bao-25kg.pdf"
    status, body = get(server, label)
    assert status == 200 and body.startswith(b"%PDF")
    status, body = get(server, "/status.json?product=" + PRODUCT)
    assert status == 200 and json.loads(body)["version"] >= 1

    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF secret")
    preview = tmp_path / FOLDER
    (preview / "htx-khuoi-dong" / "link.pdf").symlink_to(secret)
    (preview / "linked").symlink_to(products)
    for trick in ["/files/../secret.pdf", "/files/htx-khuoi-dong/../../secret.pdf",
                  "/files/%2e%2e/secret.pdf", "/files/htx-khuoi-dong%2ftinh-bot-dong-rieng%2flabel-bao-25kg.pdf",
                  "/files/htx-khuoi-dong%2Ftinh-bot-dong-rieng/label-bao-25kg.pdf",
                  "/files/htx-khuoi-dong%5c..%5c..%5csecret.pdf", "/files//etc/passwd",
                  "/files/htx-khuoi-dong/link.pdf", "/files/linked/htx-khuoi-dong/producer.yaml",
                  "/files/.ocopdocs-state.json", "/files/manifest.json",
                  "/p/../../etc/passwd", "/p/htx-khuoi-dong/producer", "/p/htx-khuoi-dong/..%2fsecret",
                  "/products/htx-khuoi-dong/producer.yaml", "/templates/label/label.html", "/etc/passwd"]:
        assert get(server, trick)[0] == 404, trick
    assert get(server, label, host="evil.example:80")[0] == 404  # DNS rebinding
    for method in ("POST", "PUT", "DELETE"):
        assert get(server, label, method=method)[0] == 501  # no endpoint writes
    assert {p: p.read_bytes() for p in products.rglob("*") if p.is_file()} == before
    assert not (products / FOLDER).exists()


def test_served_file_refuses_tricks(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.png").write_bytes(b"png")
    assert served_file(tmp_path, "a/b.png") == tmp_path.resolve() / "a" / "b.png"
    for raw in ["a/../a/b.png", "a%2fb.png", "a/%2E%2E/a/b.png", "a\\b.png", "/a/b.png", "a//b.png", "a/b.yaml"]:
        assert served_file(tmp_path, raw) is None, raw


def test_loopback_only_and_a_strict_policy(served: tuple[Server, Path]) -> None:
    server, _ = served
    assert server.httpd.server_address[0] == "127.0.0.1"
    assert "default-src 'none'" in CSP and "'unsafe-inline'" not in CSP


def test_a_busy_port_is_a_users_problem_not_a_bug(served: tuple[Server, Path], tmp_path: Path) -> None:
    import io

    from ocopdocs.cli import main

    server, products = served
    err = io.StringIO()
    code = main(["serve", "--products", str(products), "--port", str(urlsplit(server.url).port),
                 "--no-browser"], stdout=io.StringIO(), stderr=err)
    assert code == 1 and "--port" in err.getvalue() and "Traceback" not in err.getvalue()
