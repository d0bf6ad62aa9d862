"""A desk session ends after a working day of inactivity, and not before; readers
never get a session cookie."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.django_db

DESK = "/admin/"


def still_logged_in(client):
    response = client.get(DESK)
    if response.status_code == 302:
        assert response.url.startswith("/admin/login/")
        return False
    assert response.status_code == 200
    return True


def test_a_session_ends_after_ten_idle_hours(editor_client, settings):
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert still_logged_in(editor_client)
        clock.shift(timedelta(hours=10, minutes=1))
        assert not still_logged_in(editor_client)


def test_working_keeps_the_session_alive(editor_client):
    """Sliding: every stretch of work moves the end forward, so a long day with
    breaks never logs the editor out."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert still_logged_in(editor_client)
        for _ in range(3):  # 27 hours in all, never 10 idle
            clock.shift(timedelta(hours=9))
            assert still_logged_in(editor_client)
        clock.shift(timedelta(hours=10, minutes=1))
        assert not still_logged_in(editor_client)


def test_the_session_is_saved_at_most_every_few_minutes(editor_client, settings):
    cookie = settings.SESSION_COOKIE_NAME
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = editor_client.get(DESK)
        assert cookie in first.cookies
        assert first.cookies[cookie]["max-age"] == settings.SESSION_COOKIE_AGE
        clock.shift(timedelta(seconds=settings.SESSION_REFRESH_SECONDS - 10))
        assert cookie not in editor_client.get(DESK).cookies
        clock.shift(timedelta(seconds=20))
        assert cookie in editor_client.get(DESK).cookies


def test_readers_get_no_cookie_and_cached_pages(client, settings, story):
    from django.core.cache import cache

    from pagecache import entries as page_cache

    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    page_cache.recent.clear()
    for url in ["/", story.get_absolute_url(), "/topics/mali/"]:
        first = client.get(url)
        second = client.get(url)
        assert not first.cookies and not second.cookies, url
        assert second.headers["X-Page-Cache"] == "hit", url


def test_idle_hours_come_from_the_environment():
    from articles.tests.test_settings import run_python

    code = (
        "import django; from django.conf import settings; django.setup();"
        "print(settings.SESSION_COOKIE_AGE)"
    )
    assert run_python(code).stdout.strip() == "36000"
    assert run_python(code, DJANGO_SESSION_IDLE_HOURS="8").stdout.strip() == "28800"
