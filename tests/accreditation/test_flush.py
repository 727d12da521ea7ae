"""Committed ledger entries do not stop a test database from being emptied."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from accreditation.models import LedgerEntry
from tests.accreditation.factories import awards_make
from tests.factories import UserFactory


def test_the_ledger_is_emptied_wholesale_yet_still_refuses_row_deletes(migrated_data):
    awards_make(
        user=UserFactory(), register_slug="venvn", earned_on=date(2026, 1, 5), points={"overig": 4}
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
