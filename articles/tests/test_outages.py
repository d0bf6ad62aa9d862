"""The site keeps serving while the database is away, and comes back by itself.

The database really stops answering (pagecache/tests/faults.py): on PostgreSQL a relay of
ours in front of it is cut; on SQLite its path stops being an openable file.
"""

import pytest
from django.db import connection
from django.test import Client

from articles import services
from articles.models import Article
from articles.tests.factories import ArticleFactory
from articles.tests.test_page_cache import page_cache_on, read, reader, warm
from articles.tests.test_redis_outage import own_redis
from pagecache import breaker, stale
from pagecache.tests.faults import DatabaseOutage

__all__ = ["own_redis", "page_cache_on", "reader"]  # fixtures, used by name
# Real commits, so the database can go away between requests. serialized_rollback:
# the flush afterwards would otherwise leave the desk roles to be restored twice.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def database(tmp_path):
    outage = DatabaseOutage(connection, tmp_path)
    yield outage
    outage.close()


def test_cached_pages_are_served_stale_and_the_rest_answers_503(
    reader, story, editor, database, settings
):
    uncached = ArticleFactory(headline="Never read before the outage")
    desk = Client()
    desk.force_login(editor)
    warm(reader, "/", story.get_absolute_url(), "/topics/mali/")
    with database.down():
        # A desk member too: whose session cannot be checked now.
        for client, url in [
            (reader, "/"),
            (reader, story.get_absolute_url()),
            (reader, "/topics/mali/"),
            (desk, "/"),
        ]:
            response, html = read(client, url)
            assert response.status_code == 200, url
            assert response["X-Page-Cache"] == "stale", url
            assert story.headline in html, url
        for client, url in [
            (reader, uncached.get_absolute_url()),
            (reader, "/topics/"),
            (reader, "/search/?q=charter"),
            (desk, "/admin/"),
        ]:
            response = client.get(url)
            assert response.status_code == 503, url
            assert response["Retry-After"] == "30"
            assert response["Cache-Control"] == "no-store"
            assert "Back in a moment" in response.content.decode()
        health = reader.get("/healthz")
        assert health.status_code == 503
        assert health.content.decode().splitlines() == ["database: down"]

    # The database is back: no restart. Pages ask it again once the breaker's
    # rest is over (DATABASE_BREAKER_SECONDS); let it be over now.
    settings.DATABASE_BREAKER_SECONDS = 0
    health = reader.get("/healthz")
    assert (health.status_code, health.content) == (200, b"ok")
    assert reader.get(uncached.get_absolute_url()).status_code == 200
    assert reader.get("/").headers["X-Page-Cache"] == "hit"
    assert desk.get("/admin/").status_code == 200


def test_a_page_taken_down_before_the_outage_is_never_served_stale(
    reader, story, database
):
    warm(reader, "/", story.get_absolute_url())
    services.unpublish(Article.objects.filter(pk=story.pk))
    with database.down():
        for url in ["/", story.get_absolute_url()]:
            assert reader.get(url).status_code == 503, url
    assert story.headline not in read(reader, "/")[1]


def test_a_worker_that_saw_the_database_too_long_ago_serves_nothing_stale(
    reader, story, database, monkeypatch
):
    warm(reader, "/")
    monkeypatch.setattr(stale, "STALE_TRUST_SECONDS", -1)  # seen "too long ago"
    with database.down():
        assert reader.get("/").status_code == 503


def test_while_the_database_is_away_cached_pages_do_not_wait_for_it(
    reader, story, database, settings
):
    """After one failed read, the page cache stops asking the database for the
    generation for a few seconds (per process): stale pages cost no wait."""
    settings.DATABASE_BREAKER_SECONDS = 60  # no retry while the test runs
    urls = ["/", story.get_absolute_url(), "/topics/mali/"]
    warm(reader, *urls)
    attempts = breaker.database.attempts
    relay = getattr(database, "relay", None)
    with database.down():
        accepted = relay.accepted if relay else None
        for _ in range(5):
            for url in urls:
                assert reader.get(url).headers["X-Page-Cache"] == "stale", url
        assert (
            breaker.database.attempts == attempts + 1
        )  # the first request asked, once
        assert breaker.database.skipped == 14
        if relay:  # the database saw one connection attempt in all
            assert relay.accepted == accepted + 1
    settings.DATABASE_BREAKER_SECONDS = 0
    assert reader.get("/").headers["X-Page-Cache"] == "hit"
    assert not breaker.database.is_open


def test_healthz_names_each_service(client, database, own_redis):
    with database.down():
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.content.decode().splitlines() == [
            "database: down",
            "redis: ok",
        ]
        own_redis.pause()
        assert client.get("/healthz").content.decode().splitlines() == [
            "database: down",
            "redis: down",
        ]
