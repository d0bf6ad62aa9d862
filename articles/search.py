"""Full-text search over published stories, behind one small interface.

`search(stories, query)` filters and ranks a published queryset with the database's
own full-text engine: SQLite FTS5 (unicode61 tokenizer, diacritics removed) on the
embedded default, PostgreSQL tsvectors (unaccented, GIN-indexed) otherwise. The
index lives in the `articles_search` table (articles/search_schema.py) that
database triggers keep current through saves, deletes, retagging, topic renames and
bulk inserts. Both engines match whole words, folded for case and accents, every
word required; headline matches rank above topic and dek matches, and those above
body matches. `excerpt()` and `highlight()` mark the matched words, escaped.
"""

import re

from django.db import connection
from django.db.models import Case, F, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import fold

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
EXCERPT_WORDS = 36
# Letters and digits only: every character FTS5 or tsquery would read as syntax
# (quotes, stars, colons, parentheses, NUL) is dropped before a query is built.
_TERM = re.compile(r"[^\W_]+")
_TOKENS = re.compile(r"([^\W_]+)")
# SQLite ranks by the columns holding every word; a story whose headline has them
# outranks one whose topics have them, and so on; ties go to the newer story.
_SQLITE_WEIGHTS = [("headline", 4), ("topics", 2), ("dek", 1)]


def clean_query(raw):
    """The words worth searching for, from whatever a reader typed (or pasted)."""
    return " ".join(_TERM.findall((raw or "")[:MAX_QUERY_LENGTH])[:MAX_TERMS])


def terms(query):
    """The query's words as the index stores them: case- and accent-folded."""
    return [term for term in (fold(word) for word in _TERM.findall(query)) if term]


def search(stories, query):
    """Filter a published queryset to the stories matching `query`, best first."""
    words = terms(query)
    if not words:
        return stories.none()
    if connection.vendor == "postgresql":
        return _search_postgresql(stories, words)
    return _search_sqlite(stories, words)


def _search_sqlite(stories, words):
    """Filter with FTS5, rank by where the words are: headline, topics, dek, body.

    Each match is a non-correlated `id IN (SELECT rowid ... MATCH ...)`, which
    SQLite runs once per query. A join to the FTS table would allow bm25(), but
    without ANALYZE statistics SQLite then drives the join from the articles index
    and re-runs the full-text query for every story: minutes at 100k stories.
    """

    def matching(column=None):
        prefix = f"{{{column}}} : " if column else ""
        expression = " ".join(f'{prefix}"{word}"' for word in words)
        return RawSQL(
            "SELECT rowid FROM articles_search WHERE articles_search MATCH %s",
            [expression],
        )

    rank = sum(
        (
            Case(When(pk__in=matching(column), then=Value(weight)), default=Value(0))
            for column, weight in _SQLITE_WEIGHTS
        ),
        Value(0),
    )
    return (
        stories.filter(pk__in=matching())
        .annotate(rank=rank)
        .order_by("-rank", "-published_at", "-id")
    )


def _search_postgresql(stories, words):
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVectorField,
    )

    query = SearchQuery(" ".join(words), config="simple", search_type="plain")
    document = RawSQL(
        '"articles_search"."document"', [], output_field=SearchVectorField()
    )
    return (
        stories.filter(search_document__isnull=False)
        .alias(document=document)
        .filter(document=query)
        .annotate(rank=SearchRank(F("document"), query))
        .order_by("-rank", "-published_at", "-id")
    )


def highlight(text, query):
    """`text` escaped, with the words matching `query` wrapped in <mark>."""
    wanted = set(terms(query))
    parts = _TOKENS.split(text)
    return mark_safe("".join(_mark(part, wanted) for part in parts))


def excerpt(story, query, words=EXCERPT_WORDS):
    """A window of the story's text around its first matched word, highlighted."""
    # The dek is plain text already; the body's visible text is kept beside it.
    text = " ".join(f"{story.dek} {story.body_text}".split())
    wanted = set(terms(query))
    parts = _TOKENS.split(text)  # separators at even indexes, words at odd ones
    hits = [i for i in range(1, len(parts), 2) if fold(parts[i]) in wanted]
    start = max(0, (hits[0] if hits else 1) - words // 3 * 2)
    start -= start % 2  # begin on a separator, so on a word boundary
    end = min(len(parts), start + words * 2)
    window = "".join(_mark(part, wanted) for part in parts[start:end]).strip()
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(parts) - 1 else ""
    return mark_safe(f"{prefix}{window}{suffix}")


def _mark(part, wanted):
    if part and fold(part) in wanted:
        return f"<mark>{escape(part)}</mark>"
    return escape(part)
