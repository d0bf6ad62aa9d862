"""In-body links to other stories: stored by identity, resolved or dropped for readers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import richtext, services
from articles.models import Article, StoryLink
from articles.tests.admin_forms import ADD, article_form, change_url, form_data
from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def linking_to(*targets, status=Article.Status.PUBLISHED, **kwargs):
    links = " and ".join(
        f'<a href="story:{target.pk}">the {target.headline} story</a>'
        for target in targets
    )
    return ArticleFactory(body=f"<p>See {links}.</p>", status=status, **kwargs)


def body_of(client, story):
    page = client.get(story.get_absolute_url()).content.decode()
    return page.split('class="article__body">', 1)[1].split("</div>", 1)[0]


class TestSanitising:
    def test_story_links_survive_and_dangerous_ones_do_not(self):
        html = richtext.sanitize(
            '<p><a href="story:42">ok</a> <a href="javascript:alert(1)">bad</a></p>'
        )
        assert 'href="story:42"' in html
        assert "javascript" not in html
        assert richtext.story_ids(html) == {42}

    def test_an_emptied_editor_stores_nothing(self):
        assert richtext.sanitize("<p></p>") == ""


class TestLinkTable:
    def test_rebuilt_from_the_body_on_save(self):
        first, second = ArticleFactory(), ArticleFactory()
        story = linking_to(first)
        assert set(story.links_out.values_list("target_id", flat=True)) == {first.pk}
        story.body = f'<p><a href="story:{second.pk}">x</a></p>'
        services.save_story(story=story)
        assert set(story.links_out.values_list("target_id", flat=True)) == {second.pk}
        assert list(second.links_in.all()) == [StoryLink.objects.get()]

    def test_a_link_to_itself_is_not_recorded(self):
        story = ArticleFactory()
        story.body = f'<p><a href="story:{story.pk}">me</a></p>'
        services.save_story(story=story)
        assert not StoryLink.objects.exists()


class TestPublicPage:
    def test_link_points_at_the_current_address_after_a_slug_change(self, client):
        target = ArticleFactory(slug="old-address", headline="Charter")
        story = linking_to(target)
        target.slug = "new-address"
        services.save_story(story=target)
        body = body_of(client, story)
        assert '<a href="/articles/new-address/">the Charter story</a>' in body
        assert "story:" not in body

    @pytest.mark.parametrize(
        "hidden",
        [
            {"status": Article.Status.DRAFT, "published_at": None},
            {"published_at": timezone.now() + timedelta(days=1)},  # scheduled
            {"unpublish_at": timezone.now() - timedelta(minutes=1)},  # expired
        ],
    )
    def test_link_to_a_story_readers_cannot_see_keeps_only_its_text(
        self, client, hidden
    ):
        target = ArticleFactory(headline="Secret", **hidden)
        story = linking_to(target)
        body = body_of(client, story)
        assert "the Secret story" in body
        assert "<a" not in body and target.slug not in body

    def test_link_to_a_deleted_story_keeps_only_its_text(self, client):
        target = ArticleFactory(headline="Gone")
        story = linking_to(target)
        target.delete()
        assert StoryLink.objects.filter(source=story).exists()  # the desk still sees it
        body = body_of(client, story)
        assert "the Gone story" in body and "<a" not in body

    def test_stories_that_cite_this_lists_only_published_ones(self, client):
        target = ArticleFactory()
        linking_to(target, headline="A live citation")
        linking_to(target, headline="A draft citation", status=Article.Status.DRAFT)
        page = client.get(target.get_absolute_url()).content.decode()
        assert "Stories that cite this" in page
        assert "A live citation" in page and "A draft citation" not in page


class TestAdmin:
    def test_links_to_and_linked_from_with_warnings(self, editor_client):
        live = ArticleFactory(headline="Live target")
        draft = ArticleFactory(draft=True, headline="Draft target")
        scheduled = ArticleFactory(scheduled=True, headline="Scheduled target")
        gone = ArticleFactory(headline="Gone target")
        story = linking_to(live, draft, scheduled, gone, headline="The linking story")
        gone_pk = gone.pk
        gone.delete()
        page = editor_client.get(change_url(story)).content.decode()
        assert "Live target (published)" in page
        assert "Draft target (draft)" in page and "Scheduled target (scheduled)" in page
        assert f"story #{gone_pk} (deleted)" in page
        assert "links to stories readers cannot see yet" in page
        assert "Live target (published); " not in page  # only the hidden ones warn
        backlinks = editor_client.get(change_url(live)).content.decode()
        assert "The linking story" in backlinks.split("Linked from", 1)[1]

    def test_the_link_warning_shows_once_after_save_and_continue(self, editor_client):
        draft = ArticleFactory(draft=True, headline="Draft target")
        story = linking_to(draft, headline="The linking story")
        page = editor_client.get(change_url(story))
        data = form_data(page)
        data["_continue"] = "Save and continue editing"
        page = editor_client.post(change_url(story), data, follow=True)
        assert page.redirect_chain[-1][0] == change_url(story)
        warnings = [
            str(m) for m in page.context["messages"] if "cannot see yet" in str(m)
        ]
        assert warnings == [
            "This story links to stories readers cannot see yet; those links show "
            "as plain text until they are published: Draft target (draft)"
        ]

    def test_the_form_offers_the_story_picker_and_rich_editor(self, editor_client):
        page = editor_client.get(ADD).content.decode()
        assert 'name="link_story"' in page and "story-links.js" in page
        assert "data-django-prose-editor-configurable" in page

    def test_a_link_saved_from_the_form_is_recorded(self, editor_client):
        target = ArticleFactory()
        editor_client.post(
            ADD,
            article_form(
                body=f'<p>See <a href="story:{target.pk}">it</a>.</p>',
                link_story=str(target.pk),
            ),
        )
        story = Article.objects.get(slug="niger-junta-french-troops")
        assert list(story.links_out.values_list("target_id", flat=True)) == [target.pk]

    @pytest.mark.parametrize("junk", ["abc", "[]", "99999999", "1;DROP"])
    def test_junk_in_the_picker_is_not_a_500(self, editor_client, junk):
        story = ArticleFactory(draft=True)
        response = editor_client.post(
            change_url(story), article_form(headline="", link_story=junk)
        )
        assert response.status_code == 200  # the form, with its errors


class TestApi:
    """The API reads a story through the page's own selector (articles.selectors)."""

    def test_links_point_at_published_stories_and_drop_the_rest(self, client):
        live = ArticleFactory(headline="Charter", slug="charter-signed")
        draft = ArticleFactory(draft=True, headline="Secret", slug="secret-plan")
        story = linking_to(live, draft)
        body = client.get(f"/api/stories/{story.slug}/").json()["body_html"]
        assert '<a href="http://testserver/articles/charter-signed/">' in body
        assert "the Charter story" in body and "the Secret story" in body
        assert "story:" not in body
        assert str(draft.pk) not in body and "secret-plan" not in body

    def test_the_api_body_is_the_page_body(self, client):
        live = ArticleFactory(headline="Charter")
        story = linking_to(live, ArticleFactory(scheduled=True, headline="Later"))
        api = client.get(f"/api/stories/{story.slug}/").json()["body_html"]
        assert api.replace("http://testserver/", "/") == body_of(client, story).strip()

    def test_the_site_address_is_used_when_set(self, client, settings):
        settings.SITE_URL = "https://news.example"
        live = ArticleFactory(slug="charter-signed")
        story = linking_to(live)
        body = client.get(f"/api/stories/{story.slug}/").json()["body_html"]
        assert 'href="https://news.example/articles/charter-signed/"' in body
