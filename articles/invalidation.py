"""What the page cache must know of stories, told from here (`pagecache` imports
nothing of this app): which writes readers see, which moments change pages by
the clock alone, and which query parameters each public page reads.
`connect()` registers all three from `ArticlesConfig.ready()`.

Writes. Every save, delete or many-to-many change of this app's models is weighed
here: a change readers can see bumps the content generation (once per
transaction, see `pagecache.generation.bump`); a change they cannot does not, so
a reporter saving a draft, or a login, leaves every cached page in place. Writes
that send no signal (`QuerySet.update()`, `bulk_create()`) call
`pagecache.generation.bump()` themselves, and tell the edge which stories or
topics changed (`edge_keys.stories_changed`, `topic_changed`, `everything`):
pages prepared ahead (prepared/) hold until a key they show changes, so a
write the edge is not told of stays unseen there (services.py, the commands).

- A story is public while it is published (live, scheduled or expired: a
  scheduled one moves the next scheduled change). Saving it bumps when it was or
  is public; a draft that was never public and still is not changes nothing.
- Rows that belong to stories (topics on a story, curated links, exclusions,
  notes, old addresses, in-body links) bump when one of their stories is public.
- Topics, their aliases, facts, events and old addresses, and bylines, always
  bump: they show on topic pages, breadcrumbs and author pages.
- Raw saves (`loaddata`, restoring a version with django-reversion) bump without
  looking (pagecache/writes.py).
"""

from django.apps import apps

from pagecache import clocks, keys, writes
from pagecache.keys import NUMBER, TEXT

from .models import Article

# Desk records readers never see.
PRIVATE = {"topicmerge"}
# Rows that belong to stories, by the fields naming those stories.
STORY_FIELDS = {
    "taggedarticle": ["content_object"],
    "relatedstory": ["article", "story"],
    "relatedexclusion": ["article", "story"],
    "storynote": ["article"],
    "slugredirect": ["article"],
    "storylink": ["source", "target"],
}

# The query parameters each public page reads, by URL name. A view that starts
# reading another one must be listed here: without it, it never sees it.
READS = {
    "articles:topic_detail": {"page": NUMBER},
    "articles:topic_timeline": {"page": NUMBER},
    "articles:author_detail": {"page": NUMBER},
    "articles:corrections": {"page": NUMBER},
    "articles:search": {"q": TEXT, "topic": TEXT, "page": NUMBER},
    "django.contrib.sitemaps.views.sitemap": {"p": NUMBER},
    "sitemap_section": {"p": NUMBER},
    "news_sitemap": {"p": NUMBER},
    "api:story_list": {
        "page": NUMBER,
        "page_size": NUMBER,
        "topic": TEXT,
        "language": TEXT,
    },
    "api:topic_list": {"language": TEXT},
    "set_language": {"next": TEXT, "language": TEXT},
}


def _published(story):
    """Whether the story has a public window (`Article.has_window`), assumed when
    it was loaded without its status."""
    return "status" not in story.__dict__ or story.has_window()


def story_was_or_is_public(story, *, created=False):
    if _published(story):
        return True
    if created:
        return False
    # The public window as loaded (`Article.from_db`): (None, None) unless it was
    # published. Unknown (loaded without those fields): assume it was.
    stored = getattr(story, "_stored_window", None)
    return stored is None or stored != (None, None)


def any_story_public(instance, fields):
    """True when a story this row belongs to is published (or was, for the copy
    of its window a tagging row carries)."""
    if getattr(instance, "live_from", None) is not None:
        return True
    ids = []
    for name in fields:
        story = instance._state.fields_cache.get(name)
        if story is not None:  # loaded already (inline formsets set it)
            if _published(story):
                return True
        else:
            ids.append(getattr(instance, f"{name}_id"))
    ids = [pk for pk in ids if pk is not None]
    return bool(ids) and (
        Article.objects.filter(Article.objects.window_q(), pk__in=ids).exists()
    )


def changes_public_pages(instance, *, created=False):
    name = instance._meta.model_name
    if name in PRIVATE:
        return False
    if name == "article":
        return story_was_or_is_public(instance, created=created)
    if name in STORY_FIELDS:
        return any_story_public(instance, STORY_FIELDS[name])
    return True


def m2m_changes_public_pages(instance, pk_set):
    if isinstance(instance, Article):
        return _published(instance)
    if pk_set is None:  # cleared from the other side: which stories, unknown
        return True
    # An author's or a topic's stories changed: public if one of them is.
    return Article.objects.filter(Article.objects.window_q(), pk__in=pk_set).exists()


def scheduled_change(now):
    """The earliest future moment a story goes live or expires by the clock alone
    (the one live rule: `ArticleQuerySet.next_live_change`), or None."""
    return Article.objects.next_live_change(now)


def connect():
    """Tell the page cache which writes, moments and parameters matter."""
    writes.watch(
        apps.get_app_config("articles").get_models(include_auto_created=True),
        changes_pages=changes_public_pages,
        m2m_changes_pages=m2m_changes_public_pages,
    )
    clocks.upcoming(scheduled_change)
    for view_name, params in READS.items():
        keys.register_reads(view_name, params)
