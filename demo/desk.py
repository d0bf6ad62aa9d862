"""The demo desk: its accounts, and the reporter's own stories, so the
reporter→editor workflow works out of the box.

`load_demo` creates the unpublished demo stories and `create_demo_editor` the
accounts; whichever runs second hands the stories over, and both may run any
number of times.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from articles.models import Article

from . import content

REPORTER = "reporter"
DEMO_ACCOUNTS = [
    # username, password, group, full name
    ("editor", "sahel-desk-editor", "Editors", ("Demo", "Editor")),
    (REPORTER, "sahel-desk-reporter", "Reporters", ("Demo", "Reporter")),
]


def hand_over_desk_stories():
    """Make the demo reporter the owner of the demo's unpublished stories that nobody
    owns yet; return how many changed hands."""
    reporter = get_user_model().objects.filter(username=REPORTER).first()
    if reporter is None:
        return 0
    slugs = [story["slug"] for story in content.DESK_STORIES]
    stories = Article.objects.filter(
        Q(slug__in=slugs) | Q(old_slugs__old_slug__in=slugs)
    )
    # Not public, so no cached page changes with the owner.
    return (
        Article.objects.filter(pk__in=stories.values("pk"), created_by__isnull=True)
        .exclude(Article.objects.window_q())
        .update(created_by=reporter)
    )
