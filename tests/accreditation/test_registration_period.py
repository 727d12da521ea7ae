"""A registration's period as the learner's register shows it: entered and changed on its own
page, checked, and every activity outside it shown with the reason it does not count. BIG asks
the deadline or the last decision; without either nothing is concluded. Where the register
grants a personal reduction, the learner enters it with the register's decision."""

from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accreditation.evaluation import years_after
from accreditation.models import Register, Registration
from accreditation.work_hours.services import work_hours_entry_add
from tests.accreditation.factories import awards_make, registration_make
from tests.downloads import file_download
from tests.factories import UserFactory, learner_with_profile

pytestmark = pytest.mark.django_db

DECISION = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% besluit RGS\n%%EOF\n"


def _english(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def learner(client):
    user = learner_with_profile(big_number="19012345601")
    _english(client, user)
    return user


def _registration(user, slug: str) -> Registration:
    return Registration.objects.get(user=user, register__slug=slug)


def _edit_url(registration) -> str:
    return f"/accreditatie/registraties/{registration.pk}/"


def _today() -> date:
    return timezone.localdate()


# --- Setting and changing the period ----------------------------------------------------------


def test_the_learner_enters_the_period_their_register_shows(client, learner):
    venvn = _registration(learner, "venvn")
    start = date(_today().year - 1, 3, 1)
    end = years_after(start, 5) - timedelta(days=1)
    page = client.get(_edit_url(venvn)).text
    assert "You have not entered your period yet" in page
    response = client.post(
        _edit_url(venvn), {"period_start": start.isoformat(), "period_end": end.isoformat()}
    )
    assert response.status_code == 302 and response["Location"] == "/accreditatie/"
    venvn.refresh_from_db()
    assert (venvn.period_start, venvn.period_end) == (start, end)
    dashboard = client.get("/accreditatie/").text
    assert f"{start:%d-%m-%Y}" in dashboard or f"{start:%d/%m/%Y}" in dashboard  # nl or en-GB
    assert "You have not entered your period yet" not in dashboard


def test_the_period_can_be_changed_later_and_either_day_follows_from_the_other(client, learner):
    venvn = _registration(learner, "venvn")
    registration_make(user=learner, register_slug="venvn", start=date(2024, 1, 1), end=None)
    end = date(_today().year + 2, 6, 30)
    client.post(_edit_url(venvn), {"period_start": "", "period_end": end.isoformat()})
    venvn.refresh_from_db()
    assert (venvn.period_start, venvn.period_end) == (None, end)
    page = client.get(_edit_url(venvn)).text
    start = years_after(end, -5) + timedelta(days=1)
    assert f"Counted now: {start.day}-{start.month}-{start.year} – " in page


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ((2025, 3, 1), (2025, 2, 1), "The end of the period (1-2-2025) must be after its start"),
        ((2025, 3, 1), (2025, 3, 1), "must be after its start"),
        ((2025, 1, 1), (2202, 12, 31), "31-12-2202 is more than 25 years from today"),
        ((1926, 1, 1), None, "1-1-1926 is more than 25 years from today"),
        ((2015, 1, 1), (2026, 12, 31), "more than twice the register's period of 5 years"),
        ("next-year-and-more", None, "is not the one you are in now"),
    ],
    ids=["reversed", "same-day", "absurd-end", "absurd-start", "too-long", "far-ahead"],
)
def test_impossible_periods_are_refused_with_a_clear_message(client, learner, start, end, message):
    venvn = _registration(learner, "venvn")
    if start == "next-year-and-more":
        start = years_after(_today(), 1) + timedelta(days=10)
    else:
        start = date(*start)
    data = {"period_start": start.isoformat(), "period_end": date(*end).isoformat() if end else ""}
    response = client.post(_edit_url(venvn), data)
    assert response.status_code == 400
    assert message in unescape(response.text)
    venvn.refresh_from_db()
    assert (venvn.period_start, venvn.period_end) == (None, None)


def test_a_period_of_unusual_length_is_saved_only_once_confirmed(client, learner):
    venvn = _registration(learner, "venvn")
    data = {"period_start": "2023-03-01", "period_end": "2027-04-30"}
    response = client.post(_edit_url(venvn), data)
    assert response.status_code == 400
    assert (
        "From 1-3-2023 to 30-4-2027 is 4 years and 2 months, but this register's periods last "
        "5 years." in unescape(response.text)
    )
    assert 'name="length_confirmed"' in response.text
    venvn.refresh_from_db()
    assert venvn.period_end is None
    response = client.post(_edit_url(venvn), {**data, "length_confirmed": "on"})
    assert response.status_code == 302
    venvn.refresh_from_db()
    assert venvn.period_end == date(2027, 4, 30)


def test_a_period_a_day_off_the_register_length_needs_no_confirmation(client, learner):
    venvn = _registration(learner, "venvn")
    # Registers often print the anniversary itself as the last day.
    response = client.post(
        _edit_url(venvn), {"period_start": "2023-03-01", "period_end": "2028-03-01"}
    )
    assert response.status_code == 302


def test_another_learners_registration_is_not_found(client, learner):
    other = learner_with_profile()
    response = client.get(_edit_url(_registration(other, "venvn")))
    assert response.status_code == 404
    response = client.post(
        _edit_url(_registration(other, "venvn")),
        {"period_start": "2023-01-01", "period_end": "2027-12-31"},
    )
    assert response.status_code == 404
    assert _registration(other, "venvn").period_start is None


def test_a_register_added_on_the_profile_asks_for_its_period_next(client, learner):
    knov = Register.objects.get(slug="knov")
    venvn = Register.objects.get(slug="venvn")
    response = client.post(
        "/profiel/",
        {
            "first_name": "Anna",
            "last_name": "Visser",
            "profession": learner.professional_profile.profession_id,
            "big_number": "19012345601",
            "registers": [venvn.pk, knov.pk],
        },
    )
    added = _registration(learner, "knov")
    assert response["Location"] == f"{_edit_url(added)}?next=%2Fprofiel%2F"
    page = client.get(response["Location"]).text
    assert "Your period in KNOV" in page and 'name="next" value="/profiel/"' in page
    profile = client.get("/profiel/").text
    assert f'href="{_edit_url(added)}?next=/profiel/"' in profile
    assert "period not entered yet" in profile


def test_the_dashboard_card_links_to_the_period_page(client, learner):
    page = client.get("/accreditatie/").text
    assert f'href="{_edit_url(_registration(learner, "venvn"))}"' in page
    assert f'href="{_edit_url(_registration(learner, "big"))}"' in page
    assert "Change your period" in page
    # Without a deadline the BIG card asks for it instead of offering to change it.
    assert "Enter your re-registration date" in page
    assert "Change your re-registration date" not in page
    big = _registration(learner, "big")
    client.post(_edit_url(big), {"deadline": years_after(_today(), 2).isoformat()})
    assert "Change your re-registration date" in client.get("/accreditatie/").text


# --- Activities outside the period ---------------------------------------------------------


@pytest.fixture
def period_with_entries_on_both_sides(learner):
    """A period that began 1 March last year and ended yesterday; one activity before it,
    one inside, one today (after it)."""
    today = _today()
    start = date(today.year - 1, 3, 1)
    registration_make(
        user=learner, register_slug="venvn", start=start, end=today - timedelta(days=1)
    )
    for day, points in (
        (start - timedelta(days=14), 4),
        (start + timedelta(days=30), 20),
        (today, 3),
    ):
        awards_make(user=learner, register_slug="venvn", earned_on=day, points={"overig": points})
    return start


def test_recent_entries_outside_the_period_say_why_they_do_not_count(
    client, learner, period_with_entries_on_both_sides
):
    start = period_with_entries_on_both_sides
    page = client.get("/accreditatie/").text
    end = _today() - timedelta(days=1)
    before = f"Does not count: before your period (which begins 1-3-{start.year})."
    after = f"Does not count: after the end of your period (which ends {end.day}-{end.month}-"
    assert page.count(before) == 1 and page.count(after) == 1
    assert page.count("ledger-table__outside") == 2
    # The card says how many points lie outside and why.
    assert f"4.0 points fall before your period (which begins 1-3-{start.year})" in page
    assert "3.0 points fall after the end of your period" in page
    assert "<strong>20.0</strong> of " in page


def test_the_portfolio_pdf_marks_activities_outside_the_period_and_leaves_them_out_of_the_total(
    client, learner, period_with_entries_on_both_sides, monkeypatch
):
    rendered = {}

    class _Html:
        def __init__(self, *, string):
            rendered["html"] = string

        def write_pdf(self):
            return b"%PDF-1.7\n"

    monkeypatch.setattr("weasyprint.HTML", _Html)
    start = period_with_entries_on_both_sides
    response = client.get("/mijn-accreditatie/portfolio/venvn.pdf")
    assert response.status_code == 200
    html = rendered["html"]
    # A portfolio is in Dutch, whatever the site language.
    assert f"Telt niet mee: valt vóór je periode (begint 1-3-{start.year})." in html
    assert "Telt niet mee: valt na het einde van je periode (eindigt" in html
    assert html.count('class="outside"') == 2
    total = html[html.index("<tfoot>") :]
    assert '<td class="points">20.0</td>' in total or '<td class="points">20,0</td>' in total
    assert "Telt niet mee: buiten je periode" in total


# --- BIG: the deadline, or the decision it follows from --------------------------------------


def test_big_takes_the_deadline_as_the_register_states_it(client, learner):
    big = _registration(learner, "big")
    deadline = date(_today().year + 2, 9, 15)
    response = client.post(_edit_url(big), {"deadline": deadline.isoformat()})
    assert response.status_code == 302
    big.refresh_from_db()
    assert (big.period_start, big.period_end) == (years_after(deadline, -5), deadline)


def test_big_takes_the_last_decision_and_sets_the_deadline_five_years_on(client, learner):
    big = _registration(learner, "big")
    decided = date(_today().year - 2, 4, 1)
    client.post(_edit_url(big), {"decided_on": decided.isoformat()})
    big.refresh_from_db()
    assert big.period_end == years_after(decided, 5)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"deadline": ""}, "Enter your deadline, or the date of your last decision."),
        ({"decided_on": "future"}, "The decision date is in the future."),
        ({"deadline": "far"}, "A BIG deadline is at most 5 years ahead"),
        (
            {"deadline": "2029-01-01", "decided_on": "2023-01-01"},
            "a decision on 1-1-2023 gives the deadline 1-1-2028",
        ),
    ],
    ids=["nothing", "decision-ahead", "deadline-too-far", "mismatch"],
)
def test_big_dates_that_cannot_be_are_refused(client, learner, data, message):
    big = _registration(learner, "big")
    substitutes = {
        "future": (_today() + timedelta(days=3)).isoformat(),
        "far": years_after(_today(), 7).isoformat(),
    }
    data = {key: substitutes.get(value, value) for key, value in data.items()}
    response = client.post(_edit_url(big), data)
    assert response.status_code == 400
    assert message in response.text
    big.refresh_from_db()
    assert big.period_end is None


def test_big_without_a_deadline_shows_the_hours_and_asks_for_the_deadline(client, learner):
    today = _today()
    work_hours_entry_add(
        user=learner,
        kind="contract",
        start=today - timedelta(days=3 * 365),
        end=today,
        hours_per_week=Decimal(2),
    )
    page = client.get("/accreditatie/").text
    assert "Your re-registration deadline is not known yet" in page
    assert "In the past 5 years you worked" in page
    assert f'href="{_edit_url(_registration(learner, "big"))}"' in page
    # No conclusion and no refresher programme before a deadline is known.
    assert "scholingseis" not in page and "Norm met on: not at this rate." not in page
    assert "meter__bar--unknown" in page


# --- A personal reduction with the register's decision -------------------------------------


@pytest.fixture
def specialist(client):
    user = learner_with_profile(profession_slug="arts", big_number="19012345601")
    registration_make(
        user=user, register_slug="rgs", start=date(2022, 1, 1), end=date(2026, 12, 31)
    )
    _english(client, user)
    return user


def _decision(name="besluit-rgs.pdf", content=DECISION):
    return SimpleUploadedFile(name, content, "application/pdf")


def _reduction_post(client, registration, **data):
    return client.post(
        _edit_url(registration),
        {"period_start": "2022-01-01", "period_end": "2026-12-31", **data},
    )


def test_the_reduction_is_entered_with_the_decision_and_explained_on_the_dashboard(
    client, specialist
):
    rgs = _registration(specialist, "rgs")
    page = client.get(_edit_url(rgs)).text
    assert "Personal reduction" in page and "at most 66 hours" in page
    response = _reduction_post(client, rgs, reduction_granted="40", reduction_evidence=_decision())
    assert response.status_code == 302
    rgs.refresh_from_db()
    assert rgs.reduction_granted == 40 and rgs.reduction_evidence
    dashboard = client.get("/accreditatie/").text
    assert "200 hours − 40 hours reduction (decision RGS) = 160 hours" in dashboard
    assert "of 160.0 points" in dashboard


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        (
            {"reduction_granted": "80", "with_decision": True},
            "RGS grants at most 66 hours off; you entered 80.",
        ),
        ({"reduction_granted": "40"}, "Add your register's decision on the reduction"),
        ({"reduction_granted": "0", "with_decision": True}, "more than 0"),
        (
            {"reduction_granted": "40", "not_a_pdf": True},
            "The evidence must be a PDF or a photo",
        ),
        ({"with_decision": True}, "Enter the reduction the decision grants, in hours."),
    ],
    ids=["over-the-cap", "no-decision", "zero", "not-a-pdf", "decision-without-hours"],
)
def test_a_reduction_the_register_cannot_have_granted_is_refused(
    client, specialist, data, field_message
):
    rgs = _registration(specialist, "rgs")
    post = {"reduction_granted": data.get("reduction_granted", "")}
    if data.get("with_decision"):
        post["reduction_evidence"] = _decision()
    if data.get("not_a_pdf"):
        post["reduction_evidence"] = _decision("besluit.pdf", b"<html>geen pdf</html>")
    response = _reduction_post(client, rgs, **post)
    assert response.status_code == 400
    assert field_message in unescape(response.text)
    rgs.refresh_from_db()
    assert rgs.reduction_granted is None and not rgs.reduction_evidence


def test_no_reduction_is_offered_where_the_register_grants_none(client, specialist):
    venvn = _registration(specialist, "venvn")
    page = client.get(_edit_url(venvn)).text
    assert 'name="reduction_granted"' not in page
    rgs = _registration(specialist, "rgs")
    # A period ending after the arrangement: the reduction is refused for it.
    response = client.post(
        _edit_url(rgs),
        {
            "period_start": "2023-01-01",
            "period_end": "2027-12-31",
            "reduction_granted": "20",
            "reduction_evidence": _decision(),
        },
    )
    assert response.status_code == 400
    assert "RGS grants no personal reduction for this period." in response.text


def test_the_decision_is_for_its_owner_and_staff_with_the_right_only(client, specialist):
    rgs = _registration(specialist, "rgs")
    _reduction_post(client, rgs, reduction_granted="40", reduction_evidence=_decision())
    url = f"/mijn-accreditatie/bewijs/korting/{rgs.pk}/"
    assert url in client.get(_edit_url(rgs)).text
    body, _type, disposition = file_download(client, url)
    assert body == DECISION and disposition.startswith("attachment")

    client.force_login(learner_with_profile())
    assert client.get(url).status_code == 404
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 404
    staff.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client.force_login(staff)
    assert file_download(client, url)[0] == DECISION
    client.logout()
    assert client.get(url).status_code == 302


def test_emptying_the_hours_removes_the_reduction_and_its_decision(
    client, specialist, django_capture_on_commit_callbacks
):
    rgs = _registration(specialist, "rgs")
    _reduction_post(client, rgs, reduction_granted="40", reduction_evidence=_decision())
    rgs.refresh_from_db()
    stored = rgs.reduction_evidence.name
    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        response = _reduction_post(client, rgs, reduction_granted="")
    assert response.status_code == 302
    rgs.refresh_from_db()
    assert rgs.reduction_granted is None and not rgs.reduction_evidence
    assert not default_storage.exists(stored)
    assert "reduction (decision RGS)" not in client.get("/accreditatie/").text
