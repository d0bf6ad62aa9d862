"""Errors reach someone: a 500 is logged with its traceback on stderr and mailed to
ADMINS (DJANGO_ADMINS) when they are set."""

import logging
import re

from django.conf import settings
from django.core.mail import get_connection
from django.utils.log import AdminEmailHandler
from django.views.debug import SafeExceptionReporterFilter

logger = logging.getLogger("newsroom.errors")


class ReportingAdminEmailHandler(AdminEmailHandler):
    """Django's error mail, except that a report that cannot be sent (mail server
    down, refusing, too slow: `EMAIL_TIMEOUT`) is said on stderr, where Django's
    own handler drops it without a word. The error itself is logged either way."""

    def emit(self, record):
        if settings.ADMINS:
            super().emit(record)

    def connection(self):
        return get_connection(backend=self.email_backend, fail_silently=False)

    def send_mail(self, subject, message, *args, **kwargs):
        kwargs["fail_silently"] = False
        try:
            super().send_mail(subject, message, *args, **kwargs)
        except Exception as error:  # any failure to mail, but never a second 500
            logger.warning("Could not mail the error report to ADMINS: %r", error)


class ReportFilter(SafeExceptionReporterFilter):
    """Hide passwords, codes, tokens and keys a form posted, whichever view failed:
    Django hides POST data only for views marked `sensitive_post_parameters`."""

    hidden_fields = re.compile(r"pass|secret|token|code|key|otp|csrf", re.IGNORECASE)

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if not parameters or not self.is_active(request):
            return parameters
        cleansed = parameters.copy()
        for name in cleansed:
            if self.hidden_fields.search(name):
                cleansed[name] = self.cleansed_substitute
        return cleansed
