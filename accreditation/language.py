"""Register names and rule labels are given in Dutch and, optionally, in English."""

from django.utils.translation import get_language


def in_active_language(dutch: str, english: str) -> str:
    """The English wording when the site is read in English and there is one, else the Dutch."""
    if english and (get_language() or "nl").startswith("en"):
        return english
    return dutch
