"""BIG number claims in the Wagtail admin: staff see who claims a number another account holds,
and grant the claim (the number moves) or refuse it. Claims are made by the system, so nobody
adds or deletes one here."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, MenuItem
from wagtail.permission_policies import ModelPermissionPolicy

from ..models import BigNumberClaim
from .services import big_number_claim_decide

DECIDE_PERMISSION = "accreditation.change_bignumberclaim"


class BigNumberClaimPermissionPolicy(ModelPermissionPolicy):
    """Staff with the change permission decide claims; adding, editing the claim itself and
    deleting are refused to everyone, so the record of who claimed what stays."""

    refused = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        if action in self.refused:
            return False
        if action == "view":  # who may decide a claim may see it
            return super().user_has_permission(user, "view") or user.has_perm(DECIDE_PERMISSION)
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.refused])


def _decide_url(request, url_name: str, claim: BigNumberClaim) -> str | None:
    if claim.status != BigNumberClaim.Status.OPEN or not request.user.has_perm(DECIDE_PERMISSION):
        return None
    return reverse(url_name, args=[claim.pk])


class ClaimIndexView(IndexView):
    decide_url_name = None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if url := _decide_url(self.request, self.decide_url_name, instance):
            buttons.append(MenuItem(_("Decide"), url=url, icon_name="tick", priority=30))
        return buttons


class ClaimInspectView(InspectView):
    decide_url_name = None

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if url := _decide_url(self.request, self.decide_url_name, self.object):
            buttons.append(Button(_("Decide"), url=url, icon_name="tick", priority=30))
        return buttons


class ClaimDecisionForm(forms.Form):
    decision = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[
            ("grant", _("Grant: move the number to the learner who claims it")),
            ("refuse", _("Refuse: the number stays where it is")),
        ],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "grant",
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How you checked who the number belongs to; kept with the claim."),
    )


class ClaimDecideView(WagtailAdminTemplateMixin, FormView):
    template_name = "wagtailadmin/generic/form.html"
    form_class = ClaimDecisionForm
    page_title = _("Decide BIG number claim")
    header_icon = "tick"
    index_url_name = None

    def dispatch(self, request, *args, pk, **kwargs):
        if not request.user.has_perm(DECIDE_PERMISSION):
            raise PermissionDenied
        self.object = get_object_or_404(BigNumberClaim, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        holder = self.object.holder
        return _("%(number)s, claimed by %(claimant)s; held by %(holder)s") % {
            "number": self.object.big_number,
            "claimant": self.object.user.email,
            "holder": holder.email if holder else _("nobody now"),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            submit_button_label=_("Save decision"),
            submit_button_active_label=_("Saving…"),
            object=self.object,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            big_number_claim_decide(
                claim=self.object,
                grant=form.cleaned_data["decision"],
                by=self.request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The claim is decided."))
        return redirect(self.index_url_name)


class BigNumberClaimViewSet(ModelViewSet):
    model = BigNumberClaim
    icon = "user"
    menu_label = _("BIG number claims")
    add_to_admin_menu = False
    index_view_class = ClaimIndexView
    inspect_view_class = ClaimInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["big_number", "user", "status", "created_at"]
    list_filter = ["status"]
    list_export = []
    form_fields = ["staff_note"]
    inspect_view_fields = [
        "big_number",
        "user",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
        "staff_note",
    ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(decide_url_name=self.get_url_name("decide"), **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            decide_url_name=self.get_url_name("decide"), **kwargs
        )

    @property
    def decide_view(self):
        return ClaimDecideView.as_view(index_url_name=self.get_url_name("index"))

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("decide/<int:pk>/", self.decide_view, name="decide"),
        ]
