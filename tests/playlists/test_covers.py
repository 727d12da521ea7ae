"""Path covers: the mosaic drawn from the first courses, and covers learners upload."""

import importlib
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import clear_url_caches
from PIL import Image

from catalog.models import CoursePage
from lms import urls as site_urls
from lms.demo.catalog import cover_image_draw
from playlists import covers, services
from playlists.models import LearningPath
from tests.factories import course_publish, learner_with_profile

pytestmark = pytest.mark.django_db


def _course_with_cover(title: str):
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    image = get_image_model()(title=title)
    image.file = ImageFile(
        io.BytesIO(cover_image_draw(title=title, width=640, height=360)), name="c.png"
    )
    image.save()
    return course_publish(title=title, cover_image=image)


def test_the_mosaic_follows_the_first_four_courses(
    owner_with_path, django_capture_on_commit_callbacks
):
    path, courses = owner_with_path
    path.refresh_from_db()
    assert path.mosaic and path.mosaic_of == ",".join(str(c.pk) for c in courses[:4])
    with Image.open(path.mosaic.open("rb")) as mosaic:
        assert mosaic.size == (640, 640) and mosaic.format == "WEBP"
    first_mosaic = path.mosaic.name
    # A change after the first four leaves the mosaic alone...
    assert covers.path_mosaic_refresh(path_id=path.pk) is False
    # ...moving the fifth course to the front draws it again.
    fifth = path.items.order_by("rank").last()
    with django_capture_on_commit_callbacks(execute=True):
        services.path_item_move(path=path, item_id=fifth.pk, after_id=None)
    path.refresh_from_db()
    assert path.mosaic_of.startswith(f"{courses[4].pk},") and path.mosaic.name != first_mosaic
    assert not path.mosaic.storage.exists(first_mosaic)  # the old file is removed


@pytest.fixture
def development_urls(settings):
    """The site's URLs as the development server (DEBUG) has them."""
    settings.DEBUG = True
    importlib.reload(site_urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(site_urls)
    clear_url_caches()


def test_the_development_server_serves_path_covers(client, owner_with_path, development_urls):
    if not settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        pytest.skip("with S3 the bucket serves the covers, not the development server")
    path, _courses = owner_with_path
    path.refresh_from_db()
    response = client.get(path.cover_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"RIFF"  # the WebP mosaic


@pytest.fixture(scope="module")
def _path_ids(module_rows):
    """A path over five courses with covers, made (and its mosaic drawn) once for this module."""

    def create():
        owner = learner_with_profile()
        courses = [_course_with_cover(f"Cursus {n}") for n in range(5)]
        path = services.path_create(owner=owner, title="Met omslag")
        with TestCase.captureOnCommitCallbacks(execute=True):
            for course in courses:
                services.path_item_add(path=path, actor=owner, course_id=course.pk)
        return path.pk, [course.pk for course in courses]

    return module_rows(create)


@pytest.fixture
def owner_with_path(_path_ids):
    path_id, course_ids = _path_ids
    return LearningPath.objects.get(pk=path_id), [
        CoursePage.objects.get(pk=pk) for pk in course_ids
    ]


def _image(kind: str, size=(800, 600), mode="RGB") -> bytes:
    output = io.BytesIO()
    Image.new(mode, size).save(output, format=kind)
    return output.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "omslag.png",
            b"%PDF-1.4 not an image",
            "Dit bestand is geen afbeelding die we kunnen lezen.",
        ),
        ("omslag.jpg", _image("GIF"), "Upload een JPEG-, PNG- of WebP-afbeelding."),
        ("groot.png", b"0" * (5 * 1024 * 1024 + 1), "Een omslag mag hoogstens 5 MB zijn."),
        # 81 megapixels in a small file: refused before it is decoded.
        ("bom.png", _image("PNG", (9000, 9000), mode="1"), "Deze afbeelding is te groot"),
    ],
)
def test_uploaded_covers_are_checked_by_content(client, owner_with_path, name, data, message):
    path, _courses = owner_with_path
    client.force_login(path.owner)
    response = client.post(
        f"/leerpaden/{path.pk}/bewerken/",
        {"title": path.title, "visibility": "private", "cover": SimpleUploadedFile(name, data)},
        follow=True,
    )
    assert message in response.text
    path.refresh_from_db()
    assert not path.cover


def test_an_uploaded_cover_is_re_encoded_and_shown_instead_of_the_mosaic(client, owner_with_path):
    path, _courses = owner_with_path
    client.force_login(path.owner)
    upload = SimpleUploadedFile("foto.jpg", _image("JPEG", (3000, 2000)))
    client.post(
        f"/leerpaden/{path.pk}/bewerken/",
        {"title": path.title, "visibility": "private", "cover": upload},
    )
    path.refresh_from_db()
    with Image.open(path.cover.open("rb")) as cover:
        assert cover.format == "WEBP" and max(cover.size) == 1200
    assert path.cover.name in client.get("/leerpaden/").text  # (S3 URLs are signed anew)
    client.post(
        f"/leerpaden/{path.pk}/bewerken/",
        {"title": path.title, "visibility": "private", "cover_remove": "1"},
    )
    path.refresh_from_db()
    assert not path.cover and path.mosaic.name in client.get("/leerpaden/").text
