"""RSS 2.0 feeds of published stories, for the site and for each topic.

Every value we send is plain text, and the generator escapes it once for XML; what
a reader does with the decoded text depends on the element, so each is prepared for
how readers treat it:

- An item's `description` may carry entity-encoded HTML (RSS 2.0), and readers
  render it as HTML: the dek is escaped as HTML first (`as_html`), as the W3C feed
  validator asks for text in an HTML element, and arrives as `&amp;lt;...`.
- Titles, categories, authors and the channel's description are plain text, which
  some readers show as text and others render as HTML (RSS Advisory Board). Full
  HTML escaping would make a headline's `&` or apostrophe read `&amp;` or `&#x27;`
  in the first kind; none makes `<img onerror=...>` a live tag in the second. Only
  `<` and `>` are escaped there (`as_text`): no tag can open in any reader, and `&`
  and quotes read right in both. A literal `<` in a headline reads `&lt;` in a
  text-only reader, a price worth paying.
"""

import mimetypes

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from . import edge_keys, selectors
from .context_processors import absolute_url

FEED_LENGTH = 30


def as_text(value):
    """Plain text for an element readers may show as text or render as HTML."""
    return str(value).replace("<", "&lt;").replace(">", "&gt;")


def as_html(value):
    """Plain text for an element readers render as HTML."""
    return escape(value)


class LatestStoriesFeed(Feed):
    """An edition's feed: its stories, its `<language>` (the active language, which
    the address names: `/feed/`, `/fr/feed/`)."""

    feed_type = Rss201rev2Feed
    title = _("AES Newsroom: latest stories")
    description = _("The latest reporting on the Alliance of Sahel States.")

    def link(self):
        return reverse("articles:home")  # the edition's home

    def items(self, topic=None):
        return selectors.feed_stories(
            topic, limit=FEED_LENGTH, language=self.request.LANGUAGE_CODE
        )

    def item_title(self, item):
        return as_text(item.headline)

    def item_description(self, item):
        return as_html(item.dek)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        names = ", ".join(author.name for author in item.authors.all())
        return as_text(names) if names else None

    def item_categories(self, item):
        return [as_text(topic.name) for topic in item.tags.all()]

    def item_enclosures(self, item):
        """The lead image, with its size and type as RSS 2.0 asks."""
        if not item.lead_image:
            return []
        renditions = item.lead_image_renditions or {}
        length = renditions.get("bytes") if renditions.get("source") else None
        if length is None:  # stored before sizes were recorded: ask storage
            try:
                length = item.lead_image.size
            except OSError:  # missing from storage, or storage down: no enclosure
                return []
        mime_type = mimetypes.guess_type(item.lead_image.name)[0] or "image/jpeg"
        url = absolute_url(self.request, item.lead_image.url)
        return [Enclosure(url, str(length), mime_type)]

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return super().get_object(request, *args, **kwargs)


class TopicFeed(LatestStoriesFeed):
    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except Http404:
            # An alias or former slug answers 301, as the topic page does.
            moved = selectors.moved_topic(kwargs["slug"])
            if moved is None:
                raise
            return redirect("articles:topic_feed", slug=moved.slug, permanent=True)

    def get_object(self, request, slug):
        self.request = request
        topic = selectors.topic_with_stories(slug)
        if topic is None:
            raise Http404("No topic with published stories has this address.")
        edge_keys.topic_list(topic)
        return topic

    def title(self, topic):
        return as_text(_("AES Newsroom: %(topic)s") % {"topic": topic.name})

    def link(self, topic):
        return topic.get_absolute_url()

    def description(self, topic):
        return as_text(
            topic.description or _("Stories about %(topic)s.") % {"topic": topic.name}
        )
