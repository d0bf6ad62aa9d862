import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from articles.models import Article, RelatedStory, Topic
from articles.tests.admin_forms import (
    ADD,
    CHANGELIST,
    article_form,
    change_url,
    inline_formset,
    topic_form_extras,
)
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    TopicFactory,
    image_file,
    signed,
)

pytestmark = pytest.mark.django_db


class TestArticleList:
    def test_shows_state_topics_and_byline(self, editor_client):
        author = AuthorFactory(name="Aminata Diallo")
        story = ArticleFactory(headline="Charter signed", topics=["Mali", "AES"])
        story.authors.add(author)
        ArticleFactory(scheduled=True, headline="Coming soon")
        ArticleFactory(review=True, headline="Awaiting the desk")
        page = editor_client.get(CHANGELIST).content.decode()
        for text in [
            "Charter signed",
            "AES, Mali",
            "Aminata Diallo",
            "Scheduled",
            "In review",
        ]:
            assert text in page

    @pytest.mark.parametrize(
        ("state", "expected"),
        [
            ("scheduled", "Coming soon"),
            ("review", "Awaiting the desk"),
            ("draft", "Desk draft"),
        ],
    )
    def test_filter_by_state(self, editor_client, state, expected):
        ArticleFactory(scheduled=True, headline="Coming soon")
        ArticleFactory(review=True, headline="Awaiting the desk")
        ArticleFactory(draft=True, headline="Desk draft")
        ArticleFactory(headline="Already live")
        page = editor_client.get(CHANGELIST, {"state": state}).content.decode()
        assert expected in page
        assert "Already live" not in page

    def test_filter_by_topic_and_search(self, editor_client):
        ArticleFactory(headline="About Mali", topics=["Mali"])
        ArticleFactory(headline="About Niger", dek="ECOWAS threat", topics=["Niger"])
        mali = Topic.objects.get(name="Mali")
        page = editor_client.get(
            CHANGELIST, {"tags__id__exact": mali.pk}
        ).content.decode()
        assert "About Mali" in page and "About Niger" not in page
        page = editor_client.get(CHANGELIST, {"q": "ecowas"}).content.decode()
        assert "About Niger" in page and "About Mali" not in page

    @pytest.mark.parametrize("rows", [3, 40])
    def test_fixed_number_of_queries(
        self, editor_client, rows, django_assert_max_num_queries
    ):
        for i in range(rows):
            story = ArticleFactory(topics=[f"Topic {i % 7}", "Sahel"])
            story.authors.add(AuthorFactory(slug=f"a-{i % 5}", name=f"Author {i % 5}"))
        editor_client.get(CHANGELIST)  # warm the session and content types
        # 15: the 14 of the list, plus the count of the editors' review queue.
        with django_assert_max_num_queries(15):
            assert editor_client.get(CHANGELIST).status_code == 200


class TestArticleForm:
    def test_add_form_prefills_slug_and_offers_the_tools(self, editor_client):
        page = editor_client.get(ADD).content.decode()
        assert "prepopulated_fields" in page or "data-prepopulated-fields" in page
        assert 'name="tags"' in page
        assert "admin-autocomplete" in page  # authors and related stories
        assert 'name="lead_image"' in page

    def test_editor_adds_a_draft_with_topics_and_clean_body(self, editor_client):
        response = editor_client.post(ADD, article_form())
        assert response.status_code == 302, response.content.decode()[:3000]
        story = Article.objects.get(slug="niger-junta-french-troops")
        assert story.status == "draft"
        assert "<script" not in story.body
        assert sorted(t.name for t in story.tags.all()) == [
            "France",
            "Niger",
            "tillabéri",
        ]

    def test_editor_publishes_from_the_form(self, editor_client):
        author = AuthorFactory()
        editor_client.post(ADD, article_form(status="published", authors=[author.pk]))
        story = Article.objects.get(slug="niger-junta-french-troops")
        assert story in Article.objects.published()

    def test_publishing_needs_a_byline_and_keeps_the_text(self, editor_client):
        page = editor_client.post(ADD, article_form(status="published"))
        assert page.status_code == 200
        assert "Add a byline before publishing" in page.content.decode()
        assert "The standoff deepens." in page.content.decode()
        assert not Article.objects.exists()

    def test_editor_schedules_from_the_form(self, editor_client):
        editor_client.post(
            ADD,
            article_form(
                authors=[a.pk for a in signed()],
                status="published",
                published_at_0="2099-01-01",
                published_at_1="08:00",
            ),
        )
        story = Article.objects.get(slug="niger-junta-french-troops")
        assert story.state == "scheduled"
        assert story not in Article.objects.published()

    def test_curated_related_stories_inline(self, editor_client):
        first, second = ArticleFactory(), ArticleFactory()
        data = article_form(
            **inline_formset(
                "curated_links",
                [
                    {"story": str(second.pk), "position": "0"},
                    {"story": str(first.pk), "position": "1"},
                ],
            )
        )
        editor_client.post(ADD, data)
        story = Article.objects.get(slug="niger-junta-french-troops")
        links = RelatedStory.objects.filter(article=story).order_by("position")
        assert [link.story for link in links] == [second, first]

    def test_image_without_alt_text_is_refused_with_a_clear_message(
        self, editor_client
    ):
        response = editor_client.post(ADD, article_form(lead_image=image_file()))
        assert response.status_code == 200
        assert (
            "Describe the image for readers who cannot see it."
            in response.content.decode()
        )
        assert not Article.objects.exists()

    def test_not_an_image_is_refused(self, editor_client):
        from django.core.files.uploadedfile import SimpleUploadedFile

        fake = SimpleUploadedFile(
            "lead.jpg", b"<?php evil(); ?>", content_type="image/jpeg"
        )
        response = editor_client.post(
            ADD, article_form(lead_image=fake, lead_image_alt="x")
        )
        assert response.status_code == 200
        assert not Article.objects.exists()

    def test_image_with_alt_text_is_stored_and_previewed(self, editor_client):
        editor_client.post(
            ADD, article_form(lead_image=image_file(), lead_image_alt="A map")
        )
        story = Article.objects.get()
        assert story.lead_image.name.startswith("lead-images/")
        page = editor_client.get(change_url(story)).content.decode()
        assert story.lead_image.url in page

    def test_published_story_links_to_the_site_drafts_to_preview(self, editor_client):
        live, draft = ArticleFactory(), ArticleFactory(draft=True)
        live_page = editor_client.get(change_url(live)).content.decode()
        assert "View on site" in live_page
        draft_page = editor_client.get(change_url(draft)).content.decode()
        assert "View on site" not in draft_page
        assert reverse("articles:article_preview", args=[draft.pk]) in draft_page

    def test_slug_change_keeps_old_address(self, editor_client, client):
        story = ArticleFactory(slug="first-slug", headline="H", topics=["Mali"])
        data = article_form(
            headline="H", slug="second-slug", status="published", tags="Mali",
            published_at_0=story.published_at.strftime("%Y-%m-%d"),
            published_at_1=story.published_at.strftime("%H:%M:%S"),
            opened_version=story.updated_at.isoformat(),
        )  # fmt: skip
        assert editor_client.post(change_url(story), data).status_code == 302
        response = client.get("/articles/first-slug/")
        assert response.status_code == 301
        assert response["Location"] == "/articles/second-slug/"


class TestActions:
    def test_publish_now_and_unpublish(self, editor_client):
        drafts = [
            ArticleFactory(draft=True, authors=signed()),
            ArticleFactory(review=True, authors=signed()),
        ]
        pks = [str(story.pk) for story in drafts]
        page = editor_client.post(
            CHANGELIST,
            {"action": "publish_now", ACTION_CHECKBOX_NAME: pks},
            follow=True,
        )
        assert "Published 2 stories." in page.content.decode()
        assert Article.objects.published().count() == 2
        page = editor_client.post(
            CHANGELIST,
            {"action": "unpublish", ACTION_CHECKBOX_NAME: [pks[0]]},
            follow=True,
        )
        assert "Unpublished 1 story; it is a draft again." in page.content.decode()
        assert Article.objects.published().count() == 1

    def test_publish_now_skips_stories_without_a_byline(self, editor_client):
        with_byline = ArticleFactory(draft=True, authors=signed())
        unsigned = ArticleFactory(draft=True, headline="Nobody wrote this")
        page = editor_client.post(
            CHANGELIST,
            {
                "action": "publish_now",
                ACTION_CHECKBOX_NAME: [str(with_byline.pk), str(unsigned.pk)],
            },
            follow=True,
        )
        text = page.content.decode()
        assert "Not published, no byline yet: Nobody wrote this." in text
        assert "Published 1 story." in text
        assert list(Article.objects.published()) == [with_byline]

    def test_publish_now_keeps_the_time_of_live_stories(self, editor_client):
        live = ArticleFactory()
        before = live.published_at
        editor_client.post(
            CHANGELIST, {"action": "publish_now", ACTION_CHECKBOX_NAME: [str(live.pk)]}
        )
        live.refresh_from_db()
        assert live.published_at == before


class TestReporterCannotPublish:
    def test_status_choice_and_crafted_post(self, reporter_client):
        page = reporter_client.get(ADD).content.decode()
        assert 'value="published"' not in page
        response = reporter_client.post(ADD, article_form(status="published"))
        assert response.status_code == 200
        assert not Article.objects.exists()
        response = reporter_client.post(ADD, article_form(status="review"))
        assert Article.objects.get().status == "review"

    def test_publish_action_refused(self, reporter_client):
        draft = ArticleFactory(draft=True)
        reporter_client.post(
            CHANGELIST, {"action": "publish_now", ACTION_CHECKBOX_NAME: [str(draft.pk)]}
        )
        draft.refresh_from_db()
        assert draft.status == "draft"

    def test_cannot_change_a_published_story(self, reporter_client, reporter):
        live = ArticleFactory(headline="Live story", created_by=reporter)
        response = reporter_client.post(change_url(live), article_form(status="draft"))
        assert response.status_code == 403
        live.refresh_from_db()
        assert live.headline == "Live story" and live.status == "published"

    def test_cannot_backdate_a_publication_time(self, reporter_client):
        reporter_client.post(
            ADD,
            article_form(
                status="review", published_at_0="2020-01-01", published_at_1="08:00"
            ),
        )
        assert Article.objects.get().published_at is None


class TestTopicAdmin:
    def test_list_shows_counts(self, editor_client):
        ArticleFactory(topics=["Mali"])
        ArticleFactory(draft=True, topics=["Mali"])
        page = editor_client.get(
            reverse("admin:articles_topic_changelist")
        ).content.decode()
        assert "Mali" in page
        assert '<td class="field-story_count">2</td>' in page

    def test_case_variant_refused_with_a_form_error(self, editor_client):
        TopicFactory(name="ECOWAS")
        response = editor_client.post(
            reverse("admin:articles_topic_add"),
            {
                "name": "Ecowas",
                "slug": "ecowas-x",
                "description": "",
                **topic_form_extras(),
            },
        )
        assert response.status_code == 200
        assert "already exists" in response.content.decode()
        assert Topic.objects.count() == 1

    def test_description_and_featured_story(self, editor_client):
        story = ArticleFactory(topics=["AES"])
        topic = Topic.objects.get(name="AES")
        response = editor_client.post(
            reverse("admin:articles_topic_change", args=[topic.pk]),
            {"name": "AES", "slug": "aes", "description": "The alliance.",
             "featured_article": str(story.pk), **topic_form_extras()},
        )  # fmt: skip
        assert response.status_code == 302
        topic.refresh_from_db()
        assert topic.featured_article == story and topic.description == "The alliance."


def test_related_story_autocomplete(editor_client):
    ArticleFactory(headline="Goïta announces the charter")
    ArticleFactory(headline="Something else")
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "relatedstory", "field_name": "story",
         "term": "charter"},
    )  # fmt: skip
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [
        "Goïta announces the charter"
    ]


def test_admin_search_with_a_nul_character_is_a_bad_request(editor_client):
    ArticleFactory(headline="Niger")
    response = editor_client.get(CHANGELIST, {"q": "Nig\x00er"})
    assert response.status_code == 400
