from django.db import migrations

from accreditation.ledger.triggers import ledger_triggers_create, ledger_triggers_drop
from accreditation.rules.reference_data import activity_categories_load
from accreditation.rules.reference_rules import work_hour_norms_load
from lms.accounts.permissions import editors_grant


def load_rules(apps, schema_editor):
    # Requirements are seeded by 0012, once they have every field the seed fills in.
    activity_categories_load(apps.get_model("accreditation.ActivityCategory"))
    work_hour_norms_load(
        apps.get_model("catalog.Profession"), apps.get_model("accreditation.WorkHourNorm")
    )


def grant_editor_permissions(apps, schema_editor):
    for model in ("requirement", "categoryrule", "workhournorm"):
        editors_grant(apps, app_label="accreditation", model=model, actions=("add", "change"))


class Migration(migrations.Migration):
    dependencies = [
        ("accreditation", "0006_rules_ledger_work_hours"),
        ("catalog", "0002_reference_data"),
    ]

    operations = [
        migrations.RunPython(ledger_triggers_create, ledger_triggers_drop),
        migrations.RunPython(load_rules, migrations.RunPython.noop),
        migrations.RunPython(grant_editor_permissions, migrations.RunPython.noop),
    ]
