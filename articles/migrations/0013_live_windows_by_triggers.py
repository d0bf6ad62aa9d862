"""The tagging rows' copy of each story's public window, kept by database triggers.

The SQL lives in articles/window_schema.py. On SQLite the post-migrate check
(articles.db_maintained) installs the triggers and copies every window, once no
migration of the run can rebuild a table they name.
"""

from django.db import migrations


def install(apps, schema_editor):
    from articles.db_maintained import install_in_migration
    from articles.window_schema import LIVE_WINDOWS

    install_in_migration(schema_editor.connection, LIVE_WINDOWS)


def uninstall(apps, schema_editor):
    from articles.window_schema import LIVE_WINDOWS

    LIVE_WINDOWS.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_lead_image_random_names")]

    operations = [migrations.RunPython(install, uninstall)]
