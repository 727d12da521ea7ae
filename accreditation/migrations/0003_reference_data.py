from django.db import migrations

from accreditation.rules.reference_data import registers_load
from lms.accounts.permissions import editors_grant


def load_registers(apps, schema_editor):
    registers_load(apps.get_model("accreditation.Register"), apps.get_model("catalog.Profession"))


def grant_editor_permissions(apps, schema_editor):
    editors_grant(apps, app_label="accreditation", model="register", actions=("add", "change"))


class Migration(migrations.Migration):
    dependencies = [
        ("accreditation", "0002_initial"),
        ("catalog", "0002_reference_data"),
    ]

    operations = [
        migrations.RunPython(load_registers, migrations.RunPython.noop),
        migrations.RunPython(grant_editor_permissions, migrations.RunPython.noop),
    ]
