"""The episode player in Chromium: play, change quality, seek, resume after a reload, see the
course under "Verder kijken"; copied media URLs expire; no access, no video; play all."""

import time
from decimal import Decimal

from playback.models import Video, Voucher
from playback.services.pipeline import video_process
from playlists import services as path_services
from tests.factories import course_publish, learner_with_profile
from tests.playback.conftest import video_with_source

from .test_paths import _sign_in


def _course_with_video(clips, *, title="Wondzorg thuis", episodes=("Risico",), **fields):
    video = video_process(video=video_with_source(data=clips["two_rungs"].read_bytes()))
    assert video.state == Video.State.READY
    course = course_publish(title=title, episodes=episodes, **fields)
    children = list(course.get_children().specific().order_by("path"))
    for episode in children:
        episode.video = video
        episode.save_revision().publish()
    return course, children


def _player_ready(page):
    page.wait_for_selector("[data-player][data-ready]")


def _controls_show(page):
    """The mouse moving over the player brings back controls that stepped aside while it
    played (on a busy machine the first seconds of playing can take longer than they stay)."""
    box = page.locator("[data-player]").bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _time(page) -> float:
    return page.evaluate("document.querySelector('video').currentTime")


def test_play_switch_quality_seek_and_resume_at_the_same_second(page, clips):
    course, (episode,) = _course_with_video(clips)
    learner = learner_with_profile()
    _sign_in(page, learner)

    page.goto(page.base_url + episode.url)
    _player_ready(page)
    page.evaluate("document.querySelector('video').muted = true")
    page.get_by_role("button", name="Afspelen").first.click()
    page.wait_for_function("document.querySelector('video').currentTime > 1.5")
    # Sound and picture are both there from the very first instant: no hole to skip.
    assert page.evaluate("document.querySelector('video').buffered.start(0)") < 0.001

    # Two rungs: choose the lowest by hand in the settings menu, then back to automatic.
    _controls_show(page)
    page.get_by_role("button", name="Instellingen: snelheid, kwaliteit en ondertiteling").click()
    quality = page.get_by_role("combobox", name="Kwaliteit")
    labels = quality.locator("option").all_inner_texts()
    assert labels[1:] == ["540p", "360p"] or sorted(labels[1:]) == ["360p", "540p"]
    quality.select_option(label="360p")
    page.wait_for_function("document.querySelector('[data-player]').dataset.level === '360'")
    quality.select_option(value="-1")

    # Seek with the keyboard (L: 10 s forward), then pause: the pause sends a heartbeat.
    page.locator("[data-player]").focus()
    page.keyboard.press("l")
    page.wait_for_function("document.querySelector('video').currentTime > 11")
    with page.expect_response(lambda r: "/afspelen/voortgang/" in r.url) as beat:
        page.keyboard.press("k")
    assert beat.value.status == 204
    paused_at = round(_time(page), 1)

    page.reload()
    _player_ready(page)
    # hls.js starts loading at the stored position; the element reports it once data is in.
    page.wait_for_function("document.querySelector('video').currentTime > 0")
    assert abs(_time(page) - paused_at) < 0.6, (_time(page), paused_at)

    page.goto(page.base_url + "/")
    row = page.locator("[data-row='verder-kijken'], section:has-text('Verder kijken')").first
    assert course.title in row.inner_text()


def test_a_copied_playlist_url_stops_working_after_it_expires(page, clips, settings):
    _course, (episode,) = _course_with_video(clips)
    _sign_in(page, learner_with_profile())
    page.goto(page.base_url + episode.url)
    master = page.locator("video").get_attribute("data-master-url")
    assert page.request.get(page.base_url + master).status == 200
    # The lifetime is checked when the URL is used: older than it, the URL is refused.
    lifetime = settings.PLAYBACK_URL_TTL_SECONDS
    settings.PLAYBACK_URL_TTL_SECONDS = 1
    time.sleep(1.5)
    assert page.request.get(page.base_url + master).status == 403
    settings.PLAYBACK_URL_TTL_SECONDS = lifetime
    # A fresh page gets a fresh URL, and the player keeps playing from it.
    page.reload()
    _player_ready(page)
    fresh = page.locator("video").get_attribute("data-master-url")
    assert fresh != master and page.request.get(page.base_url + fresh).status == 200


def test_a_learner_without_access_cannot_play_until_enrolled(page, clips):
    course, (episode,) = _course_with_video(clips, title="Echografie", price=Decimal("95"))
    voucher = Voucher.objects.create(course=course)
    _sign_in(page, learner_with_profile())
    page.goto(page.base_url + episode.url)
    assert page.locator("video").count() == 0
    assert "betaalde cursus" in page.locator(".player").inner_text()

    page.get_by_label("Vouchercode").fill("ZZZZ-ZZZZ")
    page.get_by_role("button", name="Verzilveren").click()
    assert "niet (meer) geldig" in page.locator("body").inner_text()
    page.get_by_label("Vouchercode").fill(voucher.code.lower())
    page.get_by_role("button", name="Verzilveren").click()
    _player_ready(page)
    assert "Je bent ingeschreven" in page.locator("body").inner_text()


def test_play_all_moves_on_to_the_next_item_by_itself(page, clips):
    _course, (first, second) = _course_with_video(clips, episodes=("Deel 1", "Deel 2"))
    learner = learner_with_profile()
    path = path_services.path_create(owner=learner, title="Nachtdienst")
    for episode in (first, second):
        path_services.path_item_add(
            path=path, actor=learner, course_id=_course.pk, episode_id=episode.pk
        )
    _sign_in(page, learner)
    page.goto(f"{page.base_url}/leerpaden/{path.pk}/")
    page.get_by_role("link", name="Alles afspelen").click()
    _player_ready(page)
    assert page.url.endswith(f"{first.url}?leerpad={path.pk}")
    page.evaluate("document.querySelector('video').muted = true")
    page.evaluate("document.querySelector('video').currentTime = 21")
    page.get_by_role("button", name="Afspelen").first.click()
    page.wait_for_selector("[data-next]:not([hidden])", timeout=20_000)
    assert "Deel 2" in page.locator("[data-next]").inner_text()
    page.wait_for_url(f"**{second.url}?leerpad={path.pk}", timeout=20_000)
    _player_ready(page)
    assert "Terug naar het leerpad" in page.locator(".breadcrumb").inner_text()


def test_heartbeats_wait_while_offline_and_go_out_when_back(page, clips):
    from playback.models import ViewingProgress

    _course, (episode,) = _course_with_video(clips)
    learner = learner_with_profile()
    _sign_in(page, learner)
    page.goto(page.base_url + episode.url)
    _player_ready(page)
    page.evaluate("document.querySelector('video').muted = true")
    with page.expect_response(lambda r: "/afspelen/sessies/" in r.url):
        page.get_by_role("button", name="Afspelen").first.click()
    page.wait_for_function("document.querySelector('video').currentTime > 3")

    page.context.set_offline(True)
    page.wait_for_timeout(1500)  # playing on while offline
    page.locator("[data-player]").focus()
    page.keyboard.press("k")  # pause: the beat cannot be sent
    page.wait_for_function(
        "JSON.parse(localStorage.getItem('leerstroom.heartbeats') || '[]').length >= 1"
    )
    paused_at = _time(page)
    before = ViewingProgress.objects.filter(user=learner).first()
    assert before is None or paused_at - before.position > 1  # only beats from before

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "JSON.parse(localStorage.getItem('leerstroom.heartbeats') || '[]').length === 0"
    )
    progress = ViewingProgress.objects.get(user=learner)
    assert abs(progress.position - paused_at) < 0.2
    assert progress.watched_seconds > 2


def test_watching_in_a_second_tab_pauses_the_first_until_the_learner_takes_it_back(page, clips):
    _course, (episode,) = _course_with_video(clips)
    _sign_in(page, learner_with_profile())
    tabs = [page, page.context.new_page()]
    for tab in tabs:
        tab.set_default_timeout(15_000)
        tab.goto(page.base_url + episode.url)
        _player_ready(tab)
        tab.evaluate("document.querySelector('video').muted = true")
    first, second = tabs

    def play(tab):
        with tab.expect_response(lambda r: "/afspelen/sessies/" in r.url) as started:
            tab.get_by_role("button", name="Afspelen").first.click()
        assert started.value.status == 201
        tab.wait_for_function("document.querySelector('video').currentTime > 1")

    def pause_and_get_superseded(tab):
        tab.locator("[data-player]").focus()
        with tab.expect_response(lambda r: "/afspelen/voortgang/" in r.url) as beat:
            tab.keyboard.press("k")
        assert beat.value.status == 409
        notice = tab.get_by_role("alert")
        notice.wait_for()
        assert "Je kijkt nu op een ander scherm of tabblad verder." in notice.inner_text()
        assert tab.evaluate("document.querySelector('video').paused")

    play(first)
    play(second)  # the same episode in another tab takes over
    pause_and_get_superseded(first)

    with first.expect_response(lambda r: "/afspelen/sessies/" in r.url) as started:
        first.get_by_role("button", name="Hier verder kijken").click()
    assert started.value.status == 201
    first.wait_for_function("!document.querySelector('video').paused")
    assert first.get_by_role("alert").count() == 0
    pause_and_get_superseded(second)
