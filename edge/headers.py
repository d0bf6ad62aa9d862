"""Shared-cache headers: public answers say how long an edge may keep them, and
name what they show (`xkey` for Varnish; `Surrogate-Key` for Fastly or
`Cache-Tag` for Cloudflare, per EDGE_PURGE_BACKEND).

An answer is public exactly when the page cache would keep it
(`pagecache.entries.response_is_cacheable`: a 200, 301 or 404 with no cookie,
no CSRF token, nothing private) and the request carries no session cookie; the
page cache stores these headers with the page, so its hits say the same. Any
other answer to a public address is marked `private`.
"""

from django.conf import settings

from pagecache import entries

from . import MISSING, SITE, conf

_page_keys = []


def page_keys(func):
    """Register `func(request) -> iterable of keys`: the lists a page is (the
    content app knows them from the address)."""
    if func not in _page_keys:
        _page_keys.append(func)
    return func


def list_keys(request):
    """The lists the page at this address is, as the content app says."""
    found = set()
    for func in _page_keys:
        found.update(func(request))
    return found


def is_public(request, response):
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and (
        entries.response_is_cacheable(request, response)
    )


def cache_control(status):
    shared = conf.get("EDGE_CACHE_SECONDS")
    browser = conf.get("EDGE_BROWSER_SECONDS")
    if status != 200:
        shared = min(shared, conf.get("EDGE_CACHE_404_SECONDS"))
        browser = min(browser, shared)
    return (
        f"public, max-age={browser}, s-maxage={shared}, "
        f"stale-while-revalidate={conf.get('EDGE_STALE_WHILE_REVALIDATE')}, "
        f"stale-if-error={conf.get('EDGE_STALE_IF_ERROR')}"
    )


def decorate(request, response, keys):
    """Mark `response` public with its keys, or private."""
    if not is_public(request, response):
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private"
        return
    response["Cache-Control"] = cache_control(response.status_code)
    keys.lists.update(list_keys(request))
    keys.lists.add(SITE)
    if response.status_code == 404:
        keys.lists.add(MISSING)
    names = keys.header_keys()
    response["xkey"] = " ".join(names)
    backend = conf.get("EDGE_PURGE_BACKEND")
    if backend == "fastly":
        response["Surrogate-Key"] = " ".join(names)
    elif backend == "cloudflare":
        response["Cache-Tag"] = ",".join(names)
