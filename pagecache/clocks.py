"""Moments a page changes by the clock alone, as the content apps register them.

A scheduled story going live, an expiry passing, a story leaving a sitemap's
48-hour window: nobody saves anything, yet pages change. Each content app
registers a function `func(now) -> datetime | None` giving the next such moment
it knows of. The generation row keeps the earliest of them, and the first request
after it bumps the generation (pagecache/generation.py).
"""

_registered = []


def upcoming(func):
    """Register `func(now) -> datetime | None`: the next moment a page changes by
    the clock alone. The first request after it invalidates every page, like a
    scheduled story's time arriving. Registering twice changes nothing."""
    if func not in _registered:
        _registered.append(func)
    return func


def forget(func):
    """Undo `upcoming(func)` (tests)."""
    if func in _registered:
        _registered.remove(func)


def upcoming_change(now):
    """The earliest registered moment after `now`, or None."""
    moments = (func(now) for func in _registered)
    return min((moment for moment in moments if moment), default=None)


def micros(moment):
    """A moment as whole microseconds since the epoch, as the row keeps it."""
    return int(moment.timestamp() * 1_000_000)
