"""The search page for a few kinds of query: the whole page (count, ranked page of
20, excerpts), a hostile query included (the NUL guard answers it 400; a page past
the last, on a small corpus, is a 404)."""

import pytest
from django.db import connection

from .measure import time_page

QUERIES = {
    "common word": "q=charter",
    "two words": "q=junta+ceasefire",
    "accent folded": "q=tillaberi",
    "rare, with topic": "q=pipeline+treaty+harvest&topic=mali",
    # A reader narrowing a common word by topic, as the results page suggests: the
    # largest topic (58,722 stories), and a small one (1,786): its stories ranked
    # one by one (articles.search_ranking.Candidates).
    "common word, with topic": "q=charter&topic=mali",
    "common word, small topic": "q=charter&topic=corpus-topic-00049",
    "page 50": "q=convoy&page=50",
    "no match": "q=zanzibar",
    "hostile": "q=%22*NEAR(%00",
}


@pytest.mark.parametrize("label", QUERIES)
def test_search(benchmark, record, client, bench_runs, label):
    benchmark.group = "search"
    url = f"/search/?{QUERIES[label]}"
    response, queries = time_page(benchmark, client, url, runs=bench_runs)
    record(
        label=label,
        url=url,
        engine=connection.vendor,
        status=response.status_code,
        queries=queries,
    )
    assert response.status_code < 500, (url, response.status_code)
