"""Search stems each story's words by its language (issue 15).

The SQL lives in articles/search_schema.py. PostgreSQL: the index's functions are
replaced (each story stemmed with its language's configuration after unaccent;
the query function) and every document recomputed. SQLite: an FTS5 table's
tokenizer is fixed when the table is created, so the table goes, and the
post-migrate check (articles.db_maintained) creates it with the Porter tokenizer,
puts its triggers back and refills it, once no migration of the run can rebuild
a table they name.
"""

from django.db import migrations


def restem(apps, schema_editor):
    from articles.db_maintained import install_in_migration
    from articles.search_schema import SEARCH_INDEX

    connection = schema_editor.connection
    install_in_migration(connection, SEARCH_INDEX)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS articles_search")


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_story_languages_and_translations")]

    # Backwards: the index keeps its current form (search_schema has no other).
    operations = [migrations.RunPython(restem, migrations.RunPython.noop)]
