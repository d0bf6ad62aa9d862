"""The generation row's copy in Redis, so a cache hit need not touch the database.

Every app server would otherwise send every cached hit to the one shared
PostgreSQL. The mirror is written after each bump commits, before the publishing
request answers, so the next request anywhere sees the change; it only ever moves
forward (the floor key), and it expires after `MIRROR_FRESH_MS`, when the next
request reads the row again. That expiry bounds the one case the mirror cannot
see: a server that loses Redis at the very moment it publishes.

Without Redis (a local-memory cache) there is no mirror and the row decides.
"""

import logging
import time

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Both keys share a hash tag, so the script that writes them also runs on a
# Redis Cluster.
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


def mirrored_state():
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


def floor():
    """The latest generation ever mirrored, or None (no Redis, none yet, or Redis
    does not answer)."""
    redis = _redis()
    if redis is None:
        return None
    client, _, floor_key = redis
    try:
        value = client.get(floor_key)
    except RedisError:
        return None
    return int(value) if value is not None else None


_last_warning = [float("-inf")]
WARN_EVERY_SECONDS = 10


def _warn_now_and_then(message, *args):
    """Log an outage once every few seconds per process, not on every request."""
    now = time.monotonic()
    if now - _last_warning[0] >= WARN_EVERY_SECONDS:
        _last_warning[0] = now
        logger.warning(message, *args)


def mirror(row):
    """Copy the row (generation, next change in µs, generation it was looked up
    for) to Redis, if its look-ahead is current and no later one is there."""
    generation, next_change, checked_for = row
    redis = _redis()
    if redis is None or checked_for != generation:
        return
    client, key, floor_key = redis
    value = f"{generation}:{next_change if next_change is not None else ''}"
    try:
        client.eval(
            _MIRROR_SCRIPT, 2, key, floor_key, generation, value, MIRROR_FRESH_MS
        )
    except RedisError as error:
        logger.warning("Could not mirror content generation %s: %s", generation, error)
