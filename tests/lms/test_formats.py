"""Dates in the learner's language: Dutch as nl-NL, English as en-GB (never American)."""

from datetime import date, datetime

import pytest
from django import forms
from django.utils import formats, translation

DAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [("nl", "6-12-2026", "6 december 2026"), ("en", "06/12/2026", "6 Dec 2026")],
)
def test_dates_are_written_as_the_language_writes_them(language, short, long):
    with translation.override(language):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == short
        assert formats.date_format(DAY, "DATE_FORMAT") == long
        assert formats.time_format(datetime(2026, 12, 6, 20, 30), "TIME_FORMAT") == "20:30"


@pytest.mark.parametrize(("language", "typed"), [("nl", "6-12-2026"), ("en", "06/12/2026")])
def test_a_typed_date_is_read_day_first(language, typed):
    with translation.override(language):
        assert forms.DateField().clean(typed) == DAY
