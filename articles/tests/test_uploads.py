"""An image chosen in the story form survives the form coming back with an error."""

import html
import re

import pytest
from django.core.files.storage import default_storage

from articles import uploads
from articles.models import Article
from articles.tests.admin_forms import (
    ADD,
    article_form,
    change_url,
    form_data,
    inline_formset,
)
from articles.tests.conftest import desk_member
from articles.tests.factories import ArticleFactory
from articles.tests.test_images import (
    LEAKS,
    RANDOM_NAME,
    jpeg_with_everything,
    media_files,
    upload,
)

pytestmark = pytest.mark.django_db

KEPT_MESSAGE = "Your image ‘gao.jpg’ is kept and will be saved with the story."


def kept_token(response):
    match = re.search(r'name="lead_image_kept" value="([^"]+)"', response.text)
    return html.unescape(match.group(1)) if match else None


def without_headline(**extra):
    return article_form(headline="", lead_image_alt="The market in Gao", **extra)


@pytest.fixture
def first_try(editor_client):
    """The editor chose a picture but forgot the headline."""
    response = editor_client.post(
        ADD, without_headline(lead_image=upload("gao.jpg", jpeg_with_everything()))
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    return response


class TestKeptUpload:
    def test_the_form_says_the_image_is_kept(self, first_try):
        assert KEPT_MESSAGE in first_try.text
        assert kept_token(first_try)
        assert "Do not use it" in first_try.text

    def test_sending_the_form_again_saves_the_kept_image(
        self, editor_client, first_try
    ):
        response = editor_client.post(
            ADD,
            article_form(
                lead_image_alt="The market in Gao",
                lead_image_kept=kept_token(first_try),
            ),
        )
        assert response.status_code == 302, response.text[:3000]
        story = Article.objects.get()
        assert re.fullmatch(RANDOM_NAME, story.lead_image.name)
        assert story.lead_image_renditions["source"] == story.lead_image.name
        assert (story.lead_image_width, story.lead_image_height) == (300, 200)
        with story.lead_image.open("rb") as stored:
            content = stored.read()
        assert not [leak for leak in LEAKS if leak in content]
        # The kept files are the story's files: nothing was stored twice.
        referenced = {story.lead_image.name} | {
            size[key]
            for size in story.lead_image_renditions["sizes"]
            for key in ("webp", "jpeg")
        }
        assert set(media_files_of(default_storage)) == referenced

    def test_kept_through_a_second_error_too(self, editor_client, first_try):
        again = editor_client.post(
            ADD, without_headline(lead_image_kept=kept_token(first_try))
        )
        assert again.status_code == 200 and KEPT_MESSAGE in again.text
        response = editor_client.post(
            ADD,
            article_form(
                lead_image_alt="The market in Gao", lead_image_kept=kept_token(again)
            ),
        )
        assert response.status_code == 302
        assert Article.objects.get().lead_image

    def test_the_editor_can_drop_it(self, editor_client, first_try):
        response = editor_client.post(
            ADD,
            article_form(
                lead_image_kept=kept_token(first_try), lead_image_kept_drop="on"
            ),
        )
        assert response.status_code == 302
        assert not Article.objects.get().lead_image

    def test_a_new_choice_replaces_it(self, editor_client, first_try, settings):
        from articles.tests.factories import image_file

        response = editor_client.post(
            ADD,
            article_form(
                lead_image_alt="A map",
                lead_image_kept=kept_token(first_try),
                lead_image=image_file("map.png", (64, 48)),
            ),
        )
        assert response.status_code == 302
        story = Article.objects.get()
        assert story.lead_image.name.endswith(".png")
        assert story.lead_image_width == 64

    def test_kept_when_only_an_inline_is_wrong(self, editor_client):
        data = article_form(
            lead_image=upload("gao.jpg", jpeg_with_everything()),
            lead_image_alt="The market",
            **inline_formset("curated_links", [{"story": "999999", "position": "0"}]),
        )
        response = editor_client.post(ADD, data)
        assert response.status_code == 200
        assert not Article.objects.exists()
        assert KEPT_MESSAGE in response.text

    def test_kept_on_a_story_that_already_has_an_image(self, editor_client):
        from articles.tests.factories import image_file

        story = ArticleFactory(
            lead_image=image_file("old.png", (60, 40)), lead_image_alt="Old"
        )
        old = story.lead_image.name
        data = form_data(editor_client.get(change_url(story)))
        data.update(headline="", lead_image=upload("gao.jpg", jpeg_with_everything()))
        response = editor_client.post(change_url(story), data)
        assert response.status_code == 200 and KEPT_MESSAGE in response.text
        story.refresh_from_db()
        assert story.lead_image.name == old
        data.update(headline="Gao market reopens", lead_image_kept=kept_token(response))
        del data["lead_image"]
        assert editor_client.post(change_url(story), data).status_code == 302
        story.refresh_from_db()
        assert story.lead_image.name != old
        assert story.lead_image.name.endswith(".jpg")


class TestKeptUploadIsOnlyForItsOwner:
    def test_another_desk_members_token_is_refused(
        self, first_try, client, django_user_model
    ):
        other = desk_member(django_user_model, "other-editor", "Editors")
        client.force_login(other)
        response = client.post(
            ADD,
            article_form(lead_image_alt="x", lead_image_kept=kept_token(first_try)),
        )
        assert response.status_code == 200
        assert "Choose it again." in response.text
        assert not Article.objects.exists()
        assert kept_token(response) is None

    def test_a_tampered_token_is_refused(self, editor_client, first_try):
        token = kept_token(first_try)
        forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
        response = editor_client.post(
            ADD, article_form(lead_image_alt="x", lead_image_kept=forged)
        )
        assert response.status_code == 200
        assert "Choose it again." in response.text
        assert not Article.objects.exists()

    def test_a_token_cannot_name_another_file(self, editor_client, first_try, editor):
        # Even signed with the server's key, a token naming some other stored file
        # (another story's image) is refused.
        from articles.tests.factories import image_file

        someone_elses = ArticleFactory(
            lead_image=image_file("x.png"), lead_image_alt="x", draft=True
        )
        token = uploads.make_token(
            stored={
                "name": "../" + someone_elses.lead_image.name,
                "renditions": someone_elses.lead_image_renditions,
            },
            filename="x.png",
            owner=editor.pk,
        )
        response = editor_client.post(
            ADD, article_form(lead_image_alt="x", lead_image_kept=token)
        )
        assert response.status_code == 200 and "Choose it again." in response.text

    def test_an_old_token_is_refused(self, editor_client, first_try, time_machine):
        from django.utils import timezone

        time_machine.move_to(timezone.now() + uploads.KEPT_FOR + uploads.KEPT_FOR / 10)
        response = editor_client.post(
            ADD,
            article_form(lead_image_alt="x", lead_image_kept=kept_token(first_try)),
        )
        assert response.status_code == 200
        assert "Choose it again." in response.text

    def test_a_kept_file_removed_meanwhile_is_refused(self, editor_client, first_try):
        for name in media_files_of(default_storage):
            default_storage.delete(name)
        response = editor_client.post(
            ADD,
            article_form(lead_image_alt="x", lead_image_kept=kept_token(first_try)),
        )
        assert response.status_code == 200
        assert "Choose it again." in response.text
        assert not Article.objects.exists()


def test_storage_refusing_writes_is_a_form_error(editor_client, settings):
    """A real failure: where images go is a file, not a folder, so nothing can be
    written there. The editor gets an error and keeps the text."""
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True)
    (root / "lead-images").write_text("not a folder")
    response = editor_client.post(
        ADD,
        article_form(
            lead_image=upload("gao.jpg", jpeg_with_everything()),
            lead_image_alt="The market",
        ),
    )
    assert response.status_code == 200
    assert "could not be stored just now" in response.text
    assert "Niger&#x27;s junta asks French troops to leave" in response.text
    assert not Article.objects.exists()
    assert media_files(settings) == ["lead-images"]


def media_files_of(storage):
    def walk(folder):
        folders, files = storage.listdir(folder)
        for name in files:
            yield f"{folder}/{name}" if folder else name
        for sub in folders:
            yield from walk(f"{folder}/{sub}" if folder else sub)

    return list(walk(""))


def test_a_refused_file_name_is_not_kept(editor_client, settings):
    """A name the story refuses (a JPEG saved as .jfif) is an error on the image
    itself: nothing is stored, and no kept image that could never be saved."""
    response = editor_client.post(
        ADD,
        article_form(
            lead_image=upload("gao.jfif", jpeg_with_everything()),
            lead_image_alt="The market",
        ),
    )
    assert response.status_code == 200
    assert "File extension “jfif” is not allowed." in response.text
    assert kept_token(response) is None
    assert media_files(settings) == []
