"""Answering while the database does not answer: the 503 pages.

A page the page cache holds is still served, marked `X-Page-Cache: stale`
(pagecache/stale.py says which: only pages that were current when the database
was last seen). Anything else gets the short page below, status 503 with
`Retry-After`: no template, no context processor, no query, so it renders with
the database gone; a POST gets it with every field it sent, ready to post again.
`/healthz` says what is down (pagecache/health.py). Nothing needs restarting:
every request tries the database again (at most once every
`DATABASE_BREAKER_SECONDS` per process for cached pages).
"""

import logging
import sys
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.html import escape, format_html, format_html_join
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
    return _response(PAGE.format(site=escape(settings.SITE_NAME)))


def _response(page):
    response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(settings.OUTAGE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    response.outage = True
    return response


UNSAVED = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Not saved · {site}</title>
<style>body{{font:1rem/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;
padding:0 1rem;color:#222}}textarea,input{{width:100%;font:inherit}}
label{{display:block;margin:1rem 0 .2rem;font-weight:600}}</style>
</head>
<body>
<h1>Not saved</h1>
<p>The database did not answer; nothing was saved. Your text is still below — try
Save again in a moment.{files}</p>
<form method="post" action="{action}" enctype="multipart/form-data">
<input type="hidden" name="csrfmiddlewaretoken" value="{token}">
{fields}
<p><button type="submit">Save again</button></p>
</form>
</body>
</html>
"""
# Formset bookkeeping, sent back unseen; passwords are never echoed.
HIDDEN_SUFFIXES = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")


def unsaved_post(request):
    """A 503 for a POST the database did not take: a bare page holding every field
    that was sent, in a form that posts them again to the same address."""
    fields = []
    for name, values in request.POST.lists():
        if name == "csrfmiddlewaretoken" or "password" in name:
            continue
        for value in values:
            if name.endswith(HIDDEN_SUFFIXES):
                fields.append(('<input type="hidden" name="{}" value="{}">', name,
                               value))  # fmt: skip
            else:
                lines = min(20, 2 + value.count("\n") + len(value) // 80)
                fields.append(('<label>{}</label><textarea name="{}" rows="{}">{}'
                               "</textarea>", name, name, lines, value))  # fmt: skip
    files = ""
    if request.FILES:
        files = " Files you chose must be chosen again."
    page = format_html(
        UNSAVED,
        site=settings.SITE_NAME,
        files=files,
        action=request.get_full_path(),
        token=get_token(request),
        fields=format_html_join("\n", "{}", ((format_html(*f),) for f in fields)),
    )
    return _response(page)


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
            return unsaved_post(request) if request.POST else unavailable()
        return None


def server_error(request):
    """handler500: an outage met outside a view (a middleware saving the session)
    is a 503 as well; anything else is Django's own 500 page."""
    error = sys.exc_info()[1]
    if error is not None and is_outage(error):
        warn(error)
        return unsaved_post(request) if request.POST else unavailable()
    return defaults.server_error(request)
