"""Edge caching with exact purges: shared-cache headers on public answers, the
surrogate keys that name what each shows, and an outbox of purges sent to the
edge (Varnish with xkey, Fastly, Cloudflare) once the change has committed.

Dependency rule: `edge` imports `pagecache` (which answers are public) and NOTHING
of `articles`; the content app says, from its `AppConfig.ready()`:

- `collector.shown(key)` / `collector.tag(key)`: what a page shows, as it is
  rendered (a story, a topic, a byline; the list it is);
- `headers.page_keys(func)`: the list keys of a page, from its address;
- `outbox.watch(models, keys_for=..., m2m_keys_for=...)`: which keys a write
  purges; `outbox.enqueue(keys, reason=...)` for writes that send no signal;
- `clock.windows(func)`: the keys of pages that change by the clock alone.

The key scheme is the content app's (articles/edge_keys.py); three are this
app's own: `site` (every public answer: purging it empties the edge), `big` (a
page that shows more items than EDGE_MAX_KEYS names: purged with any item) and
`missing` (every 404: purged when an address may have come to exist).

Inside the package, modules import downwards only:

    apps | admin | management
    middleware                  the request: collect, then write the headers
    headers | clock             Cache-Control and key headers; clock catch-up
    outbox                      rows written with the change, sent after commit
    sending                     the outbox sent: coalesced, rate-limited, retried
    backends                    the purge APIs (Varnish, Fastly, Cloudflare)
    collector                   what this request showed
    conf                        settings and their defaults
    models                      Purge, PurgeCall, ClockMark
"""

SITE, BIG, MISSING = "site", "big", "missing"
