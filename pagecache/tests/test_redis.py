"""With Redis as the shared cache: pages and the generation's mirror are shared
by every app server, each worker keeps copies, and a Redis that does not answer
only means the database decides."""

import logging
import time

import pytest

from pagecache import generation, mirror
from pagecache.tests.site import state, warm

pytestmark = pytest.mark.django_db


def committed_bump(on_commit):
    """A change in a transaction that commits: the mirror is written then."""
    with on_commit(execute=True):
        generation.bump()


def test_a_worker_keeps_its_own_copies_of_a_shared_cache_and_never_serves_stale(
    reader, shared_redis, django_capture_on_commit_callbacks
):
    warm(reader, "/page/")
    shared_redis.clear()  # the shared entry is gone; this worker's copy is not
    assert state(reader.get("/page/")) == "hit"
    committed_bump(django_capture_on_commit_callbacks)
    assert state(reader.get("/page/")) == "miss"


def test_with_redis_a_hit_reads_nothing_from_the_database(
    reader, shared_redis, django_capture_on_commit_callbacks, django_assert_num_queries
):
    warm(reader, "/page/", "/other/")
    with django_assert_num_queries(0):
        assert state(reader.get("/page/")) == "hit"
        assert state(reader.get("/other/")) == "hit"
    committed_bump(django_capture_on_commit_callbacks)
    assert state(reader.get("/page/")) == "miss"


def test_the_redis_mirror_never_goes_back_to_an_older_generation(shared_redis):
    generation.bump()
    current, next_change, _ = generation.read_state()
    later = current + 10
    mirror.mirror((later, None, later))
    mirror.mirror((current, next_change, current))  # a slow reader
    assert mirror.mirrored_state()[0] == later


def test_a_lost_mirror_write_is_seen_once_the_mirror_expires(
    reader, shared_redis, django_capture_on_commit_callbacks, monkeypatch
):
    """The one case the mirror cannot see: the publishing server loses Redis just
    as its change commits. The mirror's expiry bounds how long that can last."""
    monkeypatch.setattr(mirror, "MIRROR_FRESH_MS", 200)
    warm(reader, "/page/")
    with django_capture_on_commit_callbacks(execute=False):  # the write is lost
        generation.bump()
    time.sleep(0.25)
    assert state(reader.get("/page/")) == "miss"


def test_pages_still_render_when_redis_is_down(reader, settings, caplog, request):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    redis_log = logging.getLogger("django_redis")  # does not propagate to root
    redis_log.addHandler(caplog.handler)
    request.addfinalizer(lambda: redis_log.removeHandler(caplog.handler))
    for url in ["/page/", "/other/", "/big/"]:
        response = reader.get(url)
        assert response.status_code == 200
        assert state(response) != "hit"
    # Hits come from the worker's own memory, checked against the generation the
    # database gives: a change still shows on the next request.
    assert state(reader.get("/page/")) == "hit"
    generation.bump()
    assert state(reader.get("/page/")) == "miss"
    # Logged, but once for the outage rather than once a request.
    assert caplog.text.count("Redis does not answer; the database decides") == 1
