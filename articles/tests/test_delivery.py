"""How answers travel: gzip for public answers, never for cookie-bound ones; the
favicon; uploads with a long public lifetime and no language variants."""

import gzip
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from articles.tests.factories import ArticleFactory, image_file

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def vary(response):
    return {value.strip().lower() for value in response.get("Vary", "").split(",")}


def assert_gzipped(response):
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "accept-encoding" in vary(response)
    return gzip.decompress(response.content)


@pytest.fixture
def story():
    return ArticleFactory(headline="Charter signed", topics=["Mali"])


def test_fresh_public_answers_are_gzipped(client, story):
    """The page cache is off under tests: every answer here is rendered fresh."""
    for url in [
        "/",
        story.get_absolute_url(),
        "/topics/mali/",
        "/search/?q=charter",
        "/feed/",
        "/sitemap.xml",
        "/api/stories/",
        "/api/openapi.json",
    ]:
        plain = client.get(url)
        assert "Content-Encoding" not in plain, url  # not asked for: not sent
        response = client.get(url, **GZIP)
        assert assert_gzipped(response) == plain.content, url
        assert len(response.content) < len(plain.content), url


def test_a_page_cache_miss_is_gzipped_like_a_hit(client, settings, story):
    settings.PAGE_CACHE_SECONDS = 600
    miss = client.get("/", **GZIP)
    assert miss["X-Page-Cache"] == "miss"
    hit = client.get("/", **GZIP)
    assert hit["X-Page-Cache"] == "hit"
    assert assert_gzipped(miss) == assert_gzipped(hit)


def test_an_editor_gets_public_pages_gzipped_but_not_desk_pages(editor_client, story):
    page = assert_gzipped(editor_client.get(story.get_absolute_url(), **GZIP))
    assert b"Charter signed" in page
    # Desk pages hold a CSRF token and unpublished work, and echo what is typed
    # in the search box: no compression (BREACH).
    for url in [
        "/admin/articles/article/?q=charter",
        f"/admin/articles/article/{story.pk}/change/",
        f"/preview/{story.pk}/",
    ]:
        response = editor_client.get(url, **GZIP)
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response, url
        assert "cookie" in vary(response), url


def test_the_login_page_with_its_csrf_token_is_not_gzipped(client):
    response = client.get("/admin/login/", **GZIP)
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response


def test_favicon_is_served_not_the_404_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content == Path(finders.find("favicon.ico")).read_bytes()
    assert response["Cache-Control"] == "public, max-age=604800"
    assert "accept-language" not in vary(response)
    # Pages link it too, so browsers need not guess.
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.ico"' in page


def test_uploads_are_cached_for_a_year_whatever_the_language(client):
    story = ArticleFactory(
        lead_image=image_file("sahel.png", (1300, 800)), lead_image_alt="Dunes"
    )
    urls = [story.lead_image.url, *story.lead_picture["all_jpeg"]]
    for url in urls:
        for language in ["en", "fr"]:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, **GZIP)
            assert response.status_code == 200, url
            assert response["Cache-Control"] == "public, max-age=31536000, immutable"
            assert "accept-language" not in vary(response), url
            assert "Content-Language" not in response, url
            assert "Content-Encoding" not in response, url  # images are compressed
            assert response["Content-Type"].startswith("image/"), url


def test_a_missing_upload_is_the_sites_404_page(client):
    response = client.get("/media/lead-images/2026/01/nothing.jpg")
    assert response.status_code == 404
    assert b"We could not find that page" in response.content
    # Never the year-long answer of a file; only the edge's short one for a 404.
    assert "immutable" not in response.get("Cache-Control", "")
    # Outside the media folder: refused, never read.
    outside = client.get("/media/../newsroom/settings.py")
    assert outside.status_code == 400
    assert b"SECRET_KEY" not in outside.content
