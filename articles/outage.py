"""Serving while the database does not answer.

A page the page cache holds is still served, marked `X-Page-Cache: stale`
(articles/cache.py says which: only pages that were current when the database
was last seen). Anything else gets the short page below, status 503 with
`Retry-After`: no template, no context processor, no query, so it renders with
the database gone. `/healthz` says what is down. Nothing needs restarting: every
request tries the database again (at most once every
`DATABASE_BREAKER_SECONDS` per process for cached pages).
"""

import logging
import sys
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.utils.html import escape
from django.views import defaults

logger = logging.getLogger(__name__)

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Back in a moment · {site}</title>
<style>body{{font:1.1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;
padding:0 1rem;color:#222}}</style>
</head>
<body>
<h1>Back in a moment</h1>
<p>{site} cannot reach its archive just now. Please try again in a minute.</p>
<p lang="fr">{site} ne peut pas joindre ses archives pour le moment. Réessayez dans
une minute.</p>
</body>
</html>
"""


def is_outage(error):
    """True when `error` means the database did not answer (refused, lost, timed
    out, locked, unreadable), not that a query was wrong (integrity, programming
    errors stay 500s: they are bugs, and retrying will not help)."""
    return isinstance(error, OperationalError | InterfaceError) or (
        type(error) is DatabaseError
    )


_last_warning = [float("-inf")]


def warn(error):
    """Log an outage once every few seconds per process, not on every request."""
    now = time.monotonic()
    if now - _last_warning[0] >= 10:
        _last_warning[0] = now
        logger.warning("The database does not answer: %s", error)


def unavailable():
    """The 503 page: safe to build with the database gone."""
    page = PAGE.format(site=escape(settings.SITE_NAME))
    response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(settings.OUTAGE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    response.outage = True
    return response


class DatabaseOutageMiddleware:
    """Innermost middleware: a view or template that finds the database gone
    answers 503 instead of 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_outage(exception):
            warn(exception)
            return unavailable()
        return None


def server_error(request):
    """handler500: an outage met outside a view (a middleware saving the session)
    is a 503 as well; anything else is Django's own 500 page."""
    error = sys.exc_info()[1]
    if error is not None and is_outage(error):
        warn(error)
        return unavailable()
    return defaults.server_error(request)


def health():
    """(status, text) for /healthz: plain lines saying what is down.

    The database down is a 503: nothing but cached pages can be served. Redis
    down alone is a 200 with a warning line: every page is still served (from the
    database and each worker's own memory), and a load balancer that took every
    server out because the shared cache failed would turn a slowdown into an
    outage.
    """
    from . import cache

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception as error:  # whatever stops the query, the database is down
        warn(error)
        database = "down"
    redis = cache.redis_health()
    if database == "down":
        lines = ["database: down"] + ([f"redis: {redis}"] if redis else [])
        return 503, "\n".join(lines) + "\n"
    if redis == "down":
        return 200, "ok\nredis: down (pages are served without the shared cache)\n"
    return 200, "ok"
