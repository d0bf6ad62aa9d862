"""The anonymous page cache never lies: every change shows on the very next request.

The cache's own machinery (keys, entries, the generation, its Redis mirror) is
tested on a small site of its own in pagecache/tests/; here, the real pages.
"""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from articles import services
from articles.models import Article, RelatedStory, Topic
from articles.tests.factories import ArticleFactory, AuthorFactory
from pagecache import entries, generation, keys
from pagecache.tests.site import shared_redis

pytestmark = pytest.mark.django_db
__all__ = ["shared_redis"]  # a fixture, used by name
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    entries.recent.clear()


@pytest.fixture
def reader():
    return Client()


def read(client, url, **extra):
    response = client.get(url, **extra)
    return response, response.content.decode()


def warm(client, *urls):
    """Request each page twice; the second answer must come from the cache."""
    for url in urls:
        client.get(url)
        response = client.get(url)
        assert response.headers.get("X-Page-Cache") == "hit", url


STORY_PAGES = ["/", "/topics/", "/topics/mali/", "/feed/", "/sitemap.xml"]


def test_anonymous_readers_get_cached_pages_for_one_query(
    reader, story, django_assert_max_num_queries
):
    first, first_html = read(reader, "/")
    assert first.headers["X-Page-Cache"] == "miss"
    with django_assert_max_num_queries(1):  # the content generation
        second, second_html = read(reader, "/")
    assert second.headers["X-Page-Cache"] == "hit"
    assert second_html == first_html
    assert second["Content-Type"] == first["Content-Type"]
    # The outer middleware still runs on a cached answer.
    assert second["X-Frame-Options"] == "DENY"


def test_editors_never_get_cached_pages(reader, editor_client, story):
    warm(reader, "/", story.get_absolute_url())
    draft = ArticleFactory(draft=True, headline="Desk-only draft")
    for url in ["/", story.get_absolute_url(), f"/preview/{draft.pk}/"]:
        for _ in range(2):
            response = editor_client.get(url)
            assert response.status_code == 200
            assert "X-Page-Cache" not in response.headers, url
    preview, html = read(editor_client, f"/preview/{draft.pk}/")
    assert "Desk-only draft" in html
    # A reader never sees the preview, cached or not.
    assert reader.get(f"/preview/{draft.pk}/").status_code == 302
    assert "Desk-only draft" not in read(reader, "/")[1]


def test_publishing_shows_everywhere_on_the_next_request(reader, story):
    draft = ArticleFactory(draft=True, headline="Fresh charter talks", topics=["Mali"])
    warm(reader, *STORY_PAGES, draft.get_absolute_url())
    assert reader.get(draft.get_absolute_url()).status_code == 404  # cached 404

    services.publish_now(Article.objects.filter(pk=draft.pk))

    assert reader.get(draft.get_absolute_url()).status_code == 200
    for url in ["/", "/topics/mali/", "/feed/"]:
        assert "Fresh charter talks" in read(reader, url)[1], url
    assert draft.get_absolute_url() in read(reader, "/sitemap.xml")[1]


def test_unpublishing_removes_it_everywhere_on_the_next_request(reader, story):
    other = ArticleFactory(headline="Companion story", topics=["Mali", "AES"])
    warm(reader, *STORY_PAGES, story.get_absolute_url(), other.get_absolute_url())
    assert story.headline in read(reader, other.get_absolute_url())[1]  # related

    services.unpublish(Article.objects.filter(pk=story.pk))

    assert reader.get(story.get_absolute_url()).status_code == 404
    for url in ["/", "/topics/mali/", "/feed/", other.get_absolute_url()]:
        assert story.headline not in read(reader, url)[1], url
    assert story.get_absolute_url() not in read(reader, "/sitemap.xml")[1]


def test_editing_a_story_shows_on_the_next_request(reader, story):
    warm(reader, "/", story.get_absolute_url(), "/topics/mali/")
    story.headline = "A corrected headline"
    story.save()
    for url in ["/", story.get_absolute_url(), "/topics/mali/"]:
        assert "A corrected headline" in read(reader, url)[1], url


def test_retagging_shows_on_the_next_request(reader, story):
    ArticleFactory(topics=["Niger"])
    warm(reader, "/topics/niger/", "/topics/mali/", story.get_absolute_url())

    story.tags.add("Niger")
    assert story.headline in read(reader, "/topics/niger/")[1]
    assert "/topics/niger/" in read(reader, story.get_absolute_url())[1]

    story.tags.remove("Mali")
    assert reader.get("/topics/mali/").status_code == 404  # no story left on it


def test_deleting_a_story_shows_on_the_next_request(reader, story):
    warm(reader, "/", story.get_absolute_url(), "/feed/")
    url = story.get_absolute_url()
    story.delete()
    assert reader.get(url).status_code == 404
    assert story.headline not in read(reader, "/")[1]
    assert story.headline not in read(reader, "/feed/")[1]


def test_topic_and_byline_changes_show_on_the_next_request(reader, story):
    author = AuthorFactory(name="Aminata Diallo")
    warm(reader, story.get_absolute_url(), "/topics/")
    topic = Topic.objects.get(name="Mali")
    topic.name = "Republic of Mali"
    topic.save()
    assert "Republic of Mali" in read(reader, story.get_absolute_url())[1]
    assert "Republic of Mali" in read(reader, "/topics/")[1]

    story.authors.add(author)  # only m2m_changed tells
    assert "Aminata Diallo" in read(reader, story.get_absolute_url())[1]


def test_curated_links_show_on_the_next_request(reader, story):
    pick = ArticleFactory(headline="The editor's pick", topics=["Elsewhere"])
    warm(reader, story.get_absolute_url())
    RelatedStory.objects.create(article=story, story=pick)
    assert "The editor&#x27;s pick" in read(reader, story.get_absolute_url())[1]


@pytest.mark.parametrize("shared", [False, True], ids=["local memory", "redis"])
def test_a_scheduled_story_appears_when_its_time_comes(
    reader, story, settings, shared, request
):
    if shared:  # the mirrored generation carries the next scheduled moment too
        request.getfixturevalue("shared_redis")
    settings.PAGE_CACHE_SECONDS = 7 * 86400  # no help from entries running out
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        later = ArticleFactory(
            headline="Embargoed summit report",
            published_at=start + timedelta(hours=2),
            topics=["Mali"],
        )
        warm(reader, "/", "/topics/mali/", later.get_absolute_url())
        clock.shift(timedelta(hours=1))
        assert "Embargoed summit report" not in read(reader, "/")[1]
        assert reader.get("/").headers["X-Page-Cache"] == "hit"

        clock.shift(timedelta(hours=1, seconds=1))  # nobody saves anything
        assert "Embargoed summit report" in read(reader, "/")[1]
        assert "Embargoed summit report" in read(reader, "/topics/mali/")[1]
        assert reader.get(later.get_absolute_url()).status_code == 200


def test_an_expired_story_leaves_when_its_time_comes(reader, story, settings):
    settings.PAGE_CACHE_SECONDS = 7 * 86400
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        Article.objects.filter(pk=story.pk).update(
            unpublish_at=start + timedelta(minutes=30)
        )
        generation.bump()
        warm(reader, "/", story.get_absolute_url())
        clock.shift(timedelta(minutes=31))
        assert story.headline not in read(reader, "/")[1]
        assert reader.get(story.get_absolute_url()).status_code == 404


def test_only_plain_get_answers_are_cached(reader, story):
    assert "X-Page-Cache" not in reader.head("/").headers
    assert "X-Page-Cache" not in reader.post("/search/", {"q": "x"}).headers
    assert "X-Page-Cache" not in reader.get("/healthz").headers  # never_cache
    reader.get("/admin/login/")
    assert "X-Page-Cache" not in reader.get("/admin/login/").headers


def test_parameters_a_page_does_not_read_neither_vary_nor_change_it(reader, story):
    home, html = read(reader, "/")
    assert home.headers["X-Page-Cache"] == "miss"
    for url in ["/?utm_source=newsletter&fbclid=IwAR0x", "/?page=2", "/?q=mali"]:
        response, same = read(reader, url)
        assert response.headers["X-Page-Cache"] == "hit", url
        assert same == html, url  # nothing of the address leaks into the page
    search = "/search/?q=charter&page=1"
    first, html = read(reader, search)
    assert first.headers["X-Page-Cache"] == "miss"
    for url in [
        "/search/?q=charter&utm_campaign=x&page=01",
        "/search/?q=ignored&fbclid=y&q=charter&page=+1",
    ]:
        response, same = read(reader, url)
        assert response.headers["X-Page-Cache"] == "hit", url
        assert same == html, url
    assert read(reader, "/search/?q=convoy")[0].headers["X-Page-Cache"] == "miss"


def test_made_up_addresses_do_not_fill_the_shared_cache(reader, story, rf):
    made_up = [f"/articles/no-such-story-{n}/" for n in range(100)]
    made_up += [f"/search/?q=random-{n}" for n in range(100)]
    made_up += [f"/topics/mali/?page={n}" for n in range(2, 102)]
    for url in made_up:
        assert reader.get(url).headers["X-Page-Cache"] == "miss", url
    for url in made_up:
        assert cache.get(keys.cache_key(rf.get(url))) is None, url
    # Each worker keeps the latest of them in bounded memory of its own.
    assert len(entries.recent.entries) == entries.recent.size
    assert reader.get(made_up[-1]).headers["X-Page-Cache"] == "hit"
    # Real pages still go to the shared cache.
    reader.get(story.get_absolute_url())
    assert cache.get(keys.cache_key(rf.get(story.get_absolute_url())))


def test_redirects_and_not_found_are_cached_but_errors_are_not(reader, story):
    old = story.get_absolute_url()
    story.slug = "renamed-story"
    services.save_story(story=story)
    warm(reader, old, "/articles/no-such-story/")
    assert reader.get(old).status_code == 301
    assert reader.get("/topics/mali/?page=99").status_code == 404


NEWS_WINDOW_IN_A_FRESH_PROCESS = """
import sys
from datetime import timedelta

import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0, skip_checks=True)  # checks import the URLconf
from django.utils import timezone

from articles.models import Article
from pagecache import clocks

published = timezone.now() - timedelta(hours=1)
Article.objects.create(
    headline="Filed from cron", slug="cron", status="published", published_at=published
)
assert "newsroom.urls" not in sys.modules, "the URLconf was imported"
print(clocks.upcoming_change(timezone.now()) == published + timedelta(hours=48))
"""


def test_a_process_that_never_loaded_the_urls_knows_the_news_window():
    """A story published from a command must still leave /news-sitemap.xml after 48
    hours: the clock-driven hooks are registered at start-up, not by the URLconf."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DATABASE_URL": "sqlite://:memory:",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", NEWS_WINDOW_IN_A_FRESH_PROCESS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
