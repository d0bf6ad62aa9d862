"""Which keys changed when: one row per surrogate key, holding the content
generation of its last change, written in the change's own transaction.

The outbox tells the edge which pages went stale; this tells the origin, so a
page prepared ahead and stored with the keys it shows (the `prepared` app) can
tell whether anything on it changed since: it is valid while none of its keys
changed at a later generation than the one it was rendered at. Recording costs
one statement per write; invalidating costs nothing more, however many pages
show a key.
"""

import threading

from django.db import connections, router, transaction

from pagecache import generation

from . import conf
from .models import KeyChange


def enabled():
    return conf.get("EDGE_RECORD_CHANGES")


_held = threading.local()


def _generation_now(using):
    """The generation this change commits with: this transaction's own bump,
    read once per bump (a page read between two writes makes the second bump
    again, pagecache.generation; its number is read again then)."""
    generation.bump()
    pending = generation.pending_bump(using)
    held = getattr(_held, "bump", None)
    if pending is not None and held is not None and held[0] is pending:
        return held[1]
    number = generation.read_state()[0]
    _held.bump = (pending, number) if pending is not None else None
    return number


def record(keys):
    """Mark `keys` changed, in the current transaction (its own without one)."""
    keys = sorted(set(keys))
    if not keys or not enabled():
        return
    using = router.db_for_write(KeyChange)
    if not connections[using].in_atomic_block:
        with transaction.atomic(using=using):
            return record(keys)
    number = _generation_now(using)
    # One statement: in a transaction already, it needs no savepoint of its own.
    KeyChange.objects.using(using).bulk_create(
        [KeyChange(key=key, generation=number) for key in keys],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["generation"],
    )


def _read(what, keys, *, after=None):
    """One row of `SELECT what` over `keys`' changes (after `after`). Plain SQL:
    a prepared page's read makes it, and the ORM's own cost would double it."""
    connection = connections[router.db_for_read(KeyChange)]
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(keys))
    sql = (
        f"SELECT {what.format(generation=quote('generation'))} "
        f"FROM {quote(KeyChange._meta.db_table)} WHERE {quote('key')} IN ({marks})"
    )
    params = list(keys)
    if after is not None:
        sql += f" AND {quote('generation')} > %s LIMIT 1"
        params.append(after)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def changed_after(keys, number):
    """True when any of `keys` changed at a generation after `number`."""
    keys = list(keys)
    return bool(keys) and _read("1", keys, after=number) is not None


def last_change(keys):
    """The latest generation at which any of `keys` changed (0: never)."""
    return _read("MAX({generation})", list(keys))[0] or 0
