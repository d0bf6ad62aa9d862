"""A page is rendered once, then read from its prepared copy until something it
shows changes (`edge.changes`), it expires, or the clock moves a story."""

import gzip
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from edge import changes
from pagecache import clocks, generation
from pagecache.clocks import micros
from prepared.models import PreparedPage
from prepared.tests import urls


def test_the_second_read_is_the_copy_in_two_queries(client):
    first = client.get("/item/1/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/item/1/")
    assert first["X-Prepared"] == "miss"
    assert second["X-Prepared"] == "hit"
    assert second.content == first.content
    for header in ("Content-Language", "Content-Type", "X-Robots-Tag"):
        assert second[header] == first[header]
    assert len(queries) == 2


def test_a_browser_gets_the_copy_compressed(client):
    first = client.get("/item/1/")
    second = client.get("/item/1/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert second["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in second["Vary"]
    assert gzip.decompress(second.content) == first.content
    assert int(second["Content-Length"]) == len(second.content)


def test_each_page_of_a_list_is_its_own_copy(client):
    first = client.get("/item/1/?page=2&utm_source=x")
    assert client.get("/item/1/?page=02")["X-Prepared"] == "hit"
    other = client.get("/item/1/")
    assert other["X-Prepared"] == "miss"
    assert b"page 2" in first.content and b"page 1" in other.content


def test_only_page_numbers_are_kept_so_a_crawler_cannot_write_without_end(client):
    # `size` is read by the page (a number), but any number of them could be
    # asked for: answered, never kept.
    for size in range(1, 4):
        response = client.get(f"/item/1/?page=2&size={size}")
        assert response.status_code == 200
        assert "X-Prepared" not in response
    assert not PreparedPage.objects.exists()


def test_a_search_is_never_kept(client):
    client.get("/search/?q=mali")
    assert "X-Prepared" not in client.get("/search/?q=mali")
    assert not PreparedPage.objects.exists()


def test_the_desk_reads_the_same_copy(client, django_user_model):
    first = client.get("/item/1/")
    client.force_login(django_user_model.objects.create_user("desk"))
    again = client.get("/item/1/")
    assert again["X-Prepared"] == "hit"
    assert again.content == first.content


def test_the_copy_names_what_it_shows_to_the_edge(client):
    first = client.get("/item/4/")
    second = client.get("/item/4/")
    assert second["X-Prepared"] == "hit"
    assert second["xkey"] == first["xkey"]
    assert {"tl4", "s4"} <= set(second["xkey"].split())


def test_a_change_to_what_the_page_shows_makes_it_render_again(client):
    first = client.get("/item/1/")
    changes.record({"s1"})
    again = client.get("/item/1/")
    assert again["X-Prepared"] == "miss"
    assert again.content != first.content
    assert client.get("/item/1/")["X-Prepared"] == "hit"


def test_a_change_to_its_list_makes_it_render_again(client):
    client.get("/item/1/")
    changes.record({"tl1"})
    assert client.get("/item/1/")["X-Prepared"] == "miss"


def test_a_change_elsewhere_leaves_the_copy(client):
    first = client.get("/item/1/")
    changes.record({"s2", "tl2", "t9"})
    again = client.get("/item/1/")
    assert again["X-Prepared"] == "hit"
    assert again.content == first.content


def test_a_change_to_the_whole_site_makes_every_page_render_again(client):
    client.get("/item/1/")
    client.get("/item/2/")
    changes.record({"site"})
    assert client.get("/item/1/")["X-Prepared"] == "miss"
    assert client.get("/item/2/")["X-Prepared"] == "miss"


def test_a_change_committed_while_the_page_rendered_makes_the_copy_stale(client):
    # The page read what it shows before the change; the copy must not outlive it.
    urls.during_render.append(lambda: changes.record({"s1"}))
    client.get("/item/1/")
    urls.during_render.clear()
    assert client.get("/item/1/")["X-Prepared"] == "miss"
    assert client.get("/item/1/")["X-Prepared"] == "hit"


def test_an_expired_copy_is_rendered_again(client):
    client.get("/item/1/")
    PreparedPage.objects.update(expires_us=micros(timezone.now()) - 1)
    assert client.get("/item/1/")["X-Prepared"] == "miss"


def test_a_copy_expires_after_the_setting(client, settings):
    settings.PREPARED_PAGE_SECONDS = 120
    before = micros(timezone.now())
    client.get("/item/1/")
    kept = PreparedPage.objects.get()
    assert before + 120_000_000 <= kept.expires_us <= micros(timezone.now()) + 120e6


def test_a_copy_expires_when_the_clock_next_changes_a_page(client):
    # A story shown on it may expire then, with nobody saving anything.
    soon = timezone.now().replace(microsecond=0) + timedelta(seconds=30)

    def next_moment(now):
        return soon

    clocks.upcoming(next_moment)
    try:
        generation.bump()
        client.get("/item/1/")
    finally:
        clocks.forget(next_moment)
    assert PreparedPage.objects.get().expires_us == micros(soon)


def test_nothing_is_kept_with_the_setting_at_zero(client, settings):
    settings.PREPARED_PAGE_SECONDS = 0
    assert "X-Prepared" not in client.get("/item/1/")
    assert not PreparedPage.objects.exists()


def test_nothing_is_kept_or_served_while_changes_are_not_recorded(client, settings):
    client.get("/item/1/")
    settings.EDGE_RECORD_CHANGES = False  # nothing would tell a copy it is stale
    first, again = client.get("/item/1/"), client.get("/item/1/")
    assert "X-Prepared" not in first and "X-Prepared" not in again
    assert first.content != again.content


def test_an_answer_that_sets_a_cookie_or_is_not_a_page_is_not_kept(client):
    first, second = client.get("/cookie/"), client.get("/cookie/")
    assert first.content != second.content
    assert client.get("/missing/").status_code == 404
    assert not PreparedPage.objects.exists()


def test_one_copy_per_host(client, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    client.get("/item/1/", HTTP_HOST="a.example")
    assert client.get("/item/1/", HTTP_HOST="b.example")["X-Prepared"] == "miss"
    assert PreparedPage.objects.count() == 2


def test_prune_deletes_only_copies_that_can_no_longer_be_served(client):
    from io import StringIO

    from django.core.management import call_command

    client.get("/item/1/")
    client.get("/item/2/")
    PreparedPage.objects.filter(path="/item/1/").update(
        expires_us=micros(timezone.now()) - 1
    )
    out = StringIO()
    call_command("prune_prepared", stdout=out)
    assert "1 expired deleted, 1 kept" in out.getvalue()
    assert list(PreparedPage.objects.values_list("path", flat=True)) == ["/item/2/"]
    assert client.get("/item/2/")["X-Prepared"] == "hit"
