"""One page rendered in-process, its queries counted, timed by pytest-benchmark."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def render(client, url):
    """(response, number of queries) of one GET."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def time_page(benchmark, client, url, *, runs):
    """Render `url` once to warm per-process caches (topic tree, statistics), then
    `runs` timed rounds; (the last response, its number of queries)."""
    return benchmark.pedantic(
        render, args=(client, url), rounds=runs, warmup_rounds=1, iterations=1
    )
