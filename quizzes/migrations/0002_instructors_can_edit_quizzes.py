"""Instructors write quizzes, questions and choices too (and still cannot delete them)."""

from django.db import migrations

from kb.permissions import grant_to_instructors, revoke_from_instructors


def grant(apps, schema_editor):
    grant_to_instructors(apps, "quizzes", ("quiz", "question", "choice"))


def revoke(apps, schema_editor):
    revoke_from_instructors(apps, "quizzes")


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0001_initial"),
        ("courses", "0002_instructors_can_edit_courses"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
