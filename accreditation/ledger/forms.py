"""The form a learner adds an activity done elsewhere with, and its certificate."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ActivityCategory, Register
from .evidence import evidence_check


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
        self.fields["register"].label_from_instance = lambda register: register.display_short_name
        self.fields["category"].label_from_instance = lambda category: category.display_name

    def clean_earned_on(self):
        earned_on = self.cleaned_data["earned_on"]
        if earned_on > timezone.localdate():
            raise forms.ValidationError(
                _("The date is in the future: add an activity once you have done it."),
                code="date_in_future",
            )
        return earned_on

    def clean_evidence(self):
        evidence = self.cleaned_data["evidence"]
        evidence_check(evidence)
        return evidence
