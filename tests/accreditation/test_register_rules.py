"""Each register rule as seeded, one row per rule with its source: the learner's profession,
period and earnings in, the register's verdict out (accreditation.md, section 3)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest

from accreditation.api import register_evaluations
from accreditation.models import Register
from tests.accreditation.factories import awards_make, registration_make
from tests.factories import learner_with_profile

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    source: str
    register: str
    profession: str
    start: date
    end: date | None
    earned: dict[str, float]
    required: Decimal
    points_needed: Decimal
    earned_on: dict[str, date] = field(default_factory=dict)  # per category, else the start
    reduction_granted: Decimal | None = None
    short_rules: dict[str, Decimal] = field(default_factory=dict)
    years_below_yearly_minimum: tuple[int, ...] = ()
    period_end: date | None = None  # when it follows from the start
    on: date | None = None  # the day evaluated; the period's last day if not given
    status: str | None = None


VENVN = "https://kwaliteitsregister.venvn.nl/"
RGS = "https://www.knmg.nl/opleiding-herregistratie-carriere/rgs"

CASES = {
    "V&VN: 184 points, at least 80 accredited (verpleegkundige)": Case(
        VENVN,
        "venvn",
        "verpleegkundige",
        date(2027, 1, 1),
        date(2031, 12, 31),
        {"geaccrediteerd": 70, "overig": 100},
        required=Decimal(184),
        points_needed=Decimal(14),
        short_rules={"geaccrediteerd": Decimal(10)},
    ),
    "V&VN: verzorgenden need 60 accredited, not 80 (profession scope)": Case(
        VENVN,
        "venvn",
        "verzorgende-ig",
        date(2027, 1, 1),
        date(2031, 12, 31),
        {"geaccrediteerd": 70, "overig": 100},
        required=Decimal(184),
        points_needed=Decimal(14),
    ),
    "V&VN COVID: 147 points, 64 accredited, for periods ending before 1-7-2027": Case(
        VENVN,
        "venvn",
        "verpleegkundige",
        date(2022, 4, 1),
        date(2027, 3, 31),
        {"geaccrediteerd": 70, "overig": 80},
        required=Decimal(147),
        points_needed=Decimal(0),
    ),
    "V&VN: a period ending on 1-7-2027 is held to the standing 184 (version by period end)": Case(
        VENVN,
        "venvn",
        "verpleegkundige",
        date(2022, 7, 2),
        date(2027, 7, 1),
        {"geaccrediteerd": 70, "overig": 80},
        required=Decimal(184),
        points_needed=Decimal(34),
        short_rules={"geaccrediteerd": Decimal(10)},
    ),
    "V&VN: a period given by its start ends the day before its fifth anniversary": Case(
        VENVN,
        "venvn",
        "verpleegkundige",
        date(2026, 1, 1),
        None,
        {"geaccrediteerd": 80, "overig": 104},
        required=Decimal(184),
        points_needed=Decimal(0),
        period_end=date(2030, 12, 31),
    ),
    "RGS COVID: the reduction the register granted this specialist (40 of up to 66 h)": Case(
        RGS,
        "rgs",
        "arts",
        date(2022, 1, 1),
        date(2026, 12, 31),
        {"geaccrediteerd": 150},
        reduction_granted=Decimal(40),
        required=Decimal(160),
        points_needed=Decimal(10),
    ),
    "RGS COVID: a reduction above 66 h counts as 66": Case(
        RGS,
        "rgs",
        "arts",
        date(2022, 1, 1),
        date(2026, 12, 31),
        {"geaccrediteerd": 150},
        reduction_granted=Decimal(90),
        required=Decimal(134),
        points_needed=Decimal(0),
    ),
    "RGS: without a granted reduction the arrangement takes nothing off": Case(
        RGS,
        "rgs",
        "arts",
        date(2022, 1, 1),
        date(2026, 12, 31),
        {"geaccrediteerd": 150},
        required=Decimal(200),
        points_needed=Decimal(50),
    ),
    "RGS: registrations expiring after 31-12-2026 get no reduction": Case(
        RGS,
        "rgs",
        "arts",
        date(2022, 2, 1),
        date(2027, 1, 31),
        {"geaccrediteerd": 150},
        reduction_granted=Decimal(40),
        required=Decimal(200),
        points_needed=Decimal(50),
    ),
    "Huisarts (RGS): at least 10 h intercollegiale toetsing within the 200": Case(
        "https://www.nhg.org/",
        "rgs-huisarts",
        "arts",
        date(2027, 1, 1),
        date(2031, 12, 31),
        {"geaccrediteerd": 200, "intercollegiale-toetsing": 5},
        required=Decimal(200),
        points_needed=Decimal(5),
        short_rules={"intercollegiale toetsing": Decimal(5)},
    ),
    "Specialist ouderengeneeskunde: 40 h in every year": Case(
        "https://www.verenso.nl/",
        "rgs-ouderengeneeskunde",
        "arts",
        date(2022, 1, 1),
        date(2026, 12, 31),
        {"geaccrediteerd": 50, "klassikaal": 30, "overig": 45},
        earned_on={
            "geaccrediteerd": date(2022, 3, 1),
            "klassikaal": date(2023, 3, 1),
            "overig": date(2024, 3, 1),
        },
        required=Decimal(200),
        points_needed=Decimal(75),
        years_below_yearly_minimum=(2, 4),  # the fifth year ends with the day
        status="not_met",
    ),
    "Specialist ouderengeneeskunde: the total reached, yet one year below 40 h is not met": Case(
        "https://www.verenso.nl/",
        "rgs-ouderengeneeskunde",
        "arts",
        date(2022, 1, 1),
        date(2026, 12, 31),
        {"geaccrediteerd": 180, "klassikaal": 30},
        earned_on={"geaccrediteerd": date(2022, 3, 1), "klassikaal": date(2023, 3, 1)},
        on=date(2027, 1, 1),
        required=Decimal(200),
        points_needed=Decimal(0),
        years_below_yearly_minimum=(2, 3, 4, 5),
        status="not_met",
    ),
    "KRT: at least 40% subject-matter": Case(
        "https://www.tandartsregister.nl/",
        "krt",
        "tandarts",
        date(2027, 1, 1),
        date(2031, 12, 31),
        {"vakinhoudelijk": 40, "algemeen": 20, "reflectie": 20, "overig": 40},
        required=Decimal(120),
        points_needed=Decimal(8),
        short_rules={"vakinhoudelijk": Decimal(8)},
    ),
    "KNMP SRC-OF: at most half e-learning": Case(
        "https://www.knmp.nl/",
        "knmp-src-of",
        "apotheker",
        date(2027, 1, 1),
        date(2031, 12, 31),
        {"e-learning": 150, "klassikaal": 40},
        required=Decimal(200),
        points_needed=Decimal(60),
    ),
    "NAPA: at most 100 h online, not live": Case(
        "https://www.napa.nl/",
        "napa",
        "physician-assistant",
        date(2027, 1, 1),
        date(2031, 12, 31),
        {"e-learning": 120, "klassikaal": 50},
        required=Decimal(200),
        points_needed=Decimal(50),
    ),
    "NVDA (KABIZ): 100 points": Case(
        "https://www.nvda.nl/",
        "nvda-kabiz",
        "doktersassistent",
        date(2027, 1, 1),
        date(2031, 12, 31),
        {"overig": 100},
        required=Decimal(100),
        points_needed=Decimal(0),
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_register_rule(case: Case):
    learner = learner_with_profile(profession_slug=case.profession)
    registration = registration_make(
        user=learner, register_slug=case.register, start=case.start, end=case.end
    )
    if case.reduction_granted is not None:
        registration.reduction_granted = case.reduction_granted
        registration.reduction_evidence = "accreditation/evidence/2026/01/besluit.pdf"
        registration.save()
    for category, points in case.earned.items():
        awards_make(
            user=learner,
            register_slug=case.register,
            earned_on=case.earned_on.get(category, case.start),
            points={category: points},
        )
    period_end = case.end or case.period_end
    register = Register.objects.get(slug=case.register)
    on = case.on or period_end
    (evaluation,) = [
        e for e in register_evaluations(user_id=learner.pk, on=on) if e.register_id == register.pk
    ]
    assert evaluation.period_end == period_end, case.source
    assert evaluation.required == case.required, case.source
    assert evaluation.points_needed == case.points_needed, case.source
    assert evaluation.met == (case.points_needed == 0 and not case.years_below_yearly_minimum)
    if case.status:
        assert evaluation.status == case.status
    assert {r.label: r.shortfall for r in evaluation.rules if r.shortfall} == case.short_rules
    assert evaluation.years_below_yearly_minimum == case.years_below_yearly_minimum
