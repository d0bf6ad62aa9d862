from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from articles import services
from articles.images import validate_image_file
from articles.models import Article, SlugRedirect, Topic
from articles.tests.factories import ArticleFactory, TopicFactory, image_file

pytestmark = pytest.mark.django_db


class TestPublishedGate:
    def test_only_live_stories_pass(self):
        live = ArticleFactory()
        ArticleFactory(draft=True)
        ArticleFactory(review=True)
        ArticleFactory(scheduled=True)
        assert list(Article.objects.published()) == [live]

    def test_scheduled_story_goes_live_when_its_time_comes(self, time_machine):
        story = ArticleFactory(published_at=timezone.now() + timedelta(hours=2))
        assert story not in Article.objects.published()
        assert story.state == "scheduled"
        time_machine.move_to(timezone.now() + timedelta(hours=3))
        assert story in Article.objects.published()
        assert story.state == "published"

    def test_publishing_without_a_time_means_now(self):
        story = Article.objects.create(
            headline="Charter signed", slug="charter", dek="d", body="<p>b</p>",
            status="published",
        )  # fmt: skip
        assert story.published_at is not None
        assert story.published_at <= timezone.now()
        assert story in Article.objects.published()

    def test_default_manager_keeps_drafts_for_the_desk(self):
        draft = ArticleFactory(draft=True)
        assert draft in Article.objects.all()

    def test_states_read_as_the_desk_says_them(self):
        assert ArticleFactory(draft=True).get_state_display() == "Draft"
        assert ArticleFactory(review=True).get_state_display() == "In review"
        assert ArticleFactory(scheduled=True).get_state_display() == "Scheduled"
        assert ArticleFactory().get_state_display() == "Published"


class TestSlugs:
    def test_slug_is_filled_from_headline(self):
        story = Article.objects.create(
            headline="Niger’s junta and ECOWAS", status="draft"
        )
        assert story.slug == "nigers-junta-and-ecowas"

    def test_changing_slug_leaves_a_redirect(self):
        story = ArticleFactory(slug="old-address")
        story.slug = "new-address"
        services.save_story(story=story)
        assert SlugRedirect.objects.get(old_slug="old-address").article == story

    def test_chain_of_renames_all_point_to_current(self):
        story = ArticleFactory(slug="first")
        for slug in ["second", "third"]:
            story.slug = slug
            services.save_story(story=story)
        redirects = dict(SlugRedirect.objects.values_list("old_slug", "article__slug"))
        assert redirects == {"first": "third", "second": "third"}

    def test_new_story_can_claim_an_old_address(self):
        story = ArticleFactory(slug="taken")
        story.slug = "moved"
        services.save_story(story=story)
        newcomer = ArticleFactory(slug="taken")
        assert not SlugRedirect.objects.filter(old_slug="taken").exists()
        assert Article.objects.get(slug="taken") == newcomer


class TestRichText:
    @pytest.mark.parametrize(
        "dirty",
        [
            '<p>Hi<script>alert("x")</script></p>',
            '<p onclick="alert(1)">Hi</p>',
            '<p><a href="javascript:alert(1)">Hi</a></p>',
            '<p><img src="x" onerror="alert(1)">Hi</p>',
            '<p><a href="data:text/html;base64,PHNjcmlwdD4=">Hi</a></p>',
            '<iframe src="https://evil.example"></iframe><p>Hi</p>',
            '<p style="background:url(javascript:alert(1))">Hi</p>',
        ],
    )
    def test_body_is_sanitised_on_save(self, dirty):
        story = ArticleFactory(body=dirty)
        story.refresh_from_db()
        body = story.body.lower()
        for marker in [
            "<script",
            "onclick",
            "onerror",
            "javascript:",
            "data:",
            "<iframe",
            "style=",
        ]:
            assert marker not in body
        assert "hi" in body

    def test_newsroom_markup_survives(self):
        html = (
            "<h2>Sub</h2><p><strong>b</strong> <em>i</em> "
            '<a href="https://example.org/x">link</a></p>'
            "<blockquote><p>q</p></blockquote><ul><li>one</li></ul>"
        )
        story = ArticleFactory(body=html)
        for fragment in ["<h2>Sub</h2>", "<strong>b</strong>", "<em>i</em>", "<blockquote>",
                         "<li>one</li>", 'href="https://example.org/x"']:  # fmt: skip
            assert fragment in story.body


class TestTopics:
    def test_case_and_accent_variants_are_one_topic(self):
        story = ArticleFactory()
        story.tags.add("Tillabéri")
        story.tags.add("tillaberi", "TILLABÉRI")
        ArticleFactory(topics=["TILLABERI"])
        assert Topic.objects.count() == 1
        assert Topic.objects.get().name == "Tillabéri"

    @pytest.mark.parametrize(
        ("name", "slug"),
        [
            ("Tillabéri", "tillaberi"),
            ("Ménaka", "menaka"),
            ("Alliance des États du Sahel", "alliance-des-etats-du-sahel"),
            ("Côte d’Ivoire", "cote-divoire"),
            ("مالي", "مالي"),
            ("!!!", "topic"),
        ],
    )
    def test_slugs_are_readable_and_never_empty(self, name, slug):
        assert TopicFactory(name=name).slug == slug

    def test_slug_clash_gets_a_suffix(self):
        TopicFactory(name="G5 Sahel")
        assert TopicFactory(name="G5-Sahel").slug == "g5-sahel-2"

    def test_admin_form_refuses_a_case_variant(self):
        TopicFactory(name="ECOWAS")
        with pytest.raises(ValidationError) as error:
            Topic(name="Ecowas", slug="ecowas-2").full_clean()
        assert "ECOWAS" in str(error.value)

    def test_database_refuses_a_folded_duplicate(self):
        TopicFactory(name="Niger")
        with pytest.raises(IntegrityError):
            Topic.objects.create(name="NIGER", slug="niger-x")


class TestLeadImage:
    def test_alt_text_required_with_an_image(self):
        story = ArticleFactory.build(lead_image=image_file(), lead_image_alt=" ")
        with pytest.raises(ValidationError) as error:
            story.clean()
        assert "lead_image_alt" in error.value.message_dict

    def test_image_dimensions_are_stored(self):
        story = ArticleFactory(
            lead_image=image_file(size=(64, 48)), lead_image_alt="A map"
        )
        story.refresh_from_db()
        assert (story.lead_image_width, story.lead_image_height) == (64, 48)

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (SimpleUploadedFile("x.jpg", b"not an image at all"), "not an image"),
            (image_file("big.png", size=(8000, 6000)), "megapixels"),
            (image_file("pic.bmp", image_format="BMP"), "Upload a JPEG"),
        ],
    )
    def test_uploads_must_be_real_pictures_of_sane_size(self, upload, message):
        with pytest.raises(ValidationError) as error:
            validate_image_file(upload)
        assert message in str(error.value)

    def test_upload_size_limit(self, monkeypatch):
        monkeypatch.setattr("articles.images.MAX_UPLOAD_BYTES", 100)
        with pytest.raises(ValidationError) as error:
            validate_image_file(image_file(size=(200, 200)))
        assert "limit" in str(error.value)


def test_expiry_takes_a_story_off_the_gate_when_its_time_comes(time_machine):
    time_machine.move_to("2026-03-01 12:00Z", tick=False)
    story = ArticleFactory(
        published_at=timezone.now() - timedelta(days=1),
        unpublish_at=timezone.now() + timedelta(hours=1),
    )
    assert list(Article.objects.published()) == [story]
    assert story.state == "published"

    time_machine.move_to("2026-03-01 13:00Z", tick=False)
    assert not Article.objects.published().exists()
    assert story.state == "expired"


def test_expiry_before_publication_is_a_form_error():
    now = timezone.now()
    story = ArticleFactory.build(published_at=now, unpublish_at=now - timedelta(1))
    with pytest.raises(ValidationError) as error:
        story.clean()
    assert "unpublish_at" in error.value.message_dict
