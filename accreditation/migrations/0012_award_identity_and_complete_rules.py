"""Awards become one per learner, course and register, and the register rules are seeded in
full (profession-scoped minima, per-year minima, personal reductions).

Awards reported twice for one course under different activity IDs are merged: the later one
replaces the earlier, which is reversed with the reason, so nothing is counted twice and
nothing is deleted. The ledger refuses updates, so its triggers are lifted for this step only.
"""

from django.db import migrations

from accreditation.ledger.triggers import ledger_triggers_create, ledger_triggers_drop
from accreditation.rules.reference_data import registers_load
from accreditation.rules.reference_rules import (
    REQUIREMENTS,
    RGS_COVID_NOTE,
    category_rules_load,
    requirements_load,
)

MERGED_REASON = (
    "Dubbele toekenning voor dezelfde cursus samengevoegd: de latere toekenning (met de "
    "verbeterde gegevens) vervangt deze."
)


def awards_merge(apps, schema_editor):
    LedgerEntry = apps.get_model("accreditation", "LedgerEntry")
    if schema_editor.connection.vendor == "postgresql":
        # Checked now, so no deferred check is pending when the triggers are made again.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    ledger_triggers_drop(apps, schema_editor)
    awards = LedgerEntry.objects.filter(kind="award", replaces__isnull=True).order_by("pk")
    groups = {}
    for award in awards:
        groups.setdefault((award.user_id, award.register_id, award.course_id), []).append(award)
    for chain in groups.values():
        for earlier, later in zip(chain, chain[1:], strict=False):
            if not LedgerEntry.objects.filter(reverses=earlier).exists():
                LedgerEntry.objects.create(
                    user_id=earlier.user_id,
                    register_id=earlier.register_id,
                    kind="reversal",
                    points=-earlier.points,
                    category_id=earlier.category_id,
                    earned_on=earlier.earned_on,
                    title=earlier.title,
                    course_id=earlier.course_id,
                    activity_id=earlier.activity_id,
                    reverses=earlier,
                    reason=MERGED_REASON,
                )
            LedgerEntry.objects.filter(pk=later.pk).update(replaces=earlier)
    ledger_triggers_create(apps, schema_editor)


def rules_complete(apps, schema_editor):
    Register = apps.get_model("accreditation", "Register")
    Requirement = apps.get_model("accreditation", "Requirement")
    CategoryRule = apps.get_model("accreditation", "CategoryRule")
    ActivityCategory = apps.get_model("accreditation", "ActivityCategory")
    Profession = apps.get_model("catalog", "Profession")
    registers_load(Register, Profession)
    # Databases seeded before: the RGS arrangement was stored as a flat 134 for everyone.
    Requirement.objects.filter(
        register__slug="rgs", total_points=134, reduction_max__isnull=True
    ).update(total_points=200, reduction_max=66, note=RGS_COVID_NOTE)
    # ... and V&VN's standing version lacked the verzorgenden's own minimum.
    venvn = next(seed for seed in REQUIREMENTS if seed.register == "venvn" and not seed.valid_until)
    categories = {category.slug: category for category in ActivityCategory.objects.all()}
    professions = {profession.slug: profession for profession in Profession.objects.all()}
    for requirement in Requirement.objects.filter(
        register__slug="venvn", valid_from=venvn.valid_from, valid_until__isnull=True
    ):
        if not CategoryRule.objects.filter(
            requirement=requirement, profession__isnull=False
        ).exists():
            scoped = tuple(rule for rule in venvn.rules if rule.profession)
            category_rules_load(CategoryRule, requirement, scoped, categories, professions)
    requirements_load(Register, Requirement, CategoryRule, ActivityCategory, Profession)


class Migration(migrations.Migration):
    dependencies = [
        ("accreditation", "0011_profession_scope_reductions_award_identity"),
    ]

    operations = [
        migrations.RunPython(awards_merge, migrations.RunPython.noop),
        migrations.RunPython(rules_complete, migrations.RunPython.noop),
    ]
