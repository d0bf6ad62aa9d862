"""Full-text search over published stories, behind one small interface.

`search(stories, query, language=None)` filters and ranks a published queryset
with the database's own full-text engine; given a language (an edition's), only
stories in it, their words stemmed by its rules. The index lives in the
`articles_search` table (articles/search_schema.py) that database triggers keep
current through saves, deletes, retagging, topic renames and bulk inserts. Every
word is required; words are folded for case and accents and matched by stem, so
`charters` finds `charter` and `élections` finds `élection`, never by fragment
(`mali` does not find `malien`). Headline matches rank above topic and dek
matches, and those above body matches, newer first among equals: a story's rank
is which columns hold every word (the headline; the topics or dek, together, as
PostgreSQL's weights A and B are), and `search_ranking` counts and reads a page
tier by tier, the best 1,000 results at most, instead of scoring every hit.
`excerpt()` and `highlight()` mark the matched words, escaped.

PostgreSQL stems each story with its language's configuration (english, french,
...; `search_schema.PG_CONFIGS`) after unaccent, and a query word matches its
stem in the edition's language (in each newsroom language, without one); a name
goes through the same stemmer on both sides, so it finds itself. A stop word of
the language ("the", "les") is left out of the query as it is of the documents.

SQLite: FTS5 offers one stemmer, `porter` (English), and one tokenizer per table.
Every story is indexed with `porter unicode61 remove_diacritics 2`, French ones
included, rather than a second, unstemmed French table: Porter's first step, the
one that matters for finding a word's other forms, strips plural -s and -es (and
-ed, -ing), which is also how most French plurals are made, and it runs on the
query as on the documents, so `élections`, `accords` and `élection`, `accord`
meet. What Porter misses in French, plurals in -x and -aux (`journaux`,
`bureaux`) and feminine forms (`électorale`, `malienne`), the query adds as
alternatives (`_french_forms`): a word, never a prefix, so `mali` stays off
`malien` and `élect*` never floods. Python has no FTS5 tokenizer hook and a
stemmed copy kept from Python would miss the triggers' bulk writes, hence
query-side forms. Its other suffix rules rarely join French words that differ,
and do the same on both sides.
"""

import collections
import functools
import html
import itertools
import re

from django.conf import settings
from django.db import connection
from django.utils.safestring import mark_safe

from .models import fold
from .search_ranking import Candidates, Condition, Ranked
from .search_schema import pg_config

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
EXCERPT_WORDS = 36
# Letters and digits only: every character FTS5 or tsquery would read as syntax
# (quotes, stars, colons, parentheses, NUL) is dropped before a query is built.
_TERM = re.compile(r"[^\W_]+")
_TOKENS = re.compile(r"([^\W_]+)")
# SQLite ranks by the columns holding every word; a story whose headline has them
# outranks one whose topics or dek (FTS5's column set: the words may be split
# between the two) have them; ties go to the newer story. The weights are bits: a
# story's rank is the sum over its columns holding every word.
_SQLITE_WEIGHTS = [("headline", 2), ("topics dek", 1)]
# PostgreSQL: the weight holding every word (A: headline; B: topics or dek), its bit.
_PG_WEIGHTS = [("A", 2), ("B", 1)]


def clean_query(raw):
    """The words worth searching for, from whatever a reader typed (or pasted)."""
    return " ".join(_TERM.findall((raw or "")[:MAX_QUERY_LENGTH])[:MAX_TERMS])


def terms(query):
    """The query's words as the index stores them: case- and accent-folded."""
    return [term for term in (fold(word) for word in _TERM.findall(query)) if term]


def languages(language=None):
    """The languages a search stems by: the edition's, or every newsroom language."""
    return [language] if language else [code for code, _name in settings.LANGUAGES]


def search(stories, query, language=None, candidates=None):
    """Filter a published queryset to the stories matching `query`, best first;
    with `language`, to the stories in it, its stemming rules applied.

    `candidates`, a queryset of `story` and `published` values, names every story
    `stories` holds, when the caller can do so cheaply (a topic's live tagging
    rows, in `language`): when they are few, each is ranked in one statement
    (search_ranking.Candidates)."""
    words = terms(query)
    if not words:
        return stories.none()
    if language:
        stories = stories.filter(language=language)
    engine = _search_postgresql if connection.vendor == "postgresql" else _search_sqlite
    return engine(stories, words, languages(language), candidates)


def _french_forms(word):
    """The other forms of a (folded) French word that Porter does not reach, as
    whole words: plurals in -x and -aux, and the feminine of -al, -el, -ien,
    -ais, -ain and -ier words and back (Porter strips a plural -s itself)."""
    forms = set()
    if word.endswith(("eaux", "eux")):
        forms.add(word[:-1])  # bureaux -> bureau
    elif word.endswith("aux") and len(word) > 4:
        forms.add(word[:-3] + "al")  # journaux -> journal
    if word.endswith(("eau", "eu")):
        forms.add(word + "x")
    elif word.endswith("al"):
        forms.add(word[:-2] + "aux")
    feminine = word[:-1] if word.endswith("es") else word
    if feminine.endswith(("ienne", "elle")):
        forms.add(feminine[:-2])  # malienne -> malien, officielle -> officiel
    elif feminine.endswith(("ale", "aise", "aine")):
        forms.add(feminine[:-1])
    elif feminine.endswith("iere"):
        forms.add(feminine[:-4] + "ier")
    masculine = word[:-1] if word.endswith("s") and word[-3:] != "ais" else word
    if masculine.endswith(("ien", "el")):
        forms.add(masculine + masculine[-1] + "e")  # malien -> malienne
    elif masculine.endswith(("al", "ais", "ain")):
        forms.add(masculine + "e")
    elif masculine.endswith("ier"):
        forms.add(masculine[:-3] + "iere")
    return sorted(forms - {word})


# Per language, the forms the query adds to each word on SQLite (see the module).
_SQLITE_FORMS = {"fr": _french_forms}


def _search_sqlite(stories, words, languages, candidates=None):
    """Match with FTS5; rank by the columns holding every word: headline (2),
    topics or dek (1), summed; `search_ranking` reads the tiers one by one, each
    tier one full-text query (so FTS5 tells the tiers apart from its index, 3 to
    10 ms, without reading a story row).

    Each match is a non-correlated `id IN (SELECT rowid ... MATCH ...)`, which
    SQLite runs once per query. A join to the FTS table would allow bm25(), but
    without ANALYZE statistics SQLite then drives the join from the articles index
    and re-runs the full-text query for every story: minutes at 100k stories.
    """
    groups = []
    for word in words:
        forms = {word}
        for language in languages:
            forms.update(_SQLITE_FORMS.get(language, lambda word: [])(word))
        groups.append(" OR ".join(f'"{form}"' for form in sorted(forms)))
    everything = " AND ".join(f"({group})" for group in groups)

    def within(column):
        return " AND ".join(f"{{{column}}} : ({group})" for group in groups)

    def tier(level):
        """One full-text query true of exactly the tier's stories: every word,
        every word in each column of the tier, and not in the others."""
        # A column holding every word implies the story does.
        expression = " AND ".join(
            [f"({within(column)})" for column, bit in _SQLITE_WEIGHTS if level & bit]
            or [f"({everything})"]
        )
        for column, bit in _SQLITE_WEIGHTS:
            if not level & bit:
                expression = f"({expression}) NOT ({within(column)})"
        # Walked: a unary + keeps SQLite from driving the query by the matching
        # ids; it walks the stories by date and checks each against the tier.
        return Condition(
            f"{{id}} IN ({_MATCH})", [expression], walk_sql=f"+{{id}} IN ({_MATCH})"
        )

    # A candidate's level: the bits of the columns holding every word, when it
    # matches at all (each match set read once, as the tiers' are).
    bits = " + ".join(
        f"({{id}} IN ({_MATCH})) * {bit}" for _column, bit in _SQLITE_WEIGHTS
    )
    level = f"CASE WHEN {{id}} IN ({_MATCH}) THEN {bits} END"
    columns = [within(column) for column, _bit in _SQLITE_WEIGHTS]
    return Ranked(
        stories,
        _levels(_SQLITE_WEIGHTS),
        tier,
        _candidates(candidates, level, [everything, *columns]),
    )


def _candidates(rows, level, params):
    """search_ranking.Candidates of `rows` (`story` and `published` values), the
    story id's column read from the queryset itself."""
    if rows is None:
        return None
    column, _params = rows.query.get_compiler(rows.db).compile(
        rows.query.annotations["story"]
    )
    return Candidates(rows, column, level, params)


def _levels(weights):
    """Every tier's level (a sum of weights), highest first."""
    levels = {0}
    for _name, bit in weights:
        levels |= {level + bit for level in levels}
    return sorted(levels, reverse=True)


_MATCH = "SELECT rowid FROM articles_search WHERE articles_search MATCH %s"
# A lexeme as a tsquery prints it: quoted, a quote inside doubled.
_LEXEME = re.compile(r"('(?:[^']|'')*')")


def _search_postgresql(stories, words, languages, candidates=None):
    """Match with the tsquery `articles_search_query` builds (search_schema), asked
    for once and then written into each statement as a constant (the planner
    folded the function, and its weighted copies, once per mention: 3 to 4 ms of
    planning a statement); rank by the weights holding every word: headline (A,
    2) and topics or dek (B, 1), summed.

    A tier is one subquery of the index table, `id IN (SELECT rowid ...)`. A dense
    tier is walked newest first along the visible stories' date index: near the
    top each story's own document is checked as the walk meets it (page 1 of
    "junta ceasefire", 6,665 matches: 33 -> 4 ms); deeper, written `(... IN ...)
    IS TRUE`, which the planner cannot turn into a join driven by the matches,
    the matching ids are read into a hash once (page 50: 62 -> 31 ms)."""
    configs = sorted({pg_config(language) for language in languages})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT articles_search_query(%s::text[], %s::text[])::text",
            [list(words), configs],
        )
        (query,) = cursor.fetchone()
    if not query:  # every word a stop word: nothing to match
        return stories.none()
    # "Every word in the headline": each lexeme labelled A (B: topics or dek),
    # which the document answers as it stands (ts_filter row by row: 13 ms
    # against 2.5 ms over 27,000 matches).
    weighted = {
        weight: _LEXEME.sub(rf"\1:{weight}", query) for weight, _bit in _PG_WEIGHTS
    }

    def tier(level):
        tests = " AND ".join(
            ["document @@ %s::tsquery"]
            + [
                f"{'' if level & bit else 'NOT '}document @@ %s::tsquery"
                for _weight, bit in _PG_WEIGHTS
            ]
        )
        params = [query] + [weighted[weight] for weight, _bit in _PG_WEIGHTS]
        members = f"{{id}} IN (SELECT rowid FROM articles_search WHERE {tests})"
        return Condition(
            members,
            params,
            # Kept from becoming a join (which the matches would drive): the
            # members are read into a hash once, the date index walked.
            walk_sql=f"({members}) IS TRUE",
            # A correlated scalar subquery: each story's document read as the
            # walk meets it (4 microseconds), no member set built first.
            near_sql=f"(SELECT {tests} FROM articles_search WHERE rowid = {{id}})",
        )

    # A candidate's level, from its own document: the bits of the weights holding
    # every word, when it matches at all.
    bits = " + ".join(
        f"(document @@ %s::tsquery)::int * {bit}" for _weight, bit in _PG_WEIGHTS
    )
    level = (
        f"(SELECT CASE WHEN document @@ %s::tsquery THEN {bits} END "
        "FROM articles_search WHERE rowid = {id})"
    )
    weights = [weighted[weight] for weight, _bit in _PG_WEIGHTS]
    return Ranked(
        stories,
        _levels(_PG_WEIGHTS),
        tier,
        _candidates(candidates, level, [query, *weights]),
    )


def highlight(text, query):
    """`text` escaped, with the words matching `query` wrapped in <mark>."""
    return mark_safe(_marked(_TOKENS.split(text), _keys(query)))


def excerpt(story, query, words=EXCERPT_WORDS):
    """A window of `words` words of the story's text around its first matched word
    (a third of them before it), highlighted. The text is read only as far as the
    window's end: a long story whose word comes early costs what a short one does.
    A window that reaches the text's end keeps its last stop."""
    # The dek is plain text already; the body's visible text is kept beside it.
    text = " ".join(f"{story.dek} {story.body_text}".split())
    wanted, before = _keys(query), words // 3
    tokens = _TOKENS.finditer(text)
    recent = collections.deque(maxlen=before + 2)  # the last words read
    head, first, read = [], None, 0  # the first `words` words, when none matches
    for index, token in enumerate(tokens):
        read = index + 1
        recent.append(token)
        if index < words:
            head.append(token)
        if _key(token.group()) in wanted:
            first = index
            break
    if first is None:
        window, skipped, previous = head, 0, None
    else:
        window = list(recent)[-(min(first, before) + 1) :]
        skipped = first + 1 - len(window)
        previous = recent[-len(window) - 1] if skipped else None
        window.extend(itertools.islice(tokens, words - len(window)))
    more = (next(tokens, None) is not None) if first is not None else read > words
    # From the separator before the window's first word; to its last word, or to
    # the text's end (its last stop kept) when no word follows the window.
    begin = previous.end() if previous else 0
    stop = window[-1].end() if more else len(text)
    marked = _marked(_TOKENS.split(text[begin:stop]), wanted).strip()
    return mark_safe(f"{'… ' if skipped else ''}{marked}{' …' if more else ''}")


@functools.lru_cache(maxsize=8192)
def _key(word):
    """What marking compares: the folded word less a plural or feminine ending, so
    `charters` marks `charter` and `élections` marks `Élection` (a light stand-in
    for the engines' stemmers, for display only). Remembered: a results page
    compares a few hundred words, most of them common ones."""
    folded = fold(word)
    if folded.endswith("aux") and len(folded) > 4:
        return folded[:-3] + "al"
    for ending in ("s", "x", "e"):
        if folded.endswith(ending) and len(folded) > 3:
            folded = folded[: -len(ending)]
    return folded


def _keys(query):
    return {_key(term) for term in terms(query)}


def _marked(parts, wanted):
    """Split text (separators at even indexes, words at odd ones) joined again,
    escaped, the wanted words marked. A word is letters and digits only, so only
    the separators need escaping (plain strings: the standard library's escape,
    as Django's, without its check for lazy text on each of a page's thousand
    parts)."""
    return "".join(
        (f"<mark>{part}</mark>" if _key(part) in wanted else part)
        if index % 2
        else html.escape(part)
        for index, part in enumerate(parts)
    )
