"""Which writes change what readers see, and so move the content generation.

The page cache (`articles.cache`) keeps a page exactly as long as the content
generation holds. Every save, delete or many-to-many change of this app's models
is weighed here: a change readers can see bumps it (once per transaction, see
`cache.bump`); a change they cannot does not, so a reporter saving a draft, or a
login, leaves every cached page in place. Writes that send no signal
(`QuerySet.update()`, `bulk_create()`) call `cache.bump()` themselves.

- A story is public while it is published (live, scheduled or expired: a
  scheduled one moves the next scheduled change). Saving it bumps when it was or
  is public; a draft that was never public and still is not changes nothing.
- Rows that belong to stories (topics on a story, curated links, exclusions,
  notes, old addresses, in-body links) bump when one of their stories is public.
- Topics, their aliases, facts, events and old addresses, and bylines, always
  bump: they show on topic pages, breadcrumbs and author pages.
- Raw saves (`loaddata`, restoring a version with django-reversion) bump without
  looking: one bump for the whole load, since it runs in one transaction.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import cache

# Desk records readers never see.
PRIVATE = {"contentgeneration", "topicmerge"}
# Rows that belong to stories, by the fields naming those stories.
STORY_FIELDS = {
    "taggedarticle": ["content_object"],
    "relatedstory": ["article", "story"],
    "relatedexclusion": ["article", "story"],
    "storynote": ["article"],
    "slugredirect": ["article"],
    "storylink": ["source", "target"],
}


def _published(story):
    """Whether the story has a public window (`Article.has_window`), assumed when
    it was loaded without its status."""
    return "status" not in story.__dict__ or story.has_window()


def story_was_or_is_public(story, *, created=False):
    if _published(story):
        return True
    if created:
        return False
    # The public window as loaded (`Article.from_db`): (None, None) unless it was
    # published. Unknown (loaded without those fields): assume it was.
    stored = getattr(story, "_stored_window", None)
    return stored is None or stored != (None, None)


def any_story_public(instance, fields):
    """True when a story this row belongs to is published (or was, for the copy
    of its window a tagging row carries)."""
    from .models import Article

    if getattr(instance, "live_from", None) is not None:
        return True
    ids = []
    for name in fields:
        story = instance._state.fields_cache.get(name)
        if story is not None:  # loaded already (inline formsets set it)
            if _published(story):
                return True
        else:
            ids.append(getattr(instance, f"{name}_id"))
    ids = [pk for pk in ids if pk is not None]
    return bool(ids) and (
        Article.objects.filter(Article.objects.window_q(), pk__in=ids).exists()
    )


def changes_public_pages(instance, *, created=False):
    name = instance._meta.model_name
    if name in PRIVATE:
        return False
    if name == "article":
        return story_was_or_is_public(instance, created=created)
    if name in STORY_FIELDS:
        return any_story_public(instance, STORY_FIELDS[name])
    return True


def on_save(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        # A fixture or a restored version: its rows were never weighed. One bump
        # covers the whole load, which runs in one transaction. A loaded copy of
        # the generation row itself must not bring back an old number.
        if sender._meta.model_name == "contentgeneration":
            cache.bump(again=True)
        else:
            cache.bump()
    elif changes_public_pages(instance, created=created):
        cache.bump()


def on_delete(sender, instance, **kwargs):
    if changes_public_pages(instance):
        cache.bump()


def on_m2m(sender, instance, action, reverse, pk_set, **kwargs):
    from .models import Article

    if action.startswith("pre_"):
        return
    if isinstance(instance, Article):
        public = _published(instance)
    elif pk_set is None:  # cleared from the other side: which stories, unknown
        public = True
    else:  # an author's or a topic's stories changed: public if one of them is
        public = Article.objects.filter(
            Article.objects.window_q(), pk__in=pk_set
        ).exists()
    if public:
        cache.bump()


def connect():
    for model in apps.get_app_config("articles").get_models(include_auto_created=True):
        uid = f"page-cache-{model._meta.label_lower}"
        post_save.connect(on_save, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(on_delete, sender=model, dispatch_uid=f"{uid}-delete")
        m2m_changed.connect(on_m2m, sender=model, dispatch_uid=f"{uid}-m2m")
