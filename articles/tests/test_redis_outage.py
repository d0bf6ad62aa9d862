"""A hung Redis is asked once, then left alone for a few seconds.

A redis-server of our own is paused with SIGSTOP (connections stay open, nothing
answers: every command would wait for its socket timeout). The circuit breaker
(pagecache/breaker.py) lets one command wait, then refuses the rest at once: the
page cache, the generation mirror and topic statistics alike.
"""

import pytest
import redis
from django.core.cache import cache

from articles.models import TOPIC_STATS_CACHE_KEY
from articles.tests.factories import ArticleFactory
from articles.tests.test_page_cache import page_cache_on, read, reader, warm
from pagecache import breaker, entries, mirror
from pagecache.tests.faults import RedisServer

__all__ = ["page_cache_on", "reader"]  # fixtures, used by name
pytestmark = pytest.mark.django_db


@pytest.fixture
def own_redis(settings):
    """Our own redis-server, as the cache, configured as production configures it."""
    try:
        server = RedisServer()
    except FileNotFoundError as error:
        pytest.skip(str(error))
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "redis-outage",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "REDIS_CLIENT_CLASS": "pagecache.breaker.BreakerRedis",
            },
        }
    }
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    settings.REDIS_BREAKER_SECONDS = 60  # no retry while the test runs
    entries.recent.clear()
    yield server
    server.stop()


def connections_received(admin):
    return admin.info("stats")["total_connections_received"]


def test_a_hung_redis_slows_one_command_not_every_page(
    reader, story, own_redis, settings, django_capture_on_commit_callbacks
):
    topic_page = "/topics/mali/"
    warm(reader, "/", story.get_absolute_url(), topic_page)
    the_breaker = breaker.for_redis(cache.client.get_client().connection_pool)
    admin = redis.Redis(port=own_redis.port)  # connected before the pause
    before = connections_received(admin)
    waited = the_breaker.failures

    own_redis.pause()
    for _ in range(5):
        for url in ["/", story.get_absolute_url(), topic_page]:
            response = reader.get(url)
            assert response.status_code == 200, url
    # Pages are still hits, from the worker's own memory, checked against the
    # generation the database gives.
    assert reader.get("/").headers["X-Page-Cache"] == "hit"
    # A change still shows: the database decides while Redis is away.
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(headline="Filed while Redis hung", topics=["Mali"])
    assert "Filed while Redis hung" in read(reader, topic_page)[1]  # topic stats
    # Every use of Redis is refused at once: the mirror, pages, topic statistics.
    skipped = the_breaker.skipped
    assert mirror.mirrored_state() is mirror.UNREACHABLE
    assert cache.get(f"{TOPIC_STATS_CACHE_KEY}:1") is None
    cache.set("headline", "kept")
    assert the_breaker.skipped == skipped + 3

    assert the_breaker.failures == waited + 1  # one command waited, once
    assert the_breaker.is_open
    own_redis.resume()
    # Redis saw no new connection while it hung: nobody asked it again (each
    # command that times out drops its connection; the next one would open one).
    assert connections_received(admin) == before

    settings.REDIS_BREAKER_SECONDS = 0  # the rest is over: the next request asks
    reader.get("/")
    assert not the_breaker.is_open
    cache.set("headline", "kept")
    assert cache.get("headline") == "kept"


def test_a_redis_that_went_away_is_asked_again_after_the_rest(
    reader, story, own_redis, settings
):
    warm(reader, "/")
    the_breaker = breaker.for_redis(cache.client.get_client().connection_pool)
    own_redis.stop()  # gone: connection refused at once
    assert reader.get("/").status_code == 200
    assert the_breaker.is_open and the_breaker.trips >= 1
    attempts = the_breaker.attempts
    for _ in range(10):
        assert reader.get("/").status_code == 200
    assert the_breaker.attempts == attempts
    settings.REDIS_BREAKER_SECONDS = 0
    assert reader.get("/").status_code == 200
    assert the_breaker.attempts > attempts  # asked again; Redis is still gone
    assert the_breaker.is_open


def test_healthz_warns_that_redis_is_down_but_stays_200(client, own_redis):
    """Every page is still served without Redis: a load balancer must not take
    the servers out for it (pagecache/health.py)."""
    assert client.get("/healthz").content == b"ok"
    own_redis.pause()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode().splitlines() == [
        "ok",
        "redis: down (pages are served without the shared cache)",
    ]
