"""When something is live: the one rule behind the public gate, as conditions.

A story's public window opens at its publication time and closes at its expiry
time (none: it never closes); it has a window only while it is published
(`ArticleQuerySet.window_q`). It is live while `now` lies inside the window:
the start has come, the end has not. Before the window it is scheduled, after it
expired.

The rule is written once, here, as `Q` objects over the fields that hold a
window, so the same definition serves every reader:
- a queryset filters with it (`ArticleQuerySet.live_q()` and `published()`, the
  desk's states in `ArticleQuerySet.state_qs()`, `TaggedArticle.live_q()` on
  the tagging rows' copy of each window);
- `holds()` reads the same condition on one loaded story, so `Article.state` and
  `is_published()` cannot drift from the gate;
- `as_sql()` puts it in a statement written by hand (the related list's);
- `next_change()` finds the next moment its answer changes (the page cache's
  clock).
The triggers of `articles.window_schema` copy each story's window in SQL of
their own; they mirror `window_q` and `WINDOW`, and `tests/models/test_live.py` checks
that every reader agrees on stories in every state.

This module imports nothing of the app.
"""

import operator
from collections.abc import Mapping

from django.db.models import Q
from django.db.models.sql.query import Query


def _started(now, start):
    return Q(**{f"{start}__lte": now})


def _not_ended(now, end):
    return Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": now})


def within_q(now, *, start, end):
    """Inside the window at `now`: its start has come and its end (none: open
    ended) has not. THE rule: everything "live" derives from it."""
    return _started(now, start) & _not_ended(now, end)


def started_q(now, *, start):
    """The window has opened by `now`: inside it or after it (`phases_q`)."""
    return _started(now, start)


def phases_q(now, *, start, end):
    """Where `now` falls for each window: before it opens, inside it, after it
    closes. The three never overlap, and every row with a start is in one."""
    return {
        "before": ~_started(now, start),
        "inside": within_q(now, start=start, end=end),
        "after": _started(now, start) & ~_not_ended(now, end),
    }


def next_change(queryset, now, *, start, end):
    """The first moment after `now` at which `within_q` answers differently for
    a row of `queryset` (a window opening or closing), or None."""
    moments = [
        queryset.filter(**{f"{field}__gt": now})
        .order_by(field)
        .values_list(field, flat=True)
        .first()
        for field in (start, end)
    ]
    return min((moment for moment in moments if moment), default=None)


# Lookups `holds()` reads, as the database compares them.
_COMPARE = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def holds(condition, obj):
    """Whether `obj` (a model instance, or a dict of field values) meets
    `condition`, a `Q` of plain field lookups, as the database would answer.

    A comparison with a missing value (NULL) is false, as in SQL; Django's own
    negation of a lookup on a nullable field adds `IS NOT NULL`, so reading NOT
    as plain negation agrees with it. A lookup this does not know raises
    ValueError rather than guess.
    """
    if isinstance(condition, Q):
        results = (holds(child, obj) for child in condition.children)
        met = all(results) if condition.connector == Q.AND else any(results)
        return not met if condition.negated else met
    lookup, wanted = condition
    name, _, kind = lookup.partition("__")
    value = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name)
    if kind == "isnull":
        return (value is None) == wanted
    if kind not in _COMPARE and kind:
        raise ValueError(f"holds() cannot read the lookup {lookup!r}.")
    if wanted is None:  # `field=None` is Django's `field__isnull=True`
        return value is None
    if value is None:
        return False
    return _COMPARE[kind or "exact"](value, wanted)


def as_sql(model, condition, connection):
    """`condition` on `model` as (SQL, parameters) with bare column names, for a
    statement written by hand over `model`'s table."""
    query = Query(model, alias_cols=False)
    where = query.build_where(condition)
    sql, params = where.as_sql(query.get_compiler(connection=connection), connection)
    return f"({sql})", list(params)
