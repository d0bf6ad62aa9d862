"""Sending the outbox: coalesced, within the provider's rate limit, retried.

`send()` takes the purges that are due (all of them, or the `ids` a commit just
wrote), merges their keys and sends them in as few calls as the provider allows
(`backends.MAX_KEYS` a call). With EDGE_PURGE_CALLS_PER_MINUTE set, a send that
would go past it leaves the rows pending, for the next `send_purges` to merge
with whatever else has come (Cloudflare's free plan: 5 calls a minute, so a
burst of changes becomes one call a run). A failed call leaves its rows pending
with a later `next_attempt_at` (EDGE_PURGE_RETRY_SECONDS, doubled each attempt)
until EDGE_PURGE_MAX_ATTEMPTS, when they are marked failed. Every call is logged
(`PurgeCall`), and each row keeps its provider's last answer.
"""

from datetime import timedelta

from django.db import connections, router, transaction
from django.db.models import Q
from django.utils import timezone

from . import backends, conf
from .models import Purge, PurgeCall


def due(now):
    return Purge.objects.filter(state=Purge.State.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def calls_left(backend, now):
    """How many calls the rate limit allows now (None: no limit)."""
    limit = conf.get("EDGE_PURGE_CALLS_PER_MINUTE")
    if not limit:
        return None
    made = PurgeCall.objects.filter(backend=backend, at__gt=now - timedelta(minutes=1))
    return max(limit - made.count(), 0)


def backoff(attempts):
    seconds = conf.get("EDGE_PURGE_RETRY_SECONDS") * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, conf.get("EDGE_PURGE_RETRY_MAX_SECONDS")))


def send(*, ids=None, now=None):
    """Send the due purges (only `ids` when given); returns the calls made."""
    name = conf.get("EDGE_PURGE_BACKEND")
    if not name:
        return 0
    call = backends.get(name)
    now = now or timezone.now()
    using = router.db_for_write(Purge)
    with transaction.atomic(using=using):
        rows = due(now).order_by("id")
        if ids is not None:
            rows = rows.filter(pk__in=ids)
        if connections[using].features.has_select_for_update_skip_locked:
            # Two senders never send the same row.
            rows = rows.select_for_update(skip_locked=True)
        rows = list(rows)
        if not rows:
            return 0
        keys = sorted({key for row in rows for key in row.key_list()})
        size = backends.keys_per_call(name)
        batches = [keys[i : i + size] for i in range(0, len(keys), size)]
        left = calls_left(name, now)
        if left is not None and len(batches) > left:
            return 0  # over the limit: the next run merges them with what comes
        answers = [(batch, call(batch)) for batch in batches]
        PurgeCall.objects.bulk_create(
            PurgeCall(at=now, backend=name, key_count=len(batch), ok=answer.ok,
                      answer=answer.text[:2000])
            for batch, answer in answers
        )  # fmt: skip
        ok = all(answer.ok for _, answer in answers)
        text = " | ".join(answer.text for _, answer in answers)[:2000]
        for row in rows:
            row.attempts += 1
            row.answer, row.backend = text, name
            if ok:
                row.state, row.sent_at, row.next_attempt_at = (
                    Purge.State.SENT,
                    now,
                    None,
                )
            elif row.attempts >= conf.get("EDGE_PURGE_MAX_ATTEMPTS"):
                row.state, row.next_attempt_at = Purge.State.FAILED, None
            else:
                row.next_attempt_at = now + backoff(row.attempts)
        Purge.objects.bulk_update(
            rows,
            ["attempts", "answer", "backend", "state", "sent_at", "next_attempt_at"],
        )
    return len(batches)
