"""What makes two requests the same page.

One entry per page as a reader sees it: scheme, host, path (whose prefix names
the language: no cookie or `Accept-Language` makes two pages of one), and the
query parameters the page reads, which the content apps register by URL name
(`register_reads`; a page nobody registered reads none). The other parameters
are removed from the request before the view runs, so they cannot change the
page (nor the links it draws from the address: canonical, language switcher, API
`next`). Each kept parameter is reduced to the value the view uses (the last one
given; a number in one spelling), so `?page=2&utm_source=x`, `?page=02` and
`?page=2` are one entry (their order is kept: the API's links repeat it).

A page reached through free text (a search, a page "number" that is not one) can
take any number of addresses: it is kept in each worker's own bounded memory,
never in the shared cache, as are 301s and 404s (any path may be one).
"""

import functools
import hashlib
import re
from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.urls import Resolver404, get_urlconf, resolve

NUMBER, TEXT = "number", "text"
A_NUMBER = re.compile(r"\s*[+-]?[0-9]{1,18}\s*").fullmatch

# The query parameters each page reads, by URL name: {view name: {name: kind}}.
_READS = {}


def register_reads(view_name, params):
    """Say which query parameters the page at URL name `view_name` reads, as
    {name: NUMBER or TEXT}. A page reads nothing else: a view that starts reading
    another parameter must register it, or it never sees it."""
    unknown = {kind for kind in params.values() if kind not in (NUMBER, TEXT)}
    if unknown:
        raise ValueError(f"{view_name}: kinds must be NUMBER or TEXT, not {unknown}")
    _READS[view_name] = dict(params)
    _reads.cache_clear()


@functools.lru_cache(maxsize=1024)
def _reads(urlconf, path):
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return {}
    return _READS.get(match.view_name, {})


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


def cache_key(request):
    """One entry per page as a reader sees it: scheme, host and full path (call it
    after `keep_what_the_page_reads`).

    The address alone decides a page, its language included (an edition's
    prefix, or a story's own language): neither a cookie nor `Accept-Language`
    makes two entries of one address.
    """
    parts = "|".join([request.scheme, request.get_host(), request.get_full_path()])
    # The version names the entry's layout, so servers of two releases sharing
    # one Redis never read each other's entries.
    return "page:v3:" + hashlib.sha256(parts.encode()).hexdigest()
