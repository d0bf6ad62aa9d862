"""The page cache answers anonymous GETs with the page as rendered, until the
generation moves; anyone with a live session always gets a fresh page."""

import gzip
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from pagecache import clocks, generation
from pagecache.models import ContentGeneration
from pagecache.tests.site import state, warm

pytestmark = pytest.mark.django_db


def test_a_page_is_rendered_once_then_served_for_one_query(
    reader, django_assert_num_queries
):
    first = reader.get("/page/")
    assert state(first) == "miss"
    with django_assert_num_queries(1):  # the content generation
        second = reader.get("/page/")
    assert state(second) == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # The middleware outside the page cache still runs on a cached answer.
    assert second.has_header("Content-Security-Policy")


def test_a_bump_makes_every_page_a_miss(reader):
    warm(reader, "/page/", "/other/")
    before = reader.get("/page/").content
    generation.bump()
    for url in ["/page/", "/other/"]:
        response = reader.get(url)
        assert state(response) == "miss", url
    assert reader.get("/page/").content != before


def test_only_plain_gets_for_public_paths_are_cached(reader, settings):
    assert state(reader.head("/page/")) is None
    assert state(reader.post("/page/")) is None
    settings.PAGE_CACHE_SKIP_PATHS = ("/other/",)
    for _ in range(2):
        assert state(reader.get("/other/")) is None


def test_redirects_and_not_found_are_cached_but_cookies_are_not(reader):
    warm(reader, "/moved/", "/missing/")
    assert reader.get("/moved/").status_code == 301
    assert reader.get("/missing/").status_code == 404
    for _ in range(2):
        assert state(reader.get("/cookie/")) is None


def test_a_live_session_gets_fresh_pages_a_made_up_one_does_not(
    reader, django_user_model
):
    warm(reader, "/page/")
    for cookie in ["whatever", "k" * 32, "0123456789abcdefghijklmnopqrstuv"]:
        reader.cookies["sessionid"] = cookie
        assert state(reader.get("/page/")) == "hit", cookie
    member = Client()
    member.force_login(django_user_model.objects.create_user("desk-member"))
    first, second = member.get("/page/"), member.get("/page/")
    assert state(first) is None and state(second) is None
    assert first.content != second.content  # rendered each time


def test_pages_are_kept_per_address_and_host_whatever_the_language_asked(
    reader, settings
):
    # The address alone names a page's language: a reader's Accept-Language or
    # language cookie makes no second entry and changes nothing in the answer.
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    english = reader.get("/page/", HTTP_ACCEPT_LANGUAGE="en")
    assert state(english) == "miss"
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = reader.get("/page/", HTTP_ACCEPT_LANGUAGE="fr")
    assert state(french) == "hit" and french.content == english.content
    assert b" in en " in french.content and french["Content-Language"] == "en"
    assert "Accept-Language" not in french.get("Vary", "")
    other_host = reader.get("/page/", HTTP_HOST="other.example")
    assert state(other_host) == "miss"
    assert b"for other.example" in other_host.content


def test_browsers_get_cached_pages_gzipped(reader):
    plain = reader.get("/big/")
    assert state(plain) == "miss"
    assert "Accept-Encoding" in plain["Vary"]
    hit = reader.get("/big/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert state(hit) == "hit"
    assert hit["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in hit["Vary"]
    assert gzip.decompress(hit.content) == plain.content
    assert int(hit["Content-Length"]) == len(hit.content) < len(plain.content)
    # A client that does not ask for gzip gets the page as it was rendered.
    again = reader.get("/big/")
    assert state(again) == "hit"
    assert not again.has_header("Content-Encoding")
    assert again.content == plain.content


def test_a_fresh_database_starts_a_new_generation(reader):
    ContentGeneration.objects.all().delete()
    assert state(reader.get("/page/")) is None  # no state yet: render
    row = ContentGeneration.objects.get()
    assert row.generation > 1_000_000  # from the clock, never a reused number
    assert state(reader.get("/page/")) == "miss"
    assert state(reader.get("/page/")) == "hit"


def test_a_registered_moment_invalidates_every_page_when_it_comes(reader, settings):
    settings.PAGE_CACHE_SECONDS = 7 * 86400  # no help from entries running out
    start = timezone.now()
    window_closes = start + timedelta(minutes=5)

    def clock_driven(now):
        return window_closes if window_closes > now else None

    clocks.upcoming(clock_driven)
    try:
        with time_machine.travel(start, tick=False) as clock:
            generation.bump()
            warm(reader, "/page/")
            clock.shift(timedelta(minutes=4))
            assert state(reader.get("/page/")) == "hit"
            clock.shift(timedelta(minutes=1, seconds=1))  # nobody saves anything
            assert state(reader.get("/page/")) != "hit"
    finally:
        clocks.forget(clock_driven)
