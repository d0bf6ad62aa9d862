"""Related stories: the editor's picks first, then stories that share rare topics.

The automatic part scores each live candidate c against the story s::

    score(c) = decay(c) * sum over t in shared(s, c) of  w(t) * m(t)
    w(t)     = ln(1 + N / df(t))                   rarity (inverse document frequency)
    m(t)     = 1.5  if t is the primary topic of s
               1    if s is tagged t
               0.5  if t is only an ancestor of one of s's topics (Ménaka → Mali)
    decay(c) = 0.5 ** (|published(c) - published(s)| / RELATED_HALF_LIFE_DAYS)

N is the number of live stories and df(t) how many of them carry t: a topic on a
handful of stories (Tillabéri) says far more than one on nearly all (Sahel). A
story tagged Ménaka counts Mali too, at half weight, so a Mali story can relate
to it without outranking a second Ménaka story. Distance in time is measured from
the story being read (now, for a draft), so today's story favours this week's
coverage and a 2023 story its own period. Candidates further apart than
RELATED_MAX_AGE_DAYS are never automatic (an editor can still pin them). Ties go
to the newer story, then the higher id. Stories the editor excluded never appear.

Scale: candidates are the RELATED_CANDIDATES_PER_TOPIC stories nearest in time
on either side of the story, per topic of m, read from the tagging table's
(tag, live_from) index with a copy of each story's public window. Their shared
topics are then read exactly, and they are scored in Python. The list costs three
queries whatever the archive size (curated picks; candidates with their shared
topics; the winners through the published gate) plus the cached topic map and
counts (`articles.topics`). A candidate only in a big topic and older than that
topic's nearest K stories is not considered: with decay it could not have won.
"""

import math
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import Article, RelatedExclusion, TaggedArticle
from .topics import topic_stats, topic_tree

RELATED_LIMIT = 6
PRIMARY_FACTOR = 1.5
ANCESTOR_FACTOR = 0.5


def topic_weights(topic_ids):
    """Map each topic id to its rarity weight among live stories."""
    total, frequencies = topic_stats()
    return {
        topic_id: math.log(1 + total / frequencies[topic_id])
        for topic_id in topic_ids
        if frequencies.get(topic_id)
    }


def topic_factors(topic_ids, primary_topic_id=None, tree=None):
    """m(t) for the story's topics and their ancestors."""
    tree = tree or topic_tree()
    factors = {}
    for topic_id in topic_ids:
        for ancestor in tree.ancestors(topic_id):
            factors.setdefault(ancestor.pk, ANCESTOR_FACTOR)
    for topic_id in topic_ids:
        factors[topic_id] = PRIMARY_FACTOR if topic_id == primary_topic_id else 1.0
    return factors


def curated_stories(article):
    """The editor's picks that readers may see, in the editor's order."""
    return list(
        Article.objects.published()
        .filter(curated_in__article=article)
        .order_by("curated_in__position", "curated_in__id")
    )


def _candidate_rows(article, topic_ids, reference, now):
    """(story id, topic id, live_from) for candidates sharing any of `topic_ids`."""
    tagged = TaggedArticle._meta.db_table
    excluded = RelatedExclusion._meta.db_table
    max_age = timedelta(days=settings.RELATED_MAX_AGE_DAYS)
    per_topic = settings.RELATED_CANDIDATES_PER_TOPIC
    live = "(live_until IS NULL OR live_until > %s)"
    picks, params = [], []
    for number, topic_id in enumerate(topic_ids):
        picks.append(
            f"SELECT content_object_id FROM (SELECT content_object_id FROM {tagged} "
            f"WHERE tag_id = %s AND live_from <= %s AND live_from >= %s AND {live} "
            f"ORDER BY live_from DESC LIMIT %s) AS before_{number}"
        )
        params += [topic_id, min(reference, now), reference - max_age, now, per_topic]
        if reference < now:
            picks.append(
                f"SELECT content_object_id FROM (SELECT content_object_id FROM "
                f"{tagged} WHERE tag_id = %s AND live_from > %s AND live_from <= %s "
                f"AND {live} ORDER BY live_from ASC LIMIT %s) AS after_{number}"
            )
            params += [topic_id, reference, min(now, reference + max_age), now]
            params.append(per_topic)
    marks = ", ".join(["%s"] * len(topic_ids))
    sql = (
        f"WITH picks AS ({' UNION '.join(picks)}) "
        f"SELECT content_object_id, tag_id, live_from FROM {tagged} "
        f"WHERE content_object_id IN (SELECT content_object_id FROM picks) "
        f"AND tag_id IN ({marks}) AND content_object_id <> %s "
        f"AND content_object_id NOT IN "
        f"(SELECT story_id FROM {excluded} WHERE article_id = %s)"
    )
    params += [*topic_ids, article.pk or 0, article.pk or 0]
    adapt = connection.ops.adapt_datetimefield_value
    params = [adapt(p) if isinstance(p, datetime) else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _aware(value):
    """A raw cursor on SQLite hands back text or naive UTC datetimes."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def automatic_stories(article, *, limit=RELATED_LIMIT, exclude_ids=(), topic_ids=None):
    """Live stories ranked by the formula above, each with `shared_topics`."""
    if limit <= 0:
        return []
    if topic_ids is None:
        topic_ids = list(article.tagged_items.values_list("tag_id", flat=True))
    tree = topic_tree()
    factors = topic_factors(topic_ids, article.primary_topic_id, tree)
    weights = topic_weights(factors)
    if not weights:
        return []
    now = timezone.now()
    reference = min(article.published_at or now, now)
    half_life = timedelta(days=settings.RELATED_HALF_LIFE_DAYS).total_seconds()
    scores, shared, dates = {}, {}, {}
    for story_id, topic_id, live_from in _candidate_rows(
        article, list(weights), reference, now
    ):
        if story_id in exclude_ids:
            continue
        live_from = _aware(live_from)
        contribution = weights[topic_id] * factors[topic_id]
        scores[story_id] = scores.get(story_id, 0.0) + contribution
        shared.setdefault(story_id, []).append((contribution, topic_id))
        dates[story_id] = live_from
    for story_id, live_from in dates.items():
        distance = abs((live_from - reference).total_seconds())
        scores[story_id] *= 0.5 ** (distance / half_life)
    ranked = sorted(scores, key=lambda pk: (-scores[pk], -dates[pk].timestamp(), -pk))
    # A spare few in case the copy of a window is stale: the gate has the last word.
    wanted = ranked[: limit + 4]
    stories = Article.objects.published().in_bulk(wanted)
    result = []
    for story_id in wanted:
        story = stories.get(story_id)
        if story is None:
            continue
        story.related_score = scores[story_id]
        story.shared_topics = [
            tree.by_id[topic_id]
            for _, topic_id in sorted(shared[story_id], key=lambda pair: -pair[0])
        ]
        result.append(story)
    return result[:limit]


def related_stories(article, *, limit=RELATED_LIMIT, topic_ids=None):
    """Up to `limit` stories for the article page: curated first, then automatic."""
    curated = curated_stories(article)[:limit]
    for story in curated:
        story.curated = True
    automatic = automatic_stories(
        article,
        limit=limit - len(curated),
        exclude_ids={story.pk for story in curated},
        topic_ids=topic_ids,
    )
    return curated + automatic
