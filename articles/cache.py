"""The anonymous page cache, and the one rule that keeps it honest.

Anonymous readers get whole pages from the cache; anyone with a session (editors)
never does. Each cached page carries the *content generation* it was rendered at,
a number kept in one database row (`ContentGeneration`) and bumped in the same
transaction as any change to public content, once per transaction:

- saving or deleting a model of the articles app, and every many-to-many change
  (topics, bylines), through Django's signals, when readers can see the change
  (`articles/invalidation.py` weighs each write: a draft's save changes nothing);
- the desk's bulk actions in `articles/services.py` (`QuerySet.update()` sends no
  signal), `seed_corpus` and `load_demo`, which call `bump()` themselves.

The same row keeps the next scheduled change (the earliest future publication time
or expiry of a published story, or any moment registered with `upcoming`). It is
looked up once the bump commits, or by the first reader to find it missing. The
first request after that moment bumps the generation, so a scheduled story
appears, and an expired one goes, with nobody saving anything.

A hit costs one primary-key read of that row plus one cache read, on every app
server alike: the generation lives in the database, not in the cache, so it stays
exact with a per-process local-memory cache under several gunicorn workers, and a
Redis outage only means the database decides. Each worker also keeps the entries
it served last in its own memory (with Redis, copies of the shared ones): an entry
names its generation, so a copy there is exactly as valid as the shared one.

While the database does not answer, the pages that were current when it was last
seen are served stale (`last_known_generation`), and the rest get the outage page
(articles/outage.py).

With Redis, the generation row is also mirrored there, so a hit need not touch the
database at all (every app server would otherwise send every cached hit to the one
shared PostgreSQL). The mirror is written after each bump commits, before the
publishing request answers, so the next request anywhere sees the change; it only
ever moves forward, and it expires after `MIRROR_FRESH_MS`, when the next request
reads the row again. That expiry bounds the one case the mirror cannot see: a
server that loses Redis at the very moment it publishes.
"""

import gzip
import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import request_finished, request_started
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
    router,
    transaction,
)
from django.db.models import F
from django.db.models.functions import Greatest
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from redis.exceptions import RedisError

from . import breaker, cache_keys, outage

logger = logging.getLogger(__name__)

ROW = 1
HEADER = "X-Page-Cache"
# 200s go to the shared cache (unless reached through free text); 301s and 404s,
# which any made-up address can be, stay in each worker's bounded memory.
CACHEABLE_STATUSES = {200, 301, 404}
# Headers a page may vary on that the key already covers.
KEYED_VARY = {"accept-language", "cookie", "accept-encoding"}
NEVER = ("/admin/", "/preview/", "/bench/", "/healthz")
ACCEPTS_GZIP = re.compile(r"\bgzip\b").search


def _state():
    from .models import ContentGeneration

    return ContentGeneration.objects.filter(pk=ROW)


def _micros(moment):
    return int(moment.timestamp() * 1_000_000)


def bump(*, again=False):
    """Invalidate every cached page on every app server, once per transaction.

    Call it inside the transaction that makes the change: the new generation then
    commits with the change, and no reader sees one without the other. Only the
    first call in a transaction writes; the number it takes covers every later
    change in that transaction, since none of them is visible before the commit.
    A savepoint rolled back takes its bump with it, and the next change bumps
    again. The look-ahead to the next scheduled change, and the Redis mirror, are
    written once the transaction commits. `again`: bump even if this transaction
    has (the row itself was overwritten).
    """
    from .models import ContentGeneration

    using = router.db_for_write(ContentGeneration)
    _memo.version = None
    _last_known["generation"] = None  # no page from before this may be served stale
    in_transaction = connections[using].in_atomic_block
    if in_transaction and not again and bumped_in_this_transaction(using):
        return
    with transaction.atomic(using=using):
        # Never a number used before, even one a rolled-back transaction took:
        # what is cached under a generation must only ever be committed facts.
        if not _state().update(
            generation=Greatest(F("generation") + 1, _micros(timezone.now()))
        ):
            # A fresh (or flushed) database: start from the clock so no generation
            # cached before can ever match again.
            ContentGeneration.objects.get_or_create(
                pk=ROW, defaults={"generation": _micros(timezone.now())}
            )
        # Also the mark that this transaction has bumped: Django drops it when
        # the savepoint it was registered in rolls back.
        transaction.on_commit(AfterBump(), using=using, robust=True)


class AfterBump:
    """Run once a bump has committed: look ahead to the next scheduled change (on
    the committed facts) and mirror the row, before the writing request answers.

    While pending it marks its transaction as bumped, until a page reads the
    generation inside that transaction: a change after that must bump again, or
    the page, rendered before it, would stay valid.
    """

    __slots__ = ("seen",)

    def __init__(self):
        self.seen = False

    def __call__(self):
        row = _read_state()
        if row is not None and row[2] != row[0]:
            _look_ahead(row[0])


def _pending_bumps(using):
    return [
        func
        for _, func, _ in connections[using].run_on_commit
        if isinstance(func, AfterBump)
    ]


def bumped_in_this_transaction(using):
    return any(not pending.seen for pending in _pending_bumps(using))


def _seen_in_this_transaction():
    from .models import ContentGeneration

    using = router.db_for_write(ContentGeneration)
    if connections[using].in_atomic_block:
        for pending in _pending_bumps(using):
            pending.seen = True


LOST = object()


def _look_ahead(generation):
    """Record, for `generation`, the next moment a page changes by the clock alone.

    Returns that moment in µs (None: nothing scheduled), or LOST when `generation`
    is no longer current: the writer that moved it looks ahead for its own.
    The generation is read before the facts, and only written back while it
    still holds, so a look-ahead never claims facts it did not see.
    """
    moment = upcoming_change(timezone.now())
    micros = _micros(moment) if moment else None
    if not (
        _state()
        .filter(generation=generation)
        .update(next_change_us=micros, next_change_for=generation)
    ):
        return LOST
    _mirror((generation, micros, generation))
    return micros


def scheduled_change(now):
    """The earliest future moment a published story goes live or expires, or None."""
    from .models import Article

    live = Article.objects.filter(status=Article.Status.PUBLISHED).order_by()
    moments = [
        live.filter(**{f"{field}__gt": now})
        .order_by(field)
        .values_list(field, flat=True)
        .first()
        for field in ("published_at", "unpublish_at")
    ]
    return min((moment for moment in moments if moment), default=None)


_UPCOMING = [scheduled_change]


def upcoming(func):
    """Register `func(now) -> datetime | None`: a moment a page changes by the clock
    alone (a story leaving a 48-hour window, say). The first request after it
    invalidates every page, like a scheduled story's time arriving."""
    if func not in _UPCOMING:
        _UPCOMING.append(func)
    return func


def upcoming_change(now):
    moments = (func(now) for func in _UPCOMING)
    return min((moment for moment in moments if moment), default=None)


def _read_state():
    """(generation, next change in µs, generation it was looked up for) or None.

    Plain SQL: this runs on every anonymous request, and the ORM's own cost would
    be most of a cache hit's.
    """
    from .models import ContentGeneration

    meta = ContentGeneration._meta
    connection = connections[router.db_for_read(ContentGeneration)]
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote('generation')}, {quote('next_change_us')}, "
        f"{quote('next_change_for')} FROM {quote(meta.db_table)} "
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    reused = connection.connection is not None and not connection.in_atomic_block
    if reused and connection.health_check_enabled:
        # This read is the request's first query and doubles as the persistent
        # connection's health check, which would otherwise cost a round trip of
        # its own (`SELECT 1`) on every hit: a dead connection is replaced and
        # the read tried once more, as the check itself would have done.
        connection.health_check_done = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, [ROW])
                return cursor.fetchone()
        except DatabaseError:
            connection.close()
    with connection.cursor() as cursor:
        cursor.execute(sql, [ROW])
        return cursor.fetchone()


def current_generation(*, guarded=False):
    """The generation pages are valid for now, or None when this request should
    neither read nor write the cache (just bumped, or no state row yet).

    Raises the database's error when the database does not answer (and Redis
    holds no fresh copy): the page cache then serves what was current when the
    database was last seen (`last_known_generation`). `guarded` (the page cache's
    own read): not even asked while the database breaker is open.
    """
    _seen_in_this_transaction()
    mirrored = _mirrored_state()
    if isinstance(mirrored, tuple):
        row = mirrored
    else:
        # Per process: after a failure, cached pages are served without waiting
        # on the database again, for DATABASE_BREAKER_SECONDS. Views, which need
        # the database anyway, ask it themselves.
        row = (
            database_breaker.call(
                _read_state, failures=(OperationalError, InterfaceError)
            )
            if guarded
            else _read_state()
        )
    if row is None:
        bump()
        return None
    generation, next_change, checked_for = row
    _memo.version = generation
    if checked_for != generation:
        # A bump whose look-ahead has not been written yet (it is, once the bump
        # commits): look ahead now; the pages rendered from here on are exact.
        next_change = _look_ahead(generation)
        if next_change is LOST:
            return None
        mirrored = generation
    if next_change is not None and next_change <= _micros(timezone.now()):
        # A scheduled moment has passed: the first request to see it bumps.
        _memo.version = None
        with transaction.atomic():
            if (
                _state()
                .filter(generation=generation)
                .update(generation=Greatest(generation + 1, _micros(timezone.now())))
            ):
                transaction.on_commit(AfterBump(), robust=True)
        return None
    if mirrored is None:
        _mirror(row)
    # With Redis away the database has decided: pages come from each worker's
    # own memory until Redis answers again.
    _seen_current(generation, next_change)
    return generation


# The generation this process last saw current, the next scheduled change it knew
# of then, and when it saw it. While the database does not answer, pages cached
# for that generation are served, if it was seen shortly before the outage began
# (a quiet worker may have missed a story taken down since), this process has not
# changed the content since, no scheduled change has come due, and Redis (when
# it answers) knows of no later generation.
STALE_TRUST_SECONDS = 60
_last_known = {"generation": None, "next_change": None, "seen": 0.0}
_outage = {"since": None}


def _seen_current(generation, next_change):
    _last_known.update(
        generation=generation, next_change=next_change, seen=time.monotonic()
    )
    _outage["since"] = None


def forget_outages():
    """A fresh process's view: no generation known, no breaker open (tests)."""
    _last_known.update(generation=None, next_change=None, seen=0.0)
    _outage["since"] = None
    database_breaker.reset()
    breaker.reset_all()


def database_unreachable():
    if _outage["since"] is None:
        _outage["since"] = time.monotonic()


def last_known_generation():
    """The generation whose pages may be served while the database is away, or
    None when no page may."""
    generation, next_change = _last_known["generation"], _last_known["next_change"]
    since = _outage["since"] if _outage["since"] is not None else time.monotonic()
    if generation is None or _last_known["seen"] < since - STALE_TRUST_SECONDS:
        return None
    if next_change is not None and next_change <= _micros(timezone.now()):
        return None
    redis = _redis()
    if redis is not None:
        client, _, floor_key = redis
        try:
            floor = client.get(floor_key)
        except RedisError:
            floor = None
        if floor is not None and int(floor) > generation:
            return None
    return generation


# The generation row's copy in Redis. Both keys share a hash tag, so the script
# that writes them also runs on a Redis Cluster.
MIRROR_KEY = "{content-generation}:mirror"
FLOOR_KEY = "{content-generation}:floor"
MIRROR_FRESH_MS = 1000
UNREACHABLE = "unreachable"
# Write the mirror unless a later generation was mirrored already: a request that
# read the row just before a bump must not put the older number back.
_MIRROR_SCRIPT = """
local floor = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[1]) < floor then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
"""


def _redis():
    """(raw client, mirror key, floor key) when the shared cache is Redis, else None."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    client = getattr(backend, "client", None)  # django-redis
    if client is None or not hasattr(client, "get_client"):
        return None
    return (
        client.get_client(write=True),
        backend.make_key(MIRROR_KEY),
        backend.make_key(FLOOR_KEY),
    )


def redis_health():
    """ "ok" or "down" for the shared cache's Redis; None without Redis."""
    redis = _redis()
    if redis is None:
        return None
    try:
        redis[0].ping()
    except RedisError:
        return "down"
    return "ok"


def _mirrored_state():
    """The row as mirrored in Redis; None when there is no fresh copy (or no
    Redis); UNREACHABLE when Redis does not answer."""
    redis = _redis()
    if redis is None:
        return None
    client, key, _ = redis
    try:
        value = client.get(key)
    except RedisError as error:
        _warn_now_and_then(
            "Redis does not answer; the database decides, pages come from each "
            "worker's memory: %s",
            error,
        )
        return UNREACHABLE
    if value is None:
        return None
    generation, next_change = value.split(b":")
    generation = int(generation)
    return generation, int(next_change) if next_change else None, generation


_last_warning = [float("-inf")]
WARN_EVERY_SECONDS = 10


def _warn_now_and_then(message, *args):
    """Log an outage once every few seconds per process, not on every request."""
    now = time.monotonic()
    if now - _last_warning[0] >= WARN_EVERY_SECONDS:
        _last_warning[0] = now
        logger.warning(message, *args)


def _mirror(row):
    generation, next_change, checked_for = row
    redis = _redis()
    if redis is None or checked_for != generation:
        return
    client, key, floor = redis
    value = f"{generation}:{next_change if next_change is not None else ''}"
    try:
        client.eval(_MIRROR_SCRIPT, 2, key, floor, generation, value, MIRROR_FRESH_MS)
    except RedisError as error:
        logger.warning("Could not mirror content generation %s: %s", generation, error)


class DatabaseBreakerOpenError(OperationalError):
    """The generation was not read: the database did not answer moments ago."""


database_breaker = breaker.CircuitBreaker(
    "The database", "DATABASE_BREAKER_SECONDS", refused=DatabaseBreakerOpenError
)


# The content version, read once per request: derived data (the topic map, topic
# statistics) is kept per version, so every process sees a change on its next
# request however its cache is shared.
_memo = threading.local()


def content_version():
    """A number that changes whenever anything public may have changed (and when a
    scheduled moment passes): the content generation, read at most once a request."""
    version = getattr(_memo, "version", None)
    if version is not None and getattr(_memo, "in_request", False):
        return version
    current_generation()
    if _memo.version is None:
        _memo.version = _read_state()[0]
    return _memo.version


def _request_started(**kwargs):
    _memo.in_request, _memo.version = True, None


def _request_finished(**kwargs):
    _memo.in_request, _memo.version = False, None


def cache_key(request):
    """One entry per page as a reader sees it: language, scheme, host and full path.

    The language is worked out the way LocaleMiddleware will (cookie, then
    Accept-Language), since a hit is answered before that middleware runs.
    """
    parts = "|".join(
        [
            translation.get_language_from_request(request),
            request.scheme,
            request.get_host(),
            request.get_full_path(),
        ]
    )
    # The version names the entry's layout, so servers of two releases sharing
    # one Redis never read each other's entries.
    return "page:v2:" + hashlib.sha256(parts.encode()).hexdigest()


class RecentEntries:
    """Entries this worker holds in its own memory, bounded by count, least
    recently used out first: copies of the shared cache's entries it served last,
    and the pages that never go to the shared cache (see `cache_keys`). Validity
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


def is_public_get(request):
    """A GET for a public page: what the page cache may answer."""
    return request.method == "GET" and not request.path.startswith(NEVER)


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


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs from the cache while the content generation holds.

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
                if cache_keys.has_live_session(request):  # the desk: always fresh
                    return self.get_response(request)
            elif settings.SESSION_COOKIE_NAME in request.COOKIES:
                return self.get_response(request)
            free_text = cache_keys.keep_what_the_page_reads(request)
            if not cache_on:
                return self.get_response(request)
            key = cache_key(request)
            generation = current_generation(guarded=True)
        except DatabaseError as error:
            if not outage.is_outage(error):
                raise
            outage.warn(error)
            database_unreachable()
            cache_keys.keep_what_the_page_reads(request)
            return self.during_outage(request, cache_key(request))
        if generation is None:
            return self.get_response(request)
        entry = lookup(key, generation)
        if entry is not None:
            return answer(request, entry, "hit")
        response = self.get_response(request)
        if getattr(response, "outage", False):
            database_unreachable()
            return self.during_outage(request, key)
        if response_is_cacheable(request, response):
            shared = response.status_code == 200 and not free_text
            store(key, entry_for(generation, response), shared=shared)
            response[HEADER] = "miss"
        return response

    @staticmethod
    def during_outage(request, key):
        generation = last_known_generation()
        entry = lookup(key, generation) if generation is not None else None
        if entry is None:
            return outage.unavailable()
        return answer(request, entry, "stale")


def connect_signals():
    request_started.connect(_request_started, dispatch_uid="content-version-start")
    request_finished.connect(_request_finished, dispatch_uid="content-version-end")
