"""Helpers for the page cache's tests (the articles app's use them too)."""

import os
import secrets

import pytest
from django.core.cache import cache


def state(response):
    """What the page cache said of an answer: hit, miss, stale, or None."""
    return response.headers.get("X-Page-Cache")


def warm(client, *urls):
    """Request each page twice; the second answer must come from the cache."""
    for url in urls:
        client.get(url)
        assert state(client.get(url)) == "hit", url


@pytest.fixture
def shared_redis(settings):
    """The cache is Redis, as on several app servers (skipped where none answers)."""
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_connect_timeout=1).ping()
    except Exception as error:
        pytest.skip(f"Redis does not answer at {redis_url} ({error})")
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"test-page-cache-{secrets.token_hex(4)}",
        }
    }
    yield cache
    cache.clear()
