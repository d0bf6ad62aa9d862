"""Pages prepared ahead: each public page's answer kept in the database with
the surrogate keys of what it shows, and served again while none of those keys
has changed since it was rendered.

The page cache answers an address at one content generation, so any change
anywhere empties it. A prepared page survives every change that does not touch
what it shows: `edge.changes` records, in each change's own transaction, the
generation at which each key last changed. So a cold request (a crawler in the
archive, an editor, the first reader after someone else's story went out) costs
two queries and no template, on every app server, and survives restarts.

A copy holds until the first of: a change to a key it names (or `site`); the
next moment the clock changes a page (a scheduled story, an expiry); its
PREPARED_PAGE_SECONDS (what keys do not name: a story's related list picking
among stories published since); another release (`release.fingerprint`).
Searches and other free-text addresses are never kept.

Dependency rule: `prepared` imports `edge` (what a page shows, and when that
changed) and `pagecache` (the generation, which requests are public); NOTHING
of `articles`.

Inside the package, modules import downwards only:

    apps | middleware | management     (prune_prepared: expired copies deleted)
    pages            a request: the copy, or the page rendered and kept
    store | release  a copy read if it holds, written without waiting; the release
    models           PreparedPage
"""
