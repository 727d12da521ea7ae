"""In the service run of `make test` the product really talks to PostgreSQL, Redis and S3."""

import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from tests.conftest import requires_services

pytestmark = [requires_services, pytest.mark.django_db]


def test_the_database_is_postgresql_with_dutch_full_text_search():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('dutch', 'wondverzorging bij ouderen')")
        assert "ouder" in cursor.fetchone()[0]


def test_the_cache_is_redis():
    key = f"probe-{uuid.uuid4()}"
    cache.set(key, "ja", 30)
    client = cache._cache.get_client(key)
    assert client.ping() is True
    assert cache.get(key) == "ja"
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


def test_media_goes_to_the_s3_bucket_behind_signed_expiring_urls(s3_bucket):
    name = default_storage.save("probe/hello.txt", ContentFile(b"hallo"))
    listed = s3_bucket.list_objects_v2(Bucket=settings.AWS_STORAGE_BUCKET_NAME, Prefix="probe/")
    assert name in [entry["Key"] for entry in listed["Contents"]]
    url = default_storage.url(name)
    assert url.startswith(settings.STORAGES["default"]["OPTIONS"]["endpoint_url"])
    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=300" in url
    default_storage.delete(name)
