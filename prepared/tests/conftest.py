import pytest

from pagecache import generation, keys
from prepared.tests import urls


@pytest.fixture(autouse=True)
def test_site(settings, db):
    """The test site (prepared/tests/urls.py) with the page cache off: every
    request reaches the prepared pages' middleware, with the content generation
    row in place."""
    settings.ROOT_URLCONF = "prepared.tests.urls"
    settings.PAGE_CACHE_SECONDS = 0
    settings.PREPARED_PAGE_SECONDS = 3600
    keys.register_reads("test-item", {"page": keys.NUMBER, "size": keys.NUMBER})
    keys.register_reads("test-search", {"q": keys.TEXT})
    urls.during_render.clear()
    generation.bump()
