"""Screenshots of the running site for the README and for review, in Debian's Chromium.

Usage: .venv/bin/python scripts/screenshots.py [base-url] [output-dir]
Signs in as the demo nurse and captures each page at desktop and phone width; the pages a
visitor sees (sign-in, sign-up, the certificate check, a shared path's preview) anonymously.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {
    "home": "/",
    "search": "/zoeken/?q=zorg&beroep=verpleegkundige&vorm=on_demand",
    "course": "/palliatieve-zorg-de-basis/",
    "episode": "/palliatieve-zorg-de-basis/pijn-en-benauwdheid/",
    "paths": "/leerpaden/",
    "path": "/leerpaden/1/",
    "profile": "/profiel/",
    "accreditation": "/accreditatie/",
    "work-hours": "/accreditatie/werkuren/",
    "not-found": "/bestaat-niet/",
}
ANONYMOUS_PAGES = {
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "certificate-lookup": "/certificaat/",
    "certificate-unknown": "/certificaat/ONBEKEND1/",
}
SIZES = {"desktop": (1366, 860), "phone": (390, 844)}


def lazy_content_reveal(page) -> None:
    """Scroll through the page so rows that load as they come into view are loaded."""
    for _step in range(30):
        at_bottom = page.evaluate(
            "() => { window.scrollBy(0, window.innerHeight);"
            " return window.innerHeight + window.scrollY >= document.body.scrollHeight - 2; }"
        )
        page.wait_for_timeout(150)
        if at_bottom and not page.query_selector(".row--loading"):
            break
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('.row--loading')", timeout=10_000)
    page.evaluate("() => window.scrollTo(0, 0)")


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "var/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for size_name, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for name, path in ANONYMOUS_PAGES.items():
                page.goto(base + path)
                page.screenshot(path=out / f"{name}-{size_name}.png", full_page=True)
            page.goto(base + "/accounts/login/")
            page.fill("input[name=login]", "verpleegkundige@leerstroom.localhost")
            page.fill("input[name=password]", "leerstroom-demo")
            page.click("main form button[type=submit]")
            page.wait_for_load_state()
            for name, path in PAGES.items():
                page.goto(base + path)
                lazy_content_reveal(page)
                page.screenshot(path=out / f"{name}-{size_name}.png", full_page=True)
            page.goto(base + PAGES["path"])
            share_link = page.locator("[data-copy-link] input")
            shared = share_link.input_value() if share_link.count() else ""
            context.close()
            if shared:  # the path's preview, as a visitor with its share link sees it
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.goto(shared)
                page.screenshot(path=out / f"path-preview-{size_name}.png", full_page=True)
                context.close()
        browser.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
