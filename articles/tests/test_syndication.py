"""Feeds, sitemap and robots: the pages machines read."""

import html
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.utils import timezone

from articles.sitemaps import ArticleSitemap
from articles.tests.factories import ArticleFactory, AuthorFactory, image_file

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"

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
    assert "Sitemap: http://testserver/sitemap-index.xml" in body
    assert "Sitemap: http://testserver/news-sitemap.xml" in body


def test_feed_enclosure_is_the_lead_image_with_length_and_type(client):
    story = ArticleFactory(
        lead_image=image_file("sahel.png"), lead_image_alt="A market in Gao"
    )
    story.authors.add(AuthorFactory(name="Moussa Traoré"))
    [item] = rss_items(client.get("/feed/"))
    enclosure = item.find("enclosure")
    assert enclosure.get("url").startswith("http://testserver/media/lead-images/")
    assert enclosure.get("type") == "image/png"
    assert int(enclosure.get("length")) == story.lead_image.size > 0
    assert "Moussa Traoré" in item.findtext("author", "") + item.findtext(
        "{http://purl.org/dc/elements/1.1/}creator", ""
    )


def sitemap_locs(response):
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return root, [loc.text for loc in root.iter(f"{SM}loc")]


def test_sitemap_is_newest_first_and_paged(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    now = timezone.now()
    stories = [
        ArticleFactory(published_at=now - timedelta(days=d), topics=["Mali"])
        for d in range(5)
    ]
    ArticleFactory(draft=True)
    root, locs = sitemap_locs(client.get("/sitemap.xml"))
    assert root.tag == f"{SM}urlset"
    story_locs = [loc for loc in locs if "/articles/" in loc]
    assert story_locs == [
        f"http://testserver{s.get_absolute_url()}" for s in stories[:2]
    ]
    _, page3 = sitemap_locs(client.get("/sitemap-articles.xml?p=3"))
    assert page3 == [f"http://testserver{stories[4].get_absolute_url()}"]
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404
    assert client.get("/sitemap-articles.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_index_lists_every_page(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for _ in range(5):
        ArticleFactory(topics=["Niger"])
    root, locs = sitemap_locs(client.get("/sitemap-index.xml"))
    assert root.tag == f"{SM}sitemapindex"
    assert locs == [
        "http://testserver/sitemap-home.xml",
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
        "http://testserver/sitemap-articles.xml?p=3",
        "http://testserver/sitemap-topics.xml",
        # No byline yet: no author pages, and no empty section to list.
    ]
    assert root.find(f"{SM}sitemap[2]/{SM}lastmod") is not None
    assert client.get("/sitemap-authors.xml").status_code == 404


def test_sitemap_lists_the_home_page_and_author_pages(client):
    writer = AuthorFactory(slug="awa-traore")
    ArticleFactory(authors=[writer], topics=["Mali"])
    AuthorFactory(slug="only-drafts").articles.add(ArticleFactory(draft=True))
    AuthorFactory(slug="no-stories")
    _, locs = sitemap_locs(client.get("/sitemap.xml"))
    assert "http://testserver/" in locs
    assert "http://testserver/authors/awa-traore/" in locs
    assert not [loc for loc in locs if "only-drafts" in loc or "no-stories" in loc]
    _, locs = sitemap_locs(client.get("/sitemap-authors.xml"))
    assert locs == ["http://testserver/authors/awa-traore/"]
    _, locs = sitemap_locs(client.get("/sitemap-home.xml"))
    assert locs == ["http://testserver/", "http://testserver/fr/"]  # each edition's


def test_a_new_site_has_a_sitemap_with_its_home_page(client):
    _, locs = sitemap_locs(client.get("/sitemap.xml"))
    assert locs == ["http://testserver/", "http://testserver/fr/"]
    _, locs = sitemap_locs(client.get("/sitemap-index.xml"))
    assert locs == ["http://testserver/sitemap-home.xml"]
    for section in ["articles", "topics", "authors"]:
        assert client.get(f"/sitemap-{section}.xml").status_code == 404
    root, locs = sitemap_locs(client.get("/news-sitemap.xml"))
    assert locs == ["http://testserver/"] and root.find(f"{SM}url/{NEWS}news") is None


def test_news_sitemap_holds_the_last_48_hours(client):
    with time_machine.travel(datetime(2026, 3, 10, 12, 0, tzinfo=UTC), tick=False):
        now = timezone.now()
        fresh = ArticleFactory(
            headline="Fresh <news> & more", published_at=now - timedelta(hours=47)
        )
        old = ArticleFactory(published_at=now - timedelta(hours=49))
        ArticleFactory(draft=True)
        ArticleFactory(scheduled=True)
        root, locs = sitemap_locs(client.get("/news-sitemap.xml"))
        assert locs == [f"http://testserver{fresh.get_absolute_url()}"]
        news = root.find(f"{SM}url/{NEWS}news")
        assert news.findtext(f"{NEWS}title") == "Fresh <news> & more"
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == "AES Newsroom"
        assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
        assert news.findtext(f"{NEWS}publication_date").startswith("2026-03-08T")
    with time_machine.travel(datetime(2026, 3, 10, 13, 1, tzinfo=UTC), tick=False):
        # Nothing in the window: the newest story, no longer as news (an empty
        # <urlset> is not a valid sitemap).
        root, locs = sitemap_locs(client.get("/news-sitemap.xml"))
        assert locs == [f"http://testserver{fresh.get_absolute_url()}"]
        assert root.find(f"{SM}url/{NEWS}news") is None
    assert (
        old.get_absolute_url() not in client.get("/news-sitemap.xml").content.decode()
    )


def test_topic_counts_follow_the_clock_without_any_save(client, time_machine):
    """Cached topic counts end when a scheduled story goes live or one expires."""
    from django.utils import timezone

    from articles.sitemaps import news_window_closes

    time_machine.move_to("2026-05-01 09:00Z", tick=False)
    now = timezone.now()
    ArticleFactory(topics=["Mali"], published_at=now - timedelta(hours=1))
    ArticleFactory(topics=["Niger"], published_at=now + timedelta(hours=1))
    ArticleFactory(
        topics=["Chad"],
        published_at=now - timedelta(days=2),
        unpublish_at=now + timedelta(minutes=30),
    )
    page = client.get("/topics/").content.decode()
    assert "/topics/chad/" in page and "/topics/niger/" not in page

    time_machine.move_to("2026-05-01 10:00Z", tick=False)
    page = client.get("/topics/").content.decode()
    assert "/topics/niger/" in page and "/topics/chad/" not in page
    # The news sitemap's window closes 48 hours after its oldest story.
    assert news_window_closes(timezone.now()) == now - timedelta(hours=1) + timedelta(
        hours=48
    )


class Tags(HTMLParser):
    """The start tags a reader would find if it rendered a text as HTML."""

    def __init__(self, text):
        super().__init__()
        self.found = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append(tag)


HOSTILE = "<img src=x onerror=alert(1)>"


class TestPlainTextArrivesAsText:
    """Headline, dek, topic and byline are plain text; no reader may see markup.

    RSS 2.0 allows entity-encoded HTML in an item's description, and readers render
    it as HTML: the dek is escaped as HTML, then as XML (as the W3C feed validator
    asks for text in an HTML element). Titles, categories and authors are plain text
    that some readers show as text and others render as HTML (RSS Advisory Board):
    only `<` and `>` are escaped there, so no tag can open in either kind of reader
    and an ordinary `&` or quote reads right in both.
    """

    @pytest.fixture
    def hostile(self):
        story = ArticleFactory(
            headline=f"Charter {HOSTILE}",
            dek=f"Three juntas {HOSTILE}",
            topics=[f"Sahel {HOSTILE}"],
        )
        story.authors.add(AuthorFactory(name=f"Aminata {HOSTILE}"))
        return story

    def test_no_element_carries_markup_once_decoded(self, client, hostile):
        response = client.get("/feed/")
        [item] = rss_items(response)
        texts = {
            "title": item.findtext("title"),
            "description": item.findtext("description"),
            "category": item.findtext("category"),
            "author": item.findtext("{http://purl.org/dc/elements/1.1/}creator"),
        }
        for name, text in texts.items():
            assert "onerror" in text, name  # still there, as text
            assert Tags(text).found == [], name
        assert (
            "<description>Three juntas &amp;lt;img src=x onerror=alert(1)&amp;gt;"
            "</description>"
        ) in response.content.decode()

    def test_the_dek_reads_as_written_once_rendered(self, client, hostile):
        [item] = rss_items(client.get("/feed/"))
        assert html.unescape(item.findtext("description")) == hostile.dek

    def test_the_topic_feed_names_its_topic_as_text(self, client, hostile):
        from articles.models import Topic

        topic = Topic.objects.get()
        topic.description = f"All about {HOSTILE}"
        topic.save()
        channel = ET.fromstring(client.get(f"/topics/{topic.slug}/feed/").content)
        for name in ["channel/title", "channel/description"]:
            text = channel.findtext(name)
            assert "onerror" in text and Tags(text).found == [], name

    def test_ordinary_punctuation_reads_right(self, client):
        ArticleFactory(
            headline="Mali & Niger’s “pact”, Burkina's too",
            dek="Q&A: what’s next for the AES",
            topics=["Côte d’Ivoire & Co"],
        )
        [item] = rss_items(client.get("/feed/"))
        assert item.findtext("title") == "Mali & Niger’s “pact”, Burkina's too"
        assert item.findtext("category") == "Côte d’Ivoire & Co"
        rendered = html.unescape(item.findtext("description"))
        assert rendered == "Q&A: what’s next for the AES"
