"""The prepared pages' middleware: public pages from their prepared copies."""

from . import pages


class PreparedPagesMiddleware:
    """Answer a public GET from its prepared copy while nothing it shows has
    changed; else render it and keep it.

    Goes right inside the edge's middleware, which collects what the page shows
    (the copy's keys) and writes it in the headers, and before sessions, CSRF
    and auth, which a public page has no use for: a copy costs two queries.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return pages.serve(request, self.get_response)
