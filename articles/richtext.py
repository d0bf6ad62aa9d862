"""Rich text: the story body is HTML, cleaned with nh3 before it is stored.

A link to another story is stored by the story's identity, `<a href="story:42">`,
chosen in the admin's story picker. On the public page it becomes the story's
current address, or plain text while that story is not published.
"""

import re
from html.parser import HTMLParser

import nh3
from django.utils.html import escape

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "q", "cite", "figure", "figcaption",
    "code", "pre", "abbr", "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# No javascript:, data: or vbscript: links; relative links stay allowed.
# `story:` is our own scheme for in-body links to another story, by id.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "story"}

# Elements that end a line of visible text: words on either side never run together.
BLOCK_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "figure",
    "figcaption", "pre", "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip

STORY_SCHEME = "story"
# nh3 writes attributes double-quoted, so stored bodies match this exactly.
_STORY_HREF = re.compile(r'href="story:(\d+)"')
_STORY_LINK = re.compile(
    r'<a\b[^>]*?\bhref="story:(\d+)"[^>]*>(.*?)</a>', re.DOTALL | re.IGNORECASE
)


def sanitize(html):
    """Return `html` with only the markup a story body may carry."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
    # An emptied rich-text editor leaves one empty paragraph behind.
    return "" if cleaned == "<p></p>" else cleaned


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html):
    """The words a reader sees in `html`: no tags or attributes, entities decoded,
    one line per block (paragraph, list item, cell), spaces collapsed."""
    if not html:
        return ""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).splitlines())
    return "\n".join(line for line in lines if line)


def story_href(pk):
    return f"{STORY_SCHEME}:{pk}"


def story_ids(html):
    """The ids of the stories a (sanitised) body links to."""
    return {int(pk) for pk in _STORY_HREF.findall(html or "")}


def resolve_story_links(html, urls):
    """Point each story link at `urls[id]`; keep only the text of links to stories
    missing from `urls` (not published, or deleted)."""

    def replace(match):
        url = urls.get(int(match.group(1)))
        if url is None:
            return match.group(2)
        return f'<a href="{escape(url)}">{match.group(2)}</a>'

    return _STORY_LINK.sub(replace, html or "")
