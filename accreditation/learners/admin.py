"""A learner's portfolio in the Wagtail admin: staff who may read learners' points find a
learner, see their registers, ledger and certificates, and reverse an entry with a reason."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from ..certificates.selectors import (
    VIEW_ANY_CERTIFICATE_PERMISSION,
    certificate_list_stating_course,
)
from ..ledger.selectors import VIEW_ANY_EVIDENCE_PERMISSION, ledger_entry_get
from ..ledger.services import ledger_entry_reverse
from ..profiles.registration_forms import registration_form_for
from ..profiles.selectors import registration_rules_get
from .selectors import (
    learner_list,
    learner_portfolio_get,
    learner_registration_get,
    learner_search,
)

# Reading a learner's portfolio is reading their points record, evidence included.
VIEW_PORTFOLIO_PERMISSION = VIEW_ANY_EVIDENCE_PERMISSION
# Entries are never changed in place: changing one is reversing it with a correction.
REVERSE_PERMISSION = "accreditation.change_ledgerentry"
CHANGE_REGISTRATION_PERMISSION = "accreditation.change_registration"


def _permission_check(user, *permissions: str) -> None:
    if not all(
        user.has_perm(permission) for permission in (VIEW_PORTFOLIO_PERMISSION, *permissions)
    ):
        raise PermissionDenied


class LearnerIndexView(BaseListingView):
    template_name = "accreditation/admin/learner_index.html"
    page_title = _("Learners")
    header_icon = "user"
    is_searchable = True
    paginate_by = 25
    portfolio_url_name = None

    def dispatch(self, request, *args, **kwargs):
        _permission_check(request.user)
        return super().dispatch(request, *args, **kwargs)

    @property
    def columns(self):
        return [
            TitleColumn(
                "name",
                label=_("Name"),
                accessor=lambda user: user.get_full_name() or _("(no name given)"),
                url_name=self.portfolio_url_name,
            ),
            Column("email", label=_("E-mail address")),
            Column(
                "profession",
                label=_("Profession"),
                accessor=lambda user: _profile_value(user, "profession"),
            ),
            Column(
                "big_number",
                label=_("BIG number"),
                accessor=lambda user: _profile_value(user, "big_number"),
            ),
        ]

    def get_base_queryset(self):
        return learner_list()

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return learner_search(learners=queryset, query=self.search_query)


def _profile_value(user, field: str):
    profile = getattr(user, "professional_profile", None)
    return getattr(profile, field, "") if profile else ""


class LearnerPortfolioView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "accreditation/admin/learner_portfolio.html"
    header_icon = "user"
    index_url_name = None
    reverse_url_name = None
    registration_url_name = None

    def dispatch(self, request, *args, user_id: int, **kwargs):
        _permission_check(request.user)
        self.portfolio = learner_portfolio_get(user_id=user_id, on=timezone.localdate())
        if self.portfolio is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        learner = self.portfolio.learner
        return learner.get_full_name() or learner.email

    def get_page_subtitle(self):
        return self.portfolio.learner.email

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Learners")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            portfolio=self.portfolio,
            reverse_url_name=self.reverse_url_name,
            registration_url_name=self.registration_url_name,
            may_reverse=user.has_perm(REVERSE_PERMISSION),
            may_change_registrations=user.has_perm(CHANGE_REGISTRATION_PERMISSION),
            may_view_certificates=user.has_perm(VIEW_ANY_CERTIFICATE_PERMISSION),
            **kwargs,
        )


class LedgerEntryReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the correction and in the admin history."),
        error_messages={"required": _("Say why the entry is reversed.")},
    )


class LedgerEntryReverseView(WagtailAdminTemplateMixin, FormView):
    template_name = "accreditation/admin/ledger_entry_reverse.html"
    form_class = LedgerEntryReverseForm
    page_title = _("Reverse ledger entry")
    header_icon = "undo"
    index_url_name = None
    portfolio_url_name = None

    def dispatch(self, request, *args, entry_id: int, **kwargs):
        _permission_check(request.user, REVERSE_PERMISSION)
        self.entry = ledger_entry_get(entry_id=entry_id)
        if self.entry is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.entry.title

    @property
    def portfolio_url(self) -> str:
        return reverse(self.portfolio_url_name, args=[self.entry.user_id])

    def get_breadcrumbs_items(self):
        learner = self.entry.user
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Learners")},
            {"url": self.portfolio_url, "label": learner.get_full_name() or learner.email},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            entry=self.entry,
            certificates_affected=certificate_list_stating_course(
                user_id=self.entry.user_id, course_id=self.entry.course_id
            ),
            action_url=self.request.path,
            submit_button_label=_("Reverse"),
            submit_button_active_label=_("Reversing…"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            ledger_entry_reverse(
                entry=self.entry, reason=form.cleaned_data["reason"], by=self.request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The entry is reversed."))
        return redirect(self.portfolio_url)


class RegistrationEditView(WagtailAdminTemplateMixin, TemplateView):
    """Staff set a learner's register period (and personal reduction) on their behalf, with
    the checks the learner's own page makes."""

    template_name = "accreditation/admin/registration_edit.html"
    page_title = _("Register period")
    header_icon = "date"
    index_url_name = None
    portfolio_url_name = None

    def dispatch(self, request, *args, registration_id: int, **kwargs):
        _permission_check(request.user, CHANGE_REGISTRATION_PERMISSION)
        self.registration = learner_registration_get(registration_id=registration_id)
        if self.registration is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _form(self):
        registration = self.registration
        rules = registration_rules_get(
            registration=registration,
            start=registration.period_start,
            end=registration.period_end,
        )
        data = (self.request.POST, self.request.FILES) if self.request.method == "POST" else ()
        return registration_form_for(registration, *data, rules=rules)

    @property
    def portfolio_url(self) -> str:
        return reverse(self.portfolio_url_name, args=[self.registration.user_id])

    def get_page_subtitle(self):
        return self.registration.register.short_name

    def get_breadcrumbs_items(self):
        learner = self.registration.user
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Learners")},
            {"url": self.portfolio_url, "label": learner.get_full_name() or learner.email},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self._form()))

    def post(self, request, *args, **kwargs):
        form = self._form()
        if form.is_valid():
            try:
                form.save()
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("The register period is saved."))
                return redirect(self.portfolio_url)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            registration=self.registration,
            action_url=self.request.path,
            submit_button_label=_("Save"),
            submit_button_active_label=_("Saving…"),
            **kwargs,
        )


class LearnerPortfolioMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PORTFOLIO_PERMISSION)


class LearnerPortfolioViewSet(ViewSet):
    name = "portfolio"
    icon = "user"
    menu_label = _("Learners")
    menu_item_class = LearnerPortfolioMenuItem

    def get_urlpatterns(self):
        index = self.get_url_name("index")
        portfolio = self.get_url_name("learner")
        index_kwargs = {
            "index_url_name": index,
            "index_results_url_name": self.get_url_name("index_results"),
            "portfolio_url_name": portfolio,
        }
        return [
            path("", LearnerIndexView.as_view(**index_kwargs), name="index"),
            path(
                "results/",
                LearnerIndexView.as_view(results_only=True, **index_kwargs),
                name="index_results",
            ),
            path(
                "<int:user_id>/",
                LearnerPortfolioView.as_view(
                    index_url_name=index,
                    reverse_url_name=self.get_url_name("reverse"),
                    registration_url_name=self.get_url_name("registration"),
                ),
                name="learner",
            ),
            path(
                "reverse/<int:entry_id>/",
                LedgerEntryReverseView.as_view(index_url_name=index, portfolio_url_name=portfolio),
                name="reverse",
            ),
            path(
                "registration/<int:registration_id>/",
                RegistrationEditView.as_view(index_url_name=index, portfolio_url_name=portfolio),
                name="registration",
            ),
        ]
