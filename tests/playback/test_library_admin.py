"""The editors' video library: resumable chunked upload, status, transcode again, access."""

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from playback.models import UploadSession, Video
from playback.services.leases import lease_release, lease_take
from playback.services.pipeline import VideoBusy, video_process
from tests.conftest import requires_services
from tests.factories import UserFactory, learner_with_profile

from .conftest import video_with_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def _start(client, **data):
    body = {"title": "Wondzorg", "filename": "wondzorg.mp4", "size": 10} | data
    return client.post(
        reverse("playback_video:upload_start"), json.dumps(body), content_type="application/json"
    )


def _chunk(client, upload, offset, data):
    return client.post(
        f"{upload['chunk_url']}?offset={offset}", data, content_type="application/octet-stream"
    )


def test_the_library_pages_open_for_editors(editor_client, clips):
    video = video_process(video=video_with_source(data=clips["small"].read_bytes()))
    assert editor_client.get(reverse("playback_video:index")).status_code == 200
    assert editor_client.get(reverse("playback_video:add")).status_code == 200
    response = editor_client.get(reverse("playback_video:edit", args=[video.pk]))
    assert response.status_code == 200
    assert "Klaar" in response.text
    chooser = editor_client.get(reverse("playback_video_chooser:choose"))
    assert chooser.status_code == 200


def test_learners_cannot_reach_the_library_or_its_endpoints(client):
    client.force_login(learner_with_profile())
    assert client.get(reverse("playback_video:index")).status_code in (302, 403)
    assert _start(client).status_code in (302, 403)


def test_a_chunked_upload_resumes_after_a_dropped_part_and_queues_processing(
    editor_client, clips, django_capture_on_commit_callbacks
):
    data = clips["small"].read_bytes()
    upload = _start(editor_client, size=len(data), filename="bls.mp4").json()
    half = len(data) // 2
    assert _chunk(editor_client, upload, 0, data[:half]).json()["received"] == half

    # The same part again (the answer was lost): refused, with the offset to continue from.
    repeated = _chunk(editor_client, upload, 0, data[:half])
    assert repeated.status_code == 409
    assert repeated.json()["received"] == half

    # After a reload the browser asks where to continue.
    assert editor_client.get(upload["status_url"]).json()["received"] == half
    assert _chunk(editor_client, upload, half, data[half:]).json()["received"] == len(data)

    with django_capture_on_commit_callbacks(execute=True):
        done = editor_client.post(upload["complete_url"]).json()
    video = Video.objects.get(pk=done["video_id"])
    assert video.title == "Wondzorg"
    assert video.source_name == "bls.mp4"
    assert video.state == Video.State.READY  # the test settings run the job at once
    assert video.queued_at is not None
    status = editor_client.get(done["status_url"]).json()
    assert status["state"] == "ready"
    assert status["master_url"].endswith("/master.m3u8")
    # Completing twice gives the same video.
    assert editor_client.post(upload["complete_url"]).json()["video_id"] == video.pk


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Geef de video een titel."),
        ({"filename": ""}, "Kies een videobestand."),
        ({"size": 0}, "Het bestand is leeg."),
        ({"size": 10**13}, "Het bestand is groter dan 20 GB."),
    ],
)
def test_a_bad_upload_request_is_refused_with_a_dutch_message(editor_client, data, message):
    response = _start(editor_client, **data)
    assert response.status_code == 400
    assert response.json()["error"] == message
    assert not UploadSession.objects.exists()


def test_a_part_larger_than_the_announced_size_is_refused(editor_client):
    upload = _start(editor_client, size=4).json()
    response = _chunk(editor_client, upload, 0, b"123456")
    assert response.status_code == 400
    assert editor_client.get(upload["status_url"]).json()["received"] == 0


def test_an_incomplete_upload_cannot_be_completed(editor_client):
    upload = _start(editor_client, size=8).json()
    _chunk(editor_client, upload, 0, b"1234")
    response = editor_client.post(upload["complete_url"])
    assert response.status_code == 409
    assert not Video.objects.exists()


def test_someone_elses_upload_is_not_found(editor_client, client):
    upload = _start(editor_client).json()
    other = UserFactory(is_staff=True)
    other.groups.add(Group.objects.get(name="Editors"))
    client.force_login(other)
    assert client.get(upload["status_url"]).status_code == 404


@pytest.mark.slow
def test_transcode_again_while_a_worker_holds_the_video_is_refused_and_after_ready_accepted(
    editor_client, clips, django_capture_on_commit_callbacks
):
    video = video_with_source(data=clips["small"].read_bytes())
    url = reverse("playback_video:transcode_again", args=[video.pk])
    Video.objects.filter(pk=video.pk).update(state=Video.State.TRANSCODING)
    held = lease_take(video)
    busy = editor_client.post(url)
    assert busy.status_code == 409
    assert busy.json()["error"].startswith("Deze video wordt nu verwerkt.")
    lease_release(video, held)
    Video.objects.filter(pk=video.pk).update(state=Video.State.UPLOADED)
    video = video_process(video=video)
    with django_capture_on_commit_callbacks(execute=True):
        again = editor_client.post(url)
    assert again.status_code == 200
    video.refresh_from_db()
    assert video.state == Video.State.READY
    assert video.generation == 2


def test_a_duplicate_job_does_not_run_beside_a_live_one(clips):
    video = video_with_source(data=clips["small"].read_bytes())
    assert lease_take(video)
    with pytest.raises(VideoBusy):
        video_process(video=video)
    video.refresh_from_db()
    assert video.state == Video.State.UPLOADED


@pytest.mark.slow
def test_the_demo_lectures_go_through_the_real_pipeline(django_capture_on_commit_callbacks):
    import dataclasses

    from lms.demo.lectures import demo_lectures
    from playback import demo

    # A short version of a demo lecture keeps the suite quick; the recipe is the same.
    lectures = [dataclasses.replace(demo_lectures()[0], seconds=4)]
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.demo_videos_seed(lectures=lectures) == 1
    assert demo.demo_videos_seed(lectures=lectures) == 0
    video = Video.objects.get()
    assert video.state == Video.State.READY
    assert video.captions.get().language == "nl"


@requires_services
def test_with_s3_parts_go_straight_to_the_bucket_and_resume(
    editor_client, clips, django_capture_on_commit_callbacks
):
    import urllib.request

    data = clips["small"].read_bytes()
    upload = _start(editor_client, size=len(data), filename="direct.mp4", direct=True).json()
    assert upload["mode"] == "s3"
    assert upload["parts"] == []
    signed = editor_client.post(f"{upload['part_url']}?part=1").json()["url"]
    assert "X-Amz-Signature=" in signed
    request = urllib.request.Request(
        signed, data=data, method="PUT", headers={"Content-Type": "application/octet-stream"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 200

    status = editor_client.get(upload["status_url"]).json()
    assert status["parts"] == [1]
    assert status["received"] == len(data)
    assert editor_client.post(f"{upload['part_url']}?part=2").status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        done = editor_client.post(upload["complete_url"]).json()
    video = Video.objects.get(pk=done["video_id"])
    assert video.source.name == UploadSession.objects.get(pk=upload["id"]).storage_key
    assert video.state == Video.State.READY
