"""The tagging rows' copy of each story's public window and language, kept by the
database.

`TaggedArticle.live_from`/`live_until` are the story's publication and expiry
times while its status is published, NULL otherwise: what the published gate
reads, copied next to the topic so topic pages and related lists pick a topic's
live stories from the tagging table's (tag, live_from) index alone.
`TaggedArticle.language` is the story's language, so an edition's topic counts
read the (tag, language, live_from, live_until) index alone (topic statistics:
1.7 s -> 0.13 s at 100,000 stories on SQLite, the join to every story gone).

The copy is always taken from the stored story row, never from a Python object
(which may have been loaded before someone else's `update()`):
- a tagging row, however written (taggit's add/set, the admin, bulk_create, COPY,
  a raw save by reversion, a merge), gets its window when it is inserted, and
  again whenever a write touches its story or its window columns;
- a story whose status, publication or expiry time or language changes, by
  `save()` or any `QuerySet.update()`, rewrites its tagging rows' copies;
- a story inserted after its tagging rows (deferred foreign keys: recovering a
  deleted story) fills them in.
SQLite has per-row triggers that update the row after the fact; PostgreSQL fills
the row before it is written and rewrites stories' rows once per statement.

The SQL here mirrors the one live rule (`articles.models.live`) by hand: a
story's window is `ArticleQuerySet.WINDOW` while `ArticleQuerySet.window_q()`
holds (`_window_of`), and `TaggedArticle.live_q()` reads the copy with the same
`within_q` as `ArticleQuerySet.live_q()`. Change them together:
`articles/tests/models/test_live.py` checks that they agree on stories in every
state.
"""

from . import db_maintained
from .db_maintained import MaintainedSet

PUBLISHED = "published"  # Article.Status.PUBLISHED, as stored: `window_q()`
TAGGED = "articles_taggedarticle"
ARTICLE = "articles_article"


# What a tagging row copies from its story, in this order (`_window_of`).
COPY = "(live_from, live_until, language)"


def _window_of(row):
    """(live_from, live_until, language) of the story row named `row`, as three SQL
    values."""
    return (
        f"CASE WHEN {row}.status = '{PUBLISHED}' THEN {row}.published_at END, "
        f"CASE WHEN {row}.status = '{PUBLISHED}' THEN {row}.unpublish_at END, "
        f"{row}.language"
    )


def _stored_window(story_id):
    """A row value subquery: the stored window of the story whose id is given."""
    return f"(SELECT {_window_of('a')} FROM {ARTICLE} a WHERE a.id = {story_id})"


SQLITE_FORWARD = [
    f"""CREATE TRIGGER IF NOT EXISTS articles_window_tagging_ai AFTER INSERT ON {TAGGED}
    BEGIN
        UPDATE {TAGGED} SET {COPY} = {_stored_window("new.content_object_id")}
        WHERE id = new.id;
    END""",
    # Raw saves (reversion) write old windows back; the guard also stops the
    # trigger's own update from firing it again if recursive triggers are on.
    f"""CREATE TRIGGER IF NOT EXISTS articles_window_tagging_au
    AFTER UPDATE OF content_object_id, live_from, live_until, language ON {TAGGED}
    WHEN (new.live_from, new.live_until, new.language)
        IS NOT {_stored_window("new.content_object_id")}
    BEGIN
        UPDATE {TAGGED} SET {COPY} = {_stored_window("new.content_object_id")}
        WHERE id = new.id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_window_article_au
    AFTER UPDATE OF status, published_at, unpublish_at, language ON {ARTICLE}
    WHEN old.status IS NOT new.status OR old.published_at IS NOT new.published_at
        OR old.unpublish_at IS NOT new.unpublish_at OR old.language IS NOT new.language
    BEGIN
        UPDATE {TAGGED} SET {COPY} = ({_window_of("new")})
        WHERE content_object_id = new.id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_window_article_ai AFTER INSERT ON {ARTICLE}
    BEGIN
        UPDATE {TAGGED} SET {COPY} = ({_window_of("new")})
        WHERE content_object_id = new.id;
    END""",
]


def _windows_by_story(source):
    """A subquery naming each story of `source` (a table or transition table) with
    what its rows copy: `id`, `live_from`, `live_until`, `language`."""
    return (
        f"(SELECT s.id, CASE WHEN s.status = '{PUBLISHED}' THEN s.published_at END "
        f"AS live_from, CASE WHEN s.status = '{PUBLISHED}' THEN s.unpublish_at END "
        f"AS live_until, s.language AS language FROM {source} s)"
    )


# Rows whose copy differs from their story's window, rewritten: one join.
_REWRITE = f"""UPDATE {TAGGED} AS t SET live_from = w.live_from,
        live_until = w.live_until, language = w.language
    FROM {{stories}} AS w WHERE t.content_object_id = w.id
        AND (t.live_from, t.live_until, t.language)
            IS {{differs}} (w.live_from, w.live_until, w.language)"""

SQLITE_REBUILD = [
    _REWRITE.format(stories=_windows_by_story(ARTICLE), differs="NOT"),
]

SQLITE_TRIGGERS = {
    "articles_window_tagging_ai",
    "articles_window_tagging_au",
    "articles_window_article_au",
    "articles_window_article_ai",
}

SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {name}" for name in sorted(SQLITE_TRIGGERS)]

POSTGRES_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION articles_window_fill() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        SELECT {_window_of("a")} INTO NEW.live_from, NEW.live_until, NEW.language
        FROM {ARTICLE} a WHERE a.id = NEW.content_object_id;
        RETURN NEW;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION articles_window_articles_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        {_REWRITE.format(stories=_windows_by_story("changed"), differs="DISTINCT FROM")};
        RETURN NULL;
    END $$""",
    # Before the row is written: one write per row, COPY included.
    f"""CREATE OR REPLACE TRIGGER articles_window_tagging_biu
    BEFORE INSERT OR UPDATE OF content_object_id, live_from, live_until, language
    ON {TAGGED}
    FOR EACH ROW EXECUTE FUNCTION articles_window_fill()""",
    # Transition tables rule out a column list: the function skips unchanged rows.
    f"""CREATE OR REPLACE TRIGGER articles_window_article_au AFTER UPDATE ON {ARTICLE}
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION articles_window_articles_changed()""",
    f"""CREATE OR REPLACE TRIGGER articles_window_article_ai AFTER INSERT ON {ARTICLE}
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION articles_window_articles_changed()""",
]

POSTGRES_REBUILD = [
    _REWRITE.format(stories=_windows_by_story(ARTICLE), differs="DISTINCT FROM"),
]

POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS articles_window_tagging_biu ON {TAGGED}",
    f"DROP TRIGGER IF EXISTS articles_window_article_au ON {ARTICLE}",
    f"DROP TRIGGER IF EXISTS articles_window_article_ai ON {ARTICLE}",
    "DROP FUNCTION IF EXISTS articles_window_fill()",
    "DROP FUNCTION IF EXISTS articles_window_articles_changed()",
]

LIVE_WINDOWS = db_maintained.register(
    MaintainedSet(
        name="live windows",
        forward={"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD},
        rebuild_statements={"sqlite": SQLITE_REBUILD, "postgresql": POSTGRES_REBUILD},
        backward={"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD},
        triggers={
            "sqlite": SQLITE_TRIGGERS,
            "postgresql": {
                "articles_window_tagging_biu",
                "articles_window_article_au",
                "articles_window_article_ai",
            },
        },
    )
)
