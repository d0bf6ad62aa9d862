"""Feeds, sitemap and robots: the pages machines read."""

import xml.etree.ElementTree as ET

import pytest

from articles.tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def rss_items(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).findall("./channel/item")


def test_site_feed_items_carry_the_story(client):
    story = ArticleFactory(
        headline="Charter signed", dek="Three juntas", topics=["Mali", "AES"]
    )
    story.authors.add(AuthorFactory(name="Aminata Diallo"))
    ArticleFactory(draft=True, headline="Draft")
    ArticleFactory(scheduled=True, headline="Scheduled")
    [item] = rss_items(client.get("/feed/"))
    assert item.findtext("title") == "Charter signed"
    assert item.findtext("description") == "Three juntas"
    assert item.findtext("link").endswith(story.get_absolute_url())
    assert sorted(c.text for c in item.findall("category")) == ["AES", "Mali"]
    assert item.findtext("pubDate")


def test_topic_feed_lists_only_its_stories(client):
    mali = ArticleFactory(topics=["Mali"])
    ArticleFactory(topics=["Niger"])
    ArticleFactory(draft=True, topics=["Mali"])
    items = rss_items(client.get("/topics/mali/feed/"))
    assert [i.findtext("link").split("testserver")[1] for i in items] == [
        mali.get_absolute_url()
    ]
    assert client.get("/topics/nothing/feed/").status_code == 404


def test_topic_carried_only_by_drafts_has_no_feed(client):
    ArticleFactory(draft=True, topics=["Secret operation"])
    ArticleFactory(scheduled=True, topics=["Secret operation"])
    assert client.get("/topics/secret-operation/feed/").status_code == 404


def test_feeds_are_advertised(client):
    ArticleFactory(topics=["Mali"])
    page = client.get("/topics/mali/").content.decode()
    assert 'type="application/rss+xml"' in page and "/topics/mali/feed/" in page


def test_sitemap_lists_published_stories_and_topics(client):
    live = ArticleFactory(topics=["Mali"])
    draft = ArticleFactory(draft=True, topics=["Hidden"])
    scheduled = ArticleFactory(scheduled=True)
    body = client.get("/sitemap.xml").content.decode()
    assert live.get_absolute_url() in body and "/topics/mali/" in body
    assert "<lastmod>" in body
    for hidden in [
        draft.get_absolute_url(),
        scheduled.get_absolute_url(),
        "/topics/hidden/",
    ]:
        assert hidden not in body


def test_robots_points_to_sitemap_and_keeps_desk_out(client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body and "Disallow: /preview/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
