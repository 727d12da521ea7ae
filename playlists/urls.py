from django.urls import path

from . import views

app_name = "playlists"

urlpatterns = [
    path("leerpaden/", views.library, name="library"),
    path("leerpaden/nieuw/", views.path_new, name="new"),
    path("leerpaden/toevoegen/", views.add_menu, name="add_menu"),
    path("leerpaden/<int:path_id>/", views.path_detail, name="path"),
    path("leerpaden/<int:path_id>/bewerken/", views.path_edit, name="edit"),
    path("leerpaden/<int:path_id>/verwijderen/", views.path_delete, name="delete"),
    path("leerpaden/<int:path_id>/items/", views.item_add, name="item_add"),
    path(
        "leerpaden/<int:path_id>/items/<int:item_id>/verwijderen/",
        views.item_remove,
        name="item_remove",
    ),
    path(
        "leerpaden/<int:path_id>/items/<int:item_id>/verplaatsen/",
        views.item_move,
        name="item_move",
    ),
]
