from django.db import migrations

from lms.accounts.permissions import editors_grant


def grant_editor_permissions(apps, schema_editor):
    editors_grant(apps, app_label="playback", model="video", actions=("add", "change", "delete"))


class Migration(migrations.Migration):
    dependencies = [
        ("playback", "0002_uploadsession"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant_editor_permissions, migrations.RunPython.noop)]
