import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.api import profession_list

from .evidence import evidence_check
from .models import ActivityCategory, Register, WorkHoursEntry
from .work_hours_services import (
    work_hours_overlap_error,
    work_hours_overlap_find,
    work_hours_problems,
)

_SEPARATORS = re.compile(r"[\s.\-]")


def big_number_normalise(value: str) -> str:
    """The BIG number without spaces, dots or dashes; refused unless it is 11 digits."""
    value = _SEPARATORS.sub("", value)
    if value and not (value.isascii() and value.isdigit() and len(value) == 11):
        raise forms.ValidationError(
            _("A BIG number has exactly 11 digits; you entered %(count)s characters."),
            code="big_number_format",
            params={"count": len(value)},
        )
    return value


def _not_in_future(value, message):
    if value and value > timezone.localdate():
        raise forms.ValidationError(message, code="date_in_future")
    return value


class ProfessionalProfileForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        help_text=_("As your register knows you: certificates are made out to this name."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Enter your first name: certificates need it.")},
    )
    surname_prefix = forms.CharField(
        label=_("Tussenvoegsel"),
        max_length=30,
        required=False,
        help_text=_("For example “van”, “de” or “van der”."),
        widget=forms.TextInput(attrs={"autocomplete": "additional-name"}),
    )
    last_name = forms.CharField(
        label=_("Surname"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Enter your surname: certificates need it.")},
    )
    profession = forms.TypedChoiceField(
        label=_("Profession"),
        coerce=int,
        error_messages={
            "required": _("Choose your profession."),
            "invalid_choice": _("Choose a profession from the list."),
        },
    )
    big_number = forms.CharField(
        label=_("BIG number"),
        required=False,
        max_length=40,
        help_text=_("11 digits, on your BIG registration. Optional for professions outside BIG."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    registers = forms.ModelMultipleChoiceField(
        label=_("Registers you are in"),
        queryset=Register.objects.filter(kind=Register.Kind.POINTS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("We count your accreditation points toward these registers."),
        error_messages={"invalid_choice": _("Choose registers from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._professions = {profession.id: profession for profession in profession_list()}
        self.fields["profession"].choices = [("", _("Choose your profession"))] + [
            (profession.id, profession.name) for profession in self._professions.values()
        ]

    def clean_big_number(self) -> str:
        return big_number_normalise(self.cleaned_data["big_number"])

    def clean(self):
        cleaned = super().clean()
        profession = self._professions.get(cleaned.get("profession"))
        big_number_missing = not cleaned.get("big_number") and "big_number" not in self.errors
        if profession and profession.big_reregistration and big_number_missing:
            self.add_error(
                "big_number",
                forms.ValidationError(
                    _("%(profession)s is a BIG profession: enter your BIG number."),
                    code="big_number_required",
                    params={"profession": profession.name},
                ),
            )
        return cleaned


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
        return _not_in_future(
            self.cleaned_data["decided_on"], _("The decision date is in the future.")
        )


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


class ManualActivityForm(forms.Form):
    register = forms.ModelChoiceField(
        label=_("Register"),
        queryset=Register.objects.none(),
        error_messages={"invalid_choice": _("Choose one of your registers.")},
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ActivityCategory.objects.all(),
        error_messages={"invalid_choice": _("Choose a category from the list.")},
    )
    title = forms.CharField(label=_("Activity"), max_length=255)
    points = forms.DecimalField(
        label=_("Points or hours"),
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0.1"),
        error_messages={"min_value": _("Enter more than 0 points.")},
    )
    earned_on = forms.DateField(
        label=_("Date of the activity"), widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence = forms.FileField(
        label=_("Certificate"),
        help_text=_("A PDF or a photo (JPEG, PNG or WebP), at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = Register.objects.filter(
            kind=Register.Kind.POINTS, registrations__user=user
        )

    def clean_earned_on(self):
        return _not_in_future(
            self.cleaned_data["earned_on"],
            _("The date is in the future: add an activity once you have done it."),
        )

    def clean_evidence(self):
        evidence = self.cleaned_data["evidence"]
        evidence_check(evidence)
        return evidence
