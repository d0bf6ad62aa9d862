"""A story's history for the desk: readable differences, restores and recoveries.

A version (django-reversion) holds the story's row and the rows it follows: topics,
curated links, exclusions, notes and old addresses (registered in models.py). Both
the comparison and the restore read it through a `Snapshot`, the same shape the
story has now, so "what would change" and "what changes" are one computation.

What a restore brings back is the CONTENT; the publication state and the address
stay as they are unless the editor ticks them on the confirmation page. Notes are a
public record: a restore never touches them. A recovery brings a deleted story back
with everything it had, as a draft unless the editor puts it back live.

Every other story named here goes through `policy.readable_stories(user)`: a
reporter reading the history of their own story never learns the headline of a
story they may not see.

Dependency rule: this package imports articles.models, services and policy, never
the desk (articles/desk/ calls it, through the names below). Inside it, each
module imports only those before it:

    snapshots <- comparing <- restoring <- recovering
"""

from articles.history.comparing import (
    Row,
    compare,
    compare_url_since,
    content_words_changed,
    history_comments,
    inline_diff,
    readable_text,
    state_summary,
    story_labels,
)
from articles.history.recovering import (
    NotRecoverableError,
    RecoveryPlan,
    deleted_version,
    recover,
    recovery_plan,
    story_of_version,
)
from articles.history.restoring import (
    RestorePlan,
    StaleError,
    restore,
    restore_plan,
)
from articles.history.snapshots import (
    CONTENT_FIELDS,
    IMAGE_FIELDS,
    STATE_FIELDS,
    Snapshot,
    parse_moment,
    snapshot_now,
    snapshot_of,
    when,
)

__all__ = [
    "CONTENT_FIELDS",
    "IMAGE_FIELDS",
    "STATE_FIELDS",
    "NotRecoverableError",
    "RecoveryPlan",
    "RestorePlan",
    "Row",
    "Snapshot",
    "StaleError",
    "compare",
    "compare_url_since",
    "content_words_changed",
    "deleted_version",
    "history_comments",
    "inline_diff",
    "parse_moment",
    "readable_text",
    "recover",
    "recovery_plan",
    "restore",
    "restore_plan",
    "snapshot_now",
    "snapshot_of",
    "state_summary",
    "story_labels",
    "story_of_version",
    "when",
]
