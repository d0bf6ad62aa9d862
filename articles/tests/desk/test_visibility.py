"""Every desk lookup follows one rule: a reporter reads about their own stories and
published ones, never about anyone else's drafts (`Article.objects.visible_to`)."""

import pytest
from django.urls import reverse

from articles import services
from articles.models import RelatedExclusion, RelatedStory
from articles.tests.admin_forms import add_inline, change_url, form_data
from articles.tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db

EMBARGOED = "Embargoed: minister to resign on Friday"


@pytest.fixture
def embargoed(editor):
    return ArticleFactory(draft=True, headline=EMBARGOED, created_by=editor)


@pytest.fixture
def own_draft(reporter):
    return ArticleFactory(draft=True, headline="My own draft", created_by=reporter)


def test_a_story_link_in_a_reporters_draft_does_not_name_the_target(
    reporter_client, own_draft, embargoed
):
    own_draft.body = f'<p>See <a href="story:{embargoed.pk}">this</a>.</p>'
    services.save_story(story=own_draft)
    page = reporter_client.get(change_url(own_draft)).content.decode()
    assert EMBARGOED not in page
    assert f"story #{embargoed.pk} (not public)" in page


def test_linked_from_does_not_name_a_hidden_source(reporter_client, own_draft, editor):
    ArticleFactory(
        draft=True,
        headline=EMBARGOED,
        created_by=editor,
        body=f'<p><a href="story:{own_draft.pk}">x</a></p>',
    )
    page = reporter_client.get(change_url(own_draft)).content.decode()
    assert EMBARGOED not in page
    assert "No story links here yet." in page


@pytest.mark.parametrize(
    "prefix, model",
    [("curated_links", RelatedStory), ("related_exclusions", RelatedExclusion)],
)
def test_a_crafted_pick_of_a_hidden_story_is_refused(
    reporter_client, own_draft, embargoed, prefix, model
):
    data = form_data(reporter_client.get(change_url(own_draft)))
    add_inline(data, prefix, story=str(embargoed.pk), position="0")
    page = reporter_client.post(change_url(own_draft), data)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Select a valid choice" in text
    assert EMBARGOED not in text
    assert not model.objects.exists()


def test_a_hidden_pick_an_editor_made_stays_and_stays_unseen(
    reporter_client, own_draft, embargoed
):
    RelatedStory.objects.create(article=own_draft, story=embargoed, position=0)
    page = reporter_client.get(change_url(own_draft))
    assert EMBARGOED not in page.content.decode()
    data = form_data(page)
    data["dek"] = "Reworded."
    assert reporter_client.post(change_url(own_draft), data).status_code == 302
    assert RelatedStory.objects.filter(article=own_draft, story=embargoed).exists()


def test_the_story_picker_offers_own_and_published_stories_only(
    reporter_client, own_draft, embargoed
):
    live = ArticleFactory(headline="A published story")
    url = reverse("admin:autocomplete")
    params = {
        "app_label": "articles",
        "model_name": "relatedstory",
        "field_name": "story",
    }
    found = reporter_client.get(url, params).json()["results"]
    assert {item["text"] for item in found} == {"My own draft", live.headline}


def test_a_topic_page_does_not_show_reporters_an_embargoed_featured_story(
    reporter_client, embargoed
):
    topic = TopicFactory(name="Bamako", featured_article=embargoed)
    page = reporter_client.get(reverse("admin:articles_topic_change", args=[topic.pk]))
    assert page.status_code == 200
    assert EMBARGOED not in page.content.decode()
    listing = reporter_client.get(reverse("admin:articles_topic_changelist"))
    assert EMBARGOED not in listing.content.decode()
