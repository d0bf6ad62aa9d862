"""The "is it live?" rule is written once (articles.models.live); every reader of it
agrees on stories in every state, the database triggers' copy of each window
(articles.window_schema) included."""

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.db.models import Q
from django.test import RequestFactory
from django.utils import timezone

from articles import invalidation, related
from articles.desk.story_admin import StateFilter
from articles.history import state_summary
from articles.models import Article, ArticleQuerySet, TaggedArticle, live
from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0) + timedelta(days=30)
HOUR = timedelta(hours=1)

# name: (factory fields, the state the desk names)
STORIES = {
    "draft": ({"draft": True}, "draft"),
    "draft, once published": (
        {"status": "draft", "published_at": NOW - 3 * HOUR},
        "draft",
    ),
    "review": ({"review": True}, "review"),
    "scheduled": ({"published_at": NOW + 2 * HOUR}, "scheduled"),
    "live": ({"published_at": NOW - HOUR}, "published"),
    "live from exactly now": ({"published_at": NOW}, "published"),
    "live until later": (
        {"published_at": NOW - HOUR, "unpublish_at": NOW + HOUR},
        "published",
    ),
    "expired": (
        {"published_at": NOW - 3 * HOUR, "unpublish_at": NOW - HOUR},
        "expired",
    ),
    "expiring exactly now": (
        {"published_at": NOW - 3 * HOUR, "unpublish_at": NOW},
        "expired",
    ),
}
STATES = ["draft", "review", "scheduled", "published", "expired"]


@pytest.fixture
def stories(time_machine):
    time_machine.move_to(NOW, tick=False)
    made = {
        name: ArticleFactory(headline=name, topics=["Mali"], **fields)
        for name, (fields, _) in STORIES.items()
    }
    return {name: Article.objects.get(pk=story.pk) for name, story in made.items()}


def ids(stories, state):
    return {story.pk for name, story in stories.items() if STORIES[name][1] == state}


def test_the_gate_and_the_desk_states_agree(stories):
    assert set(Article.objects.published().values_list("pk", flat=True)) == ids(
        stories, "published"
    )
    for name, story in stories.items():
        assert story.state == STORIES[name][1], name
        assert story.is_published() == (story.state == "published"), name
    for state in STATES:
        found = set(Article.objects.in_state(state).values_list("pk", flat=True))
        assert found == ids(stories, state), state


def test_the_admins_state_filter_agrees(stories, rf: RequestFactory):
    request = rf.get("/admin/articles/article/")
    for state in STATES:
        chosen = StateFilter(request, {"state": [state]}, Article, site)
        found = chosen.queryset(request, Article.objects.all())
        assert set(found.values_list("pk", flat=True)) == ids(stories, state), state


def test_the_triggers_copy_of_each_window_agrees(stories):
    """window_schema's SQL writes each tagging row's window; read with the copy's
    rule, the tagging rows name the live stories and no other."""
    live_rows = TaggedArticle.live(NOW).values_list("content_object_id", flat=True)
    assert set(live_rows) == ids(stories, "published")
    for name, story in stories.items():
        copy = TaggedArticle.objects.get(content_object=story)
        assert (copy.live_from, copy.live_until) == story.live_window(), name
        assert copy.language == story.language, name


def test_the_live_count_agrees(stories):
    """`live_count()` counts by another road (opened less closed): the same
    number as the gate, for every story and within a selection."""
    assert Article.objects.live_count(NOW) == len(ids(stories, "published"))
    assert Article.objects.live_count(NOW) == Article.objects.published().count()
    some = Article.objects.filter(headline__in=["live", "expired", "scheduled"])
    assert some.live_count(NOW) == 1
    later = NOW + 2 * HOUR  # "live until later" expires, "scheduled" opens
    assert (
        Article.objects.live_count(later)
        == Article.objects.filter(Article.objects.live_q(later)).count()
    )


def test_the_related_lists_sql_agrees(stories):
    live_sql, params = live.as_sql(TaggedArticle, TaggedArticle.live_q(NOW), connection)
    table = TaggedArticle._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT content_object_id FROM {table} WHERE {live_sql}", params
        )
        assert {row[0] for row in cursor.fetchall()} == ids(stories, "published")
    subject = stories["live"]
    topic = subject.tags.get()
    lengths = {0: 30, 1: 30}
    candidates = related._picks_and_candidates(subject, [topic.pk], NOW, NOW, lengths)
    assert {row[1] for row in candidates} == ids(stories, "published") - {subject.pk}


def test_the_next_change_by_the_clock_agrees_with_the_page_caches(stories):
    expected = NOW + HOUR  # "live until later" expires before "scheduled" goes live
    assert Article.objects.next_live_change(NOW) == expected
    assert invalidation.scheduled_change(NOW) == expected


def test_a_versions_state_line_says_scheduled_by_the_same_rule(stories):
    fields = {
        name: getattr(stories["scheduled"], name)
        for name in ("status", "published_at", "unpublish_at")
    }
    assert state_summary(fields).startswith("Published, scheduled for ")
    fields["published_at"] = NOW
    assert "scheduled" not in state_summary(fields)


def test_holds_reads_conditions_as_the_database_does(stories):
    """Every condition the desk uses, read on each row in Python and by the
    database, gives the same answer."""
    conditions = {
        **ArticleQuerySet.state_qs(NOW),
        "window": ArticleQuerySet.window_q(),
        "live": ArticleQuerySet.live_q(NOW),
    }
    for label, condition in conditions.items():
        in_database = set(
            Article.objects.filter(condition).values_list("pk", flat=True)
        )
        in_python = {s.pk for s in stories.values() if live.holds(condition, s)}
        assert in_python == in_database, label


def test_holds_refuses_a_lookup_it_cannot_read():
    with pytest.raises(ValueError, match="headline__icontains"):
        live.holds(Q(headline__icontains="x"), {"headline": "x"})
