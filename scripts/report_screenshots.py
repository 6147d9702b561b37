"""Screenshots of the readiness report, to look at: a desktop and a phone view.

    .venv/bin/python scripts/report_screenshots.py [OUTPUT_DIR] [--to DIR]

Opens OUTPUT_DIR/index.html (default: output/) in Debian's Chromium through Playwright's
driver and writes report-desktop.png (1366 × 768, whole page) and report-phone.png
(390 × 844, the first screen and the first product cards) into DIR (default: /tmp).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    """Parse the arguments, open the report, save the two screenshots."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("output", nargs="?", type=Path, default=Path("output"))
    parser.add_argument("--to", type=Path, default=Path("/tmp"))
    args = parser.parse_args()
    page_url = (args.output / "index.html").resolve().as_uri()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        desktop = browser.new_page(viewport={"width": 1366, "height": 768})
        desktop.goto(page_url)
        desktop.screenshot(path=str(args.to / "report-desktop.png"), full_page=True)
        phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                 is_mobile=True, has_touch=True)
        phone.goto(page_url)
        height = min(phone.evaluate("document.documentElement.scrollHeight"), 2600)
        phone.screenshot(path=str(args.to / "report-phone.png"), full_page=True,
                         clip={"x": 0, "y": 0, "width": 390, "height": height})
        browser.close()
    print(args.to / "report-desktop.png", args.to / "report-phone.png")


if __name__ == "__main__":
    main()
