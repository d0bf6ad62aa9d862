"""schema.org JSON-LD for search engines: NewsArticle on stories, CollectionPage on
topic pages. Builders return plain dicts; `as_script()` renders one safely.

They build from what the views read through `articles.selectors` (a story's
`StoryReading`, a topic page's stories) and run no query of their own; this module
imports no model and no selector.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .context_processors import LOGO, LOGO_SIZE, absolute_url, base_url

# What json_script() escapes: no "</script>" or "<!--" can survive inside the tag.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def as_script(data):
    """`data` as a JSON-LD <script> element, escaped like json_script()."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_SCRIPT_ESCAPES)),
    )


def _iso(moment):
    return moment and timezone.localtime(moment).isoformat(timespec="seconds")


def publisher(request):
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": base_url(request) + "/",
        # Google shows a publisher's logo only when the markup names one.
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(request, static(LOGO)),
            "width": LOGO_SIZE,
            "height": LOGO_SIZE,
        },
    }


def news_article(reading, *, request):
    """NewsArticle for a story as `articles.selectors.read_story()` read it."""
    article = reading.story
    images = [absolute_url(request, url) for url in reading.image_urls]
    url = absolute_url(request, article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "description": article.dek,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(article.last_revised_at()),
        "inLanguage": article.language,
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": absolute_url(request, author.get_absolute_url()),
            }
            for author in article.authors.all()
        ]
        or [publisher(request)],
        "publisher": publisher(request),
        "keywords": [topic.name for topic in reading.topics],
        "isAccessibleForFree": True,
    }
    if images:
        data["image"] = images
    data.update(translation_links(article, reading.translations, request=request))
    corrections = article.structured_data_corrections()
    if corrections:
        data["correction"] = corrections
    return data


def translation_links(article, translations, *, request):
    """`workTranslation` (its published translations) or `translationOfWork` (its
    published source), each a CreativeWork with its address and language."""

    def work(story):
        return {
            "@type": "NewsArticle",
            "url": absolute_url(request, story.get_absolute_url()),
            "headline": story.headline[:110],
            "inLanguage": story.language,
        }

    links = {}
    own = [
        work(other) for other in translations if other.translation_of_id == article.pk
    ]
    if own:
        links["workTranslation"] = own
    for other in translations:
        if other.pk == article.translation_of_id:
            links["translationOfWork"] = work(other)
    return links


def collection_page(topic, *, request, stories):
    """CollectionPage for a topic page, listing the stories shown on it."""
    url = absolute_url(request, topic.get_absolute_url())
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": topic.name,
        "description": topic.description or topic.name,
        "url": url,
        "inLanguage": get_language() or settings.LANGUAGE_CODE,
        "isPartOf": {
            "@type": "WebSite",
            "name": settings.SITE_NAME,
            "url": base_url(request) + "/",
        },
        "publisher": publisher(request),
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": absolute_url(request, story.get_absolute_url()),
                    "name": story.headline,
                }
                for position, story in enumerate(stories, start=1)
            ],
        },
    }
