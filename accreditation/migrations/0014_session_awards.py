from django.db import migrations, models

from accreditation.ledger.triggers import ledger_triggers_create, ledger_triggers_drop


def ledger_triggers_renew(apps, schema_editor):
    # SQLite adds the column in place, but should a future Django rebuild the table for it, the
    # append-only triggers go with it: made again either way.
    ledger_triggers_drop(apps, schema_editor)
    ledger_triggers_create(apps, schema_editor)


class Migration(migrations.Migration):
    """Points for attending a session: awards carry the session, one per learner, register and
    session, apart from the one award per course for completing it on demand."""

    dependencies = [
        ("accreditation", "0013_award_once_per_course"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="ledgerentry",
            name="accreditation_ledger_award_once",
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="session_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="session"),
        ),
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("kind", "award"), ("replaces__isnull", True), ("session_id__isnull", True)
                ),
                fields=("user", "register", "course_id"),
                name="accreditation_ledger_award_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("kind", "award"), ("replaces__isnull", True), ("session_id__isnull", False)
                ),
                fields=("user", "register", "session_id"),
                name="accreditation_ledger_session_award_once",
            ),
        ),
        migrations.RunPython(ledger_triggers_renew, migrations.RunPython.noop),
    ]
