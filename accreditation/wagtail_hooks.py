from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .certificates.admin import CertificatePermissionPolicy, CertificateViewSet
from .certificates.services import REVOKE_LOG_ACTION
from .learners.admin import LearnerPortfolioViewSet
from .ledger.services import REVERSAL_LOG_ACTION
from .models import (
    ActivityCategory,
    BigNumberClaim,
    Certificate,
    Register,
    Requirement,
    WorkHourNorm,
)
from .profiles.admin import BigNumberClaimPermissionPolicy, BigNumberClaimViewSet


class RegisterViewSet(SnippetViewSet):
    model = Register
    icon = "list-ul"
    menu_label = _("Registers")
    list_display = ["short_name", "name", "kind"]
    list_filter = ["kind"]


class ActivityCategoryViewSet(SnippetViewSet):
    model = ActivityCategory
    icon = "list-ol"
    menu_label = _("Activity categories")
    list_display = ["name", "name_en"]


class RequirementViewSet(SnippetViewSet):
    model = Requirement
    icon = "tasks"
    menu_label = _("Register requirements")
    list_display = ["register", "total_points", "period_years", "valid_from", "valid_until"]
    list_filter = ["register"]
    copy_view_enabled = True


class WorkHourNormViewSet(SnippetViewSet):
    model = WorkHourNorm
    icon = "time"
    menu_label = _("BIG work-hour norms")
    list_display = ["profession", "hours", "cycle_years", "valid_from", "valid_until"]


class AccreditationViewSetGroup(SnippetViewSetGroup):
    items = (RegisterViewSet, RequirementViewSet, ActivityCategoryViewSet, WorkHourNormViewSet)
    menu_icon = "doc-full"
    menu_label = _("Accreditation")
    menu_name = "accreditation"
    menu_order = 310
    submenu_hook = "register_accreditation_menu_item"


register_snippet(AccreditationViewSetGroup)

register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))
register_permission_policy(BigNumberClaim, BigNumberClaimPermissionPolicy(BigNumberClaim))


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet(menu_hook="register_accreditation_menu_item", menu_order=900)


@hooks.register("register_admin_viewset")
def register_big_number_claim_viewset():
    return BigNumberClaimViewSet(menu_hook="register_accreditation_menu_item", menu_order=910)


@hooks.register("register_admin_viewset")
def register_learner_portfolio_viewset():
    return LearnerPortfolioViewSet(menu_hook="register_accreditation_menu_item", menu_order=890)


@hooks.register("register_log_actions")
def register_ledger_log_actions(actions):
    actions.register_action(
        REVERSAL_LOG_ACTION, _("Reverse ledger entry"), _("Ledger entry reversed")
    )
    actions.register_action(REVOKE_LOG_ACTION, _("Revoke certificate"), _("Certificate revoked"))


@hooks.register("register_permissions")
def attendance_export_permission():
    """Lets administrators give the attendance export to a group (e.g. course providers)."""
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="accreditation", codename="export_attendance"
    )


@hooks.register("register_permissions")
def ledger_view_permission():
    """Lets administrators give a group the right to read any learner's points, evidence and
    portfolio (view), and to reverse an entry with a reason (change)."""
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="accreditation",
        codename__in=["view_ledgerentry", "change_ledgerentry"],
    )
