"""Keeping a copy never holds a reader up: with another writer holding the
database's write lock, the page is answered and simply not kept. For real: a
second connection holds the lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: LOCK
TABLE ... IN SHARE MODE, reads go on)."""

import contextlib
import logging
import sqlite3
import time

import pytest
from django.db import connection

from pagecache.tests.faults import DatabaseOutage
from prepared import release
from prepared.models import PreparedPage

# Real commits: the lock is another connection's.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@contextlib.contextmanager
def another_writer():
    if connection.vendor == "postgresql":
        import psycopg

        other = psycopg.connect(**connection.get_connection_params())
        other.execute(f"LOCK TABLE {PreparedPage._meta.db_table} IN SHARE MODE")
        try:
            yield
        finally:
            other.rollback()
            other.close()
        return
    other = sqlite3.connect(
        connection.settings_dict["NAME"], uri=True, isolation_level=None
    )
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_locked_database_answers_the_page_without_keeping_it(client, caplog):
    with connection.cursor() as cursor:  # the connection's own wait: 20 s
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA busy_timeout = 20000")
    caplog.set_level(logging.WARNING, logger="prepared.store")
    with another_writer():
        started = time.monotonic()
        response = client.get("/item/1/")
        waited = time.monotonic() - started
    assert response.status_code == 200
    assert b"of item 1" in response.content
    assert waited < 10, "the reader waited on the lock as long as a writer would"
    assert "not kept" in caplog.text
    assert not PreparedPage.objects.exists()
    # Once the lock is gone, the next reader keeps it.
    assert client.get("/item/1/")["X-Prepared"] == "miss"
    assert client.get("/item/1/")["X-Prepared"] == "hit"


@pytest.fixture
def database(tmp_path):
    outage = DatabaseOutage(connection, tmp_path)
    yield outage
    outage.close()


def test_with_the_database_away_the_page_is_rendered_as_without_copies(
    client, database
):
    kept = client.get("/item/1/")
    with database.down():
        response = client.get("/item/1/")
    # The copies live in the database too: the page is rendered (this one needs
    # no database; a story page gets the outage answer, pagecache/outage.py).
    assert response.status_code == 200
    assert "X-Prepared" not in response
    assert response.content != kept.content
    # What request_finished does after each request (the test client skips it).
    connection.close_if_unusable_or_obsolete()
    assert client.get("/item/1/")["X-Prepared"] == "hit"


def test_a_copy_from_another_release_is_not_served(client, monkeypatch):
    first = client.get("/item/1/")
    monkeypatch.setattr(release, "fingerprint", lambda: "another-release")
    again = client.get("/item/1/")
    assert again["X-Prepared"] == "miss"
    assert again.content != first.content
