"""The page cache: whole pages for anonymous readers, exact to the last change,
and serving through a Redis or database outage.

Dependency rule: `pagecache` imports NOTHING of `articles` (nor of any other app
of this project); it knows requests, responses, one database row and Redis. The
content app tells it what matters, from its `AppConfig.ready()`:

- `writes.watch(models, changes_pages=..., m2m_changes_pages=...)`: the models
  whose saves, deletes and many-to-many changes readers may see, and the rule
  that says which ones they do; each such change bumps the generation.
- `generation.bump()`: a change that sent no signal (`QuerySet.update()`,
  `bulk_create()`), called in the transaction that made it.
- `clocks.upcoming(func)`: moments a page changes by the clock alone (a
  scheduled story going live, a sitemap's window closing).
- `keys.register_reads(view_name, params)`: the query parameters a page reads.

Inside the package, modules import downwards only (checked by import-linter,
`pyproject.toml`):

    apps
    middleware | writes | health        the request, the signals, /healthz
    generation                          the row, bumped once per transaction
    stale | flight                      what may be served while the database is away;
                                        one render per page and generation
    mirror | keys | entries | outage    Redis's copy of the row, what makes a page,
                                        a stored page, the 503 pages
    clocks | breaker                    registered moments, circuit breakers
    models                              ContentGeneration
"""
