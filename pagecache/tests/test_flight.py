"""After a change, one request renders a page and the others that arrive
meanwhile wait for its copy: the page is rendered once, not once per reader."""

import threading
import time

import pytest
from django.db import connections
from django.test import Client

from pagecache import flight, generation
from pagecache.tests import urls
from pagecache.tests.faults import RedisServer
from pagecache.tests.site import state

# Real commits: the readers are threads with connections of their own.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def read_in_thread(path, answers):
    def run():
        try:
            answers.append(Client().get(path))
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def wait_until(condition, what):
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


@pytest.fixture
def held_render(settings):
    settings.PAGE_CACHE_RENDER_WAIT = 60
    urls.slow_started.clear()
    urls.slow_gate.clear()
    yield urls.slow_gate
    urls.slow_gate.set()


def test_readers_arriving_during_a_render_wait_for_its_copy(held_render):
    answers = []
    first = read_in_thread("/slow/", answers)
    wait_until(urls.slow_started.is_set, "the first reader's render began")
    others = [read_in_thread("/slow/", answers) for _ in range(3)]
    wait_until(lambda: flight.waiting.now == 3, "three readers wait for the copy")
    held_render.set()
    for thread in [first, *others]:
        thread.join(timeout=60)
    assert len(answers) == 4
    bodies = {answer.content for answer in answers}
    assert len(bodies) == 1, bodies  # one render, the same page for all four
    assert sorted(state(answer) for answer in answers) == ["hit", "hit", "hit", "miss"]
    assert flight.waiting.now == 0


@pytest.fixture
def own_redis(settings):
    """A redis-server of our own as the cache, configured as production does."""
    try:
        server = RedisServer()
    except FileNotFoundError as error:
        pytest.skip(str(error))
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "REDIS_CLIENT_CLASS": "pagecache.breaker.BreakerRedis",
            },
        }
    }
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    yield server
    server.stop()


def test_with_redis_stopped_every_request_renders_rather_than_wait(own_redis, settings):
    """Nobody can hold a claim in a Redis that is gone: no request waits for a
    copy that nobody could store; each renders, as without single flight."""
    settings.PAGE_CACHE_RENDER_WAIT = 60
    generation.bump()
    reader = Client()
    assert state(reader.get("/page/")) == "miss"
    own_redis.stop()
    generation.bump()
    current = generation.current_generation()
    assert flight.claim("some-page", current) is True
    assert flight.claim("some-page", current) is True  # nobody holds it
    # Rendered at once, then kept in this worker's own memory.
    answers = [reader.get("/page/") for _ in range(2)]
    assert [(a.status_code, state(a)) for a in answers] == [(200, "miss"), (200, "hit")]
    assert flight.waiting.now == 0
