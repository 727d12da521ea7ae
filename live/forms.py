"""Input of staff's pages, checked here so bad input gets a clear message, never an error."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PresenceCheck
from .presence import PresenceMark

MAX_MINUTES = 24 * 60


def _minutes(raw: str) -> int:
    raw = (raw or "").strip()
    if not raw:
        return 0
    if not raw.isdigit() or int(raw) > MAX_MINUTES:
        raise ValidationError(_("Enter minutes as a whole number, such as 10."), code="minutes")
    return int(raw)


def presence_marks_parse(data) -> list[PresenceMark]:
    """The list as posted: per learner (``learner`` = registration id) a present box and the
    minutes late and left early."""
    marks = []
    for raw_id in data.getlist("learner"):
        if not raw_id.isdigit():
            raise ValidationError(_("The list was sent incomplete; load it again."), code="ids")
        registration_id = int(raw_id)
        marks.append(
            PresenceMark(
                registration_id=registration_id,
                present=data.get(f"present-{registration_id}") == "on",
                late_minutes=_minutes(data.get(f"late-{registration_id}", "")),
                left_early_minutes=_minutes(data.get(f"early-{registration_id}", "")),
            )
        )
    if not marks:
        raise ValidationError(_("There is nobody on the list to mark."), code="empty")
    return marks


class PresenceCheckForm(forms.Form):
    """A check the moderator holds now or plans: "still watching?" or a poll question."""

    kind = forms.ChoiceField(label=_("Kind"), choices=PresenceCheck.Kind.choices)
    question = forms.CharField(label=_("Question (poll)"), max_length=200, required=False)
    options = forms.CharField(
        label=_("Answers, one per line (poll)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    opens_at = forms.DateTimeField(
        label=_("Start at (empty: now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )

    def clean_opens_at(self):
        moment = self.cleaned_data.get("opens_at")
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def clean_options(self):
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]
