"""What makes two requests the same page, for the page cache (articles/cache.py).

Only the query parameters a page reads vary it: the rest are removed from the
request before the view runs, so they cannot change the page (nor the links it
draws from the address: canonical, language switcher, API `next`). Each kept
parameter is reduced to the value the view uses (the last one given; a number in
one spelling), so `?page=2&utm_source=x`, `?page=02` and `?page=2` are one entry
(their order is kept: the API's links repeat it).

A page reached through free text (a search, a page "number" that is not one) can
take any number of addresses: it is kept in each worker's own bounded memory,
never in the shared cache, as are 301s and 404s (any path may be one).
"""

import functools
import re
from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.urls import Resolver404, get_urlconf, resolve

NUMBER, TEXT = "number", "text"
A_NUMBER = re.compile(r"\s*[+-]?[0-9]{1,18}\s*").fullmatch

# The query parameters each public page reads, by URL name. A view that starts
# reading another one must be listed here: without it, it never sees it.
READS = {
    "articles:topic_detail": {"page": NUMBER},
    "articles:topic_timeline": {"page": NUMBER},
    "articles:author_detail": {"page": NUMBER},
    "articles:corrections": {"page": NUMBER},
    "articles:search": {"q": TEXT, "topic": TEXT, "page": NUMBER},
    "django.contrib.sitemaps.views.sitemap": {"p": NUMBER},
    "sitemap_section": {"p": NUMBER},
    "news_sitemap": {"p": NUMBER},
    "api:story_list": {"page": NUMBER, "page_size": NUMBER, "topic": TEXT},
    "set_language": {"next": TEXT, "language": TEXT},
}


@functools.lru_cache(maxsize=1024)
def _reads(urlconf, path):
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return {}
    return READS.get(match.view_name, {})


def reads(request):
    """The query parameters the page at this address reads: {name: kind}."""
    return _reads(get_urlconf(), request.path_info)


def _number(value):
    """One spelling per number (`02`, `+2` and `2` are page 2); None if not one."""
    return str(int(value)) if A_NUMBER(value) else None


def keep_what_the_page_reads(request):
    """Drop the query parameters the page does not read; keep one value of each.

    Returns True when the address is free text (any number of pages may look like
    it), so its answer belongs in the worker's own memory only.
    """
    wanted = reads(request)
    kept, free_text = {}, False
    for name, value in request.GET.lists() if wanted else ():
        kind = wanted.get(name)
        value = value[-1]  # what `request.GET[name]` gives the view
        if kind is None:  # unread: it cannot change the page
            continue
        if kind == NUMBER and _number(value) is not None:
            value = _number(value)
        else:
            free_text = True
        kept[name] = value
    query = urlencode(kept)
    if query != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = query
        request.__dict__.pop("GET", None)  # parsed again from the new string
    return free_text


def has_live_session(request):
    """True when the request carries a session the server knows (a desk member's):
    they always get freshly rendered pages. A made-up or expired session cookie
    does not turn the cache off. Reads the session store (one query) only when a
    well-formed cookie is there."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    if store.session_key is None:  # not even well-formed
        return False
    data = store.load()  # forgets the key when no such live session exists
    return bool(data) or store.session_key is not None
