from django.db import migrations


def grant_editor_permissions(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="playback", model="video")
    editors, _created = Group.objects.get_or_create(name="Editors")
    for action in ("add", "change", "delete"):
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_video",
            defaults={"name": f"Can {action} video"},
        )
        editors.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("playback", "0002_uploadsession"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant_editor_permissions, migrations.RunPython.noop)]
