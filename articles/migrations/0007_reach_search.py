"""The full-text search index, kept up to date by the database's own triggers.

The SQL lives in articles/search_schema.py, which also puts back triggers that a
later SQLite table rebuild drops (it runs after every migrate).
"""

import django.db.models.deletion
from django.db import migrations, models

from articles import search_schema

def forward(apps, schema_editor):
    # Nothing here any more: search_schema holds the index's current form, which
    # reads columns later migrations add; migration 0010 installs it.
    pass


def backward(apps, schema_editor):
    search_schema.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_perf_page_cache")]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_column="rowid",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
            ],
            options={"db_table": "articles_search", "managed": False},
        ),
        migrations.RunPython(forward, backward),
    ]
