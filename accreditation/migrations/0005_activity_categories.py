from django.db import migrations

from accreditation.rules.reference_data import activity_categories_load
from lms.accounts.permissions import editors_grant


def load_categories(apps, schema_editor):
    activity_categories_load(apps.get_model("accreditation.ActivityCategory"))


def grant_editor_permissions(apps, schema_editor):
    editors_grant(
        apps, app_label="accreditation", model="activitycategory", actions=("add", "change")
    )


class Migration(migrations.Migration):
    dependencies = [("accreditation", "0004_course_accreditations")]

    operations = [
        migrations.RunPython(load_categories, migrations.RunPython.noop),
        migrations.RunPython(grant_editor_permissions, migrations.RunPython.noop),
    ]
