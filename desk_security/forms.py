from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from . import throttle


class DeskAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form; a locked-out login is told so, not that the password
    was wrong (it may well have been right)."""

    def clean(self):
        try:
            super().clean()
        except ValidationError:
            self.refuse_if_locked_out()
            raise
        return self.cleaned_data

    def refuse_if_locked_out(self):
        if getattr(self.request, "axes_locked_out", False):
            raise ValidationError(throttle.lockout_message(), code="locked_out")
