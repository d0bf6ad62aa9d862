"""Cached pages are dropped when what readers see changes, and only then.

The content generation moves once per transaction that changes public content
(articles/invalidation.py weighs each write, pagecache/writes.py listens): every
real desk write shows on the next request; a login, a refused form or a draft's
save leaves every cached page cached.
"""

import json

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from articles import edge_keys
from articles.models import Article, Topic
from articles.tests.admin_forms import CHANGELIST, add_inline, change_url, form_data
from articles.tests.factories import ArticleFactory, signed
from articles.tests.history.test_revisions import confirm_restore
from articles.tests.test_page_cache import page_cache_on, read, reader, warm
from pagecache.generation import bump
from pagecache.models import ContentGeneration

pytestmark = pytest.mark.django_db
# Real commits. serialized_rollback: the flush afterwards would otherwise leave the
# desk roles for a later test to restore a second time.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)
__all__ = ["page_cache_on", "reader"]  # fixtures, used by name


def bumps(queries):
    """The statements that moved the content generation."""
    return [
        query["sql"]
        for query in queries
        if query["sql"].startswith("UPDATE")
        and "contentgeneration" in query["sql"]
        and 'SET "generation"' in query["sql"]
    ]


def generation():
    return ContentGeneration.objects.get().generation


def topic_url(topic):
    return reverse("admin:articles_topic_change", args=[topic.pk])


def save(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def assert_still_cached(reader, *urls):
    for url in urls:
        assert reader.get(url).headers.get("X-Page-Cache") == "hit", url


# Once per transaction.


@committing
def test_five_new_topics_on_a_story_move_the_generation_once():
    story = ArticleFactory(topics=["Mali"])
    with CaptureQueriesContext(connection) as queries:
        story.tags.add("Kidal", "Ménaka", "Gao", "Tessalit", "Anefis")
    assert len(bumps(queries)) == 1  # was 11
    # Topics, tagging rows, one bump, and the look-ahead once it committed;
    # then for each row the keys it makes stale, recorded for the pages prepared
    # ahead (edge.changes: one statement a row, the generation read once).
    assert len(queries) <= 96, len(queries)  # was 133, then 70 without records
    row = ContentGeneration.objects.get()
    assert row.next_change_for == row.generation


@committing
def test_the_bump_commits_with_the_change_and_a_rolled_back_one_is_made_again():
    story = ArticleFactory(topics=["Mali"])
    before = generation()
    with transaction.atomic():
        try:
            with transaction.atomic():
                story.headline = "Never published"
                story.save()  # bumps inside the savepoint...
                raise RuntimeError("the desk changed its mind")
        except RuntimeError:
            pass  # ...and the rollback takes the bump with it
        assert generation() == before
        ArticleFactory(headline="Filed after the rollback")  # must bump again
        with CaptureQueriesContext(connection) as queries:
            ArticleFactory(headline="Filed in the same transaction")
        assert bumps(queries) == []  # the first bump covers it
    assert generation() > before


@committing
def test_a_fixture_load_moves_the_generation_once(tmp_path):
    for number in range(20):
        ArticleFactory(topics=["Mali", f"Place {number}"])
    fixture = tmp_path / "stories.json"
    call_command(
        "dumpdata",
        "articles",
        exclude=["articles.searchdocument"],
        output=str(fixture),
        verbosity=0,
    )
    Article.objects.all().delete()
    Topic.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        call_command("loaddata", str(fixture), verbosity=0)
    assert len(json.loads(fixture.read_text())) == 81  # stories, topics, taggings
    assert Article.objects.count() == 20
    assert len(bumps(queries)) == 1


@committing
def test_a_fixture_cannot_bring_back_an_old_generation(tmp_path):
    ArticleFactory()
    fixture = tmp_path / "generation.json"
    call_command("dumpdata", "pagecache.contentgeneration", output=str(fixture))
    old = generation()
    ArticleFactory()
    before = generation()
    assert before > old
    call_command("loaddata", str(fixture), verbosity=0)
    assert generation() > before


# No change readers can see: every cached page stays.


def test_a_login_and_a_refused_form_leave_cached_pages_cached(
    reader, client, editor, story
):
    warm(reader, "/", story.get_absolute_url(), "/topics/mali/")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "ed", "password": "ed-pw-123", "next": "/admin/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    data = form_data(client.get(change_url(story)))
    data["headline"] = ""
    response = client.post(change_url(story), data)
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert_still_cached(reader, "/", story.get_absolute_url(), "/topics/mali/")


def test_saving_a_draft_changes_no_public_page(reader, editor_client, story):
    draft = ArticleFactory(draft=True, headline="Desk draft", topics=["Mali"])
    warm(reader, "/", story.get_absolute_url(), "/topics/mali/", "/feed/")
    data = form_data(editor_client.get(change_url(draft)))
    data.update(headline="Desk draft, rewritten", tags="Mali, AES")
    add_inline(data, "notes", kind="update", text="Not yet.",
               created_at_0="2026-01-10", created_at_1="10:00:00")  # fmt: skip
    save(editor_client, change_url(draft), data)
    ArticleFactory(review=True, headline="Filed for review from a script")
    assert Article.objects.get(pk=draft.pk).headline == "Desk draft, rewritten"
    assert_still_cached(
        reader, "/", story.get_absolute_url(), "/topics/mali/", "/feed/"
    )


# Every real desk write still shows on the next request.


def test_a_story_edited_in_the_admin(reader, editor_client, story):
    warm(reader, "/", story.get_absolute_url())
    data = form_data(editor_client.get(change_url(story)))
    data["headline"] = "Edited at the desk"
    save(editor_client, change_url(story), data)
    assert "Edited at the desk" in read(reader, story.get_absolute_url())[1]
    assert "Edited at the desk" in read(reader, "/")[1]


def test_a_note(reader, editor_client, story):
    warm(reader, story.get_absolute_url(), "/corrections/")
    data = form_data(editor_client.get(change_url(story)))
    add_inline(data, "notes", kind="correction", text="The convoy left on Tuesday.",
               created_at_0="2026-01-10", created_at_1="10:00:00")  # fmt: skip
    save(editor_client, change_url(story), data)
    assert "The convoy left on Tuesday." in read(reader, story.get_absolute_url())[1]
    assert "The convoy left on Tuesday." in read(reader, "/corrections/")[1]


def test_a_curated_link_and_an_exclusion(reader, editor_client, story):
    pick = ArticleFactory(headline="Picked by the editor", topics=["Elsewhere"])
    automatic = ArticleFactory(headline="Chosen by topics", topics=["Mali", "AES"])
    warm(reader, story.get_absolute_url())
    assert "Chosen by topics" in read(reader, story.get_absolute_url())[1]
    data = form_data(editor_client.get(change_url(story)))
    add_inline(data, "curated_links", story=str(pick.pk), position="0")
    add_inline(data, "related_exclusions", story=str(automatic.pk))
    save(editor_client, change_url(story), data)
    html = read(reader, story.get_absolute_url())[1]
    assert "Picked by the editor" in html
    assert "Chosen by topics" not in html


def test_a_topic_alias_fact_and_event(reader, editor_client, story):
    mali = Topic.objects.get(name="Mali")
    urls = ["/topics/mali/", "/topics/mali/timeline/", "/topics/republique-du-mali/"]
    warm(reader, *urls)
    data = form_data(editor_client.get(topic_url(mali)))
    add_inline(data, "aliases", name="République du Mali", language="fr",
               slug="republique-du-mali")  # fmt: skip
    add_inline(data, "facts", label="Capital", value="Bamako", as_of="", source="",
               position="0")  # fmt: skip
    add_inline(data, "events", date="2023-09-16", text="Liptako-Gourma Charter",
               story="")  # fmt: skip
    save(editor_client, topic_url(mali), data)
    assert reader.get("/topics/republique-du-mali/").status_code == 301
    assert "Bamako" in read(reader, "/topics/mali/")[1]
    assert "Liptako-Gourma Charter" in read(reader, "/topics/mali/timeline/")[1]


def test_a_topic_merge(reader, editor_client, story):
    ArticleFactory(topics=["Malian junta"])
    source, target = (
        Topic.objects.get(name="Malian junta"),
        Topic.objects.get(name="Mali"),
    )
    warm(reader, "/topics/malian-junta/", "/topics/")
    response = editor_client.post(
        reverse("admin:articles_topic_merge"),
        {"ids": f"{source.pk},{target.pk}", "target": str(target.pk), "confirm": "1"},
    )
    assert response.status_code == 302
    assert reader.get("/topics/malian-junta/").status_code == 301
    assert "Malian junta" not in read(reader, "/topics/")[1]


def test_the_list_actions(reader, editor_client, story):
    draft = ArticleFactory(
        draft=True, headline="Going live from the list", authors=signed()
    )
    warm(reader, "/", story.get_absolute_url())
    for action, pk in [("publish_now", draft.pk), ("unpublish", story.pk)]:
        response = editor_client.post(
            CHANGELIST, {"action": action, ACTION_CHECKBOX_NAME: [str(pk)]}
        )
        assert response.status_code == 302
    assert "Going live from the list" in read(reader, "/")[1]
    assert reader.get(story.get_absolute_url()).status_code == 404


def test_a_delete_and_a_recovery(reader, editor_client, story):
    url = story.get_absolute_url()
    warm(reader, "/", url)
    response = editor_client.post(
        reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert reader.get(url).status_code == 404
    warm(reader, url)  # the 404 is cached in its turn
    deleted = Version.objects.get_deleted(Article).get(object_id=str(story.pk))
    recover = reverse("admin:articles_article_recover", args=[deleted.pk])
    assert editor_client.get(recover).status_code == 200
    save(editor_client, recover, {"republish": "1"})
    assert reader.get(url).status_code == 200


def test_a_restored_version(reader, editor_client, story):
    for headline in ["First desk headline", "Second desk headline"]:
        data = form_data(editor_client.get(change_url(story)))
        data["headline"] = headline
        save(editor_client, change_url(story), data)
    warm(reader, story.get_absolute_url())
    first = Version.objects.get_for_object(story).order_by("pk").first()
    confirm_restore(editor_client, story, first)
    assert "First desk headline" in read(reader, story.get_absolute_url())[1]


def test_a_restore_that_takes_a_story_offline(reader, editor_client, story):
    """Restoring writes raw rows (no `save()`), so it is weighed as a load."""
    data = form_data(editor_client.get(change_url(story)))
    data["status"] = "draft"
    save(editor_client, change_url(story), data)
    data = form_data(editor_client.get(change_url(story)))
    data["status"] = "published"
    data["authors"] = [author.pk for author in signed()]  # a byline to go live
    save(editor_client, change_url(story), data)
    warm(reader, story.get_absolute_url())
    draft_version = Version.objects.get_for_object(story).order_by("pk").first()
    confirm_restore(editor_client, story, draft_version, restore_state="1")
    assert reader.get(story.get_absolute_url()).status_code == 404


def test_a_bulk_update_bumps_when_told(reader, story):
    warm(reader, "/")
    Article.objects.filter(pk=story.pk).update(headline="Changed with update()")
    # What services.py and the commands do after update(): the page cache and
    # the keys it changed (the edge's and the prepared copies').
    bump()
    edge_keys.stories_changed([story.pk], reason="changed with update()")
    assert "Changed with update()" in read(reader, "/")[1]
    assert "Changed with update()" in read(reader, story.get_absolute_url())[1]
