"""The generation row: one bump per transaction, committed with the change, and
a read that doubles as the connection's health check."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from pagecache import generation
from pagecache.models import ContentGeneration

# Real commits: on_commit callbacks and rollbacks as in production.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def bumps(queries):
    """The statements that moved the content generation."""
    return [
        query["sql"]
        for query in queries
        if query["sql"].startswith("UPDATE")
        and "contentgeneration" in query["sql"]
        and 'SET "generation"' in query["sql"]
    ]


def current():
    return ContentGeneration.objects.get().generation


@committing
def test_one_bump_per_transaction_and_a_rolled_back_one_is_made_again():
    before = current()
    with transaction.atomic():
        try:
            with transaction.atomic():
                generation.bump()
                raise RuntimeError("the desk changed its mind")
        except RuntimeError:
            pass  # the rollback takes the bump with it
        assert current() == before
        with CaptureQueriesContext(connection) as queries:
            generation.bump()  # must bump again
            generation.bump()
            generation.bump()
        assert len(bumps(queries)) == 1
    assert current() > before
    row = ContentGeneration.objects.get()
    assert row.next_change_for == row.generation  # looked ahead once committed


@committing
def test_a_page_read_inside_the_transaction_makes_the_next_change_bump_again():
    with transaction.atomic():
        generation.bump()
        generation.current_generation()  # a page rendered now would be cached
        with CaptureQueriesContext(connection) as queries:
            generation.bump()
        assert len(bumps(queries)) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_generation_read_replaces_a_dead_database_connection():
    if connection.vendor != "postgresql":
        pytest.skip(
            "closing the raw connection of SQLite's in-memory test database "
            "would drop the database itself; runs on PostgreSQL"
        )
    generation.bump()
    connection.ensure_connection()
    dead = connection.connection
    dead.close()  # as after a database restart
    connection.health_check_done = False  # what a new request starts with
    read, _, _ = generation.read_state()
    assert read == current()
    assert connection.connection is not dead
