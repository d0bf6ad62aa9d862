"""A desk save the database does not take loses nothing the editor typed.

For real: another connection holds a write lock (SQLite: BEGIN IMMEDIATE;
PostgreSQL: LOCK TABLE ... IN SHARE MODE, with a short lock_timeout on ours), so
the save fails as it would behind a long migration or a stuck writer; or the
database goes away altogether (pagecache/tests/faults.py).
"""

import contextlib
import html
import re
import sqlite3

import pytest
from django.db import connection
from django.urls import reverse

from articles.desk.resilience import NOT_SAVED
from articles.models import Article, StoryNote, Topic
from articles.tests.admin_forms import (
    ADD,
    add_inline,
    article_form,
    change_url,
    form_data,
)
from pagecache.tests.faults import DatabaseOutage

# Real commits: the lock is another connection's. serialized_rollback: the flush
# afterwards would otherwise leave the desk roles to be restored twice.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def write_lock():
    """A context manager: while it is open, another connection holds the lock
    every write needs, and ours gives up waiting for it after a moment."""

    @contextlib.contextmanager
    def held():
        if connection.vendor == "postgresql":
            import psycopg

            params = connection.get_connection_params()
            other = psycopg.connect(**params)
            other.execute(
                "LOCK TABLE articles_article, articles_topic IN SHARE MODE"
            )  # reads go on; no row can be written
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '300ms'")
            try:
                yield
            finally:
                other.rollback()
                other.close()
                with connection.cursor() as cursor:
                    cursor.execute("RESET lock_timeout")
        else:
            name = connection.settings_dict["NAME"]
            other = sqlite3.connect(name, uri=True, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")  # the one writer's lock
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout")
                (waits,) = cursor.fetchone()
                cursor.execute("PRAGMA busy_timeout = 300")
            try:
                yield
            finally:
                other.execute("ROLLBACK")
                other.close()
                with connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA busy_timeout = {int(waits)}")

    return held


def text_of(response):
    return html.unescape(response.content.decode())


def test_a_change_the_database_did_not_take_keeps_everything_typed(
    editor_client, story, write_lock
):
    data = form_data(editor_client.get(change_url(story)))
    data.update(
        headline="Typed while the database was locked",
        body="<p>Every word of a long, careful rewrite.</p>",
        dek="A dek typed too.",
    )
    add_inline(data, "notes", kind="correction", text="A correction typed too.",
               created_at_0="2026-01-10", created_at_1="10:00:00")  # fmt: skip
    with write_lock():
        response = editor_client.post(change_url(story), data)

    assert response.status_code == 200
    page = text_of(response)
    assert NOT_SAVED in page
    for typed in [
        "Typed while the database was locked",
        "<p>Every word of a long, careful rewrite.</p>",
        "A dek typed too.",
        "A correction typed too.",
    ]:
        assert typed in page, typed
    story.refresh_from_db()
    assert story.headline != "Typed while the database was locked"
    assert not StoryNote.objects.exists()

    # The database answers again: Save on the form as it came back saves it all.
    response = editor_client.post(change_url(story), form_data(response))
    assert response.status_code == 302, text_of(response)[:3000]
    story.refresh_from_db()
    assert story.headline == "Typed while the database was locked"
    assert StoryNote.objects.get().text == "A correction typed too."


def test_a_new_story_the_database_did_not_take_keeps_everything_typed(
    editor_client, write_lock
):
    with write_lock():
        response = editor_client.post(
            ADD, article_form(headline="A new story, typed in full")
        )
    assert response.status_code == 200, response.content.decode()[:2000]
    page = text_of(response)
    assert NOT_SAVED in page
    assert "A new story, typed in full" in page
    assert not Article.objects.exists()
    response = editor_client.post(ADD, form_data(response))
    assert response.status_code == 302, (response.status_code, text_of(response)[:3000])
    assert Article.objects.get().headline == "A new story, typed in full"


def test_a_topic_the_database_did_not_take_keeps_everything_typed(
    editor_client, story, write_lock
):
    mali = Topic.objects.get(name="Mali")
    url = reverse("admin:articles_topic_change", args=[mali.pk])
    data = form_data(editor_client.get(url))
    data["description"] = "A description typed during the lock."
    add_inline(data, "facts", label="Capital", value="Bamako", as_of="", source="",
               position="0")  # fmt: skip
    with write_lock():
        response = editor_client.post(url, data)
    assert response.status_code == 200
    page = text_of(response)
    assert NOT_SAVED in page
    assert "A description typed during the lock." in page
    assert 'value="Bamako"' in page
    assert editor_client.post(url, form_data(response)).status_code == 302
    assert Topic.objects.get(pk=mali.pk).facts.get().value == "Bamako"


def test_with_the_database_gone_the_typed_text_comes_back_to_be_posted_again(
    editor_client, story, tmp_path
):
    data = form_data(editor_client.get(change_url(story)))
    data["headline"] = "Typed as the database went away"
    data["body"] = "<p>Three paragraphs <em>nobody</em> wants to type twice.</p>"
    outage = DatabaseOutage(connection, tmp_path)
    try:
        with outage.down():
            response = editor_client.post(change_url(story), data)
    finally:
        outage.close()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "nothing was saved" in page
    assert f'action="{change_url(story)}"' in page
    # Every field, escaped, in a form that posts them again as they were.
    posted = dict(re.findall(r'<textarea name="([^"]+)" rows="\d+">([^<]*)<', page))
    posted.update(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    )
    posted = {name: html.unescape(value) for name, value in posted.items()}
    assert posted["headline"] == "Typed as the database went away"
    assert posted["body"] == data["body"]
    posted.pop("csrfmiddlewaretoken")
    response = editor_client.post(change_url(story), posted)
    assert response.status_code == 302, text_of(response)[:3000]
    story.refresh_from_db()
    assert story.headline == "Typed as the database went away"


def test_a_login_during_the_outage_does_not_echo_the_password(client, editor, tmp_path):
    outage = DatabaseOutage(connection, tmp_path)
    try:
        with outage.down():
            response = client.post(
                "/admin/login/", {"username": "ed", "password": "ed-pw-123"}
            )
    finally:
        outage.close()
    assert response.status_code == 503
    assert "ed-pw-123" not in response.content.decode()
