"""Questions to the panel: viewers ask and vote, moderators approve, hide, merge and answer, the
presenter sees the list; reading it costs no query once the shared snapshot is warm."""

import json
import time
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from live.models import LiveSession, LiveStream, Question, QuestionVote, SessionRegistration
from live.question_snapshot import REBUILD_LOCK_KEY, SNAPSHOT_KEY, questions_snapshot
from live.questions import (
    question_answer,
    question_approve,
    question_mark_answered_live,
    question_merge,
    question_post,
    question_reject,
    question_vote_toggle,
)
from live.registration import session_register
from live.streaming.keys import stream_key_issue
from tests.factories import course_publish, learner_with_profile

from .factories import webinar_course, webinar_session_make

pytestmark = pytest.mark.django_db


def _staff(*codenames: str):
    user = learner_with_profile()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def _viewer(session):
    learner = learner_with_profile()
    session_register(session_id=session.pk, user=learner)
    return learner


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _list_url(session) -> str:
    return reverse("live:questions", args=[session.pk])


def _ask(client, session, text):
    return client.post(_list_url(session), {"text": text}, content_type="application/json")


def _vote(client, question):
    return client.post(reverse("live:question_vote", args=[question.pk]))


@pytest.fixture
def session():
    return webinar_session_make(course=webinar_course())


@pytest.fixture
def moderator():
    return _staff("moderate_session")


def _approved(session, text="Wat doe je bij ESBL?"):
    question = question_post(session_id=session.pk, user=_viewer(session), text=text)
    question_approve(question_id=question.pk, by=None)
    return question


# --- Viewers ------------------------------------------------------------------------------


def test_a_question_waits_for_the_moderator_then_everyone_sees_it(
    session, moderator, django_capture_on_commit_callbacks
):
    asker, other = _viewer(session), _viewer(session)
    asking, watching = _signed_in(asker), _signed_in(other)

    posted = _ask(asking, session, "  Hoe lang   duurt de isolatie?  ")
    assert posted.status_code == 201 and posted.json()["text"] == "Hoe lang duurt de isolatie?"
    mine = asking.get(_list_url(session)).json()
    assert [q["text"] for q in mine["pending"]] == ["Hoe lang duurt de isolatie?"]
    assert mine["questions"] == [] and mine["open"] is True
    assert watching.get(_list_url(session)).json()["pending"] == []  # only the asker sees it

    moderating = _signed_in(moderator)
    page = moderating.get(reverse("live:questions_moderation", args=[session.pk])).content.decode()
    question = Question.objects.get()
    assert f'data-question-id="{question.pk}"' in page and 'data-action="approve"' in page
    with django_capture_on_commit_callbacks(execute=True):
        done = moderating.post(
            reverse("live:question_moderate", args=[question.pk]), {"action": "approve"}
        )
    assert done.status_code == 302

    seen = watching.get(_list_url(session)).json()  # the moderator's move rebuilt the snapshot
    assert [(q["id"], q["votes"], q["status"]) for q in seen["questions"]] == [
        (question.pk, 0, "approved")
    ]
    mine = asking.get(_list_url(session)).json()
    assert mine["pending"] == [] and mine["own"] == [question.pk]


def test_reading_a_warm_snapshot_costs_no_query(session, django_assert_num_queries):
    _approved(session)
    reader, asker = _signed_in(_viewer(session)), _signed_in(_viewer(session))
    assert reader.get(_list_url(session)).status_code == 200  # the first read checks, once
    with django_assert_num_queries(0):
        warm = reader.get(_list_url(session))
    assert warm.status_code == 200 and len(warm.json()["questions"]) == 1

    assert _ask(asker, session, "Mag ik met een mondkapje werken?").status_code == 201
    asker.get(_list_url(session))  # their own part is built once, then cached
    with django_assert_num_queries(0):
        mine = asker.get(_list_url(session)).json()
    assert [q["text"] for q in mine["pending"]] == ["Mag ik met een mondkapje werken?"]


def test_a_stale_snapshot_is_rebuilt_by_one_request_while_the_others_serve_it(
    session, django_assert_num_queries
):
    first = questions_snapshot(session.pk)
    stale = first | {"built_at": time.time() - 60}
    cache.set(SNAPSHOT_KEY.format(session.pk), stale)
    _approved(session, "Nieuw na de vorige opbouw")
    cache.set(SNAPSHOT_KEY.format(session.pk), stale)  # as if the move's rebuild were not in yet
    cache.add(REBUILD_LOCK_KEY.format(session.pk), 1, 5)  # another request is rebuilding
    with django_assert_num_queries(0):
        assert questions_snapshot(session.pk)["questions"] == []
    cache.delete(REBUILD_LOCK_KEY.format(session.pk))
    rebuilt = questions_snapshot(session.pk)
    assert [q["text"] for q in rebuilt["questions"]] == ["Nieuw na de vorige opbouw"]
    assert rebuilt["built_at"] > stale["built_at"]


def test_the_read_pass_belongs_to_the_sign_in_it_was_given_with(session):
    first, second = _viewer(session), _viewer(session)
    client = _signed_in(first)
    _ask(client, session, "Een vraag van de eerste kijker")
    assert client.get(_list_url(session)).json()["pending"]
    client.force_login(second)  # another person on the same browser: a new sign-in cookie
    assert client.get(_list_url(session)).json()["pending"] == []


def test_votes_count_once_and_a_second_press_takes_the_vote_back(session):
    question = _approved(session)
    voter = _signed_in(_viewer(session))
    assert _vote(voter, question).json() == {"voted": True, "votes": 1}
    assert voter.get(_list_url(session)).json()["voted"] == [question.pk]
    assert _vote(voter, question).json() == {"voted": False, "votes": 0}
    assert QuestionVote.objects.count() == 0


def test_a_paid_webinar_without_access_to_the_course_takes_no_questions():
    course = course_publish(
        title="Betaald webinar", format="webinar", price=Decimal("95"), starts_at=timezone.now()
    )
    paid = webinar_session_make(course=course)
    learner = learner_with_profile()
    # registered while the course was open to them; their access has since been taken back
    SessionRegistration.objects.create(session=paid, user=learner, queued_at=timezone.now())
    client = _signed_in(learner)
    assert client.get(_list_url(paid)).status_code == 403
    refused = _ask(client, paid, "Mag ik meedoen?")
    assert refused.status_code == 403 and "deelneemt" in refused.json()["reason"]


def test_votes_that_are_refused(session):
    question = _approved(session)
    own = _vote(_signed_in(question.author), question)
    assert own.status_code == 400 and "eigen vraag" in own.json()["reason"]
    stranger = _vote(_signed_in(learner_with_profile()), question)  # no place at the session
    assert stranger.status_code == 403 and "deelneemt" in stranger.json()["reason"]
    assert Client().post(reverse("live:question_vote", args=[question.pk])).status_code == 403
    waiting = question_post(session_id=session.pk, user=_viewer(session), text="Nog niet bekeken")
    assert _vote(_signed_in(_viewer(session)), waiting).status_code == 409
    assert _vote(_signed_in(_viewer(session)), Question(pk=999_999)).status_code == 404


# --- Bad input ----------------------------------------------------------------------------


def test_empty_long_and_malformed_questions_are_refused(session):
    client = _signed_in(_viewer(session))
    empty = _ask(client, session, "   ")
    assert empty.status_code == 400 and empty.json()["reason"] == "Typ eerst je vraag."
    long = _ask(client, session, "x" * 501)
    assert long.status_code == 400 and "hoogstens 500 tekens" in long.json()["reason"]
    assert _ask(client, session, "x" * 500).status_code == 201
    broken = client.post(_list_url(session), "{", content_type="application/json")
    assert broken.status_code == 400


def test_a_hundred_questions_a_minute_are_limited(session):
    client = _signed_in(_viewer(session))
    answers = [_ask(client, session, f"Vraag {n}").status_code for n in range(100)]
    assert answers[:5] == [201] * 5 and set(answers[5:]) == {429}
    refused = _ask(client, session, "Nog een")
    assert "meer dan 5 vragen per minuut" in refused.json()["reason"]
    assert Question.objects.count() == 5


def test_more_than_sixty_votes_a_minute_are_limited(session):
    question = _approved(session)
    client = _signed_in(_viewer(session))
    answers = [_vote(client, question).status_code for _ in range(61)]
    assert set(answers[:60]) == {200} and answers[60] == 429
    assert "keer per minuut" in _vote(client, question).json()["reason"]


def test_an_ended_or_closed_session_takes_no_questions(session):
    client = _signed_in(_viewer(session))
    stream = stream_key_issue(session=session).stream
    LiveStream.objects.filter(pk=stream.pk).update(state=LiveStream.State.ENDED)
    ended = _ask(client, session, "Te laat")
    assert ended.status_code == 409 and "afgelopen" in ended.json()["reason"]
    LiveStream.objects.filter(pk=stream.pk).update(state=LiveStream.State.LIVE)
    assert _ask(client, session, "Op tijd").status_code == 201
    LiveSession.objects.filter(pk=session.pk).update(state=LiveSession.State.CLOSED)
    assert _ask(client, session, "Na het sluiten").status_code == 409
    cache.clear()
    assert client.get(_list_url(session)).json()["open"] is False


# --- Moderators ---------------------------------------------------------------------------


def test_merging_combines_the_votes_without_counting_anyone_twice(session):
    original, duplicate = (
        _approved(session, "Wat is ESBL?"),
        _approved(session, "ESBL, wat is dat?"),
    )
    both, only_duplicate = _viewer(session), _viewer(session)
    for voter, question in [(both, original), (both, duplicate), (only_duplicate, duplicate)]:
        question_vote_toggle(question_id=question.pk, user=voter)
    question_vote_toggle(question_id=duplicate.pk, user=original.author)

    question_merge(question_id=duplicate.pk, into_id=original.pk, by=None)

    duplicate.refresh_from_db()
    assert duplicate.status == Question.Status.MERGED and duplicate.merged_into == original
    voters = set(original.votes.values_list("voter_id", flat=True))
    # each once; the duplicate's author counts for the question they repeated, nobody for their own
    assert voters == {both.pk, only_duplicate.pk, duplicate.author_id}
    snapshot = questions_snapshot(session.pk)
    assert [(q["id"], q["votes"]) for q in snapshot["questions"]] == [(original.pk, 3)]


def test_merges_that_are_refused(session, moderator):
    question = _approved(session)
    elsewhere = _approved(webinar_session_make(course=session.course))
    hidden = _approved(session, "Verborgen")
    question_reject(question_id=hidden.pk, by=None)
    client = _signed_in(moderator)
    url = reverse("live:question_moderate", args=[question.pk])
    moderation = reverse("live:questions_moderation", args=[session.pk])
    for into, message in [
        (question.pk, "niet met zichzelf"),
        (elsewhere.pk, "dezelfde sessie"),
        (hidden.pk, "verborgen of zelf al samengevoegd"),
        ("", "dezelfde sessie"),
    ]:
        page = client.post(url, {"action": "merge", "into": into}, follow=True)
        assert page.redirect_chain[0][0] == f"{moderation}#q-list"
        assert message in page.content.decode()
    question.refresh_from_db()
    assert question.status == Question.Status.APPROVED


def test_moderator_moves_follow_the_state_machine(session, moderator):
    question = _approved(session)
    question_answer(question_id=question.pk, answer="Contactisolatie.", by=moderator)
    question_mark_answered_live(question_id=question.pk, by=moderator)
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED_LIVE
    assert question.answer == "Contactisolatie." and question.answered_at
    client = _signed_in(moderator)
    url = reverse("live:question_moderate", args=[question.pk])
    refused = client.post(url, {"action": "approve"}, follow=True).content.decode()
    assert "De vraag staat op “Live beantwoord”" in refused
    assert client.post(url, {"action": "unknown"}).status_code == 400
    empty = _approved(session, "Nog zonder antwoord")
    page = client.post(
        reverse("live:question_moderate", args=[empty.pk]),
        {"action": "answer", "answer": " "},
        follow=True,
    )
    assert "Typ eerst het antwoord." in page.content.decode()
    viewer = _signed_in(_viewer(session)).get(_list_url(session)).json()
    answered = next(q for q in viewer["questions"] if q["id"] == question.pk)
    assert answered["status"] == "answered_live" and answered["answer"] == "Contactisolatie."


def test_the_presenter_sees_the_approved_questions_by_votes(session):
    few, many = _approved(session, "Minder stemmen"), _approved(session, "Meeste stemmen")
    for _ in range(2):
        question_vote_toggle(question_id=many.pk, user=_viewer(session))
    question_vote_toggle(question_id=few.pk, user=_viewer(session))
    cache.clear()
    presenter = _signed_in(_staff("present_session"))
    page = presenter.get(reverse("live:presenter", args=[session.pk])).content.decode()
    assert page.index("Meeste stemmen") < page.index("Minder stemmen")
    assert "data-refresh-region" in page and f'data-question-id="{many.pk}"' in page
    # a presenter reads; moderating takes the moderator's permission
    assert presenter.get(reverse("live:questions_moderation", args=[session.pk])).status_code == 403


def test_who_may_read_ask_and_moderate(session, moderator):
    urls = {
        "list": _list_url(session),
        "moderation": reverse("live:questions_moderation", args=[session.pk]),
        "presenter": reverse("live:presenter", args=[session.pk]),
    }
    anonymous = Client()
    assert anonymous.get(urls["list"]).status_code == 403
    assert _ask(anonymous, session, "Hallo").status_code == 403
    assert anonymous.get(urls["moderation"]).status_code == 302  # to sign in

    not_registered = _signed_in(learner_with_profile())
    assert not_registered.get(urls["list"]).status_code == 403
    assert _ask(not_registered, session, "Hallo").status_code == 403

    learner = _signed_in(_viewer(session))
    assert learner.get(urls["list"]).status_code == 200
    assert learner.get(urls["moderation"]).status_code == 403
    assert learner.get(urls["presenter"]).status_code == 403
    question = Question.objects.create(session=session, author=moderator, text="Van de moderator")
    moderate = reverse("live:question_moderate", args=[question.pk])
    assert learner.post(moderate, {"action": "approve"}).status_code == 403

    staff = _signed_in(moderator)
    assert staff.get(urls["list"]).status_code == 200  # staff watch without a place
    assert staff.get(urls["moderation"]).status_code == 200
    assert staff.get(urls["presenter"]).status_code == 200
    assert staff.get(_list_url(LiveSession(pk=999_999))).status_code == 404


def test_the_watch_page_has_the_questions_panel(session):
    page = _signed_in(_viewer(session)).get(reverse("live:watch", args=[session.pk]))
    html = page.content.decode()
    for marker in ("data-questions", 'id="question-text"', 'id="question-submit"'):
        assert marker in html
    assert f'data-list-url="{_list_url(session)}"' in html
    assert "Je vraag aan het panel" in html


def test_the_sessions_list_in_wagtail_links_moderation_and_presenter(session, admin_client):
    page = admin_client.get("/admin/snippets/live/livesession/").content.decode()
    assert reverse("live:questions_moderation", args=[session.pk]) in page
    assert reverse("live:presenter", args=[session.pk]) in page


def test_the_list_is_published_beside_the_stream_for_viewers_who_have_not_taken_part(
    session, django_capture_on_commit_callbacks
):
    """Storage or the CDN serves it under the viewer's stream cookie: reading it never reaches
    the app. Votes publish it again once within the snapshot's seconds."""
    stream = stream_key_issue(session=session).stream
    viewer = _viewer(session)
    with django_capture_on_commit_callbacks(execute=True):
        question = _approved(session)
    client = _signed_in(viewer)
    page = client.get(reverse("live:watch", args=[session.pk])).content.decode()
    published_url = f"/live/{stream.uuid}/hls/questions.json"
    assert f'data-snapshot-url="{published_url}"' in page

    def published():
        response = client.get(published_url)
        assert response["Content-Type"] == "application/json"
        return json.loads(b"".join(response.streaming_content))

    assert [(q["text"], q["votes"]) for q in published()["questions"]] == [(question.text, 0)]
    assert published()["open"] and published()["refresh"] > 0
    assert Client().get(published_url).status_code == 403  # no stream cookie, no list

    with django_capture_on_commit_callbacks(execute=True):
        assert _vote(client, question).status_code == 200
        assert _vote(_signed_in(_viewer(session)), question).status_code == 200
    assert published()["questions"][0]["votes"] == 2
    assert "author" not in json.dumps(published())
