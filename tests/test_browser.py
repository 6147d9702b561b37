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
        "#report tbody tr.product",
        """rows => rows.filter(r => !r.hidden && r.offsetParent !== null).map(r => ({
               id: r.id, status: r.dataset.status, expiring: r.dataset.expiring, producer: r.dataset.producer,
               commune: r.dataset.commune, text: r.textContent, product: r.cells[0].dataset.sort,
               stars: r.cells[2].dataset.sort, expiry: r.cells[3].dataset.sort}))""")


def body_order(page) -> list[str]:
    """The visible rows of the table in order: C:<commune>, P:<producer>, or the product id."""
    return page.eval_on_selector_all(
        "#report tbody tr",
        """rows => rows.filter(r => !r.hidden).filter(r => !r.classList.contains('details')).map(r =>
               r.classList.contains('commune-row') ? 'C:' + r.dataset.commune
               : r.classList.contains('producer-row') ? 'P:' + r.dataset.producer : r.id)""")


def open_page(browser, sample_build: SampleBuild, viewport: dict[str, int] = DESKTOP):
    page = browser.new_page(viewport=viewport)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(f"console: {message.text}") if message.type == "error"
            else None)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("request", lambda request: errors.append(f"request: {request.url}")
            if not request.url.startswith(("file:", "data:")) else None)
    page.goto((sample_build.output / "index.html").as_uri())
    return page, errors


def test_the_report_sorts_filters_and_fits_a_phone(browser, sample_build: SampleBuild) -> None:
    page, errors = open_page(browser, sample_build)
    rows = visible_rows(page)
    assert len(rows) == 12
    assert page.text_content("#shown") == "12 / 12 sản phẩm"

    # sort by product name: ascending, then descending, inside each producer's group
    header = page.locator("#report thead th").nth(0)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    by_producer: dict[str, list[str]] = {}
    for row in visible_rows(page):
        by_producer.setdefault(row["producer"], []).append(row["product"])
    assert all(names == sorted(names, key=fold) for names in by_producer.values())
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    for row_producer, names in by_producer.items():
        assert [r["product"] for r in visible_rows(page) if r["producer"] == row_producer] == names[::-1]

    # without grouping, a numeric column sorts the whole list: stars, unrated last both ways
    page.select_option("#group", "none")
    assert not any(o.startswith(("P:", "C:")) for o in body_order(page))
    stars = page.locator("#report thead th").nth(2)
    for direction, sign in (("ascending", 1), ("descending", -1)):
        stars.locator("button").click()
        assert stars.get_attribute("aria-sort") == direction
        assert header.get_attribute("aria-sort") == "none"
        values = [r["stars"] for r in visible_rows(page)]
        rated = [int(v) for v in values if v]
        assert rated == sorted(rated, key=lambda v: sign * v) and len(rated) >= 2
        assert values == [*values[:len(rated)], *[""] * (len(values) - len(rated))]
    # the next expiry, as a date
    expiry = page.locator("#report thead th").nth(3)
    expiry.locator("button").click()
    dates = [r["expiry"] for r in visible_rows(page) if r["expiry"]]
    assert dates == sorted(dates) and len(dates) >= 3

    # the status filter, and the summary buttons that set it
    page.select_option("#group", "producer")
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
    assert len(visible_rows(page)) == 12 and page.input_value("#status") == "all"

    # details open under their product and close again
    first = visible_rows(page)[0]["id"]
    page.click(f"#{first} button.open")
    details = page.locator(f"#d-{first[2:]}")
    assert details.is_visible() and "Tài liệu" in (details.text_content() or "")
    page.click(f"#{first} button.open")
    assert not details.is_visible()

    # no page-wide sideways scrolling, on a desktop or a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert len(visible_rows(page)) == 12
    assert page.evaluate("document.documentElement.scrollHeight") < 4000  # was about 11,000 px
    assert errors == []
    page.close()


def test_search_finds_a_phrase_in_one_field_not_words_across_the_page(browser, sample_build: SampleBuild) -> None:
    page, errors = open_page(browser, sample_build)
    cases = {
        # the commune: exactly the three products made in xã Côn Minh, none that says "còn" and "minh"
        "Côn Minh": {"p-htx-khuoi-dong-mien-dong", "p-htx-khuoi-dong-mien-dong-goi-nho",
                     "p-htx-khuoi-dong-tinh-bot-dong-rieng"},
        "con minh": {"p-htx-khuoi-dong-mien-dong", "p-htx-khuoi-dong-mien-dong-goi-nho",
                     "p-htx-khuoi-dong-tinh-bot-dong-rieng"},
        # a certificate number (GS1 certificate of the Khuổi Dong cooperative)
        "18542/2024/GS1VN": {"p-htx-khuoi-dong-mien-dong", "p-htx-khuoi-dong-mien-dong-goi-nho",
                             "p-htx-khuoi-dong-tinh-bot-dong-rieng"},
        # a test report number, a product name without accents
        "KN2506-0873/VB": {"p-htx-khuoi-ma-tra-gung"},
        "mat ong": {"p-htx-ong-mat-ho-xanh-mat-ong"},
    }
    for typed, expected in cases.items():
        page.fill("#filter", typed)
        assert {r["id"] for r in visible_rows(page)} == expected, typed
    # the province: every product (the addresses are searchable)
    page.fill("#filter", "Thái Nguyên")
    assert len(visible_rows(page)) == 12
    # a GTIN from the samples' data
    gtins = page.eval_on_selector_all("#report tbody tr.product", r"""rows => rows.map(r => [r.id,
        r.dataset.search.split('\n').filter(f => /^\d{13}$/.test(f))])""")
    row_id, numbers = next((i, n) for i, n in gtins if n)
    page.fill("#filter", numbers[0])
    assert row_id in {r["id"] for r in visible_rows(page)} and len(visible_rows(page)) <= 3
    # words that sit in two different fields are not a phrase
    page.fill("#filter", "Khuổi Dong Miến dong")
    assert visible_rows(page) == [] and page.is_visible("#empty")
    page.fill("#filter", "")
    assert len(visible_rows(page)) == 12
    assert errors == []
    page.close()


def test_grouping_by_commune_and_the_commune_summary(browser, sample_build: SampleBuild) -> None:
    page, errors = open_page(browser, sample_build)
    # by producer (the default): a producer line, then its products
    order = body_order(page)
    assert order[0].startswith("P:") and sum(o.startswith("P:") for o in order) == 7
    rows = {r["id"]: r for r in visible_rows(page)}
    current = None
    for item in order:
        if item.startswith("P:"):
            current = item[2:]
        else:
            assert rows[item]["producer"] == current
    # by commune: a commune line with counts, then its producers and products
    page.select_option("#group", "commune")
    order = body_order(page)
    assert order[0].startswith("C:")
    commune = None
    for item in order:
        if item.startswith("C:"):
            commune = item[2:]
        elif not item.startswith("P:"):
            assert rows[item]["commune"] == commune
    line = page.locator("tr.commune-row[data-commune='xã Côn Minh|tỉnh Thái Nguyên']")
    assert "3 sản phẩm" in (line.text_content() or "")
    # a filter hides communes with nothing to show
    page.fill("#filter", "Côn Minh")
    assert [o for o in body_order(page) if o.startswith("C:")] == ["C:xã Côn Minh|tỉnh Thái Nguyên"]
    page.fill("#filter", "")
    # the summary table sorts; its totals are the page's
    summary = page.locator("#communes thead th").nth(3)
    summary.locator("button").click()
    summary.locator("button").click()
    counts = page.eval_on_selector_all("#communes tbody tr", "rows => rows.map(r => +r.cells[3].dataset.sort)")
    assert counts == sorted(counts, reverse=True) and sum(counts) == 12
    assert page.text_content("#communes tfoot td:nth-child(4)") == "12"
    assert errors == []
    page.close()


def test_the_first_screen_shows_ten_products_without_sideways_scrolling(browser, sample_build: SampleBuild) -> None:
    page, errors = open_page(browser, sample_build, {"width": 1366, "height": 768})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    in_view = page.eval_on_selector_all("#report tbody tr.product", """rows => rows.filter(r => {
        const box = r.getBoundingClientRect(); return box.height > 0 && box.bottom <= innerHeight; }).length""")
    assert in_view >= 10
    heights = page.eval_on_selector_all("#report tbody tr.product", "rows => rows.map(r => r.offsetHeight)")
    assert max(heights) <= 40  # one line a product
    assert errors == []
    page.close()


def test_the_page_switches_language(browser, sample_build: SampleBuild, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from ocopdocs import report

    from .conftest import TEMPLATES
    monkeypatch.setenv("OCOPDOCS_LANG", "en")
    english = tmp_path / "index.html"
    english.write_text(report.render_html(report.collect(sample_build.result), TEMPLATES), encoding="utf-8")
    page = browser.new_page(viewport=DESKTOP)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(english.as_uri())
    assert page.text_content("#shown") == "12 / 12 products"
    page.fill("#filter", "Côn Minh")
    assert page.text_content("#shown") == "3 / 12 products"
    assert page.get_attribute("html", "lang") == "en"
    assert "Search" in (page.text_content("label[for=filter]") or "")
    assert page.text_content("#report thead th:nth-child(1) button") == "Product"
    assert errors == []
    page.close()
