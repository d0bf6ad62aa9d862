"""The anonymous page cache never lies: every change shows on the very next request."""

import logging
import os
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from articles import services
from articles.models import Article, RelatedStory, Topic
from articles.tests.factories import ArticleFactory, AuthorFactory
from pagecache import clocks, entries, generation, keys, mirror

pytestmark = pytest.mark.django_db
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


def test_a_made_up_session_cookie_still_gets_cached_pages(reader, editor, story):
    warm(reader, "/")
    for cookie in ["whatever", "k" * 32, "0123456789abcdefghijklmnopqrstuv"]:
        reader.cookies["sessionid"] = cookie
        assert reader.get("/").headers["X-Page-Cache"] == "hit", cookie
    desk = Client()
    desk.force_login(editor)  # a live session: always a freshly rendered page
    assert "X-Page-Cache" not in desk.get("/").headers


def test_redirects_and_not_found_are_cached_but_errors_are_not(reader, story):
    old = story.get_absolute_url()
    story.slug = "renamed-story"
    story.save()
    warm(reader, old, "/articles/no-such-story/")
    assert reader.get(old).status_code == 301
    assert reader.get("/topics/mali/?page=99").status_code == 404


def test_answers_that_set_cookies_or_csrf_tokens_are_not_cached(rf):
    from django.http import HttpResponse

    request = rf.get("/")
    with_cookie = HttpResponse("x")
    with_cookie.set_cookie("tracking", "1")
    assert not entries.response_is_cacheable(request, with_cookie)

    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert not entries.response_is_cacheable(request, HttpResponse("x"))

    plain = rf.get("/")
    assert entries.response_is_cacheable(plain, HttpResponse("x"))
    assert not entries.response_is_cacheable(plain, HttpResponse(status=302))
    assert not entries.response_is_cacheable(plain, HttpResponse(status=500))
    varied = HttpResponse("x", headers={"Vary": "User-Agent"})
    assert not entries.response_is_cacheable(plain, varied)


def test_pages_are_cached_per_language_and_host(reader, story, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    english = reader.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.headers["X-Page-Cache"] == "miss"
    french = reader.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert french.headers["X-Page-Cache"] == "miss"
    assert french["Content-Language"] == "fr"
    again = reader.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert again.headers["X-Page-Cache"] == "hit"
    assert again["Content-Language"] == "fr"
    other_host = reader.get("/", HTTP_HOST="other.example")
    assert other_host.headers["X-Page-Cache"] == "miss"
    assert "http://other.example/" in other_host.content.decode()  # canonical


def test_pages_still_render_when_redis_is_down(
    reader, story, settings, caplog, request, monkeypatch
):
    monkeypatch.setattr(mirror, "_last_warning", [float("-inf")])
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
    for url in ["/", story.get_absolute_url(), "/feed/"]:
        response = reader.get(url)
        assert response.status_code == 200
        assert response.headers.get("X-Page-Cache") != "hit"
    assert story.headline in read(reader, "/")[1]
    ArticleFactory(headline="Filed while Redis was away")
    assert "Filed while Redis was away" in read(reader, "/")[1]
    # Logged, but once for the outage rather than once a request.
    assert caplog.text.count("Redis does not answer; the database decides") == 1


def test_a_fresh_database_starts_a_new_generation(reader, story):
    from pagecache.models import ContentGeneration

    ContentGeneration.objects.all().delete()
    assert "X-Page-Cache" not in reader.get("/").headers  # no state yet: render
    row = ContentGeneration.objects.get()
    assert row.generation > 1_000_000  # from the clock, never a reused number
    assert reader.get("/").headers["X-Page-Cache"] == "miss"
    assert reader.get("/").headers["X-Page-Cache"] == "hit"


def test_other_clock_driven_changes_can_register(reader, story, settings):
    settings.PAGE_CACHE_SECONDS = 7 * 86400
    start = timezone.now()
    window_closes = start + timedelta(minutes=5)

    def clock_driven(now):
        return window_closes if window_closes > now else None

    clocks.upcoming(clock_driven)
    try:
        with time_machine.travel(start, tick=False) as clock:
            generation.bump()
            warm(reader, "/")
            clock.shift(timedelta(minutes=5, seconds=1))
            assert reader.get("/").headers.get("X-Page-Cache") != "hit"
    finally:
        clocks.forget(clock_driven)


def test_browsers_get_cached_pages_gzipped(reader, story):
    import gzip

    plain = reader.get("/")
    assert plain.headers["X-Page-Cache"] == "miss"
    assert "Accept-Encoding" in plain["Vary"]
    hit = reader.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert hit.headers["X-Page-Cache"] == "hit"
    assert hit["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in hit["Vary"]
    assert gzip.decompress(hit.content) == plain.content
    assert int(hit["Content-Length"]) == len(hit.content) < len(plain.content)
    # A client that does not ask for gzip gets the page as it was rendered.
    again = reader.get("/")
    assert again.headers["X-Page-Cache"] == "hit"
    assert not again.has_header("Content-Encoding")
    assert again.content == plain.content


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


def publish(on_commit, **fields):
    """A story filed in a transaction that commits: the mirror is written then."""
    with on_commit(execute=True):
        return ArticleFactory(**fields)


def test_a_worker_keeps_its_own_copies_of_a_shared_cache_and_never_serves_stale(
    reader, story, shared_redis, django_capture_on_commit_callbacks
):
    warm(reader, "/")
    shared_redis.clear()  # the shared entry is gone; this worker's copy is not
    assert reader.get("/").headers["X-Page-Cache"] == "hit"
    publish(django_capture_on_commit_callbacks, headline="Filed after the copy")
    response, html = read(reader, "/")
    assert response.headers["X-Page-Cache"] == "miss"
    assert "Filed after the copy" in html


def test_with_redis_a_hit_reads_nothing_from_the_database(
    reader,
    story,
    shared_redis,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    warm(reader, "/", story.get_absolute_url())
    with django_assert_num_queries(0):
        assert reader.get("/").headers["X-Page-Cache"] == "hit"
        assert reader.get(story.get_absolute_url()).headers["X-Page-Cache"] == "hit"
    publish(django_capture_on_commit_callbacks, headline="Filed through the desk")
    response, html = read(reader, "/")
    assert response.headers["X-Page-Cache"] == "miss"
    assert "Filed through the desk" in html
    story.headline = "Corrected headline"
    with django_capture_on_commit_callbacks(execute=True):
        story.save()
    assert "Corrected headline" in read(reader, story.get_absolute_url())[1]


def test_the_redis_mirror_never_goes_back_to_an_older_generation(shared_redis):
    generation.bump()
    current, next_change, _ = generation.read_state()
    later = current + 10
    mirror.mirror((later, None, later))
    mirror.mirror((current, next_change, current))  # a slow reader
    assert mirror.mirrored_state()[0] == later


def test_a_lost_mirror_write_is_seen_once_the_mirror_expires(
    reader, story, shared_redis, django_capture_on_commit_callbacks, monkeypatch
):
    """The one case the mirror cannot see: the publishing server loses Redis just
    as its change commits. The mirror's expiry bounds how long that can last."""
    monkeypatch.setattr(mirror, "MIRROR_FRESH_MS", 200)
    warm(reader, "/")
    with django_capture_on_commit_callbacks(execute=False):  # the write is lost
        ArticleFactory(headline="Filed as Redis went away")
    time.sleep(0.25)
    response, html = read(reader, "/")
    assert response.headers["X-Page-Cache"] == "miss"
    assert "Filed as Redis went away" in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_generation_read_replaces_a_dead_database_connection(story):
    if connection.vendor != "postgresql":
        pytest.skip(
            "closing the raw connection of SQLite's in-memory test database "
            "would drop the database itself; runs on PostgreSQL"
        )
    generation.bump()
    connection.ensure_connection()
    dead = connection.connection
    dead.close()  # as after a database restart
    connection.health_check_done = False  # what a new request starts with
    current, _, _ = generation.read_state()
    assert current == generation._state().get().generation
    assert connection.connection is not dead


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
