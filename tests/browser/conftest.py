import os
import shutil

import pytest

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


@pytest.fixture
def migrated_data(transactional_db):
    """What the data migrations create, made again after an earlier live-server test's flush."""
    from wagtail.models import Collection, Locale, Page, Site

    from accreditation.models import Register
    from accreditation.reference_data import registers_load
    from catalog.models import HomePage, Profession
    from catalog.reference_data import professions_load

    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    if not Site.objects.exists():
        locale, _created = Locale.objects.get_or_create(language_code="nl")
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=locale)
        )
        home = root.add_child(
            instance=HomePage(
                title="Leerstroom", slug="home", hero_title="Leren tussen de diensten door"
            )
        )
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    professions_load(Profession)
    registers_load(Register, Profession)
    _editors_group_restore()


def _editors_group_restore() -> None:
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    editors, _created = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for migration in (
        "catalog.migrations.0002_reference_data",
        "accreditation.migrations.0003_reference_data",
        "playback.migrations.0003_editor_permissions",
    ):
        importlib.import_module(migration).grant_editor_permissions(apps, None)


@pytest.fixture
def page(browser, live_server, migrated_data):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()
