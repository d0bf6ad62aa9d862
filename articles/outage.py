"""Serving through a database outage lives in the page cache app now
(pagecache/outage.py, pagecache/health.py); this module only keeps an old import
path working until its last users (views.py, desk_resilience.py) import from
there."""

# moved to pagecache.outage and pagecache.health; re-exported for the other parts
from pagecache.health import health as health
from pagecache.outage import is_outage as is_outage
from pagecache.outage import unsaved_post as unsaved_post
