import os
import shutil

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connections

from articles.tests.factories import ArticleFactory
from pagecache import stale


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def object_store(tmp_path_factory):
    """A SeaweedFS S3 server on loopback for the session (deploy/objectstore.py)."""
    from deploy import objectstore

    try:
        server = objectstore.start(tmp_path_factory.mktemp("objectstore"))
    except objectstore.ObjectStoreUnavailableError as error:
        pytest.skip(f"no S3-compatible server to test against: {error}")
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _empty_cache():
    """The topic map and counts are cached; no test may see another's. Nor the
    outages another test caused (open circuit breakers, the last generation
    seen)."""
    cache.clear()
    stale.forget_outages()


def desk_member(user_model, username, group):
    user = user_model.objects.create_user(
        username, password=f"{username}-pw-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(django_user_model):
    return desk_member(django_user_model, "ed", "Editors")


@pytest.fixture
def reporter(django_user_model):
    return desk_member(django_user_model, "rep", "Reporters")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def story():
    return ArticleFactory(topics=["Mali", "AES"])


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def chromium():
    """Debian's chromium, driven by Playwright, for one test module at a time:
    Playwright's sync API keeps an event loop running in this thread while it
    is open, which the other tests must not inherit."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed"
    )
    if not shutil.which(CHROMIUM):
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make between browser steps are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Database connections are kept per context, and Playwright's is new: give
    # its connections the test database's serialized copy, which transactional
    # tests with `serialized_rollback` restore from.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_api.sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
