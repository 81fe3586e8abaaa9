"""Instructors write quizzes, questions and choices too (and still cannot delete them)."""

from django.db import migrations

GROUP = "Instructors"
MODELS = ("quiz", "question", "choice")
ACTIONS = ("add", "change", "view")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="quizzes", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="quizzes"))


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0001_initial"),
        ("courses", "0002_instructors_can_edit_courses"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
