from django import forms
from django.utils.translation import gettext_lazy as _

QUERY_MAX_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=QUERY_MAX_LENGTH)

    def clean_q(self) -> str:
        # Control characters never belong in a search and upset some database drivers.
        return "".join(ch for ch in self.cleaned_data["q"] if ch.isprintable()).strip()
