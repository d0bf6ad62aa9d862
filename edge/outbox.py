"""The purge outbox: the keys a change made stale, written in its transaction.

`enqueue()` writes one `Purge` row per transaction, whatever the number of
writes in it (later ones add their keys to the same row), so readers never see
a change whose purge is lost, nor a purge for a change rolled back. Once the
transaction commits the row is sent (`sending.send`), one call for the change;
what fails waits for `manage.py send_purges`, which retries with backoff.
With no EDGE_PURGE_BACKEND nothing is written.
"""

from django.db import connections, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import SITE, changes, conf, sending
from .models import Purge


class AfterCommit:
    """Sends its row once the transaction commits; while pending, it is the
    transaction's row, which later writes add their keys to."""

    __slots__ = ("pk", "keys", "reasons")

    def __init__(self, pk, keys, reason):
        self.pk, self.keys, self.reasons = pk, set(keys), [reason]

    def __call__(self):
        if conf.get("EDGE_PURGE_AFTER_COMMIT"):
            sending.send(ids=[self.pk])


def _pending(using):
    for _, func, _ in connections[using].run_on_commit:
        if isinstance(func, AfterCommit):
            return func
    return None


def _reason(reasons):
    text = "; ".join(dict.fromkeys(reasons))
    return text if len(text) <= 300 else text[:299] + "…"


def enabled():
    """Whether an edge is purged at all (EDGE_PURGE_BACKEND)."""
    return bool(conf.get("EDGE_PURGE_BACKEND"))


def wanted():
    """Whether a change's keys are wanted at all: by an edge to purge, or by the
    pages prepared ahead (`changes`)."""
    return enabled() or changes.enabled()


def enqueue(keys, *, reason=""):
    """Purge `keys` once the current transaction commits (at once without one),
    and record them changed (`changes`) in it."""
    keys = set(keys)
    changes.record(keys)
    backend = conf.get("EDGE_PURGE_BACKEND")
    if not keys or not backend:
        return
    using = router.db_for_write(Purge)
    if connections[using].in_atomic_block:
        pending = _pending(using)
        if pending is not None:
            if keys <= pending.keys and reason in pending.reasons:
                return
            pending.keys |= keys
            pending.reasons.append(reason)
            Purge.objects.using(using).filter(pk=pending.pk).update(
                keys=" ".join(sorted(pending.keys)), reason=_reason(pending.reasons)
            )
            return
    with transaction.atomic(using=using):
        row = Purge.objects.using(using).create(
            keys=" ".join(sorted(keys)), reason=_reason([reason]), backend=backend
        )
        transaction.on_commit(
            AfterCommit(row.pk, keys, reason), using=using, robust=True
        )


def watch(models, *, keys_for, m2m_keys_for):
    """Enqueue the keys each write to `models` makes stale.

    `keys_for(instance, *, created=False, deleted=False)`: the keys saving (or
    deleting) `instance` purges (empty: none, readers cannot see it).
    `m2m_keys_for(instance, model, pk_set)`: those of a many-to-many change
    (`model` the other side, `pk_set` its keys, None when cleared).
    Raw saves (`loaddata`, a restored version) purge `site`: everything.
    """

    # Weighing a change costs queries: none at all while nobody wants its keys.
    def on_save(sender, instance, created=False, raw=False, **kwargs):
        if not wanted():
            return
        if raw:
            enqueue({SITE}, reason=f"{sender._meta.label} loaded")
            return
        enqueue(keys_for(instance, created=created), reason=_what(instance, "saved"))

    def on_delete(sender, instance, **kwargs):
        if not wanted():
            return
        enqueue(keys_for(instance, deleted=True), reason=_what(instance, "deleted"))

    def on_m2m(sender, instance, action, model, pk_set, **kwargs):
        if action.startswith("post_") and wanted():
            enqueue(
                m2m_keys_for(instance, model, pk_set),
                reason=_what(instance, f"{model._meta.verbose_name_plural} changed"),
            )

    for model in models:
        uid = f"edge-{model._meta.label_lower}"
        post_save.connect(on_save, sender=model, weak=False, dispatch_uid=f"{uid}-save")
        post_delete.connect(
            on_delete, sender=model, weak=False, dispatch_uid=f"{uid}-del"
        )
        m2m_changed.connect(on_m2m, sender=model, weak=False, dispatch_uid=f"{uid}-m2m")


def _what(instance, happened):
    return f"{instance._meta.verbose_name} {instance.pk} {happened}"
