"""Every public page runs the same number of queries whatever the archive size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Topic
from articles.tests.factories import ArticleFactory, AuthorFactory, RelatedStoryFactory

pytestmark = pytest.mark.django_db

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
    authors = [AuthorFactory() for _ in range(3)]
    stories = []
    for i in range(size):
        story = ArticleFactory(topics=[TOPICS[i % 8], TOPICS[(i * 3) % 8], "AES"])
        story.authors.add(authors[i % 3])
        stories.append(story)
    for i in range(min(size - 1, 3)):
        RelatedStoryFactory(article=stories[0], story=stories[i + 1], position=i)
    ArticleFactory(draft=True, topics=["Mali"])
    Topic.objects.filter(name="AES").update(featured_article=stories[-1])
    return stories[0]


def pages(story):
    return [
        "/",
        story.get_absolute_url(),
        "/topics/",
        "/topics/aes/",
        "/topics/aes/?page=2",
        "/search/?q=story",
        "/feed/",
        "/topics/aes/feed/",
        "/sitemap.xml",
    ]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("size", [25, 140])
def test_page_queries_are_bounded(client, size, django_assert_max_num_queries):
    story = build_archive(size)
    limits = {
        "/": 4,  # stories, authors, main topics (counts, topics)
        story.get_absolute_url(): 7,  # story, tags, authors, related (4)
        "/topics/": 2,  # counts, topics
        "/topics/aes/": 6,  # topic, count, page, authors, featured (2)
        "/topics/aes/?page=2": 4,
        "/search/?q=story": 3,  # count, page, authors
        "/feed/": 3,
        "/topics/aes/feed/": 4,
        "/sitemap.xml": 4,
    }
    for url, limit in limits.items():
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url


def test_small_and_large_archives_cost_the_same(client):
    story = build_archive(25)
    small = {url: count_queries(client, url) for url in pages(story)}
    for _ in range(120):
        ArticleFactory(topics=["AES", "Mali", "Niger"])
    large = {url: count_queries(client, url) for url in pages(story)}
    assert small == large


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
