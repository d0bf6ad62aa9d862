"""The object store down (its server stopped for real): saving a story with a new
image is a form error the editor can act on, nothing typed is lost, nothing is
half-saved; reading, editing text and recovering a story go on."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from reversion.models import Version

from articles import images, services
from articles.history import recovering
from articles.models import Article
from articles.tests.admin_forms import (
    ADD,
    CHANGELIST,
    article_form,
    change_url,
    form_data,
)
from articles.tests.factories import ArticleFactory, image_file
from articles.tests.test_objectstore import files_of, keys, use_bucket
from articles.tests.test_uploads import kept_token
from deploy import objectstore
from newsroom.objectstore import ObjectStoreError

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(tmp_path):
    """A server of this test's own, to stop."""
    try:
        server = objectstore.start(tmp_path / "store")
    except objectstore.ObjectStoreUnavailableError as error:
        pytest.skip(f"no S3-compatible server to test against: {error}")
    yield server
    server.stop()


def stop(server):
    server.stop()
    assert not server.running()


def test_a_new_image_while_the_store_is_down_is_a_form_error(
    editor_client, settings, store, object_store
):
    use_bucket(settings, store, objectstore.PUBLIC_BUCKET)
    stop(store)
    data = article_form(
        headline="Tillabéri: the convoy reached Ayorou",
        lead_image=image_file("convoy.jpg", (900, 600), "JPEG"),
        lead_image_alt="The convoy",
    )
    response = editor_client.post(ADD, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The image could not be stored just now, so the story was not saved" in page
    assert "Tillabéri: the convoy reached Ayorou" in page  # the text is still there
    assert not Article.objects.exists()

    # Once a store answers again, the same submission saves.
    storage = use_bucket(settings, object_store, objectstore.PUBLIC_BUCKET)
    data["lead_image"] = image_file("convoy.jpg", (900, 600), "JPEG")
    assert editor_client.post(ADD, data).status_code == 302
    story = Article.objects.get()
    assert files_of(story) == keys(object_store, storage)


def test_the_save_service_says_the_store_did_not_answer(settings, store):
    use_bucket(settings, store, objectstore.PUBLIC_BUCKET)
    stop(store)
    story = ArticleFactory.build(
        lead_image=image_file("x.jpg", (900, 600), "JPEG"), lead_image_alt="x"
    )
    with (
        pytest.raises(ObjectStoreError, match="The image store did not answer"),
        transaction.atomic(),  # as every request is: the failed save rolls back
    ):
        services.save_story(story=story)
    assert not Article.objects.exists()


def test_pages_text_edits_and_addresses_go_on_while_the_store_is_down(
    client, editor_client, settings, store
):
    use_bucket(settings, store, objectstore.PUBLIC_BUCKET)
    story = ArticleFactory(
        lead_image=image_file("up.jpg", (900, 600), "JPEG"),
        lead_image_alt="x",
        status="published",
    )
    addresses = images.picture(story)
    stop(store)
    # Addresses are built without the store.
    assert images.picture(Article.objects.get(pk=story.pk)) == addresses
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200 and addresses["src"] in page.content.decode()
    # The feed's enclosure knows the file's size without asking the store.
    feed = client.get(reverse("articles:feed"))
    assert feed.status_code == 200
    assert f'length="{story.lead_image_renditions["bytes"]}"' in feed.content.decode()

    # Editing the text of a story with an image needs no store.
    data = form_data(editor_client.get(change_url(story)))
    data["headline"] = "Edited while the store was down"
    assert editor_client.post(change_url(story), data).status_code == 302
    edited = Article.objects.get(pk=story.pk)
    assert edited.headline == "Edited while the store was down"
    assert files_of(edited) == files_of(story)


def test_a_deleted_story_is_recovered_with_its_image_while_the_store_is_down(
    editor_client, editor, settings, store
):
    use_bucket(settings, store, objectstore.PUBLIC_BUCKET)
    story = ArticleFactory(
        lead_image=image_file("r.jpg", (900, 600), "JPEG"), lead_image_alt="x"
    )
    data = form_data(editor_client.get(change_url(story)))
    assert editor_client.post(change_url(story), data).status_code == 302  # a version
    files = files_of(Article.objects.get(pk=story.pk))
    response = editor_client.post(
        CHANGELIST,
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [story.pk], "post": "yes"},
    )
    assert response.status_code == 302
    stop(store)
    version = Version.objects.get_deleted(Article).get()
    assert not recovering.recovery_plan(version, user=editor).image_missing
    recovered = recovering.recover(version, user=editor)
    assert files_of(recovered) == files
    assert default_storage.url(recovered.lead_image.name).endswith(
        recovered.lead_image.name
    )


def test_a_kept_image_while_the_store_is_down_says_so(editor_client, settings, store):
    """The form came back (no headline) with the image kept in the bucket; the
    store stops before the editor sends it again."""
    use_bucket(settings, store, objectstore.PUBLIC_BUCKET)
    first = editor_client.post(
        ADD,
        article_form(
            headline="",
            lead_image=image_file("kept.jpg", (900, 600), "JPEG"),
            lead_image_alt="Kept",
        ),
    )
    assert first.status_code == 200
    token = kept_token(first)
    assert token
    stop(store)
    again = editor_client.post(
        ADD, article_form(lead_image_alt="Kept", lead_image_kept=token)
    )
    assert again.status_code == 200
    assert "The image could not be stored just now" in again.content.decode()
    assert not Article.objects.exists()
