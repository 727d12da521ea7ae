"""The form where a verifier types a certificate's code."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models.certificates import CERTIFICATE_CODE_ALPHABET, CERTIFICATE_CODE_LENGTH
from .services import certificate_code_normalise


class CertificateCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=60,
        help_text=_("Ten letters and digits, printed on the certificate as XXXXX-XXXXX."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "XXXXX-XXXXX",
            }
        ),
        error_messages={"required": _("Enter the code printed on the certificate.")},
    )

    def clean_code(self) -> str:
        code = certificate_code_normalise(self.cleaned_data["code"])
        unused = sorted(set(code) - set(CERTIFICATE_CODE_ALPHABET))
        if unused:
            raise forms.ValidationError(
                _(
                    "Certificate codes never contain %(characters)s, so one character was "
                    "read or typed differently: check the code on the certificate."
                ),
                code="code_characters",
                params={"characters": ", ".join(unused)},
            )
        if len(code) != CERTIFICATE_CODE_LENGTH:
            raise forms.ValidationError(
                _("A code has %(length)s letters and digits; you entered %(count)s."),
                code="code_length",
                params={"length": CERTIFICATE_CODE_LENGTH, "count": len(code)},
            )
        return code
