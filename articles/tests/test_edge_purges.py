"""What a change purges (articles/edge_keys.py): written to the outbox in the
change's transaction, sent once it commits, exactly the pages that changed."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from articles import services
from articles.models import Article, StoryNote, Topic
from articles.tests.factories import ArticleFactory, AuthorFactory
from edge import clock, sending
from edge.models import Purge
from edge.tests.provider import Provider

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def fastly(settings):
    with Provider() as provider:
        settings.EDGE_PURGE_BACKEND = "fastly"
        settings.EDGE_FASTLY_URL = provider.url
        settings.EDGE_FASTLY_SERVICE = "svc"
        yield provider


@pytest.fixture
def site(settings):
    settings.EDGE_PURGE_BACKEND = ""  # building the site purges nothing
    author = AuthorFactory(slug="amina", name="Amina")
    sahel = Topic.objects.create(name="Sahel", slug="sahel")
    mali = Topic.objects.create(name="Mali", slug="mali", parent=sahel)
    story = ArticleFactory(topics=["Mali"], authors=[author], slug="bamako")
    return {"author": author, "sahel": sahel, "mali": mali, "story": story}


def purged(provider):
    """The keys of each call the provider got."""
    return [set(call["json"]["surrogate_keys"]) for call in provider.calls]


def test_editing_a_live_story_purges_its_pages_not_the_lists(site, fastly):
    story = Article.objects.get(pk=site["story"].pk)
    story.headline = "A new headline"
    services.save_story(story=story)
    assert purged(fastly) == [{f"s{story.pk}", "sitemap", "search-en"}]
    row = Purge.objects.get()
    assert row.state == Purge.State.SENT
    assert row.reason == f"article {story.pk} saved"


def test_saving_the_same_topics_again_purges_only_the_story(site, fastly):
    """The desk's form sets a story's topics on every save; when they are the
    ones it had, no list changed (seen in the stack's purge log: a dek edit
    purged the topic index and the API)."""
    story = Article.objects.get(pk=site["story"].pk)
    with transaction.atomic():
        story.dek = "A new dek"
        services.save_story(story=story)
        story.tags.set([site["mali"]])
        story.authors.set([site["author"]])
    assert purged(fastly) == [{f"s{story.pk}", "sitemap", "search-en"}]


def test_publishing_purges_the_story_and_every_list_it_joins(site, fastly):
    author, mali, sahel = site["author"], site["mali"], site["sahel"]
    with transaction.atomic():
        story = ArticleFactory(
            draft=True, slug="gao", authors=[author], topics=["Mali"]
        )
    fastly.calls.clear()
    Purge.objects.all().delete()
    story = Article.objects.get(pk=story.pk)
    story.status, story.published_at = Article.Status.PUBLISHED, timezone.now()
    services.save_story(story=story)
    (keys,) = purged(fastly)
    assert {f"s{story.pk}", f"tl{mali.pk}", f"tl{sahel.pk}", f"al{author.pk}",
            "home-en", "feed-en", "topics-en", "search-en", "corrections-en",
            "sitemap", "api", "missing"} == keys  # fmt: skip
    assert Purge.objects.count() == 1  # one purge for the change


def test_a_draft_saved_purges_nothing(site, fastly):
    ArticleFactory(draft=True, topics=["Mali"], authors=[site["author"]])
    assert fastly.calls == [] and not Purge.objects.exists()


def test_the_outbox_row_is_written_in_the_change_transaction(site, fastly):
    story = Article.objects.get(pk=site["story"].pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        story.headline = "Never committed"
        services.save_story(story=story)
        assert Purge.objects.filter(keys__contains=f"s{story.pk}").exists()
        raise RuntimeError
    assert not Purge.objects.exists() and fastly.calls == []


def test_moving_a_story_to_another_topic_purges_old_and_new_topic_lists(site, fastly):
    story, mali = site["story"], site["mali"]
    chad = Topic.objects.create(name="Chad", slug="chad")
    fastly.calls.clear()
    with transaction.atomic():
        story.tags.remove(mali)
        story.tags.add(chad)
    (keys,) = purged(fastly)
    assert {f"tl{mali.pk}", f"tl{site['sahel'].pk}", f"tl{chad.pk}",
            f"s{story.pk}"} <= keys  # fmt: skip
    assert "home-en" not in keys


def test_renaming_a_topic_purges_it_and_its_narrower_topics_pages(site, fastly):
    sahel, mali = site["sahel"], site["mali"]
    sahel.name = "Central Sahel"
    sahel.save()
    (keys,) = purged(fastly)
    assert {f"t{sahel.pk}", f"t{mali.pk}", f"tl{sahel.pk}", "topics-en"} <= keys
    assert not {key for key in keys if key.startswith("s") and key[1:].isdigit()}


def test_a_correction_purges_the_story_and_the_corrections_lists(site, fastly):
    story = site["story"]
    StoryNote.objects.create(
        article=story, kind=StoryNote.Kind.CORRECTION, text="We misspelt a name."
    )
    (keys,) = purged(fastly)
    assert {f"s{story.pk}", "corrections-en", "corrections-fr"} <= keys


def test_bulk_publish_and_unpublish_purge_too(site, fastly):
    with transaction.atomic():
        draft = ArticleFactory(draft=True, topics=["Mali"])
    fastly.calls.clear()
    services.publish_now(Article.objects.filter(pk=draft.pk))
    assert {f"s{draft.pk}", "home-en", f"tl{site['mali'].pk}"} <= purged(fastly)[-1]
    services.unpublish(Article.objects.filter(pk=draft.pk))
    assert {f"s{draft.pk}", "home-en"} <= purged(fastly)[-1]


def test_scheduled_publication_and_expiry_purge_with_nobody_saving(site, fastly):
    now = timezone.now()
    with transaction.atomic():
        soon = ArticleFactory(
            topics=["Mali"], slug="soon", published_at=now + timedelta(minutes=5)
        )
        ending = ArticleFactory(slug="ending", unpublish_at=now + timedelta(minutes=7))
    fastly.calls.clear()
    assert clock.catch_up(now) == set()  # the first run starts the clock
    assert clock.catch_up(now + timedelta(minutes=1)) == set()  # nothing passed
    keys = clock.catch_up(now + timedelta(minutes=6))
    assert {f"s{soon.pk}", "home-en", f"tl{site['mali'].pk}", "sitemap"} <= keys
    assert f"s{ending.pk}" not in keys
    assert purged(fastly)[-1] == keys
    keys = clock.catch_up(now + timedelta(minutes=8))
    assert f"s{ending.pk}" in keys and f"s{soon.pk}" not in keys


def test_send_purges_command_catches_up_and_retries(site, fastly, settings):
    from django.core.management import call_command

    settings.EDGE_PURGE_RETRY_SECONDS = 0
    fastly.answers.append((500, {"msg": "down"}))
    story = Article.objects.get(pk=site["story"].pk)
    story.headline = "Retried"
    services.save_story(story=story)
    assert Purge.objects.get().state == Purge.State.PENDING
    call_command("send_purges")
    row = Purge.objects.get()
    assert row.state == Purge.State.SENT and row.attempts == 2 and row.retries == 1
    assert sending.send() == 0
