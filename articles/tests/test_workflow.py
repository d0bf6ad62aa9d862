"""The desk's workflow: who may do what, the review queue, time, and lost updates."""

import sqlite3
import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from articles.tests.admin_forms import (
    ADD,
    CHANGELIST,
    article_form,
    change_url,
    form_data,
)
from articles.tests.factories import ArticleFactory, signed

pytestmark = pytest.mark.django_db


class TestReporterOwnsTheirStories:
    def test_list_shows_only_their_own(self, reporter_client, reporter):
        ArticleFactory(draft=True, headline="Mine", created_by=reporter)
        ArticleFactory(draft=True, headline="A colleague's draft")
        page = reporter_client.get(CHANGELIST).content.decode()
        assert "Mine" in page
        assert "A colleague&#x27;s draft" not in page and "colleague" not in page

    def test_new_story_belongs_to_its_author(self, reporter_client, reporter):
        reporter_client.post(ADD, article_form())
        story = Article.objects.get()
        assert story.created_by == reporter and story.updated_by == reporter

    def test_cannot_open_or_post_to_another_reporters_draft(self, reporter_client):
        other = ArticleFactory(draft=True, headline="Not yours")
        assert reporter_client.get(change_url(other)).status_code == 404
        reporter_client.post(change_url(other), article_form(headline="Hijacked"))
        other.refresh_from_db()
        assert other.headline == "Not yours"

    def test_cannot_act_on_another_reporters_draft(self, reporter_client):
        other = ArticleFactory(draft=True)
        reporter_client.post(
            CHANGELIST,
            {"action": "submit_for_review", ACTION_CHECKBOX_NAME: [str(other.pk)]},
        )
        other.refresh_from_db()
        assert other.status == "draft"

    def test_cannot_preview_another_reporters_draft(self, reporter_client, reporter):
        other = ArticleFactory(draft=True)
        mine = ArticleFactory(draft=True, created_by=reporter)
        preview = "articles:article_preview"
        assert reporter_client.get(reverse(preview, args=[other.pk])).status_code == 404
        assert reporter_client.get(reverse(preview, args=[mine.pk])).status_code == 200

    def test_cannot_see_history_of_another_reporters_story(self, reporter_client):
        other = ArticleFactory(draft=True)
        url = reverse("admin:articles_article_history", args=[other.pk])
        assert reporter_client.get(url).status_code == 404

    def test_cannot_unpublish_or_schedule(self, reporter_client, reporter):
        live = ArticleFactory(created_by=reporter)
        reporter_client.post(
            CHANGELIST, {"action": "unpublish", ACTION_CHECKBOX_NAME: [str(live.pk)]}
        )
        live.refresh_from_db()
        assert live.status == "published"
        reporter_client.post(
            ADD,
            article_form(
                status="published", published_at_0="2099-01-01", published_at_1="08:00"
            ),
        )
        assert Article.objects.count() == 1

    def test_cannot_restore_or_recover(self, client, reporter, editor):
        client.force_login(editor)
        client.post(ADD, article_form())
        story = Article.objects.get()
        story.created_by = reporter
        story.save()
        reporter_client = client
        reporter_client.force_login(reporter)
        version = story_versions(story)[0]
        restore = reverse("admin:articles_article_restore", args=[story.pk, version])
        assert reporter_client.get(restore).status_code == 403
        assert reporter_client.post(restore).status_code == 403
        revision = reverse("admin:articles_article_revision", args=[story.pk, version])
        assert reporter_client.post(revision, article_form()).status_code == 403
        assert (
            reporter_client.get(reverse("admin:articles_article_recoverlist"))
        ).status_code == 403
        client.force_login(editor)
        client.post(
            reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"}
        )
        deleted = Version.objects.get_deleted(Article).get(object_id=str(story.pk))
        recover = reverse("admin:articles_article_recover", args=[deleted.pk])
        reporter_client.force_login(reporter)
        assert reporter_client.get(recover).status_code == 403
        assert reporter_client.post(recover).status_code == 403
        assert not Article.objects.filter(pk=story.pk).exists()

    def test_picker_offers_own_and_live_stories(self, reporter_client, reporter):
        ArticleFactory(headline="Charter live")
        ArticleFactory(draft=True, headline="Charter draft, a colleague's")
        ArticleFactory(draft=True, headline="Charter draft, mine", created_by=reporter)
        response = reporter_client.get(
            "/admin/autocomplete/",
            {"app_label": "articles", "model_name": "relatedstory",
             "field_name": "story", "term": "charter"},
        )  # fmt: skip
        assert sorted(r["text"] for r in response.json()["results"]) == [
            "Charter draft, mine",
            "Charter live",
        ]


class TestReviewQueue:
    def test_reporter_submits_and_editor_sees_the_queue(self, client, reporter, editor):
        draft = ArticleFactory(
            draft=True, headline="Ready for the desk", created_by=reporter
        )
        ArticleFactory(draft=True, headline="Still drafting")
        client.force_login(reporter)
        response = client.post(
            CHANGELIST,
            {"action": "submit_for_review", ACTION_CHECKBOX_NAME: [str(draft.pk)]},
        )
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.status == "review" and draft.updated_by == reporter
        client.force_login(editor)
        page = client.get(CHANGELIST, {"state": "review"}).content.decode()
        assert "Ready for the desk" in page and "Still drafting" not in page
        assert "is your queue. 1 story is waiting" in page

    def test_editor_publishes_from_the_queue(self, editor_client, editor):
        queued = ArticleFactory(review=True, authors=signed())
        editor_client.post(
            CHANGELIST,
            {"action": "publish_now", ACTION_CHECKBOX_NAME: [str(queued.pk)]},
        )
        queued.refresh_from_db()
        assert queued.is_published() and queued.updated_by == editor


class TestScheduleAndExpiry:
    def test_scheduled_story_goes_live_at_its_time_and_expires(self, client):
        start = timezone.now()
        story = ArticleFactory(
            published_at=start + timedelta(hours=2),
            unpublish_at=start + timedelta(days=1),
        )
        url = story.get_absolute_url()
        assert client.get(url).status_code == 404
        assert story.state == "scheduled"
        with time_machine.travel(start + timedelta(hours=3), tick=False):
            assert client.get(url).status_code == 200
            assert story in Article.objects.published()
            assert story.headline in client.get("/").content.decode()
        with time_machine.travel(start + timedelta(days=2), tick=False):
            assert client.get(url).status_code == 404
            assert story.headline not in client.get("/").content.decode()
            assert story.state == "expired"

    def test_editor_sets_an_expiry_and_the_admin_explains_it(self, editor_client):
        page = editor_client.get(ADD).content.decode()
        assert "it goes live at that time by itself" in page
        editor_client.post(
            ADD,
            article_form(
                status="published",
                unpublish_at_0="2099-01-01",
                unpublish_at_1="08:00",
                authors=[author.pk for author in signed()],
            ),
        )
        story = Article.objects.get()
        assert story.unpublish_at.year == 2099 and story.is_published()


def story_versions(story):
    from reversion.models import Version

    return [v.pk for v in Version.objects.get_for_object(story)]


class TestNoLostUpdates:
    def test_second_save_is_refused_naming_who_and_keeping_the_text(
        self, client, editor, django_user_model
    ):
        story = ArticleFactory(headline="Original headline", body="<p>Original.</p>")
        from articles.tests.conftest import desk_member

        other = desk_member(django_user_model, "amina", "Editors")
        other.first_name, other.last_name = "Amina", "Touré"
        other.save()
        client.force_login(editor)
        edit = form_data(client.get(change_url(story)))  # a first version in History
        assert client.post(change_url(story), edit).status_code == 302
        mine = form_data(client.get(change_url(story)))
        client.force_login(other)
        theirs = form_data(client.get(change_url(story)))
        theirs["headline"] = "Their headline"
        assert client.post(change_url(story), theirs).status_code == 302

        client.force_login(editor)
        mine["body"] = "<p>My careful rewrite.</p>"
        response = client.post(change_url(story), mine)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Amina Touré saved this story at" in page
        assert "My careful rewrite." in page  # still in the form
        compare = response.context["adminform"].form.stale_compare_url
        assert compare in page.replace("&amp;", "&")
        diff = client.get(compare).content.decode()
        assert "<del>Original</del><ins>Their</ins> headline" in diff
        story.refresh_from_db()
        assert story.headline == "Their headline" and "Original." in story.body

        # Saving again, having seen the warning, overwrites on purpose.
        again = form_data(response)
        assert client.post(change_url(story), again).status_code == 302
        story.refresh_from_db()
        assert story.body == "<p>My careful rewrite.</p>"
        assert story.updated_by == editor

    def test_an_action_in_between_also_counts(self, editor_client):
        story = ArticleFactory(draft=True, authors=signed())
        opened = form_data(editor_client.get(change_url(story)))
        editor_client.post(
            CHANGELIST, {"action": "publish_now", ACTION_CHECKBOX_NAME: [str(story.pk)]}
        )
        response = editor_client.post(change_url(story), opened)
        assert response.status_code == 200
        assert "after you opened it" in response.content.decode()
        story.refresh_from_db()
        assert story.status == "published"


def test_recover_link_only_for_editors(client, reporter, editor):
    recover = reverse("admin:articles_article_recoverlist")
    client.force_login(reporter)
    assert recover not in client.get(CHANGELIST).content.decode()
    client.force_login(editor)
    assert recover in client.get(CHANGELIST).content.decode()


def test_reporter_reads_their_live_story_without_editing_it(reporter_client, reporter):
    live = ArticleFactory(created_by=reporter, headline="My live story")
    response = reporter_client.get(change_url(live))
    assert response.status_code == 200
    page = response.content.decode()
    assert "My live story" in page and 'name="headline"' not in page


def test_reporter_keeps_editing_a_story_in_review(reporter_client, reporter):
    queued = ArticleFactory(review=True, created_by=reporter, slug="queued")
    data = article_form(
        headline="Sharper headline",
        slug="queued",
        status="review",
        opened_version=queued.updated_at.isoformat(),
    )
    assert reporter_client.post(change_url(queued), data).status_code == 302
    queued.refresh_from_db()
    assert queued.headline == "Sharper headline" and queued.status == "review"


class TestNoLostUpdatesUnderLoad:
    """Two editors pressing Save at the same moment: the check and the save happen
    in one transaction, so exactly one wins and the other is told."""

    def test_missing_or_malformed_opened_version_counts_as_stale(self, editor_client):
        story = ArticleFactory(headline="Original headline")
        for opened in [None, "", "not a time", "2001-01-01T00:00:00+00:00"]:
            data = form_data(editor_client.get(change_url(story)))
            data["headline"] = "Blind overwrite"
            if opened is None:
                del data["opened_version"]
            else:
                data["opened_version"] = opened
            response = editor_client.post(change_url(story), data)
            assert response.status_code == 200, opened
            page = response.content.decode()
            assert "Your changes are still in the form below" in page, opened
            assert "Blind overwrite" in page, opened
            story.refresh_from_db()
            assert story.headline == "Original headline", opened
        # The refusal hands the form the version it checked: saving again works.
        assert (
            editor_client.post(change_url(story), form_data(response)).status_code
            == 302
        )
        story.refresh_from_db()
        assert story.headline == "Blind overwrite"

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_two_saves_at_the_same_moment_one_wins_every_round(
        self, django_user_model, tmp_path
    ):
        from articles.tests.conftest import desk_member

        story = ArticleFactory(headline="Round zero")
        desk = []
        for name in ["amina", "boubacar"]:
            member = desk_member(django_user_model, name, "Editors")
            member.first_name = name.capitalize()
            member.save()
            client = Client()
            client.force_login(member)
            desk.append(client)
        with own_connections_per_thread(tmp_path):
            outcomes = in_a_thread(race_saves, desk, story.pk, 20)
        for number, (codes, pages, headline) in enumerate(outcomes):
            assert sorted(codes) == [200, 302], (number, codes)
            winner, loser = codes.index(302), codes.index(200)
            assert headline == f"Round {number} by editor {winner}", number
            assert "after you opened it" in pages[loser], number
            assert f"Round {number} by editor {loser}" in pages[loser], number
            assert ("Amina", "Boubacar")[winner] + " saved this story" in pages[loser]


def race_saves(desk, pk, rounds):
    """Each round both editors open the story, then press Save together."""
    outcomes = []
    url = reverse("admin:articles_article_change", args=[pk])
    for number in range(rounds):
        forms = [form_data(client.get(url)) for client in desk]
        assert forms[0]["opened_version"] == forms[1]["opened_version"]
        for who, data in enumerate(forms):
            data["headline"] = f"Round {number} by editor {who}"
        answers = save_together(desk, url, forms)
        outcomes.append(
            (
                [answer.status_code for answer in answers],
                [answer.content.decode() for answer in answers],
                Article.objects.get(pk=pk).headline,
            )
        )
    return outcomes


def save_together(desk, url, forms):
    """Every client posts its form at the same moment, each from its own thread."""
    start = threading.Barrier(len(desk), timeout=60)  # never hang the suite

    def save(who):
        start.wait()
        return desk[who].post(url, forms[who])

    answers = [None] * len(desk)

    def collect(who):
        answers[who] = in_a_thread(save, who)

    posters = [threading.Thread(target=collect, args=(w,)) for w in range(len(desk))]
    for poster in posters:
        poster.start()
    for poster in posters:
        poster.join()
    return answers


def in_a_thread(func, *args):
    """Run `func` in a new thread on that thread's own database connection; its
    result, or its exception raised here."""
    result, failure = [], []

    def run():
        try:
            result.append(func(*args))
        except BaseException as error:  # handed back to the caller below
            failure.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return result[0]


@contextmanager
def own_connections_per_thread(tmp_path):
    """Let threads race on a database that behaves like the real one.

    PostgreSQL: each thread already opens its own connection to the test database.
    SQLite: the test database lives in memory, whose shared cache answers a second
    writer with "database table is locked" at once instead of waiting as a database
    file does; so the threads get a file copy of it (WAL, BEGIN IMMEDIATE, the
    settings' busy timeout), and this thread's in-memory database is left alone.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    copy = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    settings = connections.settings[connection.alias]
    memory = settings["NAME"]
    settings["NAME"] = str(copy)
    try:
        yield
    finally:
        settings["NAME"] = memory
