"""A certificate in Chromium: a nurse watches a short accredited course to the end, sees the
points under "Mijn accreditatie", downloads the certificate and checks it on the public page."""

import re
import subprocess
from datetime import date

from accreditation.certificates.pdf import certificate_verification_url
from accreditation.models import Certificate
from catalog.models import CoursePage
from playback.models import Video
from playback.services.pipeline import video_process
from tests.factories import course_publish, learner_with_profile
from tests.playback.conftest import video_with_source

from .test_paths import _sign_in


def _short_accredited_course(clips):
    video = video_process(video=video_with_source(data=clips["small"].read_bytes()))
    assert video.state == Video.State.READY
    course = course_publish(
        title="Valpreventie in de wijk",
        episodes=["Risico's herkennen"],
        accreditations=[("venvn", 2, date(2030, 12, 31))],
    )
    # Half of an 8-second clip is enough, so the test does not wait for the whole video.
    CoursePage.objects.filter(pk=course.pk).update(completion_percent=50)
    episode = course.get_children().specific().get()
    episode.video = video
    episode.save_revision().publish()
    return course, episode


def test_a_completed_course_gives_a_certificate_that_verifies(page, clips, tmp_path):
    course, episode = _short_accredited_course(clips)
    learner = learner_with_profile(big_number="19012345601")  # V&VN
    _sign_in(page, learner)

    page.goto(page.base_url + episode.url)
    page.wait_for_selector("[data-player][data-ready]")
    page.evaluate("document.querySelector('video').muted = true")
    page.locator("[data-settings]").click()
    page.get_by_role("combobox", name="Snelheid").select_option("2")
    page.locator("[data-settings]").click()  # closes the menu
    page.get_by_role("button", name="Afspelen").first.click()
    page.wait_for_function("document.querySelector('video').currentTime > 6", timeout=20_000)
    # Pausing sends the heartbeat that credits what was watched.
    with page.expect_response(lambda r: "/afspelen/voortgang/" in r.url) as beat:
        page.evaluate("document.querySelector('video').pause()")
    assert beat.value.status == 204

    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Mijn accreditatie").first.click()
    page.wait_for_load_state()
    points = page.locator("table tr", has_text=course.title).first
    points.wait_for()
    assert "V&VN" in points.inner_text()
    assert "2,0" in points.inner_text()

    certificates = page.locator(".certificate-list")
    assert course.title in certificates.inner_text()
    with page.expect_download() as download_info:
        certificates.get_by_role("link", name="Certificaat").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Anna Visser" in text
    assert "19012345601" in text
    assert course.title in text

    # The address the QR code carries, as printed on the certificate.
    certificate = Certificate.objects.get(user=learner, course_id=course.pk)
    url = certificate_verification_url(certificate=certificate)
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert certificate.code_display in "".join(text.split())
    page.goto(f"{page.base_url}/{path}")
    assert page.get_by_role("heading", name="Geldig").is_visible()
    assert "Valpreventie in de wijk" in page.locator("main").inner_text()
    assert "••••••••601" in page.locator("main").inner_text()

    # One character of the code changed, the signature kept.
    code = certificate.code
    changed = ("C" if code[0] != "C" else "D") + code[1:]
    page.goto(f"{page.base_url}/{re.sub(certificate.code_display, changed, path)}")
    assert page.get_by_role("heading", name="Onbekende of gewijzigde code").is_visible()
    assert "Anna Visser" not in page.locator("main").inner_text()
