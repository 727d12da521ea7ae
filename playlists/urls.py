from django.urls import path

from . import curated_views, item_views, views

app_name = "playlists"

urlpatterns = [
    path("leerpaden/", views.library, name="library"),
    path("leerpaden/nieuw/", views.path_new, name="new"),
    path("leerpaden/toevoegen/", item_views.add_menu, name="add_menu"),
    path("leerpaden/gedeeld/<str:token>/", views.path_shared, name="shared"),
    path("leerpaden/redactie/<slug:slug>/", curated_views.curated_detail, name="curated"),
    path(
        "leerpaden/redactie/<slug:slug>/volgen/",
        curated_views.curated_follow,
        name="curated_follow",
    ),
    path("leerpaden/redactie/<slug:slug>/kopie/", curated_views.curated_copy, name="curated_copy"),
    path("leerpaden/uitnodiging/<str:token>/", views.invitation, name="invitation"),
    path("leerpaden/<int:path_id>/", views.path_detail, name="path"),
    path("leerpaden/<int:path_id>/afspelen/", item_views.path_play_all, name="play_all"),
    path("leerpaden/van/<int:user_id>/", views.profile, name="profile"),
    path("leerpaden/<int:path_id>/volgen/", views.path_follow, name="follow"),
    path("leerpaden/<int:path_id>/ontvolgen/", views.path_unfollow, name="unfollow"),
    path("leerpaden/<int:path_id>/kopie/", views.path_duplicate, name="duplicate"),
    path("leerpaden/<int:path_id>/nieuwe-link/", views.path_link_renew, name="link_renew"),
    path("leerpaden/<int:path_id>/uitnodigen/", views.path_invite, name="invite"),
    path(
        "leerpaden/<int:path_id>/samenwerkers/<int:user_id>/verwijderen/",
        views.collaborator_remove,
        name="collaborator_remove",
    ),
    path("leerpaden/<int:path_id>/bewerken/", views.path_edit, name="edit"),
    path("leerpaden/<int:path_id>/verwijderen/", views.path_delete, name="delete"),
    path("leerpaden/<int:path_id>/items/", item_views.item_add, name="item_add"),
    path(
        "leerpaden/<int:path_id>/items/<int:item_id>/openen/",
        item_views.item_open,
        name="item_open",
    ),
    path(
        "leerpaden/<int:path_id>/items/<int:item_id>/verwijderen/",
        item_views.item_remove,
        name="item_remove",
    ),
    path(
        "leerpaden/<int:path_id>/items/<int:item_id>/verplaatsen/",
        item_views.item_move,
        name="item_move",
    ),
]
