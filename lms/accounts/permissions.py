"""Giving the Editors group model permissions; used by data migrations and their test restore."""

EDITORS_GROUP = "Editors"


def editors_grant(apps, *, app_label: str, model: str, actions: tuple[str, ...]) -> None:
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    editors, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    for action in actions:
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_{model}",
            defaults={"name": f"Can {action} {model}"},
        )
        editors.permissions.add(permission)
