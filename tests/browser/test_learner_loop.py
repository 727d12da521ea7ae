"""The learner's loop in Chromium: on a phone, a new learner signs up, finds a course by a word
typed without accents, presses Play on the course page, watches, passes the end test, sees the
course complete with their points and opens the certificate; on a desktop, the course page's
Continue button takes a returning learner back to where they left off.

The player is found by its video element and data attributes only, so its controls may change
without these tests changing."""

import re
from datetime import date

from django.core.files.base import ContentFile
from django.utils import timezone

from catalog.models import CoursePage
from playback.models import Caption, Video, ViewingProgress
from playback.services.pipeline import video_process
from tests.factories import (
    PASSWORD,
    course_publish,
    end_test_publish,
    learner_with_profile,
    progress_record,
)
from tests.playback.conftest import video_with_source

from .test_paths import _sign_in
from .test_signup_flow import _code_from_last_mail

PHONE = {"width": 390, "height": 844}
CAPTIONS = "WEBVTT\n\n00:01.000 --> 00:03.000\nDesinfecteer je handen bij alle patiënten.\n"


def _short_course(clips, *, clip="small", episodes=("Vijf momenten",)):
    """An accredited course of short episodes with Dutch captions; half of each counts."""
    video = video_process(video=video_with_source(data=clips[clip].read_bytes()))
    assert video.state == Video.State.READY
    caption = Caption(video=video, language="nl")
    caption.file.save("nl.vtt", ContentFile(CAPTIONS.encode()), save=False)
    caption.save()
    course = course_publish(
        title="Handhygiëne in de wijk",
        episodes=episodes,
        accreditations=[("venvn", 2, date(2099, 12, 31))],
    )
    CoursePage.objects.filter(pk=course.pk).update(completion_percent=50)
    children = list(course.get_children().specific().order_by("path"))
    for episode in children:
        episode.video = video
        episode.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk), children


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _video_ready(page):
    page.wait_for_function(
        "document.querySelector('video') && document.querySelector('video').readyState >= 1",
        timeout=20_000,
    )


def test_a_new_learner_finds_watches_passes_and_gets_the_certificate_on_a_phone(page, clips):
    course, (episode,) = _short_course(clips)
    end_test_publish(
        episode=episode,
        questions=[
            ("Wanneer desinfecteer je?", [("Voor elk contact", True), ("Nooit", False)], "")
        ],
    )
    page.set_viewport_size(PHONE)
    base = page.base_url

    # Found by a word typed without accents, said in the episode too.
    page.goto(f"{base}/zoeken/?q=patienten")
    card = page.locator("article.course-card", has_text=course.title)
    said = card.locator("[data-spoken-hit]")
    assert said.get_attribute("href") == f"{episode.url}?t=1"
    card.get_by_role("heading", name=course.title).click()
    page.wait_for_url(f"**{course.url}")
    assert _no_sideways_scroll(page)
    page.get_by_role("link", name="Nog geen account? Meld je gratis aan").click()

    page.get_by_label("E-mail:").fill("fleur.jansen@ziekenhuis.example")
    page.get_by_label("Wachtwoord:", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord (bevestigen):").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.locator("input[name=code]").fill(_code_from_last_mail())
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/profiel/welkom/"))
    page.get_by_label("Voornaam").fill("Fleur")
    page.get_by_label("Achternaam").fill("Jansen")
    page.get_by_label("Beroep").select_option(label="Verpleegkundige")
    page.get_by_label("BIG-nummer").fill("19012345601")
    page.get_by_label("V&VN Kwaliteitsregister").check()
    page.get_by_role("button", name="Opslaan en verder").click()
    page.wait_for_url(re.compile(r"/accreditatie/registraties/\d+/"))

    # Back on the course page: the points for the register just chosen, and Play.
    page.goto(base + course.url)
    points = page.locator("[data-points-table]")
    assert "V&VN Kwaliteitsregister" in points.inner_text() and "2" in points.inner_text()
    page.get_by_role("link", name="Afspelen").click()
    page.wait_for_url(f"**{episode.url}")

    _video_ready(page)
    page.evaluate(
        "(() => { const v = document.querySelector('video'); v.muted = true; "
        "v.playbackRate = 2; return v.play(); })()"
    )
    page.wait_for_function("document.querySelector('video').currentTime > 6", timeout=20_000)
    # Pausing sends the heartbeat that credits what was watched.
    with page.expect_response(lambda r: "/afspelen/voortgang/" in r.url) as beat:
        page.evaluate("document.querySelector('video').pause()")
    assert beat.value.status == 204

    # Watched: the course page now offers the end test, and the episode counts.
    page.goto(base + course.url)
    page.get_by_role("link", name="Maak de eindtoets").click()
    page.get_by_label("Voor elk contact").check()
    page.get_by_role("button", name="Inleveren").click()

    moment = page.locator("[data-course-complete]")
    assert "Cursus afgerond!" in moment.inner_text()
    assert "+2 punten V&VN Kwaliteitsregister" in moment.inner_text()
    assert _no_sideways_scroll(page)
    with page.expect_download() as download_info:
        moment.get_by_role("link", name="Download je certificaat").click()
    assert download_info.value.suggested_filename.endswith(".pdf")


def test_continue_on_the_course_page_resumes_where_the_learner_left_off(page, clips):
    # 14 seconds: a resume point more than 10 s before the end is kept.
    course, (first, second) = _short_course(
        clips, clip="lecture", episodes=("Vijf momenten", "Thuiszorg")
    )
    learner = learner_with_profile()
    progress_record(user=learner, course=course, episode=first, share=1.0, hours_ago=2)
    ViewingProgress.objects.create(
        user=learner, episode=second, course=course, position=3.0, watched_seconds=5.0,
        duration=14.0, last_watched_at=timezone.now(),
    )  # fmt: skip
    _sign_in(page, learner)

    page.goto(page.base_url + course.url)
    button = page.get_by_role("link", name="Verder kijken")
    assert "Thuiszorg, vanaf 0:03" in page.locator(".course-play").inner_text()
    button.click()
    page.wait_for_url(f"**{second.url}?t=3")
    _video_ready(page)
    page.wait_for_function("document.querySelector('video').currentTime >= 2.9")
    # The first episode counts, the second is 36% watched: the share played, not the playhead.
    page.goto(page.base_url + course.url)
    items = page.locator("[data-episode]")
    assert items.nth(0).get_attribute("data-counts") is not None
    assert "36% bekeken" in items.nth(1).inner_text()


def test_a_course_of_watching_only_is_complete_in_the_player_when_its_last_episode_ends(
    page, clips
):
    _course, (episode,) = _short_course(clips)
    learner = learner_with_profile()
    _sign_in(page, learner)
    page.goto(page.base_url + episode.url)
    _video_ready(page)
    page.evaluate(
        "(() => { const v = document.querySelector('video'); v.muted = true; "
        "v.playbackRate = 2; return v.play(); })()"
    )
    moment = page.locator("[data-completion-slot] [data-course-complete]")
    moment.wait_for(timeout=30_000)
    assert "Cursus afgerond!" in moment.inner_text()
    assert "+2 punten V&VN Kwaliteitsregister" in moment.inner_text()
    assert moment.get_by_role("link", name="Download je certificaat").is_visible()
