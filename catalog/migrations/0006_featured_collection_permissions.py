from django.db import migrations

from lms.accounts.permissions import editors_grant


def grant_editor_permissions(apps, schema_editor):
    editors_grant(
        apps, app_label="catalog", model="featuredcollection", actions=("add", "change", "delete")
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_search_documents_and_featured_collections")]

    operations = [migrations.RunPython(grant_editor_permissions, migrations.RunPython.noop)]
