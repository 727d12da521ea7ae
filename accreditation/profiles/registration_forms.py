"""The forms a learner sets a registration's period with: the dates their register shows (for
BIG the deadline or the last decision), and where the register grants one, a personal
reduction with the register's decision."""

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..evaluation import deadline_after_decision, years_after
from ..ledger.evidence import evidence_check
from ..models import Registration
from .period_checks import (
    PERIOD_LENGTH_SLACK_DAYS,
    day_text,
    hours_text,
    registration_period_length_warning,
    registration_period_problems,
    registration_reduction_problems,
)
from .selectors import RegistrationRules, registration_rules_get
from .services import registration_period_set, registration_reduction_set

_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _RegistrationForm(forms.Form):
    def __init__(self, *args, registration: Registration, rules: RegistrationRules, **kwargs):
        super().__init__(*args, **kwargs)
        self.registration, self.rules = registration, rules
        self.today = timezone.localdate()

    def save(self) -> Registration:
        """Store what the valid form holds through the services, all or nothing."""
        with transaction.atomic():
            start, end = self.period
            registration_period_set(registration=self.registration, start=start, end=end)
            if getattr(self, "offers_reduction", False):
                registration_reduction_set(
                    registration=self.registration,
                    granted=self.cleaned_data["reduction_granted"],
                    evidence=self.cleaned_data["reduction_evidence"],
                )
        return self.registration

    def _period_check(self, start: date | None, end: date | None) -> RegistrationRules:
        """The dates against the rules in force for them; errors added to their fields."""
        rules = registration_rules_get(registration=self.registration, start=start, end=end)
        problems = registration_period_problems(
            start=start, end=end, years=rules.period_years, today=self.today
        )
        for field, error in problems.items():
            self.add_error(field if field in self.fields else None, error)
        return rules


class RegistrationPeriodForm(_RegistrationForm):
    """A point register's period; the reduction fields only where the register grants one."""

    period_start = forms.DateField(
        label=_("Start of your period"), required=False, widget=_DATE_WIDGET
    )
    period_end = forms.DateField(label=_("End of your period"), required=False, widget=_DATE_WIDGET)
    length_confirmed = forms.BooleanField(
        label=_("Yes, my register shows this period"), required=False
    )
    reduction_granted = forms.DecimalField(
        label=_("Reduction your register granted, in hours"),
        required=False,
        max_digits=6,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "inputmode": "decimal"}),
    )
    reduction_evidence = forms.FileField(
        label=_("Your register's decision"),
        required=False,
        help_text=_("A PDF or a photo (JPEG, PNG or WebP), at most 10 MB."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/*"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.length_warning = None
        years = self.rules.period_years
        self.fields["period_start"].help_text = _(
            "As your register shows it. Leave a day empty if you do not know it: it then "
            "follows from the other and the register's period of %(years)s years."
        ) % {"years": years}
        # A stored reduction stays removable when the period no longer allows one.
        self.offers_reduction = bool(
            self.rules.reduction_max or self.registration.reduction_granted
        )
        if not self.offers_reduction:
            del self.fields["reduction_granted"], self.fields["reduction_evidence"]
        elif self.rules.reduction_max:
            self.fields["reduction_granted"].help_text = _(
                "%(register)s grants some members a reduction of their own, at most %(max)s "
                "hours, in a decision. Leave empty if you have none."
            ) % {
                "register": self.registration.register.display_short_name,
                "max": hours_text(self.rules.reduction_max),
            }

    def clean_reduction_evidence(self):
        evidence = self.cleaned_data.get("reduction_evidence")
        if evidence:
            evidence_check(evidence)
        return evidence

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        rules = self._period_check(start, end)
        if self.errors:
            return cleaned
        warning = registration_period_length_warning(start=start, end=end, years=rules.period_years)
        if warning and not cleaned.get("length_confirmed"):
            self.length_warning = warning
            confirm = self["length_confirmed"]
            confirm.field.widget.attrs["aria-describedby"] = f"{confirm.auto_id}_warning"
            self.add_error(
                "length_confirmed", forms.ValidationError(warning, code="period_length_unusual")
            )
        if self.offers_reduction:
            self._reduction_check(cleaned, rules)
        return cleaned

    def _reduction_check(self, cleaned, rules: RegistrationRules) -> None:
        granted: Decimal | None = cleaned.get("reduction_granted")
        evidence = cleaned.get("reduction_evidence")
        if granted is None:
            if evidence:
                self.add_error(
                    "reduction_granted",
                    forms.ValidationError(
                        _("Enter the reduction the decision grants, in hours."),
                        code="reduction_missing",
                    ),
                )
            return
        problems = registration_reduction_problems(
            granted=granted,
            reduction_max=rules.reduction_max,
            register=self.registration.register.display_short_name,
            has_evidence=bool(evidence or self.registration.reduction_evidence),
        )
        for field, error in problems.items():
            self.add_error(field, error)

    @property
    def period(self) -> tuple[date | None, date | None]:
        return self.cleaned_data.get("period_start"), self.cleaned_data.get("period_end")


class BigDeadlineForm(_RegistrationForm):
    """BIG: the deadline (uiterste herregistratiedatum), or the date of the last registration or
    re-registration decision, from which the deadline follows."""

    deadline = forms.DateField(
        label=_("Your re-registration deadline (uiterste herregistratiedatum)"),
        required=False,
        widget=_DATE_WIDGET,
        help_text=_("On your BIG registration and in the register's letters."),
    )
    decided_on = forms.DateField(
        label=_("Or: the date of your last registration or re-registration decision"),
        required=False,
        widget=_DATE_WIDGET,
        help_text=_("Your deadline is five years after it."),
    )
    offers_reduction = False
    length_warning = None

    def clean_decided_on(self):
        decided_on = self.cleaned_data["decided_on"]
        if decided_on and decided_on > self.today:
            raise forms.ValidationError(
                _("The decision date is in the future."), code="date_in_future"
            )
        return decided_on

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        deadline, decided_on = cleaned.get("deadline"), cleaned.get("decided_on")
        years = self.rules.period_years
        if not deadline and not decided_on:
            raise forms.ValidationError(
                _("Enter your deadline, or the date of your last decision."), code="required"
            )
        if deadline and decided_on and deadline != deadline_after_decision(decided_on, years):
            raise forms.ValidationError(
                _(
                    "These dates do not match: a decision on %(decided)s gives the deadline "
                    "%(deadline)s. Enter one of the two."
                ),
                code="deadline_mismatch",
                params={
                    "decided": day_text(decided_on),
                    "deadline": day_text(deadline_after_decision(decided_on, years)),
                },
            )
        deadline = deadline or deadline_after_decision(decided_on, years)
        latest = years_after(self.today, years) + timedelta(days=PERIOD_LENGTH_SLACK_DAYS)
        if deadline > latest:
            self.add_error(
                "deadline",
                forms.ValidationError(
                    _(
                        "A BIG deadline is at most %(years)s years ahead; %(deadline)s is "
                        "further. Check the year."
                    ),
                    code="deadline_too_far",
                    params={"years": years, "deadline": day_text(deadline)},
                ),
            )
            return cleaned
        cleaned["start"] = decided_on or years_after(deadline, -years)
        cleaned["end"] = deadline
        self._period_check(cleaned["start"], deadline)
        return cleaned

    @property
    def period(self) -> tuple[date | None, date | None]:
        return self.cleaned_data["start"], self.cleaned_data["end"]


def _hours_initial(hours: Decimal | None) -> Decimal | None:
    """40 rather than 40.0 in the field."""
    if hours is not None and hours == hours.to_integral_value():
        return hours.quantize(Decimal(1))
    return hours


def registration_form_for(registration: Registration, *args, rules: RegistrationRules, **kwargs):
    """The form for this registration's register, filled with what is stored."""
    if registration.register.kind == registration.register.Kind.WORK_HOURS:
        return BigDeadlineForm(
            *args,
            registration=registration,
            rules=rules,
            initial={"deadline": registration.period_end},
            **kwargs,
        )
    return RegistrationPeriodForm(
        *args,
        registration=registration,
        rules=rules,
        initial={
            "period_start": registration.period_start,
            "period_end": registration.period_end,
            "reduction_granted": _hours_initial(registration.reduction_granted),
        },
        **kwargs,
    )
