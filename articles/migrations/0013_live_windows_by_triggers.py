"""The tagging rows' copy of each story's public window, kept by database triggers.

The SQL lives in articles/window_schema.py. The post-migrate check
(articles.db_maintained) installs the triggers and copies every window, once no
migration of the run can rebuild a table they name or has yet to add a column
they write (0019: the language).
"""

from django.db import migrations


def install(apps, schema_editor):
    from articles.db_maintained import install_after_migrate
    from articles.window_schema import LIVE_WINDOWS

    install_after_migrate(schema_editor.connection, LIVE_WINDOWS)


def uninstall(apps, schema_editor):
    from articles.window_schema import LIVE_WINDOWS

    LIVE_WINDOWS.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_lead_image_random_names")]

    operations = [migrations.RunPython(install, uninstall)]
