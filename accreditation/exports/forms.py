"""Input of the exports: checked here so a bad address gets a clear message, never an error."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CourseAccreditation, Register

ISO_DATE = ["%Y-%m-%d"]
LONGEST_PERIOD_DAYS = 366 * 10


class PortfolioPeriodForm(forms.Form):
    """The period of a portfolio (?van=2025-01-01&tot=2029-12-31); the registration's own
    period when left out."""

    van = forms.DateField(label=_("From"), required=False, input_formats=ISO_DATE)
    tot = forms.DateField(label=_("Until"), required=False, input_formats=ISO_DATE)

    def __init__(self, data, *, default_start: date, default_end: date):
        super().__init__(data)
        self.default_start, self.default_end = default_start, default_end
        self.fields["van"].error_messages["invalid"] = _("Enter the start as YYYY-MM-DD.")
        self.fields["tot"].error_messages["invalid"] = _("Enter the end as YYYY-MM-DD.")

    def clean(self):
        data = super().clean()
        start = data.get("van") or self.default_start
        end = data.get("tot") or self.default_end
        if not self.errors:
            if end < start:
                raise forms.ValidationError(
                    _("The end of the period is before its start."), code="range_reversed"
                )
            if (end - start).days > LONGEST_PERIOD_DAYS:
                raise forms.ValidationError(
                    _("A portfolio covers at most ten years."), code="range_too_long"
                )
        data["start"], data["end"] = start, end
        return data


class AttendanceExportForm(forms.Form):
    """Which course and register to list (?cursus=<id>&register=<slug>)."""

    cursus = forms.IntegerField(label=_("Course"), min_value=1, max_value=2**63 - 1)
    register = forms.ChoiceField(label=_("Register"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cursus"].error_messages.update(
            required=_("Choose a course."), invalid=_("The course must be a number.")
        )
        register = self.fields["register"]
        register.choices = Register.objects.filter(kind=Register.Kind.POINTS).values_list(
            "slug", "short_name"
        )
        register.error_messages.update(
            required=_("Choose a register."), invalid_choice=_("This register is not known.")
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        register = Register.objects.get(slug=data["register"])
        if not CourseAccreditation.objects.filter(
            course_id=data["cursus"], register=register
        ).exists():
            raise forms.ValidationError(
                _("This course is not accredited in %(register)s."),
                code="not_accredited",
                params={"register": register.short_name},
            )
        data["register"] = register
        return data
