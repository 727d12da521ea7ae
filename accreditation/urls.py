from django.urls import path

from . import views

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
]
