"""Stop asking a server that does not answer, for a few seconds (per process).

A Redis that hangs (paused, overloaded, a network that drops packets) makes every
command wait for its socket timeout: three commands a request once added 1.5 s to
every page. After the first failure the breaker *opens*: for
`REDIS_BREAKER_SECONDS` no command goes to that server and each fails at once, as
an unreachable Redis does (a cache miss; the database decides the generation).
Then one request tries again (*half-open*); its success closes the breaker, its
failure opens it for another spell. So a hung Redis costs one timeout per process
every few seconds, not one per command.

`BreakerRedis` is redis-py's client with the breaker in front of every command and
pipeline, so the page cache, the generation mirror and every other cache use
(topic statistics, ...) go through it; settings name it as django-redis's
`REDIS_CLIENT_CLASS`.

`database` is the page cache's breaker for its own read of the generation row
(pagecache/generation.py): after one failed read, cached pages are served stale
for `DATABASE_BREAKER_SECONDS` without waiting on the database again. Only that
read goes through it; views, which need the database anyway, ask it themselves.
"""

import logging
import threading
import time

import redis
from django.conf import settings
from django.db import OperationalError
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)


class CircuitOpenError(ConnectionError):
    """Raised instead of asking a server the breaker has given up on for now."""


class CircuitBreaker:
    """Closed (ask), open (do not ask) or half-open (one caller asks).

    Counts what it did: `attempts` (calls let through), `failures` (of those, the
    ones that failed: each waited for the server), `skipped` (calls refused while
    open), `trips` (closed to open).
    """

    def __init__(self, name, setting, *, refused=None):
        self.name = name
        self.setting = setting
        self.refused = refused or CircuitOpenError  # raised instead of asking
        self.lock = threading.Lock()
        self.opened_at = None
        self.probing = False
        self.attempts = self.failures = self.skipped = self.trips = 0

    def reset(self):
        with self.lock:
            self.opened_at, self.probing = None, False
            self.attempts = self.failures = self.skipped = self.trips = 0

    @property
    def cooldown(self):
        return getattr(settings, self.setting)

    @property
    def is_open(self):
        return self.opened_at is not None

    def allow(self):
        """True when the caller may ask the server now; it must then report."""
        with self.lock:
            if self.opened_at is not None:
                resting = time.monotonic() - self.opened_at < self.cooldown
                if resting or self.probing:
                    self.skipped += 1
                    return False
                self.probing = True  # half-open: this caller tries again
            self.attempts += 1
            return True

    def succeeded(self):
        with self.lock:
            if self.opened_at is not None:
                logger.warning("%s answers again.", self.name)
            self.opened_at, self.probing = None, False

    def failed(self, error):
        with self.lock:
            self.failures += 1
            if self.opened_at is None:
                self.trips += 1
                logger.warning(
                    "%s does not answer (%s); not asking it again for %s s.",
                    self.name,
                    error,
                    self.cooldown,
                )
            self.opened_at, self.probing = time.monotonic(), False

    def call(self, func, *args, failures=(Exception,), **kwargs):
        if not self.allow():
            raise self.refused(f"{self.name}: not asked (it did not answer lately)")
        try:
            result = func(*args, **kwargs)
        except failures as error:
            self.failed(error)
            raise
        except BaseException:
            self.succeeded()  # it answered, with an error of another kind
            raise
        self.succeeded()
        return result


class DatabaseBreakerOpenError(OperationalError):
    """The generation was not read: the database did not answer moments ago."""


database = CircuitBreaker(
    "The database", "DATABASE_BREAKER_SECONDS", refused=DatabaseBreakerOpenError
)

_breakers = {}
_breakers_lock = threading.Lock()


def for_redis(pool):
    """The breaker of the Redis server behind `pool`: one per server and process."""
    kwargs = pool.connection_kwargs
    where = kwargs.get("path") or f"{kwargs.get('host')}:{kwargs.get('port')}"
    with _breakers_lock:
        if where not in _breakers:
            _breakers[where] = CircuitBreaker(
                f"Redis at {where}", "REDIS_BREAKER_SECONDS"
            )
        return _breakers[where]


def reset_all():
    """Close every breaker, the database's too: a fresh process's view (tests)."""
    database.reset()
    with _breakers_lock:
        for breaker in _breakers.values():
            breaker.reset()


# What means "the server did not answer": not a wrong command (ResponseError).
REDIS_FAILURES = (ConnectionError, TimeoutError)


class BreakerPipeline(redis.client.Pipeline):
    def execute(self, raise_on_error=True):
        breaker = for_redis(self.connection_pool)
        return breaker.call(super().execute, raise_on_error, failures=REDIS_FAILURES)


class BreakerRedis(redis.Redis):
    """redis-py's client, with the server's circuit breaker before each command."""

    def execute_command(self, *args, **options):
        breaker = for_redis(self.connection_pool)
        return breaker.call(
            super().execute_command, *args, failures=REDIS_FAILURES, **options
        )

    def pipeline(self, transaction=True, shard_hint=None):
        return BreakerPipeline(
            self.connection_pool, self.response_callbacks, transaction, shard_hint
        )


class NotShortCircuited:
    """Logging filter: drop django-redis's "Exception ignored" for calls the
    breaker refused (the breaker logged the outage once already)."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        while error is not None:
            if isinstance(error, CircuitOpenError):
                return False
            error = error.__cause__ or error.__context__
        return True
