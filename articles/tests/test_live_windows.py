"""The tagging rows' copy of a story's public window and language follows what is
stored, whoever writes the story or the tagging row and however
(articles.window_schema)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import db_maintained, services
from articles.models import Article, TaggedArticle, Topic
from articles.related import automatic_stories
from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def hours_ago(n):
    return timezone.now() - timedelta(hours=n)


def stored_windows(story):
    """The copies on the story's tagging rows, and the story's stored window and
    language."""
    copies = set(
        TaggedArticle.objects.filter(content_object_id=story.pk).values_list(
            "live_from", "live_until", "language"
        )
    )
    stored = Article.objects.get(pk=story.pk)
    return copies, (*stored.live_window(), stored.language)


def live_story_ids(topic_name):
    topic = Topic.objects.get(name=topic_name)
    return set(
        TaggedArticle.live()
        .filter(tag=topic)
        .values_list("content_object_id", flat=True)
    )


def test_tagging_through_an_object_loaded_before_an_update_publish(client):
    story = ArticleFactory(draft=True)
    stale = Article.objects.get(pk=story.pk)  # loaded before the script publishes
    Article.objects.filter(pk=story.pk).update(
        status=Article.Status.PUBLISHED, published_at=hours_ago(2)
    )
    stale.tags.add("Kidal")
    assert live_story_ids("Kidal") == {story.pk}
    page = client.get(reverse("articles:topic_detail", kwargs={"slug": "kidal"}))
    assert story.headline in page.content.decode()


def test_tagging_through_an_object_loaded_before_an_update_unpublish(client):
    story = ArticleFactory(published_at=hours_ago(2), topics=["Niger"])
    stale = Article.objects.get(pk=story.pk)
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)
    stale.tags.add("Kidal")
    copies, stored = stored_windows(story)
    assert stored == (None, None, "en")
    assert copies == {(None, None, "en")}
    assert live_story_ids("Kidal") == set()


def test_update_publish_unpublish_and_expiry_reach_the_tagging_rows():
    story = ArticleFactory(draft=True, topics=["Kidal", "Mali"])
    stories = Article.objects.filter(pk=story.pk)
    stories.update(status=Article.Status.PUBLISHED, published_at=hours_ago(3))
    assert live_story_ids("Kidal") == live_story_ids("Mali") == {story.pk}
    copies, stored = stored_windows(story)
    assert copies == {stored}

    stories.update(unpublish_at=hours_ago(1))  # expired an hour ago
    assert live_story_ids("Kidal") == set()
    copies, stored = stored_windows(story)
    assert copies == {stored} and stored[1] is not None

    stories.update(unpublish_at=None)
    assert live_story_ids("Kidal") == {story.pk}
    stories.update(status=Article.Status.DRAFT)
    assert live_story_ids("Kidal") == set()
    assert stored_windows(story)[0] == {(None, None, "en")}


def test_publish_now_and_unpublish_reach_the_tagging_rows():
    story = ArticleFactory(draft=True, topics=["Kidal"])
    services.publish_now(Article.objects.filter(pk=story.pk))
    assert live_story_ids("Kidal") == {story.pk}
    services.unpublish(Article.objects.filter(pk=story.pk))
    assert live_story_ids("Kidal") == set()


def test_a_save_through_a_stale_object_keeps_the_stored_window():
    story = ArticleFactory(draft=True, topics=["Kidal"])
    stale = Article.objects.get(pk=story.pk)
    Article.objects.filter(pk=story.pk).update(
        status=Article.Status.PUBLISHED, published_at=hours_ago(2)
    )
    # Saving another field through the stale object writes its (draft) status
    # back: the copy follows the stored row, whichever write came last.
    stale.dek = "A new standfirst."
    stale.save()
    copies, stored = stored_windows(story)
    assert copies == {stored} == {(None, None, "en")}


def test_rows_written_raw_get_the_stored_window():
    """bulk_create (seed_corpus, scripts) and raw saves (reversion's restore)."""
    story = ArticleFactory(published_at=hours_ago(5), topics=["Mali"])
    kidal = Topic.objects.create(name="Kidal")
    TaggedArticle.objects.bulk_create([TaggedArticle(content_object=story, tag=kidal)])
    assert live_story_ids("Kidal") == {story.pk}
    row = TaggedArticle.objects.get(content_object=story, tag__name="Mali")
    row.live_from, row.live_until, row.language = None, None, None  # an old copy
    row.save_base(raw=True)
    copies, stored = stored_windows(story)
    assert copies == {stored} and stored[0] is not None


def test_a_story_inserted_after_its_tagging_rows_fills_them():
    """Recovering a deleted story may write its tagging rows first (foreign keys
    are checked at commit)."""
    story = ArticleFactory(published_at=hours_ago(5), topics=["Kidal"])
    fields = {
        f.attname: getattr(story, f.attname)
        for f in Article._meta.concrete_fields
        if f.attname != "id"
    }
    rows = list(TaggedArticle.objects.filter(content_object=story).values())
    story_id = story.pk
    Article.objects.filter(pk=story_id).delete()
    for row in rows:
        row["live_from"] = row["live_until"] = row["language"] = None
    TaggedArticle.objects.bulk_create([TaggedArticle(**row) for row in rows])
    Article.objects.bulk_create([Article(id=story_id, **fields)])
    assert live_story_ids("Kidal") == {story_id}


def test_related_list_sees_a_story_tagged_after_an_update_publish():
    subject = ArticleFactory(published_at=hours_ago(1), topics=["Kidal"])
    story = ArticleFactory(draft=True)
    stale = Article.objects.get(pk=story.pk)
    Article.objects.filter(pk=story.pk).update(
        status=Article.Status.PUBLISHED, published_at=hours_ago(2)
    )
    stale.tags.add("Kidal")
    assert automatic_stories(subject) == [story]


def test_triggers_a_table_rebuild_dropped_are_put_back_and_windows_recomputed():
    story = ArticleFactory(draft=True, topics=["Kidal"])
    db_maintained.drop_triggers(connection)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER articles_window_article_au ON articles_article"
            )
    Article.objects.filter(pk=story.pk).update(
        status=Article.Status.PUBLISHED, published_at=hours_ago(2)
    )
    assert live_story_ids("Kidal") == set()  # nothing kept it in step
    assert "live windows" in db_maintained.ensure(connection)
    assert live_story_ids("Kidal") == {story.pk}
    assert db_maintained.ensure(connection) == []


def test_a_change_of_language_reaches_the_tagging_rows():
    """By save() and by update(), on a live story and on a draft; an edition's
    topic counts follow at once."""
    from articles.topics import topic_counts_in

    story = ArticleFactory(published_at=hours_ago(2), topics=["Kidal", "Mali"])
    draft = ArticleFactory(draft=True, topics=["Kidal"])
    kidal = Topic.objects.get(name="Kidal")
    assert topic_counts_in("en").get(kidal.pk) == 1
    story.language = "fr"
    story.save()
    assert stored_windows(story)[0] == {(*stored_windows(story)[1],)}
    assert {copy[2] for copy in stored_windows(story)[0]} == {"fr"}
    assert topic_counts_in("fr").get(kidal.pk) == 1
    assert topic_counts_in("en").get(kidal.pk) is None
    Article.objects.filter(pk=draft.pk).update(language="fr")
    copies, stored = stored_windows(draft)
    assert copies == {stored} == {(None, None, "fr")}
    Article.objects.filter(pk=story.pk).update(language="en")
    assert {copy[2] for copy in stored_windows(story)[0]} == {"en"}
