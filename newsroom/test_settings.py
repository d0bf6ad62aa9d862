"""The test suite's settings: the project's own, and what tests need besides.

pytest-django loads this module (pyproject.toml); servers and commands a test
starts in a child process load `newsroom.settings`, as production does. Nothing
here changes what a page says, only how fast and how isolated tests run.
"""

import os

from .settings import *  # noqa: F403
from .settings import ALLOWED_HOSTS, BASE_DIR, DATABASES

# Django's test client asks for this host.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]

# Tests render every page unless they turn the page cache on.
if "DJANGO_PAGE_CACHE_SECONDS" not in os.environ:
    PAGE_CACHE_SECONDS = 0

# A `collectstatic` run in this checkout (its manifest) must not change what pages
# link to: tests see the files in place unless told otherwise.
if "DJANGO_STATIC_ROOT" not in os.environ:
    STATIC_ROOT = BASE_DIR / ".never-collected"
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, as in production: an in-memory database answers a second writer
    # "table is locked" at once where the file makes it wait, so browser journeys
    # with two people saving would test the wrong thing.
    DATABASES["default"]["TEST"] = {"NAME": f"/tmp/newsroom-test-{os.getpid()}.sqlite3"}

# Hashing passwords properly is deliberately slow; tests need not be.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
