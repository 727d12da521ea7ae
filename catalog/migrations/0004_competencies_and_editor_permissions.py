from django.db import migrations

from catalog.reference_data import competencies_load
from lms.accounts.permissions import editors_grant


def load_competencies(apps, schema_editor):
    competencies_load(apps.get_model("catalog.Competency"))


def grant_editor_permissions(apps, schema_editor):
    for model in ("competency", "topic", "provider", "sponsor"):
        editors_grant(apps, app_label="catalog", model=model, actions=("add", "change", "delete"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_course_details_and_episodes")]

    operations = [
        migrations.RunPython(load_competencies, migrations.RunPython.noop),
        migrations.RunPython(grant_editor_permissions, migrations.RunPython.noop),
    ]
