"""One permission decides who authors: the Instructors group holds it; staff status alone no longer does."""

from django.db import migrations

from kb.permissions import grant_codenames_to_instructors


def grant(apps, schema_editor):
    grant_codenames_to_instructors(apps, "kb", ["author_content"])


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0008_search_word_pairs"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="article",
            options={
                "ordering": ["-published_at", "-pk"],
                "permissions": [("author_content", "Can author content: drafts, previews, statistics, translations")],
                "verbose_name": "article",
                "verbose_name_plural": "articles",
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
