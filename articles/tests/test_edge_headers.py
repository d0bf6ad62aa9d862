"""Shared-cache headers and surrogate keys on public pages (edge/headers.py,
articles/edge_keys.py)."""

import re

import pytest
from django.test import Client

from articles.models import Topic
from articles.tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edge_settings(settings):
    settings.EDGE_CACHE_SECONDS = 900
    settings.EDGE_BROWSER_SECONDS = 45
    settings.EDGE_CACHE_404_SECONDS = 20
    settings.EDGE_STALE_WHILE_REVALIDATE = 15
    settings.EDGE_STALE_IF_ERROR = 7200
    return settings


@pytest.fixture
def site():
    author = AuthorFactory(slug="amina", name="Amina")
    sahel = Topic.objects.create(name="Sahel", slug="sahel")
    mali = Topic.objects.create(name="Mali", slug="mali", parent=sahel)
    story = ArticleFactory(topics=["Mali"], authors=[author], slug="bamako")
    other = ArticleFactory(topics=["Chad"], slug="ndjamena")
    return {"author": author, "sahel": sahel, "mali": mali, "story": story,
            "other": other, "chad": Topic.objects.get(name="Chad")}  # fmt: skip


def keys(response):
    return response["xkey"].split()


def test_home_is_public_for_shared_caches_and_names_its_stories(
    client, site, edge_settings
):
    response = client.get("/")
    assert response["Cache-Control"] == (
        "public, max-age=45, s-maxage=900, stale-while-revalidate=15, "
        "stale-if-error=7200"
    )
    shown = keys(response)
    assert {"home-en", "site", f"s{site['story'].pk}", f"s{site['other'].pk}",
            f"a{site['author'].pk}"} <= set(shown)  # fmt: skip
    assert shown[:2] == ["home-en", "site"]  # the lists first
    assert "Surrogate-Key" not in response and "Cache-Tag" not in response


def test_a_story_page_names_the_story_its_topics_and_byline_not_a_list(client, site):
    story, mali = site["story"], site["mali"]
    shown = set(keys(client.get(story.get_absolute_url())))
    assert {f"s{story.pk}", f"t{mali.pk}", f"a{site['author'].pk}", "site"} <= shown
    assert not {key for key in shown if "-" in key or key.startswith("tl")}


def test_a_topic_page_is_its_list_and_shows_its_stories(client, site):
    shown = set(keys(client.get("/topics/sahel/")))
    sahel, story = site["sahel"], site["story"]
    assert {f"tl{sahel.pk}", f"t{sahel.pk}", f"s{story.pk}"} <= shown
    assert f"s{site['other'].pk}" not in shown


def test_lists_name_themselves_per_edition(client, site):
    assert "feed-en" in keys(client.get("/feed/"))
    assert "search-en" in keys(client.get("/search/?q=story"))
    assert "topics-en" in keys(client.get("/topics/"))
    assert "corrections-en" in keys(client.get("/corrections/"))
    assert "sitemap" in keys(client.get("/sitemap.xml"))
    assert "api" in keys(client.get("/api/stories/"))
    assert f"al{site['author'].pk}" in keys(client.get("/authors/amina/"))
    assert f"tl{site['mali'].pk}" in keys(client.get("/topics/mali/feed/"))


def test_a_404_is_kept_briefly_and_purged_when_an_address_appears(
    client, site, edge_settings
):
    response = client.get("/articles/not-yet/")
    assert response.status_code == 404
    assert "s-maxage=20" in response["Cache-Control"]
    assert "max-age=20," in response["Cache-Control"]
    assert "missing" in keys(response)


def test_too_many_items_give_way_to_big(client, site, settings):
    settings.EDGE_MAX_KEYS = 2
    shown = keys(client.get("/"))
    assert "big" in shown
    assert not [key for key in shown if re.fullmatch(r"[sta][0-9]+", key)]


def test_provider_headers_follow_the_backend(client, site, settings):
    settings.EDGE_PURGE_BACKEND = "fastly"
    response = client.get("/")
    assert response["Surrogate-Key"] == response["xkey"]
    settings.EDGE_PURGE_BACKEND = "cloudflare"
    response = client.get("/")
    assert response["Cache-Tag"] == response["xkey"].replace(" ", ",")


def test_the_desk_and_sessions_stay_private(editor_client, site):
    response = editor_client.get("/")
    assert response["Cache-Control"] == "private"
    assert "xkey" not in response
    response = editor_client.get(f"/preview/{site['story'].pk}/")
    assert "public" not in response["Cache-Control"] and "xkey" not in response
    assert "public" not in Client().get("/healthz")["Cache-Control"]


def test_an_answer_setting_a_cookie_stays_private(client, site):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert "public" not in response.get("Cache-Control", "")
    # A GET that sets the language cookie is not public either.
    response = client.get("/i18n/setlang/?language=fr&next=/")
    assert "xkey" not in response


def test_page_cache_hits_carry_the_same_headers(client, site, settings):
    settings.PAGE_CACHE_SECONDS = 600
    for address in ("/", site["story"].get_absolute_url(), "/articles/nowhere/"):
        first = client.get(address)
        again = client.get(address)
        assert again["X-Page-Cache"] == "hit", address
        assert again["Cache-Control"] == first["Cache-Control"]
        assert again["xkey"] == first["xkey"]
        assert "public" in again["Cache-Control"]
