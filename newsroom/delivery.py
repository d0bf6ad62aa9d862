"""How answers leave the app: files served early, and which answers are gzipped."""

import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import has_vary_header
from django.views.static import serve

# Uploads are stored under names that never hold other bytes (content-hashed, or
# random before: articles/images.py), so browsers and shared caches may keep a copy
# for a year without asking again. Objects in a bucket carry the same header
# (newsroom/media_settings.py).
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"
# /favicon.ico keeps its name, so a week: a new icon reaches everyone by then.
FAVICON_CACHE_CONTROL = "public, max-age=604800"


@cache
def favicon_bytes():
    return Path(finders.find("favicon.ico")).read_bytes()


class FilesMiddleware:
    """Answer /favicon.ico and uploads under MEDIA_URL before the page machinery.

    Browsers, feed readers and crawlers ask for /favicon.ico whatever a page
    links; without an answer each of them got the whole 404 page. Uploads are the
    same for every reader: served here they skip the page cache, sessions and
    the language machinery. Uploads are served
    only with DJANGO_SERVE_MEDIA on; behind a CDN or shared storage it is off.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.media_prefix = urlsplit(settings.MEDIA_URL).path

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.path == "/favicon.ico":
            response = HttpResponse(favicon_bytes(), content_type="image/x-icon")
            response["Cache-Control"] = FAVICON_CACHE_CONTROL
            return response
        if settings.SERVE_MEDIA and request.path.startswith(self.media_prefix):
            path = request.path.removeprefix(self.media_prefix)
            try:
                # MEDIA_ROOT read per request, so tests can give each run its own.
                response = serve(request, path, document_root=settings.MEDIA_ROOT)
            except Http404:
                return self.get_response(request)  # the site's own 404 page
            response["Cache-Control"] = MEDIA_CACHE_CONTROL
            return response
        return self.get_response(request)


# Text answers; images, fonts and archives are compressed already.
COMPRESSIBLE = re.compile(
    r"text/|application/(json|xml|javascript|[\w.-]+\+(xml|json))|image/(svg\+xml|x-icon)"
)


class PublicGZipMiddleware(GZipMiddleware):
    """Django's gzip for every text answer that is the same for all readers.

    It sits outside the page cache: a stored page is gzipped once when stored, and
    a fresh one (a miss, or any page for someone logged in) is gzipped here.

    BREACH: over TLS, an attacker who can make a victim's browser send requests
    and watch the compressed sizes may recover a secret from a page that also
    echoes text the attacker chose. Django masks the CSRF token afresh on every
    answer and pads gzip output with random bytes (Heal The Breach), which makes
    that slow but not impossible. Desk pages carry unpublished work, session-bound
    data and a CSRF token, and echo search terms, so we do not compress anything
    that depends on a cookie: Django marks such an answer `Vary: Cookie` whenever
    it reads the session or hands out a CSRF token, and answers setting a cookie
    are left alone too. Public pages, feeds, sitemaps and the API hold no secret
    and are compressed for everyone, editors included.
    """

    def process_response(self, request, response):
        if response.cookies or has_vary_header(response, "Cookie"):
            return response
        if not COMPRESSIBLE.match(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)
