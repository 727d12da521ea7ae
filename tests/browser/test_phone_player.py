"""The player on a 390 × 844 phone with a touch screen, and the interactive transcript: a tap on
▶ plays from where it should, the controls step aside during playback and come back on a tap,
subtitles stand above the controls, there is no keyboard panel, the chosen speed is kept; a
line of the transcript jumps to its moment and the current line follows playback."""

import pytest
from django.core.files.base import ContentFile

from playback.models import Caption
from tests.factories import learner_with_profile

from .test_paths import _sign_in
from .test_player import _course_with_video, _player_ready, _time

LINES = [
    (0, "Welkom bij deze les over wondzorg."),
    (4, "Decubitus ontstaat door druk op de huid."),
    (8, "Wissel daarom elke twee uur van houding."),
    (12, "Controleer de hielen en het stuitje."),
    (16, "Leg uit waarom de patiënt moet bewegen."),
    (20, "Tot zover deze les."),
]
WEBVTT = "WEBVTT\n\n" + "\n".join(
    f"00:00:{start:02d}.000 --> 00:00:{start + 4:02d}.000\n{said}\n" for start, said in LINES
)


@pytest.fixture
def episode(clips):
    """A ready lecture of 24 seconds with Dutch subtitles."""
    _course, (episode, _second) = _course_with_video(clips, episodes=("Risico", "Behandeling"))
    Caption(video=episode.video, language="nl").file.save("nl.vtt", ContentFile(WEBVTT.encode()))
    return episode


def _box(page, selector):
    return page.locator(selector).bounding_box()


def test_on_a_phone_a_tap_plays_the_controls_step_aside_and_the_choices_stay(
    page, browser, episode
):
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    ).new_page()
    phone.set_default_timeout(15_000)
    phone.base_url = page.base_url
    _sign_in(phone, learner_with_profile())
    phone.goto(phone.base_url + episode.url)
    _player_ready(phone)
    phone.evaluate("document.querySelector('video').muted = true")
    assert phone.locator("[data-shortcuts]").is_hidden()  # no keyboard, no shortcuts
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # ▶ stands clear of the seek bar, and a tap on it plays from the start.
    play, seek = _box(phone, "[data-big-play]"), _box(phone, "[data-seek]")
    assert play["y"] + play["height"] < seek["y"]
    for target in (play, seek, _box(phone, "[data-settings]"), _box(phone, "[data-fullscreen]")):
        assert target["height"] >= 44
    phone.locator("[data-big-play]").tap()
    phone.wait_for_function("document.querySelector('video').currentTime > 0.5")
    assert _time(phone) < 3

    # Subtitles chosen in the settings menu stand above the controls (shown again first, should
    # they have stepped aside already).
    if phone.evaluate("document.querySelector('[data-player]').matches('.is-idle')"):
        phone.locator("video").tap()
    phone.locator("[data-settings]").tap()
    phone.get_by_role("combobox", name="Ondertiteling").select_option("nl")
    with phone.expect_response(lambda r: "/afspelen/voorkeuren/" in r.url) as saved:
        phone.get_by_role("combobox", name="Snelheid").select_option("1.5")
    assert saved.value.status == 204
    phone.locator("[data-settings]").tap()  # closes the menu
    caption = phone.locator("[data-caption-text]")
    caption.wait_for()
    assert caption.inner_text() in [said for _start, said in LINES]
    subtitles, bar = _box(phone, "[data-caption-text]"), _box(phone, ".player__bar")
    assert subtitles["y"] + subtitles["height"] <= bar["y"]

    # A few seconds into playback the controls go; a tap on the picture brings them back.
    phone.wait_for_function("document.querySelector('[data-player]').matches('.is-idle')")
    phone.locator("[data-controls]").wait_for(state="hidden")
    assert not phone.evaluate("document.querySelector('video').paused")
    phone.locator("video").tap()
    assert phone.locator("[data-controls]").is_visible()
    assert not phone.evaluate("document.querySelector('video').paused")

    # The speed is the learner's: after a reload it is still 1.5, and it stays while playing.
    phone.reload()
    _player_ready(phone)
    phone.evaluate("document.querySelector('video').muted = true")
    phone.locator("[data-big-play]").tap()
    phone.wait_for_function("document.querySelector('video').currentTime > 0.5")
    assert phone.evaluate("document.querySelector('video').playbackRate") == 1.5
    assert phone.locator("[data-speed]").input_value() == "1.5"
    assert phone.locator("[data-captions]").input_value() == "nl"


def test_a_line_of_the_transcript_jumps_to_its_moment_and_the_current_line_follows(page, episode):
    _sign_in(page, learner_with_profile())
    page.goto(f"{page.base_url}{episode.url}?t=9")  # a link from search, to a moment
    _player_ready(page)
    page.evaluate("document.querySelector('video').muted = true")
    transcript = page.get_by_role("region", name="Transcript")
    lines = transcript.get_by_role("button")
    lines.first.wait_for()
    assert lines.count() == len(LINES)
    current = transcript.locator("[aria-current]")
    page.wait_for_function("document.querySelector('video').currentTime >= 9")
    page.wait_for_function(
        "document.querySelector('[data-transcript] [aria-current]').textContent.includes('0:08')"
    )
    assert "Wissel daarom" in current.inner_text()

    # A line, clicked, jumps there and plays on; the page itself does not scroll.
    page.evaluate("window.scrollTo(0, 0)")
    transcript.get_by_role("button", name="Decubitus ontstaat").click()
    page.wait_for_function("!document.querySelector('video').paused")
    assert 4 <= _time(page) < 6
    assert "Decubitus" in current.inner_text()
    page.wait_for_function("document.querySelector('video').currentTime > 8.3")
    page.wait_for_function(
        "document.querySelector('[data-transcript] [aria-current]').textContent.includes('Wissel')"
    )
    assert page.evaluate("window.scrollY") == 0

    # The filter finds a word, whatever its accents.
    transcript.get_by_role("searchbox").fill("patient")
    assert transcript.get_by_role("button").count() == 1
    assert transcript.locator("mark").inner_text() == "patiënt"
    transcript.get_by_role("button").press("Enter")
    page.wait_for_function("document.querySelector('video').currentTime >= 16")
