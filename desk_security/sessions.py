"""Desk sessions end after a working day without activity."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY

REFRESHED = "_desk_refreshed_at"


class SlidingSessionMiddleware:
    """Each desk request (`DESK_PATH_PREFIXES`) of a logged-in user moves the end
    of their session to `SESSION_COOKIE_AGE` from now, so it ends only after that
    long idle at the desk.

    At most once every `SESSION_REFRESH_SECONDS`: the desk does not rewrite its
    session row (and resend the cookie) on every click, as SESSION_SAVE_EVERY_REQUEST
    would. Anonymous readers have no session, so their pages stay cookie-free and
    cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Not after a failure: a save the database refused (pagecache/outage.py,
        # articles/desk/resilience.py) must not be followed by a session write
        # that the same database refuses, which Django answers with a bare 400.
        failed = response.status_code >= 500 or getattr(
            request, "desk_save_failed", False
        )
        on_the_desk = request.path_info.startswith(settings.DESK_PATH_PREFIXES)
        if not on_the_desk and not getattr(request.session, "accessed", False):
            # Reading the public site is not desk activity; and a page that did
            # not read the session must not start to vary by it.
            return response
        session = request.session
        if not failed and SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED] = now  # saved, with a new expiry, on the way out
        return response
