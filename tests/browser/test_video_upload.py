"""An editor uploads a lecture in the Wagtail admin and watches it play while it is transcoded."""

import os
import signal

from django.contrib.auth.models import Group

from playback.models import UploadSession, Video
from tests.conftest import requires_services
from tests.factories import PASSWORD, UserFactory
from tests.playback.test_worker import _start_worker

pytestmark = requires_services


def test_upload_progress_transcoding_progress_and_playback_before_the_ladder_is_done(
    page, clips, tmp_path
):
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    worker = _start_worker(tmp_path / "worker.log")
    from lms.celery import app as celery_app

    celery_app.conf.task_always_eager = False
    try:
        # The admin's sign-in is the site's own (allauth), which then returns to the admin.
        page.goto(page.base_url + "/admin/login/")
        page.locator("input[name=login]").fill(editor.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/admin/")
        page.goto(page.base_url + "/admin/videos/new/")

        page.get_by_label("Titel").fill("Reanimatie: BLS in de praktijk")
        page.get_by_label("Videobestand").set_input_files(str(clips["long_lecture"]))
        page.get_by_role("button", name="Uploaden").click()
        upload_bar = page.locator("[data-upload-bar]")
        upload_bar.wait_for(state="visible")
        page.wait_for_url("**/admin/videos/edit/**", timeout=60_000)

        # Transcoding progress appears, and the preview plays before the video is ready.
        page.wait_for_function(
            "Number(document.querySelector('[data-video-progress]').value) > 0", timeout=60_000
        )
        page.wait_for_function(
            "(() => { const v = document.querySelector('[data-video-element]');"
            " return v && v.readyState >= 2; })()",
            timeout=60_000,
        )
        video = Video.objects.get(title="Reanimatie: BLS in de praktijk")
        # With S3 configured the browser sent the parts straight to the bucket.
        upload = UploadSession.objects.get(video=video)
        assert upload.multipart_id and upload.storage_key == video.source.name
        assert video.state == Video.State.TRANSCODING
        assert video.playable_at is not None
        page.evaluate("document.querySelector('[data-video-element]').muted = true")
        page.evaluate("document.querySelector('[data-video-element]').play()")
        page.wait_for_function(
            "document.querySelector('[data-video-element]').currentTime > 1", timeout=30_000
        )
        page.screenshot(path=str(tmp_path / "playing-while-transcoding.png"))

        page.wait_for_function(
            "document.querySelector('[data-video-state-label]').textContent.trim() === 'Klaar'",
            timeout=120_000,
        )
        video.refresh_from_db()
        assert video.state == Video.State.READY
    finally:
        celery_app.conf.task_always_eager = True
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
