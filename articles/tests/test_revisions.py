"""Revisions: history, a readable difference, one-step restore, deleted-story recovery."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, RelatedStory, StoryLink
from articles.tests.factories import ArticleFactory, signed
from articles.tests.test_admin import ADD, CHANGELIST, article_form, change_url
from articles.tests.test_workflow import form_data

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
            **{
                "curated_links-TOTAL_FORMS": "1",
                "curated_links-0-story": str(earlier.pk),
                "curated_links-0-position": "0",
            },
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


class TestRestore:
    def test_one_step_restore_brings_back_text_topics_and_links(
        self, editor_client, edited_story, client
    ):
        story, earlier = edited_story
        first = versions(story)[0]
        response = editor_client.post(
            reverse("admin:articles_article_restore", args=[story.pk, first.pk])
        )
        assert response.status_code == 302
        story = Article.objects.get(pk=story.pk)
        assert story.headline == "First headline"
        assert story.body == "<p>Bamako hosts the summit.</p>"
        assert sorted(t.name for t in story.tags.all()) == ["AES", "Mali"]
        assert [link.story for link in story.curated_links.all()] == [earlier]
        # The restore is itself a version, so it can be undone the same way.
        assert len(versions(story)) == 3
        assert "Restored the version of" in versions(story)[-1].revision.get_comment()

    def test_restore_keeps_the_newer_address_redirecting(self, editor_client, client):
        byline = [author.pk for author in signed()]
        editor_client.post(ADD, article_form(status="published", authors=byline))
        story = Article.objects.get()
        edit(editor_client, story, slug="renamed-story")
        first = versions(story)[0]
        editor_client.post(
            reverse("admin:articles_article_restore", args=[story.pk, first.pk])
        )
        assert client.get("/articles/renamed-story/")["Location"] == (
            "/articles/niger-junta-french-troops/"
        )

    def test_review_then_save_restores_too(self, editor_client, edited_story):
        story, _ = edited_story
        first = versions(story)[0]
        url = reverse("admin:articles_article_revision", args=[story.pk, first.pk])
        form = editor_client.get(url)
        assert Article.objects.get(pk=story.pk).headline == "Second headline"
        response = editor_client.post(url, form_data(form))
        assert response.status_code == 302, response.content.decode()[:2000]
        story = Article.objects.get(pk=story.pk)
        assert story.headline == "First headline"
        assert sorted(t.name for t in story.tags.all()) == ["AES", "Mali"]

    def test_restore_needs_a_post(self, editor_client, edited_story):
        story, _ = edited_story
        first = versions(story)[0]
        url = reverse("admin:articles_article_restore", args=[story.pk, first.pk])
        assert editor_client.get(url).status_code == 302
        assert Article.objects.get(pk=story.pk).headline == "Second headline"

    def test_version_of_another_story_is_refused(self, editor_client, edited_story):
        story, earlier = edited_story
        first = versions(story)[0]
        url = reverse("admin:articles_article_restore", args=[earlier.pk, first.pk])
        assert editor_client.post(url).status_code == 404


class TestRecovery:
    def test_deleted_story_comes_back_with_topics_and_links(
        self, editor_client, edited_story
    ):
        story, earlier = edited_story
        restore = reverse(
            "admin:articles_article_restore", args=[story.pk, versions(story)[0].pk]
        )
        editor_client.post(restore)  # topics Mali + AES, one curated link
        pk = story.pk
        response = editor_client.post(
            CHANGELIST,
            {
                "action": "delete_selected",
                ACTION_CHECKBOX_NAME: [str(pk)],
                "post": "yes",
            },
        )
        assert response.status_code == 302
        assert not Article.objects.filter(pk=pk).exists()
        assert not RelatedStory.objects.filter(article_id=pk).exists()

        listing = editor_client.get(reverse("admin:articles_article_recoverlist"))
        assert "First headline" in listing.content.decode()
        deleted = Version.objects.get_deleted(Article).get(object_id=str(pk))
        recover_url = reverse("admin:articles_article_recover", args=[deleted.pk])
        form = editor_client.get(recover_url)
        assert form.status_code == 200
        assert not Article.objects.filter(pk=pk).exists()  # only shown, not yet saved
        response = editor_client.post(recover_url, form_data(form))
        assert response.status_code == 302, response.content.decode()[:2000]

        story = Article.objects.get(pk=pk)
        assert story.headline == "First headline"
        assert sorted(t.name for t in story.tags.all()) == ["AES", "Mali"]
        assert [link.story for link in story.curated_links.all()] == [earlier]

    def test_a_story_never_saved_in_the_admin_can_still_be_recovered(
        self, editor_client
    ):
        target = ArticleFactory(headline="Target")
        story = ArticleFactory(
            headline="Made by a script",
            topics=["Sahel"],
            body=f'<p>See <a href="story:{target.pk}">this</a>.</p>',
        )
        RelatedStory.objects.create(article=story, story=target)
        editor_client.post(
            reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"}
        )
        assert not Article.objects.filter(pk=story.pk).exists()
        deleted = Version.objects.get_deleted(Article).get(object_id=str(story.pk))
        recover_url = reverse("admin:articles_article_recover", args=[deleted.pk])
        editor_client.post(recover_url, form_data(editor_client.get(recover_url)))
        story = Article.objects.get(pk=story.pk)
        assert [t.name for t in story.tags.all()] == ["Sahel"]
        assert story.curated_links.get().story == target
        assert StoryLink.objects.filter(source=story, target=target).exists()


def test_readable_text_names_linked_stories():
    from articles import revisions

    html = '<p>See <a href="story:7" rel="noopener">this</a> &amp; more.</p><p>Next</p>'
    assert revisions.readable_text(html, {7: "The charter"}) == (
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
