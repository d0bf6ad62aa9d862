"""Index the body's visible text, not its HTML, so markup never matches a search."""

from django.db import migrations, models

BATCH = 1000


def fill_body_text(apps, schema_editor):
    from articles.richtext import plain_text

    Article = apps.get_model("articles", "Article")
    batch = []
    stories = Article.objects.only("pk", "body").order_by("pk")
    for story in stories.iterator(chunk_size=BATCH):
        story.body_text = plain_text(story.body)
        batch.append(story)
        if len(batch) == BATCH:
            Article.objects.bulk_update(batch, ["body_text"])
            batch = []
    Article.objects.bulk_update(batch, ["body_text"])


def drop_search_triggers(apps, schema_editor):
    from articles import search_schema

    search_schema.drop_triggers(schema_editor.connection)


def reinstall_search(apps, schema_editor):
    # Nothing to install here any more: search_schema holds the index's current
    # form, which reads columns later migrations add (the story's language, 0016);
    # migration 0017 installs it. SQLite: triggers stay out of the way of the
    # run's table rebuilds; the post-migrate check puts them back.
    from articles import db_maintained

    db_maintained.drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_topics_kinds_aliases_timeline'),
    ]

    operations = [
        # The SQLite triggers name the article table's columns: out of the way while
        # the column is added, then back in their current form, with a reindex.
        migrations.RunPython(drop_search_triggers, migrations.RunPython.noop),
        migrations.AddField(
            model_name='article',
            name='body_text',
            field=models.TextField(blank=True, editable=False, help_text="The body's visible words, no markup: what search indexes."),
        ),
        migrations.RunPython(fill_body_text, migrations.RunPython.noop),
        migrations.RunPython(reinstall_search, migrations.RunPython.noop),
    ]
