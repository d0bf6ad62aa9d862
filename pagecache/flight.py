"""Single flight: after a change, one request renders a page while the others
that want the same page at the same generation wait for its copy.

A change moves the generation, and with it every cached page: without this,
every worker that a popular page's readers reach renders it at once (a
stampede: after a publish, hundreds of renders of the same five pages). Here the
first request claims the page at the new generation (an atomic `cache.add`, in
Redis across servers, in local memory across one process's threads) and renders
it; the others poll for the stored copy for up to PAGE_CACHE_RENDER_WAIT
seconds, so each costs at most what an uncached page costs, and the database and
the workers do the work once. They never serve the previous copy meanwhile: the
change may have been a story taken down. If the claim cannot be asked for (Redis
away), the renderer stores nothing (an error, an answer only this worker keeps)
or the wait runs out, a request renders the page itself, as it did before.
"""

import contextlib
import threading
import time

from django.conf import settings
from django.core.cache import cache

from . import entries

# How long a claim lasts at most: a renderer that died releases it this way.
CLAIM_SECONDS = 30
POLL_SECONDS = 0.005


class Waiting:
    """How many of this process's requests are waiting for another's render now
    (for tests and for anyone watching a stampede being absorbed)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = 0

    def __enter__(self):
        with self.lock:
            self.now += 1

    def __exit__(self, *exc):
        with self.lock:
            self.now -= 1


waiting = Waiting()


def claim_key(key, generation):
    return f"{key}:rendering:{generation}"


def claim(key, generation):
    """True when this request is to render the page (nobody else is)."""
    try:
        taken = cache.add(claim_key(key, generation), 1, CLAIM_SECONDS)
    except Exception:  # the cache is away: render, as without single flight
        return True
    return taken is not False  # None: an unreachable Redis, errors ignored


def release(key, generation):
    with contextlib.suppress(Exception):
        cache.delete(claim_key(key, generation))


def wait_for(key, generation):
    """The copy the claiming request stores, once it is there; None when it
    stored none (its claim is gone) or the wait ran out."""
    with waiting:
        return _poll(key, generation)


def _poll(key, generation):
    deadline = time.monotonic() + settings.PAGE_CACHE_RENDER_WAIT
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        entry = entries.lookup(key, generation)
        if entry is not None:
            return entry
        try:
            claimed = cache.get(claim_key(key, generation))
        except Exception:
            return None
        if claimed is None:  # released without a shared copy, or Redis away
            return entries.lookup(key, generation)
    return None
