"""A webinar behind the CDN (decision 17): the watch page hands a registered viewer CloudFront's
three signed cookies for the stream's folder on the CDN, and points the player there; the
signature verifies with the key pair's public key, as CloudFront checks it, and the policy admits
that folder only, until the replay's time is up. Nobody else gets cookies."""

import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from live.models import LiveStream
from live.registration import session_register
from live.streaming import cdn
from live.streaming.encoders import stream_prefix
from live.streaming.keys import key_window, stream_key_issue
from tests.factories import learner_with_profile

from .factories import webinar_course, webinar_session_make

pytestmark = pytest.mark.django_db

CDN = "https://live.leerstroom.example"


@pytest.fixture
def key_pair(settings, tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = tmp_path / "cloudfront.pem"
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    settings.LIVE_CDN_URL = CDN
    settings.LIVE_CDN_KEY_PAIR_ID = "K2JCJMDEHXQW5F"
    settings.LIVE_CDN_PRIVATE_KEY_FILE = str(pem)
    settings.LIVE_CDN_COOKIE_DOMAIN = ".leerstroom.example"
    cdn._private_key.cache_clear()
    yield key.public_key()
    cdn._private_key.cache_clear()


def test_a_viewer_gets_the_cdns_signed_cookies_for_the_streams_folder_only(client, key_pair):
    session = webinar_session_make(course=webinar_course())
    learner, other = learner_with_profile(), learner_with_profile()
    session_register(session_id=session.pk, user=learner)
    stream = stream_key_issue(session=session).stream
    LiveStream.objects.filter(pk=stream.pk).update(state=LiveStream.State.LIVE)
    storages["videos"].save(f"{stream_prefix(stream)}/master.m3u8", ContentFile(b"#EXTM3U\n"))
    url = reverse("live:watch", args=[session.pk])

    client.force_login(learner)
    page = client.get(url)
    folder = f"{CDN}/live/{stream.uuid}/hls/"
    assert f'data-master-url="{folder}master.m3u8"' in page.content.decode()
    cookies = page.cookies
    assert f"live_{stream.uuid.hex[:12]}" not in cookies  # Django serves nothing of it
    for name in (cdn.POLICY, cdn.SIGNATURE, cdn.KEY_PAIR_ID):
        cookie = cookies[name]
        assert cookie["domain"] == ".leerstroom.example"
        assert cookie["path"] == f"/live/{stream.uuid}/hls/"
        assert cookie["secure"] and cookie["httponly"]
    assert cookies[cdn.KEY_PAIR_ID].value == "K2JCJMDEHXQW5F"

    policy = cdn.cloudfront_base64_decode(cookies[cdn.POLICY].value)
    signature = cdn.cloudfront_base64_decode(cookies[cdn.SIGNATURE].value)
    key_pair.verify(signature, policy, padding.PKCS1v15(), hashes.SHA1())  # raises if forged
    (statement,) = json.loads(policy)["Statement"]
    assert statement["Resource"] == f"{folder}*"
    _opens, closes = key_window(session)
    until = statement["Condition"]["DateLessThan"]["AWS:EpochTime"]
    assert abs(until - (closes + timedelta(days=30)).timestamp()) < 5

    client.force_login(other)
    refused = client.get(url)
    assert refused.status_code == 403
    assert not {cdn.POLICY, cdn.SIGNATURE, cdn.KEY_PAIR_ID} & set(refused.cookies)
