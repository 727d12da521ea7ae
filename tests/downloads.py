"""Downloading a private file as a browser does, with local storage or S3."""

import urllib.request
from urllib.parse import parse_qs, urlsplit

from django.conf import settings


def file_download(client, url: str) -> tuple[bytes, str, str]:
    """The bytes a browser ends up with, and the type and disposition they arrive with."""
    response = client.get(url)
    if response.status_code == 302 and response["Location"].startswith("/stream/documenten/"):
        response = client.get(response["Location"])
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    if settings.AWS_STORAGE_BUCKET_NAME:
        assert response.status_code == 302
        url = response["Location"]
        query = parse_qs(urlsplit(url).query)
        assert "X-Amz-Signature" in query and query["X-Amz-Expires"] == ["60"]
        with urllib.request.urlopen(url) as fetched:
            body = fetched.read()
        return (
            body,
            query["response-content-type"][0],
            query["response-content-disposition"][0],
        )
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    response.close()
    return body, response["Content-Type"], response["Content-Disposition"]
