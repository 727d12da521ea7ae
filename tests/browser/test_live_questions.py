"""Questions to the panel in Chromium, on a phone's width: a viewer asks from the watch page and
sees the question wait, the moderator approves it with the button on the moderation page, and
another viewer finds it on the list and votes with the keyboard."""

from django.contrib.auth.models import Permission

from live.models import Question, QuestionVote
from live.registration import session_register
from tests.factories import learner_with_profile
from tests.live.factories import webinar_course, webinar_session_make

from .test_paths import _sign_in

PHONE = {"width": 390, "height": 844}


def test_a_question_is_asked_approved_and_voted_for(page, browser, settings):
    settings.LIVE_QUESTIONS_SNAPSHOT_SECONDS = 1
    session = webinar_session_make(course=webinar_course())
    asker, voter = learner_with_profile(), learner_with_profile()
    for learner in (asker, voter):
        session_register(session_id=session.pk, user=learner)
    moderator = learner_with_profile()
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_session"))
    watch = f"{page.base_url}/sessies/{session.pk}/kijken/"

    page.set_viewport_size(PHONE)
    _sign_in(page, asker)
    page.goto(watch)
    text = page.locator("#question-text")
    text.fill("Wanneer stop je met contactisolatie?")
    assert page.locator("#question-count").inner_text() == "36 van 500 tekens"
    page.locator("#question-submit").click()
    page.get_by_text("Verstuurd: je vraag wacht op de moderator.").wait_for()
    pending = page.locator("[data-question-pending] [data-question-id]")
    pending.get_by_text("Wacht op de moderator").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    question = Question.objects.get()

    staff = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    staff.base_url = page.base_url
    _sign_in(staff, moderator)
    staff.goto(f"{page.base_url}/sessies/{session.pk}/vragen/modereren/")
    card = staff.locator(f'[data-question-id="{question.pk}"]')
    card.locator('[data-action="approve"]').click()
    staff.get_by_text("Goedgekeurd: kijkers zien de vraag nu.").wait_for()

    viewer = browser.new_context(viewport=PHONE).new_page()
    viewer.base_url = page.base_url
    _sign_in(viewer, voter)
    viewer.goto(watch)
    item = viewer.locator(f'[data-question-list] [data-question-id="{question.pk}"]')
    vote = item.locator("[data-vote]")
    vote.focus()
    viewer.keyboard.press("Enter")
    item.locator('[data-vote][aria-pressed="true"]').wait_for()
    box = vote.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    assert QuestionVote.objects.filter(question=question, voter=voter).exists()

    # The asker's page takes the approved question from the list it polls, with its vote.
    mine = page.locator(f'[data-question-list] [data-question-id="{question.pk}"]')
    mine.get_by_text("Jouw vraag").wait_for()
    mine.locator(".live-questions__votes", has_text="▲ 1").wait_for(timeout=10_000)
    assert page.locator("[data-question-pending] [data-question-id]").count() == 0
