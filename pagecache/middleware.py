"""The page cache's middleware: anonymous GETs answered from the cache."""

from django.conf import settings
from django.db import DatabaseError

from . import entries, flight, keys, outage, stale
from .generation import current_generation


def is_public_get(request):
    """A GET for a public page: what the page cache may answer (never the paths
    settings.PAGE_CACHE_SKIP_PATHS starts with: the desk, previews, /healthz)."""
    return request.method == "GET" and not request.path.startswith(
        tuple(settings.PAGE_CACHE_SKIP_PATHS)
    )


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs from the cache while the content generation holds.

    Anyone with a live session (the desk) always gets a freshly rendered page.
    Goes right after the security and static-file middleware, as Django's own
    FetchFromCacheMiddleware does: a hit skips sessions, CSRF, auth and messages,
    which an anonymous cached page has no use for, while the headers the inner
    middleware set on the rendered page (X-Frame-Options, Content-Language, Vary)
    are stored with it and the outer ones still run on every answer.

    While the database does not answer, pages that were current when it was last
    seen are served (`X-Page-Cache: stale`); anything else gets the outage page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_get(request):
            return self.get_response(request)
        cache_on = settings.PAGE_CACHE_SECONDS > 0
        try:
            if cache_on:
                if keys.has_live_session(request):  # the desk: always fresh
                    return self.get_response(request)
            elif settings.SESSION_COOKIE_NAME in request.COOKIES:
                return self.get_response(request)
            free_text = keys.keep_what_the_page_reads(request)
            if not cache_on:
                return self.get_response(request)
            key = keys.cache_key(request)
            generation = current_generation(guarded=True)
        except DatabaseError as error:
            if not outage.is_outage(error):
                raise
            outage.warn(error)
            stale.database_unreachable()
            keys.keep_what_the_page_reads(request)
            return self.during_outage(request, keys.cache_key(request))
        if generation is None:
            return self.get_response(request)
        entry = entries.lookup(key, generation)
        if entry is not None:
            return entries.answer(request, entry, "hit")
        # One request renders a page at a generation; the others wait for its
        # copy (pagecache/flight.py). Free-text addresses are never shared.
        claimed = not free_text and flight.claim(key, generation)
        if not free_text and not claimed:
            entry = flight.wait_for(key, generation)
            if entry is not None:
                return entries.answer(request, entry, "hit")
        try:
            response = self.get_response(request)
            if getattr(response, "outage", False):
                stale.database_unreachable()
                return self.during_outage(request, key)
            if entries.response_is_cacheable(request, response):
                shared = response.status_code == 200 and not free_text
                entry = entries.entry_for(generation, response)
                entries.store(key, entry, shared=shared)
                response[entries.HEADER] = "miss"
            return response
        finally:
            if claimed:
                flight.release(key, generation)

    @staticmethod
    def during_outage(request, key):
        generation = stale.last_known_generation()
        entry = entries.lookup(key, generation) if generation is not None else None
        if entry is None:
            return outage.unavailable()
        return entries.answer(request, entry, "stale")
