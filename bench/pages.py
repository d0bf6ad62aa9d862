"""Queries and median render time of each public page, on whatever DATABASE_URL holds.

    python manage.py seed_corpus --articles 100000      # or load_demo
    python bench/pages.py --runs 5

Rendered in-process with Django's test client (no HTTP server, no cache), so the
figures are the cost of our code and queries alone. Last line:
`pages stories=<n> max_queries=<q> slowest=<url> <ms>`.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
os.environ["DJANGO_PAGE_CACHE_SECONDS"] = "0"  # the cost of rendering, not of a hit

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article, Topic  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    stories = Article.objects.published()
    story = stories.order_by("-published_at").first()
    topics = Topic.objects.published_counts(limit=1)
    if story is None or not topics:
        sys.exit("No published stories: run load_demo or seed_corpus first.")
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
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    total = stories.count()
    print(f"{total:,} published stories; {runs} runs per page; {connection.vendor}")
    print(f"{'page':60} {'status':>6} {'queries':>7} {'median ms':>10}")
    worst = ("", 0.0)
    most_queries = 0
    for url in urls:
        client.get(url)  # steady state: per-process caches (topic tree, stats) warm
        timings = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
        median = statistics.median(timings)
        most_queries = max(most_queries, len(queries))
        worst = max(worst, (url, median), key=lambda item: item[1])
        print(
            f"{url[:60]:60} {response.status_code:>6} {len(queries):>7} {median:>10.1f}"
        )
    print(
        f"pages stories={total} max_queries={most_queries} slowest={worst[0]} {worst[1]:.1f}"
    )


if __name__ == "__main__":
    main()
