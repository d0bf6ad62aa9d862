"""Which cached pages may still be served while the database does not answer.

The generation this process last saw current, the next scheduled change it knew
of then, and when it saw it. While the database is away, pages cached for that
generation are served (`X-Page-Cache: stale`) if it was seen shortly before the
outage began (a quiet worker may have missed a story taken down since), this
process has not changed the content since, no scheduled change has come due, and
Redis (when it answers) knows of no later generation: a story taken down before
the outage never comes back through a stale page.
"""

import time

from django.utils import timezone

from . import breaker, clocks, mirror

STALE_TRUST_SECONDS = 60
_last_known = {"generation": None, "next_change": None, "seen": 0.0}
_outage = {"since": None}


def seen_current(generation, next_change):
    """The database has just said `generation` is current: trust it, and no
    outage is going on."""
    _last_known.update(
        generation=generation, next_change=next_change, seen=time.monotonic()
    )
    _outage["since"] = None


def content_changed():
    """This process has changed the content: no page from before may be served
    stale."""
    _last_known["generation"] = None


def database_unreachable():
    if _outage["since"] is None:
        _outage["since"] = time.monotonic()


def forget_outages():
    """A fresh process's view: no generation known, no breaker open (tests)."""
    _last_known.update(generation=None, next_change=None, seen=0.0)
    _outage["since"] = None
    breaker.reset_all()


def last_known_generation():
    """The generation whose pages may be served while the database is away, or
    None when no page may."""
    generation, next_change = _last_known["generation"], _last_known["next_change"]
    since = _outage["since"] if _outage["since"] is not None else time.monotonic()
    if generation is None or _last_known["seen"] < since - STALE_TRUST_SECONDS:
        return None
    if next_change is not None and next_change <= clocks.micros(timezone.now()):
        return None
    floor = mirror.floor()
    if floor is not None and floor > generation:
        return None
    return generation
