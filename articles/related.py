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
coverage and a 2023 story its own period.

The reader's language first: the story's own language is the reader's, so the
finalists in it rank before those in another language (each group in the order
below); a story in another language only fills what is left, and the page labels
it. The editor's picks keep their order, whatever their language.

Recent first, then the archive: candidates within RELATED_MAX_AGE_DAYS of the
story (tier 0) always rank before those further apart (tier 1), each tier by
score. So stories further apart only fill the list when fewer than the list's
length lie within: a new story on a topic whose coverage is all years old still
gets the nearest, most related old stories instead of an empty list, and a busy
topic's list stays fresh. Ties go to the newer story, then the higher id.
Stories the editor excluded never appear; an editor can pin any story.

Scale: candidates are the RELATED_CANDIDATES_PER_TOPIC (K, 30) stories nearest
in time on either side of the story within the window, and the 2L nearest on
either side beyond it (L the list's length, 6), per topic of m, read from the
tagging table's (tag, live_from) index with a copy of each story's public
window, and scored in Python: at most 2K + 4L rows per topic, whatever the
archive size. Each candidate gets an upper bound (it
may carry a big topic whose list in its tier was cut at K); the best few by tier
and bound have their shared topics read exactly. The list costs three queries
whatever the archive size (curated picks and both tiers' candidates in one
statement; the finalists' shared topics; the winners through the published
gate), one more when the caller has not loaded the story's topics, plus the
cached topic map and counts (`articles.topics`). A story missing from every
topic list of its tier is not considered: on each topic it shares, K others of
its tier are nearer in time, so decay has already put it out of the running.
"""

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from edge import collector

from . import edge_keys
from .models import Article, RelatedExclusion, RelatedStory, TaggedArticle, live
from .topics import topic_stats, topic_tree

RELATED_LIMIT = 6
PRIMARY_FACTOR = 1.5
EPOCH = datetime(1970, 1, 1)
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


def _seconds(value):
    """Seconds since the epoch; a raw cursor on SQLite hands back text or naive UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return (value - EPOCH).total_seconds()
    return value.timestamp()


def _run(sql, params):
    adapt = connection.ops.adapt_datetimefield_value
    params = [adapt(p) if isinstance(p, datetime) else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _story_topic_ids(article):
    table = TaggedArticle._meta.db_table
    sql = f"SELECT tag_id FROM {table} WHERE content_object_id = %s"
    return [row[0] for row in _run(sql, [article.pk])]


def _sides(reference, now):
    """(tier, order, bounds) of each per-topic list: the nearest stories in time on
    each side of `reference`, first within RELATED_MAX_AGE_DAYS (tier 0), then
    beyond it (tier 1, the fallback). `reference` is never after `now`."""
    max_age = timedelta(days=settings.RELATED_MAX_AGE_DAYS)
    start, end = reference - max_age, min(now, reference + max_age)
    sides = [(0, "DESC", [("<=", reference), (">=", start)])]
    if reference < now:
        sides.append((0, "ASC", [(">", reference), ("<=", end)]))
    sides.append((1, "DESC", [("<", start)]))
    if end < now:
        sides.append((1, "ASC", [(">", end), ("<=", now)]))
    return sides


def _list_lengths(limit):
    """How many stories each per-topic list of a tier holds at most: K within the
    window; beyond it, which only fills a short list, twice the list's length."""
    per_topic = settings.RELATED_CANDIDATES_PER_TOPIC
    return {0: per_topic, 1: min(per_topic, 2 * limit)}


def _picks_and_candidates(article, topic_ids, reference, now, lengths):
    """One statement: the curated ids as ("pick", story, position, None, None),
    then (None, story, topic, live_from, tier) for the nearest live stories in
    time on each side of `reference`, per topic and tier (`_sides`, at most
    `lengths[tier]` each), leaving out the story and its exclusions."""
    curated = RelatedStory._meta.db_table
    parts = [
        f"SELECT 'pick', story_id, position, NULL, NULL FROM {curated} "
        f"WHERE article_id = %s"
    ]
    params = [article.pk or 0]
    tagged = TaggedArticle._meta.db_table
    excluded = RelatedExclusion._meta.db_table
    # Live by the tagging rows' copy of each window: the gate's own rule, as SQL.
    live_sql, live_params = live.as_sql(
        TaggedArticle, TaggedArticle.live_q(now), connection
    )
    keep = (
        f"{live_sql} AND content_object_id <> %s AND "
        f"content_object_id NOT IN (SELECT story_id FROM {excluded} WHERE "
        f"article_id = %s)"
    )
    sides = _sides(reference, now)
    for topic_id in topic_ids:
        for tier, order, bounds in sides:
            within = " AND ".join(f"live_from {op} %s" for op, _ in bounds)
            parts.append(
                f"SELECT * FROM (SELECT NULL, content_object_id, tag_id, live_from, "
                f"{tier} FROM {tagged} WHERE tag_id = %s AND {within} AND {keep} "
                f"ORDER BY live_from {order} LIMIT %s) AS side_{len(parts)}"
            )
            params += [topic_id, *(value for _, value in bounds)]
            params += [*live_params, article.pk or 0, article.pk or 0, lengths[tier]]
    return _run(" UNION ALL ".join(parts), params)


def _shared_topics(story_ids, topic_ids):
    """(story, topic) for every topic in `topic_ids` each story carries."""
    if not story_ids or not topic_ids:
        return []
    tagged = TaggedArticle._meta.db_table
    stories = ", ".join(["%s"] * len(story_ids))
    topics = ", ".join(["%s"] * len(topic_ids))
    sql = (
        f"SELECT content_object_id, tag_id FROM {tagged} "
        f"WHERE content_object_id IN ({stories}) AND tag_id IN ({topics})"
    )
    return _run(sql, [*story_ids, *topic_ids])


def _rank(article, topic_ids, limit):
    """Published curated picks and automatic stories, each list in order.

    Candidates are first bounded from the per-topic lists alone: a candidate
    missing from a topic's list that was cut (at `_list_lengths`) may still
    carry that topic. The best few by upper bound have their shared topics
    read exactly and are ranked on their exact score.
    """
    if topic_ids is None:
        topic_ids = _story_topic_ids(article)
    tree = topic_tree()
    factors = topic_factors(topic_ids, article.primary_topic_id, tree)
    weights = topic_weights(factors)
    gain = {topic_id: weights[topic_id] * factors[topic_id] for topic_id in weights}
    now = timezone.now()
    reference = min(article.published_at or now, now)
    half_life = timedelta(days=settings.RELATED_HALF_LIFE_DAYS).total_seconds()
    picked, listed, lower, seconds, tiers, per_list = [], {}, {}, {}, {}, {}
    lengths = _list_lengths(limit)
    for marker, story_id, value, live_from, tier in _picks_and_candidates(
        article, list(weights), reference, now, lengths
    ):
        if marker:
            picked.append((value, story_id))
            continue
        if story_id in listed:
            listed[story_id].add(value)
            lower[story_id] += gain[value]
        else:
            listed[story_id], lower[story_id] = {value}, gain[value]
            seconds[story_id], tiers[story_id] = _seconds(live_from), int(tier)
        per_list[tier, value] = per_list.get((tier, value), 0) + 1
    curated_ids = [story_id for _, story_id in sorted(picked)][:limit]
    # A story's publication time puts it in one tier, so only that tier's lists
    # that were cut may have left it out.
    cut = {
        (tier, topic_id)
        for (tier, topic_id), n in per_list.items()
        if n >= lengths[tier]
    }
    cut_gain = {}
    for tier, topic_id in cut:
        cut_gain[tier] = cut_gain.get(tier, 0) + gain[topic_id]
    at, decay, upper = reference.timestamp(), {}, {}
    for story_id, when in seconds.items():
        decay[story_id] = 0.5 ** (abs(when - at) / half_life)
        tier = tiers[story_id]
        missing = cut_gain.get(tier, 0) - sum(
            gain[t] for t in listed[story_id] if (tier, t) in cut
        )
        upper[story_id] = (lower[story_id] + missing) * decay[story_id]
    # Stories within the window come first; older ones only fill what is left.
    finalists = sorted(
        (pk for pk in upper if pk not in curated_ids),
        key=lambda pk: (tiers[pk], -upper[pk], -seconds[pk], -pk),
    )[: 3 * limit + 4]
    shared = {pk: set(listed[pk]) for pk in finalists}
    # Read even when no list was cut, so the cost never depends on the archive.
    if finalists:
        for story_id, topic_id in _shared_topics(finalists, list(weights)):
            shared[story_id].add(topic_id)
    scores = {pk: decay[pk] * sum(gain[t] for t in shared[pk]) for pk in finalists}
    ranked = sorted(
        finalists, key=lambda pk: (tiers[pk], -scores[pk], -seconds[pk], -pk)
    )
    # Every finalist through the gate (a spare few in case the copy of a window
    # is stale: the gate has the last word), with its language: the reader's
    # language comes first.
    # The spares are weighed, not shown: the caller names what it shows.
    with collector.unseen():
        stories = (
            Article.objects.published()
            .only("headline", "slug", "published_at", "language")
            .order_by()
            .in_bulk([*curated_ids, *ranked])
        )
    ranked = sorted(ranked, key=lambda pk: other_language(stories.get(pk), article))
    curated = [stories[pk] for pk in curated_ids if pk in stories]
    for story in curated:
        story.curated, story.shared_topics = True, []
    automatic = []
    for story_id in ranked:
        if story_id not in stories:
            continue
        story = stories[story_id]
        story.curated, story.related_score = False, scores[story_id]
        story.shared_topics = [
            tree.by_id[topic_id]
            for topic_id in sorted(shared[story_id], key=lambda t: -gain[t])
        ]
        automatic.append(story)
    return curated, automatic


def other_language(story, article):
    """Sorts after the stories in the article's language (False < True)."""
    return story is not None and story.language != article.language


def automatic_stories(article, *, limit=RELATED_LIMIT, topic_ids=None):
    """The automatic list alone (curated picks left out), as the admin shows it."""
    return _rank(article, topic_ids, limit)[1][:limit]


def related_stories(article, *, limit=RELATED_LIMIT, topic_ids=None):
    """Up to `limit` stories for the article page: curated first, then automatic."""
    curated, automatic = _rank(article, topic_ids, limit)
    shown = (curated + automatic)[:limit]
    edge_keys.stories_shown_on_page(shown)
    return shown
