import pytest
from django.core.cache import cache
from django.test import Client

from pagecache import entries, generation, keys, mirror, stale
from pagecache.tests.site import shared_redis

__all__ = ["shared_redis"]  # a fixture, used by name


@pytest.fixture(autouse=True)
def test_site(request, settings):
    """The page cache on, in front of the test site (pagecache/tests/urls.py),
    with nothing cached and no outage remembered from another test; with a
    database, its generation row in place (as any content written makes it)."""
    settings.ROOT_URLCONF = "pagecache.tests.urls"
    settings.PAGE_CACHE_SECONDS = 600
    keys.register_reads("test-page", {"page": keys.NUMBER})
    keys.register_reads("test-search", {"q": keys.TEXT, "page": keys.NUMBER})
    cache.clear()
    entries.recent.clear()
    stale.forget_outages()
    mirror._last_warning[0] = float("-inf")
    if request.node.get_closest_marker("django_db"):
        generation.bump()


@pytest.fixture
def reader():
    return Client()
