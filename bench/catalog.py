"""The catalog benchmark: home page, searches and a course page over 10,000 courses.

Seeds PostgreSQL (database ``leerstroom_bench_catalog`` or ``--database``, made fresh unless
``--keep``) with 10,000 live courses and 50,000 episodes (``lms.demo.synthetic``: tags,
accreditation, covers, a learner with 40 courses of history and 200 colleagues who watched),
vacuums it as autovacuum would, then times requests made in-process through Django's full
middleware stack with production-like settings (DEBUG off, cached templates, Redis cache),
signed in as that learner. Times are server side: from the request entering Django to the
response leaving it.

    home       the home page as first sent: hero, Continue watching, featured rows, New
    home_rows  each row the home page then loads as the learner scrolls (4 rows + 7 competencies)
    home_with_rows  the page and all its rows, one after another
    search     three typical searches with filters, one by distance, one typed without
               accents ("patient" for "patiënt") and one with a typo that shows the
               courses of the word meant ("dementei")
    course     course pages (episodes, accreditation per register)
    minimal    calibration: the health check through the same stack (``minimal_p50_ms``), to
               tell a slow machine from slow pages; ``search_p95_in_minimal_views`` the ratio

Figures are medians and 95th percentiles over ``--rounds`` rounds after a warm-up round; the
final line is JSON with ``home_p95_ms``, ``search_p95_ms``, ``course_p95_ms``,
``home_queries`` and ``search_queries`` (targets: 150, 100 and 100 ms).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from bench_database import database_prepare

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "leerstroom_bench_catalog"
REDIS_URL = "redis://127.0.0.1:6379/12"
COURSES = 10_000
EPISODES_PER_COURSE = 5
SEARCHES = [
    {"q": "wondzorg", "beroep": "verpleegkundige"},
    {"register": "venvn", "punten": "2", "vorm": "on_demand", "sorteer": "punten"},
    {"q": "pijn ouderen", "duur": "kort", "prijs": "gratis", "taal": "nl"},
    {"plaats": "utrecht", "afstand": "50", "sorteer": "afstand"},
    {"q": "patient reanimatie", "prijs": "gratis", "duur": "kort"},
    {"q": "dementei", "beroep": "verpleegkundige", "duur": "kort"},
]
TARGETS_MS = {"home": 150, "search": 100, "course": 100}


def environment(database: str, redis_url: str) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "lms.settings.base",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": redis_url,
        "LEERSTROOM_VAR_DIR": str(ROOT / "var" / "bench-catalog"),
    }


def django_setup(database: str, redis_url: str) -> None:
    os.environ.update(environment(database, redis_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(log) -> dict:
    from django.core.cache import cache
    from django.core.management import call_command

    from lms.demo.synthetic import synthetic_catalog_create

    call_command("migrate", verbosity=0)
    cache.clear()
    started = time.perf_counter()
    made = synthetic_catalog_create(
        courses=COURSES, episodes_per_course=EPISODES_PER_COURSE, colleagues=200
    )
    log(f"seeded {COURSES} courses in {time.perf_counter() - started:.0f} s")
    from django.db import connection

    # A catalog in use is vacuumed by autovacuum long before it is searched: its statistics and
    # its visibility map (which lets PostgreSQL read an index without the table) are current.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"learner_id": made.learner_id}


def learner_id() -> int:
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(email__startswith="synthetisch-", email__endswith="-0@leerstroom.localhost")
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def timed(client, path, data=None, headers=None) -> tuple[float, int]:
    from django.db import connection, reset_queries

    reset_queries()
    started = time.perf_counter()
    response = client.get(path, data, headers=headers)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path} {data}: HTTP {response.status_code}")
    return elapsed, len(connection.queries)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="reuse an earlier run's catalog")
    parser.add_argument(
        "--database",
        default=DATABASE,
        help=f"the PostgreSQL database to drop and seed (default {DATABASE})",
    )
    parser.add_argument(
        "--redis-url", default=REDIS_URL, help=f"the Redis database for the cache ({REDIS_URL})"
    )
    args = parser.parse_args()

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    seeded = database_prepare(args.database, keep=args.keep)
    django_setup(args.database, args.redis_url)
    if not seeded:
        seed(log)

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from catalog.models import Competency, CoursePage, EpisodePage
    from discovery.rows import ROWS

    settings.DEBUG = False
    connection.force_debug_cursor = True  # count queries without DEBUG's other costs
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(pk=learner_id()))
    rows = [row.slug for row in ROWS if not row.eager] + [
        f"competentie-{slug}" for slug in Competency.objects.values_list("slug", flat=True)
    ]
    course_urls = [
        course.url for course in CoursePage.objects.live().order_by("?")[: args.rounds + 1]
    ]
    samples: dict[str, list[float]] = {
        "home": [],
        "home_rows": [],
        "home_with_rows": [],
        "search": [],
        "course": [],
        "minimal": [],
    }
    queries: dict[str, int] = {}
    for round_number in range(args.rounds + 1):
        measured = round_number > 0  # the first round warms caches and renditions
        took, count = timed(client, "/")
        whole_home = took
        if measured:
            samples["home"].append(took)
            queries["home"] = count
        for slug in rows:
            took, count = timed(client, f"/rijen/{slug}/", headers={"HX-Request": "true"})
            whole_home += took
            if measured:
                samples["home_rows"].append(took)
                queries["home_rows_max"] = max(queries.get("home_rows_max", 0), count)
        if measured:
            samples["home_with_rows"].append(whole_home)
        for params in SEARCHES:
            took, count = timed(client, "/zoeken/", params)
            if measured:
                samples["search"].append(took)
                queries["search"] = max(queries.get("search", 0), count)
        took, count = timed(client, course_urls[round_number])
        if measured:
            samples["course"].append(took)
            queries["course"] = count
        for _repeat in range(5):
            took, _count = timed(client, "/healthz/")
            if measured:
                samples["minimal"].append(took)
    figures = {}
    for name, values in samples.items():
        figures[f"{name}_p50_ms"] = round(statistics.median(values), 1)
        figures[f"{name}_p95_ms"] = round(percentile(values, 0.95), 1)
        log(
            f"{name:10} p50 {figures[f'{name}_p50_ms']:7.1f} ms   p95 "
            f"{figures[f'{name}_p95_ms']:7.1f} ms   ({len(values)} requests)"
        )
    figures.update(
        courses=CoursePage.objects.count(),
        episodes=EpisodePage.objects.count(),
        home_queries=queries["home"],
        home_rows_queries_max=queries["home_rows_max"],
        search_queries=queries["search"],
        course_queries=queries["course"],
        rounds=args.rounds,
        search_p95_in_minimal_views=round(figures["search_p95_ms"] / figures["minimal_p50_ms"], 1),
        targets_met=all(figures[f"{name}_p95_ms"] <= ms for name, ms in TARGETS_MS.items()),
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
