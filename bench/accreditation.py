"""The accreditation benchmark: a learner's standing in every register, and an attendance export.

Seeds PostgreSQL (database ``leerstroom_bench_accreditation``, made fresh unless ``--keep``) with
the registers and rules of the data migrations, one learner in four point registers with 2,000
ledger entries (500 per register, across the categories their rules count) and a BIG work-hour
log, and 20,000 learners who completed one course. Then times, in-process:

    evaluate  ``accreditation.api.register_evaluations`` for that learner: every register, with
              caps, minima, pace and the BIG norm (queries included)
    export    the attendance CSV of that course (20,000 rows) streamed through ``csv.writer``

Figures are medians and 95th percentiles over ``--rounds`` rounds after a warm-up round; the
final line is JSON with ``evaluate_p50_ms``, ``evaluate_p95_ms``, ``export_rows_per_s``,
``entries``, ``registers`` and ``targets_met`` (target: evaluate p95 at most 50 ms).
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from bench_database import database_prepare

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "leerstroom_bench_accreditation"
POINT_REGISTERS = ["venvn", "knmp-src-of", "napa", "rgs"]
ENTRIES = 2_000
ATTENDEES = 20_000
EXPORT_COURSE_ID = 1
LEARNER_EMAIL = "bench-learner@leerstroom.localhost"
TARGET_EVALUATE_P95_MS = 50
BATCH = 2_000


def environment() -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "lms.settings.base",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": "redis://127.0.0.1:6379/12",
        "LEERSTROOM_VAR_DIR": str(ROOT / "var" / "bench-accreditation"),
    }


def django_setup() -> None:
    os.environ.update(environment())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _learner_seed(rng: random.Random, today: date) -> None:
    from django.contrib.auth import get_user_model

    from accreditation.models import ActivityCategory, LedgerEntry, Register, Registration
    from accreditation.profiles.services import professional_profile_save
    from accreditation.work_hours.services import big_decision_record, work_hours_entry_add
    from catalog.models import Profession

    user = get_user_model().objects.create_user(
        email=LEARNER_EMAIL, password=None, first_name="Sanne", last_name="Bakker"
    )
    professional_profile_save(
        user=user,
        profession_id=Profession.objects.get(slug="verpleegkundige").pk,
        big_number="19012345601",
        registers=list(Register.objects.filter(slug__in=POINT_REGISTERS)),
    )
    start = today - timedelta(days=3 * 365)
    Registration.objects.filter(user=user, register__slug__in=POINT_REGISTERS).update(
        period_start=start, period_end=start + timedelta(days=5 * 365)
    )
    big_decision_record(user=user, decided_on=start)
    for year in range(3):
        first = start + timedelta(days=365 * year)
        work_hours_entry_add(
            user=user,
            kind="contract",
            start=first,
            end=min(first + timedelta(days=364), today),
            hours_per_week=Decimal(rng.choice([8, 16, 24, 32])),
        )
    categories = list(ActivityCategory.objects.all())
    entries = []
    for register in Register.objects.filter(slug__in=POINT_REGISTERS):
        for n in range(ENTRIES // len(POINT_REGISTERS)):
            entries.append(
                LedgerEntry(
                    user=user,
                    register=register,
                    kind=LedgerEntry.Kind.AWARD,
                    points=Decimal(rng.choice(["0.5", "1", "1.5", "2", "3", "4"])),
                    category=rng.choice(categories),
                    earned_on=start + timedelta(days=rng.randrange((today - start).days)),
                    title=f"Cursus {n}",
                    course_id=10_000 + n,
                    activity_id=f"A-{register.slug}-{n}",
                )
            )
    LedgerEntry.objects.bulk_create(entries, batch_size=BATCH)


def _attendees_seed(rng: random.Random, today: date) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from accreditation.models import (
        ActivityCategory,
        LedgerEntry,
        ProfessionalProfile,
        Register,
        Registration,
    )
    from catalog.models import Profession

    User = get_user_model()
    unusable = make_password(None)
    surnames = ["de Vries", "Jansen", "=Bakker", "Visser", "Smit", "+Meijer", "Bos", "Mulder"]
    User.objects.bulk_create(
        [
            User(
                email=f"bench-attendee-{n}@leerstroom.localhost",
                first_name=rng.choice(["Anna", "Jan-Willem", "Fatima", "Sanne Marie"]),
                last_name=rng.choice(surnames),
                password=unusable,
            )
            for n in range(ATTENDEES)
        ],
        batch_size=BATCH,
    )
    ids = list(
        User.objects.filter(email__startswith="bench-attendee-").values_list("pk", flat=True)
    )
    nurse = Profession.objects.get(slug="verpleegkundige")
    venvn = Register.objects.get(slug="venvn")
    category = ActivityCategory.objects.get(slug="geaccrediteerd")
    ProfessionalProfile.objects.bulk_create(
        [ProfessionalProfile(user_id=pk, profession=nurse, big_number=f"{pk:011d}") for pk in ids],
        batch_size=BATCH,
    )
    Registration.objects.bulk_create(
        [Registration(user_id=pk, register=venvn, member_number=f"V{pk:08d}") for pk in ids],
        batch_size=BATCH,
    )
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                user_id=pk,
                register=venvn,
                kind=LedgerEntry.Kind.AWARD,
                points=Decimal(2),
                category=category,
                earned_on=today - timedelta(days=rng.randrange(300)),
                title="Wondzorg bij ouderen",
                course_id=EXPORT_COURSE_ID,
                activity_id="PE-123456",
            )
            for pk in ids
        ],
        batch_size=BATCH,
    )


def seed(log) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    today = date.today()
    started = time.perf_counter()
    _learner_seed(rng, today)
    _attendees_seed(rng, today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    took = time.perf_counter() - started
    log(f"seeded {ENTRIES} entries and {ATTENDEES} attendees in {took:.0f} s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="reuse an earlier run's data")
    args = parser.parse_args()

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    seeded = database_prepare(DATABASE, keep=args.keep)
    django_setup()
    if not seeded:
        seed(log)

    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.utils import timezone

    from accreditation import api
    from accreditation.exports.attendance import attendance_csv_lines, course_attendance_rows
    from accreditation.models import LedgerEntry, Register

    connection.force_debug_cursor = True  # count queries without DEBUG's other costs
    user_id = get_user_model().objects.get(email=LEARNER_EMAIL).pk
    venvn_id = Register.objects.get(slug="venvn").pk
    today = timezone.localdate()
    evaluate_ms: list[float] = []
    export_rates: list[float] = []
    export_rounds = max(3, args.rounds // 10)
    queries = registers = rows = 0
    for round_number in range(args.rounds + 1):
        reset_queries()
        started = time.perf_counter()
        evaluations = api.register_evaluations(user_id=user_id, on=today)
        elapsed = (time.perf_counter() - started) * 1000
        if round_number:  # the first round warms connections and caches
            evaluate_ms.append(elapsed)
            queries, registers = len(connection.queries), len(evaluations)
    connection.force_debug_cursor = False
    for round_number in range(export_rounds + 1):
        started = time.perf_counter()
        size = rows = 0
        for line in attendance_csv_lines(
            course_attendance_rows(course_id=EXPORT_COURSE_ID, register_id=venvn_id)
        ):
            size += len(line)
            rows += 1
        elapsed = time.perf_counter() - started
        if round_number:
            export_rates.append((rows - 1) / elapsed)
    figures = {
        "evaluate_p50_ms": round(statistics.median(evaluate_ms), 2),
        "evaluate_p95_ms": round(percentile(evaluate_ms, 0.95), 2),
        "evaluate_queries": queries,
        "export_rows": rows - 1,
        "export_rows_per_s": round(statistics.median(export_rates)),
        "export_bytes": size,
        "entries": LedgerEntry.objects.filter(user_id=user_id).count(),
        "registers": registers,
        "rounds": args.rounds,
    }
    figures["targets_met"] = figures["evaluate_p95_ms"] <= TARGET_EVALUATE_P95_MS
    log(
        f"evaluate p50 {figures['evaluate_p50_ms']:.1f} ms   p95 {figures['evaluate_p95_ms']:.1f}"
        f" ms   ({registers} registers, {figures['entries']} entries, {queries} queries)"
    )
    log(f"export   {figures['export_rows_per_s']} rows/s   ({figures['export_rows']} rows)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
