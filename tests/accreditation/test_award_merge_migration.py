"""Databases that already hold a completion awarded twice (under two activity IDs) come out
of the migration with one standing award: the earlier reversed with the reason, the later
replacing it, nothing deleted; the ledger's triggers are back afterwards."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from accreditation.models import LedgerEntry
from tests.factories import UserFactory

BEFORE = [("accreditation", "0011_profession_scope_reductions_award_identity")]


def test_awards_given_twice_are_merged_by_the_migration(migrated_data):
    learner = UserFactory()
    call_command("migrate", "accreditation", BEFORE[0][1], verbosity=0)
    try:
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        entry = old.get_model("accreditation", "LedgerEntry")
        register = old.get_model("accreditation", "Register").objects.get(slug="venvn")
        category = old.get_model("accreditation", "ActivityCategory").objects.get(slug="overig")
        for activity_id in ("T-1", "GAIA-2"):
            entry.objects.create(
                user_id=learner.pk,
                register=register,
                kind="award",
                points=3,
                category=category,
                earned_on=date(2026, 3, 2),
                title="Reanimatie",
                course_id=41,
                activity_id=activity_id,
            )
    finally:
        call_command("migrate", "accreditation", verbosity=0)

    entries = LedgerEntry.objects.filter(user=learner).order_by("pk")
    assert sum(e.points for e in entries) == 3
    first, second, reversal = entries
    assert second.replaces == first and second.activity_id == "GAIA-2"
    assert reversal.reverses == first and "Dubbele toekenning" in reversal.reason
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(pk=first.pk).update(title="Gewijzigd")
