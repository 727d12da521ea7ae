"""A classroom course in Chromium: a nurse finds it by distance, registers in one click and gets
the calendar invitation; a colleague joins the waiting list and takes the place a cancellation
frees; staff mark presence on the list and close the session; the nurse sees her points."""

from datetime import timedelta
from decimal import Decimal

from django.core import mail
from django.utils import timezone

from live.models import LiveSession
from live.registration import registration_cancel, session_register
from tests.factories import UserFactory, learner_with_profile
from tests.live.factories import classroom_course, session_make

from .test_paths import _sign_in


def _invitation_lines(message) -> list[str]:
    ((_name, content, mimetype),) = message.attachments
    assert "method=REQUEST" in mimetype
    return content.replace("\r\n ", "").split("\r\n")


def test_a_nurse_registers_from_search_is_marked_present_and_gets_her_points(page, browser):
    course = classroom_course(title="Reanimatietraining in Utrecht")
    classroom_course(
        title="Reanimatietraining in Groningen",
        address="Grote Markt 1, Groningen",
        latitude=Decimal("53.2194"),
        longitude=Decimal("6.5665"),
    )
    session = session_make(course=course, capacity=2)
    nurse = learner_with_profile(big_number="19012345601")  # V&VN
    colleague = learner_with_profile(big_number="19012345602")
    colleague.first_name, colleague.last_name = "Bram", "Jansen"
    colleague.save()
    other = UserFactory()
    session_register(session_id=session.pk, user=other)  # one of the two places

    _sign_in(page, nurse)
    page.goto(page.base_url + "/zoeken/?plaats=utrecht&afstand=10")
    results = page.locator(".search__results")
    assert "Groningen" not in results.inner_text()
    results.get_by_role("link", name="Reanimatietraining in Utrecht").first.click()
    box = page.locator("[data-live-sessions]")
    box.get_by_role("button", name="Inschrijven").click()
    page.wait_for_load_state()
    assert "Je bent ingeschreven" in page.locator(".messages").inner_text()
    assert page.locator("[data-session] [data-status=registered]").is_visible()
    (invitation,) = [m for m in mail.outbox if m.to == [nurse.email]]
    lines = _invitation_lines(invitation)
    assert "METHOD:REQUEST" in lines and any(line.startswith("DTSTART:") for line in lines)

    # The colleague finds the session full and joins the waiting list.
    colleague_page = browser.new_context(locale="nl-NL").new_page()
    colleague_page.base_url = page.base_url
    _sign_in(colleague_page, colleague)
    colleague_page.goto(page.base_url + course.url)
    colleague_page.get_by_role("button", name="Op de wachtlijst").click()
    colleague_page.wait_for_load_state()
    assert "wachtlijst" in colleague_page.locator(".messages").inner_text()
    registration_cancel(session_id=session.pk, user=other)  # a place comes free
    colleague_page.goto(page.base_url + "/accreditatie/")
    mine = colleague_page.locator("[data-my-registrations]")
    assert "Ingeschreven" in mine.inner_text()
    assert any(m.to == [colleague.email] and "plek vrijgekomen" in m.subject for m in mail.outbox)

    # The session takes place; staff mark the nurse present and close it.
    now = timezone.now()
    LiveSession.objects.filter(pk=session.pk).update(
        starts_at=now - timedelta(hours=3, minutes=10), ends_at=now - timedelta(minutes=10)
    )
    staff = learner_with_profile()
    staff.is_staff = staff.is_superuser = True
    staff.save()
    staff_page = browser.new_context(locale="nl-NL").new_page()
    staff_page.base_url = page.base_url
    _sign_in(staff_page, staff)
    staff_page.goto(page.base_url + f"/sessies/{session.pk}/presentie/")
    staff_page.get_by_label(f"{nurse.initials_stated} {nurse.last_name} aanwezig").check()
    staff_page.get_by_role("button", name="Presentie opslaan").click()
    staff_page.wait_for_load_state()
    staff_page.get_by_role("button", name="Afsluiten en punten toekennen").click()
    staff_page.wait_for_load_state()
    assert staff_page.locator("[data-closed]").is_visible()

    page.goto(page.base_url + "/accreditatie/")
    outcome = page.locator("[data-my-registrations] [data-outcome=met]")
    assert "4 punten V&VN" in outcome.inner_text()
    points = page.locator("table tr", has_text=course.title).first
    assert "V&VN" in points.inner_text()
