"""A story's history for the desk: readable differences, restores and recoveries.

A version (django-reversion) holds the story's row and the rows it follows:
topics, curated links, exclusions, notes and old addresses (registered in
`articles.models`). Both the comparison and the restore read it through a
`Snapshot`, the same shape the story has now, so "what would change" and "what
changes" are one computation.

What a restore brings back is the CONTENT; the publication state and the address
stay as they are unless the editor ticks them on the confirmation page. Notes are a
public record: a restore never touches them. A recovery brings a deleted story back
with everything it had, as a draft unless the editor puts it back live.

Every other story named here goes through `Article.objects.visible_to(user)`: a
reporter reading the history of their own story never learns the headline of a
story they may not see.

The package, one module a concern; each imports only those above it:

    snapshots   a version and a story in one shape; what no longer exists
    compare     reading them: differences, state lines, comments, links
    restore     a version back onto a story (imports compare, snapshots)
    recover     a deleted story back (imports restore, compare, snapshots)

Everything the desk calls is importable from `articles.revisions`.
"""

from .compare import (
    Row,
    compare,
    compare_url_since,
    history_comments,
    inline_diff,
    readable_text,
    state_summary,
    story_labels,
)
from .recover import (
    RecoveryPlan,
    deleted_version,
    recover,
    recovery_plan,
    story_of_version,
)
from .restore import RestorePlan, restore, restore_plan
from .snapshots import (
    CONTENT_FIELDS,
    IMAGE_FIELDS,
    STATE_FIELDS,
    NotRecoverableError,
    Snapshot,
    StaleError,
    as_snapshot,
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
    "as_snapshot",
    "compare",
    "compare_url_since",
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
