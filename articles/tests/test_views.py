import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from articles import services
from articles.models import Topic
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    RelatedStoryFactory,
)

pytestmark = pytest.mark.django_db


class Hooks(HTMLParser):
    """Collect the markup hooks the public contract names."""

    def __init__(self):
        super().__init__()
        self.h1, self.meta, self.links, self.article_links = 0, {}, {}, []
        self.related, self._in_related, self._article_depth = [], 0, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h1":
            self.h1 += 1
        if tag == "meta" and "property" in attrs:
            self.meta[attrs["property"]] = attrs.get("content")
        if tag == "link" and "rel" in attrs:
            self.links[attrs["rel"]] = attrs.get("href")
        if tag == "article":
            self._article_depth += 1
        if tag == "ol" and attrs.get("id") == "related-stories":
            self._in_related = 1
        if tag == "a":
            if self._in_related:
                self.related.append(attrs["href"])
            if self._article_depth:
                self.article_links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "article":
            self._article_depth -= 1
        if tag == "ol":
            self._in_related = 0


def hooks(response):
    parser = Hooks()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def newsroom():
    """Live stories and one of every kind that must stay hidden."""
    live = ArticleFactory(headline="Charter signed in Bamako", topics=["Mali", "AES"])
    other = ArticleFactory(headline="Niger coup anniversary", topics=["Niger", "AES"])
    hidden = {
        "draft": ArticleFactory(
            draft=True, headline="SECRET DRAFT", topics=["Mali", "Hidden"]
        ),
        "review": ArticleFactory(
            review=True, headline="SECRET REVIEW", topics=["Mali", "AES"]
        ),
        "scheduled": ArticleFactory(
            scheduled=True, headline="SECRET SCHEDULED", topics=["Mali", "AES"]
        ),
    }
    # Curate hidden stories onto a live one: they must still not show.
    for position, story in enumerate(hidden.values()):
        RelatedStoryFactory(article=live, story=story, position=position)
    # One byline on live and hidden stories alike: its page shows only the live.
    writer = AuthorFactory(name="Desk Writer", slug="desk-writer")
    for story in [live, *hidden.values()]:
        story.authors.add(writer)
    return live, other, hidden


PUBLIC_PAGES = [
    "/",
    "/topics/",
    "/topics/mali/",
    "/topics/aes/",
    "/search/?q=secret",
    "/search/?q=charter",
    "/feed/",
    "/topics/mali/feed/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/news-sitemap.xml",
    "/authors/desk-writer/",
    "/api/stories/",
    "/api/stories/?topic=mali",
    "/api/topics/",
]


class TestDraftSweep:
    def test_hidden_stories_answer_404(self, client, newsroom):
        for story in newsroom[2].values():
            assert client.get(story.get_absolute_url()).status_code == 404

    def test_hidden_stories_appear_on_no_public_page(self, client, newsroom):
        live = newsroom[0]
        for url in [*PUBLIC_PAGES, live.get_absolute_url()]:
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.content.decode()
            assert "SECRET" not in page, url
            for story in newsroom[2].values():
                assert story.get_absolute_url() not in page, url

    def test_counts_leave_hidden_stories_out(self, client, newsroom):
        page = client.get("/topics/").content.decode()
        assert re.search(r"Mali</a>\s*<span class=\"count\">1 story", page)
        assert re.search(r"Alliance|AES</a>\s*<span class=\"count\">2 stories", page)
        # A topic that only hidden stories carry has no public page yet.
        assert "Hidden" not in page
        assert client.get("/topics/hidden/").status_code == 404


class TestArticlePage:
    def test_contract_hooks(self, client, newsroom):
        live, other, _ = newsroom
        RelatedStoryFactory(article=live, story=other, position=9)
        response = client.get(live.get_absolute_url())
        page = hooks(response)
        assert page.h1 == 1
        assert page.related == [other.get_absolute_url()]
        assert page.links["canonical"] == f"http://testserver{live.get_absolute_url()}"
        assert page.meta["og:title"] == live.headline
        assert page.meta["og:url"] == page.links["canonical"]
        body = response.content.decode()
        assert 'href="/topics/mali/"' in body and 'href="/topics/aes/"' in body

    def test_old_slug_redirects_permanently(self, client, newsroom):
        live = newsroom[0]
        old_url = live.get_absolute_url()
        live.slug = "charter-signed-in-bamako-2023"
        services.save_story(story=live)
        response = client.get(old_url)
        assert response.status_code == 301
        assert response["Location"] == "/articles/charter-signed-in-bamako-2023/"

    def test_old_slug_of_an_unpublished_story_is_404(self, client):
        story = ArticleFactory(slug="before")
        story.slug, story.status = "after", "draft"
        services.save_story(story=story)
        assert client.get("/articles/before/").status_code == 404

    def test_unknown_article_is_404(self, client):
        assert client.get("/articles/no-such-story/").status_code == 404

    def test_body_and_sources_render(self, client):
        story = ArticleFactory(
            body="<p>Hello <strong>Sahel</strong></p>", sources="Report A"
        )
        page = client.get(story.get_absolute_url()).content.decode()
        assert "<p>Hello <strong>Sahel</strong></p>" in page
        assert "Report A" in page


class TestPreview:
    def test_editor_previews_a_draft_unindexed(self, editor_client):
        draft = ArticleFactory(draft=True, headline="Desk draft")
        response = editor_client.get(f"/preview/{draft.pk}/")
        assert response.status_code == 200
        assert "Desk draft" in response.content.decode()
        assert "Preview" in response.content.decode()
        assert response["X-Robots-Tag"].startswith("noindex")
        assert "no-cache" in response["Cache-Control"]

    def test_readers_cannot_preview(self, client):
        draft = ArticleFactory(draft=True)
        response = client.get(f"/preview/{draft.pk}/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


class TestTopicPage:
    @pytest.fixture
    def big_topic(self):
        return [ArticleFactory(topics=["Niger"]) for _ in range(45)]

    def test_paginated_twenty_a_page_newest_first(self, client, big_topic):
        page1 = hooks(client.get("/topics/niger/"))
        page3 = hooks(client.get("/topics/niger/?page=3"))
        assert len(page1.article_links) == 20
        assert len(page3.article_links) == 5
        newest = sorted(big_topic, key=lambda a: (a.published_at, a.pk), reverse=True)
        assert page1.article_links[0] == newest[0].get_absolute_url()

    @pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1.5"])
    def test_bad_page_numbers_are_404(self, client, big_topic, page):
        assert client.get(f"/topics/niger/?page={page}").status_code == 404

    def test_a_nul_page_number_is_400(self, client, big_topic):
        assert client.get("/topics/niger/?page=%00").status_code == 400

    def test_description_and_featured_story(self, client):
        featured = ArticleFactory(headline="The charter, explained", topics=["AES"])
        ArticleFactory(topics=["AES"])
        Topic.objects.filter(slug="aes").update(
            description="The alliance of Mali, Burkina Faso and Niger.",
            featured_article=featured,
        )
        page = client.get("/topics/aes/").content.decode()
        assert "The alliance of Mali, Burkina Faso and Niger." in page
        main = page.split("<main", 1)[1]
        assert main.count("The charter, explained") == 2  # featured, and in the list

    def test_unpublished_featured_story_is_not_shown(self, client):
        ArticleFactory(topics=["AES"])
        hidden = ArticleFactory(draft=True, headline="Hidden feature", topics=["AES"])
        Topic.objects.filter(slug="aes").update(featured_article=hidden)
        assert "Hidden feature" not in client.get("/topics/aes/").content.decode()

    def test_accented_topic_page(self, client):
        ArticleFactory(topics=["Tillabéri"])
        response = client.get("/topics/tillaberi/")
        assert response.status_code == 200
        assert "Tillabéri" in response.content.decode()


class TestHomeAndIndex:
    def test_home_lists_latest_stories_as_articles(self, client, newsroom):
        page = hooks(client.get("/"))
        live, other, _ = newsroom
        story_links = {link for link in page.article_links if "/authors/" not in link}
        assert story_links == {
            live.get_absolute_url(),
            other.get_absolute_url(),
        }

    def test_every_page_has_canonical_and_og(self, client, newsroom):
        for url in [
            "/",
            "/topics/",
            "/topics/aes/",
            "/search/?q=niger",
            "/topics/aes/?page=1",
        ]:
            page = hooks(client.get(url))
            assert page.links["canonical"].startswith("http://testserver/"), url
            assert page.meta["og:title"], url
            assert page.meta["og:url"] == page.links["canonical"], url

    def test_a_missing_page_names_no_canonical_address(self, client):
        response = client.get("/no-such-page/?page=2")
        assert response.status_code == 404
        page = hooks(response)
        assert "canonical" not in page.links
        assert "og:url" not in page.meta
        assert '<meta name="robots" content="noindex">' in response.content.decode()


class TestSearch:
    def test_finds_by_headline_body_and_topic(self, client):
        in_headline = ArticleFactory(headline="ECOWAS threatens force")
        in_body = ArticleFactory(body="<p>about ECOWAS</p>")
        in_topics = ArticleFactory(topics=["ECOWAS"])
        ArticleFactory(headline="Unrelated")
        page = hooks(client.get("/search/?q=ecowas"))
        assert page.article_links[0] == in_headline.get_absolute_url()
        assert set(page.article_links) == {
            story.get_absolute_url() for story in [in_headline, in_body, in_topics]
        }

    def test_headline_matches_rank_first(self, client):
        older = ArticleFactory(
            headline="Niger in focus", published_at=timezone.now() - timedelta(days=9)
        )
        newer = ArticleFactory(headline="Other news", body="<p>Niger</p>")
        page = hooks(client.get("/search/?q=niger"))
        assert page.article_links == [
            older.get_absolute_url(),
            newer.get_absolute_url(),
        ]

    @pytest.mark.parametrize(
        "query",
        ["", "   ", "%", "'; DROP TABLE articles_article; --", "x" * 5000, "<script>"],
    )
    def test_hostile_or_empty_queries_get_a_page(self, client, query):
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_reports_a_dead_database(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    assert client.get("/healthz").status_code == 503
