"""The rules the media bucket needs for browsers and for its own upkeep, checked and set.

- Browsers PUT upload parts straight into the bucket (presigned URLs from the video library's
  upload page) and need the part's ETag back; hls.js fetches playlists, keys, segments and
  captions from presigned bucket URLs with XHR. Both are cross-origin requests from the site, so
  the bucket's CORS configuration must allow them for the site's origins, and no others.
- An upload that is started and never completed leaves its parts in the bucket, billed and
  invisible. A lifecycle rule aborts incomplete multipart uploads after a day (an upload page
  that stays open longer starts again from the parts it can no longer resume).

Rules this module does not own (other IDs) are left as they are.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.storage import default_storage

CORS_UPLOAD_ID = "leerstroom-upload-parts"
CORS_PLAYBACK_ID = "leerstroom-playback"
LIFECYCLE_ID = "leerstroom-abort-incomplete-uploads"
INCOMPLETE_UPLOAD_DAYS = 1
CORS_MAX_AGE_SECONDS = 3600


class NoBucket(Exception):
    """Media live on local disk: there is no bucket to check."""


@dataclass
class BucketReport:
    bucket: str
    origins: list[str]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def site_origins() -> list[str]:
    """The origins pages of the site are served from: SITE_URL and CSRF_TRUSTED_ORIGINS."""
    origins = []
    for url in [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS]:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if parts.scheme and parts.netloc and origin not in origins:
            origins.append(origin)
    return origins


def cors_rules_wanted(origins: list[str]) -> list[dict]:
    return [
        {
            "ID": CORS_UPLOAD_ID,
            "AllowedOrigins": origins,
            "AllowedMethods": ["PUT"],
            "AllowedHeaders": ["Content-Type"],
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": CORS_MAX_AGE_SECONDS,
        },
        {
            "ID": CORS_PLAYBACK_ID,
            "AllowedOrigins": origins,
            "AllowedMethods": ["GET", "HEAD"],
            "AllowedHeaders": ["Range"],
            "ExposeHeaders": ["Content-Length", "Content-Range"],
            "MaxAgeSeconds": CORS_MAX_AGE_SECONDS,
        },
    ]


def lifecycle_rule_wanted() -> dict:
    return {
        "ID": LIFECYCLE_ID,
        "Filter": {"Prefix": ""},
        "Status": "Enabled",
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": INCOMPLETE_UPLOAD_DAYS},
    }


def _client_and_bucket():
    if not hasattr(default_storage, "bucket_name"):
        raise NoBucket
    return default_storage.connection.meta.client, default_storage.bucket_name


def _absent_when(code: str, call):
    """The call's answer, or None when the bucket answers that the configuration is absent."""
    try:
        return call()
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == code:
            return None
        raise


def _cors_rules(client, bucket: str) -> list[dict]:
    found = _absent_when("NoSuchCORSConfiguration", lambda: client.get_bucket_cors(Bucket=bucket))
    return found["CORSRules"] if found else []


def _lifecycle_rules(client, bucket: str) -> list[dict]:
    found = _absent_when(
        "NoSuchLifecycleConfiguration",
        lambda: client.get_bucket_lifecycle_configuration(Bucket=bucket),
    )
    return found["Rules"] if found else []


def _same(found: dict, wanted: dict) -> bool:
    """Whether a rule read back holds what is wanted (lists compared as sets, as S3 keeps no
    order that matters for them)."""
    for key, value in wanted.items():
        if isinstance(value, list):
            if set(found.get(key, [])) != set(value):
                return False
        elif found.get(key) != value:
            return False
    return True


def bucket_rules_check() -> BucketReport:
    client, bucket = _client_and_bucket()
    report = BucketReport(bucket=bucket, origins=site_origins())
    if not report.origins:
        report.problems.append("SITE_URL is not an absolute URL, so no origin can be allowed.")
    cors = {rule.get("ID"): rule for rule in _cors_rules(client, bucket)}
    for wanted in cors_rules_wanted(report.origins):
        found = cors.get(wanted["ID"])
        if found is None:
            report.problems.append(f"CORS rule {wanted['ID']} is missing.")
        elif not _same(found, wanted):
            report.problems.append(f"CORS rule {wanted['ID']} differs from what the site needs.")
    lifecycle = {rule.get("ID"): rule for rule in _lifecycle_rules(client, bucket)}
    wanted = lifecycle_rule_wanted()
    found = lifecycle.get(LIFECYCLE_ID)
    if found is None:
        report.problems.append(f"Lifecycle rule {LIFECYCLE_ID} is missing.")
    elif not _same(found, wanted):
        report.problems.append(f"Lifecycle rule {LIFECYCLE_ID} differs from what is needed.")
    return report


def bucket_rules_apply() -> BucketReport:
    """Set this module's rules, keep every other rule, and report the bucket as it is then."""
    client, bucket = _client_and_bucket()
    ours = {CORS_UPLOAD_ID, CORS_PLAYBACK_ID}
    others = [rule for rule in _cors_rules(client, bucket) if rule.get("ID") not in ours]
    client.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={"CORSRules": others + cors_rules_wanted(site_origins())},
    )
    kept = [rule for rule in _lifecycle_rules(client, bucket) if rule.get("ID") != LIFECYCLE_ID]
    client.put_bucket_lifecycle_configuration(
        Bucket=bucket, LifecycleConfiguration={"Rules": kept + [lifecycle_rule_wanted()]}
    )
    return bucket_rules_check()
