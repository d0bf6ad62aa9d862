"""A desk save the database did not take loses nothing the editor typed.

When the database fails during an add or change save (a lock that did not clear
in time, a timeout, a lost connection), the editor gets the same form back with
everything they typed, inlines included, and a message saying nothing was saved:
a validation error, in effect, that Save clears once the database answers. If
the form cannot even be drawn again (the database is gone), a bare page holds
every field they sent, ready to post again (pagecache/outage.py).

Only errors that mean "the database did not answer" are caught; integrity and
programming errors are bugs, and stay 500s.
"""

import logging

from django.db import DatabaseError

from pagecache import outage

logger = logging.getLogger(__name__)

NOT_SAVED = (
    "The database did not answer; nothing was saved. Your text is still below — "
    "try Save again in a moment."
)


class SaveOutageMixin:
    """For a ModelAdmin. List it first among the bases (before VersionAdmin), so it
    wraps the transaction that failed and shows the form outside any."""

    def add_view(self, request, form_url="", extra_context=None):
        return self._keeping_the_text(
            lambda: super(SaveOutageMixin, self).add_view(
                request, form_url, extra_context
            ),
            request,
            None,
            form_url,
            extra_context,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._keeping_the_text(
            lambda: super(SaveOutageMixin, self).change_view(
                request, object_id, form_url, extra_context
            ),
            request,
            object_id,
            form_url,
            extra_context,
        )

    def _keeping_the_text(self, view, request, object_id, form_url, extra_context):
        try:
            return view()
        except DatabaseError as error:
            if request.method != "POST" or not outage.is_outage(error):
                raise
            logger.warning("A desk save failed, nothing saved: %s", error)
        # The transaction is gone: draw the form again outside one (an atomic
        # block would wait on the same lock), with the data as posted and the
        # form made invalid, so nothing is written.
        request.desk_save_failed = True
        try:
            response = self._changeform_view(
                request, object_id, form_url, extra_context
            )
            if hasattr(response, "render"):
                response.render()  # now, while a failure can still be caught
            return response
        except DatabaseError as error:
            if not outage.is_outage(error):
                raise
            return outage.unsaved_post(request)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not getattr(request, "desk_save_failed", False):
            return form

        class NotSaved(form):
            def full_clean(self):
                super().full_clean()
                if self.is_bound:
                    self.add_error(None, NOT_SAVED)

        return NotSaved
