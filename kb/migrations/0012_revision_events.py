"""Revisions record what happened as an event, described in each reader's language, instead of a note written
in whatever language the admin was in."""

import re

from django.db import migrations, models

RESTORED = re.compile(r"(\d+)")
EDITED = {"Edited in the admin", "在管理介面編輯"}
CREATED = {"Created", "建立"}


def notes_to_events(apps, schema_editor):
    for revision in apps.get_model("kb", "ArticleRevision").objects.exclude(note=""):
        number = RESTORED.search(revision.note)
        if revision.note in EDITED:
            revision.event = "edited"
        elif revision.note in CREATED:
            revision.event = "created"
        elif number:
            revision.event, revision.restored_from = "restored", int(number.group(1))
        revision.save(update_fields=["event", "restored_from"])


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0011_markdown_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="articlerevision",
            name="event",
            field=models.CharField(
                choices=[
                    ("saved", "Saved by a script"),
                    ("created", "Created in the admin"),
                    ("edited", "Edited in the admin"),
                    ("restored", "Restored an earlier revision"),
                    ("imported", "Imported from the content files"),
                ],
                default="saved",
                max_length=20,
                verbose_name="what happened",
            ),
        ),
        migrations.AddField(
            model_name="articlerevision",
            name="restored_from",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="restored revision"),
        ),
        migrations.RunPython(notes_to_events, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="articlerevision",
            name="note",
        ),
    ]
