"""The RSS feeds through feedparser's strict parser, plus what the W3C feed validator
checks that feedparser forgives: RFC 822 dates, an atom:link rel="self" naming
the feed's own address, a unique guid per item, absolute links and enclosures."""

import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import feedparser
import pytest

from .conftest import LANGUAGES, richest_story

ATOM = "{http://www.w3.org/2005/Atom}"
# RFC 822 as RSS 2.0 uses it (four-digit year), with a numeric zone or GMT.
RFC822 = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}:\d{2} ([+-]\d{4}|GMT)"
)
FEEDS = ["/feed/", "/topics/aes/feed/", "/topics/mali/feed/"]


def feeds(language):
    """The edition's feeds: the site's, and those of its first story's topics."""
    if language == "en":
        return FEEDS
    topics = richest_story(language).tags.order_by("name")[:2]
    return ["/fr/feed/", *(f"/fr/topics/{topic.slug}/feed/" for topic in topics)]


def check_feed(client, url, headers, language):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    address = f"http://testserver{url}"
    parsed = feedparser.parse(
        response.content,
        response_headers={
            "content-type": response["Content-Type"],
            "content-location": address,
        },
    )
    assert not parsed.bozo, f"{url}: {parsed.get('bozo_exception')!r}"
    assert parsed.version == "rss20", url
    assert parsed.entries, url

    channel = ET.fromstring(response.content).find("channel")
    assert [
        link.get("href")
        for link in channel.findall(f"{ATOM}link")
        if link.get("rel") == "self"
    ] == [address], f"{url}: atom:link rel=self"
    assert channel.findtext("language") == language
    dates = [channel.findtext("lastBuildDate")]
    guids = []
    for item in channel.findall("item"):
        for field in ("title", "link", "description", "guid", "pubDate"):
            assert (item.findtext(field) or "").strip(), f"{url}: item without {field}"
        assert item.findtext("link").startswith("http://testserver/articles/")
        guids.append(item.findtext("guid"))
        dates.append(item.findtext("pubDate"))
        for enclosure in item.findall("enclosure"):
            assert enclosure.get("url").startswith("http://testserver/media/")
            assert enclosure.get("type").startswith("image/")
            assert int(enclosure.get("length")) > 0
    assert len(set(guids)) == len(guids), f"{url}: guids repeat"
    for date in dates:
        assert RFC822.fullmatch(date) and parsedate_to_datetime(date), f"{url}: {date}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_feeds_pass_strict_checks(client, demo, language):
    for url in feeds(language):
        check_feed(client, url, LANGUAGES[language], language)


def test_the_checks_can_fail():
    assert not RFC822.fullmatch("2026-03-10T12:00:00+00:00")
    broken = feedparser.parse(b"<rss version='2.0'><channel><title>x</channel></rss>")
    assert broken.bozo
