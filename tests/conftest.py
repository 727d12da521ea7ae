import itertools
import os
import shutil
from contextlib import nullcontext

import pytest
from celery._state import _set_task_join_will_block
from django.conf import settings

from tests.playback import media


def pytest_report_header(config):
    """Say which real services this run talks to, so the output shows them."""
    from django.db import connection

    database = settings.DATABASES["default"]
    storage = settings.STORAGES["default"]
    lines = [
        f"leerstroom database: {connection.vendor} ({database['ENGINE']}, host "
        f"{database.get('HOST') or 'file'})",
        f"leerstroom cache: {settings.CACHES['default']['BACKEND']} "
        f"{settings.CACHES['default'].get('LOCATION', '')}",
        f"leerstroom storage: {storage['BACKEND']} "
        f"{storage.get('OPTIONS', {}).get('endpoint_url') or ''}",
        f"leerstroom celery broker: {settings.CELERY_BROKER_URL}",
    ]
    return lines


@pytest.fixture(scope="session", autouse=True)
def s3_bucket():
    """With S3 configured, the bucket exists (moto_server starts empty)."""
    bucket = settings.AWS_STORAGE_BUCKET_NAME
    if not bucket:
        yield None
        return
    import boto3

    options = settings.STORAGES["default"]["OPTIONS"]
    client = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        region_name=options["region_name"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
    )
    existing = {entry["Name"] for entry in client.list_buckets().get("Buckets", [])}
    if bucket not in existing:
        client.create_bucket(Bucket=bucket)
    yield client


# The transaction module_rows holds open, and its media folder.
_module_shared = {"open": False, "media": None, "close": None}


def _local_media(folder) -> dict:
    """Settings that put local media in this folder; none when media live in S3."""
    if not settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        return {}
    # Both in one folder, as in production: captions are uploaded through the default
    # storage and handed to players through the video storage.
    options = {"location": folder, "base_url": "/media/"}
    return {
        "STORAGES": {
            **settings.STORAGES,
            "default": {**settings.STORAGES["default"], "OPTIONS": options},
            "videos": {**settings.STORAGES["videos"], "OPTIONS": options},
        },
        "MEDIA_ROOT": folder,
    }


@pytest.fixture(autouse=True)
def _media_in_temporary_folder(request, settings, tmp_path):
    media = tmp_path / "media"
    overrides = _local_media(media)
    for name, value in overrides.items():
        setattr(settings, name, value)
    if overrides and _module_shared["media"] and "module_rows" in request.fixturenames:
        # The module's shared files, copied so that no test changes them for the next.
        shutil.copytree(_module_shared["media"], media, dirs_exist_ok=True)


def _commits(item) -> bool:
    """Whether a test commits (live server, transactional): the database is flushed after it."""
    return bool({"transactional_db", "live_server"} & set(item.fixturenames)) or any(
        marker.kwargs.get("transaction") for marker in item.iter_markers("django_db")
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """With pytest-xdist (--dist loadgroup) a worker takes a module's tests that do not commit as
    one unit (they may share module_rows and module fixtures), and each test that commits on
    its own: those come last (after each, the database is flushed), and spread one by one over
    the workers, so the slowest tests (browser, workers) never keep one worker busy while the
    others are done. The order is set in `ModuleRowsLast`, after pytest-django's."""
    if not config.getoption("loadgroup", default=False):  # on xdist workers only
        return
    for item in items:
        if not _commits(item):
            _group_join(item, f"{item.nodeid.split('::')[0]}:rolls-back")


def _group_join(item, group: str) -> None:
    """pytest-xdist's scheduler reads a test's group from its node id ("<id>@<group>"). Its own
    hook writes ``item._nodeid``, which pytest 9 no longer reads (it keeps ``item._id``), so the
    group is written where pytest reads it."""
    from _pytest.nodes import NodeId

    item.add_marker(pytest.mark.xdist_group(group))
    if "@" not in item.nodeid.rsplit("]", 1)[-1]:
        # The parameters go into the last name, so that the id reads "<id>@<group>" also where
        # pytest writes it again from its parts (after "]", where the scheduler looks).
        item._id = NodeId(path=item._id.path, names=tuple(f"{item._id.rest}@{group}".split("::")))


class ModuleRowsLast:
    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        """In each module, the tests that share module_rows run after the others, which
        therefore never meet those rows."""
        runs = itertools.groupby(items, key=lambda item: (item.path, _commits(item)))
        items[:] = [
            item
            for _key, run in runs
            for item in sorted(run, key=lambda item: "module_rows" in item.fixturenames)
        ]


def pytest_configure(config):
    config.pluginmanager.register(ModuleRowsLast(), "leerstroom-module-rows-last")


@pytest.fixture(scope="module")
def module_rows(django_db_setup, django_db_blocker, tmp_path_factory):
    """Makes rows (and media files) once for a module's tests, as Django's setUpTestData: each
    test's changes roll back to them, and they roll back after the module's last test.

    Call it with a function that creates them and returns ids; a function-scoped fixture then
    fetches the objects again for each test. Every test that asks for it, directly or through a
    fixture, sees all rows made through it; the module's other tests run before those.
    """
    from django.db import connection, transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("module-media")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # as Django's own test transactions, for durable blocks
        atomic.__enter__()
    _module_shared.update(open=True, media=media)
    # A response closed outside the test client fires request_finished, whose handler closes a
    # connection it finds inside a transaction: here that would take the rows with it.
    connection.close_if_unusable_or_obsolete = lambda: None

    def make(create):
        overrides = _local_media(media)
        with (
            django_db_blocker.unblock(),
            override_settings(**overrides) if overrides else nullcontext(),
        ):
            return create()

    def close():
        if not _module_shared["open"]:
            return
        del connection.close_if_unusable_or_obsolete
        _module_shared.update(open=False, media=None, close=None)
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    _module_shared["close"] = close
    try:
        yield make
    finally:
        close()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters, cached sessions, pages and renditions from one test never reach the
    next."""
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    yield


requires_services = pytest.mark.skipif(
    not os.environ.get("LEERSTROOM_REQUIRE_SERVICES"),
    reason="runs only in the service run of make test (PostgreSQL, Redis, moto_server)",
)


class _Clips:
    """Test media, generated with ffmpeg the first time a test asks for it."""

    def __init__(self, folder):
        self.folder = folder
        self.made = {}
        self.recipes = {
            "lecture": lambda p: media.lecture_clip(p, seconds=14),
            "long_lecture": lambda p: media.lecture_clip(p, seconds=40),
            "small": lambda p: media.lecture_clip(p, seconds=8, size="480x270"),
            "two_rungs": lambda p: media.lecture_clip(p, seconds=24, size="960x540", rate=25),
            "silent": lambda p: media.lecture_clip(p, seconds=8, size="640x360", audio=False),
            "audio_only": media.audio_only,
            "huge_frame": media.huge_frame,
            "ten_hours": media.ten_hours,
            "single_frame": media.single_frame,
            "truncated": lambda p: media.truncated(self["lecture"], p),
        }

    def __getitem__(self, name):
        if name not in self.made:
            suffix = ".m4a" if name == "audio_only" else ".mp4"
            self.made[name] = self.recipes[name](self.folder / f"{name}{suffix}")
        return self.made[name]


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    return _Clips(tmp_path_factory.mktemp("clips"))


@pytest.fixture
def migrated_data(transactional_db):
    """What the data migrations create, made again after an earlier live-server test's flush."""
    from wagtail.models import Collection, Locale, Page, Site

    from accreditation.models import (
        ActivityCategory,
        CategoryRule,
        Register,
        Requirement,
        WorkHourNorm,
    )
    from accreditation.rules.reference_data import (
        activity_categories_load,
        register_names_en_fill,
        registers_load,
    )
    from accreditation.rules.reference_rules import (
        requirements_load,
        rule_labels_en_fill,
        work_hour_norms_load,
    )
    from catalog.models import Competency, HomePage, Profession
    from catalog.reference_data import competencies_load, professions_load
    from live.models import PresenceRule
    from live.reference_data import presence_rules_load

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
    competencies_load(Competency)
    registers_load(Register, Profession)
    register_names_en_fill(Register)
    activity_categories_load(ActivityCategory)
    requirements_load(Register, Requirement, CategoryRule, ActivityCategory, Profession)
    rule_labels_en_fill(CategoryRule)
    work_hour_norms_load(Profession, WorkHourNorm)
    presence_rules_load(PresenceRule)
    _editors_group_restore()


def _editors_group_restore() -> None:
    """The Editors group and every right a migration of this project grants (each such migration
    has a grant_editor_permissions), in the order the migrations ran."""
    import importlib
    import pkgutil

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    editors, _created = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for app in ("catalog", "accreditation", "playback", "live", "playlists"):
        package = importlib.import_module(f"{app}.migrations")
        for name in sorted(module.name for module in pkgutil.iter_modules(package.__path__)):
            migration = importlib.import_module(f"{app}.migrations.{name}")
            if hasattr(migration, "grant_editor_permissions"):
                migration.grant_editor_permissions(apps, None)
    _page_permissions_restore()


def _page_permissions_restore() -> None:
    """Wagtail's own groups and their rights on the page tree, as its migrations made them."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, Page

    root = Page.get_first_root_node()
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    rights = {
        "Editors": ["add_page", "change_page"],
        "Moderators": ["add_page", "change_page", "publish_page"],
    }
    for name, codenames in rights.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )


@pytest.fixture(autouse=True)
def _ledger_emptied_before_flush(request):
    """After a test that commits, the database is flushed; on SQLite that deletes row by row,
    which the append-only ledger refuses, so the ledger is emptied wholesale first."""
    if not _commits(request.node):
        yield
        return
    if _module_shared["open"]:
        if "module_rows" in request.fixturenames:
            pytest.fail(
                "A test that commits cannot use module_rows: its rows live in a transaction."
            )
        # The module's tests that share rows are done (they run as one unit, before the module's
        # committing tests): their rows are rolled back now rather than when the module ends.
        _module_shared["close"]()
    # Requested here so this teardown runs before the flush.
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    from accreditation.ledger.triggers import ledger_empty_for_flush

    ledger_empty_for_flush(connection)


@pytest.fixture(autouse=True)
def _celery_may_wait_for_results():
    """An eager task marks, in a flag Celery keeps per process, that it may not wait for another
    task's result, and restores the flag when it ends. Two eager tasks at once in the live
    server's threads can leave it set; the next test would find .get() refused."""
    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread; each test starts in Dutch."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
