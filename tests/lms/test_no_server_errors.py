"""Every public URL, fed junk query strings and oversized values, answers without a 500."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from lms.demo.catalog import demo_catalog_seed
from tests.factories import learner_with_profile

pytestmark = pytest.mark.django_db

JUNK_QUERIES = [
    "",
    "?q=" + "x" * 5000,
    "?q=%00%01%02",
    "?q=%27%3B+DROP+TABLE+accounts_user%3B--",
    "?q=<script>alert(1)</script>&page=-1",
    "?page=999999999999999999999",
    "?page=abc&q=%E2%80%AE%F0%9F%92%89",
    "?next=https://evil.example/&next=//evil.example",
    "?q[]=1&q[]=2&sort=%FF",
    "?" + "&".join(f"k{i}=v" for i in range(300)),
]


def _public_paths() -> list[str]:
    """Paths of every URL pattern that takes no arguments, except the admin's."""
    paths: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if any(ch in route for ch in "<(^$"):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                paths.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted(p for p in set(paths) if not p.startswith(("/admin/", "/django-admin/")))


def test_the_sweep_covers_the_site():
    paths = _public_paths()
    for expected in ("/zoeken/", "/profiel/welkom/", "/accounts/login/", "/accounts/signup/"):
        assert expected in paths


# A course of each format, one of them paid: every kind of page the catalog serves.
CATALOG_SAMPLE = (
    "palliatieve-zorg-de-basis",
    "webinar-antibioticaresistentie",
    "reanimatietraining-klassikaal-utrecht",
    "english-shared-decision-making",
)


@pytest.fixture(scope="module")
def demo_catalog(module_rows):
    """A sample of the demo catalog, seeded once for both sweeps."""
    return module_rows(lambda: demo_catalog_seed(slugs=CATALOG_SAMPLE))


@pytest.mark.parametrize("as_learner", [False, True], ids=["anonymous", "learner"])
@pytest.mark.slow
def test_no_public_url_answers_500_to_junk(client, demo_catalog, as_learner):
    if as_learner:
        client.force_login(learner_with_profile())
    paths = [*_public_paths(), "/palliatieve-zorg-de-basis/", "/bestaat-niet/"]
    failures = []
    for path in paths:
        for query in JUNK_QUERIES:
            for method in ("get", "post"):
                response = getattr(client, method)(path + query)
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {path}{query[:60]} → {response.status_code}")
    assert not failures


def test_unknown_urls_get_the_designed_404_page(client):
    response = client.get("/deze/pagina/bestaat/niet/")
    assert response.status_code == 404
    assert "We kunnen deze pagina niet vinden" in response.text
    assert "Zoek cursussen" in response.text


@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        ("bad_request", 400, "We konden dit verzoek niet verwerken"),
        ("permission_denied", 403, "Je hebt geen toegang tot deze pagina"),
        ("page_not_found", 404, "We kunnen deze pagina niet vinden"),
    ],
)
def test_error_pages_are_designed_and_dutch(rf, view, status, heading):
    from django.contrib.auth.models import AnonymousUser

    from lms import views

    request = rf.get("/iets/")
    request.user = AnonymousUser()
    response = getattr(views, view)(request)
    assert response.status_code == status
    text = response.content.decode()
    assert heading in text
    assert "Naar de startpagina" in text
    assert f'aria-hidden="true">{status}</p>' in text


def test_the_rate_limit_page_explains_itself(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.shortcuts import render

    request = rf.get("/accounts/login/")
    request.user = AnonymousUser()
    text = render(request, "429.html", status=429).content.decode()
    assert "Voor je veiligheid pauzeren we dit even." in text
