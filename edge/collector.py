"""What the page being rendered shows, collected as it is read: no query of its
own. The content app calls `shown(key)` for each item a page loads (a story, a
topic, a byline: articles/edge_keys.py does it as rows are loaded) and `tag(key)`
for the list the page is; outside a public request both do nothing.
"""

import contextlib
import contextvars

from . import BIG, conf

_current = contextvars.ContextVar("edge_keys", default=None)


class Keys:
    __slots__ = ("items", "lists")

    def __init__(self):
        self.items, self.lists = set(), set()

    def header_keys(self):
        """The lists first, then the items; items past EDGE_MAX_KEYS give way to
        `big`, so a header stays short (Varnish's default limit: 8 KB)."""
        items = self.items
        if len(items) > conf.get("EDGE_MAX_KEYS"):
            items = {BIG}
        return [*sorted(self.lists), *sorted(items - self.lists)]


def start():
    return _current.set(Keys())


def stop(token):
    _current.reset(token)


def current():
    return _current.get()


def shown(key):
    """The page shows this item (a story, a topic, a byline)."""
    keys = _current.get()
    if keys is not None:
        keys.items.add(key)


def tag(*names):
    """The page is this list (home, a topic's stories, a feed...)."""
    keys = _current.get()
    if keys is not None:
        keys.lists.update(names)


@contextlib.contextmanager
def unseen():
    """What is read inside is weighed, not shown (candidates a list picks
    among): its rows name nothing; the caller names what it shows."""
    token = _current.set(None)
    try:
        yield
    finally:
        _current.reset(token)
