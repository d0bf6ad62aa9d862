"""JSON-LD on article and topic pages: valid, complete, and escaped."""

import json
import re
from datetime import datetime, timedelta

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone
from PIL import Image

from articles.models import Article
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    StoryNoteFactory,
    image_file,
)
from articles.tests.history.test_revisions import confirm_restore, edit, versions

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_ld(response):
    assert response.status_code == 200
    [block] = LD_JSON.findall(response.content.decode())
    return json.loads(block)


def meta(response, name):
    pattern = rf'<meta (?:name|property)="{re.escape(name)}" content="([^"]*)"'
    return re.findall(pattern, response.content.decode())


def test_article_carries_a_complete_news_article(client):
    story = ArticleFactory(
        headline="Charter signed in Bamako",
        dek="Three states, one alliance.",
        topics=["Mali", "AES"],
        lead_image=image_file("charter.jpg", (1600, 900), "JPEG"),
        lead_image_alt="Leaders at the signing",
    )
    story.authors.add(AuthorFactory(name="Aminata Diallo", slug="aminata-diallo"))
    data = json_ld(client.get(story.get_absolute_url()))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Charter signed in Bamako"
    assert data["description"] == "Three states, one alliance."
    published = datetime.fromisoformat(data["datePublished"])
    assert published == story.published_at.replace(microsecond=0)
    # Never revised and no notes: modified when published.
    assert data["dateModified"] == data["datePublished"]
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Aminata Diallo",
            "url": "http://testserver/authors/aminata-diallo/",
        }
    ]
    assert data["publisher"]["name"] == "AES Newsroom"
    assert data["publisher"]["logo"] == {
        "@type": "ImageObject",
        "url": "http://testserver/static/img/logo.png",
        "width": 512,
        "height": 512,
    }
    assert sorted(data["keywords"]) == ["AES", "Mali"]
    assert (
        data["mainEntityOfPage"]["@id"]
        == f"http://testserver{story.get_absolute_url()}"
    )
    assert data["image"][0].endswith("-1200w.jpg")
    assert all(url.startswith("http://testserver/media/") for url in data["image"])


def test_headline_cannot_break_out_of_the_script(client):
    evil = '</script><script>alert("x")</script><!-- & more'
    story = ArticleFactory(headline=evil, dek="</SCRIPT>", topics=["</script>"])
    response = client.get(story.get_absolute_url())
    page = response.content.decode()
    block = LD_JSON.findall(page)[0]
    assert (
        "<" not in block
        and ">" not in block
        and "&" not in block.replace("\\u0026", "")
    )
    data = json.loads(block)
    assert data["headline"] == evil
    assert data["keywords"] == ["</script>"]
    assert "<script>alert" not in page


def test_social_cards(client):
    story = ArticleFactory(
        headline="Market day in Ségou",
        dek="Prices rise.",
        lead_image=image_file("market.png", (1300, 800)),
        lead_image_alt="Traders",
    )
    response = client.get(story.get_absolute_url())
    assert meta(response, "og:title") == ["Market day in Ségou"]
    assert meta(response, "og:type") == ["article"]
    assert meta(response, "twitter:card") == ["summary_large_image"]
    assert meta(response, "twitter:title") == ["Market day in Ségou"]
    assert meta(response, "twitter:description") == ["Prices rise."]
    [image] = meta(response, "og:image")
    assert image.startswith("http://testserver/media/") and image.endswith(".jpg")
    assert meta(response, "twitter:image") == [image]
    assert meta(response, "og:image:alt") == ["Traders"]

    plain = ArticleFactory()
    assert meta(client.get(plain.get_absolute_url()), "twitter:card") == ["summary"]


def test_topic_page_carries_a_collection_page(client):
    stories = [ArticleFactory(topics=["Niger"]) for _ in range(3)]
    ArticleFactory(draft=True, headline="SECRET", topics=["Niger"])
    data = json_ld(client.get("/topics/niger/"))
    assert data["@type"] == "CollectionPage"
    assert data["name"] == "Niger"
    assert data["url"] == "http://testserver/topics/niger/"
    items = data["mainEntity"]["itemListElement"]
    assert [item["position"] for item in items] == [1, 2, 3]
    assert {item["url"] for item in items} == {
        f"http://testserver{story.get_absolute_url()}" for story in stories
    }
    assert "SECRET" not in json.dumps(data)


def modified(client, story):
    return datetime.fromisoformat(
        json_ld(client.get(story.get_absolute_url()))["dateModified"]
    )


def test_date_modified_is_the_last_change_readers_saw(client, editor_client):
    """Not the row's update time (a demo load, a retag, a status flip): the last save
    that changed the text, or the newest note."""
    published = timezone.now().replace(microsecond=0) - timedelta(days=3)
    story = ArticleFactory(published_at=published, topics=["Mali"])
    story.refresh_from_db()
    assert story.updated_at > published
    assert modified(client, story) == published
    meta_time = meta(client.get(story.get_absolute_url()), "article:modified_time")
    assert meta_time == [published.isoformat()]

    # Saving without touching the text (topics, sources) changes nothing.
    edit(editor_client, story, tags="Mali, Niger", sources="A report")
    assert modified(client, story) == published

    # A note is a change readers see.
    note = StoryNoteFactory(article=story, created_at=published + timedelta(days=1))
    assert modified(client, story) == note.created_at

    before = timezone.now().replace(microsecond=0)
    edit(editor_client, story, dek="A sharper standfirst.")
    revised = modified(client, story)
    assert revised >= before
    story.refresh_from_db()
    assert revised == story.revised_at.replace(microsecond=0)
    [meta_time] = meta(client.get(story.get_absolute_url()), "article:modified_time")
    assert datetime.fromisoformat(meta_time).replace(microsecond=0) == revised


def test_restoring_an_older_text_dates_the_story(editor_client, client):
    story = ArticleFactory(headline="First words", topics=["Mali"])
    edit(editor_client, story, headline="Second words")
    edit(editor_client, story, headline="Third words")
    second_revision = Article.objects.get(pk=story.pk).revised_at
    assert second_revision is not None
    confirm_restore(editor_client, story, versions(story)[0])
    story.refresh_from_db()
    assert story.headline == "Second words"  # the first admin save's version
    assert story.revised_at > second_revision


def test_every_page_has_a_sharing_image(client):
    story = ArticleFactory(topics=["Mali"])
    story.authors.add(AuthorFactory(slug="awa"))
    default = "http://testserver/static/img/share.png"
    for url in ["/", "/topics/", "/topics/mali/", "/topics/mali/timeline/",
                "/search/?q=story", "/corrections/", "/authors/awa/",
                story.get_absolute_url(), "/no-such-page/"]:  # fmt: skip
        response = client.get(url)
        assert meta(response, "og:image") == [default], url
        assert meta(response, "og:image:alt") == ["AES Newsroom"], url
    with Image.open(finders.find("img/share.png")) as picture:
        assert picture.size == (1200, 630)
    with Image.open(finders.find("img/logo.png")) as logo:
        assert logo.size == (512, 512)


def test_revised_only_when_the_text_is_saved():
    story = Article.objects.get(pk=ArticleFactory().pk)
    story.status = Article.Status.PUBLISHED
    story.save(update_fields=["status"])
    story.headline = "A new headline, not saved yet"
    story.save(update_fields=["status"])  # the headline is not written: no revision
    assert Article.objects.get(pk=story.pk).revised_at is None
    story.save(update_fields=["headline"])
    assert Article.objects.get(pk=story.pk).revised_at is not None
