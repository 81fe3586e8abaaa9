"""Instructors write courses and lessons as well as articles (they still cannot delete them)."""

from django.db import migrations

from kb.permissions import grant_to_instructors, revoke_from_instructors


def grant(apps, schema_editor):
    grant_to_instructors(apps, "courses", ("course", "lesson", "lessonarticle"))


def revoke(apps, schema_editor):
    revoke_from_instructors(apps, "courses")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("kb", "0002_instructors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
