"""The read-only content API: lists, filters, detail, errors and the schema."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    RelatedStoryFactory,
)

pytestmark = pytest.mark.django_db


def get(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


@pytest.fixture
def archive():
    now = timezone.now()
    stories = [
        ArticleFactory(
            headline=f"Story {i}",
            published_at=now - timedelta(hours=i + 1),
            topics=["Mali"] if i % 2 == 0 else ["Niger"],
        )
        for i in range(25)
    ]
    ArticleFactory(draft=True, headline="SECRET draft", topics=["Mali"])
    ArticleFactory(scheduled=True, headline="SECRET scheduled", topics=["Mali"])
    ArticleFactory(draft=True, headline="SECRET only", topics=["Secret op"])
    return stories


def test_index_points_to_everything(client):
    data = get(client, "/api/")
    assert data == {
        "stories": "http://testserver/api/stories/",
        "topics": "http://testserver/api/topics/",
        "schema": "http://testserver/api/openapi.json",
    }


def test_story_list_is_paginated_newest_first(client, archive):
    data = get(client, "/api/stories/")
    assert (data["count"], data["page"], data["pages"]) == (25, 1, 2)
    assert [s["slug"] for s in data["results"]] == [s.slug for s in archive[:20]]
    assert data["previous"] is None
    assert data["next"] == "http://testserver/api/stories/?page=2"
    page2 = get(client, "/api/stories/", page=2)
    assert [s["slug"] for s in page2["results"]] == [s.slug for s in archive[20:]]
    assert page2["next"] is None
    small = get(client, "/api/stories/", page_size=5, page=3)
    assert [s["slug"] for s in small["results"]] == [s.slug for s in archive[10:15]]
    assert small["next"].endswith("page_size=5&page=4")
    assert "SECRET" not in str(data) + str(page2)


def test_story_list_items(client):
    story = ArticleFactory(headline="Charter", dek="Three states", topics=["AES"])
    story.authors.add(AuthorFactory(name="Aminata Diallo", slug="aminata"))
    [item] = get(client, "/api/stories/")["results"]
    assert item["headline"] == "Charter" and item["dek"] == "Three states"
    assert item["url"] == f"http://testserver{story.get_absolute_url()}"
    assert item["authors"] == [
        {
            "name": "Aminata Diallo",
            "slug": "aminata",
            "url": "http://testserver/authors/aminata/",
        }
    ]
    assert item["topics"] == [
        {"name": "AES", "slug": "aes", "url": "http://testserver/topics/aes/"}
    ]
    assert item["published_at"].startswith(str(story.published_at.date()))


def test_topic_filter(client, archive):
    data = get(client, "/api/stories/", topic="mali")
    assert data["count"] == 13
    assert all([t["slug"] for t in s["topics"]] == ["mali"] for s in data["results"])
    assert data["next"] is None
    paged = get(client, "/api/stories/", topic="mali", page_size=5)
    assert paged["next"].endswith("?topic=mali&page_size=5&page=2")


def test_an_empty_topic_is_no_filter(client, archive):
    data = get(client, "/api/stories/", topic="", page_size=5)
    assert data["count"] == 25
    assert data["next"].endswith("?topic=&page_size=5&page=2")


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "1.5"},
        {"page": "99"},
        {"page_size": "0"},
        {"page_size": "1000"},
        {"topic": "nowhere"},
        {"topic": "secret-op"},  # a topic only drafts carry
        {"page": "\x00"},
    ],
)
def test_bad_parameters_answer_400_in_json(client, archive, params):
    data = get(client, "/api/stories/", status=400, **params)
    assert data["detail"]


def test_story_detail(client):
    story = ArticleFactory(
        headline="Charter signed",
        body="<p>The <strong>text</strong>.</p>",
        topics=["Mali", "AES"],
    )
    other = ArticleFactory(headline="Related one", topics=["Mali"])
    hidden = ArticleFactory(draft=True, topics=["Mali"])
    RelatedStoryFactory(article=story, story=hidden)
    data = get(client, f"/api/stories/{story.slug}/")
    assert data["headline"] == "Charter signed"
    assert data["body_html"] == "<p>The <strong>text</strong>.</p>"
    assert [t["slug"] for t in data["topics"]] == ["aes", "mali"]
    assert [r["slug"] for r in data["related"]] == [other.slug]
    assert data["image"] is None


@pytest.mark.parametrize("kind", ["draft", "review", "scheduled"])
def test_hidden_stories_are_404(client, kind):
    story = ArticleFactory(**{kind: True})
    assert get(client, f"/api/stories/{story.slug}/", status=404)["detail"]
    assert get(client, "/api/stories/")["count"] == 0


def test_topics_with_counts(client, archive):
    data = get(client, "/api/topics/")
    assert [(t["slug"], t["stories"]) for t in data] == [("mali", 13), ("niger", 12)]


def test_openapi_schema(client):
    schema = get(client, "/api/openapi.json")
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "AES Newsroom content API"
    paths = schema["paths"]
    assert {"/api/", "/api/stories/", "/api/stories/{slug}/", "/api/topics/"} <= set(
        paths
    )
    params = {p["name"] for p in paths["/api/stories/"]["get"]["parameters"]}
    assert params == {"page", "page_size", "topic", "language"}
    assert "400" in paths["/api/stories/"]["get"]["responses"]
