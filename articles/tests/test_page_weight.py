"""The article page stays light: HTML + CSS under 100 KB compressed (README)."""

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from articles.tests.factories import ArticleFactory, AuthorFactory, image_file

pytestmark = pytest.mark.django_db


def test_article_page_weighs_well_under_100_kb(client):
    paragraphs = "".join(f"<p>Paragraph {i} of a long report.</p>" for i in range(60))
    story = ArticleFactory(
        body=paragraphs,
        topics=[f"Topic {i}" for i in range(8)],
        lead_image=image_file("w.png", (1600, 900)),
        lead_image_alt="A view",
    )
    story.authors.add(AuthorFactory())
    for _ in range(6):
        ArticleFactory(topics=["Topic 1", "Topic 2"])
    html = client.get(story.get_absolute_url()).content
    css = b"".join(
        Path(finders.find(href.decode().split("/static/", 1)[1])).read_bytes()
        for href in re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html)
    )
    assert css, "the page links its stylesheet"
    assert b"<script src" not in html  # no JavaScript needed
    weight = len(gzip.compress(html, 9)) + len(gzip.compress(css, 9))
    assert weight < 100 * 1024
