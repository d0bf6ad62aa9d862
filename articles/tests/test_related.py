from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services
from articles.models import Article, RelatedExclusion, TaggedArticle, Topic
from articles.related import automatic_stories, related_stories, topic_weights
from articles.tests.factories import ArticleFactory, RelatedStoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _slow_decay(settings):
    """Rarity alone orders the shared fixture; decay has tests of its own."""
    settings.RELATED_HALF_LIFE_DAYS = 36500


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
def test_fixed_number_of_queries(
    size, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    topics = ["Mali", "Niger", "Burkina Faso", "ECOWAS", "AES", "France"]
    # As in production, each write's commit looks ahead to the next scheduled
    # change (pagecache/generation.py), so the first reader does not.
    with django_capture_on_commit_callbacks(execute=True):
        subject = ArticleFactory(topics=topics)
        for i in range(size):
            ArticleFactory(topics=topics[i % 3 : i % 3 + 3])
        for i in range(3):
            RelatedStoryFactory(article=subject, story=ArticleFactory(), position=i)
    topic_ids = list(subject.tags.values_list("pk", flat=True))
    # Cold: topic map, counts (4: per topic, total, next scheduled publication and
    # expiry) and when they last changed (1), picks and candidates, finalists,
    # winners; outside a request the content generation they are kept by is read
    # for each (2).
    with django_assert_max_num_queries(11):
        assert len(related_stories(subject, topic_ids=topic_ids)) == 6
    # Warm (the map and counts cached).
    with django_assert_max_num_queries(5):
        assert len(related_stories(subject, topic_ids=topic_ids)) == 6
    with django_assert_max_num_queries(6):  # and the story's topics
        assert len(related_stories(subject)) == 6


def test_recency_decay_lets_this_weeks_story_beat_an_old_rare_match(settings):
    subject = ArticleFactory(published_at=days_ago(0), topics=["Sahel", "Tillabéri"])
    old_rare = ArticleFactory(published_at=days_ago(150), topics=["Tillabéri"])
    new_common = ArticleFactory(published_at=days_ago(2), topics=["Sahel"])
    for n in range(6):
        ArticleFactory(published_at=days_ago(300 + n), topics=["Sahel"])
    settings.RELATED_HALF_LIFE_DAYS = 60
    assert automatic_stories(subject, limit=2) == [new_common, old_rare]
    settings.RELATED_HALF_LIFE_DAYS = 36500  # no decay: rarity wins
    assert automatic_stories(subject, limit=2) == [old_rare, new_common]


def test_decay_is_measured_from_the_story_being_read(settings):
    settings.RELATED_HALF_LIFE_DAYS = 30
    subject = ArticleFactory(published_at=days_ago(700), topics=["Niger"])
    same_period = ArticleFactory(published_at=days_ago(690), topics=["Niger"])
    this_week = ArticleFactory(published_at=days_ago(2), topics=["Niger"])
    settings.RELATED_MAX_AGE_DAYS = 1000
    assert automatic_stories(subject) == [same_period, this_week]
    assert automatic_stories(this_week) == [same_period, subject]


def test_old_stories_stay_out_while_enough_recent_ones_exist_unless_pinned(settings):
    settings.RELATED_MAX_AGE_DAYS = 365
    subject = ArticleFactory(published_at=days_ago(0), topics=["Niger"])
    recent = [
        ArticleFactory(published_at=days_ago(30 + n), topics=["Niger"])
        for n in range(6)
    ]
    old = ArticleFactory(published_at=days_ago(400), topics=["Niger"])
    assert automatic_stories(subject) == recent
    RelatedStoryFactory(article=subject, story=old)
    assert related_stories(subject) == [old, *recent[:5]]
    settings.RELATED_MAX_AGE_DAYS = 500
    assert automatic_stories(subject) == recent  # the pick is not repeated
    subject.curated_links.all().delete()
    assert automatic_stories(subject, limit=7) == [*recent, old]


def test_excluded_stories_never_appear_automatically():
    subject = ArticleFactory(topics=["Niger", "Tillabéri"])
    best = ArticleFactory(topics=["Niger", "Tillabéri"])
    other = ArticleFactory(topics=["Niger"])
    assert related_stories(subject) == [best, other]
    RelatedExclusion.objects.create(article=subject, story=best)
    assert related_stories(subject) == [other]
    # An editor's explicit pick still shows.
    RelatedStoryFactory(article=subject, story=best)
    assert related_stories(subject) == [best, other]


def test_ancestors_count_at_half_weight(settings):
    mali = Topic.objects.create(name="Mali", kind="place")
    menaka = Topic.objects.create(name="Ménaka", kind="place", parent=mali)
    subject = ArticleFactory(topics=[menaka])
    same_place = ArticleFactory(topics=[menaka])
    country = ArticleFactory(topics=[mali])
    ArticleFactory(topics=["France"])
    ranked = automatic_stories(subject)
    assert ranked == [same_place, country]
    assert [t.name for t in ranked[1].shared_topics] == ["Mali"]
    weights = topic_weights([mali.pk, menaka.pk])
    assert ranked[1].related_score == pytest.approx(0.5 * weights[mali.pk])
    assert ranked[0].related_score == pytest.approx(weights[menaka.pk])


def test_primary_topic_counts_more():
    subject = ArticleFactory(topics=["Niger", "Chad"])
    on_niger = ArticleFactory(published_at=days_ago(2), topics=["Niger"])
    on_chad = ArticleFactory(published_at=days_ago(2), topics=["Chad"])
    subject.primary_topic = Topic.objects.get(name="Chad")
    assert automatic_stories(subject) == [on_chad, on_niger]
    subject.primary_topic = Topic.objects.get(name="Niger")
    assert automatic_stories(subject) == [on_niger, on_chad]


def test_each_story_says_what_it_shares_rarest_first(corpus):
    ranked = automatic_stories(corpus["subject"], limit=2)
    assert [t.name for t in ranked[0].shared_topics] == ["Tillabéri", "Sahel"]
    assert [t.name for t in ranked[1].shared_topics] == ["Niger", "Sahel"]


def test_stays_correct_when_stories_change(time_machine):
    subject = ArticleFactory(topics=["Niger"])
    story = ArticleFactory(published_at=days_ago(3), topics=["Niger"])
    later = ArticleFactory(scheduled=True, topics=["Niger"])
    assert automatic_stories(subject) == [story]
    services.unpublish(Article.objects.filter(pk=story.pk))
    assert automatic_stories(subject) == []
    services.publish_now(Article.objects.filter(pk=story.pk))
    assert automatic_stories(subject) == [story]
    story.tags.remove("Niger")
    assert automatic_stories(subject) == []
    story.tags.add("niger")
    assert automatic_stories(subject) == [story]
    story.unpublish_at = timezone.now() + timedelta(hours=1)
    story.save()
    time_machine.move_to(timezone.now() + timedelta(days=2))
    assert automatic_stories(subject) == [later]  # scheduled went live, story expired
    later.delete()
    assert automatic_stories(subject) == []


def test_a_stale_window_copy_cannot_leak_a_draft():
    from django.db import connection

    # The triggers keep the copy right; without them (a database restored without
    # triggers, say) it can go stale, and the published gate still decides.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE articles_taggedarticle "
                "DISABLE TRIGGER articles_window_tagging_biu"
            )
        else:
            cursor.execute("DROP TRIGGER articles_window_tagging_au")
    subject = ArticleFactory(topics=["Niger"])
    draft = ArticleFactory(draft=True, topics=["Niger"])
    TaggedArticle.objects.filter(content_object=draft).update(live_from=days_ago(1))
    assert TaggedArticle.live().filter(content_object=draft).exists()
    assert automatic_stories(subject) == []


def test_a_new_story_on_an_old_archive_gets_the_nearest_related_stories(settings):
    """Every story of the topic is older than the window: an empty list would
    be wrong, so the nearest older ones fill it, most related first."""
    settings.RELATED_HALF_LIFE_DAYS = 60
    settings.RELATED_MAX_AGE_DAYS = 365
    subject = ArticleFactory(topics=["Sahel", "Ménaka", "Mali"])
    both_rare = ArticleFactory(published_at=days_ago(790), topics=["Ménaka", "Mali"])
    rare = ArticleFactory(published_at=days_ago(800), topics=["Ménaka", "Sahel"])
    common = ArticleFactory(published_at=days_ago(780), topics=["Sahel"])
    older_common = ArticleFactory(published_at=days_ago(900), topics=["Sahel"])
    for n in range(4):
        ArticleFactory(published_at=days_ago(1000 + n), topics=["Sahel", "Mali"])
    ArticleFactory(published_at=days_ago(700), topics=["France"])
    ranked = automatic_stories(subject, limit=4)
    assert ranked == [both_rare, rare, common, older_common]
    scores = [story.related_score for story in ranked]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0


def test_recent_stories_outrank_old_ones_with_the_same_topics(settings):
    settings.RELATED_HALF_LIFE_DAYS = 36500  # no decay: only the window decides
    settings.RELATED_MAX_AGE_DAYS = 365
    subject = ArticleFactory(topics=["Niger", "Tillabéri"])
    old_rare = ArticleFactory(published_at=days_ago(500), topics=["Niger", "Tillabéri"])
    recent = ArticleFactory(published_at=days_ago(200), topics=["Niger"])
    old_common = ArticleFactory(published_at=days_ago(400), topics=["Niger"])
    # The old story shares more, yet the one within the window comes first; old
    # stories only fill the list after it, in their own order.
    assert automatic_stories(subject) == [recent, old_rare, old_common]
    for n in range(6):
        ArticleFactory(published_at=days_ago(10 + n), topics=["Niger"])
    ranked = automatic_stories(subject)
    assert len(ranked) == 6
    assert not {old_rare, old_common} & set(ranked)  # enough recent ones


def test_old_fallback_never_shows_unpublished_stories(settings):
    settings.RELATED_MAX_AGE_DAYS = 365
    subject = ArticleFactory(topics=["Kidal"])
    old = ArticleFactory(published_at=days_ago(600), topics=["Kidal"])
    ArticleFactory(draft=True, topics=["Kidal"])
    ArticleFactory(review=True, topics=["Kidal"])
    ArticleFactory(scheduled=True, topics=["Kidal"])
    expired = ArticleFactory(published_at=days_ago(700), topics=["Kidal"])
    Article.objects.filter(pk=expired.pk).update(unpublish_at=days_ago(650))
    unpublished = ArticleFactory(published_at=days_ago(800), topics=["Kidal"])
    services.unpublish(Article.objects.filter(pk=unpublished.pk))
    assert related_stories(subject) == [old]


def test_demo_content_gives_a_new_story_related_stories():
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    subject = ArticleFactory(topics=["Mali", "Niger", "AES"])
    ranked = automatic_stories(subject)
    assert len(ranked) == 6
    assert {story.pk for story in ranked} <= set(
        Article.objects.published().values_list("pk", flat=True)
    )
    scores = [story.related_score for story in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(story.shared_topics for story in ranked)
