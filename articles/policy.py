"""Who may do what with a story on the desk: one policy, and every check calls it.

Two roles (articles/roles.py). Editors hold the publish permission: they reach
every story, publish, schedule and unpublish, change live stories and restore
versions. Reporters reach the stories they started and change them until they go
live; of other stories they read only what every reader reads.

`Article.objects.editable_by(user)` and `visible_to(user)` are this rule for many
stories at once (in SQL); the functions below answer it for one story, without a
query, and for the role-level questions. Django's model permissions
(`articles.change_article`, ...) still apply on top: the admin asks them first.

Imports models and roles only, so both the desk (articles/desk/) and the pages
outside it (the preview, the history domain) can call it.
"""

from articles.models import Article
from articles.roles import PUBLISH

PUBLISH_PERMISSION = f"articles.{PUBLISH}"


def can_publish(user):
    """Publish, schedule, unpublish, set publication and expiry times, change a live
    story, and work the review queue: editors."""
    return user.has_perm(PUBLISH_PERMISSION)


def sees_every_story(user):
    """Whether `user` reaches every story, drafts and embargoes included (editors:
    `editable_by` hands them everything). Others must not learn what they cannot
    reach: another member's draft, a featured story still under embargo."""
    return can_publish(user)


def may_restore(user):
    """Restore a version or recover a deleted story: an editor's act."""
    return can_publish(user)


def desk_stories(user, stories=None):
    """The stories `user` may open on the desk (form, history, preview)."""
    stories = Article.objects.all() if stories is None else stories
    return stories.editable_by(user)


def readable_stories(user, stories=None):
    """The stories whose headline and state `user` may read on the desk: pickers,
    link panels, history and comparisons name no other story."""
    stories = Article.objects.all() if stories is None else stories
    return stories.visible_to(user)


def may_open(user, story):
    """`desk_stories` for one story: editors any, reporters the ones they started."""
    return sees_every_story(user) or story.created_by_id == user.pk


def may_change(user, story):
    """Editors change any story; reporters their own, and only until it goes live."""
    if can_publish(user):
        return True
    return may_open(user, story) and story.status != Article.Status.PUBLISHED


def may_translate(user, story):
    """Start a translation of `story`: whoever may create stories, of a story they
    may read (reporters: their own and live ones)."""
    return (
        user.has_perm("articles.add_article")
        and readable_stories(user).filter(pk=story.pk).exists()
    )


def may_mark_up_to_date(user, translation):
    """Say a translation follows its source's latest version: editors, and the
    translation's owner."""
    return may_open(user, translation)
