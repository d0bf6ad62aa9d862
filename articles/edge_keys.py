"""Surrogate keys: what each public page shows, and which pages a change makes
stale, told to the edge (`edge` imports nothing of this app). `connect()`
registers it all from `ArticlesConfig.ready()`.

The scheme (README: "Edge caching"), short so a page's header stays small:

    s42          a page showing story 42: its own page, and every list, related
                 box, feed entry or API answer that has it (its headline, dek,
                 byline, "Corrected" label)
    t7           a page showing topic 7 (its name, facts, events, address): its
                 pages, story pages tagged with it, kickers, the topic index
    tl7          topic 7's list of stories: its page, timeline and feed
    a3 / al3     a page showing byline 3 / byline 3's list of stories
    home-en      an edition's lists, one key each: home, topics (the topic
    topics-en    index and its counts), feed, search, corrections
    feed-en  search-en  corrections-en
    sitemap      every sitemap (index, sections, news)
    api          the API's lists (stories, topics, the index)
    site, big, missing    the edge's own (edge/__init__.py)

Keys come from the rows as they are loaded (`post_init`: no query of its own),
plus the list a view says it is (`LISTS`, `topic_list()`, `author_list()`).
Broader topics shown in a trail or breadcrumbs come from the cached topic map,
not from rows: editing a topic therefore purges its narrower topics' `t` keys
too. A story page does not carry its topics' `tl` keys: publishing on a busy
topic would otherwise refetch every story of its archive at once; its related
box follows within EDGE_CACHE_SECONDS.

What a change purges:
- a story whose public window, language or topics/authors changed (published,
  unpublished, scheduled moment passed, deleted): its `s`, the lists of its
  edition(s), its topics' and their broader topics' `tl`, its authors' `al`,
  `sitemap`, `api`, `missing`; any other edit of a public story: its `s`, its
  edition's `search`, `sitemap` (the lastmod);
- the rows that belong to a story: its `s`, plus the lists they change (a
  topic added: that topic's `tl` and broader; a note: `corrections-*`; an old
  address: `missing`);
- a topic: its `t` and its narrower topics' `t`, the `tl` of it and its broader
  topics (the parent before and after), `topics-*`, `sitemap`, `missing`;
- a byline: its `a` and `al`, `sitemap`, `missing`.
Whether readers can see a change at all is decided once, in invalidation.py.
"""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_init

from edge import MISSING, SITE, clock, collector, headers, outbox

from . import invalidation
from .models import Article, Author, TaggedArticle, Topic

LISTS = {
    "articles:home": "home",
    "articles:topic_list": "topics",
    "articles:feed": "feed",
    "articles:search": "search",
    "articles:corrections": "corrections",
}
SITEMAPS = {
    "django.contrib.sitemaps.views.sitemap",
    "sitemap_index",
    "sitemap_section",
    "news_sitemap",
}
API_LISTS = {"api:story_list", "api:topic_list", "api:index"}
EDITION_LISTS = ("home", "topics", "feed", "search", "corrections")


def languages():
    return [code for code, _ in settings.LANGUAGES]


# -- what a page shows ---------------------------------------------------------


def _story_loaded(sender, instance, **kwargs):
    if instance.pk is not None:
        collector.shown(f"s{instance.pk}")
    # As loaded: a change of edition purges the old edition's lists too.
    instance._edge_language = instance.__dict__.get("language")


def _topic_loaded(sender, instance, **kwargs):
    if instance.pk is not None:
        collector.shown(f"t{instance.pk}")
    instance._edge_parent = instance.__dict__.get("parent_id")


def _author_loaded(sender, instance, **kwargs):
    if instance.pk is not None:
        collector.shown(f"a{instance.pk}")


def stories_shown_on_page(stories):
    """The page shows these stories (loaded inside `collector.unseen()`)."""
    for story in stories:
        collector.shown(f"s{story.pk}")


def page_keys(request):
    """The lists a page is, from its address."""
    match = request.resolver_match
    if match is None:
        return ()
    name = match.view_name
    if name in LISTS:
        return (f"{LISTS[name]}-{request.LANGUAGE_CODE}",)
    if name in SITEMAPS:
        return ("sitemap",)
    if name in API_LISTS:
        return ("api",)
    return ()


def topic_list(topic):
    """The page lists `topic`'s stories (and its narrower topics')."""
    collector.tag(f"tl{topic.pk}")


def author_list(author):
    collector.tag(f"al{author.pk}")


# -- what a change purges ------------------------------------------------------


def broader(topic_ids):
    """The topics and all their broader topics (one query per level)."""
    found = frontier = {pk for pk in topic_ids if pk is not None}
    while frontier:
        parents = set(
            Topic.objects.filter(pk__in=frontier, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        frontier = parents - found
        found = found | frontier
    return found


def narrower(topic_id):
    found, frontier = {topic_id}, {topic_id}
    while frontier:
        frontier = (
            set(Topic.objects.filter(parent__in=frontier).values_list("pk", flat=True))
            - found
        )
        found |= frontier
    return found


def topic_lists(topic_ids):
    return {f"tl{pk}" for pk in broader(topic_ids)}


def edition_lists(codes):
    return {f"{name}-{code}" for name in EDITION_LISTS for code in codes if code}


def story_keys(story, *, created=False, deleted=False):
    keys = {f"s{story.pk}", "sitemap", f"search-{story.language}"}
    stored = getattr(story, "_stored_window", None)
    old_language = getattr(story, "_edge_language", story.language)
    moved = (
        created
        or deleted
        or stored is None
        or stored != story.live_window()
        or old_language != story.language
    )
    if moved:
        keys |= story_lists(story) | edition_lists({story.language, old_language})
    return keys


def story_lists(story):
    """The lists a story is on by its topics and bylines, and the site's."""
    topic_ids = TaggedArticle.objects.filter(content_object=story.pk).values_list(
        "tag_id", flat=True
    )
    author_ids = Article.authors.through.objects.filter(article=story.pk).values_list(
        "author_id", flat=True
    )
    return (
        topic_lists([*topic_ids, story.primary_topic_id])
        | {f"al{pk}" for pk in author_ids}
        | {"api", MISSING}
    )


def _through_keys(instance):
    """A row of an auto-created many-to-many table (a story's bylines)."""
    keys = {"sitemap", "api"}
    for field in instance._meta.fields:
        pk = getattr(instance, field.attname)
        if field.related_model is Article:
            keys.add(f"s{pk}")
        elif field.related_model is Author:
            keys.add(f"al{pk}")
    return keys


def change_keys(instance, *, created=False, deleted=False):
    """The keys saving (or deleting) `instance` purges; none when readers cannot
    see the change (invalidation.changes_public_pages)."""
    if not invalidation.changes_public_pages(instance, created=created):
        return set()
    name, every = instance._meta.model_name, languages()
    if name == "article":
        return story_keys(instance, created=created, deleted=deleted)
    if name == "taggedarticle":
        return (
            {f"s{instance.content_object_id}", "sitemap", "api"}
            | topic_lists([instance.tag_id])
            | {f"topics-{code}" for code in every}
            | {f"search-{code}" for code in every}
        )
    if name in ("relatedstory", "relatedexclusion"):
        return {f"s{instance.article_id}"}
    if name == "storynote":
        return {f"s{instance.article_id}"} | {f"corrections-{c}" for c in every}
    if name == "slugredirect":
        return {f"s{instance.article_id}", MISSING}
    if name == "storylink":
        return {f"s{instance.source_id}", f"s{instance.target_id}"}
    if name == "topic":
        parents = [
            instance.pk,
            instance.parent_id,
            getattr(instance, "_edge_parent", None),
        ]
        return (
            {f"t{pk}" for pk in narrower(instance.pk)}
            | topic_lists(parents)
            | {f"topics-{code}" for code in every}
            | {"sitemap", "api", MISSING}
        )
    if name in ("topicalias", "topicredirect", "topicfact"):
        return {f"t{instance.topic_id}", MISSING}
    if name == "topicevent":
        story = {f"s{instance.story_id}"} if instance.story_id else set()
        return {f"t{instance.topic_id}"} | story
    if name == "author":
        return {f"a{instance.pk}", f"al{instance.pk}", "sitemap", MISSING}
    if name == "searchdocument":
        return {f"search-{code}" for code in every}
    if instance._meta.auto_created:
        return _through_keys(instance)
    return {SITE}  # a model nobody has weighed yet: everything, to be safe


def m2m_change_keys(instance, model, pk_set):
    """The keys a many-to-many change purges (a story's topics or bylines)."""
    if pk_set is not None and not pk_set:
        return set()  # a form saving the same topics again: nothing changed
    if not invalidation.m2m_changes_public_pages(instance, pk_set):
        return set()
    if isinstance(instance, Article):
        if pk_set is None:
            return story_keys(instance, deleted=True)
        keys = {f"s{instance.pk}", "sitemap", "api", f"search-{instance.language}"}
        if model is Author:
            return keys | {f"al{pk}" for pk in pk_set}
        return keys | topic_lists(pk_set) | {f"topics-{instance.language}"}
    # From the other side: a topic's or a byline's stories changed.
    own = topic_lists([instance.pk]) if isinstance(instance, Topic) else set()
    if isinstance(instance, Author):
        own = {f"al{instance.pk}"}
    if pk_set is None:
        return own | edition_lists(languages()) | {"sitemap", "api"}
    return own | {f"s{pk}" for pk in pk_set} | {"sitemap", "api"}


def stories_changed(ids, *, reason):
    """Purge for stories changed without signals (`QuerySet.update()`): their
    keys, the lists they are on, their editions' lists."""
    if not outbox.wanted():
        return
    stories = list(
        Article.objects.filter(pk__in=ids).only("pk", "language", "primary_topic")
    )
    keys = set()
    for story in stories:
        keys |= {f"s{story.pk}"} | story_lists(story)
    keys |= edition_lists({story.language for story in stories}) | {"sitemap"}
    outbox.enqueue(keys, reason=reason)


def stories_shown(ids, *, reason):
    """Purge the pages showing these stories (a notice on them changed)."""
    outbox.enqueue({f"s{pk}" for pk in ids}, reason=reason)


def topic_changed(topic, *, reason):
    """Purge for a topic changed without signals (a merge's moves)."""
    if not outbox.wanted():
        return
    outbox.enqueue(change_keys(topic), reason=reason)


def everything(*, reason):
    """Purge every public page (a restore, a bulk load)."""
    outbox.enqueue({SITE}, reason=reason)


def window_keys(since, until):
    """The keys of pages that changed by the clock in (since, until]: stories
    going live or expiring, and those leaving the news sitemap's window."""
    window = Article.objects.window_q()
    passed = Article.objects.filter(window).filter(
        published_at__gt=since, published_at__lte=until
    ) | Article.objects.filter(window).filter(
        unpublish_at__gt=since, unpublish_at__lte=until
    )
    keys = set()
    for story in passed.only("pk", "language", "primary_topic"):
        keys |= {f"s{story.pk}"} | story_lists(story) | edition_lists({story.language})
    news = timedelta(hours=48)  # articles.sitemaps.NEWS_WINDOW
    if (
        keys
        or Article.objects.published()
        .filter(published_at__gt=since - news, published_at__lte=until - news)
        .exists()
    ):
        keys.add("sitemap")
    return keys


def connect():
    post_init.connect(_story_loaded, sender=Article, dispatch_uid="edge-story")
    post_init.connect(_topic_loaded, sender=Topic, dispatch_uid="edge-topic")
    post_init.connect(_author_loaded, sender=Author, dispatch_uid="edge-author")
    headers.page_keys(page_keys)
    outbox.watch(
        apps.get_app_config("articles").get_models(include_auto_created=True),
        keys_for=change_keys,
        m2m_keys_for=m2m_change_keys,
    )
    clock.windows(window_keys)
