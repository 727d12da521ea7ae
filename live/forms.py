"""Input of staff's pages, checked here so bad input gets a clear message, never an error."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.api import clock_from_seconds

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


def _moment(raw: str) -> float:
    """Seconds from a recording's start, typed as 754, 12:34 or 1:02:34."""
    parts = (raw or "").strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(p.strip().isdigit() for p in parts):
        raise ValidationError(
            _("Enter a time as minutes:seconds (12:34) or in seconds (754)."), code="moment"
        )
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return float(seconds)


class ReplayTrimForm(forms.Form):
    """Where the replay starts and ends, within the recording's ``length`` seconds."""

    start = forms.CharField(label=_("Start"), max_length=12)
    end = forms.CharField(label=_("End"), max_length=12)

    def __init__(self, *args, length: float, minimum: float, **kwargs):
        super().__init__(*args, **kwargs)
        self.length = length
        self.minimum = minimum

    def clean_start(self) -> float:
        return _moment(self.cleaned_data["start"])

    def clean_end(self) -> float:
        return _moment(self.cleaned_data["end"])

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is None or end is None:
            return data
        if end <= start:
            raise ValidationError(_("The end must come after the start."), code="order")
        if end > self.length + 0.5:
            raise ValidationError(
                _("The recording lasts %(length)s; the end cannot be later.")
                % {"length": clock_from_seconds(self.length)},
                code="beyond",
            )
        if end - start < self.minimum:
            raise ValidationError(
                _("The replay must last at least %(seconds)s seconds.")
                % {"seconds": int(self.minimum)},
                code="short",
            )
        return data
