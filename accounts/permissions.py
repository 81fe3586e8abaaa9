"""Helpers for data migrations that give the Instructors group its permissions."""

INSTRUCTORS = "Instructors"
EDITING = ("add", "change", "view")


def grant_to_instructors(apps, app_label, models, actions=EDITING):
    """Give the Instructors group ``actions`` on ``models`` of ``app_label`` (never delete: only superusers do)."""
    grant_codenames_to_instructors(apps, app_label, [f"{action}_{model}" for model in models for action in actions])


def grant_codenames_to_instructors(apps, app_label, codenames):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; make sure the ones needed exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name=INSTRUCTORS)
    permissions = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )
    group.permissions.add(*permissions)


def revoke_from_instructors(apps, app_label):
    permissions = apps.get_model("auth", "Permission").objects.filter(content_type__app_label=app_label)
    for group in apps.get_model("auth", "Group").objects.filter(name=INSTRUCTORS):
        group.permissions.remove(*permissions)
