"""End to end: a gunicorn server with production settings keeps serving while its
database is away, and comes back by itself.

SQLite: the server's database file is moved away and a directory put in its
place (what it finds when its volume is gone). PostgreSQL: the server reaches the
suite's test database through a relay of ours, which we cut (pagecache/tests/faults.py).
"""

import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest
from django.db import connection

from articles.tests.factories import ArticleFactory
from bench.corpus import ROOT, django_env
from bench.servers import Server
from pagecache.tests.faults import Relay

# The server shares the suite's PostgreSQL test database: real commits.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
STORIES = """
from datetime import timedelta
from django.utils import timezone
from articles.models import Article
for slug in ["cached", "uncached"]:
    story = Article.objects.create(
        headline=f"The {slug} story", slug=slug, status="published",
        published_at=timezone.now() - timedelta(hours=1),
    )
    story.tags.add("Mali")
"""
SERVER_ENV = {
    # Ask the database again on every request, so recovery shows at once.
    "DJANGO_DATABASE_BREAKER_SECONDS": "0",
    # Each request opens its connection: a SQLite file gone is seen at once.
    "DJANGO_CONN_MAX_AGE": "0",
}


def get(server, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}") as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture
def site(tmp_path):
    """(server, outage): a gunicorn server on this suite's kind of database, with
    two published stories, and a context manager that takes its database away."""
    if connection.vendor == "postgresql":
        ArticleFactory(headline="The cached story", slug="cached", topics=["Mali"])
        ArticleFactory(headline="The uncached story", slug="uncached")
        db = connection.settings_dict
        relay = Relay(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@127.0.0.1:{relay.port}/{db['NAME']}"

        @contextmanager
        def outage():
            relay.cut()
            try:
                yield
            finally:
                relay.restore()

        server = Server(url, cache_seconds=600, workers=1, env=SERVER_ENV)
        try:
            yield server, outage
        finally:
            server.stop()
            relay.close()
        return

    path = tmp_path / "newsroom.sqlite3"
    url = f"sqlite:///{path}"
    for args in [["migrate", "--noinput", "-v0"], ["shell", "-c", STORIES]]:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=django_env(url),
            check=True,
            capture_output=True,
        )
    away = tmp_path / "moved-away.sqlite3"

    @contextmanager
    def outage():
        path.rename(away)
        path.mkdir()  # what the server finds instead of its database
        try:
            yield
        finally:
            path.rmdir()
            away.rename(path)

    server = Server(url, cache_seconds=600, workers=1, env=SERVER_ENV)
    try:
        yield server, outage
    finally:
        server.stop()


def test_a_production_server_serves_through_a_database_outage(site):
    server, outage = site
    for path in ["/", "/articles/cached/"]:
        get(server, path)
        assert get(server, path)[1]["X-Page-Cache"] == "hit", path

    with outage():
        for path in ["/", "/articles/cached/"]:
            status, headers, html = get(server, path)
            assert (status, headers["X-Page-Cache"]) == (200, "stale"), path
            assert "The cached story" in html
        status, headers, html = get(server, "/articles/uncached/")
        assert (status, headers["Retry-After"]) == (503, "30")
        assert "Back in a moment" in html and len(html) < 2000
        status, _, text = get(server, "/healthz")
        assert (status, text.splitlines()) == (503, ["database: down"])

    assert get(server, "/healthz")[0::2] == (200, "ok")
    status, _, html = get(server, "/articles/uncached/")
    assert status == 200 and "The uncached story" in html
    assert get(server, "/")[0] == 200
