from django.db import migrations

from accreditation.reference_data import registers_load


def load_registers(apps, schema_editor):
    registers_load(apps.get_model("accreditation.Register"), apps.get_model("catalog.Profession"))


def grant_editor_permissions(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="accreditation", model="register"
    )
    editors, _created = Group.objects.get_or_create(name="Editors")
    for action in ("add", "change"):
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_register",
            defaults={"name": f"Can {action} register"},
        )
        editors.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("accreditation", "0002_initial"),
        ("catalog", "0002_reference_data"),
    ]

    operations = [
        migrations.RunPython(load_registers, migrations.RunPython.noop),
        migrations.RunPython(grant_editor_permissions, migrations.RunPython.noop),
    ]
