"""Purges for pages that change by the clock alone: a scheduled story going live,
an expiry passing, a story leaving the news sitemap's window. Nobody saves
anything, so no write enqueues them: `catch_up()` (run by `manage.py
send_purges`, every minute from cron or with `--every`) asks each registered
`func(since, until) -> keys` for the moments that passed since its last run,
and enqueues their keys as one purge. The page cache's own clock
(`pagecache.clocks`) drops its copies at the same moments; this brings the edge
along, asking the content apps only when `pagecache.clocks` knows a moment
that has passed.
"""

from django.db import transaction
from django.utils import timezone

from pagecache import clocks

from . import outbox
from .models import ClockMark

_registered = []


def windows(func):
    """Register `func(since, until) -> iterable of keys`: the pages that change
    by the clock at a moment in (since, until]."""
    if func not in _registered:
        _registered.append(func)
    return func


@transaction.atomic
def catch_up(now=None):
    """Enqueue the keys of the moments passed since the last run; the first run
    only starts the clock. Returns the keys enqueued."""
    now = now or timezone.now()
    mark = ClockMark.objects.select_for_update().filter(pk=1).first()
    if mark is None:
        ClockMark.objects.create(pk=1, checked_until=now)
        return set()
    since = mark.checked_until
    if now <= since:
        return set()
    keys = set()
    # The page cache's clock knows the next moment after `since` (the content
    # apps register them there): none passed, nothing to ask.
    moment = clocks.upcoming_change(since)
    if moment is not None and moment <= now:
        for func in _registered:
            keys.update(func(since, now))
    ClockMark.objects.filter(pk=1).update(checked_until=now)
    outbox.enqueue(
        keys, reason=f"scheduled changes {since:%Y-%m-%d %H:%M:%S} to {now:%H:%M:%S}"
    )
    return keys
