"""The tagging rows' copy of each story's public window, kept by database triggers.

The SQL lives in articles/window_schema.py; the post-migrate check
(articles.db_maintained) puts back triggers a later SQLite table rebuild drops.
"""

from django.db import migrations


def install(apps, schema_editor):
    from articles.window_schema import LIVE_WINDOWS

    LIVE_WINDOWS.install(schema_editor.connection)
    LIVE_WINDOWS.rebuild(schema_editor.connection)  # from the stored stories


def uninstall(apps, schema_editor):
    from articles.window_schema import LIVE_WINDOWS

    LIVE_WINDOWS.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_article_body_text")]

    operations = [migrations.RunPython(install, uninstall)]
