"""The readiness report in a real browser: Debian's Chromium, driven by Playwright.

Only Playwright's driver is used, with ``executable_path``; ``playwright install`` is never
run. ``bash scripts/dev.sh setup`` installs the ``chromium`` package where apt is available.
Without it this test fails (it does not skip): the page's script is part of the deliverable.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import SampleBuild

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def fold(text: str) -> str:
    """Lower case without diacritics, as the page's filter compares."""
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/dev.sh setup` (installs Debian's chromium "
                    "with apt) or `apt-get install chromium`", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: run `bash scripts/dev.sh setup` (pip install -e '.[test]')",
                    pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def visible_rows(page) -> list[dict[str, str]]:
    return page.eval_on_selector_all(
        "#report tbody tr",
        """rows => rows.filter(r => !r.hidden && r.offsetParent !== null).map(r => ({
               id: r.id, status: r.dataset.status, expiring: r.dataset.expiring,
               text: r.textContent, product: r.cells[1].dataset.sort, stars: r.cells[3].dataset.sort}))""")


def test_the_report_sorts_filters_and_fits_a_phone(browser, sample_build: SampleBuild) -> None:
    page = browser.new_page(viewport=DESKTOP)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(f"console: {message.text}") if message.type == "error"
            else None)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("request", lambda request: errors.append(f"request: {request.url}")
            if not request.url.startswith(("file:", "data:")) else None)
    page.goto((sample_build.output / "index.html").as_uri())
    rows = visible_rows(page)
    assert len(rows) == 11
    assert page.text_content("#shown") == "11 / 11 sản phẩm"

    # sort by product name: ascending, then descending on a second click
    header = page.locator("#report thead th").nth(1)
    original = [r["product"] for r in rows]
    header.locator("button").click()
    ascending = [r["product"] for r in visible_rows(page)]
    assert ascending == sorted(original, key=fold) != original
    assert header.get_attribute("aria-sort") == "ascending"
    header.locator("button").click()
    assert [r["product"] for r in visible_rows(page)] == ascending[::-1]
    assert header.get_attribute("aria-sort") == "descending"

    # a numeric column: OCOP stars, products without a certificate last in both directions
    stars = page.locator("#report thead th").nth(3)
    for direction, sign in (("ascending", 1), ("descending", -1)):
        stars.locator("button").click()
        assert stars.get_attribute("aria-sort") == direction
        assert header.get_attribute("aria-sort") == "none"
        values = [r["stars"] for r in visible_rows(page)]
        rated = [int(v) for v in values if v]
        assert rated == sorted(rated, key=lambda v: sign * v) and len(rated) >= 2
        assert values == [*values[:len(rated)], *[""] * (len(values) - len(rated))]

    # the text filter: rows with every word, with or without diacritics, stay; the rest hide
    page.fill("#filter", "mat ong")
    shown = visible_rows(page)
    assert [r["product"] for r in shown] == ["Mật ong hoa rừng"]
    assert page.text_content("#shown") == "1 / 11 sản phẩm"
    page.fill("#filter", "Khuổi  DONG")
    every = page.eval_on_selector_all("#report tbody tr", "rows => rows.map(r => [r.id, r.textContent])")
    expected = {row_id for row_id, text in every if all(w in fold(text) for w in ("khuoi", "dong"))}
    assert {r["id"] for r in visible_rows(page)} == expected
    assert {"p-htx-khuoi-dong-mien-dong", "p-htx-khuoi-dong-tinh-bot-dong-rieng"} <= expected
    assert "p-htx-ong-mat-ho-xanh-mat-ong" not in expected
    page.fill("#filter", "không có sản phẩm nào như thế")
    assert visible_rows(page) == [] and page.is_visible("#empty")
    page.fill("#filter", "")

    # the status filter, and the summary buttons that set it
    counts = {key: int(page.text_content(f"#n-{key}") or 0) for key in ("ready", "blocked", "expiring")}
    for status in ("ready", "blocked", "expiring"):
        page.select_option("#status", status)
        shown = visible_rows(page)
        assert len(shown) == counts[status] >= 1
        if status == "expiring":
            assert all(r["expiring"] == "1" for r in shown)
        else:
            assert all(r["status"] == status for r in shown)
    page.click(".summary button[data-show='all']")
    assert len(visible_rows(page)) == 11 and page.input_value("#status") == "all"

    # no page-wide sideways scrolling, on a desktop or a phone (the table scrolls in its box)
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert len(visible_rows(page)) == 11
    assert errors == []
    page.close()
