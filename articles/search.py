"""Search over published stories, behind one small interface.

Matching is by words: a story matches when every word of the query appears in
its headline, dek, body or topics; headline matches rank above the rest.
"""

import re

from django.db.models import Case, IntegerField, Q, Value, When

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
_WORD = re.compile(r"\w+", re.UNICODE)


def clean_query(raw):
    """The words worth searching for, from whatever a reader typed (or pasted)."""
    return " ".join(_WORD.findall((raw or "")[:MAX_QUERY_LENGTH])[:MAX_TERMS])


def search(stories, query):
    """Filter a published queryset by `query` and rank headline matches first."""
    terms = query.split()
    for term in terms:
        stories = stories.filter(
            Q(headline__icontains=term)
            | Q(dek__icontains=term)
            | Q(body__icontains=term)
            | Q(
                pk__in=stories.model.objects.filter(tags__name__icontains=term).values(
                    "pk"
                )
            )
        )
    headline_hits = sum(
        (
            Case(
                When(headline__icontains=term, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for term in terms
        ),
        Value(0),
    )
    return stories.annotate(headline_hits=headline_hits).order_by(
        "-headline_hits", "-published_at", "-id"
    )
