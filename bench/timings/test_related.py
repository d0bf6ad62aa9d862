"""Our related-stories list against django-taggit's similar_objects(), on the same
random sample of published stories (bench/related.py runs it and prints the
contract line). Each story's benchmark has `--bench-runs` rounds: bench/related.py
takes each one's fastest (another process's burst does not count), then the
median over the sample. Ours is timed warm (topic map and counts cached, as on a
live site); its cold cost is measured first, once."""

import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.related import related_stories

SAMPLE_SEED = 7


def pytest_generate_tests(metafunc):
    if "index" in metafunc.fixturenames:
        samples = metafunc.config.getoption("--bench-samples")
        metafunc.parametrize("index", range(samples))
        metafunc.parametrize("engine", ["ours", "taggit"])


@pytest.fixture(scope="module")
def sample(request):
    samples = request.config.getoption("--bench-samples")
    ids = list(Article.objects.published().values_list("pk", flat=True))
    if not ids:
        pytest.fail("No published stories: run load_demo or seed_corpus first.")
    chosen = random.Random(SAMPLE_SEED).sample(ids, min(samples, len(ids)))
    return list(Article.objects.filter(pk__in=chosen))


def counted(story):
    with CaptureQueriesContext(connection) as queries:
        related_stories(story)
    return len(queries)


def test_cold_list(benchmark, record, sample):
    """The first list after the cache is emptied: topic map and counts too."""
    benchmark.group = "related, cold"
    cold_queries = benchmark.pedantic(
        counted, args=(sample[0],), setup=cache.clear, rounds=1, iterations=1
    )
    record(story=sample[0].pk, cold_queries=cold_queries, queries=counted(sample[0]))


def test_related(benchmark, record, sample, bench_runs, index, engine):
    if index >= len(sample):
        pytest.skip(f"the corpus has {len(sample)} published stories to sample")
    benchmark.group = f"related, {engine}"
    story = sample[index]
    if engine == "ours":
        benchmark.pedantic(related_stories, args=(story,), rounds=bench_runs)
    else:
        benchmark.pedantic(
            lambda: list(story.tags.similar_objects()), rounds=bench_runs
        )
    record(story=story.pk, engine=engine)
