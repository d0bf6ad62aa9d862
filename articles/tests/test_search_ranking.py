"""Search ranked tier by tier (articles/search_ranking.py): the same order as scoring
every hit, on any page, whichever way each tier is read (walked by date or looked
up), with ties, overlaps, hidden stories and a topic filter; one query a page.

Runs on whichever database DATABASE_URL names: SQLite FTS5 or PostgreSQL tsvectors.
"""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Case, Value, When
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search, search_ranking
from articles.models import Article, Topic
from articles.tests.factories import ArticleFactory
from articles.topics import search_candidates

pytestmark = pytest.mark.django_db

WORDS = ("alpha", "bravo")
FIELDS = ("headline", "topics", "dek", "body")


@pytest.fixture
def corpus():
    """40 stories, each field holding some of the words: every tier, stories
    whose words are split between fields, publication times shared (ties broken
    by id), and a draft, a scheduled and an unpublished story that hold them all."""
    rng = random.Random(18)
    now = timezone.now()
    stories = {}
    for number in range(40):
        holds = {field: rng.sample(WORDS, rng.randint(0, 2)) for field in FIELDS}
        story = ArticleFactory(
            headline=f"Story {number} {' '.join(holds['headline'])}",
            dek=f"Standfirst {' '.join(holds['dek'])}.",
            body=f"<p>Body {' '.join(holds['body'])}.</p>",
            published_at=now - timedelta(hours=rng.randint(1, 6)),
            topics=[f"Theme {word}" for word in holds["topics"]]
            + (["Mali"] if number % 3 == 0 else []),
        )
        stories[story.pk] = holds
    ArticleFactory(draft=True, headline="Draft alpha bravo")
    ArticleFactory(scheduled=True, headline="Scheduled alpha bravo")
    ArticleFactory(
        headline="Unpublished alpha bravo", unpublish_at=now - timedelta(minutes=1)
    )
    return stories


def expected(stories, words, *, topic=None):
    """The order the documented rule gives: by the fields holding every word
    (headline 2, topics or dek 1, the words of the second may be split between
    them), then newest first, then the higher id."""
    weights = {"headline": ("headline",), "topics or dek": ("topics", "dek")}
    bits = {"headline": 2, "topics or dek": 1}
    ranked = []
    for story in Article.objects.published().filter(pk__in=stories):
        holds = stories[story.pk]
        if not set(words) <= {word for found in holds.values() for word in found}:
            continue
        if topic and not story.tags.filter(slug=topic).exists():
            continue
        level = sum(
            bits[name]
            for name, fields in weights.items()
            if set(words) <= {word for field in fields for word in holds[field]}
        )
        ranked.append((-level, -story.published_at.timestamp(), -story.pk, story))
    return [story for *_key, story in sorted(ranked, key=lambda row: row[:3])]


def scored(stories, words):
    """SQLite's previous search, which scored and sorted every hit: the reference
    the tiers must reproduce exactly."""

    def matching(columns=None):
        prefix = f"{{{columns}}} : " if columns else ""
        return RawSQL(
            "SELECT rowid FROM articles_search WHERE articles_search MATCH %s",
            [" AND ".join(f'{prefix}("{word}")' for word in words)],
        )

    rank = sum(
        (
            Case(When(pk__in=matching(columns), then=Value(weight)), default=Value(0))
            for columns, weight in (("headline", 2), ("topics dek", 1))
        ),
        Value(0),
    )
    return list(
        stories.filter(pk__in=matching())
        .annotate(rank=rank)
        .order_by("-rank", "-published_at", "-id")
    )


# "listed" only where the database lists a tier's ids (search_ranking.LISTS).
LISTED = ["listed"] if connection.vendor in search_ranking.LISTS else []


@pytest.fixture(params=[*LISTED, "looked up", "walked", "walked, checked one by one"])
def read(request, monkeypatch):
    """Each tier read every way: its ids listed by the count (where the database
    keeps an aggregate's order: search_ranking.LISTS) or looked up again for each
    page (the default at this size), or walked by date (as a large tier is), each
    story checked against the tier's members read once (deep into a tier) or
    against its own entry (near the top)."""
    if request.param != "listed":
        monkeypatch.setattr(search_ranking, "LISTS", {})
    if request.param.startswith("walked"):
        monkeypatch.setattr(search_ranking, "DENSE", 1)
        near = 10**6 if request.param.endswith("one by one") else 0
        monkeypatch.setattr(search_ranking, "NEAR", near)
    return request.param


@pytest.mark.parametrize("words", [("alpha",), ("bravo", "alpha")])
def test_every_page_is_the_documented_order(corpus, read, words):
    want = expected(corpus, words)
    assert len(want) > 20  # several tiers, pages across their boundaries
    results = search.search(Article.objects.published(), " ".join(words))
    assert results.count() == len(want)
    assert list(results) == want
    for size in (1, 3, 7, 20):
        for start in range(0, len(want) + 2, size):
            assert results[start : start + size] == want[start : start + size]


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the previous scoring is SQLite's FTS5 SQL"
)
@pytest.mark.parametrize("words", [("alpha",), ("alpha", "bravo")])
def test_same_order_as_scoring_every_hit(corpus, read, words):
    stories = Article.objects.published()
    assert list(search.search(stories, " ".join(words))) == scored(stories, words)


def test_within_a_topic_and_a_language(corpus, read):
    stories = Article.objects.published().filter(tags__slug="mali")
    want = expected(corpus, ("alpha",), topic="mali")
    results = search.search(stories, "alpha", language="en")
    assert results.count() == len(want) and list(results) == want
    assert results[2:5] == want[2:5]
    assert list(search.search(Article.objects.published(), "alpha", "fr")) == []


def test_hidden_stories_never_count_or_show(corpus, read):
    results = search.search(Article.objects.published(), "alpha bravo")
    shown = list(results)
    assert len(shown) == results.count()
    assert not {"Draft", "Scheduled", "Unpublished"} & {
        story.headline.split()[0] for story in shown
    }


def test_a_page_costs_one_query_after_the_count(
    corpus, read, django_assert_num_queries
):
    results = search.search(Article.objects.published(), "alpha")
    with django_assert_num_queries(1):
        results.count()
    for start in (0, 5, 19, 30):
        with django_assert_num_queries(1):
            results[start : start + 20]
    with django_assert_num_queries(0):
        assert results[500:520] == []


def test_indexing_and_slices(corpus):
    results = search.search(Article.objects.published(), "alpha")
    want = expected(corpus, ("alpha",))
    assert results[0] == want[0] and results[len(want) - 1] == want[-1]
    assert len(results) == len(want)
    assert results.values_list("pk", flat=True) == [story.pk for story in want]
    with pytest.raises(IndexError):
        results[len(want)]
    with pytest.raises(ValueError):
        results[::2]


def test_one_tier_alone_is_newest_first(corpus, read):
    """Every story holds `story` in its headline only: one tier, read without
    checking any column, newest first."""
    want = list(Article.objects.published().filter(pk__in=corpus))
    results = search.search(Article.objects.published(), "story")
    assert results.sizes() == [(2, len(want))]
    assert list(results) == want
    assert results[10:30] == want[10:30]


@pytest.mark.parametrize("limit", [1, 7, 20])
def test_results_stop_at_the_limit_in_rank_order(corpus, read, limit, monkeypatch):
    """Past LIMIT the results stop, the best LIMIT kept (not the first found),
    and the count says more matched."""
    monkeypatch.setattr(search_ranking, "LIMIT", limit)
    want = expected(corpus, ("alpha",))
    results = search.search(Article.objects.published(), "alpha")
    assert results.count() == limit < len(want)
    assert results.more() is True
    assert list(results) == want[:limit]
    assert results[limit - 1 : limit + 5] == want[limit - 1 : limit]
    assert results[limit : limit + 5] == []


def test_within_the_limit_nothing_is_left_out(corpus, read, monkeypatch):
    want = expected(corpus, ("alpha",))
    monkeypatch.setattr(search_ranking, "LIMIT", len(want))
    results = search.search(Article.objects.published(), "alpha")
    assert results.count() == len(want)
    assert results.more() is False
    assert list(results) == want


def test_tiers_below_a_full_one_are_not_counted(corpus, monkeypatch):
    """Once the better tiers hold LIMIT stories, the count stops: the tiers
    below are never read (their count is 0 however many they hold)."""
    monkeypatch.setattr(search_ranking, "LIMIT", 1)
    results = search.search(Article.objects.published(), "alpha")
    counted = results._counted()
    levels = list(counted)
    assert levels == sorted(levels, reverse=True)
    best = next(level for level in levels if counted[level])
    assert counted[best] == 2  # LIMIT + 1: enough to know there are more
    assert all(counted[level] == 0 for level in levels if level < best)
    everything = search_ranking.LIMIT + 1000
    monkeypatch.setattr(search_ranking, "LIMIT", everything)
    full = search.search(Article.objects.published(), "alpha")._counted()
    assert sum(count for level, count in full.items() if level < best) > 0


@pytest.mark.skipif(
    connection.vendor not in search_ranking.LISTS,
    reason=f"{connection.vendor} keeps no aggregate's order: tiers are looked up",
)
def test_a_listed_tier_is_not_searched_again_for_a_page(corpus):
    """The count lists a small tier's ids in order; its pages fetch those stories
    by id, without asking the search index again."""
    want = expected(corpus, ("alpha",))
    results = search.search(Article.objects.published(), "alpha")
    assert results.count() == len(want)
    with CaptureQueriesContext(connection) as page:
        assert results[3:23] == want[3:23]
    (statement,) = [query["sql"] for query in page.captured_queries]
    assert "articles_search" not in statement


@pytest.mark.parametrize("words", [("alpha",), ("bravo", "alpha")])
@pytest.mark.parametrize("few", [search_ranking.FEW, 0])
def test_within_a_topic_its_few_stories_are_ranked_one_by_one(
    corpus, read, words, few, monkeypatch, django_assert_num_queries
):
    """Given a topic's live stories as candidates, each is given its tier in one
    statement when they are at most FEW (after a capped count of them); beyond,
    the tiers are counted, and read every way, along the candidates (the topic's
    tagging index). The same order, every page."""
    monkeypatch.setattr(search_ranking, "FEW", few)
    mali = Topic.objects.get(slug="mali")
    want = expected(corpus, words, topic="mali")
    assert len(want) > 3
    stories = Article.objects.published().filter(tags=mali)
    results = search.search(
        stories,
        " ".join(words),
        "en",
        candidates=search_candidates(mali, "en"),
    )
    with django_assert_num_queries(2):  # how many, then their tiers or the counts
        assert results.count() == len(want)
    with django_assert_num_queries(1):
        assert results[0:20] == want[:20]
    for size in (1, 3):
        for start in range(0, len(want) + 1, size):
            assert results[start : start + size] == want[start : start + size]
    assert results.more() is False


def test_a_topic_search_never_ranks_a_hidden_story(corpus):
    """A draft, a scheduled and an expired story on the topic hold every word:
    the candidates (the tagging index's live rows) leave them out."""
    mali = Topic.objects.get(slug="mali")
    for story in Article.objects.exclude(pk__in=corpus):
        story.tags.add(mali)
    results = search.search(
        Article.objects.published().filter(tags=mali),
        "alpha bravo",
        "en",
        candidates=search_candidates(mali, "en"),
    )
    shown = list(results)
    assert (
        len(shown)
        == results.count()
        == len(expected(corpus, ("alpha", "bravo"), topic="mali"))
    )
    assert not {"Draft", "Scheduled", "Unpublished"} & {
        story.headline.split()[0] for story in shown
    }
