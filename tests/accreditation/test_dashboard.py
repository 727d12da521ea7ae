"""The "My accreditation" page: bars, the points-per-year chart and what to do next."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.utils import timezone

from accreditation.evaluation import PointsEvaluation, years_after
from accreditation.standing.pace_chart import pace_chart
from accreditation.work_hours.services import big_decision_record, work_hours_entry_add
from playlists.made_for_you import made_for_you_refresh
from playlists.models import LearningPath
from tests.accreditation.factories import awards_make, registration_make
from tests.factories import course_publish, learner_with_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client):
    user = learner_with_profile(big_number="19012345601")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return user


def _points_ledger(user, *, start: date):
    registration_make(user=user, register_slug="venvn", start=start, end=date(start.year + 5, 1, 1))
    awards_make(
        user=user,
        register_slug="venvn",
        earned_on=start + timedelta(days=40),
        points={"geaccrediteerd": 70, "overig": 80},
    )


def test_the_points_register_shows_bars_for_the_total_and_each_rule(client, learner):
    start = timezone.localdate().replace(month=1, day=1) - timedelta(days=365)
    _points_ledger(learner, start=start.replace(day=1))
    page = client.get("/accreditatie/").text
    assert '<progress class="meter__bar meter__bar--' in page
    assert 'max="184.0" value="150.0"' in page  # numbers unlocalised inside attributes
    assert 'max="80.0" value="70.0"' in page  # the minimum for accredited training
    assert "70.0 of at least 80.0" in page
    assert "Still needed: 34.0 points." in page
    assert "Of which 10.0 accredited." in page  # the rule's English label
    assert "at this pace about" in page.lower()


def test_the_chart_is_an_accessible_svg_with_its_values_in_a_table(client, learner):
    start = timezone.localdate().replace(month=1, day=1) - timedelta(days=365)
    _points_ledger(learner, start=start)
    page = client.get("/accreditatie/").text
    assert '<svg class="pace-chart__svg"' in page and 'role="img"' in page
    assert "<title id=" in page and "Points per year in V&amp;VN" in page
    assert page.count('class="pace-chart__bar pace-chart__bar--') == 5  # one per period year
    assert "pace-chart__bar--past" in page and "pace-chart__bar--future" in page
    assert "Even pace (36.8 a year)" in page
    assert 'class="pace-chart__needed"' in page
    table = page[page.index('<div class="visually-hidden"><table>') :]
    assert "<td>150.0</td>" in table[: table.index("</table>")]


def test_the_chart_geometry_follows_the_points():
    evaluation = PointsEvaluation(
        register_id=1,
        register="V&VN",
        requirement_id=1,
        required=Decimal(100),
        period_start=date(2024, 1, 1),
        period_end=date(2028, 12, 31),
        on=date(2025, 6, 1),
        earned=Decimal(30),
        counted=Decimal(30),
        shortfall_total=Decimal(70),
        rules=(),
        points_needed=Decimal(70),
        counting_category_ids=frozenset(),
        points_by_year=(Decimal(20), Decimal(10), Decimal(0), Decimal(0), Decimal(0)),
        years_below_yearly_minimum=(),
        rate_per_year=Decimal("17.1"),
        pace_needed_per_year=Decimal("19.7"),
        projected_points=Decimal(90),
        status="behind",
    )
    chart = pace_chart(evaluation)
    assert [bar.label for bar in chart.bars] == ["2024", "2025", "2026", "2027", "2028"]
    assert [bar.state for bar in chart.bars] == ["past", "current", "future", "future", "future"]
    heights = [float(bar.height) for bar in chart.bars]
    assert heights[0] == pytest.approx(2 * heights[1], rel=0.02) and heights[2] == 0
    assert chart.even_pace.value == Decimal(20)
    # The even-pace line sits level with the top of the 20-point bar.
    assert float(chart.even_pace.y) == pytest.approx(float(chart.bars[0].y), abs=0.2)
    assert chart.needed_pace.value == Decimal("19.7")
    # The needed pace runs from the current year to the end of the period.
    assert float(chart.needed_pace.x1) < float(chart.bars[1].x) < float(chart.bars[2].x)
    assert float(chart.needed_pace.x1) > float(chart.bars[0].x)


def test_big_shows_hours_the_date_the_norm_is_met_and_the_prc_route(client, learner):
    today = timezone.localdate()
    decided = today - timedelta(days=4 * 365)
    big_decision_record(user=learner, decided_on=decided)
    work_hours_entry_add(
        user=learner, kind="contract", start=decided, end=today, hours_per_week=Decimal(4)
    )
    page = client.get("/accreditatie/").text
    assert 'max="2080" value="' in page
    assert "Norm met on: not at this rate." in page
    assert "scholingseis" in page and 'href="https://www.bigregister.nl/herregistratie"' in page


def test_big_at_a_rate_that_makes_it_names_the_day(client, learner):
    today = timezone.localdate()
    decided = today - timedelta(days=4 * 365)
    big_decision_record(user=learner, decided_on=decided)
    work_hours_entry_add(
        user=learner, kind="contract", start=decided, end=today, hours_per_week=Decimal(9)
    )
    page = client.get("/accreditatie/").text
    assert "At your current rate you meet the norm on" in page
    assert "bigregister.nl" not in page


def test_what_do_i_still_need_links_to_the_made_for_you_path(client, learner):
    course_publish(
        title="Reanimatie", episodes=["Deel 1"], accreditations=[("venvn", 4, date(2099, 1, 1))]
    )
    assert "What do I still need?" not in client.get("/accreditatie/").text  # no path yet
    made_for_you_refresh(user_id=learner.pk)
    path = LearningPath.objects.get(owner=learner, generator="accreditatie-aanvullen")
    page = client.get("/accreditatie/").text
    assert "What do I still need?" in page
    assert f'href="/leerpaden/{path.pk}/"' in page


def test_the_attendance_export_link_is_for_staff_with_the_permission(client, learner):
    assert "/mijn-accreditatie/export/aanwezigheid/" not in client.get("/accreditatie/").text
    learner.user_permissions.add(Permission.objects.get(codename="export_attendance"))
    assert "/mijn-accreditatie/export/aanwezigheid/" in client.get("/accreditatie/").text


def test_the_dashboard_is_dutch_by_default(client):
    user = learner_with_profile()
    client.force_login(user)
    page = client.get("/accreditatie/")
    assert page.status_code == 200
    assert "Mijn accreditatie" in page.text


# --- A yearly minimum, a new learner and the wording of the pace ----------------------------


def _rgs_ouderengeneeskunde(user, *, years_ago: int):
    """A period that began ``years_ago`` years ago today, in a register asking 40 a year."""
    start = timezone.localdate().replace(day=1) - timedelta(days=365 * years_ago)
    registration_make(user=user, register_slug="rgs-ouderengeneeskunde", start=start, end=None)
    return start


def test_a_finished_year_below_the_yearly_minimum_is_flagged_in_text_and_chart(client, learner):
    start = _rgs_ouderengeneeskunde(learner, years_ago=2)
    awards_make(
        user=learner,
        register_slug="rgs-ouderengeneeskunde",
        earned_on=start + timedelta(days=20),
        points={"geaccrediteerd": 30},
    )
    awards_make(
        user=learner,
        register_slug="rgs-ouderengeneeskunde",
        earned_on=start + timedelta(days=400),
        points={"geaccrediteerd": 45},
    )
    cards = client.get("/accreditatie/").text.split('<li class="register-card">')
    page = next(card for card in cards if "RGS elderly care physicians" in card)
    first_year_end = years_after(start, 1) - timedelta(days=1)
    assert (
        f"Year 1 ({start.day}-{start.month}-{start.year} – {first_year_end.day}-"
        f"{first_year_end.month}-{first_year_end.year}): 30.0 points, below the yearly minimum "
        "of 40.0." in page
    )
    assert "Year 2 (" not in page  # 45 in the second year: above the minimum
    assert page.count("pace-chart__bar--below") == 1
    assert 'class="pace-chart__minimum"' in page and "Yearly minimum (40.0)" in page
    # 200 in five years is 40 a year: the even pace is the minimum itself, drawn once.
    assert 'class="pace-chart__pace"' not in page
    assert "This year (year 3, until" in page


def test_a_new_learner_is_greeted_without_alarm_and_told_what_is_needed_per_year(client):
    user = learner_with_profile(big_number="19012345601")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    awards_make(
        user=user,
        register_slug="venvn",
        earned_on=timezone.localdate(),
        points={"geaccrediteerd": 3},
    )
    page = client.get("/accreditatie/").text
    assert "Just started." in page
    assert "You still need 181.0 points: about 36." in page
    assert "Too little data yet for a pace." in page
    assert "standing--behind" not in page and "fall short" not in page
    assert "At this pace about" not in page  # no projected number yet
    assert "meter__bar--started" in page


def test_a_known_pace_is_worded_as_a_pace_not_a_promise(client, learner):
    start = timezone.localdate() - timedelta(days=400)
    registration_make(user=learner, register_slug="venvn", start=start, end=None)
    for months in range(12):
        awards_make(
            user=learner,
            register_slug="venvn",
            earned_on=start + timedelta(days=30 * months),
            points={"geaccrediteerd": 4},
        )
    page = client.get("/accreditatie/").text
    assert "At this pace about " in page and " points by the end of your period (" in page
    assert "You are on track." in page


def test_the_new_learner_reads_it_in_dutch(client):
    user = learner_with_profile(big_number="19012345601")
    client.force_login(user)
    page = client.get("/accreditatie/").text
    assert "Net begonnen." in page
    assert "Nog te weinig gegevens voor een tempo." in page
    assert "Je hebt nog 184,0 punten nodig: ongeveer 36," in page
