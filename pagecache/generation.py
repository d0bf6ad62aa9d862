"""The content generation: one number that says whether a cached page is current.

Each cached page carries the generation it was rendered at, a number kept in one
database row (`ContentGeneration`) and bumped in the same transaction as any
change to public content, once per transaction (pagecache/writes.py says which
writes; code that writes without signals calls `bump()` itself).

The same row keeps the next moment a page changes by the clock alone (the
earliest moment registered with `clocks.upcoming`). It is looked up once the bump
commits, or by the first reader to find it missing. The first request after that
moment bumps the generation, so a scheduled story appears, and an expired one
goes, with nobody saving anything.

Reading it costs one primary-key read of that row, on every app server alike: the
generation lives in the database, not in the cache, so it stays exact with a
per-process local-memory cache under several gunicorn workers, and a Redis outage
only means the database decides. With Redis, the row is mirrored there too
(pagecache/mirror.py), so a hit need not touch the database at all.
"""

import threading

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
from django.utils import timezone

from . import breaker, clocks, mirror, stale
from .clocks import micros
from .models import ContentGeneration

ROW = 1


def _state():
    return ContentGeneration.objects.filter(pk=ROW)


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
    using = router.db_for_write(ContentGeneration)
    _memo.version = None
    stale.content_changed()
    in_transaction = connections[using].in_atomic_block
    if in_transaction and not again and bumped_in_this_transaction(using):
        return
    with transaction.atomic(using=using):
        # Never a number used before, even one a rolled-back transaction took:
        # what is cached under a generation must only ever be committed facts.
        if not _state().update(
            generation=Greatest(F("generation") + 1, micros(timezone.now()))
        ):
            # A fresh (or flushed) database: start from the clock so no generation
            # cached before can ever match again.
            ContentGeneration.objects.get_or_create(
                pk=ROW, defaults={"generation": micros(timezone.now())}
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
        row = read_state()
        if row is not None and row[2] != row[0]:
            _look_ahead(row[0])


def _pending_bumps(using):
    return [
        func
        for _, func, _ in connections[using].run_on_commit
        if isinstance(func, AfterBump)
    ]


def pending_bump(using):
    """This transaction's latest bump not yet seen by a page, or None: the same
    object for every write it covers."""
    pending = [bump for bump in _pending_bumps(using) if not bump.seen]
    return pending[-1] if pending else None


def bumped_in_this_transaction(using):
    return any(not pending.seen for pending in _pending_bumps(using))


def _seen_in_this_transaction():
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
    moment = clocks.upcoming_change(timezone.now())
    next_change = micros(moment) if moment else None
    if not (
        _state()
        .filter(generation=generation)
        .update(next_change_us=next_change, next_change_for=generation)
    ):
        return LOST
    mirror.mirror((generation, next_change, generation))
    return next_change


def read_state():
    """(generation, next change in µs, generation it was looked up for) or None.

    Plain SQL: this runs on every anonymous request, and the ORM's own cost would
    be most of a cache hit's.
    """
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
    database was last seen (pagecache/stale.py). `guarded` (the page cache's own
    read): not even asked while the database breaker is open.
    """
    _seen_in_this_transaction()
    mirrored = mirror.mirrored_state()
    if isinstance(mirrored, tuple):
        row = mirrored
    else:
        # Per process: after a failure, cached pages are served without waiting
        # on the database again, for DATABASE_BREAKER_SECONDS. Views, which need
        # the database anyway, ask it themselves.
        row = (
            breaker.database.call(
                read_state, failures=(OperationalError, InterfaceError)
            )
            if guarded
            else read_state()
        )
    if row is None:
        bump()
        return None
    generation, next_change, checked_for = row
    _memo.version, _memo.next_change = generation, None
    if checked_for != generation:
        # A bump whose look-ahead has not been written yet (it is, once the bump
        # commits): look ahead now; the pages rendered from here on are exact.
        next_change = _look_ahead(generation)
        if next_change is LOST:
            return None
        mirrored = generation
    if next_change is not None and next_change <= micros(timezone.now()):
        # A scheduled moment has passed: the first request to see it bumps.
        _memo.version = None
        with transaction.atomic():
            if (
                _state()
                .filter(generation=generation)
                .update(generation=Greatest(generation + 1, micros(timezone.now())))
            ):
                transaction.on_commit(AfterBump(), robust=True)
        return None
    if mirrored is None:
        mirror.mirror(row)
    _memo.next_change = next_change if next_change is not None else NEVER
    # With Redis away the database has decided: pages come from each worker's
    # own memory until Redis answers again.
    stale.seen_current(generation, next_change)
    return generation


# The content version, read once per request: derived data (a content app's topic
# map, its statistics) is kept per version, so every process sees a change on its
# next request however its cache is shared.
_memo = threading.local()


def content_version():
    """A number that changes whenever anything public may have changed (and when a
    scheduled moment passes): the content generation, read at most once a request."""
    version = getattr(_memo, "version", None)
    if version is not None and getattr(_memo, "in_request", False):
        return version
    current_generation()
    if _memo.version is None:
        _memo.version, _memo.next_change = read_state()[0], None
    return _memo.version


NEVER = "never"


def content_state():
    """(content version, the next moment it changes by the clock in µs or None
    for none scheduled), or None when that moment is not known for this version
    (it has just been bumped): what is derived now must then not be kept."""
    version = content_version()
    next_change = getattr(_memo, "next_change", None)
    if next_change is None or not getattr(_memo, "in_request", False):
        row = read_state()
        if row is None or row[0] != version or row[2] != version:
            return None
        next_change = NEVER if row[1] is None else row[1]
    return version, (None if next_change == NEVER else next_change)


def _request_started(**kwargs):
    _memo.in_request, _memo.version, _memo.next_change = True, None, None


def _request_finished(**kwargs):
    _memo.in_request, _memo.version, _memo.next_change = False, None, None


def connect_signals():
    request_started.connect(_request_started, dispatch_uid="content-version-start")
    request_finished.connect(_request_finished, dispatch_uid="content-version-end")
