"""The media bucket's CORS and lifecycle rules, checked and set by `manage.py s3_bucket_rules`
against the S3 API (moto_server in the services run)."""

import urllib.request
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from playback.services.bucket_rules import LIFECYCLE_ID
from tests.conftest import requires_services

SITE = "https://leren.example.nl"
ELSEWHERE = "https://elders.example.com"


def _command(*args) -> str:
    out = StringIO()
    call_command("s3_bucket_rules", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def bucket(s3_bucket, settings):
    """The test bucket with no CORS or lifecycle configuration, and left so afterwards."""
    settings.SITE_URL = SITE
    settings.CSRF_TRUSTED_ORIGINS = [f"{SITE}/", "https://beheer.example.nl"]
    name = settings.AWS_STORAGE_BUCKET_NAME

    def empty():
        s3_bucket.delete_bucket_cors(Bucket=name)
        s3_bucket.delete_bucket_lifecycle(Bucket=name)

    empty()
    yield s3_bucket
    empty()


def _preflight(method: str, origin: str, headers: str = "") -> dict:
    """What the bucket answers a browser's CORS preflight for a presigned part upload."""
    endpoint = settings.STORAGES["default"]["OPTIONS"]["endpoint_url"]
    request = urllib.request.Request(
        f"{endpoint}/{settings.AWS_STORAGE_BUCKET_NAME}/videos/x/source.mp4",
        method="OPTIONS",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            **({"Access-Control-Request-Headers": headers} if headers else {}),
        },
    )
    try:
        with urllib.request.urlopen(request) as response:
            return {k.lower(): v for k, v in response.headers.items()} | {"status": 200}
    except urllib.error.HTTPError as refused:
        return {"status": refused.code}


@requires_services
def test_a_bare_bucket_is_reported_then_set_and_then_passes(bucket):
    with pytest.raises(CommandError, match=r"3 rule\(s\) not as needed. Run again with --apply"):
        _command()

    out = _command("--apply")
    assert "CORS and lifecycle rules are as the site needs them." in out
    assert f"site origins: {SITE}, https://beheer.example.nl" in out
    assert "as the site needs them" in _command()

    name = settings.AWS_STORAGE_BUCKET_NAME
    (rule,) = bucket.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
    assert rule["ID"] == LIFECYCLE_ID
    assert rule["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 1}
    cors = {rule["ID"]: rule for rule in bucket.get_bucket_cors(Bucket=name)["CORSRules"]}
    assert cors["leerstroom-upload-parts"]["ExposeHeaders"] == ["ETag"]
    assert set(cors["leerstroom-playback"]["AllowedMethods"]) == {"GET", "HEAD"}


@requires_services
def test_the_bucket_answers_the_sites_preflight_and_refuses_other_origins(bucket):
    """moto_server weighs the origin of a preflight only; the methods and headers per rule are
    checked above, on the configuration as the bucket gives it back."""
    _command("--apply")
    allowed = _preflight("PUT", SITE, "content-type")
    assert allowed["status"] == 200
    assert allowed["access-control-allow-origin"] == SITE
    assert _preflight("PUT", ELSEWHERE, "content-type")["status"] == 403
    assert _preflight("GET", "https://beheer.example.nl", "range")["status"] == 200


@requires_services
def test_rules_of_others_are_kept_and_a_changed_origin_is_noticed(bucket, settings):
    name = settings.AWS_STORAGE_BUCKET_NAME
    bucket.put_bucket_lifecycle_configuration(
        Bucket=name,
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "logs-weg",
                    "Filter": {"Prefix": "logs/"},
                    "Status": "Enabled",
                    "Expiration": {"Days": 30},
                }
            ]
        },
    )
    bucket.put_bucket_cors(
        Bucket=name,
        CORSConfiguration={
            "CORSRules": [
                {
                    "ID": "cdn",
                    "AllowedOrigins": ["https://cdn.example.nl"],
                    "AllowedMethods": ["GET"],
                }
            ]
        },
    )
    _command("--apply")
    lifecycle = bucket.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
    assert {rule["ID"] for rule in lifecycle} == {"logs-weg", LIFECYCLE_ID}
    cors = bucket.get_bucket_cors(Bucket=name)["CORSRules"]
    assert {rule["ID"] for rule in cors} == {
        "cdn",
        "leerstroom-upload-parts",
        "leerstroom-playback",
    }

    settings.SITE_URL = "https://nieuw.example.nl"
    with pytest.raises(CommandError, match=r"2 rule\(s\) not as needed"):
        out = StringIO()
        call_command("s3_bucket_rules", stdout=out)
    assert "CORS rule leerstroom-playback differs from what the site needs." in out.getvalue()


def test_without_a_bucket_the_command_says_there_is_none(settings):
    if settings.AWS_STORAGE_BUCKET_NAME:
        pytest.skip("media are in a bucket in this run")
    with pytest.raises(CommandError, match="media live on local disk"):
        _command()
