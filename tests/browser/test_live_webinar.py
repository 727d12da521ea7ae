"""A webinar from end to end in Chromium: the presenter publishes with ffmpeg to the real ingest
(nginx with the RTMP module), a learner waits, then watches live at the edge, her player
reloading the playlists as delta updates, seeks back in the DVR window and returns with "Back
to live"; she asks a question that the moderator approves and the presenter sees in large type;
the presenter stops, and within seconds the same page plays the replay, which is also an
episode of the course."""

import signal
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from live.models import LiveStream, Question
from live.registration import session_register
from live.streaming.encoders import EncoderSupervisor
from live.streaming.keys import stream_key_issue
from tests.factories import learner_with_profile
from tests.live.factories import webinar_course, webinar_session_make
from tests.live.test_bad_publishers import PICTURE, _publish
from tests.live.test_ingest import _wait_for
from tests.live.test_ingest import ingest as ingest
from tests.live.test_ingest import pytestmark as needs_ingest

from .test_paths import _sign_in

pytestmark = [needs_ingest]


@pytest.fixture
def encoders(ingest, tmp_path, settings):
    """The encoder supervisor ticking beside the test, as `manage.py live_encoders` does."""
    settings.LIVE_RECONNECT_GRACE_SECONDS = 1  # instead of a minute
    settings.LIVE_X264_PRESET = "ultrafast"
    supervisor = EncoderSupervisor(port=ingest, control_socket=tmp_path / "ingest" / "control.sock")
    stop = threading.Event()

    def loop():
        try:
            while not stop.is_set():
                supervisor.tick()
                stop.wait(0.3)
        finally:
            connection.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield ingest
    stop.set()
    thread.join(timeout=10)
    for encoder in list(supervisor.running.values()):
        encoder.join(timeout=20)


def _staff_page(browser, base_url, user):
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.base_url = base_url
    _sign_in(page, user)
    return page


def test_a_webinar_is_watched_live_questioned_and_replayed(page, browser, encoders, settings):
    settings.LIVE_QUESTIONS_SNAPSHOT_SECONDS = 1
    session = webinar_session_make(
        course=webinar_course(), starts_at=timezone.now() + timedelta(seconds=4)
    )
    learner = learner_with_profile()
    session_register(session_id=session.pk, user=learner)
    moderator = learner_with_profile()
    moderator.user_permissions.add(
        *Permission.objects.filter(codename__in=["moderate_session", "present_session"])
    )
    issued = stream_key_issue(session=session)
    watch = f"{page.base_url}/sessies/{session.pk}/kijken/"

    # Before the start: the waiting room with its countdown.
    _sign_in(page, learner)
    deltas = []  # the playlist reloads hls.js asks as delta updates
    page.on("response", lambda r: "_HLS_skip=YES" in r.url and deltas.append(r))
    page.goto(watch)
    page.locator("[data-countdown]").wait_for()

    # On air until the presenter stops below, however long a busy machine takes to get there.
    presenter = _publish(encoders, issued.key, seconds=180, picture=PICTURE)
    try:
        # The page looks again by itself and joins at the live edge.
        page.locator("[data-live-badge]").wait_for(timeout=40_000)
        page.wait_for_function(
            "(() => { const v = document.querySelector('[data-live-video]');"
            " return v && !v.paused && v.currentTime > 1; })()",
            timeout=30_000,
        )
        # At the live edge: joined there, or (a start a busy machine slowed) caught up to it.
        behind_newest = (
            "(() => { const v = document.querySelector('[data-live-video]');"
            " return v.seekable.end(v.seekable.length - 1) - v.currentTime; })()"
        )
        try:
            page.wait_for_function(f"{behind_newest} < 8", timeout=40_000)
        except PlaywrightTimeoutError:
            behind = page.evaluate(behind_newest)
            raise AssertionError(f"{behind:.1f} s behind the newest segment") from None

        # Seeking back in the DVR window leaves live; "Back to live" returns to the edge.
        # A little inside the window: at its very start the first segment's real start (read
        # once it is loaded) can lie just after, and hls.js sends a position outside the window
        # that has no picture yet back to live.
        page.wait_for_function(
            "document.querySelector('[data-live-video]').currentTime > 13", timeout=30_000
        )
        page.evaluate(
            "(() => { const v = document.querySelector('[data-live-video]');"
            " v.currentTime = v.seekable.start(0) + 1.5; })()"
        )
        back_to_live = page.locator("[data-live-edge]")
        back_to_live.wait_for(state="visible", timeout=10_000)
        # The viewer stays where they sought through the playlist reloads that follow (one a
        # second), playing on behind live.
        page.wait_for_timeout(4_000)
        assert back_to_live.is_visible()
        assert page.evaluate(behind_newest) > 8
        back_to_live.click()
        page.wait_for_function(
            "(() => { const v = document.querySelector('[data-live-video]');"
            " return !v.paused && v.seekable.end(v.seekable.length - 1) - v.currentTime < 8; })()",
            timeout=15_000,
        )
        back_to_live.wait_for(state="hidden", timeout=10_000)
        # Past the skip boundary (12 s), the player reloads with delta updates and plays on.
        assert any("#EXT-X-SKIP:SKIPPED-SEGMENTS=" in r.text() for r in deltas if r.ok)

        page.locator("#question-text").fill("Hoe lang blijft een patiënt in isolatie?")
        page.locator("#question-submit").click()
        page.get_by_text("Verstuurd: je vraag wacht op de moderator.").wait_for()
        question = Question.objects.get(session=session)

        moderation = _staff_page(browser, page.base_url, moderator)
        moderation.goto(f"{page.base_url}/sessies/{session.pk}/vragen/modereren/")
        moderation.locator(f'[data-question-id="{question.pk}"] [data-action="approve"]').click()
        moderation.get_by_text("Goedgekeurd: kijkers zien de vraag nu.").wait_for()

        presenting = _staff_page(browser, page.base_url, moderator)
        presenting.goto(f"{page.base_url}/sessies/{session.pk}/presentator/")
        presenting.locator(f'[data-presenter-list] [data-question-id="{question.pk}"]').get_by_text(
            question.text
        ).wait_for()
        page.locator(f'[data-question-list] [data-question-id="{question.pk}"]').wait_for(
            timeout=15_000
        )
    finally:
        # The presenter stops as OBS does: ffmpeg ends the stream cleanly on an interrupt
        # (and exits with 255 for it).
        presenter.send_signal(signal.SIGINT)
        assert presenter.wait(timeout=60) in (0, 255), presenter.stderr.read().decode()

    # The presenter stopped: after the reconnect grace the playlists close and the replay plays
    # (bench/live.py times it on a quiet machine; here the suite shares the cores).
    stream = LiveStream.objects.filter(pk=issued.stream.pk)
    _wait_for(lambda: stream.exclude(replay_ready_at=None).exists(), seconds=30, what="the replay")

    page.goto(watch)
    page.get_by_text("Het webinar is afgelopen — terugkijken kan nu.").wait_for()
    page.wait_for_function(
        "(() => { const v = document.querySelector('[data-live-video]');"
        " v.muted = true; v.play().catch(() => {}); return v.currentTime > 1; })()",
        timeout=30_000,
    )
    assert not page.locator("[data-live-badge]").count()
    episode = page.locator("[data-replay-episode]")
    episode.click()
    page.wait_for_function(
        "document.querySelector('video') && document.querySelector('video').readyState >= 1",
        timeout=20_000,
    )
