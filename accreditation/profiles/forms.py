"""The learner's profile form, asked at onboarding and on the profile page."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.api import profession_list
from lms.accounts.names import initials_normalise

from ..models import Register

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


class ProfessionalProfileForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        help_text=_("As your register knows you: certificates are made out to this name."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Enter your first name: certificates need it.")},
    )
    initials = forms.CharField(
        label=_("Initials"),
        max_length=20,
        required=False,
        help_text=_("For example “J.P.”. Left empty, they are taken from your first name."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
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
        self.fields["registers"].label_from_instance = lambda register: register.display_short_name
        self.fields["profession"].choices = [("", _("Choose your profession"))] + [
            (profession.id, profession.name) for profession in self._professions.values()
        ]

    def clean_initials(self) -> str:
        try:
            return initials_normalise(self.cleaned_data["initials"])
        except ValueError:
            raise forms.ValidationError(
                _("Initials are letters, each followed by a full stop, for example “J.P.”."),
                code="initials_format",
            ) from None

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
