"""The demo's French stories: translations linked to their English source and to
the version they were made from, one left stale, one with a correction pending."""

import re

import pytest
from django.core.management import call_command
from reversion.models import Version

from articles.models import Article, StoryNote
from demo import content, content_fr

pytestmark = pytest.mark.django_db

TRANSLATIONS = [data for data in content_fr.STORIES if "translation_of" in data]
FRENCH_ONLY = [data for data in content_fr.STORIES if "translation_of" not in data]
(STALE,) = [data for data in content_fr.STORIES if data.get("stale")]
(PENDING,) = [data for data in content_fr.STORIES if data.get("correction_pending")]


@pytest.fixture
def demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def versions(story):
    return list(Version.objects.get_for_object(story).order_by("pk"))


def test_the_demo_has_french_stories_some_of_them_translations(demo):
    assert len(TRANSLATIONS) == 3 and len(FRENCH_ONLY) == 3
    french = Article.objects.published().filter(language="fr")
    assert sorted(french.values_list("slug", flat=True)) == sorted(
        data["slug"] for data in content_fr.STORIES
    )
    english = Article.objects.exclude(language="fr")
    assert set(english.values_list("language", flat=True)) == {"en"}
    assert english.count() == len(content.STORIES) + len(content.DESK_STORIES)
    for data in TRANSLATIONS:
        story = Article.objects.get(slug=data["slug"])
        source = story.translation_of
        assert source.slug == data["translation_of"]
        assert source.language == "en" and source.translation_of is None
        assert set(story.tags.values_list("slug", flat=True)) == set(
            source.tags.values_list("slug", flat=True)
        )
        # The same picture, described in French.
        assert story.lead_image.name == source.lead_image.name
        assert story.lead_image_renditions == source.lead_image_renditions
        assert story.lead_image_alt != source.lead_image_alt
        assert Version.objects.get(pk=story.source_version).object_id == str(source.pk)
        assert list(source.translations.all()) == [story]
    for data in FRENCH_ONLY:
        story = Article.objects.get(slug=data["slug"])
        assert story.translation_of is None and story.source_version is None
        assert story.lead_image and story.lead_image.name != ""
    for story in french:
        assert story.sources.startswith(("Fiche de synthèse", "The Caspian Times"))
        assert story.authors.exists() and story.tags.count() >= 3
        assert story.curated_links.count() == 2
        assert all(link.story.language == "fr" for link in story.curated_links.all())


def test_one_translation_is_stale_and_the_others_up_to_date(demo):
    stale = Article.objects.get(slug=STALE["slug"])
    source = stale.translation_of
    made_from, revised = versions(source)
    assert stale.source_version == made_from.pk < revised.pk
    # The source's text changed since: the desk's "source changed since".
    added = content_fr.STALE_SOURCE_REVISION["added"].strip()
    assert added not in made_from.field_dict["body"]
    assert added in revised.field_dict["body"] and added in source.body
    assert made_from.field_dict["body"] != source.body
    # Both versions are in the desk's history, each with its own comment.
    assert made_from.revision.get_comment() == "Loaded by load_demo."
    assert (
        revised.revision.get_comment() == (content_fr.STALE_SOURCE_REVISION["comment"])
    )
    for data in TRANSLATIONS:
        if data is STALE:
            continue
        story = Article.objects.get(slug=data["slug"])
        (only,) = versions(story.translation_of)
        assert story.source_version == only.pk
        assert only.field_dict["body"] == story.translation_of.body


def test_one_published_translation_has_a_correction_pending(demo):
    story = Article.objects.get(slug=PENDING["slug"])
    assert story.is_published()
    note = story.correction_pending
    assert note.article == story.translation_of
    assert note.kind == StoryNote.Kind.CORRECTION
    assert not story.notes.exists()  # its own note is still to be written
    others = Article.objects.filter(language="fr").exclude(pk=story.pk)
    assert not others.filter(correction_pending__isnull=False).exists()


def test_a_second_load_keeps_the_stale_and_the_pending_as_they_are(demo, capsys):
    stale = Article.objects.get(slug=STALE["slug"])
    count = Version.objects.count()
    call_command("load_demo")
    out = capsys.readouterr().out
    assert (
        "French: 0 stories created (0 translations), 6 already present; "
        "0 English source revised since its translation." in out
    )
    assert Version.objects.count() == count
    assert len(versions(stale.translation_of)) == 2
    assert Article.objects.get(pk=stale.pk).source_version == stale.source_version
    pending = Article.objects.get(slug=PENDING["slug"])
    assert pending.correction_pending.kind == StoryNote.Kind.CORRECTION


def test_french_pages_render_in_french(demo, client):
    for data in content_fr.STORIES:
        story = Article.objects.get(slug=data["slug"])
        response = client.get(story.get_absolute_url())
        assert response.status_code == 200
        page = response.content.decode()
        assert story.headline in page
        assert story.body.split("</p>")[0].removeprefix("<p>") in page


def test_french_text_is_typeset_the_french_way():
    assert content_fr.typeset("« oui » : non ; si ? ça !") == (
        "«\u00a0oui\u00a0»\u00a0: non\u202f; si\u202f? ça\u202f!"
    )
    for data in content_fr.STORIES:
        for field in ("headline", "dek", "body"):
            text = data[field]
            assert not re.search(r"« | »| [:;?!]", text), (data["slug"], field)
            assert "'" not in re.sub(r"<[^>]+>", "", text)  # apostrophes are ’
        assert re.fullmatch(r"[a-z0-9-]+", data["slug"])
