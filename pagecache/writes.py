"""Which writes move the generation: the content apps say, this module listens.

A content app calls `watch()` from its `AppConfig.ready()` with its models and
its rule of which writes readers can see (for the articles app:
articles/invalidation.py). Each save, delete or many-to-many change that the rule
calls public bumps the generation (once per transaction, see `generation.bump`);
one it does not leaves every cached page in place, so a reporter saving a draft
costs readers nothing. Writes that send no signal (`QuerySet.update()`,
`bulk_create()`) call `generation.bump()` themselves.

Raw saves (`loaddata`, a version restored by django-reversion, a test's
serialized rollback) bump without asking the rule: one bump for the whole load,
since it runs in one transaction. A loaded copy of the generation row itself
bumps again, so it can never bring back an old number.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import generation
from .models import ContentGeneration


def watch(models, *, changes_pages, m2m_changes_pages):
    """Bump the generation on each write to `models` that readers can see.

    `changes_pages(instance, *, created=False)`: True when saving (`created`: a
    new row) or deleting `instance` changes a public page.
    `m2m_changes_pages(instance, pk_set)`: True when the many-to-many change just
    made to `instance` (`pk_set` the other side's keys; None: cleared) does.
    """

    def on_save(sender, instance, created=False, raw=False, **kwargs):
        if raw or changes_pages(instance, created=created):
            generation.bump()

    def on_delete(sender, instance, **kwargs):
        if changes_pages(instance):
            generation.bump()

    def on_m2m(sender, instance, action, pk_set, **kwargs):
        if action.startswith("post_") and m2m_changes_pages(instance, pk_set):
            generation.bump()

    for model in models:
        uid = _uid(model)
        post_save.connect(on_save, sender=model, weak=False, dispatch_uid=f"{uid}-save")
        post_delete.connect(
            on_delete, sender=model, weak=False, dispatch_uid=f"{uid}-delete"
        )
        m2m_changed.connect(on_m2m, sender=model, weak=False, dispatch_uid=f"{uid}-m2m")


def unwatch(models):
    """Undo `watch()` for `models`."""
    for model in models:
        uid = _uid(model)
        post_save.disconnect(sender=model, dispatch_uid=f"{uid}-save")
        post_delete.disconnect(sender=model, dispatch_uid=f"{uid}-delete")
        m2m_changed.disconnect(sender=model, dispatch_uid=f"{uid}-m2m")


def _uid(model):
    return f"page-cache-{model._meta.label_lower}"


def _row_loaded(sender, instance, raw=False, **kwargs):
    if raw:
        generation.bump(again=True)


def guard_the_row():
    """A fixture or a restored backup that writes the generation row must not
    bring back an old number: bump past it, in the same transaction."""
    post_save.connect(
        _row_loaded, sender=ContentGeneration, dispatch_uid="page-cache-row-loaded"
    )
