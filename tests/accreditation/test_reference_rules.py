"""The rules the data migration seeds, as the domain facts give them."""

from datetime import date
from decimal import Decimal

import pytest

from accreditation.models import ActivityCategory, Requirement, WorkHourNorm

pytestmark = pytest.mark.django_db


def _rules(requirement):
    return [
        (
            rule.label,
            rule.kind,
            rule.amount,
            rule.unit,
            sorted(c.slug for c in rule.categories.all()),
            rule.profession.slug if rule.profession else None,
        )
        for rule in requirement.category_rules.all()
    ]


def test_the_seeded_register_requirements_exist_after_migrate():
    standing = {r.register.slug: r for r in Requirement.objects.filter(valid_until__isnull=True)}
    assert {slug: r.total_points for slug, r in standing.items()} == {
        "rgs": 200,
        "rgs-huisarts": 200,
        "rgs-ouderengeneeskunde": 200,
        "venvn": 184,
        "krt": 120,
        "knmp-src-of": 200,
        "napa": 200,
        "knov": 200,
        "nvda-kabiz": 100,
    }
    assert _rules(standing["venvn"]) == [
        ("geaccrediteerd", "min", Decimal(80), "points", ["geaccrediteerd"], None),
        ("geaccrediteerd", "min", Decimal(60), "points", ["geaccrediteerd"], "verzorgende-ig"),
    ]
    assert _rules(standing["knmp-src-of"]) == [
        ("e-learning", "max", Decimal(50), "percent", ["e-learning"], None)
    ]
    assert _rules(standing["napa"]) == [
        ("online, niet live", "max", Decimal(100), "points", ["e-learning"], None)
    ]
    assert standing["rgs-ouderengeneeskunde"].points_per_year == 40
    assert all(r.source_url for r in standing.values())


def test_the_covid_leniency_is_a_separate_version_with_an_end_date():
    leniency = Requirement.objects.get(register__slug="venvn", valid_until__isnull=False)
    assert (leniency.total_points, leniency.valid_until) == (147, date(2027, 6, 30))
    assert _rules(leniency) == [
        ("geaccrediteerd", "min", Decimal(64), "points", ["geaccrediteerd"], None)
    ]


def test_the_rgs_covid_arrangement_is_a_personal_reduction_up_to_66_hours():
    arrangement = Requirement.objects.get(register__slug="rgs", valid_until__isnull=False)
    assert (arrangement.total_points, arrangement.reduction_max) == (200, 66)
    assert arrangement.valid_until == date(2026, 12, 31)


def test_the_big_work_hour_norms_exist_per_profession():
    norms = dict(WorkHourNorm.objects.values_list("profession__slug", "hours"))
    assert norms["verpleegkundige"] == norms["arts"] == norms["physician-assistant"] == 2080
    assert norms["gz-psycholoog"] == norms["orthopedagoog-generalist"] == 3120
    assert len(norms) == 11
    assert WorkHourNorm.objects.filter(cycle_years=5).count() == 11


def test_the_categories_the_rules_need_exist():
    slugs = set(ActivityCategory.objects.values_list("slug", flat=True))
    assert {"geaccrediteerd", "e-learning", "klassikaal", "vakinhoudelijk"} <= slugs
