"""The topic map (names, slugs, parents) and topic statistics, cached.

Topic pages, breadcrumbs and related lists need every topic's parent, name and
slug, and the related ranking needs how many live stories carry each topic. Both
are small (one row per topic) but costly to recompute at scale, so they are cached:
the map until any topic changes, the statistics for `TOPIC_STATS_TTL` seconds or
until a story's public window changes. Statistics only weigh the ranking; whether
a story may be shown is always decided by `Article.objects.published()`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone, translation

from .models import (
    TOPIC_STATS_CACHE_KEY,
    TOPIC_TREE_CACHE_KEY,
    Article,
    TaggedArticle,
    Topic,
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


def topic_tree():
    entries = cache.get(TOPIC_TREE_CACHE_KEY)
    if entries is None:
        entries = [
            TopicEntry(*row)
            for row in Topic.objects.order_by().values_list(
                "pk", "name", "name_fr", "slug", "kind", "parent_id"
            )
        ]
        cache.set(TOPIC_TREE_CACHE_KEY, entries, None)
    return TopicTree(entries)


def topic_stats():
    """(live story count, {topic id: live stories carrying it})."""
    stats = cache.get(TOPIC_STATS_CACHE_KEY)
    if stats is None:
        now = timezone.now()
        frequencies = dict(
            TaggedArticle.live(now)
            .order_by()
            .values_list("tag_id")
            .annotate(df=Count("*"))
            .values_list("tag_id", "df")
        )
        stats = (Article.objects.published().count(), frequencies)
        cache.set(TOPIC_STATS_CACHE_KEY, stats, settings.TOPIC_STATS_TTL)
    return stats
