"""Median time of the search page for a few queries, on whatever DATABASE_URL holds.

    python manage.py seed_corpus --articles 100000
    python bench/search.py --runs 5

Each query is rendered in-process with Django's test client (full page: count,
ranked page of 20, excerpts). Last line:
`search stories=<n> engine=<vendor> median_ms=<median over queries> slowest=<q> <ms>`.
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

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article  # noqa: E402

QUERIES = [
    ("common word", "q=charter"),
    ("two words", "q=junta+ceasefire"),
    ("accent folded", "q=tillaberi"),
    ("rare, with topic", "q=pipeline+treaty+harvest&topic=mali"),
    ("page 50", "q=convoy&page=50"),
    ("no match", "q=zanzibar"),
    ("hostile", "q=%22*NEAR(%00"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    client = Client(HTTP_HOST="127.0.0.1")
    total = Article.objects.published().count()
    print(f"{total:,} published stories; {runs} runs per query; {connection.vendor}")
    print(f"{'query':40} {'status':>6} {'queries':>7} {'median ms':>10}")
    medians = {}
    for label, params in QUERIES:
        url = f"/search/?{params}"
        timings = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
        medians[label] = statistics.median(timings)
        print(
            f"{label + ': ' + params:40} {response.status_code:>6} "
            f"{len(queries):>7} {medians[label]:>10.1f}"
        )
    slowest = max(medians, key=medians.get)
    print(
        f"search stories={total} engine={connection.vendor} "
        f"median_ms={statistics.median(medians.values()):.1f} "
        f"slowest={slowest.replace(' ', '_')} {medians[slowest]:.1f}"
    )


if __name__ == "__main__":
    main()
