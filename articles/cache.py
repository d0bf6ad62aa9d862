"""The page cache is its own app now (`pagecache`, which imports nothing of this
one); this module only keeps an old import path working until its last users
(backups.py, the load_demo and seed_corpus commands) import from there."""

# moved to pagecache.generation; re-exported for the other parts
from pagecache.generation import bump as bump
