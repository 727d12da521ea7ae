"""Staff edit register rules in the Wagtail admin."""

import pytest
from django.contrib.auth import get_user_model

from accreditation.models import Requirement, WorkHourNorm

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    admin = get_user_model().objects.create_superuser(
        email="beheer@leerstroom.example", password="een-sterk-wachtwoord-2026"
    )
    client.force_login(admin)
    return client


def test_requirements_and_norms_are_listed_and_editable(staff_client):
    requirement = Requirement.objects.get(register__slug="venvn", valid_until__isnull=True)
    norm = WorkHourNorm.objects.first()
    for url in (
        "/admin/snippets/accreditation/requirement/",
        "/admin/snippets/accreditation/requirement/add/",
        f"/admin/snippets/accreditation/requirement/edit/{requirement.pk}/",
        "/admin/snippets/accreditation/workhournorm/",
        f"/admin/snippets/accreditation/workhournorm/edit/{norm.pk}/",
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
    edit = staff_client.get(f"/admin/snippets/accreditation/requirement/edit/{requirement.pk}/")
    assert "category_rules-TOTAL_FORMS" in edit.text


def test_staff_add_a_requirement_version_with_a_category_rule(staff_client):
    from accreditation.models import ActivityCategory, Register

    e_learning = ActivityCategory.objects.get(slug="e-learning")
    response = staff_client.post(
        "/admin/snippets/accreditation/requirement/add/",
        {
            "register": Register.objects.get(slug="knov").pk,
            "total_points": "180",
            "period_years": "5",
            "points_per_year": "",
            "valid_from": "2027-01-01",
            "valid_until": "",
            "source_url": "https://www.kwaliteitsregisterverloskundigen.nl/",
            "note": "Nieuwe regeling",
            "category_rules-TOTAL_FORMS": "1",
            "category_rules-INITIAL_FORMS": "0",
            "category_rules-MIN_NUM_FORMS": "0",
            "category_rules-MAX_NUM_FORMS": "1000",
            "category_rules-0-label": "e-learning",
            "category_rules-0-kind": "max",
            "category_rules-0-amount": "50",
            "category_rules-0-unit": "percent",
            "category_rules-0-categories": [e_learning.pk],
            "category_rules-0-ORDER": "1",
            "category_rules-0-DELETE": "",
            "category_rules-0-id": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    requirement = Requirement.objects.get(register__slug="knov", valid_from="2027-01-01")
    [rule] = requirement.category_rules.all()
    assert (rule.kind, rule.amount, list(rule.categories.all())) == ("max", 50, [e_learning])
