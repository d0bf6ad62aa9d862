import pytest

from edge.tests.provider import Provider


@pytest.fixture
def provider():
    with Provider() as running:
        yield running


@pytest.fixture
def fastly(settings, provider):
    settings.EDGE_PURGE_BACKEND = "fastly"
    settings.EDGE_FASTLY_URL = provider.url
    settings.EDGE_FASTLY_SERVICE = "svc1"
    settings.EDGE_FASTLY_TOKEN = "fastly-token"
    return provider


@pytest.fixture
def cloudflare(settings, provider):
    settings.EDGE_PURGE_BACKEND = "cloudflare"
    settings.EDGE_CLOUDFLARE_URL = provider.url
    settings.EDGE_CLOUDFLARE_ZONE = "zone9"
    settings.EDGE_CLOUDFLARE_TOKEN = "cf-token"
    return provider
