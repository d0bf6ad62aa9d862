"""The topic map (names, slugs, parents) and topic statistics, cached.

Topic pages, breadcrumbs and related lists need every topic's parent, name and
slug, and the related ranking needs how many live stories carry each topic. Both
are small (one row per topic) but costly to recompute at scale, so they are kept
per content generation (`pagecache.generation`): until anything public changes.
Whether a story may be shown is always decided by `Article.objects.published()`.
"""

import contextlib
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F
from django.utils import timezone, translation

from edge import SITE, changes
from pagecache.generation import content_version

from .invalidation import scheduled_change
from .models import (
    TOPIC_STATS_CACHE_KEY,
    Article,
    TaggedArticle,
    Topic,
    fold,
)


@dataclass(frozen=True)
class TopicEntry:
    pk: int
    name: str
    name_fr: str
    slug: str
    kind: str
    parent_id: int | None

    @property
    def label(self):
        language = translation.get_language() or ""
        if self.name_fr and language.startswith("fr"):
            return self.name_fr
        return self.name

    def get_absolute_url(self):
        return Topic(slug=self.slug).get_absolute_url()


class TopicTree:
    """Every topic by id, with parent and children links, from one query."""

    def __init__(self, entries):
        self.by_id = {entry.pk: entry for entry in entries}
        self.children = {}
        for entry in entries:
            if entry.parent_id in self.by_id:
                self.children.setdefault(entry.parent_id, []).append(entry)
        for siblings in self.children.values():
            siblings.sort(key=lambda entry: entry.name.casefold())

    def ancestors(self, topic_id):
        """Parent, grandparent, ... nearest first; stops on a (refused) cycle."""
        found, seen = [], {topic_id}
        entry = self.by_id.get(topic_id)
        while entry and entry.parent_id in self.by_id and entry.parent_id not in seen:
            seen.add(entry.parent_id)
            entry = self.by_id[entry.parent_id]
            found.append(entry)
        return found

    def descendants(self, topic_id):
        """Every topic below `topic_id`, at any depth."""
        found, stack, seen = [], [topic_id], {topic_id}
        while stack:
            for child in self.children.get(stack.pop(), []):
                if child.pk not in seen:
                    seen.add(child.pk)
                    found.append(child)
                    stack.append(child.pk)
        return found


_local = threading.local()


def topic_tree():
    """The map, kept per process and reloaded in one query after any change.

    Any change to topics bumps the content generation, which every request reads
    (`pagecache.generation.content_version`), so no process keeps an old map,
    whether or not its cache is shared with the others.
    """
    version = content_version()
    if getattr(_local, "version", None) != version:
        entries = [
            TopicEntry(*row)
            for row in Topic.objects.order_by().values_list(
                "pk", "name", "name_fr", "slug", "kind", "parent_id"
            )
        ]
        _local.tree, _local.version = TopicTree(entries), version
    return _local.tree


def topic_stats():
    """(live story count, {topic id: live stories carrying it}), all languages.

    The related ranking weighs topics over the whole archive; the counts readers
    see are per edition (`topic_counts_in`). Statistics only weigh the ranking
    and the counts; whether a story may be shown is always decided by
    `Article.objects.published()`.
    """
    stats = _stats()
    return stats[0], stats[1]


def topic_counts_in(language):
    """{topic id: live stories carrying it} among stories in `language`."""
    return _stats()[3].get(language, {})


def stats_version():
    """What the statistics are kept by: the last change to any edition's topic
    counts (`topics-*` keys, which every change to a story's public window,
    language or topics records, edge.changes), so editing a story's words or a
    topic's facts spares the recount (1.7 s at 100,000 stories); the content
    generation when changes are not recorded. Asked once per content version.
    """
    version = content_version()
    held = getattr(_local, "stats_version", None)
    if held is not None and held[0] == version:
        return held[1]
    if changes.enabled():
        keys = [f"topics-{code}" for code, _ in settings.LANGUAGES]
        number = ("changes", changes.last_change([*keys, SITE]))
    else:
        number = ("generation", version)
    _local.stats_version = (version, number)
    return number


def _stats():
    """(total, frequencies, next scheduled change, {language: frequencies}).

    Kept per `stats_version()`, in this process and in the cache, so any change
    to what is counted (or a scheduled publication or expiry, the next of which
    is kept with them) is counted on the next request.
    """
    now = timezone.now()
    version = stats_version()
    held_version, stats = getattr(_local, "stats", (None, None))
    if held_version != version or (stats[2] is not None and stats[2] <= now):
        # This process's copy is another generation's: share the work with the
        # other processes through the cache. The copy kept here spares a page the
        # recount when the shared cache is away.
        key = f"{TOPIC_STATS_CACHE_KEY}:{version[0]}:{version[1]}"
        stats = cache.get(key)
    if stats is None or (stats[2] is not None and stats[2] <= now):
        stats = _count_once(key, now)
    _local.stats = (version, stats)
    return stats


def _current(stats, now):
    return stats is not None and (stats[2] is None or stats[2] > now)


def _count_once(key, now):
    """Count, once across the app servers sharing the cache: the first to ask
    claims the count, the others wait for its result (up to
    TOPIC_STATS_WAIT seconds, then count themselves). With Redis away each
    process counts, as it must."""
    claim = f"{key}:counting"
    try:
        taken = cache.add(claim, 1, timeout=60)
    except Exception:  # the cache is away: count, as without it
        taken = None
    if taken is False:  # another process is counting (None: Redis unreachable)
        deadline = time.monotonic() + settings.TOPIC_STATS_WAIT
        while time.monotonic() < deadline:
            time.sleep(0.02)
            stats = cache.get(key)
            if _current(stats, now):
                return stats
    try:
        stats = _count(now)
        cache.set(key, stats, settings.TOPIC_STATS_TTL)
    finally:
        with contextlib.suppress(Exception):
            cache.delete(claim)
    return stats


def _count(now):
    frequencies, by_language = {}, {}
    # The tagging rows' copies (articles.window_schema), from one index.
    rows = (
        TaggedArticle.live(now)
        .order_by()
        .values_list("tag_id", "language")
        .annotate(df=Count("*"))
        .values_list("tag_id", "language", "df")
    )
    for tag_id, language, df in rows:
        frequencies[tag_id] = frequencies.get(tag_id, 0) + df
        by_language.setdefault(language, {})[tag_id] = df
    total = Article.objects.live_count(now)
    return (total, frequencies, scheduled_change(now), by_language)


class TopicStories:
    """A topic's live stories (its descendants' too), newest first, for a Paginator;
    only those in `language` when one is given (an edition's).

    Counting and paging read only the tagging table (its copies of each story's
    window and language); the page's stories then come through the published gate
    in one query, so a deep page costs about what the first one does.
    """

    def __init__(self, topic_ids, language=None):
        self.topic_ids = list(topic_ids)
        self.language = language
        self.now = timezone.now()

    def _rows(self):
        rows = TaggedArticle.live(self.now).filter(tag_id__in=self.topic_ids)
        if self.language:  # one edition's stories
            rows = rows.filter(language=self.language)
        return rows.order_by("-live_from", "-content_object_id")

    def count(self):
        rows = self._rows().order_by()
        if len(self.topic_ids) > 1:
            return rows.values("content_object_id").distinct().count()
        return rows.count()

    def __len__(self):
        return self.count()

    def ids(self, limit):
        """The ids of the newest `limit` stories, from the index alone."""
        rows = self._rows().values_list("content_object_id", "live_from")
        if len(self.topic_ids) > 1:
            rows = rows.distinct()
        return [pk for pk, _ in rows[:limit]]

    def __getitem__(self, index):
        rows = self._rows().values_list("content_object_id", "live_from")
        if len(self.topic_ids) > 1:
            rows = rows.distinct()
        ids = [pk for pk, _ in rows[index]]
        stories = Article.objects.published().for_lists().in_bulk(ids)
        return [stories[pk] for pk in ids if pk in stories]


def search_candidates(topic, language=None):
    """The live stories on `topic` (in `language`), read from the tagging index:
    every story a search within the topic can find (`search.search`'s
    `candidates`), ids and publication times."""
    rows = TaggedArticle.live().filter(tag=topic)
    if language:
        rows = rows.filter(language=language)
    return rows.order_by().values(
        story=F("content_object_id"), published=F("live_from")
    )


def topic_and_descendant_ids(topic, tree=None):
    tree = tree or topic_tree()
    return [topic.pk, *(entry.pk for entry in tree.descendants(topic.pk))]


def co_occurring_topics(topic_ids, *, sample=200, limit=8, tree=None, language=None):
    """The topics most often found on the newest `sample` stories of a topic (in
    `language`, when one is given: topics whose page exists in that edition)."""
    tree = tree or topic_tree()
    recent = TaggedArticle.live().filter(tag_id__in=topic_ids)
    if language:
        recent = recent.filter(language=language)
    recent = recent.order_by("-live_from").values("content_object_id")[:sample]
    counts = (
        TaggedArticle.objects.filter(content_object_id__in=recent)
        .exclude(tag_id__in=topic_ids)
        .values("tag_id")
        .annotate(stories=Count("content_object_id", distinct=True))
        .order_by("-stories", "tag_id")
        .values_list("tag_id", "stories")[:limit]
    )
    return [tree.by_id[pk] for pk, _ in counts if pk in tree.by_id]


def timeline(topic, stories, *, newest=None, oldest=None):
    """Stories and pinned events grouped by year, then month, newest first.

    Events between `oldest` and `newest` (either may be open) are shown; an event's
    story link is kept only while that story is published.
    """
    events = list(topic.events.select_related("story"))
    if newest is not None:
        events = [event for event in events if event.date <= newest]
    if oldest is not None:
        events = [event for event in events if event.date >= oldest]
    linked = {event.story_id for event in events if event.story_id}
    live = set(
        Article.objects.published().filter(pk__in=linked).values_list("pk", flat=True)
        if linked
        else []
    )
    items = [
        (timezone.localdate(story.published_at), 0, "story", story) for story in stories
    ]
    for event in events:
        event.live_story = event.story if event.story_id in live else None
        items.append((event.date, 1, "event", event))
    items.sort(key=lambda item: (item[0], item[1]), reverse=True)
    years = []
    for day, _, kind, item in items:
        if not years or years[-1]["year"] != day.year:
            years.append({"year": day.year, "months": []})
        months = years[-1]["months"]
        if not months or months[-1]["month"].month != day.month:
            months.append({"month": day.replace(day=1), "items": []})
        months[-1]["items"].append({"date": day, "kind": kind, "item": item})
    return years


def _compact(name):
    return "".join(char for char in fold(name) if char.isalnum())


def _within_edits(a, b, limit):
    """True when `a` becomes `b` with at most `limit` single-letter edits."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(
                    previous[j] + 1,
                    current[j - 1] + 1,
                    previous[j - 1] + (char_a != char_b),
                )
            )
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def near_duplicates(topics):
    """Pairs of topics whose names differ only by accents, case, punctuation or a
    letter or two (names that differ only in their digits are distinct: G5, G7)."""
    keyed = sorted(((_compact(topic.name), topic) for topic in topics), key=len_key)
    pairs = []
    for index, (key_a, topic_a) in enumerate(keyed):
        limit = 0 if len(key_a) < 5 else 1 if len(key_a) < 10 else 2
        for key_b, topic_b in keyed[index + 1 :]:
            if len(key_b) - len(key_a) > limit:
                break
            if "".join(c for c in key_a if not c.isdigit()) == "".join(
                c for c in key_b if not c.isdigit()
            ) and (key_a != key_b):
                continue
            if key_a == key_b or _within_edits(key_a, key_b, limit):
                pairs.append((topic_a, topic_b))
    return pairs


def len_key(pair):
    return len(pair[0])


def topic_health(*, common_share=0.5, common_minimum=20):
    """What the topic-health page lists, each with the action to take."""
    all_topics = list(Topic.objects.order_by("name"))
    uses = dict(
        TaggedArticle.objects.order_by()
        .values_list("tag_id")
        .annotate(n=Count("*"))
        .values_list("tag_id", "n")
    )
    total, frequencies = topic_stats()
    for topic in all_topics:
        topic.uses = uses.get(topic.pk, 0)
        topic.live_uses = frequencies.get(topic.pk, 0)
    too_common = [
        topic
        for topic in all_topics
        if total >= common_minimum and topic.live_uses > common_share * total
    ]
    for topic in too_common:
        topic.share = round(100 * topic.live_uses / total)
    return {
        "near_duplicates": near_duplicates(all_topics),
        "used_once": [topic for topic in all_topics if topic.uses == 1],
        "unused": [topic for topic in all_topics if topic.uses == 0],
        "too_common": too_common,
        "total": total,
    }
