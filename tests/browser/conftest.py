import os
import shutil
import threading
import time

import pytest
from django.core.signals import request_finished, request_started

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # A live server needs committed data, so these tests commit and flush afterwards.
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `make test` installs Debian's chromium.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


class _InFlight:
    """Requests the live server (threads of this process) is still answering. The tests' own
    client requests run in the main thread and are left out: a streaming response a test never
    reads never sends request_finished, and would keep every later teardown waiting."""

    QUIET_SECONDS = 0.5  # a closing page's last beacon arrives after the page is gone

    def __init__(self):
        self.count = 0
        self.last_change = time.monotonic()
        self.lock = threading.Lock()
        request_started.connect(self.started, weak=False)
        request_finished.connect(self.finished, weak=False)

    def started(self, **kwargs):
        if threading.current_thread() is threading.main_thread():
            return
        with self.lock:
            self.count += 1
            self.last_change = time.monotonic()

    def finished(self, **kwargs):
        if threading.current_thread() is threading.main_thread():
            return
        with self.lock:
            self.count -= 1
            self.last_change = time.monotonic()

    def wait_until_answered(self, seconds: float = 15) -> None:
        """Until nothing is being answered and nothing has come in for a moment."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.count <= 0 and time.monotonic() - self.last_change > self.QUIET_SECONDS:
                return
            time.sleep(0.05)


_in_flight = _InFlight()


@pytest.fixture
def page(browser, live_server, migrated_data):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    # Every window closed, a test's second visitor's too, and their last requests answered:
    # the database is emptied next, which must not meet a request still writing to it.
    for each in browser.contexts:
        each.close()
    _in_flight.wait_until_answered()
