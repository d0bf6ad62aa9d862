"""Search results ranked tier by tier, so a page never sorts, or counts, every hit
of a word.

A search's order is a handful of tiers (`articles.search`: whether the headline,
and whether the topics or dek, hold every word: 4 tiers), and within each tier
newest first.
Each tier has its own condition, true of exactly its stories (on SQLite one
full-text query, so the index, not the stories table, tells the tiers apart).

Results stop at LIMIT (1,000: fifty pages of twenty), as the large search
engines' do: no reader pages further, and counting every hit of a common word is
what cost a search 120 to 300 ms at 100,000 stories. Counting, one statement,
counts each tier's visible stories from the best tier down, at most LIMIT + 1 of
each, and stops once LIMIT is passed; `more()` says whether stories were left out
(the page says "more than 1,000"). A page then knows which tiers it spans and
where in each it starts: it reads only those, newest first, with LIMIT and
OFFSET. A tier that fills the results alone is read by walking the stories by
date and keeping its members (a few dozen rows for page 1 of a common word): near
the top by checking each story as the walk meets it, where the database can,
deeper against the tier's members read once; a smaller tier by looking its
members up, or, where the database has an ordered aggregate (LISTS: PostgreSQL),
from the ids the count listed for it, in order. None sorts every hit.

Within a topic, the caller names the stories a search can find (`Candidates`: the
topic's live tagging rows, an index of their own, newest first). When they are few
(FEW), each is given its tier in one statement, whatever the word; when more, the
tiers are counted and walked along that index rather than along every story
joined to the topic.

`Ranked` is the lazy sequence `search()` returns: `count()`, slicing and
iteration, as Django's paginator and a plain `list()` use them. Each costs a
fixed number of queries: the count (with candidates, a capped count of them
first), then one per page.
"""

from dataclasses import dataclass

from django.db import connections
from django.db.models import BooleanField, Case, IntegerField, Value, When
from django.db.models.expressions import RawSQL

# The most results a search gives (50 pages of 20).
LIMIT = 1000
# A tier with at least this many visible stories is walked newest first; below,
# its members are looked up and sorted. Counting stops past LIMIT, so a tier
# walked is one that fills the results alone.
DENSE = LIMIT + 1


# Down to this many results, a dense tier's stories are checked one by one as
# the walk meets them (`Condition.near_sql`, where a database has such a form);
# deeper, against the tier's members read once (`walk_sql`).
NEAR = 40

# Where the database has an aggregate that keeps an order, counting also lists each
# tier's ids, newest first, and a page of a tier that is looked up (not walked)
# is read from that list, its stories then fetched by id: the tier's members are
# found once a search, not once for the count and again for the page. Per vendor:
# the aggregate (over the members' id and publication time columns, `{id}` and
# `{time}`) and its length.
# SQLite's group_concat() keeps an order only from 3.44 (ORDER BY in aggregates).
LISTS = {
    "postgresql": ("array_agg({id} ORDER BY {time} DESC, {id} DESC)", "cardinality")
}


@dataclass(frozen=True)
class Condition:
    """SQL true of some stories, the story's id written `{id}`, and its params.
    Written so that the database cannot drive the query by it, and walks the
    stories by date instead, checking each: `walk_sql` (the tier's members read
    once, then looked up), and `near_sql` (each story's own entry read), cheaper
    for the first results of a dense tier, dearer deep into one. Either, when
    missing, is the next: near, walk, then the plain condition."""

    sql: str
    params: list
    walk_sql: str | None = None
    near_sql: str | None = None

    def on(self, story_id, *, walked=False, depth=None):
        """The condition on the story whose id is `story_id`: as written, or, when
        the stories are `walked` by date, down to result `depth`, as a walk
        checks it."""
        sql = self.sql
        if walked:
            near = self.near_sql if depth is not None and depth <= NEAR else None
            sql = near or self.walk_sql or sql
        return RawSQL(
            sql.replace("{id}", story_id), self.params, output_field=BooleanField()
        )


@dataclass(frozen=True)
class Candidates:
    """Every story a search may find, when the caller can name them cheaply (a
    topic's live tagging rows): `rows`, a queryset of `story` (id) and `published`
    (its publication time) values, `column` the SQL of the story id's column. When
    they are at most FEW, each is given its tier in one statement (`level`: SQL of
    the story `{id}`'s level, NULL when it does not match, and its params), instead
    of the index being asked tier by tier: a common word within a small topic,
    27,690 matches against 1,786 stories. When more, the tiers are counted and
    walked along them (a topic's tagging index, newest first), not along every
    story joined to the topic."""

    rows: object
    column: str
    level: str
    params: list


# At most this many candidates are each given their tier (a few microseconds each).
FEW = 3000


class Ranked:
    """The stories of `stories` in the tiers `levels` (highest first), `tier(level)`
    the Condition of a tier's stories; ranked by tier, then newest first. With
    `candidates` (Candidates), few of them are ranked one by one."""

    def __init__(self, stories, levels, tier, candidates=None):
        self._stories, self._levels, self._tier_condition = stories, levels, tier
        self._candidates = candidates
        self._limit = LIMIT
        # What the tiers are counted and walked along: the candidates, or the
        # stories; the SQL of its story id column; its id and time fields' names.
        if candidates is None:
            table = stories.model._meta.db_table
            self._source, self._id = stories, f'"{table}"."id"'
            self._names = ("id", "published_at")
        else:
            self._source, self._id = candidates.rows, candidates.column
            self._names = ("story", "published")
        self._sizes = self._found = self._lists = None
        self._classified = False  # every tier listed whole, by `_classify`

    def _counted(self):
        """{level: visible stories, at most LIMIT + 1}, from the best tier down,
        in one statement; a tier below the one that passes LIMIT is not counted.
        Where the database can (LISTS), each counted tier's ids come with it."""
        if self._found is None and self._few_candidates():
            self._classify()
        if self._found is None:
            connection = connections[self._stories.db]
            listing = LISTS.get(connection.vendor)
            cap = self._limit + 1
            ctes, params, columns = [], [], []
            for index, level in enumerate(self._levels):
                fields = self._names if listing else self._names[:1]
                members = (
                    self._source.filter(self._tier_condition(level).on(self._id))
                    .order_by()
                    .values(*fields)[:cap]
                )
                sql, part = members.query.sql_with_params()
                params.extend(part)
                if listing:
                    aggregate, length = listing
                    aggregate = aggregate.format(id=fields[0], time=fields[1])
                    found = f"(SELECT {aggregate} FROM ({sql}) AS tier{index})"
                    size = f"COALESCE({length}(t{index}.ids), 0)"
                else:
                    found = f"(SELECT COUNT(*) FROM ({sql}) AS tier{index})"
                    size = f"COALESCE(t{index}.ids, 0)"
                if index == 0:
                    ctes.append(f"t0(ids) AS (SELECT {found})")
                    ctes.append(f"c0(n) AS (SELECT {size} FROM t0)")
                else:
                    # Counted only while the better tiers leave room: a CASE
                    # runs its subquery only when its branch is taken.
                    before = f"(SELECT n FROM c{index - 1})"
                    ctes.append(
                        f"t{index}(ids) AS (SELECT CASE WHEN {before} > "
                        f"{self._limit} THEN NULL ELSE {found} END)"
                    )
                    ctes.append(
                        f"c{index}(n) AS (SELECT {before} + {size} FROM t{index})"
                    )
                columns.append(f"t{index}.ids")
            sources = ", ".join(f"t{index}" for index in range(len(self._levels)))
            statement = (
                f"WITH {', '.join(ctes)} SELECT {', '.join(columns)} FROM {sources}"
            )
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                row = cursor.fetchone()
            self._found, self._lists = {}, {}
            for level, value in zip(self._levels, row, strict=True):
                if listing:
                    self._lists[level] = list(value or ())
                    value = len(self._lists[level])
                self._found[level] = value or 0
        return self._found

    def _few_candidates(self):
        """True when there are candidates and at most FEW of them (one capped
        count: an index-only scan of at most FEW + 1 tagging rows)."""
        if self._candidates is None:
            return False
        return self._candidates.rows[: FEW + 1].count() <= FEW

    def _classify(self):
        """Each candidate's tier, in one statement; every tier listed whole, in
        order, and counted as `_counted` counts (at most LIMIT + 1 a tier, none
        below the one that passes LIMIT)."""
        sql, params = self._candidates.rows.query.sql_with_params()
        level = self._candidates.level.replace("{id}", "candidate.story")
        statement = (
            f"SELECT story, level FROM (SELECT candidate.story AS story, "
            f"candidate.published AS published, {level} AS level "
            f"FROM ({sql}) AS candidate) AS classified WHERE level IS NOT NULL "
            "ORDER BY level DESC, published DESC, story DESC"
        )
        with connections[self._stories.db].cursor() as cursor:
            cursor.execute(statement, [*self._candidates.params, *params])
            rows = cursor.fetchall()
        self._lists = {level: [] for level in self._levels}
        for story, level in rows:
            self._lists[level].append(story)
        self._found, total = {}, 0
        for level in self._levels:
            found = min(len(self._lists[level]), self._limit + 1)
            self._found[level] = found if total <= self._limit else 0
            total += self._found[level]
        self._classified = True

    def sizes(self):
        """(level, stories) of each non-empty tier among the first LIMIT results,
        highest level first."""
        if self._sizes is None:
            self._sizes, room = [], self._limit
            for level, found in self._counted().items():
                if found and room:
                    self._sizes.append((level, min(found, room)))
                    room -= min(found, room)
        return self._sizes

    def more(self):
        """True when more stories match than the results give (LIMIT)."""
        return sum(self._counted().values()) > self._limit

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
        stop = self.count() if stop is None else min(stop, self.count())
        return self._page(start, stop - start) if stop > start else []

    def values_list(self, *fields, flat=False):
        """The fields of every result, in order (as QuerySet.values_list)."""
        if flat:
            (field,) = fields
            return [getattr(story, field) for story in self]
        return [tuple(getattr(story, field) for field in fields) for story in self]

    def _page(self, offset, limit):
        """The stories at [offset, offset + limit), reading only the tiers there."""
        spans, first = [], 0  # (level, start, stop) within each tier on the page
        for level, found in self.sizes():
            start, stop = max(offset - first, 0), min(offset + limit - first, found)
            if start < stop:
                spans.append((level, start, stop))
            first += found
        if not spans:
            return []
        listed = [self._listed(level) for level, _start, _stop in spans]
        if all(ids is not None for ids in listed):
            ids = [
                story_id
                for (_level, start, stop), tier in zip(spans, listed, strict=True)
                for story_id in tier[start:stop]
            ]
            by_id = self._stories.in_bulk(ids)
            return [by_id[story_id] for story_id in ids if story_id in by_id]
        compiled = []  # (level, SQL of the part's ids, params)
        name = self._names[0]
        for level, start, stop in spans:
            sql, params = self._tier(level, stop)[start:stop].query.sql_with_params()
            part = f"SELECT {name} FROM ({sql}) AS part"
            compiled.append((level, part, list(params)))
        union = " UNION ALL ".join(sql for _level, sql, _params in compiled)
        params = [param for _level, _sql, part in compiled for param in part]
        page = self._stories.filter(pk__in=RawSQL(union, params))
        if len(spans) == 1:
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

    def _listed(self, level):
        """The tier's ids in order, as counting listed them, when it did, the list
        is whole (counting stops at LIMIT + 1) and the tier is looked up, not
        walked; else None."""
        found = self._counted()[level]
        if not self._classified and (found >= DENSE or found > self._limit):
            return None
        return self._lists.get(level)

    def _tier(self, level, depth):
        """The ids of the tier's stories, newest first (a queryset to slice down
        to `depth`): a dense tier walked by date, each story checked against the
        tier (the condition's walking forms), a sparse one looked up by the index."""
        walked = self._counted()[level] >= DENSE
        condition = self._tier_condition(level).on(self._id, walked=walked, depth=depth)
        name, time = self._names
        return (
            self._source.filter(condition).order_by(f"-{time}", f"-{name}").values(name)
        )
