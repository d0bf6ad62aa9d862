"""Varnish for real in front of a live origin: publishing and editing purge
exactly the pages that changed, and a stopped origin's pages are still served.

Varnish runs with the repository's VCL (deploy/varnish/newsroom.vcl); the origin
is pytest-django's live server, one per test so it can be stopped.
"""

import time
import urllib.error
import urllib.request

import pytest
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from articles import services
from articles.models import Article
from articles.tests.factories import ArticleFactory, AuthorFactory
from edge.models import Purge
from edge.tests import varnish as varnish_helper

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def origin():
    server = LiveServer("127.0.0.1:0")
    yield server
    server.stop()


@pytest.fixture
def varnish(origin, tmp_path, settings):
    reason = varnish_helper.missing()
    if reason:
        print(f"skipped: {reason}")
        pytest.skip(reason)
    port = int(origin.url.rsplit(":", 1)[1])
    running = varnish_helper.Varnish(tmp_path, port)
    settings.EDGE_PURGE_BACKEND = "varnish"
    settings.EDGE_VARNISH_URLS = [running.url + "/"]
    yield running
    running.stop()


def cached(varnish, path):
    """Fetch `path` until Varnish has it; returns the body."""
    status, headers, body = varnish.get(path)
    assert status == 200, (path, status)
    status, headers, again = varnish.get(path)
    assert headers["X-Cache"] == "HIT", path
    return again


def test_publishing_and_editing_purge_exactly_the_pages_that_changed(varnish, settings):
    settings.EDGE_PURGE_BACKEND = ""  # building the site purges nothing
    author = AuthorFactory(slug="amina")
    story = ArticleFactory(topics=["Mali"], authors=[author], slug="bamako",
                           headline="Bamako talks open")  # fmt: skip
    ArticleFactory(topics=["Chad"], slug="ndjamena", headline="Chad votes")
    settings.EDGE_PURGE_BACKEND = "varnish"
    pages = ["/", "/articles/bamako/", "/topics/mali/", "/topics/chad/"]
    for page in pages:
        cached(varnish, page)

    story = Article.objects.get(pk=story.pk)
    story.headline = "Bamako talks resume"
    services.save_story(story=story)
    row = Purge.objects.get()
    assert row.state == Purge.State.SENT
    assert row.answer.startswith(f"{varnish.url}/: 200") and "Purged" in row.answer

    status, headers, body = varnish.get("/articles/bamako/")
    assert headers["X-Cache"] == "MISS" and "Bamako talks resume" in body
    status, headers, body = varnish.get("/")
    assert headers["X-Cache"] == "MISS" and "Bamako talks resume" in body
    status, headers, body = varnish.get("/topics/mali/")
    assert headers["X-Cache"] == "MISS" and "Bamako talks resume" in body
    status, headers, body = varnish.get("/topics/chad/")
    assert headers["X-Cache"] == "HIT", "an unrelated topic stays cached"
    assert int(headers["Age"]) >= 0

    for page in pages:
        cached(varnish, page)
    new = ArticleFactory(draft=True, topics=["Mali"], authors=[author], slug="gao",
                         headline="Gao market reopens")  # fmt: skip
    assert varnish.get("/articles/gao/")[0] == 404
    new = Article.objects.get(pk=new.pk)
    new.status, new.published_at = Article.Status.PUBLISHED, timezone.now()
    services.save_story(story=new)
    for page in ("/", "/topics/mali/", "/articles/gao/"):
        status, headers, body = varnish.get(page)
        assert status == 200 and "Gao market reopens" in body, page
        assert headers["X-Cache"] == "MISS", page
    assert varnish.get("/topics/chad/")[1]["X-Cache"] == "HIT"
    assert varnish.get("/articles/bamako/")[1]["X-Cache"] == "HIT"


def test_a_stopped_origin_s_pages_are_served_stale(varnish, origin, settings):
    settings.EDGE_CACHE_SECONDS = 1
    ArticleFactory(topics=["Mali"], slug="bamako", headline="Bamako talks open")
    body = cached(varnish, "/articles/bamako/")
    assert "Bamako talks open" in body
    origin.stop()
    # Past s-maxage (1 s) and past the healthy origin's stale-while-revalidate
    # (10 s in the VCL): only stale-if-error (grace while the probe says the
    # origin is down) can still answer.
    deadline = time.monotonic() + 60
    while True:
        status, headers, body = varnish.get("/articles/bamako/")
        assert status == 200 and "Bamako talks open" in body
        if int(headers["Age"]) > 12:
            break
        assert time.monotonic() < deadline, "Varnish never got past its grace"
        time.sleep(0.5)
    assert "stale-if-error=86400" in headers["Cache-Control"]


def test_sessions_pass_and_purges_need_their_header(varnish):
    ArticleFactory(topics=["Mali"], slug="bamako")
    cached(varnish, "/articles/bamako/")
    request = urllib.request.Request(
        varnish.url + "/articles/bamako/", headers={"Cookie": "sessionid=abc"}
    )
    for _ in range(2):  # the desk always reaches the origin
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.headers["X-Cache"] == "MISS"
    purge = urllib.request.Request(varnish.url + "/", method="PURGE")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(purge, timeout=30)
    assert refused.value.code == 400
    # Anonymous readers' other cookies do not split or bypass the cache.
    request = urllib.request.Request(
        varnish.url + "/articles/bamako/", headers={"Cookie": "csrftoken=x; a=b"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["X-Cache"] == "HIT"
