from django.db import migrations

from lms.accounts.permissions import editors_grant


def grant_editor_permissions(apps, schema_editor):
    """Editors write curated paths; publishing them is, as for pages, for Moderators."""
    editors_grant(
        apps, app_label="playlists", model="curatedpath", actions=("add", "change", "delete")
    )
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="playlists", model="curatedpath"
    )
    moderators, _created = Group.objects.get_or_create(name="Moderators")
    for action in ("add", "change", "delete", "publish"):
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_curatedpath",
            defaults={"name": f"Can {action} curated path"},
        )
        moderators.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("playlists", "0003_curated_paths")]

    operations = [migrations.RunPython(grant_editor_permissions, migrations.RunPython.noop)]
