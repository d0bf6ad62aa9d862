"""Updates and corrections as data: on the story, in lists, on /corrections/, in JSON-LD."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services
from articles.models import Article, StoryNote
from articles.tests.admin_forms import article_form, change_url, inline_formset
from articles.tests.factories import ArticleFactory, StoryNoteFactory

pytestmark = pytest.mark.django_db


def note(article, kind, text, minutes_ago):
    return StoryNoteFactory(
        article=article,
        kind=kind,
        text=text,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


class TestArticlePage:
    def test_notes_newest_first_with_their_type(self, client):
        story = ArticleFactory()
        note(story, "update", "Casualty figures updated.", 30)
        note(story, "correction", "The summit was in Niamey, not Bamako.", 5)
        page = client.get(story.get_absolute_url()).content.decode()
        section = page.split('id="notes-heading"', 1)[1].split("</aside>", 1)[0]
        assert section.index(">Correction<") < section.index(">Update<")
        assert section.index("Niamey, not Bamako") < section.index("Casualty figures")

    def test_no_notes_no_section(self, client):
        story = ArticleFactory()
        assert (
            'id="story-notes"'
            not in client.get(story.get_absolute_url()).content.decode()
        )


class TestCorrectedLabel:
    def test_lists_label_only_corrected_stories(self, client):
        corrected = ArticleFactory(headline="Corrected story", topics=["Mali"])
        updated = ArticleFactory(headline="Updated story", topics=["Mali"])
        note(corrected, "correction", "Fixed a date.", 1)
        note(updated, "update", "More detail.", 1)
        for url in ["/", "/topics/mali/", "/search/?q=story"]:
            page = client.get(url).content.decode()
            cards = {
                # Search highlights matched words: read the headline without tags.
                re.sub(r"<[^>]+>", "", re.search(r"<a [^>]*>(.*?)</a>", card)[1]): card
                for card in page.split('<article class="story-card')[1:]
            }
            assert "Corrected" in cards["Corrected story"], url
            assert "Corrected" not in cards["Updated story"], url

    def test_annotation_is_on_the_list_queryset(self):
        story = ArticleFactory()
        note(story, "correction", "x", 1)
        assert Article.objects.published().with_list_data().get().is_corrected


class TestCorrectionsPage:
    def test_every_correction_of_a_published_story_newest_first(self, client):
        live = ArticleFactory(headline="Live story")
        draft = ArticleFactory(draft=True, headline="Draft story")
        note(live, "correction", "Older correction.", 60)
        note(live, "correction", "Newer correction.", 1)
        note(live, "update", "Just an update.", 2)
        note(draft, "correction", "Correction of a draft.", 3)
        page = client.get("/corrections/").content.decode()
        assert page.index("Newer correction.") < page.index("Older correction.")
        assert "Just an update." not in page
        assert "Correction of a draft." not in page and "Draft story" not in page
        assert live.get_absolute_url() in page

    def test_paginated_and_bad_pages_are_404(self, client):
        story = ArticleFactory()
        for i in range(25):
            note(story, "correction", f"Correction number {i}.", i)
        assert (
            "Correction number 24."
            in client.get("/corrections/?page=2").content.decode()
        )
        assert client.get("/corrections/?page=9").status_code == 404
        assert client.get("/corrections/?page=abc").status_code == 404

    def test_empty(self, client):
        assert "No corrections so far." in client.get("/corrections/").content.decode()


class TestStructuredData:
    def test_a_note_as_schema_org_correction_comment(self):
        story = ArticleFactory()
        when = timezone.now().replace(microsecond=0)
        correction = StoryNoteFactory(article=story, text="Fixed.", created_at=when)
        assert correction.as_structured_data() == {
            "@type": "CorrectionComment",
            "text": "Fixed.",
            "datePublished": when.isoformat(),
        }

    def test_story_corrections_newest_first_and_only_corrections(self):
        story = ArticleFactory()
        old = note(story, "correction", "Old.", 60)
        note(story, "clarification", "Clarified.", 30)
        new = note(story, "correction", "New.", 1)
        assert story.corrections() == [new, old]
        assert [c["text"] for c in story.structured_data_corrections()] == [
            "New.",
            "Old.",
        ]

    def test_article_page_json_ld_carries_its_corrections(self, client):
        story = ArticleFactory()
        note(story, "correction", "The summit was in Niamey.", 5)
        note(story, "update", "More detail.", 1)
        page = client.get(story.get_absolute_url()).content.decode()
        script = re.search(
            r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S
        )
        data = json.loads(script[1])
        assert [c["text"] for c in data["correction"]] == ["The summit was in Niamey."]
        assert data["correction"][0]["@type"] == "CorrectionComment"

    def test_no_corrections_no_key(self, client):
        story = ArticleFactory()
        note(story, "update", "More detail.", 1)
        page = client.get(story.get_absolute_url()).content.decode()
        assert '"correction"' not in page


class TestAdminInline:
    def notes_form(self, story, status="published"):
        return article_form(
            status=status,
            opened_version=story.updated_at.isoformat(),
            **inline_formset(
                "notes",
                [
                    {
                        "kind": "correction",
                        "text": "The summit was in Niamey.",
                        "created_at_0": "2026-01-02",
                        "created_at_1": "10:00",
                    }
                ],
            ),
        )

    def test_editor_appends_a_correction(self, editor_client):
        story = ArticleFactory(slug="niger-junta-french-troops")
        response = editor_client.post(change_url(story), self.notes_form(story))
        assert response.status_code == 302, response.content.decode()[:2000]
        assert story.notes.get().kind == StoryNote.Kind.CORRECTION

    def test_reporter_cannot_add_notes_even_by_crafted_post(
        self, reporter_client, reporter
    ):
        draft = ArticleFactory(draft=True, created_by=reporter)
        page = reporter_client.get(change_url(draft)).content.decode()
        assert "notes-TOTAL_FORMS" not in page
        reporter_client.post(change_url(draft), self.notes_form(draft, status="draft"))
        assert not StoryNote.objects.exists()


def test_hidden_stories_leak_through_no_workflow_surface(client):
    """Draft, in-review, scheduled and expired stories: their corrections, their
    in-body links and their citations stay off every public page."""
    hidden = [
        ArticleFactory(draft=True, headline="SECRET draft"),
        ArticleFactory(review=True, headline="SECRET review"),
        ArticleFactory(scheduled=True, headline="SECRET scheduled"),
        ArticleFactory(
            headline="SECRET expired",
            unpublish_at=timezone.now() - timedelta(minutes=1),
        ),
    ]
    links = "".join(f'<a href="story:{s.pk}">SECRET link</a> ' for s in hidden)
    live = ArticleFactory(headline="Live", body=f"<p>{links}</p>")
    for story in hidden:
        note(story, "correction", "SECRET correction.", 1)
        story.body = f'<p><a href="story:{live.pk}">cites SECRET</a></p>'
        services.save_story(story=story)
    for url in ["/corrections/", live.get_absolute_url(), "/"]:
        page = client.get(url).content.decode()
        for story in hidden:
            assert story.get_absolute_url() not in page, url
            assert story.headline not in page, url
        assert "SECRET correction" not in page and "cites SECRET" not in page, url


def test_corrections_cost_no_query_once_the_page_has_its_notes(
    client, django_assert_num_queries
):
    story = ArticleFactory()
    note(story, "correction", "Fixed.", 1)
    response = client.get(story.get_absolute_url())
    article = response.context["article"]
    with django_assert_num_queries(0):
        assert [c["text"] for c in article.structured_data_corrections()] == ["Fixed."]
