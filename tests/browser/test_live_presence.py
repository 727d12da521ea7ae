"""Presence at a live webinar in Chromium: the watch page counts the learner's minutes and shows
the moderator's check, which the learner answers within its time."""

import re
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from live.models import Attendance, LiveStream, PresenceCheck, PresenceCheckAnswer
from live.presence_online import presence_check_open
from live.registration import session_register
from live.streaming.encoders import stream_prefix
from live.streaming.keys import stream_key_issue
from tests.factories import learner_with_profile
from tests.live.factories import webinar_course, webinar_session_make

from .test_paths import _sign_in


def test_a_learner_on_the_live_page_is_counted_and_answers_the_moderators_checks(page, settings):
    settings.LIVE_PRESENCE_BEAT_SECONDS = 1
    session = webinar_session_make(
        course=webinar_course(), starts_at=timezone.now() - timedelta(minutes=5)
    )
    learner = learner_with_profile()
    session_register(session_id=session.pk, user=learner, now=session.starts_at - timedelta(days=1))
    stream = stream_key_issue(session=session).stream
    LiveStream.objects.filter(pk=stream.pk).update(state=LiveStream.State.LIVE)
    storages["videos"].save(f"{stream_prefix(stream)}/master.m3u8", ContentFile(b"#EXTM3U\n"))

    _sign_in(page, learner)
    page.goto(f"{page.base_url}/sessies/{session.pk}/kijken/")
    # A minute may turn between two reports: each minute counts once.
    page.get_by_text(re.compile(r"Aanwezig: [12] van 90 minuten")).wait_for()
    assert Attendance.objects.get(registration__user=learner).minutes_online in (1, 2)

    presence_check_open(session_id=session.pk, kind=PresenceCheck.Kind.STILL_WATCHING)
    check = page.get_by_role("alertdialog")
    check.get_by_role("button", name="Ja, ik kijk nog").click()
    check.get_by_text("Dank je: je antwoord telt.").wait_for()

    poll = presence_check_open(
        session_id=session.pk,
        kind=PresenceCheck.Kind.POLL,
        question="Hoe vaak zie je antibioticaresistentie op je afdeling?",
        options=["Wekelijks", "Maandelijks", "Zelden"],
    )
    check.get_by_role("heading", name=poll.question).wait_for()
    assert "seconden om te antwoorden" in check.inner_text()
    check.get_by_role("button", name="Maandelijks").click()
    check.get_by_text("Dank je: je antwoord telt.").wait_for()
    answers = PresenceCheckAnswer.objects.filter(user=learner).order_by("answered_at")
    assert [(a.presence_check.kind, a.option) for a in answers] == [
        ("still_watching", None),
        ("poll", 1),
    ]
