from datetime import timedelta

import pytest
from django.utils import timezone

from articles.related import related_stories, topic_weights
from articles.tests.factories import ArticleFactory, RelatedStoryFactory

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.now() - timedelta(days=n)


@pytest.fixture
def corpus():
    """A small newsroom where one topic is on everything and one is rare."""
    stories = {
        "subject": ArticleFactory(published_at=days_ago(1), topics=["Sahel", "Tillabéri", "Niger"]),
        "rare_match": ArticleFactory(published_at=days_ago(30), topics=["Sahel", "Tillabéri"]),
        "mid_newer": ArticleFactory(published_at=days_ago(5), topics=["Sahel", "Niger"]),
        "mid_older": ArticleFactory(published_at=days_ago(9), topics=["Sahel", "Niger"]),
        "common_only": ArticleFactory(published_at=days_ago(2), topics=["Sahel"]),
        "niger_only": ArticleFactory(published_at=days_ago(60), topics=["Niger"]),
        "unrelated": ArticleFactory(published_at=days_ago(3), topics=["France"]),
        "draft": ArticleFactory(draft=True, topics=["Sahel", "Tillabéri", "Niger"]),
        "scheduled": ArticleFactory(scheduled=True, topics=["Sahel", "Tillabéri", "Niger"]),
        "in_review": ArticleFactory(review=True, topics=["Tillabéri"]),
    }  # fmt: skip
    return stories


def names(corpus, stories):
    by_pk = {story.pk: name for name, story in corpus.items()}
    return [by_pk[story.pk] for story in stories]


def test_rare_topics_weigh_more_than_common_ones(corpus):
    weights = topic_weights(list(corpus["subject"].tags.values_list("pk", flat=True)))
    by_name = {topic.name: weights[topic.pk] for topic in corpus["subject"].tags.all()}
    # Only published stories count: 7 live, Sahel on 5, Niger on 4, Tillabéri on 2.
    assert by_name["Tillabéri"] > by_name["Niger"] > by_name["Sahel"] > 0


def test_automatic_order_rarity_then_recency(corpus):
    ranked = related_stories(corpus["subject"])
    assert names(corpus, ranked) == [
        "rare_match",  # shares the rare topic and the common one
        "mid_newer",  # shares Niger and Sahel; newer wins the tie...
        "mid_older",  # ...over the same pair of topics
        "niger_only",  # one mid-frequency topic beats...
        "common_only",  # ...one topic on nearly every story, though it is newer
    ]


def test_curated_first_in_editor_order_and_published_only(corpus):
    subject = corpus["subject"]
    RelatedStoryFactory(article=subject, story=corpus["unrelated"], position=1)
    RelatedStoryFactory(article=subject, story=corpus["draft"], position=2)
    RelatedStoryFactory(article=subject, story=corpus["niger_only"], position=3)
    RelatedStoryFactory(article=subject, story=corpus["scheduled"], position=4)
    assert names(corpus, related_stories(subject)) == [
        "unrelated",
        "niger_only",  # curated once, not repeated below
        "rare_match",
        "mid_newer",
        "mid_older",
        "common_only",
    ]


def test_never_itself_never_unpublished_no_duplicates(corpus):
    ranked = names(corpus, related_stories(corpus["subject"]))
    assert "subject" not in ranked
    assert not {"draft", "scheduled", "in_review", "unrelated"} & set(ranked)
    assert len(ranked) == len(set(ranked))


def test_at_most_six():
    subject = ArticleFactory(topics=["Mali"])
    for _ in range(10):
        ArticleFactory(topics=["Mali"])
    RelatedStoryFactory(article=subject, story=ArticleFactory(topics=["Mali"]))
    assert len(related_stories(subject)) == 6


def test_story_without_topics_has_only_curated():
    subject = ArticleFactory()
    ArticleFactory(topics=["Mali"])
    pick = ArticleFactory()
    RelatedStoryFactory(article=subject, story=pick)
    assert related_stories(subject) == [pick]


@pytest.mark.parametrize("size", [5, 60])
def test_fixed_number_of_queries(size, django_assert_num_queries):
    topics = ["Mali", "Niger", "Burkina Faso", "ECOWAS", "AES", "France"]
    subject = ArticleFactory(topics=topics)
    for i in range(size):
        ArticleFactory(topics=topics[i % 3 : i % 3 + 3])
    for i in range(3):
        RelatedStoryFactory(article=subject, story=ArticleFactory(), position=i)
    topic_ids = list(subject.tags.values_list("pk", flat=True))
    with django_assert_num_queries(4):
        assert len(related_stories(subject, topic_ids=topic_ids)) == 6
