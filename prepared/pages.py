"""A public page from its prepared copy, or rendered and kept for the next
reader (`serve`)."""

import hashlib
import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from edge import changes, collector, headers
from pagecache import entries, generation, keys
from pagecache.clocks import micros
from pagecache.middleware import is_public_get

from . import release, store

logger = logging.getLogger(__name__)

HEADER = "X-Prepared"
# Set on the way out by the middleware around this one, or per answer.
NOT_KEPT = {"content-length", "content-encoding", "x-page-cache", HEADER.lower()}


def seconds():
    """How long a copy holds at most (PREPARED_PAGE_SECONDS; 0: never kept).

    What a page's keys do not name can change it too: the stories a story's
    related list picks among, once another one is published on its topics.
    Such a list catches up within this long. None are kept while changes are
    not recorded (EDGE_RECORD_CHANGES): nothing would tell a copy it is stale.
    """
    if not changes.enabled():
        return 0
    return getattr(settings, "PREPARED_PAGE_SECONDS", 3600)


def address(request):
    """One copy per page a reader can reach with this release: scheme, host,
    path and the query parameters the page reads (`pagecache.keys`)."""
    parts = "|".join(
        [release.fingerprint(), request.scheme, request.get_host(),
         request.get_full_path()]
    )  # fmt: skip
    return hashlib.sha256(parts.encode()).hexdigest()


def answer(request, copy):
    if entries.ACCEPTS_GZIP(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(copy.gzipped)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(copy.content)
    for name, value in copy.headers:
        response[name] = value
    patch_vary_headers(response, ["Accept-Encoding"])
    response["Content-Length"] = str(len(response.content))
    for key in copy.items:
        collector.shown(key)
    collector.tag(*copy.lists)
    response[HEADER] = "hit"
    return response


# Query parameters a kept page may have: page numbers, which end where the
# content does (past the last page is a 404, never kept). Any other (the API's
# page sizes, filters) would let a crawler write copies without end.
KEPT_PARAMETERS = {"page", "p"}


def eligible(request):
    """A GET for a public page at an address the content bounds: never free
    text (a search), nor parameters other than a page number."""
    if seconds() <= 0 or request.method != "GET" or not is_public_get(request):
        return False
    if keys.keep_what_the_page_reads(request):
        return False
    return set(request.GET) <= KEPT_PARAMETERS


def serve(request, render):
    """The page at this address: its prepared copy while it holds, else
    `render(request)`'s answer, kept when any reader could have had it.

    The copy is checked against the keys it was rendered with (`store.read`);
    it is kept with the generation read before rendering, so a change that
    commits while it renders makes it stale at once. With the database away,
    the page is rendered (and the outage answered) as without copies.
    """
    if not eligible(request):
        return render(request)
    key = address(request)
    try:
        copy = store.read(key)
        state = None if copy is not None else generation.content_state()
    except DatabaseError as error:
        logger.warning("Prepared pages unread: %s", error)
        return render(request)
    if copy is not None:
        return answer(request, copy)
    response = render(request)
    shown = collector.current()
    if state is None or shown is None or not keepable(request, response):
        return response
    # The lists the page is by its address (home, a feed...), as the edge's
    # headers will name them.
    shown.lists.update(headers.list_keys(request))
    if not shown.items and not shown.lists:
        return response  # it names nothing a change could make stale: not kept
    version, next_change = state
    expires = micros(timezone.now()) + seconds() * 1_000_000
    if next_change is not None:
        expires = min(expires, next_change)
    store.write(
        key,
        path=request.get_full_path(),
        content=response.content,
        headers=[(k, v) for k, v in response.items() if k.lower() not in NOT_KEPT],
        keys=shown,
        generation=version,
        expires=expires,
    )
    response[HEADER] = "miss"
    return response


def keepable(request, response):
    """A whole 200 page, plain and public, as the page cache would share it."""
    return (
        response.status_code == 200
        and not response.has_header("Content-Encoding")
        and entries.response_is_cacheable(request, response)
    )
