"""The edition index of the tagging table holds the story's id too, so an
edition's topic page reads its page of stories from the index alone, at any
depth. Without it, the last page of the largest topic (58,722 stories) read
every tagging row before it from the table to learn its language: 23 ms at
1,000 stories, 135 ms at 100,000 (bench/RESULTS.md, 2026-12-01 11:07).

ANALYZE, as in 0019: SQLite keeps no statistics for an index created after the
last ANALYZE, and guesses wrong without them.
"""

from django.db import migrations, models


def analyze(apps, schema_editor):
    schema_editor.execute("ANALYZE articles_taggedarticle")


class Migration(migrations.Migration):
    dependencies = [("articles", "0019_tagging_rows_copy_the_language")]

    operations = [
        migrations.RemoveIndex(
            model_name="taggedarticle", name="tagged_topic_language_idx"
        ),
        migrations.AddIndex(
            model_name="taggedarticle",
            index=models.Index(
                fields=["tag", "language", "live_from", "content_object", "live_until"],
                name="tagged_topic_edition_idx",
            ),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
