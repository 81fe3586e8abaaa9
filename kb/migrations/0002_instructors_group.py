"""The Instructors group: staff who write and edit content but never delete it."""

from django.db import migrations

from kb.permissions import grant_to_instructors, revoke_from_instructors


def grant(apps, schema_editor):
    grant_to_instructors(apps, "kb", ("topic", "tag", "article"))


def revoke(apps, schema_editor):
    revoke_from_instructors(apps, "kb")


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
