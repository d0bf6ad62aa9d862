"""A stored page: what may be kept, where, and how it comes back.

An entry is (generation, status, headers, body, gzipped body). It is valid while
its generation is current, wherever it is kept: in the shared cache (Redis, or a
process's local memory without it) and in each worker's own bounded memory
(`recent`): copies of the shared entries it served last, and the answers that
never go to the shared cache (see pagecache/keys.py).
"""

import gzip
import re
import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

HEADER = "X-Page-Cache"
# 200s go to the shared cache (unless reached through free text); 301s and 404s,
# which any made-up address can be, stay in each worker's bounded memory.
CACHEABLE_STATUSES = {200, 301, 404}
# Headers a page may vary on that the key already covers.
KEYED_VARY = {"accept-language", "cookie", "accept-encoding"}
ACCEPTS_GZIP = re.compile(r"\bgzip\b").search


class RecentEntries:
    """Entries this worker holds in its own memory, bounded by count, least
    recently used out first: copies of the shared cache's entries it served last,
    and the pages that never go to the shared cache (see `keys`). Validity
    is still decided by the generation each entry carries.
    """

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


recent = RecentEntries(size=256)


def _shared_cache():
    return not isinstance(caches[DEFAULT_CACHE_ALIAS], LocMemCache)


def lookup(key, generation):
    """The cached entry for `key` valid at `generation`, or None."""
    entry = recent.get(key)
    if entry is not None and entry[0] == generation:
        return entry
    entry = cache.get(key)
    if entry is None or entry[0] != generation:
        return None
    if _shared_cache():
        recent.put(key, entry)
    return entry


def store(key, entry, *, shared):
    """Keep `entry`; in the shared cache only when `shared` (a bounded address)."""
    if shared:
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    if not shared or _shared_cache():
        recent.put(key, entry)


def response_is_cacheable(request, response):
    """Only plain public answers: no cookie, no CSRF token, nothing private."""
    if response.status_code not in CACHEABLE_STATUSES or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v}
    return vary <= KEYED_VARY


def answer(request, entry, state):
    """The response for a cached entry; `state` goes in X-Page-Cache."""
    _, status, headers, content, compressed = entry
    gzipped = compressed and ACCEPTS_GZIP(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    body = compressed if gzipped else content
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(body))
    if gzipped:
        response["Content-Encoding"] = "gzip"
    if compressed:
        patch_vary_headers(response, ["Accept-Encoding"])
    response[HEADER] = state
    return response


def entry_for(generation, response):
    headers = [
        (k, v) for k, v in response.items() if k not in (HEADER, "Content-Length")
    ]
    content = response.content
    # Compressed once here, so every hit a browser makes sends a fraction of the
    # bytes for no work at all.
    compressed = None
    if len(content) >= 1024 and not response.has_header("Content-Encoding"):
        compressed = gzip.compress(content, compresslevel=6, mtime=0)
        patch_vary_headers(response, ["Accept-Encoding"])
    return (generation, response.status_code, headers, content, compressed)
