"""Instructors edit the glossary too (and, as everywhere, cannot delete)."""

from django.db import migrations

from kb.permissions import grant_to_instructors


def grant(apps, schema_editor):
    grant_to_instructors(apps, "kb", ("glossaryterm",))


class Migration(migrations.Migration):
    dependencies = [("kb", "0004_search_index")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
