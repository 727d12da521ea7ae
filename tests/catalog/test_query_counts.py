"""No N+1: the catalog's pages run the same number of queries for 10 courses and for 500."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import CoursePage
from lms.demo.synthetic import synthetic_catalog_create

pytestmark = pytest.mark.django_db

ROWS = [
    "verder-kijken",
    "voor-jouw-beroep",
    "buiten-je-comfortzone",
    "populair",
    "accreditatie-verloopt",
    "competentie-communicatie",
]


def _pages(course: CoursePage) -> dict[str, dict]:
    # Filters this course passes, so the results are never empty.
    profession = course.professions.first().slug
    register = course.accreditations.first().register.slug
    pages = {
        "home": {"path": "/"},
        "course": {"path": course.url},
        "search": {"path": "/zoeken/", "data": {"q": "zorg", "sorteer": "punten"}},
        "search with filters": {
            "path": "/zoeken/",
            "data": {
                "beroep": profession,
                "vorm": course.format,
                "register": register,
                "duur": ["kort", "middel", "lang"],
            },
        },
        "search by distance": {
            "path": "/zoeken/",
            "data": {"plaats": "utrecht", "afstand": "100", "sorteer": "afstand"},
        },
    }
    for row in ROWS:
        pages[row] = {"path": f"/rijen/{row}/", "headers": {"HX-Request": "true"}}
    return pages


def _measure(client, pages) -> dict[str, int]:
    counts = {}
    for name, page in pages.items():
        client.get(page["path"], page.get("data"), headers=page.get("headers"))  # warm up
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page["path"], page.get("data"), headers=page.get("headers"))
        assert response.status_code == 200, name
        assert b"course-card" in response.content or name == "course", f"{name} is empty"
        counts[name] = len(queries)
    return counts


@pytest.mark.slow
def test_queries_do_not_grow_with_the_catalog(client):
    shape = {"colleagues": 4, "history": 3, "ending_share": 1.0, "format_weights": (2, 1, 2)}
    small = synthetic_catalog_create(courses=10, **shape)
    client.force_login(get_user_model().objects.get(pk=small.learner_id))
    course = CoursePage.objects.get(pk=small.course_ids[0])
    pages = _pages(course)
    with_10 = _measure(client, pages)

    synthetic_catalog_create(courses=490, seed=2, **shape)
    with_500 = _measure(client, pages)

    assert with_500 == with_10
    assert max(with_10.values()) <= 40, with_10
