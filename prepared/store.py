"""Reading a prepared page that still holds; writing one without making a
reader wait on the database's write lock."""

import contextlib
import gzip
import logging

from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone

from edge import SITE, changes
from pagecache.clocks import micros

from .models import PreparedPage

logger = logging.getLogger(__name__)

# A reader keeping a page waits at most this long for another writer.
WRITE_WAIT_MS = 100
COLUMNS = ("body", "headers", "items", "lists", "generation", "expires_us")


class Copy:
    __slots__ = ("gzipped", "headers", "items", "lists")

    def __init__(self, body, headers, items, lists):
        self.gzipped, self.headers = bytes(body), headers
        self.items, self.lists = items.split(), lists.split()

    @property
    def content(self):
        return gzip.decompress(self.gzipped)


def read(address):
    """The page kept at `address` if it still holds, else None: not expired,
    and none of its keys (nor `site`) changed after it was rendered."""
    using = router.db_for_read(PreparedPage)
    connection = connections[using]
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {', '.join(quote(c) for c in COLUMNS)} "
        f"FROM {quote(PreparedPage._meta.db_table)} WHERE {quote('address')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [address])
        row = cursor.fetchone()
    if row is None:
        return None
    body, headers, items, lists, generation, expires_us = row
    if expires_us <= micros(timezone.now()):
        return None
    keys = [*items.split(), *lists.split(), SITE]
    if changes.changed_after(keys, generation):
        return None
    field = PreparedPage._meta.get_field("headers")
    headers = field.from_db_value(headers, None, connection)
    return Copy(body, headers, items, lists)


@contextlib.contextmanager
def short_lock_wait(connection):
    """Give up on a lock another writer holds after WRITE_WAIT_MS instead of
    the connection's own (long) wait. Around the transaction: SQLite takes its
    write lock when the transaction begins (BEGIN IMMEDIATE)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA busy_timeout = {WRITE_WAIT_MS}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(before)}")


def write(address, *, path, content, headers, keys, generation, expires):
    """Keep the page; False (and a warning) when the database would not take it
    now: the reader has the page anyway, the next one renders it again."""
    row = PreparedPage(
        address=address,
        path=path[:500],
        body=gzip.compress(content, compresslevel=6, mtime=0),
        headers=headers,
        items=" ".join(sorted(keys.items - keys.lists)),
        lists=" ".join(sorted(keys.lists)),
        generation=generation,
        expires_us=expires,
        prepared_at=timezone.now(),
    )
    using = router.db_for_write(PreparedPage)
    connection = connections[using]
    try:
        with short_lock_wait(connection), transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{WRITE_WAIT_MS}ms'")
            PreparedPage.objects.using(using).bulk_create(
                [row],
                update_conflicts=True,
                unique_fields=["address"],
                update_fields=[*COLUMNS, "path", "prepared_at"],
            )
    except DatabaseError as error:
        logger.warning("Prepared page %s not kept: %s", path, error)
        return False
    return True
