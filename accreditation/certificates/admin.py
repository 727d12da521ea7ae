"""Certificates in the Wagtail admin: a read-only list and inspect view, and a revoke action.
Certificates are issued by the system, so nobody adds, edits or deletes one here."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, MenuItem
from wagtail.permission_policies import ModelPermissionPolicy

from ..models import Certificate
from .selectors import VIEW_ANY_CERTIFICATE_PERMISSION
from .services import certificate_revoke
from .views import certificate_pdf_response

REVOKE_PERMISSION = "accreditation.revoke_certificate"
REFUSED_ACTIONS = frozenset({"add", "change", "delete"})


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """Viewing follows the model permissions; adding, editing and deleting are refused even to
    superusers, since a certificate handed out must stay verifiable as it was issued."""

    def user_has_permission(self, user, action):
        if action in REFUSED_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(
            [action for action in actions if action not in REFUSED_ACTIONS]
        )


def _revoke_url(request, revoke_url_name: str, certificate: Certificate) -> str | None:
    if certificate.is_revoked or not request.user.has_perm(REVOKE_PERMISSION):
        return None
    return reverse(revoke_url_name, args=[certificate.pk])


@never_cache
def certificate_pdf_admin(request, pk: int):
    """The PDF for staff, under /admin/ so it sits with the other staff tools."""
    if not request.user.has_perm(VIEW_ANY_CERTIFICATE_PERMISSION):
        raise PermissionDenied
    return certificate_pdf_response(request, get_object_or_404(Certificate, pk=pk))


class CertificateIndexView(IndexView):
    revoke_url_name = None
    pdf_url_name = None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        pdf_url = reverse(self.pdf_url_name, args=[instance.pk])
        buttons.append(MenuItem(_("Download PDF"), url=pdf_url, icon_name="download", priority=25))
        if url := _revoke_url(self.request, self.revoke_url_name, instance):
            buttons.append(MenuItem(_("Revoke"), url=url, icon_name="cross", priority=30))
        return buttons


class CertificateInspectView(InspectView):
    revoke_url_name = None
    pdf_url_name = None

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        pdf_url = reverse(self.pdf_url_name, args=[self.object.pk])
        buttons.append(Button(_("Download PDF"), url=pdf_url, icon_name="download", priority=25))
        if url := _revoke_url(self.request, self.revoke_url_name, self.object):
            buttons.append(Button(_("Revoke"), url=url, icon_name="cross", priority=30))
        return buttons


class CertificateRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the history of the certificate; the learner is not shown it."),
    )


class CertificateRevokeView(WagtailAdminTemplateMixin, FormView):
    template_name = "wagtailadmin/generic/form.html"
    form_class = CertificateRevokeForm
    page_title = _("Revoke certificate")
    header_icon = "cross"
    index_url_name = None

    def dispatch(self, request, *args, pk, **kwargs):
        if not request.user.has_perm(REVOKE_PERMISSION):
            raise PermissionDenied
        self.object = get_object_or_404(Certificate, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": Certificate._meta.verbose_name_plural},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            submit_button_label=_("Revoke"),
            submit_button_active_label=_("Revoking…"),
            object=self.object,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            certificate_revoke(
                certificate=self.object, reason=form.cleaned_data["reason"], by=self.request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The certificate is revoked."))
        return redirect(self.index_url_name)


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full-inverse"
    menu_label = _("Certificates")
    add_to_admin_menu = False
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["code", "learner_name", "course_title", "completed_on", "revoked_at"]
    list_export = []
    # The add and edit views exist but the permission policy refuses them to everyone.
    form_fields = ["revoked_reason"]
    inspect_view_fields = [
        "code",
        "learner_name",
        "big_number",
        "course_title",
        "provider_name",
        "completed_on",
        "lines",
        "issued_at",
        "revoked_at",
        "revoked_reason",
    ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            revoke_url_name=self.get_url_name("revoke"),
            pdf_url_name=self.get_url_name("pdf"),
            **kwargs,
        )

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            revoke_url_name=self.get_url_name("revoke"),
            pdf_url_name=self.get_url_name("pdf"),
            **kwargs,
        )

    @property
    def revoke_view(self):
        return CertificateRevokeView.as_view(index_url_name=self.get_url_name("index"))

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<int:pk>/", self.revoke_view, name="revoke"),
            path("pdf/<int:pk>/", certificate_pdf_admin, name="pdf"),
        ]
