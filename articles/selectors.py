"""Reads that the public pages, feeds, sitemaps and API share: what readers get,
defined once.

Dependencies run one way, downwards (README: Architecture): selectors import
models, related, topics and search, never a view, feed, sitemap or API module;
those read stories, topics and authors only through here, never through
`articles.models`. Every story a selector hands out has passed
`Article.objects.published()`, the one public gate, except `preview_stories()`,
the desk's preview of a story in any state.

A story reaches readers through `published_story()`, whether as its page or as the
API's detail: both show the same topics, related stories and body, with in-body
story links resolved the same way. The desk's preview reads a story in any state
through `read_story()`, so it shows exactly what readers will get. Each list a
surface shows (home, a topic, an author, search, feeds, sitemaps, the API) has its
selector below; each costs a fixed number of queries whatever the archive's size
(pinned in articles/tests/test_query_counts.py).
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import policy, search, search_ranking, translations
from .models import Article, Author, SlugRedirect, StoryNote, TaggedArticle, Topic
from .related import related_stories
from .topics import (
    TopicStories,
    TopicTree,
    co_occurring_topics,
    search_candidates,
    timeline,
    topic_and_descendant_ids,
    topic_counts_in,
    topic_stats,
    topic_tree,
)

# -- one story ---------------------------------------------------------------------


@dataclass(frozen=True)
class StoryReading:
    """A story as readers get it: its own fields on `story`, and what goes with it."""

    story: Article
    topics: list[Topic]
    related: list[Article]
    # The body with story links pointing at their targets' addresses, or dropped
    # (their text kept) while a target is not published.
    body_html: str
    # Newest first; None when the caller did not ask for them.
    notes: list[StoryNote] | None
    # Published stories linking here; lazy, so only a caller that shows them
    # (the page, not the API) pays their query.
    citing: QuerySet
    # Its published versions in the other languages (`language_versions`).
    translations: list[Article]

    @property
    def breadcrumbs(self):
        """The primary topic under its broader topics, broadest first (or [])."""
        primary = self.story.primary_topic
        if not primary:
            return []
        return [*reversed(topic_tree().ancestors(primary.pk)), primary]

    @cached_property
    def image_urls(self):
        """The lead image's addresses (site-relative), largest first, or []."""
        story = self.story
        if not story.lead_image:
            return []
        picture = story.lead_picture
        return picture["all_jpeg"] if picture else [story.lead_image.url]


def published_stories():
    """Published stories with what a byline, kicker or "Corrected" label needs."""
    return Article.objects.published().with_list_data()


def published_story(slug, *, base_url="", notes=True):
    """The published story at `slug`, read as readers get it; Http404 otherwise."""
    story = get_object_or_404(
        # The "original corrected" notice names the pending note and its story.
        published_stories().select_related("correction_pending__article"),
        slug=slug,
    )
    return read_story(story, base_url=base_url, notes=notes)


def preview_stories(user):
    """Stories in any state that `user` may preview from the desk (not the gate:
    the preview is never public)."""
    return policy.desk_stories(user, Article.objects.with_list_data())


def read_story(story, *, base_url="", notes=True):
    """`story` with its topics (by name), related stories, reader's body and notes.

    A fixed number of queries: topics, the related list, the published
    translations, the targets of in-body story links (when there are any) and,
    when `notes` is set, the notes, which then also serve `story.corrections()`. Links in the body start with `base_url`
    (empty: relative to the site, as its own pages use them).
    """
    topics = sorted(story.tags.all())
    if notes:
        prefetch_related_objects([story], "notes")
    return StoryReading(
        story=story,
        topics=topics,
        related=related_stories(story, topic_ids=[topic.pk for topic in topics]),
        body_html=story.rendered_body(base_url=base_url),
        notes=list(story.notes.all()) if notes else None,
        citing=citing_stories(story),
        translations=language_versions([story])[story.pk],
    )


def language_versions(stories):
    """{story id: its published versions in the other languages, by language}.

    A story's group is its source and the source's translations (a translation
    never has translations of its own). One query for any number of stories.
    """
    stories = list(stories)
    roots = {story.translation_of_id or story.pk for story in stories}
    members = defaultdict(list)
    if roots:
        rows = (
            Article.objects.published()
            .filter(translations.group_members(roots))
            .only("headline", "slug", "language", "translation_of_id")
            .order_by("language", "-published_at", "-id")
        )
        for member in rows:
            members[member.translation_of_id or member.pk].append(member)
    versions = {}
    for story in stories:
        seen, found = {story.language}, []
        for member in members[story.translation_of_id or story.pk]:
            if member.language not in seen:
                seen.add(member.language)
                found.append(member)
        versions[story.pk] = found
    return versions


def citing_stories(story, *, limit=10):
    """Published stories whose body links to `story`."""
    return (
        Article.objects.published()
        .filter(links_out__target=story)
        .only("headline", "slug")[:limit]
    )


def moved_story(old_slug):
    """The published story that `old_slug` used to name, or None."""
    moved = (
        SlugRedirect.objects.filter(
            old_slug=old_slug, article__in=Article.objects.published()
        )
        .select_related("article")
        .first()
    )
    return moved.article if moved else None


# -- lists of stories ----------------------------------------------------------------


def story_list():
    """Published stories, newest first, as lists show them: `published_stories()`
    without the body (and its text), most of a story's bytes."""
    return Article.objects.published().for_lists()


def in_language(stories, language):
    """`stories` in `language` (an edition's); all of them when it is None."""
    return stories.filter(language=language) if language else stories


def latest_stories(limit, language=None):
    """The home page's list (an edition's)."""
    return in_language(story_list(), language)[:limit]


def topic_stories(topic_ids, language=None):
    """The stories of a topic and its narrower topics, newest first, for a
    Paginator; paged from the tagging index (`articles.topics.TopicStories`)."""
    return TopicStories(topic_ids, language)


def featured_story(topic):
    """The story an editor features on a topic's page, while it is published."""
    if not topic.featured_article_id:
        return None
    return story_list().filter(pk=topic.featured_article_id).first()


def author_stories(author, language=None):
    return in_language(story_list(), language).filter(authors=author)


def author_languages(author):
    """The languages the author has published stories in."""
    stories = Article.objects.published().filter(authors=author).order_by()
    return set(stories.values_list("language", flat=True).distinct())


def stories_with_topics(topic=None, language=None):
    """Listed stories with their topics loaded too (the API's list), only those
    tagged `topic` (in `language`) when one is given."""
    stories = in_language(story_list().prefetch_related("tags"), language)
    return stories if topic is None else stories.filter(tags=topic)


def feed_stories(topic=None, *, limit, language=None):
    """The newest `limit` stories, with topics, of the site or of `topic` and its
    narrower topics (those read from the tagging index, then through the gate),
    in `language` when one is given (an edition's feed)."""
    stories = stories_with_topics(language=language)
    if topic is not None:
        rows = TopicStories(topic_and_descendant_ids(topic), language)
        stories = stories.filter(pk__in=rows.ids(limit))
    return stories[:limit]


def corrections(language=None):
    """Every correction to a published story (in `language`), newest first, with
    its story."""
    stories = in_language(Article.objects.published(), language)
    return StoryNote.objects.filter(
        kind=StoryNote.Kind.CORRECTION, article__in=stories
    ).select_related("article")


# -- search --------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResults:
    """What a reader asked for, as searched, and the matching stories, best first."""

    query: str  # the words searched for, from what the reader typed
    query_too_long: bool  # the reader typed more than is read
    topic: Topic | None  # the topic the search is narrowed to
    stories: QuerySet  # or search_ranking.Ranked: the best LIMIT, best first

    @property
    def more(self):
        """True when more stories match than the results give (LIMIT)."""
        return isinstance(self.stories, search_ranking.Ranked) and self.stories.more()


def search_stories(raw_query, topic_slug="", language=None):
    """Published stories matching what a reader typed, within the topic at
    `topic_slug` when one is given (Http404 when no published story carries it);
    with `language` (an edition's), only stories in it, stemmed by its rules."""
    query = search.clean_query(raw_query)
    topic = candidates = None
    # Excerpts come from the body's text; the HTML is not needed.
    stories = published_stories().defer("body")  # search.search keeps to `language`
    if topic_slug:
        topic = topic_with_stories(topic_slug)
        if topic is None:
            raise Http404("No topic with published stories has this address.")
        stories = stories.filter(tags=topic)
        candidates = search_candidates(topic, language)
    return SearchResults(
        query=query,
        query_too_long=len(raw_query) > search.MAX_QUERY_LENGTH,
        topic=topic,
        stories=search.search(stories, query, language, candidates=candidates),
    )


def mark_matches(stories, query):
    """Give each story of a results page its headline and an excerpt with the
    matched words marked (`headline_html`, `excerpt`), escaped."""
    for story in stories:
        story.headline_html = search.highlight(story.headline, query)
        story.excerpt = search.excerpt(story, query)


def topics_of(stories, also=None):
    """The topics the stories carry (and `also`), by name: the choices to narrow a
    search by, relevant and cheap at any archive size, unlike every topic; one
    query (taggit's prefetch builds a manager per story: 10 ms a page)."""
    tagged = TaggedArticle.objects.filter(content_object__in=stories)
    found = set(Topic.objects.filter(pk__in=tagged.values("tag_id")))
    found.update({also} - {None})
    return sorted(found, key=lambda topic: topic.name_key)


# -- topics --------------------------------------------------------------------------


def topic_counts(*, limit=None, language=None):
    """Topics with published stories (in `language`, when one is given), each with
    `num_published`, most used first.

    The counts come from the topic statistics the related list also uses
    (`articles.topics.topic_stats`), cached and dropped on every change.
    """
    frequencies = topic_counts_in(language) if language else topic_stats()[1]
    ranked = sorted(frequencies.items(), key=lambda item: (-item[1], item[0]))
    return Topic.objects.with_counts(dict(ranked[:limit] if limit else ranked))


def topic_index(language=None):
    """Every topic with published stories (in `language`), with its count, by name."""
    return sorted(topic_counts(language=language), key=lambda topic: topic.name_key)


def topic_languages(topic_ids):
    """The languages with published stories on any of `topic_ids` (a topic's page
    lists its narrower topics' stories too), from the cached statistics."""
    return {
        code
        for code, _ in settings.LANGUAGES
        if any(topic_counts_in(code).get(pk) for pk in topic_ids)
    }


def topic_with_stories(slug):
    """The topic at `slug` if at least one published story carries it, else None."""
    try:
        return Topic.objects.with_published_stories().get(slug=slug)
    except Topic.DoesNotExist:
        return None


def moved_topic(slug):
    """The topic an old slug (rename, merge) or an alias slug now points to."""
    return Topic.objects.by_slug_or_former_slug(slug)


@dataclass(frozen=True)
class TopicPlace:
    """A topic and where it sits in the topic map."""

    topic: Topic
    tree: TopicTree
    # The topic's id and its narrower topics': whose stories its pages list.
    ids: list[int]

    @property
    def trail(self):
        """Its broader topics, broadest first."""
        return list(reversed(self.tree.ancestors(self.topic.pk)))

    @property
    def children(self):
        return self.tree.children.get(self.topic.pk, [])


def topic_place(slug):
    """The topic at `slug` (published stories or not) in the topic map, or None."""
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        return None
    tree = topic_tree()
    return TopicPlace(topic=topic, tree=tree, ids=topic_and_descendant_ids(topic, tree))


def child_topics_in(place, language):
    """The topic's narrower topics whose page exists in `language`'s edition (they
    or theirs carry a published story in it), from the cached statistics."""
    return [
        child
        for child in place.children
        if language
        in topic_languages(
            [child.pk, *(e.pk for e in place.tree.descendants(child.pk))]
        )
    ]


def topic_facts(topic):
    return list(topic.facts.all())


def related_topics(place, language=None):
    """The topics most often found on the topic's newest stories (in `language`)."""
    return co_occurring_topics(place.ids, tree=place.tree, language=language)


@dataclass(frozen=True)
class TopicTimeline:
    """One page of a topic's timeline: stories and pinned events by year and month."""

    page: Page
    years: list[dict]

    @property
    def events(self):
        """The key events on this page, oldest first."""
        return [
            item["item"]
            for year in self.years
            for month in year["months"]
            for item in month["items"]
            if item["kind"] == "event"
        ][::-1]


def topic_timeline(place, page_number, *, per_page, language=None):
    """Page `page_number` of the topic's timeline (a bad number: the nearest page),
    with the events that fall between its first and last stories; only stories
    in `language` when one is given (an edition's)."""
    paginator = Paginator(TopicStories(place.ids, language), per_page)
    page = paginator.get_page(page_number)
    stories = list(page.object_list)
    newest = oldest = None
    if page.has_previous() and stories:
        newest = timezone.localdate(stories[0].published_at)
    if page.has_next() and stories:
        oldest = timezone.localdate(stories[-1].published_at)
    years = timeline(place.topic, stories, newest=newest, oldest=oldest)
    return TopicTimeline(page=page, years=years)


# -- authors -------------------------------------------------------------------------


def author_at(slug):
    """The byline at `slug`; Http404 otherwise."""
    return get_object_or_404(Author, slug=slug)


# -- sitemaps ------------------------------------------------------------------------


def published_story_count():
    """How many stories are live, from the cached topic statistics (no query
    while nothing has changed)."""
    return topic_stats()[0]


def sitemap_stories():
    """Published stories, newest first, with what a sitemap entry needs."""
    return (
        Article.objects.published()
        .only("slug", "updated_at", "language", "translation_of_id")
        .order_by("-published_at", "-id")
    )


def news_stories(since):
    """Stories published at `since` or later, newest first, with what a news
    sitemap entry needs."""
    return (
        Article.objects.published()
        .filter(published_at__gte=since)
        .only("slug", "headline", "published_at", "updated_at", "language")
        .order_by("-published_at", "-id")
    )


def sitemap_topics():
    return Topic.objects.with_published_stories().only("slug").order_by("name")


def sitemap_authors():
    """Bylines with at least one published story (the others answer 404), each
    with `in_<language>`: whether its page exists in that language's edition."""
    published = Article.objects.published().filter(authors=OuterRef("pk"))
    in_language = {
        f"in_{code}": Exists(published.filter(language=code))
        for code, _ in settings.LANGUAGES
    }
    return (
        Author.objects.filter(Exists(published))
        .annotate(**in_language)
        .only("slug")
        .order_by("name")
    )


def first_publication_after(moment):
    """When the first story published after `moment` went live, or None."""
    return (
        Article.objects.published()
        .filter(published_at__gt=moment)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
