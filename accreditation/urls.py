from django.urls import path

from . import calendar_views, certificate_views, export_views, views

app_name = "accreditation"

urlpatterns = [
    path("profiel/", views.profile, name="profile"),
    path("profiel/welkom/", views.onboarding, name="onboarding"),
    path("accreditatie/", views.dashboard, name="dashboard"),
    path("accreditatie/werkuren/", views.work_hours, name="work_hours"),
    path(
        "accreditatie/werkuren/<int:entry_id>/verwijderen/",
        views.work_hours_delete,
        name="work_hours_delete",
    ),
    path("accreditatie/big-herregistratie/", views.big_reregistration, name="big_reregistration"),
    path("accreditatie/activiteit-toevoegen/", views.activity_add, name="activity_add"),
    path(
        "mijn-accreditatie/certificaten/<int:certificate_id>.pdf",
        certificate_views.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "certificaat/<str:code>/",
        certificate_views.certificate_verification,
        name="certificate_verify",
    ),
    path(
        "mijn-accreditatie/bewijs/<int:entry_id>/",
        export_views.evidence_download,
        name="evidence_download",
    ),
    path(
        "mijn-accreditatie/agenda/<str:token>.ics",
        calendar_views.calendar_feed,
        name="calendar_feed",
    ),
    path(
        "mijn-accreditatie/agenda/nieuwe-link/",
        calendar_views.calendar_feed_new_link,
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
