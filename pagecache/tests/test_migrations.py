"""The model moved from the articles app; the row every cached page is checked
against did not: migrating an existing database keeps its generation number."""

import pytest
from django.core.management import call_command
from django.core.management.sql import emit_pre_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pagecache import generation
from pagecache.models import ContentGeneration

TABLE = "articles_contentgeneration"
GENERATION = 1_790_000_000_123_456


def applied(app):
    return {
        name
        for (label, name) in MigrationExecutor(connection).loader.applied_migrations
        if label == app
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrating_an_existing_database_keeps_the_generation():
    # The database as the code before the move left it: the articles app's
    # migrations up to 0014, none of pagecache's, the row in articles' table.
    before = [("articles", "0014_article_revised_at"), ("pagecache", None)]
    executor = MigrationExecutor(connection)
    # What `migrate` tells the apps first (on SQLite, articles takes its triggers
    # out of the way of the table rebuilds going back past 0016 needs).
    plan = executor.migration_plan(before)
    emit_pre_migrate_signal(0, False, connection.alias, plan=plan)
    executor.migrate(before, plan=plan)
    assert applied("pagecache") == set()
    assert max(applied("articles")) == "0014_article_revised_at"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"INSERT INTO {TABLE} (id, generation, next_change_us, next_change_for) "
            "VALUES (%s, %s, NULL, %s)",
            [generation.ROW, GENERATION, GENERATION],
        )

    call_command("migrate", verbosity=0)

    assert applied("pagecache") == {"0001_initial"}
    row = ContentGeneration.objects.get()
    assert (row.pk, row.generation) == (generation.ROW, GENERATION)
    assert generation.read_state() == (GENERATION, None, GENERATION)
