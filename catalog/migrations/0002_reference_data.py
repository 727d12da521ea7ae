from django.db import migrations

from catalog.reference_data import professions_load
from lms.accounts.permissions import editors_grant


def create_homepage(apps, schema_editor):
    """Replace Wagtail's welcome page with the catalog home and point the default site at it."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("catalog.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    content_type, _created = ContentType.objects.get_or_create(
        model="homepage", app_label="catalog"
    )
    if HomePage.objects.exists():
        return
    homepage = HomePage.objects.create(
        title="Leerstroom",
        draft_title="Leerstroom",
        slug="home",
        content_type=content_type,
        locale=Locale.objects.order_by("id").first(),
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        hero_title="Leren tussen de diensten door",
        hero_text=(
            "Geaccrediteerde cursussen voor zorgprofessionals: kijk waar en wanneer het jou "
            "uitkomt, en zie direct wat het oplevert voor je registers."
        ),
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page_id": homepage.id, "site_name": "Leerstroom"},
    )


def load_professions(apps, schema_editor):
    professions_load(apps.get_model("catalog.Profession"))


def grant_editor_permissions(apps, schema_editor):
    editors_grant(
        apps, app_label="catalog", model="profession", actions=("add", "change", "delete")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_homepage, migrations.RunPython.noop),
        migrations.RunPython(load_professions, migrations.RunPython.noop),
        migrations.RunPython(grant_editor_permissions, migrations.RunPython.noop),
    ]
