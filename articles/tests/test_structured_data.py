"""JSON-LD on article and topic pages: valid, complete, and escaped."""

import json
import re
from datetime import datetime

import pytest

from articles.tests.factories import ArticleFactory, AuthorFactory, image_file

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
    modified = datetime.fromisoformat(data["dateModified"])
    assert modified == story.updated_at.replace(microsecond=0)
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Aminata Diallo",
            "url": "http://testserver/authors/aminata-diallo/",
        }
    ]
    assert data["publisher"]["name"] == "AES Newsroom"
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
