"""Every public page runs the same number of queries whatever the archive size."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Topic
from articles.tests.factories import ArticleFactory, AuthorFactory, RelatedStoryFactory

pytestmark = pytest.mark.django_db

# A search on PostgreSQL asks for its tsquery first (articles.search).
TSQUERY = int(connection.vendor == "postgresql")


@pytest.fixture(autouse=True)
def rendered(settings):
    """What rendering costs: no copy prepared ahead (prepared/), whose read costs
    two queries at any size (test_a_prepared_story_page_costs_two_queries)."""
    settings.PREPARED_PAGE_SECONDS = 0


TOPICS = [
    "Mali",
    "Niger",
    "Burkina Faso",
    "AES",
    "ECOWAS",
    "G5 Sahel",
    "France",
    "Chad",
]


def build_archive(size):
    """Stories in both editions: every eighth in French, the second one a French
    translation of the first (the page measured)."""
    authors = [AuthorFactory(slug=f"reporter-{letter}") for letter in "abc"]
    stories = []
    for i in range(size):
        story = ArticleFactory(
            topics=[TOPICS[i % 8], TOPICS[(i * 3) % 8], "AES"],
            language="fr" if i % 8 == 1 else "en",
            translation_of=stories[0] if i == 1 else None,
        )
        story.authors.add(authors[i % 3])
        stories.append(story)
    for i in range(min(size - 1, 3)):
        RelatedStoryFactory(article=stories[0], story=stories[i + 1], position=i)
    ArticleFactory(draft=True, topics=["Mali"])
    Topic.objects.filter(name="AES").update(featured_article=stories[-1])
    return stories[0]


# The other edition's lists, at its prefix.
FRENCH_PAGES = [
    "/fr/",
    "/fr/topics/",
    "/fr/topics/aes/",
    "/fr/topics/aes/timeline/",
    "/fr/search/?q=story",
    "/fr/feed/",
    "/fr/topics/aes/feed/",
    "/fr/corrections/",
    "/fr/authors/reporter-b/",
]


def translation_of(story):
    return story.translations.get().get_absolute_url()


def pages(story):
    return [
        *FRENCH_PAGES,
        translation_of(story),
        "/",
        story.get_absolute_url(),
        "/topics/",
        "/topics/aes/",
        "/topics/aes/?page=2",
        "/topics/aes/timeline/",
        "/search/?q=story",
        "/search/?q=story&topic=aes",
        "/feed/",
        "/topics/aes/feed/",
        "/sitemap.xml",
        "/corrections/",
        "/sitemap-index.xml",
        "/sitemap-articles.xml",
        "/sitemap-authors.xml",
        "/news-sitemap.xml",
        "/authors/reporter-a/",
        "/api/stories/",
        "/api/stories/?topic=aes",
        f"/api/stories/{story.slug}/",
        "/api/topics/",
    ]


def count_queries(client, url):
    cache.clear()  # the topic map and counts: measure the cold cost
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("size", [25, 140])
def test_page_queries_are_bounded(
    client, size, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    # As in production, each write's commit looks ahead to the next scheduled
    # change (pagecache/generation.py), so the first reader does not.
    with django_capture_on_commit_callbacks(execute=True):
        story = build_archive(size)
    limits = {
        # the content generation (which the topic map is kept by); stories,
        # authors, main topics; cold topic counts (when they last changed, per
        # topic, total, next scheduled publication and expiry)
        "/": 9,
        # generation, story, tags, authors, related (3), cold topic map (1) and
        # counts (2), notes, stories citing it, its translations
        story.get_absolute_url(): 13,
        translation_of(story): 13,  # its French translation: the same
        "/topics/": 2,  # counts, topics
        # topic, topic map, count, page ids, stories, authors, featured (2), facts,
        # related topics
        "/topics/aes/": 10,
        "/topics/aes/?page=2": 6,
        # topic, topic map, count, page ids, stories, authors, events, event links
        "/topics/aes/timeline/": 8,
        # count, page, authors, topic choices; on PostgreSQL first the tsquery,
        # asked once so that each statement holds it as a constant
        "/search/?q=story": 4 + TSQUERY,
        # the topic, how many live stories it has (at most search_ranking.FEW + 1),
        # then as above (the count: each of a few ranked one by one)
        "/search/?q=story&topic=aes": 6 + TSQUERY,
        "/feed/": 3,
        # generation, topic, page ids, stories, authors, topics
        "/topics/aes/feed/": 6,
        # generation, stories, count and page of topics, of authors
        "/sitemap.xml": 6,
        "/corrections/": 2,  # count, page with its stories
        "/sitemap-index.xml": 4,  # count and latest change, per section
        # generation, stories, their published translations (hreflang alternates)
        "/sitemap-articles.xml": 3,
        "/sitemap-authors.xml": 2,  # count, page
        "/news-sitemap.xml": 2,
        # author, count, page, authors, the languages of their stories
        "/authors/reporter-a/": 5,
        "/api/stories/": 5,  # count, page, authors, topics, translations
        "/api/stories/?topic=aes": 6,  # the topic, then as above
        # story, tags, authors, related (4), translations
        f"/api/stories/{story.slug}/": 8,
        "/api/topics/": 2,  # counts, topics
        # The French edition's lists cost what the default edition's do.
        "/fr/": 9,
        "/fr/topics/": 2,
        "/fr/topics/aes/": 10,
        "/fr/topics/aes/timeline/": 8,
        "/fr/search/?q=story": 4 + TSQUERY,
        "/fr/feed/": 3,
        "/fr/topics/aes/feed/": 6,
        "/fr/corrections/": 2,
        "/fr/authors/reporter-b/": 5,
    }
    for url, limit in limits.items():
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("size", [25, 140])
def test_a_prepared_page_costs_two_queries(
    client, size, settings, django_assert_num_queries
):
    """Every public page read again with nothing on it changed, but those
    reached through free text (a search, the API's topic filter): any number
    of addresses, never kept (pagecache/keys.py)."""
    settings.PREPARED_PAGE_SECONDS = 3600
    story = build_archive(size)
    for url in pages(story):
        first = client.get(url)
        if "/search/" in url or "topic=" in url:
            assert "X-Prepared" not in first, url
            continue
        with django_assert_num_queries(2):  # the copy, and whether it holds
            again = client.get(url)
        assert (first["X-Prepared"], again["X-Prepared"]) == ("miss", "hit"), url
        assert again.content == first.content, url


def test_small_and_large_archives_cost_the_same(client):
    story = build_archive(25)
    small = {url: count_queries(client, url) for url in pages(story)}
    for _ in range(120):
        ArticleFactory(topics=["AES", "Mali", "Niger"])
    for _ in range(60):
        ArticleFactory(topics=["AES", "Mali"], language="fr")
    large = {url: count_queries(client, url) for url in pages(story)}
    assert small == large


@pytest.mark.parametrize("size", [3, 60])
def test_workflow_pages_cost_the_same_whatever_the_links_and_notes(
    client, size, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """In-body links, notes and citations add a fixed number of queries."""
    from articles.tests.factories import StoryNoteFactory

    with django_capture_on_commit_callbacks(execute=True):  # as commits do
        targets = [ArticleFactory(topics=["AES"]) for _ in range(size)]
        links = "".join(f'<a href="story:{t.pk}">link {t.pk}</a> ' for t in targets)
        story = ArticleFactory(body=f"<p>{links}</p>", topics=["AES"])
        for target in targets:
            ArticleFactory(body=f'<p><a href="story:{story.pk}">cites</a></p>')
            StoryNoteFactory(article=target)
            StoryNoteFactory(article=story, kind="update")
    # The article page's 13 with cold topic counts (+3: when they last changed,
    # next scheduled publication and expiry), plus the link targets.
    with django_assert_max_num_queries(17):
        assert client.get(story.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/corrections/").status_code == 200
    with django_assert_max_num_queries(4):  # home: the "Corrected" label is annotated
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("size", [25, 140])
def test_cached_pages_cost_one_query(
    client, size, settings, django_assert_max_num_queries
):
    """With the page cache on, a hit reads the content generation and nothing else."""
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    story = build_archive(size)
    for url in pages(story):
        client.get(url)
        client.get(url)
        with django_assert_max_num_queries(1):
            response = client.get(url)
        assert response.headers.get("X-Page-Cache") == "hit", url
