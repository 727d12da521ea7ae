from django.urls import path

from . import views

app_name = "accreditation"

urlpatterns = [
    path("profiel/", views.profile, name="profile"),
    path("profiel/welkom/", views.onboarding, name="onboarding"),
    path("accreditatie/", views.dashboard, name="dashboard"),
]
