from django.urls import path, re_path

from .certificates import views as certificate_views
from .deadlines import views as deadline_views
from .exports import views as export_views
from .ledger import views as ledger_views
from .profiles import registration_views
from .profiles import views as profile_views
from .standing import views as standing_views
from .work_hours import views as work_hours_views

app_name = "accreditation"

urlpatterns = [
    path("profiel/", profile_views.profile, name="profile"),
    path("profiel/welkom/", profile_views.onboarding, name="onboarding"),
    path("accreditatie/", standing_views.dashboard, name="dashboard"),
    path(
        "accreditatie/registraties/<int:registration_id>/",
        registration_views.registration_edit,
        name="registration_edit",
    ),
    path(
        "mijn-accreditatie/bewijs/korting/<int:registration_id>/",
        registration_views.registration_reduction_evidence,
        name="registration_reduction_evidence",
    ),
    path("accreditatie/werkuren/", work_hours_views.work_hours, name="work_hours"),
    path(
        "accreditatie/werkuren/<int:entry_id>/verwijderen/",
        work_hours_views.work_hours_delete,
        name="work_hours_delete",
    ),
    path(
        "accreditatie/big-herregistratie/",
        work_hours_views.big_reregistration,
        name="big_reregistration",
    ),
    path("accreditatie/activiteit-toevoegen/", ledger_views.activity_add, name="activity_add"),
    path(
        "mijn-accreditatie/certificaten/<int:certificate_id>.pdf",
        certificate_views.certificate_pdf,
        name="certificate_pdf",
    ),
    path("certificaat/", certificate_views.certificate_lookup, name="certificate_lookup"),
    path(
        "certificaat/<str:code>/",
        certificate_views.certificate_verification,
        name="certificate_verify",
    ),
    # An address wrapped or copied with more after the code: sent to the printed one.
    re_path(
        r"^certificaat/(?P<code>.+)$",
        certificate_views.certificate_verification,
        name="certificate_verify_copied",
    ),
    path(
        "mijn-accreditatie/bewijs/<int:entry_id>/",
        export_views.evidence_download,
        name="evidence_download",
    ),
    path(
        "mijn-accreditatie/agenda/<str:token>.ics",
        deadline_views.calendar_feed,
        name="calendar_feed",
    ),
    path(
        "mijn-accreditatie/agenda/nieuwe-link/",
        deadline_views.calendar_feed_new_link,
        name="calendar_feed_new_link",
    ),
    path(
        "mijn-accreditatie/portfolio/<slug:register_slug>.csv",
        export_views.portfolio_csv,
        name="portfolio_csv",
    ),
    path(
        "mijn-accreditatie/portfolio/<slug:register_slug>.pdf",
        export_views.portfolio_pdf,
        name="portfolio_pdf",
    ),
    path(
        "mijn-accreditatie/export/aanwezigheid/",
        export_views.attendance_export,
        name="attendance_export",
    ),
]
