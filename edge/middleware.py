"""The edge's middleware: collect what a public page shows, then say it."""

from pagecache.middleware import is_public_get

from . import collector, headers


class EdgeHeadersMiddleware:
    """Shared-cache headers and surrogate keys on public GETs.

    Goes right after the page cache's middleware: it sees the answer after
    sessions, CSRF and messages have had their say (a cookie set keeps it
    private), and the page cache stores the headers it adds, so a hit carries
    them too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_get(request):
            return self.get_response(request)
        token = collector.start()
        try:
            response = self.get_response(request)
            keys = collector.current()
        finally:
            collector.stop(token)
        headers.decorate(request, response, keys)
        return response
