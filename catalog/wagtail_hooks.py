from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import (
    Competency,
    FeaturedCollection,
    Profession,
    Provider,
    Speaker,
    Sponsor,
    Topic,
)


class ProfessionViewSet(SnippetViewSet):
    model = Profession
    icon = "user"
    menu_label = _("Professions")
    list_display = ["name", "name_en", "big_reregistration"]
    list_filter = ["big_reregistration"]


class CompetencyViewSet(SnippetViewSet):
    model = Competency
    icon = "pick"
    menu_label = _("Competencies")
    list_display = ["name", "name_en"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    list_display = ["name", "name_en"]


class ProviderViewSet(SnippetViewSet):
    model = Provider
    icon = "site"
    menu_label = _("Providers")
    list_display = ["name", "website"]


class SpeakerViewSet(SnippetViewSet):
    model = Speaker
    icon = "user"
    menu_label = _("Speakers")
    list_display = ["name", "role"]


class SponsorViewSet(SnippetViewSet):
    model = Sponsor
    icon = "money"
    menu_label = _("Sponsors")
    list_display = ["name", "website"]


class FeaturedCollectionViewSet(SnippetViewSet):
    model = FeaturedCollection
    icon = "pick"
    menu_label = _("Featured")
    list_display = ["title", "active", "show_from", "show_until", "sort_order"]
    list_filter = ["active"]
    ordering = ["sort_order", "pk"]


class CatalogViewSetGroup(SnippetViewSetGroup):
    items = (
        FeaturedCollectionViewSet,
        ProfessionViewSet,
        CompetencyViewSet,
        TopicViewSet,
        ProviderViewSet,
        SpeakerViewSet,
        SponsorViewSet,
    )
    menu_icon = "folder-open-inverse"
    menu_label = _("Catalog")
    menu_name = "catalog"
    menu_order = 300


register_snippet(CatalogViewSetGroup)
