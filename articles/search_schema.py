"""The full-text index's tables and triggers, for `articles.search`.

SQLite: an FTS5 table filled by triggers, its tokenizer `porter unicode61
remove_diacritics 2`: words folded for case and accents, then Porter-stemmed
(FTS5's only stemmer; `articles.search` says why French stories share it).
PostgreSQL: a table of weighted tsvectors with a GIN index, refreshed by
statement-level triggers, so a bulk insert costs one refresh per statement. Each
story's words are unaccented, then stemmed with its language's text search
configuration (`PG_CONFIGS`: english, french, ...; 'simple', no stemming, for a
language PostgreSQL has none for), its topics' names (in either language) too.
Both index a story's `body_text` (the body's visible words, kept by `Article.save`
and the article queryset's bulk writes), never its HTML, so markup is not a word;
and, as its topics, every name of each topic: English, French and the aliases, so a
reader finds a topic's stories by whichever name they know.
Triggers (not signals) keep the index right after bulk_create, queryset.update(),
topic renames, merges and alias edits. SQLite drops a table's triggers when a
migration rebuilds the table, so `ensure()` runs after every migrate and puts back
whatever went missing (`articles.db_maintained`, which this index is one set of).
"""

from . import db_maintained
from .db_maintained import MaintainedSet

# PostgreSQL's stemming configurations by language code (its Snowball stemmers);
# a language of settings.LANGUAGES missing here is indexed and searched 'simple'.
PG_CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}


def pg_config(language):
    """The text search configuration PostgreSQL stems `language` ("fr", "pt-br")
    with; 'simple' (no stemming) for a language it has none for."""
    code = (language or "").lower().replace("_", "-").split("-")[0]
    return PG_CONFIGS.get(code, "simple")


def _pg_config_cases():
    return " ".join(
        f"WHEN '{code}' THEN '{config}'" for code, config in sorted(PG_CONFIGS.items())
    )


def _sqlite_topics(story):
    """Every name of the topics of the story whose id is `story`, space-separated."""
    return f"""(SELECT group_concat(names, ' ') FROM (
            SELECT t.name || ' ' || t.name_fr AS names FROM articles_taggedarticle ta
            JOIN articles_topic t ON t.id = ta.tag_id
            WHERE ta.content_object_id = {story}
            UNION ALL
            SELECT al.name FROM articles_taggedarticle ta
            JOIN articles_topicalias al ON al.topic_id = ta.tag_id
            WHERE ta.content_object_id = {story}))"""


def _sqlite_retopic(stories):
    """Recompute the topic names of the stories `stories` (a SQL list) selects."""
    return f"""UPDATE articles_search SET topics = {_sqlite_topics("articles_search.rowid")}
        WHERE rowid IN ({stories});"""


def _sqlite_retopic_tagged(topics):
    return _sqlite_retopic(
        "SELECT content_object_id FROM articles_taggedarticle "
        f"WHERE tag_id IN ({topics})"
    )


SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS articles_search USING fts5(
        headline, dek, body, topics,
        tokenize = 'porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_article_ai AFTER INSERT ON articles_article
    BEGIN
        INSERT INTO articles_search (rowid, headline, dek, body, topics)
        VALUES (new.id, new.headline, new.dek, new.body_text, {_sqlite_topics("new.id")});
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_search_article_au
    AFTER UPDATE OF headline, dek, body_text ON articles_article
    BEGIN
        UPDATE articles_search SET headline = new.headline, dek = new.dek,
            body = new.body_text WHERE rowid = new.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_search_article_ad AFTER DELETE ON articles_article
    BEGIN
        DELETE FROM articles_search WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_tagging_ai AFTER INSERT ON articles_taggedarticle
    BEGIN
        {_sqlite_retopic("new.content_object_id")}
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_tagging_ad AFTER DELETE ON articles_taggedarticle
    BEGIN
        {_sqlite_retopic("old.content_object_id")}
    END""",
    # A topic merge moves tagging rows with update().
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_tagging_au
    AFTER UPDATE OF tag_id, content_object_id ON articles_taggedarticle
    BEGIN
        {_sqlite_retopic("old.content_object_id, new.content_object_id")}
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_topic_au
    AFTER UPDATE OF name, name_fr ON articles_topic
    BEGIN
        {_sqlite_retopic_tagged("new.id")}
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_alias_ai AFTER INSERT ON articles_topicalias
    BEGIN
        {_sqlite_retopic_tagged("new.topic_id")}
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_alias_ad AFTER DELETE ON articles_topicalias
    BEGIN
        {_sqlite_retopic_tagged("old.topic_id")}
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_alias_au
    AFTER UPDATE OF name, topic_id ON articles_topicalias
    BEGIN
        {_sqlite_retopic_tagged("old.topic_id, new.topic_id")}
    END""",
]

SQLITE_REBUILD = [
    "DELETE FROM articles_search",
    f"""INSERT INTO articles_search (rowid, headline, dek, body, topics)
    SELECT a.id, a.headline, a.dek, a.body_text, {_sqlite_topics("a.id")}
    FROM articles_article a""",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_search_article_ai",
    "DROP TRIGGER IF EXISTS articles_search_article_au",
    "DROP TRIGGER IF EXISTS articles_search_article_ad",
    "DROP TRIGGER IF EXISTS articles_search_tagging_ai",
    "DROP TRIGGER IF EXISTS articles_search_tagging_ad",
    "DROP TRIGGER IF EXISTS articles_search_tagging_au",
    "DROP TRIGGER IF EXISTS articles_search_topic_au",
    "DROP TRIGGER IF EXISTS articles_search_alias_ai",
    "DROP TRIGGER IF EXISTS articles_search_alias_ad",
    "DROP TRIGGER IF EXISTS articles_search_alias_au",
    "DROP TABLE IF EXISTS articles_search",
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # No foreign key: Django's test flush TRUNCATEs articles_article, which a
    # referencing table would refuse; delete and truncate triggers clean up instead.
    """CREATE TABLE IF NOT EXISTS articles_search (
        rowid bigint PRIMARY KEY,
        document tsvector NOT NULL)""",
    "ALTER TABLE articles_search DROP CONSTRAINT IF EXISTS articles_search_rowid_fkey",
    "CREATE INDEX IF NOT EXISTS articles_search_document ON articles_search USING gin (document)",
    # `pg_config` in SQL: a story's language to the configuration it is stemmed with.
    f"""CREATE OR REPLACE FUNCTION articles_search_config(language text)
    RETURNS regconfig LANGUAGE sql IMMUTABLE AS $$
        SELECT (CASE split_part(replace(lower(language), '_', '-'), '-', 1)
            {_pg_config_cases()} ELSE 'simple' END)::regconfig;
    $$""",
    # Headline weighs A, topics and dek B, body (its visible text) C.
    """CREATE OR REPLACE FUNCTION articles_search_refresh(ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
        INSERT INTO articles_search (rowid, document)
        SELECT a.id,
            setweight(to_tsvector(story.config, unaccent(a.headline)), 'A')
            || setweight(to_tsvector(story.config, unaccent(topics.names)), 'B')
            || setweight(to_tsvector(story.config, unaccent(a.dek)), 'B')
            || setweight(to_tsvector(story.config, unaccent(a.body_text)), 'C')
        FROM articles_article a
        CROSS JOIN LATERAL (
            SELECT articles_search_config(a.language) AS config) story
        LEFT JOIN LATERAL (
            SELECT coalesce(string_agg(name, ' '), '') AS names FROM (
                SELECT t.name || ' ' || t.name_fr AS name
                FROM articles_taggedarticle ta
                JOIN articles_topic t ON t.id = ta.tag_id
                WHERE ta.content_object_id = a.id
                UNION ALL
                SELECT al.name FROM articles_taggedarticle ta
                JOIN articles_topicalias al ON al.topic_id = ta.tag_id
                WHERE ta.content_object_id = a.id) every_name) topics ON true
        WHERE a.id = ANY(ids)
        ON CONFLICT (rowid) DO UPDATE SET document = EXCLUDED.document;
    $$""",
    # What `articles.search` asks: every word required, each as stemmed by any of
    # `configs` (alternatives only where they differ); a word that is a stop word
    # of one of them ("the", "la") is left out, as the documents leave it out.
    # IMMUTABLE (as unaccent wrappers are, though dictionaries could change) so
    # the planner computes the query once, from constants, and estimates the
    # match from the index's statistics: a GIN scan, not a scan of every row.
    """CREATE OR REPLACE FUNCTION articles_search_query(words text[], configs text[])
    RETURNS tsquery LANGUAGE plpgsql IMMUTABLE AS $$
    DECLARE
        result tsquery := '';
        word text;
        config text;
        stemmed tsquery;
        alternatives tsquery;
    BEGIN
        <<each_word>>
        FOREACH word IN ARRAY words LOOP
            alternatives := '';
            FOREACH config IN ARRAY configs LOOP
                stemmed := plainto_tsquery(config::regconfig, unaccent(word));
                CONTINUE each_word WHEN numnode(stemmed) = 0;
                IF numnode(alternatives) = 0 THEN
                    alternatives := stemmed;
                ELSIF NOT alternatives @> stemmed THEN
                    alternatives := alternatives || stemmed;
                END IF;
            END LOOP;
            result := result && alternatives;
        END LOOP;
        RETURN result;
    END $$""",
    """CREATE OR REPLACE FUNCTION articles_search_articles_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM articles_search_refresh(ARRAY(SELECT id FROM changed));
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION articles_search_taggings_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM articles_search_refresh(
            ARRAY(SELECT DISTINCT content_object_id FROM changed));
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION articles_search_topics_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM articles_search_refresh(ARRAY(
            SELECT DISTINCT ta.content_object_id FROM articles_taggedarticle ta
            JOIN changed ON changed.id = ta.tag_id));
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION articles_search_taggings_moved() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM articles_search_refresh(ARRAY(
            SELECT content_object_id FROM changed
            UNION SELECT content_object_id FROM previous));
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION articles_search_aliases_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM articles_search_refresh(ARRAY(
            SELECT DISTINCT ta.content_object_id FROM articles_taggedarticle ta
            WHERE ta.tag_id IN (SELECT topic_id FROM changed)));
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION articles_search_aliases_moved() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM articles_search_refresh(ARRAY(
            SELECT DISTINCT ta.content_object_id FROM articles_taggedarticle ta
            WHERE ta.tag_id IN (
                SELECT topic_id FROM changed UNION SELECT topic_id FROM previous)));
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION articles_search_articles_deleted() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM articles_search WHERE rowid IN (SELECT id FROM changed);
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION articles_search_articles_truncated() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE articles_search;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE TRIGGER articles_search_article_ad AFTER DELETE ON articles_article
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION articles_search_articles_deleted()""",
    """CREATE OR REPLACE TRIGGER articles_search_article_at AFTER TRUNCATE ON articles_article
    FOR EACH STATEMENT EXECUTE FUNCTION articles_search_articles_truncated()""",
    """CREATE OR REPLACE TRIGGER articles_search_article_ai AFTER INSERT ON articles_article
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION articles_search_articles_changed()""",
    """CREATE OR REPLACE TRIGGER articles_search_article_au AFTER UPDATE ON articles_article
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION articles_search_articles_changed()""",
    """CREATE OR REPLACE TRIGGER articles_search_tagging_ai AFTER INSERT ON articles_taggedarticle
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION articles_search_taggings_changed()""",
    """CREATE OR REPLACE TRIGGER articles_search_tagging_ad AFTER DELETE ON articles_taggedarticle
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION articles_search_taggings_changed()""",
    # A topic merge moves tagging rows with update().
    """CREATE OR REPLACE TRIGGER articles_search_tagging_au AFTER UPDATE ON articles_taggedarticle
    REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION articles_search_taggings_moved()""",
    """CREATE OR REPLACE TRIGGER articles_search_topic_au AFTER UPDATE ON articles_topic
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION articles_search_topics_changed()""",
    """CREATE OR REPLACE TRIGGER articles_search_alias_ai AFTER INSERT ON articles_topicalias
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION articles_search_aliases_changed()""",
    """CREATE OR REPLACE TRIGGER articles_search_alias_ad AFTER DELETE ON articles_topicalias
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION articles_search_aliases_changed()""",
    """CREATE OR REPLACE TRIGGER articles_search_alias_au AFTER UPDATE ON articles_topicalias
    REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION articles_search_aliases_moved()""",
]

POSTGRES_REBUILD = [
    "DELETE FROM articles_search",
    "SELECT articles_search_refresh(ARRAY(SELECT id FROM articles_article))",
]

POSTGRES_BACKWARD = [
    "DROP TABLE IF EXISTS articles_search",
    "DROP TRIGGER IF EXISTS articles_search_article_ai ON articles_article",
    "DROP TRIGGER IF EXISTS articles_search_article_au ON articles_article",
    "DROP TRIGGER IF EXISTS articles_search_tagging_ai ON articles_taggedarticle",
    "DROP TRIGGER IF EXISTS articles_search_tagging_ad ON articles_taggedarticle",
    "DROP TRIGGER IF EXISTS articles_search_topic_au ON articles_topic",
    "DROP TRIGGER IF EXISTS articles_search_tagging_au ON articles_taggedarticle",
    "DROP TRIGGER IF EXISTS articles_search_alias_ai ON articles_topicalias",
    "DROP TRIGGER IF EXISTS articles_search_alias_ad ON articles_topicalias",
    "DROP TRIGGER IF EXISTS articles_search_alias_au ON articles_topicalias",
    "DROP TRIGGER IF EXISTS articles_search_article_ad ON articles_article",
    "DROP TRIGGER IF EXISTS articles_search_article_at ON articles_article",
    "DROP FUNCTION IF EXISTS articles_search_articles_deleted()",
    "DROP FUNCTION IF EXISTS articles_search_articles_truncated()",
    "DROP FUNCTION IF EXISTS articles_search_articles_changed()",
    "DROP FUNCTION IF EXISTS articles_search_taggings_changed()",
    "DROP FUNCTION IF EXISTS articles_search_topics_changed()",
    "DROP FUNCTION IF EXISTS articles_search_taggings_moved()",
    "DROP FUNCTION IF EXISTS articles_search_aliases_changed()",
    "DROP FUNCTION IF EXISTS articles_search_aliases_moved()",
    "DROP FUNCTION IF EXISTS articles_search_refresh(bigint[])",
    "DROP FUNCTION IF EXISTS articles_search_query(text[], regconfig[])",
    "DROP FUNCTION IF EXISTS articles_search_query(text[], text[])",
    "DROP FUNCTION IF EXISTS articles_search_config(text)",
]


_COMMON = {
    "articles_search_article_ai",
    "articles_search_article_au",
    "articles_search_tagging_ai",
    "articles_search_tagging_ad",
    "articles_search_topic_au",
    "articles_search_tagging_au",
    "articles_search_alias_ai",
    "articles_search_alias_ad",
    "articles_search_alias_au",
}
SEARCH_INDEX = db_maintained.register(
    MaintainedSet(
        name="search index",
        forward={"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD},
        rebuild_statements={"sqlite": SQLITE_REBUILD, "postgresql": POSTGRES_REBUILD},
        backward={"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD},
        triggers={
            "sqlite": _COMMON | {"articles_search_article_ad"},
            "postgresql": _COMMON
            | {"articles_search_article_ad", "articles_search_article_at"},
        },
    )
)

# The names migrations and tests use.
install = SEARCH_INDEX.install
uninstall = SEARCH_INDEX.uninstall
drop_triggers = SEARCH_INDEX.drop_triggers
rebuild = SEARCH_INDEX.rebuild
reinstall = SEARCH_INDEX.reinstall
ensure = SEARCH_INDEX.ensure
