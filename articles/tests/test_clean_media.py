"""clean_media: orphan files go, anything a story or a kept version needs stays."""

import os
import re
import time
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import CommandError, call_command
from reversion.models import Version

from articles import history, images, services
from articles.models import Article
from articles.tests.admin_forms import (
    ADD,
    CHANGELIST,
    article_form,
    change_url,
    form_data,
)
from articles.tests.factories import ArticleFactory, image_file
from articles.tests.test_images import jpeg_with_everything, upload
from articles.tests.test_uploads import kept_token, without_headline

pytestmark = pytest.mark.django_db


def files_of(story):
    return {story.lead_image.name} | images.rendition_names(story.lead_image_renditions)


def on_disk(settings):
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def age_everything(settings, hours=2):
    """Make every stored file older than the grace period (its real mtime)."""
    then = time.time() - hours * 3600
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            os.utime(path, (then, then))


def clean_media(*args):
    out = StringIO()
    call_command("clean_media", *args, stdout=out)
    return out.getvalue()


def summary(output):
    return output.strip().splitlines()[-1]


def replace_image_in_code(story, name="new.png"):
    story.lead_image = image_file(name, (92, 61))  # other bytes, another name
    services.save_story(story=story)
    return story


class TestOrphans:
    def test_a_replaced_image_stays_until_clean_media_removes_it(self, settings):
        story = ArticleFactory(lead_image=image_file("old.png", (90, 60)))
        old = files_of(story)
        replace_image_in_code(story)
        new = files_of(story)
        assert old <= on_disk(settings)  # not deleted inline
        age_everything(settings)
        output = clean_media("--delete")
        assert on_disk(settings) == new
        for name in old:
            assert "removed " in output and name in output
        assert summary(output).startswith("clean_media: 3 of 6 files")
        assert "3 removed." in summary(output)

    def test_dry_run_lists_counts_and_bytes_and_removes_nothing(self, settings):
        story = ArticleFactory(lead_image=image_file("old.png", (90, 60)))
        old = sorted(files_of(story))
        sizes = sum((Path(settings.MEDIA_ROOT) / name).stat().st_size for name in old)
        replace_image_in_code(story)
        age_everything(settings)
        before = on_disk(settings)
        output = clean_media()
        assert on_disk(settings) == before
        listed = re.findall(
            r"would remove \[\d+/\d+\] (\S+) \(([\d,]+) bytes\)", output
        )
        assert sorted(name for name, _ in listed) == old
        assert sum(int(size.replace(",", "")) for _, size in listed) == sizes
        assert f"({sizes:,} bytes" in summary(output)
        assert "dry run, nothing removed" in summary(output)

    def test_drafts_images_are_kept(self, settings):
        draft = ArticleFactory(draft=True, lead_image=image_file("d.png", (90, 60)))
        age_everything(settings)
        clean_media("--delete")
        assert files_of(draft) <= on_disk(settings)

    def test_young_files_are_left_alone(self, settings):
        story = ArticleFactory(lead_image=image_file("old.png", (90, 60)))
        old = files_of(story)
        replace_image_in_code(story)
        output = clean_media("--delete")
        assert old <= on_disk(settings)
        assert "0 of 6 files" in summary(output)
        assert "3 younger than 60 minutes left alone" in summary(output)

    def test_files_outside_the_upload_folders_are_not_touched(self, settings):
        root = Path(settings.MEDIA_ROOT)
        (root / "press-kit").mkdir(parents=True)
        (root / "press-kit" / "logo.svg").write_text("<svg/>")
        age_everything(settings)
        clean_media("--delete")
        assert (root / "press-kit" / "logo.svg").exists()

    def test_grace_shorter_than_a_kept_upload_is_refused(self):
        with pytest.raises(CommandError, match="at least 45"):
            clean_media("--grace-minutes", "10")

    def test_nothing_stored_yet(self):
        assert summary(clean_media("--delete")).startswith("clean_media: 0 of 0 files")


class TestKeptUploads:
    def test_an_upload_never_saved_goes_once_it_is_old(self, editor_client, settings):
        response = editor_client.post(
            ADD, without_headline(lead_image=upload("gao.jpg", jpeg_with_everything()))
        )
        assert kept_token(response)
        kept = on_disk(settings)
        assert len(kept) == 3  # the image and its two renditions (300 px wide)
        clean_media("--delete")
        assert on_disk(settings) == kept  # the editor may still save it
        age_everything(settings)
        clean_media("--delete")
        assert on_disk(settings) == set()


class TestVersionsKeepTheirImages:
    """A version django-reversion keeps may be restored, a deleted story recovered:
    their images must still be there."""

    def admin_story(self, client):
        response = client.post(
            ADD,
            article_form(
                lead_image=upload("first.jpg", jpeg_with_everything()),
                lead_image_alt="First",
            ),
        )
        assert response.status_code == 302
        return Article.objects.get()

    def test_an_image_replaced_in_the_admin_is_kept_for_its_version(
        self, editor_client, settings
    ):
        story = self.admin_story(editor_client)
        first = files_of(story)
        data = form_data(editor_client.get(change_url(story)))
        data["lead_image"] = image_file("second.png", (90, 60))
        assert editor_client.post(change_url(story), data).status_code == 302
        story.refresh_from_db()
        assert files_of(story).isdisjoint(first)
        age_everything(settings)
        output = clean_media("--delete")
        assert first <= on_disk(settings)
        assert "0 removed." in summary(output)

        # Restoring the first version brings the first image back, renditions too.
        [earliest, _] = sorted(
            Version.objects.get_for_object(story), key=lambda v: v.pk
        )
        restored = history.restore(story, earliest, user=None)
        assert files_of(restored) == first
        assert restored.lead_image_renditions["sizes"]

        # Once the versions are pruned, the second image is an orphan.
        Version.objects.get_for_object(story).delete()
        output = clean_media("--delete")
        assert on_disk(settings) == first
        assert "3 removed." in summary(output)

    def test_a_deleted_story_can_be_recovered_with_its_image(
        self, editor_client, settings
    ):
        story = self.admin_story(editor_client)
        files = files_of(story)
        response = editor_client.post(
            CHANGELIST,
            {
                "action": "delete_selected",
                ACTION_CHECKBOX_NAME: [story.pk],
                "post": "yes",
            },
        )
        assert response.status_code == 302
        assert not Article.objects.exists()
        age_everything(settings)
        clean_media("--delete")
        assert files <= on_disk(settings)

        version = Version.objects.get_deleted(Article).get()
        version.revert()
        recovered = Article.objects.get(pk=story.pk)
        assert files_of(recovered) == files

    def test_a_story_deleted_without_a_version_loses_its_files(self, settings):
        story = ArticleFactory(lead_image=image_file("gone.png", (90, 60)))
        story.delete()
        age_everything(settings)
        clean_media("--delete")
        assert on_disk(settings) == set()


def test_a_version_that_cannot_be_read_stops_the_removal(editor_client, settings):
    response = editor_client.post(
        ADD,
        article_form(
            lead_image=upload("first.jpg", jpeg_with_everything()),
            lead_image_alt="First",
        ),
    )
    assert response.status_code == 302
    story = Article.objects.get()
    Version.objects.get_for_object(story).update(
        serialized_data='[{"fields": {"lead_image": "lead-images/'
    )
    replace_image_in_code(story)
    age_everything(settings)
    before = on_disk(settings)
    with pytest.raises(
        CommandError, match=r"version \d+ cannot be read: .*Nothing was removed"
    ):
        clean_media("--delete")
    assert on_disk(settings) == before
