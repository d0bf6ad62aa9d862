"""A story's history: moved to the articles/history/ package (snapshots, comparing,
restoring, recovering)."""

# moved to articles/history; re-exported for the other parts
from articles.history import *  # noqa: F403
from articles.history import __all__  # noqa: F401
