"""Search results ranked tier by tier, so a page never sorts every hit of a word.

A search's order is a handful of tiers (`articles.search`: on SQLite, whether the
headline, the topics and the dek each hold every word, 8 tiers; on PostgreSQL,
the headline and the topics-or-dek weight, 4), and within each tier newest first.
Counting the results, one statement, also counts each tier's visible stories
(GROUP BY tier). A page then knows which tiers it spans and where in each it
starts: it reads only those, newest first, with LIMIT and OFFSET. A large tier is
read by walking the stories by date and keeping its members (a few dozen rows for
page 1 of a common word); a small one by looking its members up. Neither sorts
every hit, so a common word's page costs about what a rare word's does.

`Ranked` is the lazy sequence `search()` returns: `count()`, slicing and
iteration, as Django's paginator and a plain `list()` use them. Each costs a
fixed number of queries: the count, then one per page.
"""

from dataclasses import dataclass

from django.db import connections
from django.db.models import BooleanField, Case, IntegerField, Value, When
from django.db.models.expressions import RawSQL

# A tier with at least this many visible stories is walked newest first; below,
# its members are looked up and sorted.
DENSE = 2000


@dataclass(frozen=True)
class Condition:
    """SQL true of some stories, the story's id written `{id}`, and its params."""

    sql: str
    params: list

    def on(self, story_id, *, negated=False):
        sql = self.sql.replace("{id}", story_id)
        return RawSQL(
            f"NOT ({sql})" if negated else sql, self.params, output_field=BooleanField()
        )


class Ranked:
    """The stories of `stories` that `matches`, ranked by the sum of the `columns`
    (bit, Condition) each holds, then newest first."""

    def __init__(self, stories, matches, columns):
        self._stories, self._matches, self._columns = stories, matches, columns
        self._table = stories.model._meta.db_table
        self._id = f'"{self._table}"."id"'
        self._sizes = None

    def sizes(self):
        """(level, visible stories) of each non-empty tier, highest level first."""
        if self._sizes is None:
            rank = " + ".join(
                f"(CASE WHEN {column.sql.replace('{id}', self._id)} THEN {bit} ELSE 0 END)"
                for bit, column in self._columns
            )
            params = [
                param for _bit, column in self._columns for param in column.params
            ]
            hits = (
                self._stories.filter(self._matches.on(self._id))
                .annotate(search_rank=RawSQL(rank, params, IntegerField()))
                .values("search_rank")
                .order_by()
            )
            sql, params = hits.query.sql_with_params()
            connection = connections[hits.db]
            if connection.vendor == "sqlite":
                # Kept from being flattened into the GROUP BY, which would build
                # every column's list of matches twice.
                sql += " LIMIT -1"
            # Each story's rank computed once (in the FROM), then counted by rank.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT search_rank, COUNT(*) FROM ({sql}) AS hits "
                    "GROUP BY search_rank",
                    params,
                )
                self._sizes = sorted(cursor.fetchall(), reverse=True)
        return self._sizes

    def count(self):
        return sum(found for _level, found in self.sizes())

    def __len__(self):
        return self.count()

    def __iter__(self):
        return iter(self[0 : self.count()])

    def __getitem__(self, index):
        if isinstance(index, int):
            if index < 0:
                raise IndexError("negative indexing is not supported")
            found = self[index : index + 1]
            if not found:
                raise IndexError("search result index out of range")
            return found[0]
        start, stop = index.start or 0, index.stop
        if index.step is not None or start < 0 or (stop is not None and stop < 0):
            raise ValueError("only forward slices without a step")
        if stop is None:
            stop = self.count()
        return self._page(start, stop - start) if stop > start else []

    def values_list(self, *fields, flat=False):
        """The fields of every result, in order (as QuerySet.values_list)."""
        if flat:
            (field,) = fields
            return [getattr(story, field) for story in self]
        return [tuple(getattr(story, field) for field in fields) for story in self]

    def _page(self, offset, limit):
        """The stories at [offset, offset + limit), reading only the tiers there."""
        parts, first = [], 0
        for level, found in self.sizes():
            start, stop = max(offset - first, 0), min(offset + limit - first, found)
            if start < stop:
                parts.append((level, self._tier(level, found)[start:stop]))
            first += found
        if not parts:
            return []
        compiled = []  # (level, SQL of the part's ids, params)
        for level, stories in parts:
            sql, params = stories.query.sql_with_params()
            compiled.append((level, f"SELECT id FROM ({sql}) AS part", list(params)))
        union = " UNION ALL ".join(sql for _level, sql, _params in compiled)
        params = [param for _level, _sql, part in compiled for param in part]
        page = self._stories.filter(pk__in=RawSQL(union, params))
        if len(parts) == 1:
            return list(page.order_by("-published_at", "-id"))
        # A page across tiers: each story's tier, from the part it came from.
        tier_of = Case(
            *(
                When(pk__in=RawSQL(sql, params), then=Value(level))
                for level, sql, params in compiled
            ),
            output_field=IntegerField(),
        )
        return list(
            page.annotate(search_tier=tier_of).order_by(
                "-search_tier", "-published_at", "-id"
            )
        )

    def _tier(self, level, found):
        """The ids of the tier's stories, newest first (a queryset to slice). Only
        the columns that tell it from the other non-empty tiers are checked."""
        story_id = self._id
        if found >= DENSE and connections[self._stories.db].vendor == "sqlite":
            # A unary + keeps SQLite from driving the query by the matching ids:
            # it walks the stories by date and checks each against the tier.
            story_id = f"+{story_id}"
        levels = [other for other, _found in self.sizes()]
        stories = self._stories.filter(self._matches.on(story_id))
        for bit, column in self._columns:
            if any((other ^ level) & bit for other in levels):
                stories = stories.filter(column.on(story_id, negated=not level & bit))
        return stories.order_by("-published_at", "-id").values("id")
