from django.db import migrations, models

from accreditation.ledger.triggers import ledger_triggers_create, ledger_triggers_drop


def ledger_triggers_renew(apps, schema_editor):
    # On SQLite a new check constraint rebuilds the table, which drops its triggers.
    ledger_triggers_drop(apps, schema_editor)
    ledger_triggers_create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("accreditation", "0012_award_identity_and_complete_rules"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "award"), ("replaces__isnull", True)),
                fields=("user", "register", "course_id"),
                name="accreditation_ledger_award_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("replaces__isnull", True), ("kind", "award"), _connector="OR"),
                name="accreditation_ledger_replacement_is_award",
            ),
        ),
        migrations.RunPython(ledger_triggers_renew, migrations.RunPython.noop),
    ]
