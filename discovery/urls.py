from django.urls import path

from . import views

app_name = "discovery"

urlpatterns = [
    path("zoeken/", views.search, name="search"),
    path("rijen/<slug:slug>/", views.row, name="row"),
    path("cursussen/<int:course_id>/afgerond/", views.course_complete, name="course_complete"),
    path(
        "verder-kijken/<int:course_id>/verwijderen/",
        views.continue_watching_remove,
        name="continue_watching_remove",
    ),
    path(
        "verder-kijken/<int:course_id>/terugzetten/",
        views.continue_watching_restore,
        name="continue_watching_restore",
    ),
]
