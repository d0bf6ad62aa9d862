"""Revisions: history, a readable difference, restore after confirmation, recovery."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles import services
from articles.models import (
    Article,
    RelatedExclusion,
    RelatedStory,
    StoryLink,
    StoryNote,
    TaggedArticle,
    Topic,
)
from articles.tests.admin_forms import (
    ADD,
    CHANGELIST,
    add_inline,
    article_form,
    change_url,
    form_data,
    inline_formset,
)
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    StoryNoteFactory,
    image_file,
    signed,
)

pytestmark = pytest.mark.django_db


def edit(client, story, **changes):
    data = form_data(client.get(change_url(story)))
    data.update(changes)
    response = client.post(change_url(story), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def versions(story):
    return list(
        Version.objects.get_for_object(story).order_by("revision__date_created", "pk")
    )


@pytest.fixture
def edited_story(editor_client):
    """A story saved twice: first with topics Mali + AES and one curated link, then
    with a new headline, body, topics and no curated link."""
    earlier = ArticleFactory(headline="The charter, signed")
    editor_client.post(
        ADD,
        article_form(
            headline="First headline",
            body="<p>Bamako hosts the summit.</p>",
            tags="Mali, AES",
            **inline_formset(
                "curated_links", [{"story": str(earlier.pk), "position": "0"}]
            ),
        ),
    )
    story = Article.objects.get(slug="niger-junta-french-troops")
    data = form_data(editor_client.get(change_url(story)))
    data.update(
        headline="Second headline",
        body="<p>Niamey hosts the summit.</p>",
        tags="Niger",
        **{"curated_links-0-DELETE": "on"},
    )
    assert editor_client.post(change_url(story), data).status_code == 302
    return story, earlier


class TestHistory:
    def test_every_save_is_kept_with_its_author(
        self, editor_client, edited_story, editor
    ):
        story, _ = edited_story
        kept = versions(story)
        assert len(kept) == 2
        assert {v.revision.user for v in kept} == {editor}
        page = editor_client.get(
            reverse("admin:articles_article_history", args=[story.pk])
        ).content.decode()
        assert "Compare the two versions" in page and "Review and restore" in page

    def test_compare_shows_a_readable_difference(self, editor_client, edited_story):
        story, _ = edited_story
        first, second = versions(story)
        page = editor_client.get(
            reverse("admin:articles_article_compare", args=[story.pk]),
            {"from": second.pk, "to": first.pk},  # either order
        ).content.decode()
        assert "<del>First</del><ins>Second</ins> headline" in page
        assert "<del>Bamako</del><ins>Niamey</ins> hosts the summit." in page
        assert "<del>AES, Mali</del><ins>Niger</ins>" in page
        assert "&lt;p&gt;" not in page  # text, not markup

    @pytest.mark.parametrize(
        "bad", [{}, {"from": "x", "to": "1"}, {"from": "999999", "to": "1"}]
    )
    def test_compare_with_bad_input_is_a_404(self, editor_client, edited_story, bad):
        story, _ = edited_story
        url = reverse("admin:articles_article_compare", args=[story.pk])
        assert editor_client.get(url, bad).status_code == 404


def restore_url(story, version):
    return reverse("admin:articles_article_restore", args=[story.pk, version.pk])


def confirm_restore(client, story, version, **ticks):
    """Open the confirmation page, then press Restore (with the boxes ticked)."""
    page = client.get(restore_url(story, version))
    assert page.status_code == 200, page.content.decode()[:2000]
    data = {"opened_version": page.context["plan"].opened_version, **ticks}
    response = client.post(restore_url(story, version), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Article.objects.get(pk=story.pk)


@pytest.fixture
def published_later(editor_client):
    """A draft written with one text, image, byline and set of links (version 1),
    then rewritten, renamed and published (version 2)."""
    first_author, second_author = AuthorFactory(name="Awa"), AuthorFactory(name="Bala")
    linked, excluded = ArticleFactory(headline="Linked"), ArticleFactory()
    editor_client.post(
        ADD,
        article_form(
            headline="First headline",
            slug="first-address",
            dek="First dek.",
            body="<p>Bamako hosts the summit.</p>",
            sources="First report",
            tags="Mali, AES",
            authors=[str(first_author.pk)],
            lead_image=image_file("first.png"),
            lead_image_alt="First alt",
            lead_image_caption="First caption",
            lead_image_credit="First credit",
            **inline_formset(
                "curated_links", [{"story": str(linked.pk), "position": "0"}]
            ),
            **inline_formset("related_exclusions", [{"story": str(excluded.pk)}]),
        ),
    )
    story = Article.objects.get(slug="first-address")
    assert story.primary_topic.name == "Mali"
    first_image = story.lead_image.name
    data = form_data(editor_client.get(change_url(story)))
    data.update(
        headline="Second headline",
        slug="second-address",
        dek="Second dek.",
        body="<p>Niamey hosts the summit.</p>",
        sources="Second report",
        tags="Niger",
        primary_topic="",
        authors=[str(second_author.pk)],
        lead_image=image_file("second.png", (41, 30)),  # other bytes
        lead_image_alt="Second alt",
        lead_image_caption="Second caption",
        lead_image_credit="Second credit",
        status="published",
        **{
            "curated_links-0-DELETE": "on",
            "related_exclusions-0-DELETE": "on",
        },
    )
    response = editor_client.post(change_url(story), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    story.refresh_from_db()
    assert story.is_published() and story.lead_image.name != first_image
    return story, first_image, linked, excluded, first_author


class TestRestore:
    def test_content_comes_back_and_the_story_stays_live_at_its_address(
        self, editor_client, published_later, settings
    ):
        story, first_image, linked, excluded, first_author = published_later
        published_at = story.published_at
        settings.PAGE_CACHE_SECONDS = 600
        reader = Client()
        reader.get("/articles/second-address/")
        cached = reader.get("/articles/second-address/")
        assert cached.headers["X-Page-Cache"] == "hit"

        story = confirm_restore(editor_client, story, versions(story)[0])

        assert story.headline == "First headline"
        assert story.dek == "First dek."
        assert story.body == "<p>Bamako hosts the summit.</p>"
        assert story.sources == "First report"
        assert sorted(t.name for t in story.tags.all()) == ["AES", "Mali"]
        assert story.primary_topic.name == "Mali"
        assert [link.story for link in story.curated_links.all()] == [linked]
        assert [row.story for row in story.related_exclusions.all()] == [excluded]
        assert list(story.authors.all()) == [first_author]
        assert story.lead_image.name == first_image
        assert story.lead_image_renditions["source"] == first_image
        assert (story.lead_image_alt, story.lead_image_caption) == (
            "First alt",
            "First caption",
        )
        assert story.lead_image_credit == "First credit"
        # What readers reach is unchanged: still live, same time, same address.
        assert story.status == "published" and story.published_at == published_at
        assert story.slug == "second-address"
        page = reader.get("/articles/second-address/")
        assert page.status_code == 200 and page.headers["X-Page-Cache"] == "miss"
        assert "First headline" in page.content.decode()
        assert "Restored the version of" in versions(story)[-1].revision.get_comment()
        assert len(versions(story)) == 3  # the restore is a version: undo the same way

    def test_the_confirmation_page_says_what_changes_and_ticks_nothing(
        self, editor_client, published_later
    ):
        story, *_ = published_later
        response = editor_client.get(restore_url(story, versions(story)[0]))
        assert response.status_code == 200
        page = response.content.decode()
        assert "<del>Second</del><ins>First</ins> headline" in page
        assert "<del>Niger</del><ins>AES, Mali</ins>" in page
        assert "<del>Second</del><ins>First</ins> alt" in page
        assert "Also restore its publication state (Draft);" in page
        assert "it is Published, " in page
        assert (
            "Also restore its old address (/articles/first-address/); the current "
            "one (/articles/second-address/) will redirect." in page
        )
        boxes = re.findall(r"<input[^>]*type=\"checkbox\"[^>]*>", page)
        assert len(boxes) == 2 and not any("checked" in box for box in boxes)
        assert Article.objects.get(pk=story.pk).headline == "Second headline"

    def test_ticked_boxes_restore_the_address_and_the_state_too(
        self, editor_client, published_later, client
    ):
        story, *_ = published_later
        first = versions(story)[0]
        story = confirm_restore(editor_client, story, first, restore_address="1")
        assert story.slug == "first-address" and story.is_published()
        reader = Client()
        moved = reader.get("/articles/second-address/")
        assert moved.status_code == 301
        assert moved["Location"] == "/articles/first-address/"
        story = confirm_restore(editor_client, story, first, restore_state="1")
        assert story.status == "draft"
        assert reader.get("/articles/first-address/").status_code == 404

    def test_notes_are_never_touched(self, editor_client):
        story = ArticleFactory(headline="Noted", topics=["Mali"])
        StoryNote.objects.create(article=story, kind="update", text="Old update.")
        edit(editor_client, story, headline="Noted, first")
        data = form_data(editor_client.get(change_url(story)))
        data.update({"headline": "Noted, second", "notes-0-DELETE": "on"})
        add_inline(
            data,
            "notes",
            kind="correction",
            text="The summit was in Niamey.",
            created_at_0="2026-02-03",
            created_at_1="10:00",
        )
        assert editor_client.post(change_url(story), data).status_code == 302
        assert [n.text for n in story.notes.all()] == ["The summit was in Niamey."]
        first = versions(story)[0]
        page = editor_client.get(restore_url(story, first)).content.decode()
        assert "The note added since this version stays." in page
        assert "Deleted since, and not brought back" in page and "Old update." in page

        story = confirm_restore(editor_client, story, first)
        assert story.headline == "Noted, first"
        assert [n.text for n in story.notes.all()] == ["The summit was in Niamey."]

    def test_history_leads_to_the_confirmation_page(self, editor_client, edited_story):
        story, _ = edited_story
        first, _ = versions(story)
        page = editor_client.get(
            reverse("admin:articles_article_history", args=[story.pk])
        ).content.decode()
        assert f'href="{restore_url(story, first)}"' in page
        compare = editor_client.get(
            reverse("admin:articles_article_compare", args=[story.pk]),
            {"from": first.pk, "to": versions(story)[1].pk},
        ).content.decode()
        assert f'href="{restore_url(story, first)}"' in compare

    def test_reversions_own_revert_form_leads_there_too(
        self, editor_client, edited_story
    ):
        story, _ = edited_story
        first = versions(story)[0]
        url = reverse("admin:articles_article_revision", args=[story.pk, first.pk])
        for response in [editor_client.get(url), editor_client.post(url, {})]:
            assert response.status_code == 302
            assert response["Location"] == restore_url(story, first)
        assert Article.objects.get(pk=story.pk).headline == "Second headline"

    def test_a_save_since_the_page_was_opened_refuses_the_restore(
        self, editor_client, edited_story
    ):
        story, _ = edited_story
        first = versions(story)[0]
        opened = editor_client.get(restore_url(story, first)).context["plan"]
        edit(editor_client, story, headline="Third headline")
        response = editor_client.post(
            restore_url(story, first), {"opened_version": opened.opened_version}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "after you opened this page; nothing was restored" in page
        assert "<del>Third</del><ins>First</ins> headline" in page
        assert Article.objects.get(pk=story.pk).headline == "Third headline"

    def test_what_is_gone_since_is_left_out_and_said(
        self, editor_client, published_later
    ):
        story, first_image, linked, excluded, _ = published_later
        Topic.objects.get(name="AES").delete()
        linked.delete()
        default_storage.delete(first_image)
        first = versions(story)[0]
        page = editor_client.get(restore_url(story, first)).content.decode()
        assert "1 of its topics no longer exist" in page
        assert "1 of the stories it links to or excludes have been deleted" in page
        assert "image file is no longer stored" in page
        second_image = Article.objects.get(pk=story.pk).lead_image.name

        story = confirm_restore(editor_client, story, first)
        assert story.headline == "First headline"
        assert [t.name for t in story.tags.all()] == ["Mali"]
        assert not story.curated_links.exists()
        assert [row.story for row in story.related_exclusions.all()] == [excluded]
        assert story.lead_image.name == second_image
        assert story.lead_image_alt == "Second alt"

    def test_version_of_another_story_is_refused(self, editor_client, edited_story):
        story, earlier = edited_story
        first = versions(story)[0]
        url = reverse("admin:articles_article_restore", args=[earlier.pk, first.pk])
        assert editor_client.get(url).status_code == 404
        assert editor_client.post(url).status_code == 404


def recover_url(pk):
    deleted = Version.objects.get_deleted(Article).get(object_id=str(pk))
    return reverse("admin:articles_article_recover", args=[deleted.pk])


def delete_from_the_list(client, *stories):
    response = client.post(
        CHANGELIST,
        {
            "action": "delete_selected",
            ACTION_CHECKBOX_NAME: [str(story.pk) for story in stories],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk__in=[s.pk for s in stories]).exists()


@pytest.fixture
def full_story():
    """A published story with everything a story can carry, never saved in the
    admin (the deletion snapshot alone must hold it all)."""
    target, excluded = ArticleFactory(headline="Target"), ArticleFactory()
    story = ArticleFactory(
        headline="Whole story",
        slug="whole-story",
        topics=["Mali", "AES"],
        body=f'<p>See <a href="story:{target.pk}">this</a>.</p>',
        sources="A report",
        lead_image=image_file("whole.png"),
        lead_image_alt="Alt",
        lead_image_caption="Caption",
        lead_image_credit="Credit",
    )
    story.primary_topic = Topic.objects.get(name="AES")
    story.slug = "whole-story-renamed"
    services.save_story(story=story)  # the first address now redirects
    story.authors.add(AuthorFactory(name="Awa"))
    RelatedStory.objects.create(article=story, story=target)
    RelatedExclusion.objects.create(article=story, story=excluded)
    StoryNoteFactory(article=story, kind="correction", text="Fixed the date.")
    StoryNoteFactory(article=story, kind="update", text="More detail.")
    return Article.objects.get(pk=story.pk), target, excluded


class TestRecovery:
    def test_a_deleted_story_comes_back_whole_as_a_draft(
        self, editor_client, full_story
    ):
        story, target, excluded = full_story
        before = snapshot(story)
        delete_from_the_list(editor_client, story)
        listing = editor_client.get(reverse("admin:articles_article_recoverlist"))
        assert "Whole story" in listing.content.decode()

        page = editor_client.get(recover_url(story.pk)).content.decode()
        assert "It comes back as a draft" in page
        assert "Fixed the date." in page and "More detail." in page
        box = re.search(r'<input[^>]*name="republish"[^>]*>', page)[0]
        assert "checked" not in box
        assert not Article.objects.filter(pk=story.pk).exists()  # only shown

        response = editor_client.post(recover_url(story.pk))
        assert response.status_code == 302
        back = Article.objects.get(pk=story.pk)
        assert snapshot(back) == {**before, "status": "draft"}
        assert to_ms(back.published_at) == to_ms(story.published_at)  # kept
        assert StoryLink.objects.filter(source=back, target=target).exists()
        reader = Client()
        assert reader.get("/articles/whole-story-renamed/").status_code == 404
        assert "Fixed the date." not in reader.get("/corrections/").content.decode()
        assert "Recovered after deletion" in versions(back)[-1].revision.get_comment()

    def test_put_back_live_as_it_was(self, editor_client, full_story):
        story, *_ = full_story
        delete_from_the_list(editor_client, story)
        editor_client.post(recover_url(story.pk), {"republish": "1"})
        back = Article.objects.get(pk=story.pk)
        assert back.is_published()
        assert to_ms(back.published_at) == to_ms(story.published_at)
        reader = Client()
        assert reader.get("/articles/whole-story-renamed/").status_code == 200
        assert reader.get("/articles/whole-story/")["Location"] == (
            "/articles/whole-story-renamed/"
        )
        assert "Fixed the date." in reader.get("/corrections/").content.decode()

    def test_one_of_two_stories_deleted_together_comes_back_alone(self, editor_client):
        one, other = ArticleFactory(headline="One"), ArticleFactory(headline="Other")
        delete_from_the_list(editor_client, one, other)
        editor_client.post(recover_url(one.pk))
        assert Article.objects.filter(pk=one.pk).exists()
        assert not Article.objects.filter(pk=other.pk).exists()

    def test_an_address_taken_since_is_said_and_avoided(
        self, editor_client, full_story
    ):
        story, *_ = full_story
        delete_from_the_list(editor_client, story)
        ArticleFactory(slug="whole-story-renamed")
        page = editor_client.get(recover_url(story.pk)).content.decode()
        assert "is now used by another story: it comes back at " in page
        assert "/articles/whole-story-renamed-2/" in page
        editor_client.post(recover_url(story.pk))
        assert Article.objects.get(pk=story.pk).slug == "whole-story-renamed-2"

    def test_only_a_deleted_story_can_be_recovered(self, editor_client):
        story = ArticleFactory(topics=["Mali"])
        edit(editor_client, story)
        live = versions(story)[-1]
        url = reverse("admin:articles_article_recover", args=[live.pk])
        for response in [editor_client.get(url), editor_client.post(url)]:
            assert response.status_code == 302
            assert response["Location"] == change_url(story)
        assert len(versions(story)) == 1  # nothing written
        topic = Version.objects.get_for_model(TaggedArticle).first()
        for junk in [topic.pk, 999999]:
            url = reverse("admin:articles_article_recover", args=[junk])
            assert editor_client.post(url).status_code == 404

    def test_pressing_recover_twice_recovers_once(self, editor_client):
        story = ArticleFactory(headline="Once")
        delete_from_the_list(editor_client, story)
        url = recover_url(story.pk)
        assert editor_client.post(url).status_code == 302
        again = editor_client.post(url, follow=True)
        assert "“Once” is not deleted (any more)." in again.content.decode()
        assert Article.objects.filter(pk=story.pk).count() == 1
        assert len(versions(story)) == 2  # deleted, recovered; nothing more


def snapshot(story):
    """What a story carries, as plain values."""
    return {
        "headline": story.headline,
        "slug": story.slug,
        "body": story.body,
        "sources": story.sources,
        "status": story.status,
        "created_at": to_ms(story.created_at),
        "primary_topic": story.primary_topic.name,
        "topics": sorted(t.name for t in story.tags.all()),
        "authors": [a.name for a in story.authors.all()],
        "curated": [link.story_id for link in story.curated_links.all()],
        "excluded": [row.story_id for row in story.related_exclusions.all()],
        "notes": [(n.kind, n.text, to_ms(n.created_at)) for n in story.notes.all()],
        "old_slugs": [r.old_slug for r in story.old_slugs.all()],
        "image": (
            story.lead_image.name,
            story.lead_image_width,
            story.lead_image_renditions,
            story.lead_image_alt,
            story.lead_image_caption,
            story.lead_image_credit,
        ),
    }


def test_readable_text_names_linked_stories():
    from articles import history

    html = '<p>See <a href="story:7" rel="noopener">this</a> &amp; more.</p><p>Next</p>'
    assert history.readable_text(html, {7: "The charter"}) == (
        "See [→ The charter] this & more.\n\nNext"
    )


def test_list_actions_are_kept_in_the_history(editor_client, editor):
    story = ArticleFactory(draft=True, authors=signed())
    editor_client.post(
        CHANGELIST, {"action": "publish_now", ACTION_CHECKBOX_NAME: [str(story.pk)]}
    )
    (version,) = versions(story)
    assert version.revision.user == editor
    assert version.revision.get_comment() == "Published from the list."
    assert version.field_dict["status"] == "published"


class TestNoLeaksToReporters:
    """History names other stories only as far as the reader may see them."""

    def test_compare_hides_the_headline_of_a_story_the_reporter_cannot_see(
        self, reporter_client, reporter
    ):
        secret = ArticleFactory(draft=True, headline="SECRET embargoed draft")
        mine = ArticleFactory(draft=True, headline="Mine", created_by=reporter)
        live = ArticleFactory(headline="A live story")
        edit(reporter_client, mine, body="<p>Intro.</p>", tags="Mali")
        edit(
            reporter_client,
            mine,
            body=f'<p>Intro.</p><p>See <a href="story:{secret.pk}">this</a>.</p>'
            f'<p>And <a href="story:{live.pk}">that</a>.</p>',
            tags="Mali",
        )
        first, second = versions(mine)
        reporter_client.get(CHANGELIST)  # the save's messages (the link box's own)
        page = reporter_client.get(
            reverse("admin:articles_article_compare", args=[mine.pk]),
            {"from": first.pk, "to": second.pk},
        ).content.decode()
        assert "SECRET" not in page
        assert f"[→ story {secret.pk}]" in page
        assert "[→ A live story]" in page

    def test_history_comments_hide_a_story_the_reporter_cannot_see(
        self, client, reporter, editor
    ):
        secret = ArticleFactory(draft=True, headline="SECRET embargoed draft")
        mine = ArticleFactory(draft=True, headline="Mine", created_by=reporter)
        client.force_login(editor)
        edit(
            client,
            mine,
            **inline_formset(
                "curated_links", [{"story": str(secret.pk), "position": "0"}]
            ),
            **inline_formset("related_exclusions", [{"story": str(secret.pk)}]),
        )
        history = reverse("admin:articles_article_history", args=[mine.pk])
        assert "SECRET" in client.get(history).content.decode()  # editors see all
        client.force_login(reporter)
        page = client.get(history).content.decode()
        assert "SECRET" not in page
        assert f"story {secret.pk}" in page


def to_ms(moment):
    """A version keeps times to the millisecond (Django's JSON serializer)."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
