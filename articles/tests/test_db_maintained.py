"""Trigger-maintained data (articles.db_maintained) survives migrations."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from articles import db_maintained

ROOT = Path(__file__).resolve().parents[2]

LATER_MIGRATION = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "{latest}")]

    # SQLite alters a column by building a new table and renaming it into place.
    operations = [
        migrations.AlterField("article", "headline", models.CharField(max_length=201)),
        migrations.AlterField(
            "taggedarticle", "live_until", models.DateTimeField(null=True, db_index=True)
        ),
    ]
"""


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="only SQLite rebuilds a table to alter it; PostgreSQL alters in place",
)
def test_a_later_migration_that_rebuilds_the_story_tables_runs(tmp_path):
    package = tmp_path / "later_migrations"
    shutil.copytree(
        ROOT / "articles" / "migrations",
        package,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    latest = max(path.stem for path in package.glob("0*.py"))
    (tmp_path / "later_settings.py").write_text(
        "from newsroom.settings import *  # noqa: F403\n"
        "MIGRATION_MODULES = {'articles': 'later_migrations'}\n"
    )
    database = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "later_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "DATABASE_URL": f"sqlite:///{database}",
    }

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr

    # A database in use, its triggers in place, then a release with a migration.
    manage("migrate", "--noinput", "-v0")
    manage("seed_corpus", "--articles", "40", "--tags", "8")
    (package / "0999_rebuild_story_tables.py").write_text(
        LATER_MIGRATION.format(latest=latest)
    )
    manage("migrate", "--noinput", "-v0")

    with sqlite3.connect(database) as db:
        present = {row[0] for row in db.execute(db_maintained.LIST_TRIGGERS["sqlite"])}
        applied = {
            row[0]
            for row in db.execute(
                "SELECT name FROM django_migrations WHERE app = 'articles'"
            )
        }
        stale = db.execute(
            "SELECT count(*) FROM articles_taggedarticle t JOIN articles_article a "
            "ON a.id = t.content_object_id WHERE (t.live_from, t.live_until) IS NOT "
            "(CASE WHEN a.status = 'published' THEN a.published_at END, "
            "CASE WHEN a.status = 'published' THEN a.unpublish_at END)"
        ).fetchone()[0]
        indexed = db.execute("SELECT count(*) FROM articles_search").fetchone()[0]
    assert "0999_rebuild_story_tables" in applied
    for maintained in db_maintained.registered():
        assert maintained.triggers["sqlite"] <= present, maintained.name
    assert stale == 0
    assert indexed == 40
