"""Queries and render time of each public page the benchmark measures."""

import pytest

from articles import selectors
from articles.models import Article
from bench.page_list import PAGES

from .measure import time_page


@pytest.fixture(scope="module")
def page_urls():
    """Each page of bench/page_list.py on this corpus: the newest story, the
    largest topic (its first and last pages, its feed), a common search word."""
    story = Article.objects.published().order_by("-published_at").first()
    topics = selectors.topic_counts(limit=1)
    if story is None or not topics:
        pytest.fail("No published stories: run load_demo or seed_corpus first.")
    topic = topics[0]
    last_page = max(1, (topic.num_published + 19) // 20)
    urls = [
        "/",
        story.get_absolute_url(),
        "/topics/",
        topic.get_absolute_url(),
        f"{topic.get_absolute_url()}?page={last_page}",
        "/search/?q=charter",
        "/feed/",
        f"{topic.get_absolute_url()}feed/",
        "/sitemap.xml",
        f"{topic.get_absolute_url()}timeline/",
        "/sitemap-articles.xml",
        "/api/stories/",
        f"/api/stories/{story.slug}/",
    ]
    return dict(zip(PAGES, urls, strict=True))


@pytest.mark.parametrize("label", PAGES)
def test_page(benchmark, record, client, page_urls, bench_runs, label):
    benchmark.group = "pages"
    url = page_urls[label]
    response, queries = time_page(benchmark, client, url, runs=bench_runs)
    record(label=label, url=url, status=response.status_code, queries=queries)
    assert response.status_code == 200, (url, response.status_code)
