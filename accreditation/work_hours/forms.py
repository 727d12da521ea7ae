"""The learner's BIG forms: work hours and the date of the last re-registration decision."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import WorkHoursEntry
from ..profiles.forms import big_number_normalise
from .services import work_hours_overlap_error, work_hours_overlap_find, work_hours_problems


class BigReregistrationForm(forms.Form):
    big_number = forms.CharField(
        label=_("BIG number"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Enter your BIG number.")},
    )
    decided_on = forms.DateField(
        label=_("Date of your last re-registration decision"),
        help_text=_("Your new deadline is five years after this date."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_big_number(self) -> str:
        return big_number_normalise(self.cleaned_data["big_number"])

    def clean_decided_on(self):
        decided_on = self.cleaned_data["decided_on"]
        if decided_on > timezone.localdate():
            raise forms.ValidationError(
                _("The decision date is in the future."), code="date_in_future"
            )
        return decided_on


class WorkHoursEntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What you enter"),
        choices=WorkHoursEntry.Kind.choices,
        widget=forms.RadioSelect,
        initial=WorkHoursEntry.Kind.CONTRACT,
    )
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    hours_per_week = forms.DecimalField(
        label=_("Contract hours per week"), required=False, max_digits=5, decimal_places=2
    )
    hours = forms.DecimalField(
        label=_("Hours worked in this period"), required=False, max_digits=7, decimal_places=2
    )
    employer = forms.CharField(label=_("Employer or practice"), required=False, max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        for field, error in work_hours_problems(
            kind=cleaned["kind"],
            start=cleaned["start"],
            end=cleaned["end"],
            hours_per_week=cleaned.get("hours_per_week"),
            hours=cleaned.get("hours"),
        ).items():
            self.add_error(field, error)
        if not self.errors:
            overlapping = work_hours_overlap_find(
                user=self.user, start=cleaned["start"], end=cleaned["end"]
            )
            if overlapping:
                raise work_hours_overlap_error(overlapping)
        return cleaned
