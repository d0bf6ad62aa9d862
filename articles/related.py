"""Related stories: the editor's picks first, then stories that share rare topics.

The automatic part scores each published candidate by the topics it shares with
the story::

    score(candidate) = sum over shared topics t of  w(t)
    w(t)             = round(1000 * ln(1 + N / df(t)))

where N is the number of published stories and df(t) the number of published
stories tagged t: the inverse document frequency. A topic on a handful of
stories (Tillabéri) says far more about two stories than one on nearly all of
them (Sahel), so it weighs more. Weights are whole numbers so that equal topic
sets give exactly equal sums; ties go to the newer story, then the higher id.

The list costs four queries whatever the archive size: the curated picks, N,
df for the story's own topics, and the scored candidates, grouped and ranked in
the database. No candidate is loaded into Python before it has made the cut.
"""

import math

from django.db.models import Case, Count, IntegerField, Sum, Value, When

from .models import Article, TaggedArticle

RELATED_LIMIT = 6


def topic_weights(topic_ids):
    """Map each topic id to its rarity weight among published stories."""
    if not topic_ids:
        return {}
    published = Article.objects.published()
    total = published.count()
    document_frequency = dict(
        TaggedArticle.objects.filter(tag_id__in=topic_ids, content_object__in=published)
        .values_list("tag_id")
        .annotate(df=Count("*"))
        .values_list("tag_id", "df")
    )
    return {
        topic_id: round(1000 * math.log(1 + total / df))
        for topic_id, df in document_frequency.items()
        if df
    }


def curated_stories(article):
    """The editor's picks that readers may see, in the editor's order."""
    return list(
        Article.objects.published()
        .filter(curated_in__article=article)
        .order_by("curated_in__position", "curated_in__id")
    )


def automatic_stories(article, *, limit=RELATED_LIMIT, exclude_ids=(), topic_ids=None):
    """Published stories ranked by the rarity of the topics they share with `article`."""
    if limit <= 0:
        return []
    if topic_ids is None:
        topic_ids = list(article.tagged_items.values_list("tag_id", flat=True))
    weights = topic_weights(topic_ids)
    if not weights:
        return []
    score = Sum(
        Case(
            *[
                When(tagged_items__tag_id=tid, then=Value(w))
                for tid, w in weights.items()
            ],
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    return list(
        Article.objects.published()
        .filter(tagged_items__tag_id__in=list(weights))
        .exclude(pk__in=[article.pk, *exclude_ids])
        .annotate(related_score=score)
        .order_by("-related_score", "-published_at", "-id")[:limit]
    )


def related_stories(article, *, limit=RELATED_LIMIT, topic_ids=None):
    """Up to `limit` stories for the article page: curated first, then automatic."""
    curated = curated_stories(article)[:limit]
    automatic = automatic_stories(
        article,
        limit=limit - len(curated),
        exclude_ids=[story.pk for story in curated],
        topic_ids=topic_ids,
    )
    return curated + automatic
