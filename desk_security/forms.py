from django import forms
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice

from . import throttle, twofactor


def code_field(label, help_text, required=False):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off"}
        ),
    )


class DeskAuthenticationForm(AdminAuthenticationForm):
    """The admin's login: password, then the two-factor code for accounts that have
    set it up. Throttled by django-axes: a wrong code counts as a failed login."""

    otp_token = code_field(
        _("Two-factor code"),
        _(
            "Only if your account uses two-factor authentication: the 6-digit code "
            "from your app, or one of your recovery codes."
        ),
    )
    # Wrong password, missing code or wrong code: the same answer, so a guesser
    # never learns that the password was right.
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter the correct %(username)s and password for a staff account, "
            "and the two-factor code if your account uses one. Note that both "
            "fields may be case-sensitive."
        ),
    }

    def clean(self):
        try:
            super().clean()
        except ValidationError:
            self.refuse_if_locked_out()
            raise
        user = self.user_cache
        if twofactor.has_two_factor(user):
            device = None
            if self.cleaned_data.get("otp_token"):
                device = twofactor.verify_code(
                    user=user, code=self.cleaned_data["otp_token"]
                )
            if device is None:
                self.code_failed()
            user.otp_device = device  # django-otp marks the session verified
            self.warn_if_recovery_code(user, device)
        return self.cleaned_data

    def code_failed(self):
        """A missing or wrong code is a failed login, counted like a wrong password."""
        user_login_failed.send(
            sender=__name__,
            credentials={"username": self.cleaned_data.get("username")},
            request=self.request,
        )
        self.user_cache = None
        self.refuse_if_locked_out()
        raise self.get_invalid_login_error()

    def refuse_if_locked_out(self):
        if getattr(self.request, "axes_locked_out", False):
            raise ValidationError(throttle.lockout_message(), code="locked_out")

    def warn_if_recovery_code(self, user, device):
        if isinstance(device, StaticDevice):
            left = twofactor.recovery_codes_left(user)
            messages.warning(
                self.request,
                ngettext(
                    "You logged in with a recovery code; %(left)d is left. Make new "
                    "ones under Two-factor authentication.",
                    "You logged in with a recovery code; %(left)d are left. Make new "
                    "ones under Two-factor authentication.",
                    left,
                )
                % {"left": left},
            )


class ConfirmAppForm(forms.Form):
    """Setting up an app: the code it shows now proves it holds the secret."""

    code = code_field(
        _("Code from the app"), _("The 6 digits the app shows now."), required=True
    )


class CurrentCodeForm(forms.Form):
    """Changing two-factor settings asks for a current code, so a session left open
    on someone's desk is not enough to take the account over."""

    current_code = code_field(
        _("Current code"),
        _("The 6 digits your app shows now, or one of your recovery codes."),
        required=True,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_current_code(self):
        code = self.cleaned_data["current_code"]
        if twofactor.verify_code(user=self.user, code=code) is None:
            raise ValidationError(_("That code is not right, or was used already."))
        return code
